"""Error pages in the visitor's language: every 4xx the site can send and 500, never a
traceback.

An HTTP error raised anywhere (``abort(404)``, Werkzeug's ``MethodNotAllowed``, a bad
``Range`` on a file, …) is answered with ``templates/errors/error.html`` in the page's
locale, keeping the error's own headers (``Allow`` of a 405, ``Content-Range`` of a 416).
A file response that Werkzeug turns into a 4xx without raising (a 412 for an ``If-Match``
on a PDF or stylesheet) gets the same page. Any other exception is logged and answered with
the 500 page.

A request whose host was refused (:mod:`webapp.security.hosts`) has no URL adapter; the
page gets one bound to no host before it renders. A database that stays locked longer
than ``DATABASE_BUSY_TIMEOUT`` (a load or a backup holding SQLite's lock) is a 503 page
with ``Retry-After``, not a 500.
"""

from __future__ import annotations

from flask import Flask, Response, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel.speaklater import LazyString
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from webapp.i18n import adopt_path_locale
from webapp.security.hosts import ensure_url_adapter

#: Seconds after which a visitor who met a locked database may try again (Retry-After).
RETRY_AFTER = 5

#: Headers of an HTTP error that describe the error page's body, not the error: they are
#: not copied onto the localized page.
_BODY_HEADERS = frozenset({"content-type", "content-length"})


def _messages(code: int) -> tuple[str, str]:
    """(title, explanation) of the error page for HTTP status ``code``, in the page's
    locale; a 4xx without its own text gets a general one."""
    if code == 400:
        return _("Bad request"), _("The address of this page holds a value the site cannot use.")
    if code == 404:
        return _("Page not found"), _(
            "There is no page at this address. It may have moved, or the address may be mistyped."
        )
    if code == 405:
        return _("Method not allowed"), _("This page cannot be used that way.")
    if code == 412:
        return _("Precondition failed"), _(
            "This file has changed since your browser last loaded it. Please load it again."
        )
    if code == 413:
        return _("Request too large"), _("The request is larger than the site accepts.")
    if code == 416:
        return _("Range not satisfiable"), _(
            "The requested part of this file does not exist. Please download the whole file."
        )
    if code == 503:
        return _("Site busy"), _(
            "The site's data is being updated. Please try again in a few seconds."
        )
    if 400 <= code < 500:
        return _("Request not answered"), _(
            "The site cannot answer this request. Please check the address."
        )
    return _("Something went wrong"), _(
        "The site could not show this page because of an error on our side. Please try again later."
    )


def render_error(
    code: int, detail: str | None = None, parameter: str | None = None
) -> tuple[str, int]:
    """The error page for HTTP status ``code``, localized: (HTML, status).

    Args:
        code: an HTTP status from 400 to 599 (a 5xx is shown as the 500 page's text).
        detail: a further explanation, already localized, or None.
        parameter: the query parameter the detail is about, or None.
    """
    adopt_path_locale()
    ensure_url_adapter()
    title, message = _messages(code)
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=title,
            message=message,
            detail=detail,
            parameter=parameter,
        ),
        code,
    )


def bad_request(parameter: str, message: str | LazyString) -> tuple[str, int]:
    """A 400 page saying which query ``parameter`` was wrong and why (``message``, a lazy
    gettext string)."""
    return render_error(400, detail=str(message), parameter=parameter)


def _http_error(error: HTTPException) -> ResponseReturnValue:
    """Any HTTP error: a 4xx keeps its status and headers, a 5xx is the 500 page; a
    redirect raised by routing (308 to the URL with a trailing slash) passes through."""
    code = error.code or 500
    if code < 400:
        return error
    if code >= 500:
        return render_error(InternalServerError.code)
    html, status = render_error(code)
    headers = [(k, v) for k, v in error.get_headers() if k.lower() not in _BODY_HEADERS]
    return html, status, headers


def _bare_client_error(response: Response) -> Response:
    """A 4xx response that is not an HTML page (a file's conditional 412) gets the
    localized error page, keeping its other headers."""
    if not 400 <= response.status_code < 500 or response.mimetype == "text/html":
        return response
    html, status = render_error(response.status_code)
    page = make_response(html, status)
    for key, value in response.headers.items():
        if key.lower() not in _BODY_HEADERS:
            page.headers[key] = value
    response.close()
    return page


def init_app(app: Flask) -> None:
    """Register the handlers: every HTTP error gets the localized page; any other
    exception is logged and answered with the 500 page."""
    app.register_error_handler(HTTPException, _http_error)
    app.after_request(_bare_client_error)

    @app.errorhandler(OperationalError)
    def _database_unavailable(error: OperationalError) -> ResponseReturnValue:
        if not is_lock_error(error):
            return _unexpected(error)
        app.logger.warning("Database locked on %s: %s", request.path, error.orig)
        html, status = render_error(503)
        return html, status, {"Retry-After": str(RETRY_AFTER)}

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> ResponseReturnValue:
        app.logger.exception("Unhandled error on %s", request.path)
        return render_error(InternalServerError.code)


def is_lock_error(error: OperationalError) -> bool:
    """Whether ``error`` means another connection holds a lock the statement needed:
    SQLite's SQLITE_BUSY/SQLITE_LOCKED ("database is locked", "database table is
    locked") or PostgreSQL's lock_not_available (SQLSTATE 55P03)."""
    orig = error.orig
    if getattr(orig, "sqlite_errorname", "") in {"SQLITE_BUSY", "SQLITE_LOCKED"}:
        return True
    if getattr(orig, "sqlstate", None) == "55P03":
        return True
    return "database is locked" in str(orig) or "database table is locked" in str(orig)
