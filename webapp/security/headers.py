"""The security headers, defined once and applied to every response by a WSGI middleware.

The middleware (:class:`SecurityHeaders`) wraps the whole application, outermost, so the
same set reaches every kind of response: pages, htmx fragments, error pages, redirects,
PDF downloads, static files (whatever serves them inside Flask's WSGI app, e.g.
WhiteNoise), calendars and feeds. waitress's own error responses (a malformed request
line, a body over the limit) get the same set through :mod:`webapp.security.waitress_errors`.

The set follows the Mozilla HTTP Observatory's tests and scoring
(https://developer.mozilla.org/en-US/observatory/docs/tests_and_scoring):

- ``Content-Security-Policy`` with ``default-src 'none'`` and each source the site needs
  listed (its own scripts, styles, fonts, images and htmx's requests), no
  ``'unsafe-inline'``/``'unsafe-eval'`` (+10), ``frame-ancestors 'none'`` (+5, it
  replaces X-Frame-Options), ``base-uri 'none'``, ``form-action 'self'``.
- ``Referrer-Policy: strict-origin-when-cross-origin`` (+5).
- ``Cross-Origin-Resource-Policy: same-origin`` (+10) and
  ``Cross-Origin-Opener-Policy: same-origin``.
- ``X-Content-Type-Options: nosniff``.
- ``Strict-Transport-Security`` (two years) on responses to HTTPS requests (behind a TLS
  proxy whose ``X-Forwarded-Proto`` waitress trusts: ``TRUSTED_PROXY``); browsers ignore
  it over plain HTTP.
- ``X-Frame-Options: DENY`` for old browsers that ignore ``frame-ancestors``.

Subresource Integrity (+5) is on the script tags themselves (:mod:`.integrity`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

#: Content-Security-Policy directives. Nothing is allowed unless listed: the site's own
#: scripts (htmx and site.js, each with an ``integrity`` hash), stylesheets, fonts and
#: images (the SVG favicon), htmx's requests to the same origin (``connect-src``), and
#: forms (the event filter, a GET form) sent to the same origin. No inline script or
#: style anywhere (htmx is configured by a <meta> tag with ``includeIndicatorStyles``
#: off). ``frame-ancestors 'none'``: no site may frame these pages.
CSP_DIRECTIVES: dict[str, str] = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
}

#: HSTS lifetime in seconds (two years; the Observatory asks for at least six months).
HSTS_MAX_AGE = 63072000


def content_security_policy(directives: Mapping[str, str] = CSP_DIRECTIVES) -> str:
    """The ``Content-Security-Policy`` header value for ``directives`` (name -> sources),
    in their order, e.g. ``"default-src 'none'; script-src 'self'"``."""
    return "; ".join(f"{name} {sources}" for name, sources in directives.items())


#: The headers every response carries, whatever produced it.
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", content_security_policy()),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
)
#: Sent on responses to HTTPS requests only.
HSTS_HEADER = ("Strict-Transport-Security", f"max-age={HSTS_MAX_AGE}")
#: Lower-case names of the headers this module sets (replaced if the app set them) and of
#: the ones it removes (``Server``: no product banner).
_OWNED = {name.lower() for name, _ in SECURITY_HEADERS} | {HSTS_HEADER[0].lower(), "server"}


def security_headers(https: bool) -> list[tuple[str, str]]:
    """The header list for one response: :data:`SECURITY_HEADERS`, plus HSTS when the
    request came over HTTPS (``https``)."""
    headers = list(SECURITY_HEADERS)
    if https:
        headers.append(HSTS_HEADER)
    return headers


def apply_security_headers(
    headers: Iterable[tuple[str, str]], https: bool
) -> list[tuple[str, str]]:
    """``headers`` (a WSGI header list) with the security headers set: any header of the
    same name the application sent, and any ``Server`` header, replaced by this module's
    values."""
    kept = [(name, value) for name, value in headers if name.lower() not in _OWNED]
    return kept + security_headers(https)


StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class SecurityHeaders:
    """WSGI middleware: every response of ``app`` gets :func:`security_headers`.

    Wrap it outermost (``app.wsgi_app = SecurityHeaders(app.wsgi_app)`` as the last step
    of :func:`webapp.create_app`), so that other WSGI layers (static files) are inside it.
    The request is HTTPS when ``wsgi.url_scheme`` is ``https`` (waitress sets it from
    ``X-Forwarded-Proto`` only for the trusted proxy).
    """

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Call the wrapped app with a ``start_response`` that adds the headers."""
        https = environ.get("wsgi.url_scheme") == "https"

        def secured_start_response(status: str, headers: list, exc_info: Any = None) -> Any:
            return start_response(status, apply_security_headers(headers, https), exc_info)

        return self.app(environ, secured_start_response)
