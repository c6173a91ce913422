"""Fixed code lists of the event domain and their translatable labels.

The codes are the values stored in the database (checked by constraints) and used in URLs;
the labels are gettext messages shown in the page's locale. Region codes and the
country→region table are data: ``data/regions.csv`` and ``data/country_regions.csv``
(IASSIST's own regional structure, from its brochure: Africa, Asia-Pacific, Canada,
Europe, United States; plus ``online`` for events with no host country).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

DATA_DIR = Path(__file__).resolve().parent / "data"

#: kind code -> label (plural, as a facet option)
KINDS = {
    "annual_conference": _l("Annual conferences"),
    "regional_workshop": _l("Regional workshops"),
    "joint_meeting": _l("Joint meetings"),
}
#: kind code -> label (singular, for one event)
KIND_SINGULAR = {
    "annual_conference": _l("Annual conference"),
    "regional_workshop": _l("Regional workshop"),
    "joint_meeting": _l("Joint meeting"),
}
#: format code -> label; an unknown format is stored as NULL
FORMATS = {
    "in_person": _l("In person"),
    "virtual": _l("Virtual"),
    "hybrid": _l("Hybrid"),
}
#: status code (as the sources had it) -> label; only cancelled and postponed are shown
STATUSES = {
    "held": _l("Held"),
    "scheduled": _l("Scheduled"),
    "cancelled": _l("Cancelled"),
    "postponed": _l("Postponed"),
}
SHOWN_STATUSES = ("cancelled", "postponed")
#: region code -> label
REGION_LABELS = {
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


def events_count_label(count: int):
    """ "1 event" / "N events" in the page's locale (a lazy ngettext message)."""
    return lazy_ngettext("%(num)d event", "%(num)d events", count)


@cache
def region_codes() -> tuple[str, ...]:
    """The region codes in ``data/regions.csv``, in file order.

    Raises:
        OSError: the file cannot be read.
    """
    with open(DATA_DIR / "regions.csv", encoding="utf-8", newline="") as fh:
        return tuple(row["code"] for row in csv.DictReader(fh))


@cache
def country_regions() -> dict[str, str]:
    """ISO 3166-1 alpha-2 country code -> IASSIST region code, from
    ``data/country_regions.csv`` (the reasons for non-obvious entries are in its ``note``
    column).

    Raises:
        ValueError: a row names a region that is not in ``regions.csv``.
    """
    codes = region_codes()
    table = {}
    with open(DATA_DIR / "country_regions.csv", encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            if row["region"] not in codes:
                raise ValueError(
                    f"country_regions.csv, row {line}: unknown region {row['region']!r}"
                )
            table[row["country_code"]] = row["region"]
    return table
