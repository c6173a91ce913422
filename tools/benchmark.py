"""Benchmark of the event browser served by waitress (speed targets live here, not in
unit tests).

Serves the app with the bundled data on a free loopback port (SQLite file in a temporary
folder), then times sequential requests with http.client: the full page, filtered pages,
the htmx fragment, an event page, and the About page. Prints median and 95th percentile
latency in milliseconds and requests per second for each. Bounded: a fixed number of
requests, loopback only.

    make benchmark            # or: .venv/bin/python tools/benchmark.py [REQUESTS]
"""

from __future__ import annotations

import http.client
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session
from waitress.server import create_server
from webapp import create_app
from webapp.db import create_schema, get_engine
from webapp.events.loader import load_events

CASES = [
    ("full page, no filter", "/en/events/", {}),
    ("full page, 3 filters", "/fr/events/?year=2021&type=annual_conference&region=online", {}),
    (
        "htmx fragment",
        "/de/events/?type=regional_workshop",
        {"HX-Request": "true", "HX-Target": "event-results", "HX-Trigger": "facet-type"},
    ),
    ("event page", "/pt/events/2025-conference-bristol/", {}),
    ("about page", "/es/about/", {}),
    ("400 bad year", "/en/events/?year=abc", {}),
]


def programme_cases() -> list[tuple[str, str, dict[str, str]]]:
    """The programme archive's cases (issue 9; targets: p95 <= 20 ms for the search over
    all talks with a filter and for the largest programme page, 2025's 166 talks; the
    search fragment at least as fast as the event browser's): (name, path, headers)."""
    fragment = {"HX-Request": "true", "HX-Target": "talk-results", "HX-Trigger": "search-q"}
    return [
        ("talk search + year filter", "/en/programmes/?q=data&year=2010-2019", {}),
        ("talk search, no text", "/fr/programmes/?type=panel", {}),
        ("talk search fragment", "/de/programmes/?q=metadata&type=papers", fragment),
        ("largest programme page", "/en/programmes/2025/", {}),
        ("talk page", "/pt/programmes/2024/talks/4-1/", {}),
        ("person page", "/es/programmes/people/jared-lyle/", {}),
    ]


def load_programme_data(session: Session) -> None:
    """Add the bundled programmes to a store that holds the bundled events."""
    from webapp.programmes.cli import load_programmes

    load_programmes(session)


def main(requests: int = 200) -> None:
    """Serve the site (bundled events, a temporary SQLite store) on waitress, time
    ``requests`` sequential requests per case of :data:`CASES` and print each case's
    status, median and 95th percentile (milliseconds) and requests per second."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
                "IASSIST_TODAY": date(2026, 11, 22),
                "OFFICIAL_BROCHURE_DIR": str(Path(tmp) / "official"),
            }
        )
        create_schema(app)
        with Session(get_engine(app)) as session:
            load_events(session)
            load_programme_data(session)
        # Any: waitress's stubs type the server's ``trigger`` as an int and lack ``_map``.
        server: Any = create_server(app, host="127.0.0.1", port=0, threads=4)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        port = server.effective_port
        print(f"{requests} sequential requests per case, waitress on 127.0.0.1:{port}")
        print(f"{'case':28} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'req/s':>7}")
        for name, path, headers in CASES + programme_cases():
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            timings, status = [], None
            for _ in range(requests):
                start = time.perf_counter()
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                timings.append((time.perf_counter() - start) * 1000)
                status = response.status
            connection.close()
            timings.sort()
            p95 = timings[int(len(timings) * 0.95) - 1]
            print(
                f"{name:28} {status:>6} {statistics.median(timings):>10.2f} {p95:>8.2f} "
                f"{1000 * len(timings) / sum(timings):>7.0f}"
            )
        server.trigger.pull_trigger(lambda: [c.close() for c in list(server._map.values())])
        thread.join(timeout=5)
        server.task_dispatcher.shutdown()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
