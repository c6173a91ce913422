"""Events out of the page: iCalendar (RFC 5545) and Atom (RFC 4287) serializers.

The serializers only turn events into documents, in the current request's locale (texts
through gettext, country names through CLDR); choosing the events, validating the filter
and answering HTTP are the views' work (:mod:`webapp.events.feeds_views`), as in Indico's
``serialize.py``. Documents are built with maintained libraries, never by hand:
``icalendar`` for calendars, ``feedgen`` for Atom.

Rules the calendars follow (each from a reported problem of conference software, see the
project's GUIDE §8):

- an event is an all-day event: ``DTSTART;VALUE=DATE`` and an exclusive ``DTEND;VALUE=DATE``
  (the day after its last day), so a multi-day conference shows as one bar;
- an event whose sources give no day is left out (:func:`calendar_events` says which);
- ``UID`` is ``<slug>@`` :data:`UID_DOMAIN`, stable across loads and releases;
- ``DTSTAMP`` and ``LAST-MODIFIED`` are when the store last changed the event
  (:attr:`webapp.events.models.Event.updated_at`), never the request time, so that a
  subscribed calendar does not churn;
- ``STATUS:CANCELLED`` for a cancelled event and for a postponed one (it did not take place
  on those days; the description says "Postponed"), ``CONFIRMED`` otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from feedgen.feed import FeedGenerator
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from icalendar import Calendar, vDuration
from icalendar import Event as CalendarEvent

from webapp.events.codes import FORMATS, KIND_SINGULAR, STATUSES
from webapp.events.display import document_title, event_location, event_place, event_text
from webapp.events.models import Event
from webapp.i18n import format_date_range

#: The fixed domain of every calendar ``UID`` and Atom entry id: the association's own
#: domain, so that ids stay the same wherever this site is served from.
UID_DOMAIN = "iassistdata.org"
#: Atom entry ids are tag URIs (RFC 4151): the authority and the date it held the domain.
TAG_AUTHORITY = "tag:iassistdata.org,2026"
#: How often a subscribed calendar should be fetched again (RFC 7986 ``REFRESH-INTERVAL``
#: and Microsoft's ``X-PUBLISHED-TTL``): the data changes a few times a year.
REFRESH_INTERVAL = timedelta(days=1)
#: ``PRODID`` of the calendars (RFC 5545 §3.7.3: the product that made them).
PRODID = "-//IASSIST//iassist-site events//EN"
#: The organizer named in feeds.
ORGANIZER = {"name": "IASSIST", "uri": "https://iassistdata.org/"}
#: Media types of the documents (with the charset the RFCs and clients expect).
CALENDAR_MIMETYPE = "text/calendar; charset=utf-8"
ATOM_MIMETYPE = "application/atom+xml; charset=utf-8"


def event_uid(event: Event) -> str:
    """The calendar ``UID`` of ``event``: ``"<slug>@iassistdata.org"`` (stable: the slug is
    the event's identity in the data)."""
    return f"{event.slug}@{UID_DOMAIN}"


def entry_id(event: Event) -> str:
    """The Atom entry id of ``event``: a tag URI from its slug (stable, like the UID)."""
    return f"{TAG_AUTHORITY}:events/{event.slug}"


def calendar_events(events: Iterable[Event]) -> tuple[list[Event], list[Event]]:
    """Split ``events`` into (those with known days, in order of their first day then slug;
    those whose sources give no day, which calendars leave out)."""
    dated: list[Event] = []
    undated: list[Event] = []
    for event in events:
        (dated if event.start_date is not None else undated).append(event)
    dated.sort(key=lambda e: (e.start_date or date.min, e.slug))
    return dated, undated


def describe(event: Event) -> str:
    """A plain-text description of ``event`` in the current locale, one fact a line: its
    type and year, its numbered label, dates, place, theme, format, host and status where
    they are known (a fact the data lacks is left out, never guessed). Titles and themes
    the data has only in English stay in English."""
    lines = [_("%(kind)s of IASSIST, %(year)s.", kind=KIND_SINGULAR[event.kind], year=event.year)]
    if event.start_date is not None:
        lines.append(
            _("Dates: %(dates)s", dates=format_date_range(event.start_date, event.end_date))
        )
    place = event_place(event)
    if place:
        lines.append(_("Place: %(place)s", place=place))
    theme = event_text(event, "theme")
    if theme:
        lines.append(_("Theme: %(theme)s", theme=theme.text))
    if event.format:
        lines.append(_("Format: %(format)s", format=FORMATS[event.format]))
    if event.host:
        lines.append(_("Host: %(host)s", host=event.host))
    if event.status in ("cancelled", "postponed"):
        lines.append(_("Status: %(status)s", status=STATUSES[event.status]))
    return "\n".join(lines)


def _event_url(event: Event) -> str:
    return url_for("events.detail", slug=event.slug, _external=True)


def _calendar_event(event: Event) -> CalendarEvent:
    if event.start_date is None or event.end_date is None:
        raise ValueError(f"{event.slug}: no known day, no calendar entry")
    vevent = CalendarEvent()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", event.updated_utc)
    vevent.add("last-modified", event.updated_utc)
    vevent.add("dtstart", event.start_date)
    vevent.add("dtend", event.end_date + timedelta(days=1))
    vevent.add("summary", document_title(event))
    vevent.add("location", event_location(event))
    vevent.add("description", describe(event))
    vevent.add("url", _event_url(event))
    vevent.add("status", "CANCELLED" if event.status in ("cancelled", "postponed") else "CONFIRMED")
    vevent.add("transp", "TRANSPARENT")
    return vevent


def build_calendar(events: Iterable[Event], name: str, source_url: str, page_url: str) -> bytes:
    """An iCalendar document of the ``events`` that have known days.

    Args:
        events: the events (those without a known day are left out).
        name: the calendar's name in the current locale (``X-WR-CALNAME`` and RFC 7986
            ``NAME``), e.g. "Events: 2025 · IASSIST".
        source_url: the absolute URL this calendar is fetched from (RFC 7986 ``SOURCE``).
        page_url: the absolute URL of the page that shows the same events (``URL``).

    Returns:
        The calendar as UTF-8 bytes with CRLF line ends, ready to serve as
        :data:`CALENDAR_MIMETYPE`.
    """
    dated, _undated = calendar_events(events)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("url", page_url)
    calendar.add("source", source_url, parameters={"VALUE": "URI"})
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    if dated:
        calendar.add("last-modified", max(e.updated_utc for e in dated))
    for event in dated:
        calendar.add_component(_calendar_event(event))
    return calendar.to_ical()


def build_feed(
    events: Iterable[Event], title: str, feed_url: str, page_url: str, fallback_updated: datetime
) -> bytes:
    """An Atom feed of ``events`` (in the order given) in the current locale.

    Args:
        events: the entries' events.
        title: the feed's title in the current locale.
        feed_url: the feed's own absolute URL (its id and ``rel="self"`` link).
        page_url: the page that shows the same events (``rel="alternate"``).
        fallback_updated: the feed's ``updated`` when it has no entry (an aware datetime
            from the data, e.g. when the store last changed).

    Returns:
        The feed as UTF-8 XML bytes, to serve as :data:`ATOM_MIMETYPE`.
    """
    events = list(events)
    locale = str(get_locale())
    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title(title)
    feed.language(locale)
    feed.author(ORGANIZER)
    feed.link(href=feed_url, rel="self", type="application/atom+xml")
    feed.link(href=page_url, rel="alternate", type="text/html", hreflang=locale)
    feed.generator("python-feedgen")
    feed.updated(max((e.updated_utc for e in events), default=fallback_updated))
    # feedgen prepends entries by default; order=append keeps the order given.
    for event in events:
        entry = feed.add_entry(order="append")
        entry.id(entry_id(event))
        entry.title(document_title(event))
        entry.link(href=_event_url(event), rel="alternate", type="text/html", hreflang=locale)
        entry.updated(event.updated_utc)
        entry.summary(describe(event))
    return feed.atom_str(pretty=True)


def newest_update(events: Iterable[Event]) -> datetime | None:
    """The latest ``updated_at`` of ``events`` (aware UTC), or None for no event."""
    return max((e.updated_utc for e in events), default=None)


def epoch() -> datetime:
    """The aware UTC datetime of the Unix epoch: the ``updated`` of a feed over an empty
    store, which has no date of its own."""
    return datetime(1970, 1, 1, tzinfo=UTC)
