"""The deployment of ``deploy/``, for real on loopback: Debian's nginx (configured by
``tools/nginx_conf.py``) in front of two waitress processes (``waitress-serve wsgi:app``,
as the systemd unit runs them) on the throwaway PostgreSQL server.

Checks pages and fragments through nginx, the micro-cache (a second request within the
cache time is answered by nginx), static files from disk with their precompressed
variants, a load reaching both processes within a second, and that 256 keep-alive
connections plus 200 slow sockets neither stop a probe request from being answered within
a second nor go unserved. Every loop is bounded; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import brotli
import pytest
from sqlmodel import Session
from tools.nginx_conf import render
from webapp.config import PROJECT_ROOT
from webapp.db import get_engine
from webapp.events.loader import EVENTS_FILE, TRANSLATIONS_FILE, load_events

from tests.conftest import TODAY, make_app
from tests.postgres_server import postgres_server

pytestmark = pytest.mark.postgres

BRISTOL = "/en/events/2025-conference-bristol/"
HTMX = {"HX-Request": "true", "HX-Target": "event-results", "HX-Trigger": "facet-type"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path, headers=None, timeout=10.0):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def wait_until_answering(port, process, seconds=60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process on port {port} exited with {process.returncode}")
        try:
            if get(port, "/en/", timeout=2)[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answers on port {port}")


class Stack:
    """The running deployment: ``nginx`` (port), ``apps`` (two ports), ``app`` (a Flask
    app on the same store, for loading data), ``folder`` (nginx's files)."""

    def __init__(self, app, nginx: int, apps: list[int], folder: Path):
        self.app, self.nginx, self.apps, self.folder = app, nginx, apps, folder


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("deploy")
    processes: list[subprocess.Popen] = []
    with postgres_server() as url:
        app = make_app(folder, DATABASE_URL=url)
        with Session(get_engine(app)) as session:
            load_events(session)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "IASSIST_TODAY": TODAY.isoformat(),
            "SHARED_CACHE_SECONDS": "60",
            "OFFICIAL_BROCHURE_DIR": str(folder / "official"),
        }
        waitress = str(Path(sys.executable).parent / "waitress-serve")
        try:
            ports = [free_port(), free_port()]
            for port in ports:
                processes.append(
                    subprocess.Popen(
                        [waitress, f"--listen=127.0.0.1:{port}", "--threads=4",
                         "--trusted-proxy=127.0.0.1",
                         "--trusted-proxy-headers=x-forwarded-for x-forwarded-host x-forwarded-proto",
                         "wsgi:app"],
                        cwd=PROJECT_ROOT, env=env,
                        stdout=subprocess.DEVNULL, stderr=open(folder / f"app-{port}.log", "w"),
                    )
                )
            for port, process in zip(ports, processes):
                wait_until_answering(port, process)
            nginx_port = free_port()
            config = folder / "nginx.conf"
            config.write_text(
                render(
                    [f"127.0.0.1:{p}" for p in ports],
                    f"127.0.0.1:{nginx_port}",
                    str(app.extensions["assets"]["folder"]),
                    run_dir=str(folder),
                    log_dir=str(folder),
                    cache_dir=str(folder / "cache"),
                    user="root" if os.getuid() == 0 else None,
                ),
                encoding="utf-8",
            )
            nginx = shutil.which("nginx") or "/usr/sbin/nginx"
            processes.append(
                subprocess.Popen(
                    [nginx, "-c", str(config), "-p", str(folder), "-e", str(folder / "error.log"),
                     "-g", "daemon off;"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )
            )
            wait_until_answering(nginx_port, processes[-1])
            yield Stack(app, nginx_port, ports, folder)
        finally:
            for process in reversed(processes):
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)
            get_engine(app).dispose()


def test_pages_and_fragments_through_nginx(stack):
    status, headers, body = get(stack.nginx, "/en/events/?type=regional_workshop")
    assert status == 200
    assert b"8 events" in body and body.lstrip().startswith(b"<!doctype")
    status, headers, body = get(stack.nginx, "/fr/events/?type=regional_workshop", HTMX)
    assert status == 200
    assert not body.lstrip().startswith(b"<!doctype") and b"8 \xc3\xa9v\xc3\xa9nements" in body
    assert headers["HX-Push-Url"] == "/fr/events/?type=regional_workshop"
    status, headers, body = get(stack.nginx, "/de/events/2025-conference-bristol/")
    assert status == 200 and b"Bristol" in body
    assert get(stack.nginx, "/en/events/?year=abc")[0] == 400


