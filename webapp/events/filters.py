"""The event browser's query parameters, parsed once into a validated :class:`EventFilter`.

Parameters (all optional, each at most once): ``year`` (``2025``, or a range
``2000-2009``), ``type`` (a kind code), ``region`` (a region code), ``page`` (1, 2, …),
and ``after`` or ``before`` (a :class:`PageCursor`: where page ``page`` starts or ends, so
that the server seeks to it in the index instead of counting rows up to it; the
"Previous page" and "Next page" links of the htmx results carry one). An empty value means
"any" (the form's "All" option). Unknown parameters are ignored. Anything else is a
:class:`FilterError`, which the view turns into a 400 page in the visitor's language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from werkzeug.datastructures import MultiDict

from webapp.events.codes import KINDS, region_codes

#: ASCII digits only: ``int()`` would accept "+2024", " 2024" and "٢٠٢٤" (Arabic-Indic).
YEAR = re.compile(r"^([0-9]{4})(?:-([0-9]{4}))?$")
PAGE = re.compile(r"^[1-9][0-9]{0,4}$")
MAX_VALUE_LENGTH = 40
PARAMETERS = ("year", "type", "region", "page")
#: The cursor parameters (:class:`PageCursor`) and their longest value (a slug has at most
#: 80 characters, see :class:`webapp.events.models.Event`).
CURSOR_PARAMETERS = ("after", "before")
MAX_CURSOR_LENGTH = 120
#: ``<section><year>.<sort day or "undated">.<slug>.<tag>``, e.g.
#: ``p2001.2001-05-03.synthetic-012345.3fa9c2d1`` (see :class:`PageCursor`).
CURSOR = re.compile(
    r"^([up])([0-9]{4})\.([0-9]{4}-[0-9]{2}-[0-9]{2}|undated)\."
    r"([a-z0-9]+(?:-[a-z0-9]+)*)\.([0-9a-f]{8})$"
)
UNDATED = "undated"


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


def single_values(args: MultiDict, limits: Mapping[str, int]) -> dict[str, str]:
    """The parameters named in ``limits`` ({name: longest value in characters}) that
    ``args`` gives a non-empty value, each at most once: {name: value}. Shared by every
    page that reads filters from its URL (the event browser, the programme search).

    Raises:
        FilterError: a parameter is repeated, or its value is longer than its limit.
    """
    values: dict[str, str] = {}
    for name, longest in limits.items():
        given = args.getlist(name)
        if len(given) > 1:
            raise FilterError(name, _l("This parameter may be given only once."))
        if given and len(given[0]) > longest:
            raise FilterError(name, _l("This value is too long."))
        if given and given[0] != "":
            values[name] = given[0]
    return values


def parse_page(value: str | None) -> int:
    """The ``page`` parameter (``"1"``, ``"2"``, … ASCII digits, at most 5) as an int;
    1 when absent (None).

    Raises:
        FilterError: not a whole number from 1.
    """
    if value is None:
        return 1
    if not PAGE.match(value):
        raise FilterError("page", _l("A page number is a whole number from 1."))
    return int(value)


class YearBounds:
    """The ``year`` filter of a filter dataclass that has ``year_from`` and ``year_to``
    (inclusive, int | None), as URLs and readers write it."""

    year_from: int | None
    year_to: int | None

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


@dataclass(frozen=True)
class RowKey:
    """Where an event stands in the browser's order (:mod:`webapp.events.queries`):
    ``section`` (``"u"``: upcoming or ongoing, ``"p"``: past), ``year`` (int), ``day`` (the
    sort day, a ``date``, or None when the event's dates are unknown) and ``slug``."""

    section: str
    year: int
    day: date | None
    slug: str


@dataclass(frozen=True)
class PageCursor:
    """A keyset cursor: page ``page`` of the filter starts right after the event ``key``
    (``direction`` ``"after"``) or ends right before it (``"before"``).

    ``tag`` (8 hex digits, :func:`webapp.events.queries.cursor_tag`) names the day and the
    store's event counts the cursor was made for: the results honour a cursor only when
    its tag is the current one, and otherwise count rows up to the page as without a
    cursor, so a link made before a load or on another day still shows page ``page``.

    In URLs (``after=`` or ``before=``): ``<u|p><year>.<YYYY-MM-DD|undated>.<slug>.<tag>``,
    readable by a person, e.g. ``after=p2001.2001-05-03.synthetic-012345.3fa9c2d1``.
    """

    direction: str
    key: RowKey
    tag: str

    @classmethod
    def parse(cls, direction: str, value: str) -> PageCursor:
        """The cursor ``value`` of the parameter ``direction`` (``"after"``/``"before"``).

        Raises:
            FilterError: ``value`` is not a cursor as described above (or names a day that
                does not exist).
        """
        match = CURSOR.match(value)
        day: date | None = None
        if match and match.group(3) != UNDATED:
            try:
                day = date.fromisoformat(match.group(3))
            except ValueError:
                match = None
        if not match:
            raise FilterError(
                direction,
                _l("This link to a page of results is damaged; use the page numbers instead."),
            )
        key = RowKey(match.group(1), int(match.group(2)), day, match.group(4))
        return cls(direction, key, match.group(5))

    def __str__(self) -> str:
        day = self.key.day.isoformat() if self.key.day else UNDATED
        return f"{self.key.section}{self.key.year:04d}.{day}.{self.key.slug}.{self.tag}"


@dataclass(frozen=True)
class EventFilter(YearBounds):
    """A validated filter of the event browser.

    Attributes:
        year_from, year_to: inclusive year bounds (int | None); equal for a single year.
        kind: a code of :data:`webapp.events.codes.KINDS` or None.
        region: a region code or None.
        page: the page number, from 1.
        cursor: a :class:`PageCursor` locating ``page`` in the index, or None. It is not
            part of the canonical URL (:meth:`to_args`): the page is the same with or
            without it.
    """

    year_from: int | None = None
    year_to: int | None = None
    kind: str | None = None
    region: str | None = None
    page: int = 1
    cursor: PageCursor | None = None

    @classmethod
    def from_args(cls, args: MultiDict) -> EventFilter:
        """Parse request arguments.

        Raises:
            FilterError: a parameter is repeated, too long, or not a valid value; both
                ``after`` and ``before`` are given.
        """
        values = single_values(
            args,
            {name: MAX_VALUE_LENGTH for name in PARAMETERS}
            | {name: MAX_CURSOR_LENGTH for name in CURSOR_PARAMETERS},
        )
        year_from = year_to = None
        if "year" in values:
            year_from, year_to = parse_year(values["year"])
        kind = values.get("type")
        if kind is not None and kind not in KINDS:
            raise FilterError("type", _l("This is not one of the event types."))
        region = values.get("region")
        if region is not None and region not in region_codes():
            raise FilterError("region", _l("This is not one of IASSIST's regions."))
        page = parse_page(values.get("page"))
        cursor = None
        if "after" in values and "before" in values:
            raise FilterError(
                "before", _l("A page can start after an event or end before one, not both.")
            )
        for name in CURSOR_PARAMETERS:
            if name in values:
                cursor = PageCursor.parse(name, values[name])
        return cls(year_from, year_to, kind, region, page, cursor)

    @property
    def is_filtered(self) -> bool:
        """True when any of year, type or region is set."""
        return any((self.year_from, self.kind, self.region))

    def to_args(self) -> dict[str, str]:
        """The URL query parameters, in canonical order, without empty ones (page 1 is
        left out) and without the cursor, so that a filtered view has one stable,
        shareable URL."""
        args = {"year": self.year, "type": self.kind, "region": self.region}
        if self.page > 1:
            args["page"] = str(self.page)
        return {k: v for k, v in args.items() if v is not None}

    def with_page(self, page: int) -> EventFilter:
        """The same filter on another page (without a cursor)."""
        return replace(self, page=page, cursor=None)

    def cursor_args(self, direction: str, key: RowKey, tag: str) -> dict[str, str]:
        """:meth:`to_args` plus the cursor ``direction`` (``"after"``/``"before"``) of
        ``key`` and ``tag``: the URL of this page found by seeking (see
        :class:`PageCursor`)."""
        return {**self.to_args(), direction: str(PageCursor(direction, key, tag))}

    def without(self, facet: str) -> EventFilter:
        """The same filter with one facet (``"year"``, ``"type"`` or ``"region"``) cleared,
        on page 1: the filter that facet's counts are computed with."""
        cleared = {
            "year": {"year_from": None, "year_to": None},
            "type": {"kind": None},
            "region": {"region": None},
        }[facet]
        return replace(self, page=1, cursor=None, **cleared)
