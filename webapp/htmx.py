"""Everything the server reads from or says to htmx: the only module that reads htmx's
request headers.

The one decision htmx needs on the server is: the results fragment, or the full page?
htmx-flask exposes the request headers as ``request.htmx``; it counts a history-restore
request as an htmx request, which is how back, reload or a reopened tab can end up showing
a bare fragment (the most reported htmx problem). :func:`wants_fragment` decides precisely.
:func:`is_htmx_request` and :func:`trigger_id` answer the other questions views and hooks
ask; :func:`add_vary` and :func:`push_url` are the response side.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask import current_app
from htmx_flask import request
from jinja2_fragments.flask import render_blocks
from werkzeug.wrappers import Response

R = TypeVar("R", bound=Response)

#: Request headers that change the response of a route that can answer with a fragment.
VARY_HEADERS = ("HX-Request", "HX-Target", "HX-Trigger", "HX-History-Restore-Request")


def wants_fragment(target_id: str) -> bool:
    """True only for an htmx request (``HX-Request: true``) that is not a history restore
    (no ``HX-History-Restore-Request: true``) and whose target (``HX-Target``) is the
    element ``target_id``; any other request gets the full page."""
    htmx = request.htmx
    return bool(htmx) and not htmx.history_restore_request and htmx.target == target_id


def is_htmx_request() -> bool:
    """True for any request htmx sent (``HX-Request: true``), history restores included."""
    return bool(request.htmx)


def trigger_id() -> str | None:
    """The ``id`` of the element that triggered an htmx request (``HX-Trigger``), or None
    (not an htmx request, or an element without an id)."""
    return request.htmx.trigger or None


def render_fragment(template_name: str, block_names: list[str], **context: Any) -> str:
    """Render ``block_names`` of ``template_name`` alone, with the same context processors
    as a full page (so a block renders exactly as it does inside the page)."""
    current_app.update_template_context(context)
    return render_blocks(template_name, block_names, **context)


def push_url(response: R, url: str) -> R:
    """Tell htmx to push ``url`` (an absolute path) into the browser's history
    (``HX-Push-Url``) and return ``response``."""
    response.headers["HX-Push-Url"] = url
    return response


def add_vary(response: R) -> R:
    """Add :data:`VARY_HEADERS` to ``response``'s ``Vary`` header (caches must key on
    them)."""
    for header in VARY_HEADERS:
        response.vary.add(header)
    return response
