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
from webapp.events.place_names import city_name, host_language
from webapp.events.titles import compose_title
from webapp.i18n import DEFAULT_LOCALE, Gender, country_name, format_ordinal

#: The language the data's original titles and themes are written in.
ORIGINAL_LANGUAGE = DEFAULT_LOCALE

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
    """The event's ``field`` (``"title"`` or ``"theme"``) for the page's locale.

    A translation where the data has one (a conference's official title in that language);
    else, for a title on a page in another language than the data's, the title the site
    composes in the page's language (:func:`webapp.events.titles.compose_title`: "6e
    atelier régional africain", or the proper name "IASSIST 2025" with the number in
    :func:`event_label`); else the original marked with its language. A title that is only
    a proper name ("IASSIST/IFDO 1985") is in no language. A theme is a conference's
    official title: it is never translated by the site, only marked. None when the event
    has no such text.
    """
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
        composed = compose_title(event)
        if composed is not None:
            return LocalizedText(composed.title, composed.title_lang)
    return LocalizedText(original, ORIGINAL_LANGUAGE)


def kind_noun_gender(kind: str, locale: str | None = None) -> Gender:
    """The grammatical gender of the noun of ``kind`` in ``locale`` (default: the page's),
    from :data:`~webapp.events.codes.KIND_NOUN_GENDER`; masculine where it does not
    matter."""
    return KIND_NOUN_GENDER.get(kind, {}).get(locale or str(get_locale()), "m")


def event_label(event: Event) -> str | None:
    """What the event was, in the page's locale, shown under its title: the label of its
    composed title ("50e conférence annuelle", "Devait être la 46e conférence annuelle";
    see :mod:`webapp.events.titles`), or for a numbered event whose title no rule reads,
    its number ("50e conférence annuelle"). None on pages in the original language (the
    title says it already) and when there is nothing to add."""
    if str(get_locale()) == ORIGINAL_LANGUAGE:
        return None
    if event.translated("title", str(get_locale())) is None and not _PROPER_NAME.match(event.title):
        composed = compose_title(event)
        if composed is not None:
            return composed.label
    if event.number is None:
        return None
    ordinal = format_ordinal(event.number, kind_noun_gender(event.kind))
    if event.kind == ANNUAL_CONFERENCE:
        return _("%(ordinal)s annual conference", ordinal=ordinal)
    if event.kind == REGIONAL_WORKSHOP and event.region == "africa":
        return _("%(ordinal)s Africa regional workshop", ordinal=ordinal)
    return None


def event_place(event: Event) -> str | None:
    """The event's place, "City, State, Country", the city and the country named in the
    page's locale (:func:`webapp.events.place_names.city_name`, CLDR territories); None for
    an event with no place (a virtual one)."""
    parts = [
        city_name(event.city),
        event.region_or_state if event.country_code in ("US", "CA") else None,
        country_name(event.country_code),
    ]
    text = ", ".join(p for p in parts if p)
    return text or None


def event_location(event: Event) -> str:
    """Where the event is held, as a reader sees it: :func:`event_place`, or "Online" in
    the page's locale for an event with no place (held online only)."""
    return event_place(event) or _("Online")


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


def event_host(event: Event) -> LocalizedText | None:
    """The event's host institution(s) as the data names them, in their own language
    (:func:`webapp.events.place_names.host_language`: "Université Laval" is French), marked
    with it when that is not the page's; None when no source names a host."""
    if not event.host:
        return None
    lang = host_language(event.slug)
    return LocalizedText(event.host, None if lang == str(get_locale()) else lang)
