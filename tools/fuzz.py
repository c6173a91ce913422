"""A seeded, bounded HTTP fuzzer for the site, over real sockets to real waitress.

Each request is generated from a fixed seed (the same seed gives the same requests), sent
as raw bytes on its own connection, and its answer checked: no 5xx other than a
deliberate 501 (waitress: an unsupported transfer coding or method) or 503 (a locked
database), and every answer carries the security headers of
:mod:`webapp.security.headers` and no ``Server`` header.

What is varied: paths (real routes, traversal in many encodings, NUL and invalid UTF-8,
overlong and oversized paths, absolute-form and odd request lines), query strings (the
event filter's parameters with hostile values), headers (``Host``, ``X-Forwarded-*``,
``Accept-Language``, ``Cookie``, ``Range``, ``If-None-Match``, ``If-Modified-Since``, the
``HX-*`` headers, oversized and repeated headers), methods, and bodies (with a length, too
long, chunked, broken chunks).

Used by ``tests/test_fuzz.py`` (2,000+ requests in the test suite) and by ``make fuzz``
(``python tools/fuzz.py``: 10,000 by default against a throwaway copy of the site, with
the brochures built); both report the counts by status.
"""

from __future__ import annotations

import argparse
import logging
import random
import socket
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.client import HTTPException, HTTPResponse
from typing import Any

#: Headers every answer must carry (present and not empty; tests/test_security_headers.py
#: checks their values).
REQUIRED_HEADERS = (
    "Content-Security-Policy",
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Resource-Policy",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
)
#: 5xx statuses that are deliberate answers, not failures.
DELIBERATE_5XX = {501, 503}

