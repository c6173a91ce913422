"""Benchmark of the site (speed targets live here, not in unit tests): ``make benchmark``.

Everything runs on loopback, in one run, beside a bare Flask "hello" app on the same
waitress (``tools/hello_app.py``), which is the yardstick every figure is divided by; the
machine's load average is printed at the start and the end. Sections:

1. **Render cost**: server CPU per request (the waitress process's user + system time,
   from ``/proc``, over sequential requests on one keep-alive connection) for the full
   event browser, the page with 3 filters, the htmx fragment, an event page, the About
   page, a brochure answered 304, a static CSS file; uncached (``RESPONSE_CACHE_SIZE=0``:
   no whole-response cache; what the site derives once per data version is kept, as
   designed) and cached.
2. **Warm throughput**: wrk (64 connections, 5 s each) against hello, the fragment and
   the full page, as a share of hello.
3. **First view** of ``/en/events/``: every resource a browser loads, its bytes on the
   wire (headers + Brotli body) and the total.
4. **Scale**: 100,000 synthetic events (``tools/fill_synthetic.py``); p50/p99 latency
   at one connection, uncached, for every kind of browser URL, and the ``EXPLAIN QUERY
   PLAN`` of the result queries.
5. **One process against two behind nginx** (``deploy/``), and nginx's micro-cache.

    make benchmark            # or: .venv/bin/python tools/benchmark.py [--quick]
    .venv/bin/python tools/benchmark.py --only=render --only=weight   # some sections
"""

from __future__ import annotations

import html
import http.client
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import brotli
from sqlalchemy import event
from sqlmodel import Session

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from webapp import create_app  # noqa: E402
from webapp.brochures.store import build_one  # noqa: E402
from webapp.db import create_schema, get_engine  # noqa: E402
from webapp.events.filters import EventFilter  # noqa: E402
from webapp.events.loader import load_events  # noqa: E402
from webapp.events.queries import result_statements  # noqa: E402

from tools.fill_synthetic import fill, fill_talks  # noqa: E402
from tools.nginx_conf import render  # noqa: E402