def test_a_second_request_within_the_cache_time_is_answered_by_nginx(stack):
    path = "/pt/events/?type=annual_conference&region=europe"
    first = get(stack.nginx, path)
    second = get(stack.nginx, path)
    assert first[0] == second[0] == 200
    assert first[1]["X-Cache-Status"] == "MISS"
    assert second[1]["X-Cache-Status"] == "HIT"
    assert second[2] == first[2]
    # The fragment of the same URL is another entry (Vary: HX-Request, …).
    fragment = get(stack.nginx, path, HTMX)
    assert fragment[1]["X-Cache-Status"] == "MISS"
    assert not fragment[2].lstrip().startswith(b"<!doctype")
    assert get(stack.nginx, path, HTMX)[1]["X-Cache-Status"] == "HIT"
    # The language choice sets a cookie and says no-store: never kept.
    for _ in range(2):
        status, headers, _ = get(stack.nginx, "/language/fr?next=/fr/")
        assert status == 303 and "Set-Cookie" in headers
        assert headers["X-Cache-Status"] != "HIT"


def test_static_files_come_from_disk_with_their_precompressed_variants(stack):
    html = get(stack.nginx, "/en/about/")[2].decode()
    css = html.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    status, headers, body = get(stack.nginx, css, {"Accept-Encoding": "gzip, br"})
    assert status == 200
    assert headers["Content-Encoding"] == "br"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "X-Cache-Status" not in headers  # not proxied to the app
    plain = get(stack.nginx, css)[2]
    assert brotli.decompress(body) == plain and b"@font-face" in plain


def test_a_load_is_served_by_both_processes_within_a_second(stack, tmp_path):
    for port in stack.apps:
        for _ in range(2):
            assert b"Bristol upon Avon" not in get(port, BRISTOL)[2]
    events = tmp_path / "events.csv"
    events.write_text(
        EVENTS_FILE.read_text(encoding="utf-8").replace(",Bristol,", ",Bristol upon Avon,"),
        encoding="utf-8",
    )
    try:
        with Session(get_engine(stack.app)) as session:
            assert load_events(session, events, TRANSLATIONS_FILE).updated == 1
        loaded = time.monotonic()
        pending = set(stack.apps)
        while pending and time.monotonic() - loaded < 1.0:
            pending = {p for p in pending if b"Bristol upon Avon" not in get(p, BRISTOL)[2]}
            time.sleep(0.05)
        assert not pending, f"processes still serving the old data after 1 s: {pending}"
    finally:
        with Session(get_engine(stack.app)) as session:
            load_events(session)


def _read_response(sock) -> bytes:
    """One HTTP response (headers and Content-Length body) from ``sock``."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed after {data[:80]!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed in the body")
        body += chunk
    return head


def test_keep_alive_and_slow_sockets_lock_nobody_out(stack):
    request = b"GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    keep_alive, slow = [], []
    try:
        for _ in range(256):
            sock = socket.create_connection(("127.0.0.1", stack.nginx), timeout=30)
            sock.sendall(request % b"/en/")
            keep_alive.append(sock)
        for sock in keep_alive:
            assert _read_response(sock).startswith(b"HTTP/1.1 200")
        for _ in range(200):
            sock = socket.create_connection(("127.0.0.1", stack.nginx), timeout=30)
            sock.sendall(b"GET /en/about/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1")
            slow.append(sock)
        # The probe: a visitor arriving now, on a page nobody has asked for yet (so the
        # app itself answers), is answered within a second.
        started = time.monotonic()
        status, headers, body = get(stack.nginx, "/es/events/?year=2000-2009&type=joint_meeting",
                                    timeout=5)
        waited = time.monotonic() - started
        assert status == 200 and headers["X-Cache-Status"] == "MISS"
        assert waited < 1.0, f"the probe waited {waited:.2f} s"
        # Every connection is served in the end: the slow ones finish their request, the
        # kept-alive ones send another.
        for sock in slow:
            sock.sendall(b"\r\n\r\n")
        for sock in slow:
            assert _read_response(sock).startswith(b"HTTP/1.1 200")
        for sock in keep_alive:
            sock.sendall(request % b"/fr/")
        for sock in keep_alive:
            assert _read_response(sock).startswith(b"HTTP/1.1 200")
    finally:
        for sock in keep_alive + slow:
            sock.close()
