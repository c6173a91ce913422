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

from webapp.events.filters import MAX_VALUE_LENGTH, PAGE, FilterError, parse_year
from webapp.programmes.codes import SESSION_TYPES
from webapp.programmes.search import TalkQuery, clean_query, parse_query

#: Longest search text accepted, in characters (after control characters are removed).
MAX_QUERY_LENGTH = 200
PARAMETERS = ("q", "year", "type", "page")


@dataclass(frozen=True)
class ProgrammeFilter:
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
        values: dict[str, str] = {}
        for name in PARAMETERS:
            given = args.getlist(name)
            if len(given) > 1:
                raise FilterError(name, _l("This parameter may be given only once."))
            if not given or given[0] == "":
                continue
            value = given[0]
            if name == "q":
                if len(value) > 4 * MAX_QUERY_LENGTH:
                    raise FilterError("q", _too_long())
                value = clean_query(value)
                if len(value) > MAX_QUERY_LENGTH:
                    raise FilterError("q", _too_long())
            elif len(value) > MAX_VALUE_LENGTH:
                raise FilterError(name, _l("This value is too long."))
            if value:
                values[name] = value
        year_from = year_to = None
        if "year" in values:
            year_from, year_to = parse_year(values["year"])
        session_type = values.get("type")
        if session_type is not None and session_type not in SESSION_TYPES:
            raise FilterError("type", _l("This is not one of the session types."))
        page = 1
        if "page" in values:
            if not PAGE.match(values["page"]):
                raise FilterError("page", _l("A page number is a whole number from 1."))
            page = int(values["page"])
        return cls(values.get("q", ""), year_from, year_to, session_type, page)

    @property
    def year(self) -> str | None:
        """The year parameter as in URLs (``"2025"`` or ``"2000-2009"``)."""
        if self.year_from is None:
            return None
        if self.year_from == self.year_to:
            return str(self.year_from)
        return f"{self.year_from}-{self.year_to}"

    @property
    def year_label(self) -> str | None:
        """The year filter as a reader sees it (a range with an en dash)."""
        if self.year_from is None:
            return None
        if self.year_from == self.year_to:
            return str(self.year_from)
        return f"{self.year_from}\u2013{self.year_to}"

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
