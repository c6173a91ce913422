"""The security headers on every kind of response, over real waitress, scored by the
Mozilla Observatory's rules (tests/observatory.py): 135 for every HTML page with its
scripts, and for every other response every point the rules can give it (their SRI
test gives 0 to a response that is not HTML or has no script: 130 there)."""

from __future__ import annotations

import base64
import hashlib
import re
import socket
from http.client import HTTPResponse
from pathlib import Path

import pytest

from tests.conftest import LiveServer
from tests.observatory import score_response

STATIC = Path(__file__).resolve().parent.parent / "static"

EXPECTED = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'"
    ),
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
HSTS = "max-age=63072000"
#: Outcomes that earn every point a response can get (tests/observatory.py's names).
BEST = {
    "csp-implemented-with-no-unsafe-default-src-none": 10,
    "x-frame-options-implemented-via-csp": 5,
    "referrer-policy-private": 5,
    "corp-implemented-with-same-origin": 10,
    "hsts-implemented-max-age-at-least-six-months": 0,
    "x-content-type-options-nosniff": 0,
    "cookies-not-found": 0,
    "cross-origin-resource-sharing-not-implemented": 0,
}


def raw_request(server, data: bytes):
    """Send ``data`` as is; (status, headers, body) of the answer."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(data)
        response = HTTPResponse(sock, method=data.split(b" ", 1)[0].decode("ascii", "replace"))
        response.begin()
        return response.status, response.headers, response.read()


def request(server, path, method="GET", headers=None, https=True, host="127.0.0.1", body=b""):
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: close"]
    if https:
        lines += ["X-Forwarded-Proto: https", "X-Forwarded-For: 203.0.113.9"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return raw_request(server, ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)


@pytest.fixture
def app(brochure_site):  # noqa: F811
    return brochure_site.app


@pytest.fixture
def proxied(app):
    """The site behind a TLS proxy at 127.0.0.1 (X-Forwarded-Proto trusted from it)."""
    with LiveServer(
        app,
        trusted_proxy="127.0.0.1",
        trusted_proxy_count=1,
        trusted_proxy_headers="x-forwarded-for x-forwarded-host x-forwarded-proto",
    ) as server:
        yield server


KINDS = {
    # kind: (path, method, extra headers, expected status, HTML page with scripts?)
    "home page": ("/en/", "GET", {}, 200, True),
    "event browser": ("/fr/events/?year=2025", "GET", {}, 200, True),
    "event page": ("/de/events/2025-conference-bristol/", "GET", {}, 200, True),
    "htmx fragment": ("/en/events/?year=2025", "GET",
                      {"HX-Request": "true", "HX-Target": "event-results"}, 200, False),
    "HEAD of a page": ("/es/about/", "HEAD", {}, 200, False),
    "400 bad parameter": ("/en/events/?year=abcd", "GET", {}, 400, True),
    "400 untrusted host": ("/en/", "GET", {"X-Forwarded-Host": "evil.example"}, 400, True),
    "404": ("/pt/nowhere/", "GET", {}, 404, True),
    "405": ("/en/", "POST", {}, 405, True),
    "302 redirect": ("/", "GET", {"Accept-Language": "de"}, 302, False),
    "308 trailing slash": ("/en/events", "GET", {}, 308, False),
    "301 favicon": ("/favicon.ico", "GET", {}, 301, False),
    "PDF download": ("/en/media/brochure-fr.pdf", "GET", {}, 200, False),
    "206 PDF range": ("/en/media/factsheet-de.pdf", "GET", {"Range": "bytes=0-99"}, 206, False),
    "416 PDF range": ("/en/media/factsheet-de.pdf", "GET", {"Range": "bytes=99999999-"}, 416,
                      True),
    "412 PDF If-Match": ("/en/media/factsheet-de.pdf", "GET", {"If-Match": '"nope"'}, 412, True),
    "static CSS": ("/static/css/site.css", "GET", {}, 200, False),
    "static script": ("/static/js/site.js", "GET", {}, 200, False),
    "static font": ("/static/fonts/source-sans-3-latin-400-normal.woff2", "GET", {}, 200, False),
    "static 404": ("/static/js/nothing.js", "GET", {}, 404, True),
    "iCalendar of the events": ("/fr/events/calendar.ics?type=regional_workshop", "GET", {}, 200,
                                False),
    "iCalendar of one event": ("/en/events/2025-conference-bristol/calendar.ics", "GET", {}, 200,
                               False),
    "Atom feed": ("/de/events/feed.atom", "GET", {}, 200, False),
    "sitemap": ("/sitemap.xml", "GET", {}, 200, False),
    "robots.txt": ("/robots.txt", "GET", {}, 200, False),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_of_response_carries_the_headers_and_scores_best(proxied, kind):
    path, method, headers, status, page = KINDS[kind]
    got, response_headers, body = request(proxied, path, method, headers)
    assert got == status, (kind, body[:300])
    for name, value in EXPECTED.items():
        assert response_headers.get_all(name) == [value], (kind, name)
    assert response_headers["Strict-Transport-Security"] == HSTS
    assert "Server" not in response_headers
    score = score_response(response_headers, body, "https://127.0.0.1" + path)
    for outcome, points in BEST.items():
        if outcome == "cookies-not-found" and response_headers.get("Set-Cookie"):
            assert score.outcomes["cookies-secure-with-httponly-sessions-and-samesite"] == 5
            continue
        assert score.outcomes.get(outcome) == points, (kind, score.outcomes)
    if page:
        assert score.outcomes["sri-implemented-and-all-scripts-loaded-securely"] == 5
        assert score.total >= 135, (kind, score.outcomes)
    else:
        assert set(score.outcomes) & {
            "sri-not-implemented-response-not-html",
            "sri-not-implemented-but-no-scripts-loaded",
        }, (kind, score.outcomes)
        assert score.total >= 130, (kind, score.outcomes)


def test_plain_http_gets_the_same_headers_without_hsts(live_server):
    for path in ("/en/", "/static/css/site.css", "/en/nowhere/"):
        _, headers, _ = request(live_server, path, https=False)
        for name, value in EXPECTED.items():
            assert headers[name] == value
        assert "Strict-Transport-Security" not in headers
        assert "Server" not in headers


def test_forwarded_proto_is_ignored_from_an_untrusted_peer(live_server):
    """Without TRUSTED_PROXY, waitress drops X-Forwarded-*: no HSTS for a forged https."""
    _, headers, _ = request(live_server, "/en/", https=True)
    assert "Strict-Transport-Security" not in headers


@pytest.mark.parametrize(
    ("kind", "data", "status"),
    [
        ("malformed request line", b"GET\r\n\r\n", 400),
        ("body over the limit", b"POST /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
         b"X-Forwarded-Proto: https\r\nContent-Length: 10000000\r\n\r\n", 413),
        ("headers over the limit", b"GET /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
         + b"a" * 40000 + b"\r\n\r\n", 431),
        ("unsupported transfer coding", b"POST /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
         b"Transfer-Encoding: gzip\r\n\r\n", 501),
    ],
)
def test_waitress_own_errors_carry_the_headers(proxied, kind, data, status):
    got, headers, body = raw_request(proxied, data)
    assert got == status, (kind, body)
    for name, value in EXPECTED.items():
        assert headers[name] == value, (kind, name)
    assert "Server" not in headers
    assert b"waitress" not in body
    if status == 413:  # its headers were read: the trusted proxy said https
        assert headers["Strict-Transport-Security"] == HSTS


def sri(path: Path) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(path.read_bytes()).digest()).decode()


@pytest.mark.parametrize("path", ["/en/events/", "/fr/events/2025-conference-bristol/"])
def test_every_script_has_the_integrity_of_its_file(client, path):
    page = client.get(path).get_data(as_text=True)
    scripts = re.findall(r"<script\b[^>]*\bsrc=[^>]*>", page)
    assert len(scripts) == 2
    for tag in scripts:
        src = re.search(r'src="([^"]+)"', tag).group(1)
        integrity = re.search(r'integrity="([^"]+)"', tag).group(1)
        assert src.startswith("/static/")
        assert integrity == sri(STATIC / src.removeprefix("/static/").split("?")[0])
