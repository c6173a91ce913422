"""The site served by real waitress on a free port, fetched over HTTP."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from urllib.parse import urlsplit


def fetch(server, path, headers=None, method="GET"):
    """(status, headers, body) without following redirects."""
    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def test_events_page_over_http(live_server):
    status, headers, body = fetch(live_server, "/en/events/?type=regional_workshop")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Content-Language"] == "en"
    assert "HX-Request" in headers["Vary"]
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert b"8 events" in body
    assert b"6th IASSIST Africa Regional Workshop" in body


def test_root_redirects_by_accept_language_over_http(live_server):
    status, headers, _ = fetch(live_server, "/", {"Accept-Language": "de-AT,de;q=0.9,en;q=0.5"})
    assert status == 302
    assert headers["Location"].endswith("/de/")
    assert "Accept-Language" in headers["Vary"]


def test_htmx_fragment_over_http(live_server):
    status, headers, body = fetch(
        live_server, "/en/events/?year=2025", {"HX-Request": "true", "HX-Target": "event-results"}
    )
    assert status == 200
    assert not body.lstrip().startswith(b"<!doctype")
    assert headers["HX-Push-Url"] == "/en/events/?year=2025"


def test_static_files_and_vendored_htmx_over_http(live_server):
    with urllib.request.urlopen(live_server.url + "/static/js/vendor/htmx-2.0.11.min.js") as response:
        body = response.read()
    assert b'version:"2.0.11"' in body
    with urllib.request.urlopen(live_server.url + "/static/css/site.css") as response:
        assert response.headers["Content-Type"].startswith("text/css")


def test_bad_input_over_http_is_400_not_500(live_server):
    for path in ["/en/events/?year=%D9%A2%D9%A0%D9%A2%D9%A4", "/en/events/?year=2024&year=2025",
                 "/en/events/?region=" + "x" * 3000, "/en/events/?page=%00"]:
        status, _, body = fetch(live_server, path)
        assert status == 400, path
        assert b"Traceback" not in body


def test_unknown_paths_are_localized_404_over_http(live_server):
    status, headers, body = fetch(live_server, "/fr/nulle-part/")
    assert status == 404
    assert b'<html lang="fr">' in body
    try:
        urllib.request.urlopen(live_server.url + "/en/events/nope/")
    except urllib.error.HTTPError as error:
        assert error.code == 404
    else:  # pragma: no cover - the assertion above is the test
        raise AssertionError("expected 404")
