"""waitress's own error responses with the site's security headers.

waitress answers some requests without calling the application: a malformed request line
or header (400), a body over ``max_request_body_size`` (413), headers over
``max_request_header_size`` (431), an unsupported transfer coding (501), and an
exception the application let escape (500). These are plain-text responses it builds
itself, so the WSGI middleware (:mod:`webapp.security.headers`) never sees them; the
channel class here makes waitress add the same header set to them.

waitress (3.0) has no public hook for this: :data:`waitress.channel.HTTPChannel.error_task_class`
and :data:`waitress.server.BaseWSGIServer.channel_class` are class attributes it reads on
every connection, overridden here by subclassing; :func:`install` sets them on the
servers :func:`waitress.create_server` registered.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer
from waitress.task import ErrorTask

from webapp.security.headers import apply_security_headers


def _came_over_https(task: ErrorTask) -> bool:
    """Whether the failed request reached the proxy over HTTPS, as far as waitress read
    it: the server's ``url_scheme`` is https, or the trusted proxy's
    ``X-Forwarded-Proto`` says https (known only if the headers could be parsed)."""
    adj = task.channel.adj
    if adj.url_scheme == "https":
        return True
    proxy = adj.trusted_proxy
    if not proxy or "x-forwarded-proto" not in adj.trusted_proxy_headers:
        return False
    peer = task.channel.addr[0] if task.channel.addr else None
    if proxy != "*" and peer != proxy:
        return False
    headers = getattr(task.request, "headers", None) or {}
    forwarded = headers.get("X_FORWARDED_PROTO", "")
    return forwarded.split(",")[-1].strip().lower() == "https"


class SecureErrorTask(ErrorTask):
    """waitress's error response, with :func:`webapp.security.headers.security_headers`
    (HSTS when the request came over HTTPS, see :func:`_came_over_https`)."""

    def execute(self) -> None:
        """Waitress's :meth:`ErrorTask.execute` (3.0.2), with the security headers added
        before the head is written (``write`` sends it)."""
        request: Any = self.request
        status, headers, body = request.error.to_response(self.channel.server.adj.ident)
        self.status = status
        self.response_headers = [
            *self.response_headers,
            *apply_security_headers(headers, _came_over_https(self)),
        ]
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class SecureHTTPChannel(HTTPChannel):
    """waitress's HTTP channel whose error responses carry the security headers."""

    error_task_class = SecureErrorTask


def install(socket_map: MutableMapping[int, Any]) -> int:
    """Make every waitress server in ``socket_map`` (the ``map`` given to
    :func:`waitress.create_server`) use :class:`SecureHTTPChannel` for new connections.

    Returns:
        How many servers were changed (one per listening socket).
    """
    count = 0
    for dispatcher in list(socket_map.values()):
        if isinstance(dispatcher, BaseWSGIServer):
            dispatcher.channel_class = SecureHTTPChannel
            count += 1
    return count
