"""Trusted hosts over real waitress: an unknown or malformed Host (or X-Forwarded-Host
from the trusted proxy) is a localized 400 page whose links are paths, never a 500 and
never a redirect built from it; X-Forwarded-* count only from the configured proxy."""

from __future__ import annotations

import socket
from http.client import HTTPResponse

import pytest
from webapp.config import ConfigError, check_settings, settings_from_env
from webapp.security.hosts import parse_trusted_hosts

from tests.conftest import LiveServer, make_app

LONG_LABEL = "a" * 64


def raw_request(server, data: bytes):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(data)
        response = HTTPResponse(sock, method="GET")
        response.begin()
        return response.status, response.headers, response.read()


def get(server, path, host, extra=""):
    head = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n{extra}\r\n"
    return raw_request(server, head.encode("latin-1"))


REFUSED_HOSTS = [
    f"{LONG_LABEL}.example.org",
    f"{LONG_LABEL}",
    "localhost..",
    "..",
    "a..b",
    "[::1]",
    "[::1]:8000",
    "[fe80::1%25eth0]",
    "localhost:99999",
    "localhost:0",
    "localhost:-1",
    "",
    " ",
    "evil.example",
    "evil.example:80",
    "localhost.evil.example",
    "127.0.0.1.nip.io",
    "localhost/..",
    "local%68ost",
    "xn--localhost",
]


@pytest.mark.parametrize("host", REFUSED_HOSTS)
@pytest.mark.parametrize("path", ["/fr/", "/fr/events", "/", "/fr/events/?year=abcd", "/fr/nowhere/"])
def test_a_refused_host_gets_the_localized_400_page(live_server, host, path):
    status, headers, body = get(live_server, path, host)
    assert status == 400, (host, path, body[:200])
    assert "Location" not in headers
    page = body.decode("utf-8")
    assert "Traceback" not in page
    if path == "/":
        assert '<html lang="en">' in page  # negotiated: no Accept-Language, no cookie
    else:
        assert '<html lang="fr">' in page
        assert "Requête incorrecte" in page
        assert '<a href="/fr/">' in page  # links are paths
    assert "evil" not in page and LONG_LABEL not in page and "nip.io" not in page
    assert headers["Content-Security-Policy"].startswith("default-src 'none'")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "127.0.0.1:8000", "localhost:80"])
def test_trusted_hosts_with_or_without_port_are_served(live_server, host):
    status, _, body = get(live_server, "/en/", host)
    assert status == 200
    assert b'<html lang="en">' in body


def test_the_trailing_slash_redirect_goes_to_a_path_on_a_trusted_host(live_server):
    status, headers, _ = get(live_server, "/en/events", "localhost:8000")
    assert status == 308
    assert headers["Location"] in ("/en/events/", "http://localhost:8000/en/events/")


def test_no_host_header_at_all_is_refused(live_server):
    status, _, body = raw_request(live_server, b"GET /en/ HTTP/1.0\r\n\r\n")
    assert status == 400
    assert b"Traceback" not in body


def test_x_forwarded_host_is_ignored_without_a_trusted_proxy(live_server):
    status, headers, body = get(live_server, "/", "localhost", "X-Forwarded-Host: evil.example\r\n")
    assert status == 302
    assert headers["Location"] == "/en/"
    assert b"evil" not in body


@pytest.fixture
def proxied(app):
    with LiveServer(app, trusted_proxy="127.0.0.1", trusted_proxy_count=1,
                    trusted_proxy_headers="x-forwarded-for x-forwarded-host x-forwarded-proto") as s:
        yield s


@pytest.mark.parametrize("host", [f"{LONG_LABEL}.example.org", "..", "evil.example", "[::1]"])
def test_x_forwarded_host_from_the_trusted_proxy_is_checked_too(proxied, host):
    status, headers, body = get(proxied, "/en/events", "localhost",
                                f"X-Forwarded-Host: {host}\r\nX-Forwarded-For: 203.0.113.9\r\n")
    assert status == 400
    assert "Location" not in headers
    assert b'<html lang="en">' in body


def test_x_forwarded_host_from_the_trusted_proxy_names_the_site(proxied):
    status, headers, _ = get(proxied, "/", "127.0.0.1",
                             "X-Forwarded-Host: localhost\r\nX-Forwarded-For: 203.0.113.9\r\n")
    assert status == 302
    assert headers["Location"] == "/en/"


def test_force_https_redirects_a_trusted_host_only(tmp_path):
    app = make_app(tmp_path, FORCE_HTTPS=True)
    client = app.test_client()
    response = client.get("/en/about/?x=1", headers={"Host": "localhost"})
    assert response.status_code == 308
    assert response.headers["Location"] == "https://localhost/en/about/?x=1"
    response = client.get("/en/about/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "Location" not in response.headers
    response = client.get("/en/", base_url="https://localhost")
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=63072000"


def test_trusted_hosts_setting(monkeypatch, tmp_path):
    def checked():
        return check_settings(settings_from_env(str(tmp_path)))["TRUSTED_HOSTS"]

    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    assert checked() == ["localhost", "127.0.0.1"]
    monkeypatch.setenv("TRUSTED_HOSTS", "iassist.example.org, WWW.iassist.example.org .example.net")
    assert checked() == ["iassist.example.org", "www.iassist.example.org", ".example.net"]
    for bad in ["", " , ", "example.org:8000", "https://example.org", "[::1]", "a..b",
                f"{LONG_LABEL}.org", "-a.org", "exa mple.org/x"]:
        with pytest.raises(ValueError, match="TRUSTED_HOSTS"):
            parse_trusted_hosts(bad)
        monkeypatch.setenv("TRUSTED_HOSTS", bad)
        with pytest.raises(ConfigError, match="TRUSTED_HOSTS="):
            checked()
