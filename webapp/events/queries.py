"""Queries of the event browser: the filtered, ordered, paged list and the facet counts.

Ordering (what a visitor expects of an event list): upcoming and ongoing events first,
soonest first; then past events, most recent first. Events with unknown dates sort by
their year, after the dated events of that year; the slug breaks ties.
Upcoming, ongoing and past are :mod:`webapp.events.timing`'s rule. Each part is read in
the order of an index (see :mod:`webapp.events.models`), so no query sorts its matches,
and the counts come from :mod:`webapp.events.counts`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import ColumnElement, Integer, bindparam, func, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from webapp.events.codes import (
    ANNUAL_CONFERENCE,
    JOINT_MEETING,
    REGIONAL_WORKSHOP,
    SHOWN_STATUSES,
)
from webapp.events.filters import EventFilter
from webapp.events.models import UNKNOWN_PAST_KEY, UNKNOWN_UPCOMING_KEY, Event
from webapp.events.timing import is_past_sql, timing_condition_sql


@dataclass(frozen=True)
class EventPage:
    """One page of results: ``ids`` (list[int], the events' ids in order), ``total`` (int,
    over all pages), ``page`` (int, from 1), ``pages`` (int, at least 1), ``per_page``
    (int). :func:`events_by_id` reads the events themselves."""

    ids: list[int]
    total: int
    page: int
    pages: int
    per_page: int


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


def _conditions(flt: EventFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if flt.year_from is not None:
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


def _upcoming_ids(flt: EventFilter, today: date) -> SelectOfScalar[int | None]:
    """SQL: ids of the events of ``flt`` still to come or under way, soonest first.

    An event that is not over ends on or after today, and the loader accepts no event that
    ends later than the year after its own, so every such event is of last year or later:
    the query is a range of an ``ix_event_upcoming_*`` index from there, in its order, the
    timing rule answered from the index (``end_date``, ``year``).
    """
    return (
        select(col(Event.id))
        .where(*_conditions(flt), col(Event.year) >= today.year - 1, _not_over(today))
        .order_by(col(Event.year), col(Event.upcoming_key), col(Event.slug))
    )


def _past_ids(flt: EventFilter, today: date, reverse: bool = False) -> SelectOfScalar[int | None]:
    """SQL: ids of the past events of ``flt``, most recent first (``reverse``: oldest
    first). A past event ended before today, so its year is at most this year: a range of
    an ``ix_event_past_*`` index, in its order (or backwards)."""
    order = (col(Event.year).desc(), col(Event.past_key).desc(), col(Event.slug).asc())
    if reverse:
        order = (col(Event.year).asc(), col(Event.past_key).asc(), col(Event.slug).desc())
    return (
        select(col(Event.id))
        .where(*_conditions(flt), col(Event.year) <= today.year, _over(today))
        .order_by(*order)
    )


@dataclass(frozen=True)
class _Statements:
    """The statements of one filter (page aside) on one day, built once and reused, so
    that SQLAlchemy builds and keys them once (its cache key is memoized per statement);
    ``limit`` and ``offset`` are bound parameters."""

    upcoming: SelectOfScalar[int | None]
    past: SelectOfScalar[int | None]
    past_reversed: SelectOfScalar[int | None]
    recent_upcoming_count: SelectOfScalar[int]


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
    return _Statements(
        upcoming=_upcoming_ids(flt, today).limit(limit).offset(offset),
        past=_past_ids(flt, today).limit(limit).offset(offset),
        past_reversed=_past_ids(flt, today, reverse=True).limit(limit).offset(offset),
        recent_upcoming_count=recent,
    )


def _ids_slice(
    session: Session, statement: SelectOfScalar[int | None], offset: int, limit: int
) -> list[int]:
    if limit <= 0:
        return []
    params = {"limit": limit, "offset": offset}
    return [i for i in session.exec(statement, params=params).all() if i is not None]


def result_statements(flt: EventFilter, today: date) -> dict[str, SelectOfScalar[int | None]]:
    """The SQL statements the browser runs for ``flt`` (for ``EXPLAIN`` in
    ``tools/benchmark.py``): ``upcoming``, ``past`` and ``past, from the end``."""
    return {
        "upcoming": _upcoming_ids(flt, today),
        "past": _past_ids(flt, today),
        "past, from the end": _past_ids(flt, today, reverse=True),
    }


def _upcoming_count(
    session: Session, flt: EventFilter, today: date, rows: Iterable[tuple[int, str, str, int]]
) -> int:
    """How many events of ``flt`` are still to come or under way on ``today``.

    Every event of a year after this one is still to come (its first day is in its year),
    so the counts table gives their number; only the events of last year and this year are
    tested one by one, from a range of an ``ix_event_past_*`` index.
    """
    later = sum(
        n
        for y, k, r, n in rows
        if y > today.year
        and (flt.year_from is None or flt.year_from <= y <= (flt.year_to or y))
        and (flt.kind is None or flt.kind == k)
        and (flt.region is None or flt.region == r)
    )
    return later + session.exec(_statements(flt, today).recent_upcoming_count).one()


def search_events(
    session: Session,
    flt: EventFilter,
    today: date,
    per_page: int,
    total: int,
    rows: Iterable[tuple[int, str, str, int]],
) -> EventPage:
    """The page ``flt.page`` of the ``total`` events matching ``flt`` (the caller has the
    total from the counts table's ``rows``, :func:`facet_counts`), ordered as described
    above.

    The events still to come come first, counted by :func:`_upcoming_count`; the past ones
    follow, read by OFFSET over the covering index from whichever end of the list is
    nearer, so that no page walks more than half of it. Only the page's ids are read from
    the index (the view reads only the events whose cards it has not kept,
    :func:`events_by_id`). A page beyond the last gives an :class:`EventPage` with no
    events; the view decides what to say.
    """
    statements = _statements(flt.with_page(1), today)
    upcoming_total = _upcoming_count(session, flt.with_page(1), today, rows)
    past_total = max(0, total - upcoming_total)
    offset = (flt.page - 1) * per_page
    ids = _ids_slice(session, statements.upcoming, offset, min(per_page, upcoming_total - offset))
    past_offset = max(0, offset - upcoming_total)
    wanted = min(per_page - len(ids), past_total - past_offset)
    if wanted > 0:
        if past_offset > past_total // 2:
            from_end = past_total - past_offset - wanted
            ids += reversed(_ids_slice(session, statements.past_reversed, from_end, wanted))
        else:
            ids += _ids_slice(session, statements.past, past_offset, wanted)
    pages = max(1, -(-total // per_page))
    return EventPage(ids, total, flt.page, pages, per_page)


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
