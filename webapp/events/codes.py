"""Fixed code lists of the event domain and their translatable labels.

The codes are the values stored in the database (checked by constraints) and used in URLs;
the labels are gettext messages shown in the page's locale. Each list is defined here
once: the database's CHECK constraints (:mod:`webapp.events.models`), the loader, the
filters and the templates all read it.

Regions are IASSIST's own regional structure (the brochure's "Structure": a Regional
Secretary for Africa, Asia-Pacific, Canada, Europe and the United States), plus ``online``
for events held online only, with no host country. Which region a country belongs to is
data, ``data/country_regions.csv``, checked against :data:`REGION_LABELS` when read.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_babel.speaklater import LazyString

from webapp.i18n import Gender

DATA_DIR = Path(__file__).resolve().parent / "data"

#: The kind codes, named where code or a template picks out one kind.
ANNUAL_CONFERENCE = "annual_conference"
REGIONAL_WORKSHOP = "regional_workshop"
JOINT_MEETING = "joint_meeting"

#: kind code -> label (plural, as a facet option)
KINDS: dict[str, LazyString] = {
    ANNUAL_CONFERENCE: _l("Annual conferences"),
    REGIONAL_WORKSHOP: _l("Regional workshops"),
    JOINT_MEETING: _l("Joint meetings"),
}
#: kind code -> label (singular, for one event)
KIND_SINGULAR: dict[str, LazyString] = {
    ANNUAL_CONFERENCE: _l("Annual conference"),
    REGIONAL_WORKSHOP: _l("Regional workshop"),
    JOINT_MEETING: _l("Joint meeting"),
}
#: Grammatical gender (``"m"`` or ``"f"``) of the noun a kind's numbered label is
#: composed with ("50e conférence annuelle"), per locale; a locale not listed needs none
#: (English, German). "Conference" is feminine in French, Portuguese and Spanish
#: (conférence, conferência, conferencia); "workshop" is masculine (atelier, workshop,
#: taller).
KIND_NOUN_GENDER: dict[str, dict[str, Gender]] = {
    ANNUAL_CONFERENCE: {"fr": "f", "pt": "f", "es": "f"},
    REGIONAL_WORKSHOP: {"fr": "m", "pt": "m", "es": "m"},
}
#: format code -> label; an unknown format is stored as NULL
FORMATS: dict[str, LazyString] = {
    "in_person": _l("In person"),
    "virtual": _l("Virtual"),
    "hybrid": _l("Hybrid"),
}
#: status code (as the sources had it) -> label
STATUSES: dict[str, LazyString] = {
    "held": _l("Held"),
    "scheduled": _l("Scheduled"),
    "cancelled": _l("Cancelled"),
    "postponed": _l("Postponed"),
}
#: The statuses an event's badge shows (instead of upcoming/happening now), and that keep
#: an annual conference that never took place in the list of past conferences.
SHOWN_STATUSES: tuple[str, ...] = ("cancelled", "postponed")
#: region code -> label: the one list of regions (codes in this order, the CHECK
#: constraint, the filter's valid values, the facet's options). Basis of each: the
#: brochure's "Structure" (a Regional Secretary per region; Africa is also the site's
#: IASSIST Africa chapter); ``online`` is not a region of members but the place of events
#: held online only.
REGION_LABELS: dict[str, LazyString] = {
    "africa": _l("Africa"),
    "asia_pacific": _l("Asia-Pacific"),
    "canada": _l("Canada"),
    "europe": _l("Europe"),
    "united_states": _l("United States"),
    "online": _l("Online"),
}
#: timing (derived from the dates and today) -> label
TIMINGS = {
    "upcoming": _l("Upcoming"),
    "ongoing": _l("Happening now"),
    "past": _l("Past"),
}


def events_count_label(count: int) -> LazyString:
    """The count of events in the page's locale, "1 event" / "N events" (a lazy ngettext
    message)."""
    return lazy_ngettext("%(num)d event", "%(num)d events", count)


def region_codes() -> tuple[str, ...]:
    """The region codes of :data:`REGION_LABELS`, in its order."""
    return tuple(REGION_LABELS)


#: ISO 3166-1 alpha-2 country code -> IASSIST region code (columns ``country_code``,
#: ``region``, ``note``: the reason for a non-obvious entry).
COUNTRY_REGIONS_FILE = DATA_DIR / "country_regions.csv"


@cache
def country_regions(path: Path = COUNTRY_REGIONS_FILE) -> dict[str, str]:
    """ISO 3166-1 alpha-2 country code -> IASSIST region code, from ``path`` (default
    :data:`COUNTRY_REGIONS_FILE`), checked against :data:`REGION_LABELS`.

    Raises:
        ValueError: a row names a region that is not in :data:`REGION_LABELS`, or lists
            a country twice (the message names the file, row and field).
        OSError: the file cannot be read.
    """
    table: dict[str, str] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            if row["region"] not in REGION_LABELS:
                raise ValueError(
                    f"{path.name}, row {line}, field 'region': "
                    f"{row['region']!r} is not one of {', '.join(REGION_LABELS)}"
                )
            if row["country_code"] in table:
                raise ValueError(
                    f"{path.name}, row {line}, field 'country_code': "
                    f"{row['country_code']} is listed twice"
                )
            table[row["country_code"]] = row["region"]
    return table
