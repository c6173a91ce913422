"""Calendars and feeds of the event domain, for any filtered view and per event.

URLs (all under the locale, which sets the language of names and descriptions):

- ``GET /<locale>/events/calendar.ics?year=&type=&region=``: iCalendar of the events the
  browser shows for the same filters (those with known days);
- ``GET /<locale>/events/feed.atom?year=&type=&region=``: Atom feed of the same events,
  upcoming first, then the most recent past ones (at most :data:`FEED_SIZE`);
- ``GET /<locale>/events/<slug>/calendar.ics``: one event (404 for an unknown slug or an
  event with no known day).

The filter is parsed by :class:`webapp.events.filters.EventFilter`, as in the browser: a
bad value is the same localized 400 page. Every document carries a strong ``ETag`` (a hash
of its bytes) and answers a matching ``If-None-Match`` with 304; the bytes depend only on
the data, the locale and the host, never on the request time.
"""

from __future__ import annotations

import hashlib
from datetime import UTC

from flask import Blueprint, Response, abort, request, url_for
from flask.sansio.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from sqlmodel import select

from webapp.clock import today
from webapp.db import get_session
from webapp.errors import bad_request
from webapp.events.display import document_title
from webapp.events.feeds import (
    ATOM_MIMETYPE,
    CALENDAR_MIMETYPE,
    build_calendar,
    build_feed,
    epoch,
)
from webapp.events.filters import EventFilter, FilterError
from webapp.events.models import Event
from webapp.events.queries import last_update, search_events
from webapp.events.structured_data import event_data, json_ld
from webapp.events.views import _page_title

bp = Blueprint("feeds", __name__, url_prefix="/<locale:lang_code>/events")

#: Entries of an Atom feed: the first ones in the browser's order (upcoming, then recent).
FEED_SIZE = 30
#: Enough for every event of the store on one "page" of the browser's query.
_ALL = 1_000_000


def webcal_url(url: str) -> str:
    """``url`` (an absolute http or https URL) with the ``webcal`` scheme, which calendar
    applications open as a subscription (they fetch it over http or https)."""
    scheme, rest = url.split("://", 1)
    if scheme not in ("http", "https"):
        raise ValueError(f"not an http(s) URL: {url}")
    return "webcal://" + rest


def _document(body: bytes, mimetype: str, filename: str | None = None) -> Response:
    """A response for a generated document: strong ETag from its bytes, 304 for a matching
    ``If-None-Match``, revalidated by caches on each use (``no-cache``: a 304 is cheap)."""
    response = Response(body, content_type=mimetype)
    response.set_etag(hashlib.sha256(body).hexdigest())
    response.cache_control.no_cache = True
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.make_conditional(request)
    return response


def _filter_or_400() -> EventFilter | tuple[str, int]:
    try:
        return EventFilter.from_args(request.args).with_page(1)
    except FilterError as error:
        return bad_request(error.parameter, error.message)


def _filename(flt: EventFilter) -> str:
    parts = ["iassist-events", *flt.to_args().values()]
    return "-".join(parts) + ".ics"


@bp.get("/calendar.ics")
def calendar() -> ResponseReturnValue:
    """The calendar of a filtered view (``year``, ``type``, ``region``; 400 for a bad one)."""
    flt = _filter_or_400()
    if not isinstance(flt, EventFilter):
        return flt
    events = search_events(get_session(), flt, today(), _ALL).events
    args = flt.to_args()
    body = build_calendar(
        events,
        name=f"{_page_title(flt)} · IASSIST",
        source_url=url_for("feeds.calendar", _external=True, **args),
        page_url=url_for("events.browse", _external=True, **args),
    )
    return _document(body, CALENDAR_MIMETYPE, _filename(flt))


@bp.get("/feed.atom")
def feed() -> ResponseReturnValue:
    """The Atom feed of a filtered view (``year``, ``type``, ``region``; 400 for a bad
    one)."""
    flt = _filter_or_400()
    if not isinstance(flt, EventFilter):
        return flt
    session = get_session()
    events = search_events(session, flt, today(), FEED_SIZE).events
    args = flt.to_args()
    newest = last_update(session)
    body = build_feed(
        events,
        title=f"{_page_title(flt)} · IASSIST",
        feed_url=url_for("feeds.feed", _external=True, **args),
        page_url=url_for("events.browse", _external=True, **args),
        fallback_updated=epoch() if newest is None else newest.replace(tzinfo=UTC),
    )
    return _document(body, ATOM_MIMETYPE)


@bp.get("/<slug>/calendar.ics")
def event_calendar(slug: str) -> ResponseReturnValue:
    """One event's calendar; 404 for an unknown slug or an event with no known day."""
    event = get_session().exec(select(Event).where(Event.slug == slug)).first()
    if event is None or event.start_date is None:
        abort(404)
    body = build_calendar(
        [event],
        name=f"{document_title(event)} · IASSIST",
        source_url=url_for("feeds.event_calendar", slug=slug, _external=True),
        page_url=url_for("events.detail", slug=slug, _external=True),
    )
    return _document(body, CALENDAR_MIMETYPE, f"{slug}.ics")


@bp.record_once
def _template_globals(state: BlueprintSetupState) -> None:
    """JSON-LD and calendar URL helpers for templates."""
    state.app.jinja_env.globals.update(
        event_json_ld=lambda event: json_ld(event_data(event)),
        events_json_ld=lambda events: json_ld([event_data(e) for e in events]),
    )
    state.app.jinja_env.filters["webcal"] = webcal_url