TODAY = date(2026, 11, 22)
HTMX = {"HX-Request": "true", "HX-Target": "event-results", "HX-Trigger": "facet-type"}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
WAITRESS = str(Path(sys.executable).parent / "waitress-serve")
#: The issue's figures of today (ms of server CPU per request) and targets.
RENDER_CASES = [
    ("full event browser page", "/en/events/", {}, 29.0, 5.0),
    (
        "page with 3 filters",
        "/fr/events/?year=2021&type=annual_conference&region=online",
        {},
        18.5,
        None,
    ),
    ("htmx fragment", "/de/events/?type=regional_workshop", HTMX, 26.0, 3.0),
    ("event page", "/pt/events/2025-conference-bristol/", {}, 8.0, 2.0),
    ("About page", "/es/about/", {}, 10.0, 2.0),
    ("brochure, 304", "/en/media/brochure-en.pdf", {}, 3.3, 0.5),
    ("static CSS file", "@css", {"Accept-Encoding": "br"}, 1.1, 0.3),
]
SCALE_URLS = [
    ("unfiltered", "/en/events/"),
    ("page 2", "/en/events/?page=2"),
    ("year", "/en/events/?year=2001"),
    ("year range", "/en/events/?year=2000-2009"),
    ("this year", "/en/events/?year=2026"),
    ("type", "/en/events/?type=regional_workshop"),
    ("region", "/en/events/?region=europe"),
    ("type + region", "/en/events/?type=regional_workshop&region=europe"),
    ("year + type", "/en/events/?year=1999&type=annual_conference"),
    ("year + region", "/en/events/?year=2010-2019&region=africa"),
    ("all three", "/en/events/?year=2000-2009&type=joint_meeting&region=canada"),
    ("fragment, type + region", "/fr/events/?type=joint_meeting&region=asia_pacific"),
    ("middle page", "/en/events/?page={middle}"),
    ("last page", "/en/events/?page={last}"),
    ("last page, type", "/en/events/?type=regional_workshop&page={last_type}"),
    ("fragment, next after the middle page (cursor)", "{middle_next}"),
    ("fragment, previous before the middle page (cursor)", "{middle_prev}"),
    ("fragment, next to the last page, type (cursor)", "{last_type_next}"),
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


#: Words a visitor might search the programmes for; typed letter by letter from the third
#: letter on, each prefix is a search new to the process (:func:`typed_searches`).
TYPED_WORDS = (
    "metadata", "archive", "census", "survey", "repository", "curation", "harmonization",
    "visualization", "preservation", "licensing", "geospatial", "dataverse", "provenance",
    "citation", "training", "confidentiality",
)  # fmt: skip


def typed_searches(locale: str, extra: str) -> list[str]:
    """Paths of the programme search for every prefix of :data:`TYPED_WORDS` from three
    letters (``/en/programmes/?q=met&year=2010-2019`` …), each distinct, as a visitor's
    typing makes them; ``extra`` is appended to each query string."""
    return [
        f"/{locale}/programmes/?q={word[:n]}{extra}"
        for word in TYPED_WORDS
        for n in range(3, len(word) + 1)
    ]


def p50_p95(port: int, paths: list[str], headers: dict[str, str]) -> tuple[float, float]:
    """(p50, p95) wall-clock milliseconds of requests for ``paths`` in order, one
    keep-alive connection (nearest rank)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    timings = []
    for path in paths:
        started = time.perf_counter()
        status, _, _ = request(connection, path, headers)
        timings.append((time.perf_counter() - started) * 1000)
        assert status == 200, (path, status)
    connection.close()
    timings.sort()
    return timings[len(timings) // 2], timings[
        min(len(timings) - 1, -(-len(timings) * 95 // 100) - 1)
    ]


def load_programme_data(session: Session) -> None:
    """Add the bundled programmes to a store that holds the bundled events."""
    from webapp.programmes.cli import load_programmes

    load_programmes(session)


def load() -> str:
    """The load average, as ``uptime`` prints it."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} ({os.cpu_count()} cores)"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (from ``/proc/<pid>/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


@contextmanager
def waitress(app: str, env: dict[str, str], threads: int = 4) -> Iterator[tuple[int, int]]:
    """Serve ``app`` (``module:attribute``) with waitress-serve in a process of its own;
    yields (port, pid)."""
    port = free_port()
    process = subprocess.Popen(
        [WAITRESS, f"--listen=127.0.0.1:{port}", f"--threads={threads}", app],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=2).connect()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"{app} did not start") from None
                time.sleep(0.2)
        yield port, process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


def request(
    connection: http.client.HTTPConnection, path: str, headers: dict[str, str]
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request on ``connection``: (status, headers, body)."""
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    return response.status, response.headers, response.read()


def cpu_per_request(port: int, pid: int, path: str, headers: dict[str, str]) -> float:
    """Server CPU milliseconds per request for ``path``: sequential requests on one
    keep-alive connection, at least 2 s of them, after 20 to warm up."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(20):
        status, _, _ = request(connection, path, headers)
        assert status in (200, 304), (path, status)
    started, cpu, count = time.monotonic(), cpu_seconds(pid), 0
    while time.monotonic() - started < 2.0 or count < 100:
        request(connection, path, headers)
        count += 1
    connection.close()
    return (cpu_seconds(pid) - cpu) * 1000 / count


def wrk(port: int, path: str, headers: dict[str, str], seconds: int = 5) -> float:
    """Requests per second wrk measures (2 threads, 64 connections)."""
    command = ["wrk", "-t2", "-c64", f"-d{seconds}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"Requests/sec:\s+([0-9.]+)", output)
    if not match:
        raise RuntimeError(f"wrk said: {output}")
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non2xx:
        raise RuntimeError(f"{path}: {non2xx.group(1)} error responses")
    return float(match.group(1))


def site_env(folder: Path, url: str, **extra: str) -> dict[str, str]:
    """The environment of a waitress process of the site on the store at ``url``."""
    return {
        "DATABASE_URL": url,
        "IASSIST_TODAY": TODAY.isoformat(),
        "OFFICIAL_BROCHURE_DIR": str(folder / "official"),
        **extra,
    }


def prepare_store(folder: Path) -> tuple[str, Any]:
    """A SQLite store with the bundled events and the English brochure built."""
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app(
        {
            "DATABASE_URL": url,
            "IASSIST_TODAY": TODAY,
            "OFFICIAL_BROCHURE_DIR": str(folder / "official"),
        }
    )
    create_schema(app)
    with Session(get_engine(app)) as session:
        load_events(session)
        load_programme_data(session)
        with app.app_context():
            build_one(app, session, "brochure", "en")
    return url, app


def section_render(folder: Path, url: str, hello: tuple[int, int]) -> float:
    """Section 1; returns hello's CPU ms per request."""
    print("\n== 1. Render cost: server CPU per request, one connection ==")
    hello_ms = cpu_per_request(*hello, "/", {})
    print(f"hello (bare Flask on waitress): {hello_ms:.3f} ms")
    print(
        f"{'case':26} {'uncached ms':>11} {'× hello':>8} {'cached ms':>10} {'× hello':>8}"
        f" {'today ms':>9} {'target ms':>9}"
    )
    with (
        waitress("wsgi:app", site_env(folder, url, RESPONSE_CACHE_SIZE="0")) as uncached,
        waitress("wsgi:app", site_env(folder, url)) as cached,
    ):
        connection = http.client.HTTPConnection("127.0.0.1", uncached[0], timeout=30)
        page = request(connection, "/en/about/", {})[2].decode()
        css = re.search(r'rel="stylesheet" href="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        etag = request(connection, "/en/media/brochure-en.pdf", {})[1]["ETag"]
        connection.close()
        for name, path, headers, today_ms, target in RENDER_CASES:
            if path == "@css":
                path = css
            if "brochure" in path:
                headers = {"If-None-Match": etag}
            cold = cpu_per_request(*uncached, path, headers)
            warm = cpu_per_request(*cached, path, headers)
            print(
                f"{name:26} {cold:11.2f} {cold / hello_ms:8.1f} {warm:10.2f} "
                f"{warm / hello_ms:8.1f} {today_ms:9.1f} {target or '':>9}"
            )
        print("programme archive (issue 9):")
        for name, path, headers in programme_cases():
            cold = cpu_per_request(*uncached, path, headers)
            warm = cpu_per_request(*cached, path, headers)
            print(
                f"  {name:24} {cold:11.2f} {cold / hello_ms:8.1f} {warm:10.2f} "
                f"{warm / hello_ms:8.1f}"
            )
        print(
            "latency through waitress, one connection, uncached (target p95 ≤ 20 ms);"
            " 'typed' = every prefix of 16 words, each a search new to the process:"
        )
        fragment = programme_cases()[2][2]
        for name, paths, headers in [
            ("search + year, repeated", ["/en/programmes/?q=data&year=2010-2019"] * 200, {}),
            ("largest programme page", ["/en/programmes/2025/"] * 200, {}),
            ("typed search + year", typed_searches("en", "&year=2010-2019"), {}),
            ("typed search fragment", typed_searches("fr", "&type=papers"), fragment),
            ("event fragment, repeated", [RENDER_CASES[2][1]] * 200, HTMX),
        ]:
            p50, p95 = p50_p95(uncached[0], paths, headers)
            print(f"  {name:26} {len(paths):4} requests  p50 {p50:6.2f} ms  p95 {p95:6.2f} ms")
    return hello_ms


def section_throughput(folder: Path, url: str, hello_port: int) -> None:
    """Section 2."""
    print("\n== 2. Warm throughput: wrk, 64 connections, waitress with 4 threads ==")
    hello_rps = wrk(hello_port, "/", {})
    print(f"hello: {hello_rps:,.0f} req/s")
    with waitress("wsgi:app", site_env(folder, url)) as (port, _):
        for name, path, headers, target in [
            ("htmx fragment", "/de/events/?type=regional_workshop", HTMX, 60),
            ("full page", "/en/events/", {}, 40),
        ]:
            rps = wrk(port, path, headers)
            print(
                f"{name:14} {rps:9,.0f} req/s = {100 * rps / hello_rps:5.1f} % of hello"
                f" (target ≥ {target} %)"
            )


def section_weight(folder: Path, url: str) -> None:
    """Section 3."""
    print("\n== 3. First view of /en/events/: bytes on the wire (Accept-Encoding: br, gzip) ==")
    accept = {"Accept-Encoding": "br, gzip"}
    with waitress("wsgi:app", site_env(folder, url)) as (port, _):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        rows = []

        def get(path: str) -> bytes:
            status, headers, body = request(connection, path, accept)
            assert status == 200, path
            head = (
                len(f"HTTP/1.1 {status} OK\r\n")
                + sum(len(f"{k}: {v}\r\n") for k, v in headers.items())
                + 2
            )
            rows.append((path, head, len(body), headers.get("Content-Encoding", "identity")))
            if headers.get("Content-Encoding") == "br":
                return brotli.decompress(body)
            return body

        html = get("/en/events/").decode()
        for resource in re.findall(r'(?:href|src)="(/static/[^"]+)"', html):
            data = get(resource)
            if resource.endswith(".css"):
                faces = re.findall(
                    r'font-weight: (\d+).*?url\("\.\./(fonts/[^"]+)"\)', data.decode(), re.S
                )
                text = re.sub(r"<[^>]+>", "", html)
                extended = any(
                    0x100 <= ord(c) < 0x2000 and ord(c) not in (0x131, 0x152, 0x153) for c in text
                )
                for _weight, font in faces:
                    if "latin-ext" in font and not extended:
                        continue  # its unicode-range matches nothing on the page
                    get("/static/" + font)
        connection.close()
    total = 0
    for path, head, body, encoding in rows:
        total += head + body
        print(f"{path[:62]:62} {encoding:>8} {head:5} + {body:6} bytes")
    print(f"{'total':62} {'':>8} {total:15,} bytes (target 50 KB; today 154 KB)")


def step_link(connection: http.client.HTTPConnection, path: str, rel: str) -> str:
    """The htmx URL (``hx-get``, with its keyset cursor) of the "Previous page"
    (``rel="prev"``) or "Next page" (``rel="next"``) link of the results at ``path``."""
    body = request(connection, path, HTMX)[2].decode()
    match = re.search(rf'<a rel="{rel}" href="[^"]+" hx-get="([^"]+)"', body)
    assert match, (path, rel)
    return html.unescape(match.group(1))


def talk_cases() -> list[tuple[str, str, dict[str, str]]]:
    """The programme search's cases on 100,000 synthetic talks (section 4): (name, path
    template, headers); ``{talk_deep}`` is the middle page of the results for "data",
    ``{talk_last}`` the last page without text."""
    fragment = {"HX-Request": "true", "HX-Target": "talk-results", "HX-Trigger": "search-q"}
    return [
        ("talks: search + year filter", "/en/programmes/?q=data&year=2010-2019", {}),
        ("talks: search, a rarer word", "/en/programmes/?q=provenance", {}),
        ("talks: no text", "/en/programmes/", {}),
        ("talks: no text, type", "/fr/programmes/?type=panel", {}),
        ("talks: search fragment", "/de/programmes/?q=metadata&type=papers", fragment),
        ("talks: deep page of a search", "/en/programmes/?q=data&page={talk_deep}", {}),
        ("talks: last page, no text", "/en/programmes/?page={talk_last}", {}),
        ("talks: person page (~50 talks)", "/es/programmes/people/synthetic-presenter-00000/", {}),
    ]


def latency(
    connection: http.client.HTTPConnection,
    pid: int,
    paths: list[str],
    headers: dict[str, str],
    samples: int,
) -> tuple[float, float, float, float]:
    """(first, p50, p99 in ms of wall time; server CPU ms per request, the mean over the
    samples from ``/proc``) of ``samples`` sequential requests after a first one, for
    ``paths`` in turn (one path: the same URL again and again, with what the site keeps
    per data version already computed; many: distinct URLs, each new to the process).
    p99 is the nearest-rank percentile (with 200 samples, the 198th fastest): wall time
    includes the waits of a shared machine, CPU time does not."""
    started = time.perf_counter()
    status, _, _ = request(connection, paths[0], headers)
    first = (time.perf_counter() - started) * 1000
    assert status == 200, (paths[0], status)
    timings = []
    cpu = cpu_seconds(pid)
    for number in range(1, samples + 1):
        path = paths[number % len(paths)]
        started = time.perf_counter()
        status, _, _ = request(connection, path, headers)
        timings.append((time.perf_counter() - started) * 1000)
        assert status == 200, (path, status)
    cpu_ms = (cpu_seconds(pid) - cpu) * 1000 / samples
    timings.sort()
    p99 = timings[max(0, -(-99 * len(timings) // 100) - 1)]
    return first, timings[len(timings) // 2], p99, cpu_ms


def count_on_page(connection: http.client.HTTPConnection, path: str, noun: str) -> int:
    """The number in the "N events" / "N talks" count of the page at ``path``."""
    body = request(connection, path, {})[2].decode()
    match = re.search(rf"([0-9,]+) {noun}", body)
    assert match, (path, noun)
    return int(match.group(1).replace(",", ""))


def request_plans(url: str, path: str, headers: dict[str, str]) -> list[tuple[float, str, str]]:
    """The SELECT statements that a request for ``path`` runs in a fresh process of the
    site on the store at ``url`` (nothing kept yet: the cold path), each as (ms, SQL, its
    ``EXPLAIN QUERY PLAN`` steps), slowest first."""
    app = create_app({"DATABASE_URL": url, "IASSIST_TODAY": TODAY, "RESPONSE_CACHE_SIZE": 0})
    engine = get_engine(app)
    seen: list[tuple[float, str, Any]] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        conn.info["benchmark_started"] = time.perf_counter()

    def after(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        elapsed = (time.perf_counter() - conn.info["benchmark_started"]) * 1000
        seen.append((elapsed, statement, parameters))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        app.test_client().get(path, headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    plans = []
    with engine.connect() as connection:
        for elapsed, statement, parameters in seen:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            steps = "; ".join(str(row[-1]) for row in rows)
            plans.append((elapsed, " ".join(statement.split()), steps))
    engine.dispose()
    return sorted(plans, reverse=True)


def section_scale(folder: Path, quick: bool) -> None:
    """Section 4."""
    count = 20_000 if quick else 100_000
    talks = 20_000 if quick else 100_000
    print(f"\n== 4. Scale: {count:,} synthetic events, {talks:,} synthetic talks ==")
    url = f"sqlite:///{folder / 'scale.sqlite3'}"
    seconds = fill(url, count)
    print(f"events filled in {seconds:.1f} s")
    seconds = fill_talks(url, talks)
    print(f"talks filled in {seconds:.1f} s (by the programme loader, search index included)")
    samples = 50 if quick else 200
    print(f"one connection, uncached, {samples} requests per URL; {load()}")
    env = site_env(folder, url, RESPONSE_CACHE_SIZE="0")
    with waitress("wsgi:app", env) as (port, pid):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        print(
            f"{'URL':70} {'first ms':>9} {'p50 ms':>7} {'p99 ms':>7} {'CPU ms':>7}"
            "  (target p99 ≤ 25)"
        )
        pages: dict[str, Any] = {
            "middle": count // 20 // 2,
            "last": -(-count // 20),
            "last_type": -(
                -count_on_page(connection, "/en/events/?type=regional_workshop", "events") // 20
            ),
            "talk_deep": count_on_page(connection, "/en/programmes/?q=data", "talks") // 20 // 2,
            "talk_last": -(-count_on_page(connection, "/en/programmes/", "talks") // 20),
        }
        pages["middle_next"] = step_link(connection, f"/en/events/?page={pages['middle']}", "next")
        pages["middle_prev"] = step_link(connection, f"/en/events/?page={pages['middle']}", "prev")
        pages["last_type_next"] = step_link(
            connection, f"/en/events/?type=regional_workshop&page={pages['last_type'] - 1}", "next"
        )
        cases = [
            (name, template, HTMX if name.startswith("fragment") else {})
            for name, template in SCALE_URLS
        ]
        for name, template, headers in cases + talk_cases():
            path = template.format(**pages)
            first, p50, p99, cpu = latency(connection, pid, [path], headers, samples)
            print(f"{name + ': ' + path:70} {first:9.1f} {p50:7.1f} {p99:7.1f} {cpu:7.1f}")
        # Distinct URLs, each new to the process: nothing of the page is kept yet (its
        # event cards, its ranked talks), only what the filter shares with others.
        rng = random.Random(8)
        distinct = [
            (
                "events: deep pages, each new",
                [f"/en/events/?page={n}" for n in rng.sample(range(2, pages["last"]), samples)],
            ),
            (
                "talks: a search's pages, each new",
                [
                    f"/en/programmes/?q=data&page={n}"
                    for n in rng.sample(range(2, pages["talk_deep"] * 2), samples)
                ],
            ),
            (
                "talks: a search by each year, each new",
                [f"/en/programmes/?q=metadata&year={year}" for year in range(1974, 2026)],
            ),
        ]
        for name, paths in distinct:
            first, p50, p99, cpu = latency(connection, pid, paths, {}, len(paths) - 1)
            example = paths[0] + " …"
            print(f"{name + ': ' + example:70} {first:9.1f} {p50:7.1f} {p99:7.1f} {cpu:7.1f}")
        connection.close()
    print(f"end of the measures; {load()}")
    print("\nEXPLAIN QUERY PLAN of the event browser's result queries (SQLite):")
    app = create_app({"DATABASE_URL": url, "IASSIST_TODAY": TODAY, "RESPONSE_CACHE_SIZE": 0})
    engine = get_engine(app)
    filters = [
        EventFilter(),
        EventFilter(year_from=2000, year_to=2009),
        EventFilter(kind="regional_workshop"),
        EventFilter(region="europe"),
        EventFilter(kind="regional_workshop", region="europe"),
        EventFilter(year_from=2000, year_to=2009, kind="joint_meeting", region="canada"),
    ]
    with engine.connect() as connection_:
        for flt in filters:
            for name, statement in result_statements(flt, TODAY).items():
                # The seeks' cursor and the year counted over: the middle of the list.
                statement = statement.params(
                    cursor_year=2001,
                    cursor_day=date(2001, 5, 3),
                    cursor_slug="synthetic-050000",
                    segment_year=2001,
                    year_limit=(flt.year_to or 9999)
                    if name in ("upcoming_after", "past_before")
                    else (flt.year_from or 0),
                )
                sql = str(statement.compile(engine, compile_kwargs={"literal_binds": True}))
                plan = connection_.exec_driver_sql("EXPLAIN QUERY PLAN " + sql).all()
                steps = "; ".join(str(row[-1]) for row in plan)
                print(f"  {flt.to_args() or 'no filter'!s:62} {name:20} {steps}")
    print(
        "\nThe programme search's statements, slowest first (the first request of a fresh"
        " process, in-process, SQLite):"
    )
    for name, template, headers in talk_cases():
        path = template.format(**pages)
        print(f"  {name}: {path}")
        for elapsed, sql, steps in request_plans(url, path, headers)[:4]:
            print(f"    {elapsed:7.1f} ms  {sql[:150]}")
            print(f"               {steps}")
    engine.dispose()


def section_nginx(folder: Path, url: str) -> None:
    """Section 5."""
    print("\n== 5. One process against two behind nginx (wrk, 64 connections) ==")
    if not shutil.which("nginx"):
        print("nginx is not installed: run `bash scripts/system-deps.sh --test`")
        return
    path, headers = "/de/events/?type=regional_workshop", HTMX
    env = site_env(folder, url)
    with waitress("wsgi:app", env) as one, waitress("wsgi:app", env) as two:
        print(f"one waitress process, directly:       {wrk(one[0], path, headers):9,.0f} req/s")
        app = create_app({"DATABASE_URL": url, "IASSIST_TODAY": TODAY})
        static = str(app.extensions["assets"]["folder"])
        for cache, label in (
            (False, "two processes behind nginx, no cache:"),
            (True, "nginx micro-cache (s-maxage 2 s):   "),
        ):
            run = Path(tempfile.mkdtemp(prefix="nginx-", dir=folder))
            port = free_port()
            config = run / "nginx.conf"
            config.write_text(
                render(
                    [f"127.0.0.1:{one[0]}", f"127.0.0.1:{two[0]}"],
                    f"127.0.0.1:{port}",
                    static,
                    str(run),
                    str(run),
                    str(run / "cache"),
                    "root" if os.getuid() == 0 else None,
                    cache=cache,
                )
            )
            nginx = subprocess.Popen(
                [
                    "nginx",
                    "-c",
                    str(config),
                    "-p",
                    str(run),
                    "-e",
                    str(run / "error.log"),
                    "-g",
                    "daemon off;",
                ]
            )
            try:
                time.sleep(1)
                print(f"{label} {wrk(port, path, headers):9,.0f} req/s")
            finally:
                nginx.terminate()
                nginx.wait(timeout=10)


def main() -> None:
    """Run every section and print the figures."""
    quick = "--quick" in sys.argv
    only = {arg.split("=", 1)[1] for arg in sys.argv if arg.startswith("--only=")}
    wanted = only or {"render", "throughput", "weight", "scale", "nginx"}
    print(f"IASSIST benchmark, {time.strftime('%Y-%m-%d %H:%M:%S')}; {load()}")
    with tempfile.TemporaryDirectory(prefix="iassist-bench-") as tmp:
        folder = Path(tmp)
        url, _app = prepare_store(folder)
        with waitress("tools.hello_app:app", {}) as hello:
            if "render" in wanted:
                section_render(folder, url, hello)
            if "throughput" in wanted:
                if shutil.which("wrk"):
                    section_throughput(folder, url, hello[0])
                else:
                    print("\nwrk is not installed: run `bash scripts/system-deps.sh --test`")
        if "weight" in wanted:
            section_weight(folder, url)
        if "scale" in wanted:
            section_scale(folder, quick)
        if "nginx" in wanted:
            section_nginx(folder, url)
    print(f"\nend; {load()}")


if __name__ == "__main__":
    main()
