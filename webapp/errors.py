"""Error pages in the visitor's language: 400, 404, 405 and 500, never a traceback."""

from __future__ import annotations

from flask import Flask, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel.speaklater import LazyString
from werkzeug.exceptions import HTTPException, InternalServerError

from webapp.i18n import LOCALES


def _ensure_locale() -> None:
    """For a URL that matched no route, take the locale from its first path segment when
    that is a known locale (``/fr/nowhere`` is answered in French); otherwise the locale
    is negotiated as for ``/``."""
    if "locale" not in g:
        first = request.path.strip("/").split("/", 1)[0]
        if first in LOCALES:
            g.locale = first


def _messages(code: int) -> tuple[str, str]:
    if code == 400:
        return _("Bad request"), _("The address of this page holds a value the site cannot use.")
    if code == 404:
        return _("Page not found"), _(
            "There is no page at this address. It may have moved, or the address may be mistyped."
        )
    if code == 405:
        return _("Method not allowed"), _("This page cannot be used that way.")
    return _("Something went wrong"), _(
        "The site could not show this page because of an error on our side. Please try again later."
    )


def render_error(
    code: int, detail: str | None = None, parameter: str | None = None
) -> tuple[str, int]:
    """The error page for HTTP status ``code`` (a response tuple), localized."""
    _ensure_locale()
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


def init_app(app: Flask) -> None:
    """Register the handlers: every HTTP error gets the localized page; any other
    exception is logged and answered with the 500 page."""

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        if code not in (400, 404, 405):
            if code < 500:
                return error
            code = 500
        response, status = render_error(code)
        return response, status, error.get_headers() if code == 405 else {}

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> ResponseReturnValue:
        app.logger.exception("Unhandled error on %s", request.path)
        return render_error(InternalServerError.code)
