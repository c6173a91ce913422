"""The event browser's query parameters, parsed once into a validated :class:`EventFilter`.

Parameters (all optional, each at most once): ``year`` (``2025``, or a range
``2000-2009``), ``type`` (a kind code), ``region`` (a region code), ``page`` (1, 2, …).
An empty value means "any" (the form's "All" option). Unknown parameters are ignored.
Anything else is a :class:`FilterError`, which the view turns into a 400 page in the
visitor's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from werkzeug.datastructures import MultiDict

from webapp.events.codes import KINDS, region_codes

#: ASCII digits only: ``int()`` would accept "+2024", " 2024" and "٢٠٢٤" (Arabic-Indic).
YEAR = re.compile(r"^([0-9]{4})(?:-([0-9]{4}))?$")
PAGE = re.compile(r"^[1-9][0-9]{0,4}$")
MAX_VALUE_LENGTH = 40
PARAMETERS = ("year", "type", "region", "page")


class FilterError(ValueError):
    """A query parameter the browser cannot use.

    Attributes:
        parameter: the parameter's name (str).
        message: a lazy gettext message explaining what was wrong, for the 400 page.
    """

    def __init__(self, parameter: str, message: LazyString) -> None:
        self.parameter = parameter
        self.message = message
        super().__init__(f"{parameter}: {message}")


def parse_year(value: str) -> tuple[int, int]:
    """The ``year`` parameter (``"2025"`` or ``"2000-2009"``, ASCII digits) as inclusive
    bounds ``(year_from, year_to)``; equal for a single year. Shared by every page that
    filters by year (the event browser, the programme search).

    Raises:
        FilterError: not a year or a range, or a range that runs backwards.
    """
    match = YEAR.match(value)
    if not match:
        raise FilterError(
            "year", _l("A year is four digits, such as 2025, or a range such as 2000-2009.")
        )
    year_from = int(match.group(1))
    year_to = int(match.group(2) or match.group(1))
    if year_to < year_from:
        raise FilterError("year", _l("A range of years must start with the earlier year."))
    return year_from, year_to


@dataclass(frozen=True)
class EventFilter:
    """A validated filter of the event browser.

    Attributes:
        year_from, year_to: inclusive year bounds (int | None); equal for a single year.
        kind: a code of :data:`webapp.events.codes.KINDS` or None.
        region: a region code or None.
        page: the page number, from 1.
    """

    year_from: int | None = None
    year_to: int | None = None
    kind: str | None = None
    region: str | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args: MultiDict) -> EventFilter:
        """Parse request arguments.

        Raises:
            FilterError: a parameter is repeated, too long, or not a valid value.
        """
        values: dict[str, str] = {}
        for name in PARAMETERS:
            given = args.getlist(name)
            if len(given) > 1:
                raise FilterError(name, _l("This parameter may be given only once."))
            if given and len(given[0]) > MAX_VALUE_LENGTH:
                raise FilterError(name, _l("This value is too long."))
            if given and given[0] != "":
                values[name] = given[0]
        year_from = year_to = None
        if "year" in values:
            year_from, year_to = parse_year(values["year"])
        kind = values.get("type")
        if kind is not None and kind not in KINDS:
            raise FilterError("type", _l("This is not one of the event types."))
        region = values.get("region")
        if region is not None and region not in region_codes():
            raise FilterError("region", _l("This is not one of IASSIST's regions."))
        page = 1
        if "page" in values:
            if not PAGE.match(values["page"]):
                raise FilterError("page", _l("A page number is a whole number from 1."))
            page = int(values["page"])
        return cls(year_from, year_to, kind, region, page)

    @property
    def year(self) -> str | None:
        """The year parameter as it appears in URLs (``"2025"`` or ``"2000-2009"``)."""
        if self.year_from is None:
            return None
        if self.year_from == self.year_to:
            return str(self.year_from)
        return f"{self.year_from}-{self.year_to}"

    @property
    def year_label(self) -> str | None:
        """The year filter as a reader sees it: ``"2025"``, or a range with an en dash,
        ``"2000–2009"``."""
        if self.year_from is None:
            return None
        if self.year_from == self.year_to:
            return str(self.year_from)
        return f"{self.year_from}\u2013{self.year_to}"

    @property
    def is_filtered(self) -> bool:
        """True when any of year, type or region is set."""
        return any((self.year_from, self.kind, self.region))

    def to_args(self) -> dict[str, str]:
        """The URL query parameters, in canonical order, without empty ones (page 1 is
        left out), so that a filtered view has one stable, shareable URL."""
        args = {"year": self.year, "type": self.kind, "region": self.region}
        if self.page > 1:
            args["page"] = str(self.page)
        return {k: v for k, v in args.items() if v is not None}

    def with_page(self, page: int) -> EventFilter:
        """The same filter on another page."""
        return replace(self, page=page)

    def without(self, facet: str) -> EventFilter:
        """The same filter with one facet (``"year"``, ``"type"`` or ``"region"``) cleared,
        on page 1: the filter that facet's counts are computed with."""
        cleared = {
            "year": {"year_from": None, "year_to": None},
            "type": {"kind": None},
            "region": {"region": None},
        }[facet]
        return replace(self, page=1, **cleared)
