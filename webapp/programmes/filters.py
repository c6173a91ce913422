"""The programme search's query parameters, parsed once into a validated
:class:`ProgrammeFilter`.

Parameters (all optional, each at most once): ``q`` (the text searched, at most
:data:`MAX_QUERY_LENGTH` characters), ``year`` (the event browser's grammar: ``2025`` or
``2000-2009``, parsed by :func:`webapp.events.filters.parse_year`), ``type`` (a session
type code), ``page`` (1, 2, …). An empty value means "any". Unknown parameters are
ignored. Anything else is a :class:`webapp.events.filters.FilterError`, which the view
turns into a 400 page in the visitor's language.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from werkzeug.datastructures import MultiDict

from webapp.events.filters import (
    MAX_VALUE_LENGTH,
    FilterError,
    YearBounds,
    parse_page,
    parse_year,
    single_values,
)
from webapp.programmes.codes import SESSION_TYPES
from webapp.programmes.search import TalkQuery, clean_query, parse_query

#: Longest search text accepted, in characters (after control characters are removed).
MAX_QUERY_LENGTH = 200
PARAMETERS = ("q", "year", "type", "page")


@dataclass(frozen=True)
class ProgrammeFilter(YearBounds):
    """A validated filter of the programme search.

    Attributes:
        q: the search text as shown back (control characters removed, whitespace
            collapsed), "" for none.
        year_from, year_to: inclusive year bounds (int | None).
        session_type: a code of :data:`SESSION_TYPES` or None.
        page: the page number, from 1.
    """

    q: str = ""
    year_from: int | None = None
    year_to: int | None = None
    session_type: str | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args: MultiDict) -> ProgrammeFilter:
        """Parse request arguments.

        Raises:
            FilterError: a parameter is repeated, too long, or not a valid value.
        """
        # The raw text may be longer than the limit: control characters and runs of
        # spaces are dropped before it is measured (up to four times the limit).
        if len(args.get("q", "")) > 4 * MAX_QUERY_LENGTH:
            raise FilterError("q", _too_long())
        values = single_values(
            args, {name: MAX_VALUE_LENGTH for name in PARAMETERS} | {"q": 4 * MAX_QUERY_LENGTH}
        )
        if "q" in values:
            values["q"] = clean_query(values["q"])
            if len(values["q"]) > MAX_QUERY_LENGTH:
                raise FilterError("q", _too_long())
        year_from = year_to = None
        if "year" in values:
            year_from, year_to = parse_year(values["year"])
        session_type = values.get("type")
        if session_type is not None and session_type not in SESSION_TYPES:
            raise FilterError("type", _l("This is not one of the session types."))
        return cls(
            values.get("q", ""), year_from, year_to, session_type, parse_page(values.get("page"))
        )

    @property
    def is_filtered(self) -> bool:
        """True when a text, a year or a session type is set."""
        return bool(self.q or self.year_from or self.session_type)

    def to_args(self) -> dict[str, str]:
        """The URL query parameters in canonical order, without empty ones (page 1 left
        out): one stable, shareable URL per search."""
        args = {"q": self.q or None, "year": self.year, "type": self.session_type}
        if self.page > 1:
            args["page"] = str(self.page)
        return {k: v for k, v in args.items() if v is not None}

    def with_page(self, page: int) -> ProgrammeFilter:
        """The same search on another page."""
        return replace(self, page=page)

    def query(self) -> TalkQuery:
        """The engine-independent query (:class:`webapp.programmes.search.TalkQuery`)."""
        return TalkQuery(parse_query(self.q), self.year_from, self.year_to, self.session_type)


def _too_long() -> LazyString:
    return _l("The search text is too long: at most %(num)d characters.", num=MAX_QUERY_LENGTH)
