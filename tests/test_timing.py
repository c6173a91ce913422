"""Upcoming, ongoing, past: the Python rule and the SQL expressions of
webapp/events/timing.py give the literal expected timing on a grid of dates, the SQL on a
real SQLite store."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select
from webapp.db import get_engine
from webapp.events.models import Event
from webapp.events.timing import is_past_sql, timing, timing_condition_sql, timing_sql

# An event held 10-14 June 2026 (inclusive), and three events whose days are unknown.
DATED = ("dated", date(2026, 6, 10), date(2026, 6, 14), 2026)
UNKNOWN_2025 = ("unknown-2025", None, None, 2025)
UNKNOWN_2026 = ("unknown-2026", None, None, 2026)
UNKNOWN_2027 = ("unknown-2027", None, None, 2027)
EVENTS = (DATED, UNKNOWN_2025, UNKNOWN_2026, UNKNOWN_2027)

# (event, today, expected timing)
GRID = [
    (DATED, date(2025, 12, 31), "upcoming"),  # the year before
    (DATED, date(2026, 6, 9), "upcoming"),  # the day before
    (DATED, date(2026, 6, 10), "ongoing"),  # first day
    (DATED, date(2026, 6, 12), "ongoing"),  # middle
    (DATED, date(2026, 6, 14), "ongoing"),  # last day
    (DATED, date(2026, 6, 15), "past"),  # the day after
    (DATED, date(2027, 1, 1), "past"),  # the year after
    (UNKNOWN_2025, date(2026, 6, 12), "past"),  # a past year
    (UNKNOWN_2025, date(2025, 12, 31), "upcoming"),  # last day of its year: not over
    (UNKNOWN_2025, date(2026, 1, 1), "past"),  # the year is over
    (UNKNOWN_2026, date(2026, 6, 12), "upcoming"),  # the current year
    (UNKNOWN_2027, date(2026, 6, 12), "upcoming"),  # a future year
]
IDS = [f"{event[0]}@{today.isoformat()}" for event, today, _ in GRID]


@pytest.mark.parametrize(("event", "today", "expected"), GRID, ids=IDS)
def test_python_rule(event, today, expected):
    _, start, end, year = event
    assert timing(start, end, year, today) == expected
    model = Event(slug="x", kind="annual_conference", year=year, start_date=start, end_date=end)
    assert model.timing(today) == expected


@pytest.fixture
def store(empty_app):
    with Session(get_engine(empty_app)) as session:
        for slug, start, end, year in EVENTS:
            session.add(
                Event(
                    slug=slug,
                    kind="annual_conference",
                    year=year,
                    start_date=start,
                    end_date=end,
                    title=f"IASSIST {year}",
                    region="europe",
                    status="scheduled",
                )
            )
        session.commit()
        yield session


@pytest.mark.parametrize(("event", "today", "expected"), GRID, ids=IDS)
def test_sql_expressions(store, event, today, expected):
    row = store.exec(
        select(timing_sql(today), is_past_sql(today)).where(Event.slug == event[0])
    ).one()
    assert row == (expected, 1 if expected == "past" else 0)


def test_sql_filter_by_timing(store):
    """The expression works in WHERE: on 12 June 2026 only the dated event is ongoing."""
    today = date(2026, 6, 12)
    ongoing = store.exec(select(Event.slug).where(timing_sql(today) == "ongoing")).all()
    past = store.exec(select(Event.slug).where(is_past_sql(today) == 1)).all()
    assert ongoing == ["dated"]
    assert past == ["unknown-2025"]


@pytest.mark.parametrize(("event", "today", "expected"), GRID, ids=IDS)
def test_sql_condition(store, event, today, expected):
    """The CASE-free condition selects the event for its timing and for no other."""
    for timing_ in ("upcoming", "ongoing", "past"):
        condition = timing_condition_sql(today, timing_)
        found = store.exec(select(Event.slug).where(Event.slug == event[0], condition)).all()
        assert found == ([event[0]] if timing_ == expected else []), timing_
    both = timing_condition_sql(today, "upcoming", "ongoing")
    found = store.exec(select(Event.slug).where(Event.slug == event[0], both)).all()
    assert found == ([] if expected == "past" else [event[0]])


def test_sql_condition_has_no_case(store):
    sql = str(timing_condition_sql(date(2026, 6, 12), "past").compile())
    assert "CASE" not in sql
    with pytest.raises(ValueError, match="not timings"):
        timing_condition_sql(date(2026, 6, 12), "later")
