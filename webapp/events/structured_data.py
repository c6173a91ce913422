"""schema.org ``Event`` as JSON-LD for event pages and the list of forthcoming events.

Only facts the data holds are stated: no ``startDate`` for an event whose sources give no
day, no ``eventAttendanceMode`` where the format is unknown, no ``location`` for an event
with neither a place nor a known virtual format. The vocabulary is schema.org's
(https://schema.org/Event, EventStatusType, EventAttendanceModeEnumeration).

The language of an event's proceedings is not in the data, so the page's language is
stated where it is a fact: on the ``WebPage`` the event is the main entity of
(``mainEntityOfPage.inLanguage``), the language the name and description are written in.

:func:`json_ld` serializes with ``<``, ``>``, ``&`` and ``'`` written as JSON Unicode escapes
(Jinja's ``htmlsafe_json_dumps``), so no text in the data can close the ``<script>``
element; the element's type ``application/ld+json`` makes it data that a browser never
executes, so the site's Content-Security-Policy (no inline script) holds unchanged.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from webapp.events.display import document_title, event_place
from webapp.events.feeds import describe
from webapp.events.models import Event
from webapp.i18n import country_name, current_locale

SCHEMA = "https://schema.org/"
#: Status as the sources had it -> schema.org EventStatusType. "held" and "scheduled" both
#: mean the event took or takes place as announced.
EVENT_STATUS = {
    "held": "EventScheduled",
    "scheduled": "EventScheduled",
    "cancelled": "EventCancelled",
    "postponed": "EventPostponed",
}
#: Format -> schema.org EventAttendanceModeEnumeration.
ATTENDANCE_MODE = {
    "in_person": "OfflineEventAttendanceMode",
    "virtual": "OnlineEventAttendanceMode",
    "hybrid": "MixedEventAttendanceMode",
}
ORGANIZER = {"@type": "Organization", "name": "IASSIST", "url": "https://iassistdata.org/"}


def _place(event: Event) -> dict[str, Any] | None:
    if not event.country_code:
        return None
    address: dict[str, Any] = {"@type": "PostalAddress", "addressCountry": event.country_code}
    if event.city:
        address["addressLocality"] = event.city
    if event.region_or_state:
        address["addressRegion"] = event.region_or_state
    name = event_place(event) or country_name(event.country_code)
    return {"@type": "Place", "name": name, "address": address}


def _locations(event: Event) -> list[dict[str, Any]]:
    locations = []
    place = _place(event)
    if place and event.format != "virtual":
        locations.append(place)
    if event.format in ("virtual", "hybrid"):
        virtual: dict[str, Any] = {"@type": "VirtualLocation"}
        if event.url:
            virtual["url"] = event.url
        locations.append(virtual)
    return locations


def event_data(event: Event) -> dict[str, Any]:
    """The schema.org ``Event`` of ``event`` in the current locale, as a dict ready for
    JSON (no ``@context``; :func:`json_ld` adds it).

    Always: ``@type``, ``name`` (the page's title for the event), ``url`` (its page),
    ``eventStatus``, ``organizer`` (IASSIST), ``description`` (as in its calendar entry),
    ``mainEntityOfPage`` (the page, with its ``inLanguage``). Where known: ``startDate`` and
    ``endDate`` (ISO dates: only days are known), ``eventAttendanceMode``, ``location``
    (a ``Place`` with a ``PostalAddress``, a ``VirtualLocation``, or both when hybrid),
    ``sameAs`` (the event's page on iassistdata.org).
    """
    url = url_for("events.detail", slug=event.slug, _external=True)
    data: dict[str, Any] = {
        "@type": "Event",
        "name": document_title(event),
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url, "inLanguage": current_locale()},
        "eventStatus": SCHEMA + EVENT_STATUS[event.status],
        "organizer": ORGANIZER,
        "description": describe(event),
    }
    if event.start_date is not None and event.end_date is not None:
        data["startDate"] = event.start_date.isoformat()
        data["endDate"] = event.end_date.isoformat()
    if event.format:
        data["eventAttendanceMode"] = SCHEMA + ATTENDANCE_MODE[event.format]
    locations = _locations(event)
    if len(locations) == 1:
        data["location"] = locations[0]
    elif locations:
        data["location"] = locations
    if event.url:
        data["sameAs"] = event.url
    return data


def json_ld(data: dict[str, Any] | list[dict[str, Any]]) -> Markup:
    """``data`` (one schema.org object or a list of them) as the text of a
    ``<script type="application/ld+json">`` element, with ``@context`` added and every
    ``<``, ``>``, ``&``, ``'`` escaped, so ``</script>`` in any text cannot end the
    element."""
    if isinstance(data, list):
        document: dict[str, Any] = {"@context": "https://schema.org", "@graph": data}
    else:
        document = {"@context": "https://schema.org", **data}
    return htmlsafe_json_dumps(document, ensure_ascii=False, sort_keys=False)
