"""Trusted hosts: the only ``Host`` values the site answers to, and HTTPS redirects built
from them alone.

Flask checks every request's ``Host`` (or, behind the trusted proxy, the
``X-Forwarded-Host`` that waitress puts in its place) against ``TRUSTED_HOSTS`` before it
routes the request; an unknown or malformed host (a 64-character label, ``..``, an IPv6
literal, an empty value) is a :class:`werkzeug.exceptions.SecurityError`, answered with the
localized 400 page. That request has no URL adapter (Flask could not bind one to the
host), so :func:`ensure_url_adapter` gives the error page one bound to no host at all:
the page's links are paths, never built from the rejected value. No redirect is ever
built from an untrusted host: Flask's own redirects (trailing slash) need the adapter the
rejected request does not have, the site's views redirect to paths, and
:func:`redirect_to_https` uses the validated host only.

Werkzeug compares hosts by name, port ignored (``example.org`` matches
``example.org:8443``); an entry starting with a dot matches every subdomain. IPv6 literal
hosts cannot be listed (Werkzeug 3.1 splits entries at the first colon), so a request to
``http://[::1]:8000/`` is refused: use a name.
"""

from __future__ import annotations

import re

from flask import Flask, current_app, redirect, request
from flask.globals import request_ctx
from werkzeug.exceptions import SecurityError
from werkzeug.wrappers import Response as BaseResponse

#: Hosts answered when ``TRUSTED_HOSTS`` is not set: the local ``make serve`` and tests.
DEFAULT_TRUSTED_HOSTS: tuple[str, ...] = ("localhost", "127.0.0.1")

#: A host name or IPv4 address as Flask will compare it (IDNA-encoded, lower case), with
#: an optional leading dot for "this domain and its subdomains"; labels of 1-63
#: characters, no empty label (RFC 1035 §2.3.4).
_HOST_ENTRY = re.compile(
    r"^\.?(?!-)[a-z0-9-]{1,63}(?<!-)(?:\.(?!-)[a-z0-9-]{1,63}(?<!-))*$", re.IGNORECASE
)


def parse_trusted_hosts(value: str | None) -> list[str]:
    """The ``TRUSTED_HOSTS`` setting: host names separated by commas or spaces
    (``"iassist.example.org, www.iassist.example.org"``), or :data:`DEFAULT_TRUSTED_HOSTS`
    when ``value`` is None.

    Returns:
        The names, lower case, in the given order.

    Raises:
        ValueError: the value is empty, or an entry is not a host name or IPv4 address
            (e.g. has a port, a scheme, an empty or 64+ character label, or is an IPv6
            literal).
    """
    if value is None:
        return list(DEFAULT_TRUSTED_HOSTS)
    hosts = [h.strip().lower() for h in re.split(r"[,\s]+", value) if h.strip()]
    if not hosts:
        raise ValueError("TRUSTED_HOSTS is empty: list the host names the site answers to")
    for host in hosts:
        if not _HOST_ENTRY.match(host) or len(host.lstrip(".")) > 253:
            raise ValueError(f"TRUSTED_HOSTS: {host!r} is not a host name (no port or scheme)")
    return hosts


def host_rejected() -> bool:
    """Whether the current request's host was refused (Flask raised
    :class:`~werkzeug.exceptions.SecurityError` while binding its URL adapter)."""
    return isinstance(request.routing_exception, SecurityError)


def ensure_url_adapter() -> None:
    """Give the current request a URL adapter if it has none (its host was refused), bound
    to a placeholder server name: templates can then build the site's links, which are
    paths and never contain a host."""
    if request_ctx.url_adapter is None:
        request_ctx.url_adapter = current_app.url_map.bind(
            "localhost",
            script_name=request.root_path or "/",
            url_scheme="https" if request.is_secure else "http",
        )


def redirect_to_https() -> BaseResponse | None:
    """With ``FORCE_HTTPS``, a plain-HTTP request to a trusted host is redirected (308,
    method and body kept) to the same URL over HTTPS; None otherwise (a refused host gets
    its 400 instead, never a redirect)."""
    if not current_app.config.get("FORCE_HTTPS") or request.is_secure or host_rejected():
        return None
    return redirect("https://" + request.url.split("://", 1)[1], 308)


def init_app(app: Flask) -> None:
    """Register the HTTPS redirect (``FORCE_HTTPS``). ``TRUSTED_HOSTS`` itself is a Flask
    setting (see :mod:`webapp.config`)."""
    app.before_request(redirect_to_https)
