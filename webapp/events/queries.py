"""Queries of the event browser: the filtered, ordered, paged list and the facet counts.

Ordering (what a visitor expects of an event list): upcoming and ongoing events first,
soonest first; then past events, most recent first. Events with unknown dates sort by
their year, after the dated events of that year; the slug breaks ties.
Upcoming, ongoing and past are :mod:`webapp.events.timing`'s rule. Each part is read in
the order of an index (see :mod:`webapp.events.models`), so no query sorts its matches,
and the counts come from :mod:`webapp.events.counts`.

Paging: ``?page=N`` is read by OFFSET from whichever end of the list is nearer; the
"Previous page" and "Next page" links of the htmx results carry a keyset cursor
(:class:`webapp.events.filters.PageCursor`: the sort key of the row next to the page), and
a page asked with one is read by seeking to that key in the index (a row-value range,
``(year, sort day) > (?, ?)``), so that stepping through the list costs the same at any
depth. Both give the same rows for the same page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import ColumnElement, Date, Integer, String, and_, bindparam, func, or_, tuple_
from sqlalchemy.sql.elements import SQLCoreOperations
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select, SelectOfScalar

from webapp.events.codes import (
    ANNUAL_CONFERENCE,
    JOINT_MEETING,
    REGIONAL_WORKSHOP,
    SHOWN_STATUSES,
)
from webapp.events.filters import EventFilter, PageCursor, RowKey
from webapp.events.models import UNKNOWN_PAST_KEY, UNKNOWN_UPCOMING_KEY, Event
from webapp.events.timing import is_past_sql, timing_condition_sql


@dataclass(frozen=True)
class EventPage:
    """One page of results: ``ids`` (list[int], the events' ids in order), ``total`` (int,
    over all pages), ``page`` (int, from 1), ``pages`` (int, at least 1), ``per_page``
    (int); ``first`` and ``last`` (:class:`~webapp.events.filters.RowKey`, None on an
    empty page): where the page's first and last events stand in the order, for the
    cursors of the links to the previous and next page. :func:`events_by_id` reads the
    events themselves."""

    ids: list[int]
    total: int
    page: int
    pages: int
    per_page: int
    first: RowKey | None = None
    last: RowKey | None = None


@dataclass(frozen=True)
class Facets:
    """Facet counts, each computed with the *other* filters applied.

    ``kind`` and ``region``: {code: count} for every code (0 included); ``year``:
    {year: count} for every year that has an event at all (0 included), so an option
    never vanishes, it is only disabled.
    """

    kind: dict[str, int]
    region: dict[str, int]
    year: dict[int, int]


#: Sort keys standing in for unknown dates: after every known date (upcoming events) and
#: before every known date (past events), so that an event with unknown dates sorts last.
LAST_DAY = UNKNOWN_UPCOMING_KEY
FIRST_DAY = UNKNOWN_PAST_KEY


def _conditions(flt: EventFilter, years: bool = True) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if years and flt.year_from is not None:
        conditions.append(col(Event.year).between(flt.year_from, flt.year_to))
    if flt.kind is not None:
        conditions.append(col(Event.kind) == flt.kind)
    if flt.region is not None:
        conditions.append(col(Event.region) == flt.region)
    return conditions


def _over(today: date) -> ColumnElement[bool]:
    """SQL: the event is past on ``today`` (:mod:`webapp.events.timing`'s rule)."""
    return timing_condition_sql(today, "past")


def _not_over(today: date) -> ColumnElement[bool]:
    """SQL: the event is upcoming or ongoing on ``today``."""
    return timing_condition_sql(today, "upcoming", "ongoing")


#: A result row of the ordering statements: (id, year, sort day, slug).
Row = tuple[int, int, date, str]
#: An ordering statement (its rows are :data:`Row`; ``id`` is never NULL once stored).
RowSelect = Select[int | None, int, date, str]


def _upcoming_ids(flt: EventFilter, today: date, reverse: bool = False) -> RowSelect:
    """SQL: (id, year, sort day, slug) of the events of ``flt`` still to come or under way,
    soonest first (``reverse``: latest first).

    An event that is not over ends on or after today, and the loader accepts no event that
    ends later than the year after its own, so every such event is of last year or later:
    the query is a range of an ``ix_event_upcoming_*`` index from there, in its order (or
    backwards), the timing rule answered from the index (``end_date``, ``year``).
    """
    columns = (col(Event.year), col(Event.upcoming_key), col(Event.slug))
    order: list[Any] = [c.desc() for c in columns] if reverse else list(columns)
    return (
        select(col(Event.id), *columns)
        .where(*_conditions(flt), col(Event.year) >= today.year - 1, _not_over(today))
        .order_by(*order)
    )


def _past_ids(flt: EventFilter, today: date, reverse: bool = False) -> RowSelect:
    """SQL: (id, year, sort day, slug) of the past events of ``flt``, most recent first
    (``reverse``: oldest first). A past event ended before today, so its year is at most
    this year: a range of an ``ix_event_past_*`` index, in its order (or backwards)."""
    order = (col(Event.year).desc(), col(Event.past_key).desc(), col(Event.slug).asc())
    if reverse:
        order = (col(Event.year).asc(), col(Event.past_key).asc(), col(Event.slug).desc())
    return (
        select(col(Event.id), col(Event.year), col(Event.past_key), col(Event.slug))
        .where(*_conditions(flt), col(Event.year) <= today.year, _over(today))
        .order_by(*order)
    )


def _segment_ids(flt: EventFilter, today: date, section: str) -> RowSelect:
    """SQL: (id, year, sort day, slug) of the events of ``flt`` in one section (``"u"``,
    ``"p"``) and one year (bound parameter ``segment_year``), in the browser's order: one
    year of an index (``kind=? AND region=? AND year=?``), the unit in which
    :func:`search_events` counts its way to a page."""
    year = col(Event.year) == bindparam("segment_year", type_=Integer)
    if section == "u":
        columns = (col(Event.year), col(Event.upcoming_key), col(Event.slug))
        order: list[Any] = list(columns)
        timing = _not_over(today)
    else:
        columns = (col(Event.year), col(Event.past_key), col(Event.slug))
        order = [col(Event.year).desc(), col(Event.past_key).desc(), col(Event.slug).asc()]
        timing = _over(today)
    return (
        select(col(Event.id), *columns)
        .where(*_conditions(flt, years=False), year, timing)
        .order_by(*order)
    )


def _beyond(
    day_column: SQLCoreOperations[date], up: bool, later_slugs: bool
) -> ColumnElement[bool]:
    """SQL: the row comes after the cursor row (bound parameters ``cursor_year``,
    ``cursor_day``, ``cursor_slug``) in an order where the year and the sort day both go up
    (``up``) or both go down, and the slug goes up (``later_slugs``) or down. The pair
    (year, sort day) is compared as a row value, which SQLite and PostgreSQL read as a
    range of the index: the index is entered at the cursor's row (a seek)."""
    year = bindparam("cursor_year", type_=Integer)
    day = bindparam("cursor_day", type_=Date)
    slug = bindparam("cursor_slug", type_=String)
    pair, cursor = tuple_(col(Event.year), day_column), tuple_(year, day)
    slug_beyond = col(Event.slug) > slug if later_slugs else col(Event.slug) < slug
    if up:
        return and_(pair >= cursor, or_(pair > cursor, slug_beyond))
    return and_(pair <= cursor, or_(pair < cursor, slug_beyond))


def _going_up(section: str, direction: str) -> bool:
    """True when a seek reads years upwards: after a row of the upcoming section (soonest
    first) or before a row of the past one (read backwards, oldest first)."""
    return (section == "u") == (direction == "after")


def _seek(flt: EventFilter, today: date, section: str, direction: str) -> RowSelect:
    """SQL: the rows of a section (``"u"`` or ``"p"``) of ``flt`` after or before
    (``direction``) the cursor row, nearest first: the browser's order after it, backwards
    before it. The cursor's side of the range is the row value of :func:`_beyond`; the
    other side is one bound parameter ``year_limit`` (:func:`_seek_limit`), so that the
    index range is the cursor's row to the end of the section."""
    reverse = direction == "before"
    up = _going_up(section, direction)
    limit = bindparam("year_limit", type_=Integer)
    far = col(Event.year) <= limit if up else col(Event.year) >= limit
    if section == "u":
        columns = (col(Event.year), col(Event.upcoming_key), col(Event.slug))
        order: list[Any] = [c.desc() for c in columns] if reverse else list(columns)
        beyond = _beyond(col(Event.upcoming_key), up, later_slugs=up)
        timing = _not_over(today)
    else:
        columns = (col(Event.year), col(Event.past_key), col(Event.slug))
        order = [col(Event.year).desc(), col(Event.past_key).desc(), col(Event.slug).asc()]
        if reverse:
            order = [col(Event.year).asc(), col(Event.past_key).asc(), col(Event.slug).desc()]
        beyond = _beyond(col(Event.past_key), up, later_slugs=not reverse)
        timing = _over(today)
    return (
        select(col(Event.id), *columns)
        .where(*_conditions(flt, years=False), far, timing, beyond)
        .order_by(*order)
    )


def _seek_limit(flt: EventFilter, today: date, cursor: PageCursor) -> int | None:
    """The far end of a cursor's seek (``year_limit`` of :func:`_seek`): the last year (or
    the first, reading downwards) of the filter and of the section (upcoming events are of
    last year or later, past ones of this year or earlier: see :func:`_upcoming_ids`,
    :func:`_past_ids`). None when the cursor's year is outside that range: no row of the
    filter can be next to it (a cursor made by hand), and the page is counted instead."""
    low = flt.year_from if flt.year_from is not None else 0
    high = flt.year_to if flt.year_to is not None else 9999
    if cursor.key.section == "u":
        low = max(low, today.year - 1)
    else:
        high = min(high, today.year)
    if not low <= cursor.key.year <= high:
        return None
    return high if _going_up(cursor.key.section, cursor.direction) else low


@dataclass(frozen=True)
class _Statements:
    """The statements of one filter (page aside) on one day, built once and reused, so
    that SQLAlchemy builds and keys them once (its cache key is memoized per statement);
    ``limit``, ``offset``, the year of a segment and the cursor's values are bound
    parameters.

    ``upcoming``/``past``: the sections from their start, in the browser's order;
    ``upcoming_reversed``: the upcoming section from its end; ``*_year``: one year of a
    section (:func:`_segment_ids`); ``*_after``: the rows after a cursor row, in order;
    ``*_before``: the rows before a cursor row, backwards (nearest first);
    ``recent_upcoming_count``: how many events of last year and this year are still to
    come or under way."""

    upcoming: RowSelect
    past: RowSelect
    upcoming_reversed: RowSelect
    upcoming_year: RowSelect
    past_year: RowSelect
    upcoming_after: RowSelect
    upcoming_before: RowSelect
    past_after: RowSelect
    past_before: RowSelect
    recent_upcoming_count: SelectOfScalar[int]


def _seek_statements(flt: EventFilter, today: date) -> dict[str, RowSelect]:
    """The four cursor seeks of ``flt`` (without a limit): ``upcoming_after``,
    ``upcoming_before``, ``past_after``, ``past_before`` (see :class:`_Statements`)."""
    return {
        f"{name}_{direction}": _seek(flt, today, section, direction)
        for name, section in (("upcoming", "u"), ("past", "p"))
        for direction in ("after", "before")
    }


@lru_cache(maxsize=2048)
def _statements(flt: EventFilter, today: date) -> _Statements:
    limit, offset = bindparam("limit", type_=Integer), bindparam("offset", type_=Integer)
    recent = (
        select(func.count())
        .select_from(Event)
        .where(
            *_conditions(flt),
            col(Event.year).between(today.year - 1, today.year),
            _not_over(today),
        )
    )
    seeks = {name: s.limit(limit) for name, s in _seek_statements(flt, today).items()}
    return _Statements(
        upcoming=_upcoming_ids(flt, today).limit(limit).offset(offset),
        past=_past_ids(flt, today).limit(limit).offset(offset),
        upcoming_reversed=_upcoming_ids(flt, today, reverse=True).limit(limit).offset(offset),
        upcoming_year=_segment_ids(flt, today, "u").limit(limit).offset(offset),
        past_year=_segment_ids(flt, today, "p").limit(limit).offset(offset),
        recent_upcoming_count=recent,
        **seeks,
    )


def _rows(
    session: Session,
    statement: RowSelect,
    limit: int,
    offset: int = 0,
    cursor: PageCursor | None = None,
    year_limit: int | None = None,
    year: int | None = None,
) -> list[Row]:
    """The rows of one of the :class:`_Statements`: at most ``limit``, after ``offset``
    rows; of ``year`` for the statements of one year; for the seek statements, beyond the
    ``cursor`` row up to ``year_limit`` (:func:`_seek_limit`)."""
    if limit <= 0:
        return []
    params: dict[str, Any] = {"limit": limit, "offset": offset, "segment_year": year}
    if cursor is not None:
        key = cursor.key
        unknown = UNKNOWN_UPCOMING_KEY if key.section == "u" else UNKNOWN_PAST_KEY
        params |= {
            "cursor_year": key.year,
            "cursor_day": key.day or unknown,
            "cursor_slug": key.slug,
            "year_limit": year_limit,
        }
    found = session.exec(statement, params=params).all()
    return [(cast(int, id_), year_, day, slug) for id_, year_, day, slug in found]


def _row_key(section: str, row: Row) -> RowKey:
    _id, year, day, slug = row
    known = day not in (UNKNOWN_UPCOMING_KEY, UNKNOWN_PAST_KEY)
    return RowKey(section, year, day if known else None, slug)


def cursor_tag(rows: Iterable[tuple[int, str, str, int]], today: date) -> str:
    """The tag of the cursors made on ``today`` from a store whose counts table is ``rows``
    (:func:`webapp.events.counts.count_rows`): 8 hex digits of a SHA-256 of both. A cursor
    is honoured only while its tag is the current one: a new day moves events from
    upcoming to past, and a load that adds, removes or moves events between years, types
    or regions changes the counts, and either can move events between pages. The tag
    depends on the data, not on when it was loaded, so that two stores holding the same
    events (SQLite and PostgreSQL) make the same links. A load that only changes days
    within a year keeps the tag: such a cursor still leads to the events next to its own
    event in the new order (see :class:`webapp.events.filters.PageCursor`)."""
    digest = hashlib.sha256(today.isoformat().encode())
    for row in sorted(rows):
        digest.update(repr(row).encode())
    return digest.hexdigest()[:8]


def result_statements(flt: EventFilter, today: date) -> dict[str, RowSelect]:
    """The SQL statements the browser runs for ``flt`` (for ``EXPLAIN`` in
    ``tools/benchmark.py``): ``upcoming`` and ``past`` (a section from its start),
    ``upcoming, one year`` and ``past, one year`` (counting to a page, bound parameter
    ``segment_year``), and the cursors' seeks ``upcoming_after``, ``upcoming_before``,
    ``past_after``, ``past_before`` (bound parameters ``cursor_year``, ``cursor_day``,
    ``cursor_slug``, ``year_limit``)."""
    return {
        "upcoming": _upcoming_ids(flt, today),
        "past": _past_ids(flt, today),
        "upcoming, one year": _segment_ids(flt, today, "u"),
        "past, one year": _segment_ids(flt, today, "p"),
        **_seek_statements(flt, today),
    }


#: A run of the list that :func:`search_events` counts over: (section ``"u"``/``"p"``,
#: year or None for "last year and this year", number of events).
Segment = tuple[str, int | None, int]


def list_segments(
    session: Session, flt: EventFilter, today: date, rows: Iterable[tuple[int, str, str, int]]
) -> list[Segment]:
    """The list of ``flt`` on ``today`` as :data:`Segment` runs, in the browser's order:
    the upcoming section (last year and this year, then each later year upwards), then
    the past one (this year and last year, then each earlier year downwards); empty runs
    left out.

    The counts table (``rows``) gives each year's number of events of ``flt``. Every event
    of a year after this one is still to come (its first day is in its year), and every
    event of a year before last year is over (the loader accepts no event that ends later
    than the year after its own), so only last year and this year are split between the
    sections, by one count over their range of an ``ix_event_upcoming_*`` index
    (``recent_upcoming_count``), made only when the filter has events in those years.
    The result depends only on the data, ``flt`` (page aside) and ``today``: the view
    keeps it per data version (:func:`webapp.memo.memoize`).
    """
    years: dict[int, int] = {}
    for y, k, r, n in rows:
        if (
            (flt.year_from is None or flt.year_from <= y <= (flt.year_to or y))
            and (flt.kind is None or flt.kind == k)
            and (flt.region is None or flt.region == r)
        ):
            years[y] = years.get(y, 0) + n
    recent = sum(years.get(y, 0) for y in (today.year - 1, today.year))
    upcoming_recent = 0
    if recent:
        upcoming_recent = session.exec(_statements(flt, today).recent_upcoming_count).one()
    later = [("u", y, years[y]) for y in sorted(years) if y > today.year]
    earlier = [("p", y, years[y]) for y in sorted(years, reverse=True) if y < today.year - 1]
    segments: list[Segment] = [("u", None, upcoming_recent), *later]
    segments += [("p", None, recent - upcoming_recent), *earlier]
    return [segment for segment in segments if segment[2] > 0]


def _by_count(
    session: Session,
    statements: _Statements,
    segments: list[Segment],
    offset: int,
    per_page: int,
) -> list[tuple[str, Row]]:
    """The ``per_page`` rows from ``offset`` (0-based) in the browser's order, each with
    its section: the counts of ``segments`` lead to the run where the page starts, which
    is read with an OFFSET inside that run only (one year, or last year and this year,
    read from the start of its section), then the next runs from their start until the
    page is full. No page walks more than one run before its first row."""
    found: list[tuple[str, Row]] = []
    for section, year, count in segments:
        if offset >= count:
            offset -= count
            continue
        wanted = min(per_page - len(found), count - offset)
        if year is None:
            statement = statements.upcoming if section == "u" else statements.past
        else:
            statement = statements.upcoming_year if section == "u" else statements.past_year
        found += [(section, r) for r in _rows(session, statement, wanted, offset, year=year)]
        offset = 0
        if len(found) >= per_page:
            break
    return found


def _seek_page(
    session: Session, flt: EventFilter, today: date, cursor: PageCursor, per_page: int
) -> list[tuple[str, Row]]:
    """The ``per_page`` rows after (or before) the cursor's row, in the browser's order,
    each with its section: read from the index at the cursor's key (no row before it is
    read), crossing from the upcoming to the past section where the first ends. Empty
    when the cursor cannot be next to a row of the filter (:func:`_seek_limit`)."""
    statements = _statements(flt.with_page(1), today)
    key, year_limit = cursor.key, _seek_limit(flt, today, cursor)
    if year_limit is None:
        return []

    def seek(statement: RowSelect) -> list[Row]:
        return _rows(session, statement, per_page, 0, cursor, year_limit)

    found: list[tuple[str, Row]]
    if cursor.direction == "after":
        if key.section == "u":
            found = [("u", r) for r in seek(statements.upcoming_after)]
            more = _rows(session, statements.past, per_page - len(found))
            return found + [("p", r) for r in more]
        return [("p", r) for r in seek(statements.past_after)]
    if key.section == "p":
        found = [("p", r) for r in seek(statements.past_before)]
        more = _rows(session, statements.upcoming_reversed, per_page - len(found))
        found += [("u", r) for r in more]
    else:
        found = [("u", r) for r in seek(statements.upcoming_before)]
    return found[::-1]


def search_events(
    session: Session,
    flt: EventFilter,
    today: date,
    per_page: int,
    total: int,
    rows: Iterable[tuple[int, str, str, int]],
    tag: str | None = None,
    segments: list[Segment] | None = None,
) -> EventPage:
    """The page ``flt.page`` of the ``total`` events matching ``flt`` (the caller has the
    total from the counts table's ``rows``, :func:`facet_counts`), ordered as described
    above.

    ``segments`` is :func:`list_segments` of ``flt`` (computed here when not given).
    With a cursor (``flt.cursor``) whose tag is ``tag`` (:func:`cursor_tag` of the current
    data version and day), the page is read by seeking to the cursor's row in the index:
    however deep the page, only its own rows are read (keyset paging). Otherwise (no
    cursor, or one of another data version or day, or one that leads nowhere) the page is
    counted from the start: the events still to come come first, the past ones follow,
    and the counts table's numbers per year (:func:`list_segments`) lead to the year where the
    page starts, read with an OFFSET inside that year only (:func:`_by_count`), so that
    no page walks more than one year of the index. Either way a page holds the same
    events. Only the page's ids are read from the index
    (the view reads only the events whose cards it has not kept, :func:`events_by_id`). A
    page beyond the last gives an :class:`EventPage` with no events; the view decides
    what to say.
    """
    statements = _statements(flt.with_page(1), today)
    found: list[tuple[str, Row]] = []
    if flt.cursor is not None and tag is not None and flt.cursor.tag == tag:
        found = _seek_page(session, flt, today, flt.cursor, per_page)
    if not found:
        if segments is None:
            segments = list_segments(session, flt.with_page(1), today, rows)
        offset = (flt.page - 1) * per_page
        found = _by_count(session, statements, segments, offset, per_page)
    keys = [_row_key(section, row) for section, row in found]
    return EventPage(
        [row[0] for _section, row in found],
        total,
        flt.page,
        max(1, -(-total // per_page)),
        per_page,
        first=keys[0] if keys else None,
        last=keys[-1] if keys else None,
    )


def first_events(session: Session, flt: EventFilter, today: date, limit: int) -> list[Event]:
    """The first ``limit`` events matching ``flt`` (page 1 of ``limit`` results), in the
    browser's order, with their translations: for calendars and feeds."""
    from webapp.events.counts import count_rows

    rows = count_rows(session)
    _facets, total = facet_counts(rows, flt, (), ())
    page = search_events(session, flt.with_page(1), today, limit, total, rows)
    found = events_by_id(session, page.ids)
    return [found[i] for i in page.ids if i in found]


def events_by_id(session: Session, ids: Iterable[int]) -> dict[int, Event]:
    """The events with these ids (with their translations), by id; one query."""
    wanted = list(ids)
    found: dict[int, Event] = {}
    for first in range(0, len(wanted), 500):  # SQL drivers bound the number of parameters
        chunk = wanted[first : first + 500]
        for event in session.exec(select(Event).where(col(Event.id).in_(chunk))).all():
            if event.id is not None:
                found[event.id] = event
    return found


def facet_counts(
    rows: Iterable[tuple[int, str, str, int]],
    flt: EventFilter,
    kinds: Iterable[str],
    regions: Iterable[str],
) -> tuple[Facets, int]:
    """Facet counts for ``flt``, each facet with its own filter cleared, and the number of
    events matching ``flt`` itself.

    Args:
        rows: the counts table (:func:`webapp.events.counts.count_rows`: (year, kind,
            region, count), years descending).
        flt: the filter the visitor chose.
        kinds: the kind codes to report (every option of the form), in order.
        regions: the region codes to report, in order.
    """
    kind = dict.fromkeys(kinds, 0)
    region = dict.fromkeys(regions, 0)
    year: dict[int, int] = {}
    total = 0
    for y, k, r, n in rows:
        in_year = flt.year_from is None or flt.year_from <= y <= (flt.year_to or y)
        in_kind = flt.kind is None or flt.kind == k
        in_region = flt.region is None or flt.region == r
        year.setdefault(y, 0)
        if in_kind and in_region:
            year[y] += n
        if in_year and in_region and k in kind:
            kind[k] += n
        if in_year and in_kind and r in region:
            region[r] += n
        if in_year and in_kind and in_region:
            total += n
    return Facets(kind=kind, region=region, year=year), total


def upcoming_and_recent(
    session: Session, today: date, recent_years: int = 2
) -> tuple[list[Event], list[Event]]:
    """For the Conferences page: (forthcoming events, soonest first; events of the last
    ``recent_years`` calendar years that are over, most recent first)."""
    past = is_past_sql(today)
    forthcoming = session.exec(
        select(Event).where(past == 0).order_by(func.coalesce(Event.start_date, LAST_DAY))
    ).all()
    recent = session.exec(
        select(Event)
        .where(past == 1, Event.year >= today.year - recent_years + 1)
        .order_by(col(Event.year).desc(), col(Event.start_date).desc())
    ).all()
    return list(forthcoming), list(recent)


def past_conferences(session: Session, today: date) -> list[Event]:
    """Every annual conference and joint meeting that is over (or was cancelled or
    postponed), most recent first: the association's own list of its conferences, which
    counts the joint meetings (1974, 1976, 1978, and the IASSIST/CESSDA meeting of 2021)
    among them. The regional workshops have their own list
    (:func:`regional_workshop_series`)."""
    past = is_past_sql(today)
    return list(
        session.exec(
            select(Event)
            .where(
                col(Event.kind).in_((ANNUAL_CONFERENCE, JOINT_MEETING)),
                or_(past == 1, col(Event.status).in_(SHOWN_STATUSES)),
            )
            .order_by(col(Event.year).desc(), col(Event.start_date).desc())
        ).all()
    )


def regional_workshop_series(session: Session, today: date, region: str = "africa") -> list[Event]:
    """The numbered regional workshops of ``region`` (an IASSIST region code; the Africa
    series, 1st in 2021) that are over, most recent first."""
    past = is_past_sql(today)
    return list(
        session.exec(
            select(Event)
            .where(
                Event.kind == REGIONAL_WORKSHOP,
                Event.region == region,
                col(Event.number).is_not(None),
                past == 1,
            )
            .order_by(col(Event.number).desc())
        ).all()
    )


def next_annual_conference(session: Session, today: date) -> Event | None:
    """The next annual conference that is not over (for the brochure and home page)."""
    past = is_past_sql(today)
    return session.exec(
        select(Event)
        .where(Event.kind == ANNUAL_CONFERENCE, past == 0)
        .order_by(func.coalesce(Event.start_date, LAST_DAY))
        .limit(1)
    ).first()


def count_undated(session: Session, flt: EventFilter) -> int:
    """How many events matching ``flt`` have no known day (calendars leave them out)."""
    statement = (
        select(func.count())
        .select_from(Event)
        .where(*_conditions(flt), col(Event.start_date).is_(None))
    )
    return session.exec(statement).one()


def last_update(session: Session) -> datetime | None:
    """When a load last changed any event (naive UTC, as stored), or None for an empty
    store: the ``lastmod`` of pages that list events."""
    return session.exec(select(func.max(Event.updated_at))).one()
