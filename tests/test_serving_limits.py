"""waitress's limits for a direct ``make serve`` (webapp.config.WAITRESS_LIMITS), over
real sockets: more idle and slow connections than waitress's default limit of 100 do not
lock a new visitor out, and a large body is refused before it is read."""

from __future__ import annotations

import socket

from tests.test_security_headers import raw_request


def test_a_visitor_is_served_while_300_idle_and_slow_connections_are_open(live_server):
    held = []
    try:
        for i in range(300):
            sock = socket.create_connection(("127.0.0.1", live_server.port), timeout=10)
            if i % 2:  # a slow client: the start of a request, never finished
                sock.sendall(b"GET /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            held.append(sock)
        status, headers, body = raw_request(
            live_server, b"GET /en/events/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        assert status == 200
        assert b"<h1" in body
        # The held connections are still open, not refused: a slow one can finish.
        held[1].sendall(b"1\r\nConnection: close\r\n\r\n")
        assert held[1].recv(12) == b"HTTP/1.1 200"
    finally:
        for sock in held:
            sock.close()


def test_a_large_body_is_refused_before_it_is_sent(live_server):
    status, headers, body = raw_request(
        live_server,
        b"GET /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10485760\r\n\r\n",
    )
    assert status == 413
    assert headers["X-Content-Type-Options"] == "nosniff"
