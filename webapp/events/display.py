"""How an event reads on a page in a given locale: its texts with their language, the
title parts the site composes itself, its place."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import gettext as _

from webapp.events.codes import (
    ANNUAL_CONFERENCE,
    KIND_NOUN_GENDER,
    KIND_SINGULAR,
    REGIONAL_WORKSHOP,
)
from webapp.events.models import Event
from webapp.i18n import DEFAULT_LOCALE, Gender, country_name, format_ordinal

#: The language the data's original titles and themes are written in.
ORIGINAL_LANGUAGE = DEFAULT_LOCALE

#: An original title whose parenthesis only restates the conference's number in English,
#: as the association names its conferences since 2000: "IASSIST 2025 (50th annual
#: conference)". The name before it is a proper name; the number is a part the site
#: composes itself in the page's locale (:func:`event_label`).
_NUMBER_IN_TITLE = re.compile(
    r"^(?P<name>.+?) \((?P<number>\d+)(?:st|nd|rd|th) annual conference\)$"
)
#: A title that is only a proper name: acronyms and a year ("IASSIST 1979",
#: "IASSIST/IFDO 1985", "IASSIST & CARTO 2024"). It is in no language.
_PROPER_NAME = re.compile(r"^[A-Z][A-Z0-9/& -]*\b\d{4}$")


@dataclass(frozen=True)
class LocalizedText:
    """A text and the language it is written in; ``lang`` is None when that is the page's
    own language (no ``lang`` attribute needed)."""

    text: str
    lang: str | None


def event_text(event: Event, field: str) -> LocalizedText | None:
    """The event's ``field`` (``"title"`` or ``"theme"``) for the page's locale: the
    translation where the data has one, else the original marked with its language; None
    when the event has no such text. A title that is only a proper name ("IASSIST/IFDO
    1985") is in no language. On a page in another language than the original, a title
    like "IASSIST 2025 (50th annual conference)" reads "IASSIST 2025", a proper name,
    and :func:`event_label` gives the number in the page's language."""
    locale = str(get_locale())
    translated = event.translated(field, locale)
    if translated:
        return LocalizedText(translated, None)
    original = getattr(event, field)
    if not original:
        return None
    if locale == ORIGINAL_LANGUAGE:
        return LocalizedText(original, None)
    if field == "title":
        if _PROPER_NAME.match(original):
            return LocalizedText(original, None)
        name = _name_without_number(event)
        if name:
            return LocalizedText(name, None)
    return LocalizedText(original, ORIGINAL_LANGUAGE)


def _name_without_number(event: Event) -> str | None:
    """The proper name of an annual conference whose original title only adds its number
    ("IASSIST 2025" of "IASSIST 2025 (50th annual conference)"), when that number is the
    event's; else None."""
    match = _NUMBER_IN_TITLE.match(event.title)
    if match and event.kind == ANNUAL_CONFERENCE and int(match["number"]) == event.number:
        return match["name"]
    return None


def kind_noun_gender(kind: str, locale: str | None = None) -> Gender:
    """The grammatical gender of the noun of ``kind`` in ``locale`` (default: the page's),
    from :data:`~webapp.events.codes.KIND_NOUN_GENDER`; masculine where it does not
    matter."""
    return KIND_NOUN_GENDER.get(kind, {}).get(locale or str(get_locale()), "m")


def event_label(event: Event) -> str | None:
    """The numbered label the site composes in the page's locale ("50e conférence
    annuelle"), shown under the title; None for an event without a number (the numbered
    workshops are the Africa series), and on pages in the original language (the title
    says it already: "IASSIST 2025 (50th annual conference)")."""
    if event.number is None or str(get_locale()) == ORIGINAL_LANGUAGE:
        return None
    ordinal = format_ordinal(event.number, kind_noun_gender(event.kind))
    if event.kind == ANNUAL_CONFERENCE:
        return _("%(ordinal)s annual conference", ordinal=ordinal)
    if event.kind == REGIONAL_WORKSHOP and event.region == "africa":
        return _("%(ordinal)s Africa regional workshop", ordinal=ordinal)
    return None


def event_place(event: Event) -> str | None:
    """The event's place, "City, State, Country", with the country named in the page's
    locale; None for an event with no place (a virtual one)."""
    parts = [
        event.city,
        event.region_or_state if event.country_code in ("US", "CA") else None,
        country_name(event.country_code),
    ]
    text = ", ".join(p for p in parts if p)
    return text or None


def document_title(event: Event) -> str:
    """The event's name for the page's ``<title>``, which cannot mark a part as being in
    another language: its title when that reads in the page's language (or is a proper
    name, see :func:`event_text`), else one the site composes in the page's language:
    type, year and place ("Réunion conjointe 1978, Uppsala, Suède")."""
    title = event_text(event, "title")
    if title is not None and title.lang is None:
        return title.text
    kind = KIND_SINGULAR[event.kind]
    place = event_place(event)
    if place is None:
        return _("%(kind)s %(year)s", kind=kind, year=event.year)
    # Translators: an event's name in the browser's tab, e.g. "Joint meeting 1978,
    # Uppsala, Sweden"; kind is "Annual conference", "Regional workshop" or "Joint meeting".
    return _("%(kind)s %(year)s, %(place)s", kind=kind, year=event.year, place=place)