SLUGS = [
    "1974-joint-meeting-toronto",
    "1995-conference-quebec",
    "2025-conference-bristol",
    "2027-conference-vancouver",
    "2026-workshop-entebbe",
]
LOCALES = ["en", "fr", "de", "pt", "es"]
PAGES = [
    "/",
    "/{l}/",
    "/{l}/about/",
    "/{l}/conferences/",
    "/{l}/events/",
    "/{l}/events/{slug}/",
    "/{l}/media/brochure-{l2}.pdf",
    "/{l}/media/factsheet-{l2}.pdf",
    "/{l}/media/brochure-fr-2012-06.pdf",
    "/{l}/media/factsheet-en-2016-06.pdf",
    "/{l}/events/calendar.ics",
    "/{l}/events/feed.atom",
    "/{l}/events/{slug}/calendar.ics",
    "/sitemap.xml",
    "/robots.txt",
    "/static/css/site.css",
    "/static/js/site.js",
    "/static/js/vendor/htmx-2.0.11.min.js",
    "/static/img/favicon.svg",
    "/favicon.ico",
]
TRAVERSALS = [
    "/static/../webapp/config.py",
    "/static/%2e%2e/webapp/config.py",
    "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/static/..%2f..%2f..%2fetc/passwd",
    "/static/%252e%252e/%252e%252e/etc/passwd",
    "/static/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "/static/..\\..\\webapp\\config.py",
    "/static//etc/passwd",
    "/static/css/site.css%00.png",
    "/static/css/site.css/..",
    "/static/./css/./site.css",
    "/en/media/../../../../etc/passwd",
    "/en/media/brochure-fr.pdf/..",
    "/en/media/%2e%2e/%2e%2e/instance/iassist.sqlite3",
    "/en/media/brochure-fr.pdf%00",
    "/en/media/brochure-xx.pdf",
    "/en/media/BROCHURE-FR.PDF",
    "/../../../../etc/passwd",
    "//etc/passwd",
    "/%2f%2fevil.example/",
    "/en/events/..%2f..%2f",
    "/en/events/%00/",
    "/en/events/%ff%fe/",
    "/en/events/\u00e9v\u00e9nement/",
    "/en/%e2%80%ae/",
    "/en/events/;jsessionid=1/",
    "/instance/iassist.sqlite3",
    "/wsgi.py",
    "/.git/config",
    "/en/events/{slug}/../../about/",
]
QUERY_KEYS = ["year", "type", "region", "page", "q", "sort", "lang", "year[]", "", "%00"]
QUERY_VALUES = [
    "2025",
    "1974",
    "2000-2009",
    "1990-1999",
    "0",
    "-1",
    "99999999999999999999",
    "1e3",
    "0x7e9",
    "%D9%A2%D9%A0%D9%A2%D9%A4",
    "２０２５",
    "annual_conference",
    "regional_workshop",
    "joint_meeting",
    "europe",
    "online",
    "mars",
    "",
    "%00",
    "%",
    "%zz",
    "%25",
    "'%20OR%201=1--",
    "<script>alert(1)</script>",
    "%3Cscript%3E",
    "..%2f..%2f",
    "\u00e9",
    "%c3%28",
    "a" * 300,
    "x" * 5000,
    "2025&year=2026",
    "NaN",
    "true",
    "[]",
    "{}",
]
HOSTS = [
    "127.0.0.1",
    "localhost",
    "localhost:8000",
    "evil.example",
    "a" * 64 + ".example.org",
    "a" * 300,
    "localhost..",
    "..",
    "[::1]",
    "[::1]:8000",
    "localhost:99999",
    "localhost:0",
    "",
    " ",
    "local host",
    "localhost\tx",
    "xn--n3h.example",
    "\u00e9.example",
    "localhost, evil.example",
    "localhost/../",
    "@evil.example",
]
ACCEPT_LANGUAGES = [
    "fr",
    "de-AT,de;q=0.9,en;q=0.5",
    "pt-BR",
    "*",
    "zz-ZZ",
    "en;q=abc",
    "en;q=-1",
    "en;q=1e400",
    ",,,;;;",
    "x" * 2000,
    ", ".join(f"l{i};q=0.{i % 10}" for i in range(400)),
    "\u00e9",
    "fr;q=0.5, es;q=0.9",
]
COOKIES = [
    "locale=fr",
    "locale=xx",
    "locale=",
    "locale=../../etc",
    'locale="fr"',
    "locale=fr; locale=de",
    "=; ;=;",
    "a" * 4000 + "=1",
    "; ".join(f"c{i}=v{i}" for i in range(300)),
    "session=\x01\x02",
    "locale=%00",
]
RANGES = [
    "bytes=0-99",
    "bytes=0-",
    "bytes=-1",
    "bytes=-0",
    "bytes=5-1",
    "bytes=0-0,1-1,2-2",
    ",".join(f"bytes={i}-{i}" for i in range(200)),
    "bytes=99999999999999999999-",
    "bytes=abc",
    "items=0-1",
    "bytes=--1",
    "bytes=0-99, 200-",
    "",
]
ETAGS = ["*", '"abc"', 'W/"abc"', "abc", '"' + "a" * 3000 + '"', '"a", "b", W/"c"', '"', ",,,"]
DATES = ["Thu, 01 Jan 1970 00:00:00 GMT", "yesterday", "Fri, 31 Dec 9999 23:59:59 GMT", "0", ""]
HX_HEADERS = [
    {"HX-Request": "true", "HX-Target": "event-results"},
    {"HX-Request": "true", "HX-Target": "event-results", "HX-History-Restore-Request": "true"},
    {"HX-Request": "false"},
    {"HX-Request": "TRUE", "HX-Target": "x" * 500},
    {"HX-Request": "true", "HX-Target": "<script>"},
    {"HX-Request": "true", "HX-Current-URL": "http://evil.example/"},
    {"HX-Request": "true", "HX-Boosted": "true", "HX-Trigger": "\u00e9"},
    {"HX-Request": "true", "HX-Trigger-Name": "year", "HX-Prompt": "a" * 1000},
]
METHODS = [
    "GET",
    "GET",
    "GET",
    "GET",
    "HEAD",
    "POST",
    "PUT",
    "DELETE",
    "PATCH",
    "OPTIONS",
    "TRACE",
    "CONNECT",
    "PROPFIND",
    "get",
    "G\x00T",
    "X" * 300,
]


@dataclass
class FuzzRequest:
    """One generated request: ``category`` (what was varied), ``method``, the raw bytes
    to send, and whether they form a complete HTTP request (``complete``). An incomplete
    one (bare LF line ends, which waitress does not take as the end of the head; a body
    shorter than its declared length; a chunk cut short) may be closed without an answer
    once the client stops sending; a complete one must be answered."""

    category: str
    method: str
    data: bytes
    complete: bool = True


def _path(rng: random.Random) -> str:
    template = rng.choice(PAGES)
    return template.format(l=rng.choice(LOCALES), l2=rng.choice(LOCALES), slug=rng.choice(SLUGS))


def _query(rng: random.Random) -> str:
    pairs = []
    for _ in range(rng.randint(1, 5)):
        key = rng.choice(QUERY_KEYS)
        value = rng.choice(QUERY_VALUES)
        pairs.append(value if rng.random() < 0.05 else f"{key}={value}")
    return "?" + rng.choice(["&", ";", "&&"]).join(pairs)


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _fuzz_path(rng: random.Random) -> tuple[str, str]:
    kind = rng.random()
    if kind < 0.45:
        return "paths", rng.choice(TRAVERSALS).format(slug=rng.choice(SLUGS))
    if kind < 0.6:
        path = _path(rng)
        cut = rng.randint(0, len(path))
        noise = rng.choice(
            ["%", "%0", "%00", "%ff", "..", "//", "\\", ";", "#", "?", "~", "\u2028"]
        )
        return "paths", path[:cut] + noise + path[cut:]
    if kind < 0.7:
        return "paths", "/" + "a/" * rng.randint(100, 4000)
    if kind < 0.8:
        return "paths", rng.choice(["*", "http://evil.example/en/", "http://localhost/en/", "en/"])
    return "queries", f"/{rng.choice(LOCALES)}/events/" + _query(rng)


