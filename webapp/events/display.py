"""How an event reads on a page in a given locale: its texts with their language, the
title parts the site composes itself, its place."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import gettext as _

from webapp.events.models import Event
from webapp.i18n import DEFAULT_LOCALE, country_name, format_ordinal

#: The language the data's original titles and themes are written in.
ORIGINAL_LANGUAGE = DEFAULT_LOCALE


@dataclass(frozen=True)
class LocalizedText:
    """A text and the language it is written in; ``lang`` is None when that is the page's
    own language (no ``lang`` attribute needed)."""

    text: str
    lang: str | None


def event_text(event: Event, field: str) -> LocalizedText | None:
    """The event's ``field`` (``"title"`` or ``"theme"``) for the page's locale: the
    translation where the data has one, else the original marked with its language; None
    when the event has no such text."""
    locale = str(get_locale())
    translated = event.translated(field, locale)
    if translated:
        return LocalizedText(translated, None)
    original = getattr(event, field)
    if not original:
        return None
    return LocalizedText(original, None if locale == ORIGINAL_LANGUAGE else ORIGINAL_LANGUAGE)


def event_label(event: Event) -> str | None:
    """The numbered label the site composes in the page's locale ("50e conférence
    annuelle"), shown beside an original title in another language; None for an event
    without a number (the numbered workshops are the Africa series), and on pages in the original language (the title says it already:
    "IASSIST 2025 (50th annual conference)")."""
    if event.number is None or str(get_locale()) == ORIGINAL_LANGUAGE:
        return None
    ordinal = format_ordinal(event.number, event.kind)
    if event.kind == "annual_conference":
        return _("%(ordinal)s annual conference", ordinal=ordinal)
    if event.kind == "regional_workshop" and event.region == "africa":
        return _("%(ordinal)s Africa regional workshop", ordinal=ordinal)
    return None


def event_place(event: Event) -> str | None:
    """"City, State, Country" with the country named in the page's locale; None for an
    event with no place (a virtual one)."""
    parts = [event.city, event.region_or_state if event.country_code in ("US", "CA") else None,
             country_name(event.country_code)]
    text = ", ".join(p for p in parts if p)
    return text or None
