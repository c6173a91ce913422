"""Queries of the event browser: the filtered, ordered, paged list and the facet counts.

Ordering (what a visitor expects of an event list): upcoming and ongoing events first,
soonest first; then past events, most recent first. Events with unknown dates sort by
their year, after the dated events of that year.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, or_
from sqlmodel import Session, col, select

from webapp.events.codes import (
    ANNUAL_CONFERENCE,
    JOINT_MEETING,
    REGIONAL_WORKSHOP,
    SHOWN_STATUSES,
)
from webapp.events.filters import EventFilter
from webapp.events.models import Event
from webapp.events.timing import is_past_sql


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


#: Sort keys standing in for unknown dates: after every known date (upcoming events) and
#: before every known date (past events), so that an event with unknown dates sorts last.
LAST_DAY = date(9999, 12, 31)
FIRST_DAY = date(1000, 1, 1)


def _conditions(flt: EventFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if flt.year_from is not None:
        conditions.append(col(Event.year).between(flt.year_from, flt.year_to))
    if flt.kind is not None:
        conditions.append(col(Event.kind) == flt.kind)
    if flt.region is not None:
        conditions.append(col(Event.region) == flt.region)
    return conditions


def search_events(session: Session, flt: EventFilter, today: date, per_page: int) -> EventPage:
    """The page ``flt.page`` of events matching ``flt``, ordered as described above.

    A page beyond the last gives an :class:`EventPage` with no events; the view decides
    what to say.
    """
    conditions = _conditions(flt)
    total = session.exec(select(func.count()).select_from(Event).where(*conditions)).one()
    past = is_past_sql(today)
    # Upcoming: ascending by date; past: descending. One key per direction.
    upcoming_key = case((past == 0, func.coalesce(Event.start_date, LAST_DAY)))
    past_year = case((past == 1, Event.year))
    past_date = case((past == 1, func.coalesce(Event.start_date, FIRST_DAY)))
    statement = (
        select(Event)
        .where(*conditions)
        .order_by(past, upcoming_key, past_year.desc(), past_date.desc(), col(Event.slug))
        .offset((flt.page - 1) * per_page)
        .limit(per_page)
    )
    events = list(session.exec(statement).all())
    pages = max(1, -(-total // per_page))
    return EventPage(events, total, flt.page, pages, per_page)


def _counts(session: Session, column: Any, flt: EventFilter) -> dict[Any, int]:
    statement = select(column, func.count()).where(*_conditions(flt)).group_by(column)
    return dict(session.exec(statement).all())


def facet_counts(
    session: Session, flt: EventFilter, kinds: Iterable[str], regions: Iterable[str]
) -> Facets:
    """Facet counts for ``flt``: each facet with its own filter cleared.

    Args:
        session: the store's session.
        flt: the filter the visitor chose.
        kinds: the kind codes to report (every option of the form), in order.
        regions: the region codes to report, in order.
    """
    kind = _counts(session, Event.kind, flt.without("type"))
    region = _counts(session, Event.region, flt.without("region"))
    years = session.exec(select(Event.year).distinct().order_by(col(Event.year).desc())).all()
    year = _counts(session, Event.year, flt.without("year"))
    return Facets(
        kind={code: kind.get(code, 0) for code in kinds},
        region={code: region.get(code, 0) for code in regions},
        year={y: year.get(y, 0) for y in years},
    )


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
