"""Event titles composed in the page's language.

The data keeps each event's title as the association writes it, in English. Many are not
proper names but descriptions ("6th IASSIST Africa Regional Workshop", "IASSIST 2020 (was
to be the 46th annual conference)"): on a page in another language the site composes them
itself from their parts, with gettext messages, and keeps only the proper names
("IASSIST 2020", "IASSIST/CESSDA", "Conference on data archives and program library
services") as they are. Each rule below reads one form of English title; a title no rule
reads stays whole, marked as English (:func:`webapp.events.display.event_text`).

The result is a pure function of the event and the page's locale.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import gettext as _

from webapp.events.codes import ANNUAL_CONFERENCE, KIND_NOUN_GENDER, REGIONAL_WORKSHOP
from webapp.events.models import Event
from webapp.i18n import format_ordinal

#: CLDR territory codes of the parts of a region that titles name in English.
AREA_TERRITORIES = {"West Africa": "011"}
_ORDINAL = r"(?P<number>\d+)(?:st|nd|rd|th)"


@dataclass(frozen=True)
class ComposedTitle:
    """A title for a page in another language than the data's.

    ``title``: the event's name in the page's language, or a proper name that is in no
    language (str). ``title_lang``: the language of ``title`` when it is a proper name in
    words of one language (``"en"`` for "Conference on data archives and program library
    services"), else None. ``label``: what the event was, in the page's language, shown
    under the title (str), or None.
    """

    title: str
    title_lang: str | None = None
    label: str | None = None


def _ordinal(number: int, kind: str) -> str:
    """``number`` as an ordinal agreeing with the noun of event ``kind`` in the page's
    locale (masculine for other nouns: "8e Congrès mondial")."""
    return format_ordinal(number, KIND_NOUN_GENDER.get(kind, {}).get(str(get_locale()), "m"))


def _annual(number: int) -> str:
    return _ordinal(number, ANNUAL_CONFERENCE)


def _numbered(match: re.Match[str], event: Event) -> ComposedTitle | None:
    number = int(match["number"])
    if event.kind != ANNUAL_CONFERENCE or number != event.number:
        return None
    label = _("%(ordinal)s annual conference", ordinal=_annual(number))
    return ComposedTitle(match["name"], label=label)


def _numbered_with_partner(match: re.Match[str], event: Event) -> ComposedTitle | None:
    number = int(match["number"])
    if event.kind != ANNUAL_CONFERENCE or number != event.number:
        return None
    # Translators: an annual conference organized with another association, e.g. "44th
    # annual conference, held with ACMLA-ACACC / CARTO" (the partner's acronym).
    label = _(
        "%(ordinal)s annual conference, held with %(partner)s",
        ordinal=_annual(number),
        partner=match["partner"],
    )
    return ComposedTitle(match["name"], label=label)


def _was_to_be(match: re.Match[str], event: Event) -> ComposedTitle:
    # Translators: under the name of a conference that did not take place (IASSIST 2020).
    label = _("Was to be the %(ordinal)s annual conference", ordinal=_annual(int(match["number"])))
    return ComposedTitle(match["name"], label=label)


def _global_virtual(match: re.Match[str], event: Event) -> ComposedTitle:
    # Translators: the 2021 conference, held online for the whole world (COVID-19).
    label = _(
        "%(ordinal)s annual conference: the global virtual conference",
        ordinal=_annual(int(match["number"])),
    )
    return ComposedTitle(match["name"], label=label)


def _part_of(match: re.Match[str], event: Event) -> ComposedTitle:
    # Translators: a meeting of two associations, e.g. "IASSIST/CESSDA meeting 2021".
    title = _("%(partners)s meeting %(year)s", partners=match["partners"], year=match["year"])
    # Translators: e.g. "Part of the 46th annual conference, IASSIST 2021".
    label = _(
        "Part of the %(ordinal)s annual conference, %(name)s",
        ordinal=_annual(int(match["number"])),
        name=match["conference"],
    )
    return ComposedTitle(title, label=label)


def _africa_workshop(match: re.Match[str], event: Event) -> ComposedTitle | None:
    number = int(match["number"])
    if event.kind != REGIONAL_WORKSHOP or number != event.number:
        return None
    title = _("%(ordinal)s Africa regional workshop", ordinal=_ordinal(number, event.kind))
    if match["area"]:
        area = get_locale().territories[AREA_TERRITORIES[match["area"]]]
        # Translators: a workshop and the part of Africa it was for, e.g. "2nd Africa
        # regional workshop (Western Africa)".
        title = _("%(title)s (%(area)s)", title=title, area=area)
    return ComposedTitle(title)


def _founding(match: re.Match[str], event: Event) -> ComposedTitle:
    congress = format_ordinal(int(match["number"]), "m")
    # Translators: the meeting of 1974 where IASSIST was founded; the congress is the
    # International Sociological Association's (its official name in your language).
    label = _(
        "IASSIST founding meeting, held in conjunction with the %(ordinal)s World Congress"
        " of Sociology",
        ordinal=congress,
    )
    return ComposedTitle(match["name"], title_lang="en", label=label)


def _organizing_committee(match: re.Match[str], event: Event) -> ComposedTitle:
    # Translators: the committee that organized IASSIST in 1975 and 1976.
    title = _("IASSIST Organizing Committee meeting")
    return ComposedTitle(title, label=_held_with(match["with"]) if match["with"] else None)


def _held_with(organization: str) -> str:
    if organization == "International Political Science Association":
        # Translators: the association's official name in your language where it has one.
        return _("Held in conjunction with the International Political Science Association")
    # Translators: the association's official name in your language where it has one.
    return _("Held in conjunction with the International Sociological Association")


def _name_held_with(match: re.Match[str], event: Event) -> ComposedTitle:
    return ComposedTitle(match["name"], label=_held_with(match["with"]))


def _first_joint_canada_us(match: re.Match[str], event: Event) -> ComposedTitle:
    return ComposedTitle(
        match["name"], label=_("First joint Canada/United States IASSIST conference")
    )


def _canada(match: re.Match[str], event: Event) -> ComposedTitle:
    # Translators: IASSIST's conference for Canada in 1977.
    return ComposedTitle(match["name"], label=_("Canadian conference"))


def _western_europe(match: re.Match[str], event: Event) -> ComposedTitle:
    # Translators: IASSIST's conference for Western Europe in 1977.
    return ComposedTitle(match["name"], label=_("Western European conference"))


def _first_joint_ifdo(match: re.Match[str], event: Event) -> ComposedTitle:
    return ComposedTitle(match["name"], label=_("First joint IASSIST/IFDO conference"))


_ORGANIZATIONS = (
    r"(?P<with>International Political Science Association|International Sociological Association)"
)

#: (English title form, composer); the first form that matches and whose composer accepts
#: the event wins. Every form is the whole title.
RULES: tuple[
    tuple[re.Pattern[str], Callable[[re.Match[str], Event], ComposedTitle | None]], ...
] = (
    (re.compile(rf"(?P<name>.+?) \({_ORDINAL} annual conference\)"), _numbered),
    (
        re.compile(
            rf"(?P<name>.+?) \({_ORDINAL} annual conference, "
            r"(?:held in collaboration with|with) (?P<partner>.+)\)"
        ),
        _numbered_with_partner,
    ),
    (re.compile(rf"(?P<name>.+?) \(was to be the {_ORDINAL} annual conference\)"), _was_to_be),
    (
        re.compile(
            rf"(?P<name>IASSIST \d{{4}}) Global Virtual Conference \(GVC\) - {_ORDINAL} "
            r"annual conference"
        ),
        _global_virtual,
    ),
    (
        re.compile(
            rf"(?P<partners>IASSIST/[A-Z]+) Meeting (?P<year>\d{{4}}) \(part of the {_ORDINAL} "
            r"annual conference (?P<conference>IASSIST \d{4})\)"
        ),
        _part_of,
    ),
    (
        re.compile(rf"{_ORDINAL} IASSIST Africa Regional Workshop(?: \((?P<area>West Africa)\))?"),
        _africa_workshop,
    ),
    (
        re.compile(
            r"(?P<name>Conference on .+?) \(IASSIST founding meeting, in conjunction with the "
            rf"{_ORDINAL} World Congress of Sociology\)"
        ),
        _founding,
    ),
    (
        re.compile(
            r"IASSIST Organizing Committee meeting"
            rf"(?: \(in conjunction with the {_ORGANIZATIONS}\))?"
        ),
        _organizing_committee,
    ),
    (
        re.compile(rf"(?P<name>IASSIST \d{{4}}) \(held in conjunction with the {_ORGANIZATIONS}\)"),
        _name_held_with,
    ),
    (
        re.compile(r"(?P<name>IASSIST \d{4}): 1st Joint Canada/U\.S\. IASSIST conference"),
        _first_joint_canada_us,
    ),
    (re.compile(r"(?P<name>IASSIST \d{4}) Canada conference"), _canada),
    (re.compile(r"(?P<name>IASSIST \d{4}) Western European conference"), _western_europe),
    (
        re.compile(r"(?P<name>IASSIST/IFDO \d{4}) \(first joint IASSIST/IFDO conference\)"),
        _first_joint_ifdo,
    ),
)


def compose_title(event: Event) -> ComposedTitle | None:
    """The event's title composed in the page's locale from its English title (see the
    module docstring), or None when no rule reads the title (it then stays whole, in
    English). Call it on pages in another language than the data's only."""
    for pattern, compose in RULES:
        match = pattern.fullmatch(event.title)
        if match:
            composed = compose(match, event)
            if composed is not None:
                return composed
    return None
