"""Queries of the event browser: the filtered, ordered, paged list and the facet counts.

Ordering (what a visitor expects of an event list): upcoming and ongoing events first,
soonest first (events with unknown dates last); then past events, most recent first
(events with unknown dates after the dated events of their year); the slug breaks ties.
Each part is read in the order of an index (see :mod:`webapp.events.models`), so no
query sorts its matches, and the counts come from :mod:`webapp.events.counts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, or_
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar as Select

from webapp.events.filters import EventFilter
from webapp.events.models import Event


@dataclass(frozen=True)
class EventPage:
    """One page of results: ``events`` (list[Event]), ``total`` (int, over all pages),
    ``page`` (int, from 1), ``pages`` (int, at least 1), ``per_page`` (int)."""

    events: list[Event]
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


def _conditions(flt: EventFilter) -> list:
    conditions = []
    if flt.year_from is not None:
        conditions.append(Event.year.between(flt.year_from, flt.year_to))
    if flt.kind is not None:
        conditions.append(Event.kind == flt.kind)
    if flt.region is not None:
        conditions.append(Event.region == flt.region)
    return conditions


def _is_past(today: date):
    """SQL: 1 for a past event, 0 for an upcoming or ongoing one (see Event.timing)."""
    return case(
        (Event.end_date.is_(None), case((Event.year < today.year, 1), else_=0)),
        (Event.end_date < today, 1),
        else_=0,
    )


def _upcoming_ids(flt: EventFilter, today: date) -> Select:
    """SQL: ids of the events of ``flt`` still to come or under way, soonest first.

    An event that is not over ends on or after today, and the loader accepts no event that
    ends later than the year after its own, so every such event starts on or after January
    1 of last year: the query is a range of the ``ix_event_upcoming_*`` index from there,
    in its order, the upcoming/past test answered from the index (``end_date``, ``year``).
    """
    return (
        select(Event.id)
        .where(
            *_conditions(flt),
            Event.upcoming_key >= date(today.year - 1, 1, 1),
            _is_past(today) == 0,
        )
        .order_by(Event.upcoming_key, Event.slug)
    )


def _past_ids(flt: EventFilter, today: date, reverse: bool = False) -> Select:
    """SQL: ids of the past events of ``flt``, most recent first (``reverse``: oldest
    first). A past event ended before today, so its year is at most this year: a range of
    the ``ix_event_past_*`` index, in its order (or backwards)."""
    order = (Event.year.desc(), Event.past_key.desc(), Event.slug)
    if reverse:
        order = (Event.year, Event.past_key, Event.slug.desc())
    return (
        select(Event.id)
        .where(*_conditions(flt), Event.year <= today.year, _is_past(today) == 1)
        .order_by(*order)
    )


def _ids_slice(session: Session, statement: Select, offset: int, limit: int) -> list[int]:
    if limit <= 0:
        return []
    return list(session.exec(statement.offset(offset).limit(limit)).all())


def search_events(
    session: Session, flt: EventFilter, today: date, per_page: int, total: int
) -> EventPage:
    """The page ``flt.page`` of the ``total`` events matching ``flt`` (the caller has the
    total from the counts, :func:`facet_counts`), ordered as described above.

    The events still to come (few, from a short index range) are counted and come first;
    the past ones follow, read by OFFSET over the covering index from whichever end of the
    list is nearer, so that no page walks more than half of it. Only the page's ids are
    read from the index; the page's events are then fetched by id. A page beyond the last
    gives an :class:`EventPage` with no events; the view decides what to say.
    """
    upcoming = _upcoming_ids(flt, today)
    upcoming_total = session.exec(
        select(func.count()).select_from(upcoming.order_by(None).subquery())
    ).one()
    past_total = max(0, total - upcoming_total)
    offset = (flt.page - 1) * per_page
    ids = _ids_slice(session, upcoming, offset, min(per_page, upcoming_total - offset))
    wanted = per_page - len(ids)
    past_offset = max(0, offset - upcoming_total)
    wanted = min(wanted, past_total - past_offset)
    if wanted > 0:
        if past_offset > past_total // 2:
            from_end = past_total - past_offset - wanted
            ids += reversed(_ids_slice(session, _past_ids(flt, today, True), from_end, wanted))
        else:
            ids += _ids_slice(session, _past_ids(flt, today), past_offset, wanted)
    events = []
    if ids:
        found = {e.id: e for e in session.exec(select(Event).where(Event.id.in_(ids))).all()}
        events = [found[i] for i in ids if i in found]
    pages = max(1, -(-total // per_page))
    return EventPage(events, total, flt.page, pages, per_page)


def facet_counts(
    rows: list[tuple[int, str, str, int]], flt: EventFilter, kinds, regions
) -> tuple[Facets, int]:
    """Facet counts for ``flt``, each facet with its own filter cleared, and the number of
    events matching ``flt`` itself, from the rows of the counts table
    (:func:`webapp.events.counts.count_rows`: (year, kind, region, count), years
    descending).

    Args:
        kinds, regions: the codes to report (every option of the form), in order.
    """
    kind = dict.fromkeys(kinds, 0)
    region = dict.fromkeys(regions, 0)
    year: dict[int, int] = {}
    total = 0
    for y, k, r, n in rows:
        in_year = flt.year_from is None or flt.year_from <= y <= flt.year_to
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
    past = _is_past(today)
    forthcoming = session.exec(
        select(Event).where(past == 0).order_by(func.coalesce(Event.start_date, date(9999, 12, 31)))
    ).all()
    recent = session.exec(
        select(Event)
        .where(past == 1, Event.year >= today.year - recent_years + 1)
        .order_by(Event.year.desc(), Event.start_date.desc())
    ).all()
    return list(forthcoming), list(recent)


def past_annual_conferences(session: Session, today: date) -> list[Event]:
    """Every annual conference that is over (or was cancelled or postponed), most recent
    first."""
    past = _is_past(today)
    return list(
        session.exec(
            select(Event)
            .where(
                Event.kind == "annual_conference",
                or_(past == 1, Event.status.in_(("cancelled", "postponed"))),
            )
            .order_by(Event.year.desc(), Event.start_date.desc())
        ).all()
    )


def next_annual_conference(session: Session, today: date) -> Event | None:
    """The next annual conference that is not over (for the brochure and home page)."""
    past = _is_past(today)
    return session.exec(
        select(Event)
        .where(Event.kind == "annual_conference", past == 0)
        .order_by(func.coalesce(Event.start_date, date(9999, 12, 31)))
        .limit(1)
    ).first()