def generate(seed: int, count: int) -> Iterator[FuzzRequest]:
    """``count`` requests generated from ``seed`` (deterministic).

    Yields:
        :class:`FuzzRequest` values; about a third vary the path or query string, a third
        the headers, the rest methods, bodies and the request line itself.
    """
    rng = random.Random(seed)
    for _ in range(count):
        roll = rng.random()
        method = "GET"
        version = "HTTP/1.1"
        headers: list[tuple[str, str]] = [("Host", rng.choice(HOSTS[:3]))]
        body = b""
        complete = True
        if roll < 0.35:
            category, target = _fuzz_path(rng)
        else:
            target = _path(rng) + (_query(rng) if rng.random() < 0.3 else "")
            if roll < 0.7:
                category = "headers"
                for _ in range(rng.randint(1, 4)):
                    headers += _header(rng)
            elif roll < 0.8:
                category = "methods"
                method = rng.choice(METHODS)
            elif roll < 0.92:
                category = "bodies"
                method = rng.choice(["POST", "PUT", "GET", "PATCH"])
                headers, body, complete = _body(rng, headers)
            else:
                category = "request line"
                version = rng.choice(
                    ["HTTP/1.0", "HTTP/2.0", "HTTP/1.1 x", "HTTP/9.9", "HTTP/1", "", "http/1.1"]
                )
        lines = [f"{method} {target} {version}".rstrip(" ")]
        lines += [f"{name}: {value}" for name, value in headers]
        lines.append("Connection: close")
        newline = "\r\n"
        if rng.random() < 0.03:
            newline, complete = "\n", False
        head = newline.join(lines) + newline + newline
        yield FuzzRequest(category, method, _encode(head) + body, complete)


def _header(rng: random.Random) -> list[tuple[str, str]]:
    pick = rng.randrange(11)
    if pick == 0:
        return [("Host", rng.choice(HOSTS))]
    if pick == 1:
        return [("Accept-Language", rng.choice(ACCEPT_LANGUAGES))]
    if pick == 2:
        return [("Cookie", rng.choice(COOKIES))]
    if pick == 3:
        return [("Range", rng.choice(RANGES))]
    if pick == 4:
        return [(rng.choice(["If-None-Match", "If-Match", "If-Range"]), rng.choice(ETAGS))]
    if pick == 5:
        return [("If-Modified-Since", rng.choice(DATES))]
    if pick == 6:
        return list(rng.choice(HX_HEADERS).items())
    if pick == 7:
        return [(f"X-Big-{i}", "b" * rng.choice([100, 8000, 20000])) for i in range(3)]
    if pick == 8:
        return [
            (name, rng.choice(["evil.example", "https", "1.2.3.4, 5.6.7.8", "a" * 500, ""]))
            for name in ("X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-For")
        ]
    if pick == 9:
        return [(f"X-H{i}", str(i)) for i in range(rng.choice([10, 100, 300]))]
    return [
        (
            rng.choice(
                ["Content-Type", "Accept", "Accept-Encoding", "User-Agent", "Bad Name", "é"]
            ),
            rng.choice(["\u00e9\u00e8", "a\x00b", "text/html;;;", "*/*; q=abc", "x" * 1000]),
        )
    ]


def _body(
    rng: random.Random, headers: list[tuple[str, str]]
) -> tuple[list[tuple[str, str]], bytes, bool]:
    """Headers and body of a request with a body, and whether it is complete."""
    pick = rng.randrange(5)
    if pick == 0:
        body = rng.randbytes(rng.randint(0, 4000))
        return [*headers, ("Content-Length", str(len(body)))], body, True
    if pick == 1:
        size = rng.choice([8193, 65536, 10_000_000])  # over the limit: 413 before the body
        return [*headers, ("Content-Length", str(size))], b"", True
    if pick == 2:
        sizes = (5, 100, 1000)
        chunks = b"".join(b"%x\r\n" % n + b"c" * n + b"\r\n" for n in sizes) + b"0\r\n\r\n"
        return [*headers, ("Transfer-Encoding", "chunked")], chunks, True
    if pick == 3:
        broken, complete = rng.choice(
            [(b"zz\r\nabc\r\n0\r\n\r\n", True), (b"-1\r\n\r\n", True), (b"fffffff\r\n", False)]
        )
        return [*headers, ("Transfer-Encoding", "chunked")], broken, complete
    length = rng.choice(["-1", "abc", "1, 2", "00000000000000000001", "3", " 5"])
    return (
        [
            *headers,
            ("Content-Length", length),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        b"a=b",
        length != " 5",  # 5 declared, 3 sent
    )


@dataclass
class FuzzReport:
    """Counts by status (``None``: the connection closed without an answer), by category,
    and the failures (``(category, request bytes[:300], reason)``)."""

    statuses: Counter = field(default_factory=Counter)
    categories: Counter = field(default_factory=Counter)
    failures: list[tuple[str, bytes, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Requests sent."""
        return sum(self.statuses.values())

    def summary(self) -> str:
        """One line per status, then per category."""
        by_status = ", ".join(
            f"{status if status is not None else 'no answer'}: {n}"
            for status, n in sorted(
                self.statuses.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)
            )
        )
        by_category = ", ".join(f"{c}: {n}" for c, n in sorted(self.categories.items()))
        return (
            f"{self.total} requests; by status: {by_status}; by category: {by_category}; "
            f"failures: {len(self.failures)}"
        )


def send(host: str, port: int, request: FuzzRequest, timeout: float = 30) -> tuple[int | None, Any]:
    """Send ``request`` on a new connection; ``(status, headers)`` of the answer, or
    ``(None, None)`` when the server closed the connection without one."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        try:
            sock.sendall(request.data)
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server may answer (413, 431) and close before reading it all
        response = HTTPResponse(sock, method="HEAD" if request.method == "HEAD" else "GET")
        try:
            response.begin()
            response.read()
        except (HTTPException, ConnectionError):
            return None, None
        return response.status, response.headers


def check(request: FuzzRequest, status: int | None, headers: Any) -> str | None:
    """Why an answer to ``request`` fails the fuzzer's rules, or None if it passes."""
    if status is None:
        return "no answer" if request.complete else None
    if status >= 500 and status not in DELIBERATE_5XX:
        return f"status {status}"
    missing = [name for name in REQUIRED_HEADERS if not headers.get(name)]
    if missing:
        return f"status {status} without {', '.join(missing)}"
    if headers.get("Server"):
        return f"Server header {headers['Server']!r}"
    return None


def run(
    host: str,
    port: int,
    seed: int,
    count: int,
    workers: int = 4,
    progress: Callable[[int], None] | None = None,
) -> FuzzReport:
    """Send ``count`` requests generated from ``seed`` to ``host:port`` over ``workers``
    connections at a time, and check every answer (:func:`check`).

    Returns:
        The :class:`FuzzReport`.
    """
    report = FuzzReport()
    lock = threading.Lock()

    def one(request: FuzzRequest) -> None:
        try:
            status, headers = send(host, port, request)
        except OSError as error:
            status, headers = None, None
            reason: str | None = f"connection error {error}"
        else:
            reason = check(request, status, headers)
        with lock:
            report.statuses[status] += 1
            report.categories[request.category] += 1
            if reason:
                report.failures.append((request.category, request.data[:300], reason))
            if progress:
                progress(report.total)

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, generate(seed, count)))
    return report


def main(argv: list[str] | None = None) -> int:
    """``make fuzz``: serve a throwaway copy of the site (bundled events, brochures built)
    with waitress as ``make serve`` does, fuzz it, print the counts; exit status 1 on any
    failure."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--no-brochures", action="store_true", help="skip building the PDFs")
    args = parser.parse_args(argv)

    # "Task queue depth is N": expected while the fuzzer keeps four requests in flight.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    from sqlmodel import Session
    from webapp import create_app
    from webapp.brochures.store import build_all
    from webapp.config import WAITRESS_LIMITS
    from webapp.db import create_schema, get_engine
    from webapp.events.loader import load_events
    from webapp.serve import create_site_server

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{folder}/fuzz.sqlite3",
                "OFFICIAL_BROCHURE_DIR": f"{folder}/official",
            }
        )
        create_schema(app)
        with Session(get_engine(app)) as session:
            load_events(session)
        if not args.no_brochures:
            build_all(app)
        server = create_site_server(app, host="127.0.0.1", port=0, **WAITRESS_LIMITS)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            report = run(
                "127.0.0.1",
                server.effective_port,
                args.seed,
                args.requests,
                progress=lambda n: (
                    print(f"\r{n} requests", end="", flush=True) if n % 500 == 0 else None
                ),
            )
        finally:
            server.close()
    print()
    print(f"seed {args.seed}: {report.summary()}")
    for category, data, reason in report.failures[:20]:
        print(f"FAIL {category}: {reason}: {data!r}")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
