"""Upcoming, ongoing or past: the one rule, for Python and for SQL.

The rule (dates are inclusive; ``today`` is :func:`webapp.clock.today`):

1. dates unknown and the year is over                -> past
2. dates unknown (the year is this year or later)    -> upcoming (not over until the
   year is, so an event of this year with no known day is still to come)
3. the last day is before today                      -> past
4. the first day is after today                      -> upcoming
5. otherwise (today is between the first and last day) -> ongoing

It is written once, as the table :data:`RULE` of (condition, timing) cases where the first
case whose condition holds wins. :func:`timing` evaluates the table on Python values (an
:class:`~webapp.events.models.Event`'s fields); :func:`timing_sql` and :func:`is_past_sql`
compile the same table into SQL ``CASE`` expressions over the ``event`` table's columns,
for queries that sort by timing; :func:`timing_condition_sql` compiles it into a plain
boolean condition (no ``CASE``) for a ``WHERE``. ``tests/test_timing.py`` checks both on a grid
of dates (before, first day, middle, last day, after, unknown dates in a past, the current
and a future year) against literal expectations, the SQL on a real SQLite store.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, get_args

from sqlalchemy import ColumnElement, and_, case, literal, not_, or_, true
from sqlalchemy.sql.elements import SQLCoreOperations

#: The timings, in the order an event goes through them (labels: ``codes.TIMINGS``).
Timing = Literal["upcoming", "ongoing", "past"]

#: A test of one event field against today: (field, operator, part of today), where field
#: is ``"end_date"``, ``"start_date"`` or ``"year"``; operator is ``"<"``, ``">"`` or
#: ``"is_null"``; the part of today is ``"date"`` or ``"year"`` (None for ``is_null``).
Test = tuple[str, str, str | None]

#: The rule: (all of these tests hold, timing), first match wins; the last case has no
#: test and always matches. Dates are both known or both unknown (a database constraint),
#: so ``end_date`` being null means the dates are unknown.
RULE: tuple[tuple[tuple[Test, ...], Timing], ...] = (
    ((("end_date", "is_null", None), ("year", "<", "year")), "past"),
    ((("end_date", "is_null", None),), "upcoming"),
    ((("end_date", "<", "date"),), "past"),
    ((("start_date", ">", "date"),), "upcoming"),
    ((), "ongoing"),
)


def _today_part(today: date, part: str | None) -> date | int:
    return today.year if part == "year" else today


def _holds_in_python(test: Test, values: dict[str, date | int | None], today: date) -> bool:
    field, operator, part = test
    value = values[field]
    if operator == "is_null":
        return value is None
    if value is None:  # SQL: a comparison with NULL is not true
        return False
    other = _today_part(today, part)
    return value < other if operator == "<" else value > other  # type: ignore[operator]


def timing(start_date: date | None, end_date: date | None, year: int, today: date) -> Timing:
    """The timing of an event with these inclusive dates (both None when unknown) and
    ``year``, seen on ``today``, by :data:`RULE`."""
    values: dict[str, date | int | None] = {
        "start_date": start_date,
        "end_date": end_date,
        "year": year,
    }
    for tests, result in RULE:
        if all(_holds_in_python(test, values, today) for test in tests):
            return result
    raise AssertionError("RULE ends with a case that always matches")  # pragma: no cover


def _sql_test(test: Test, today: date) -> ColumnElement[bool]:
    from webapp.events.models import Event

    field, operator, part = test
    column: SQLCoreOperations = getattr(Event, field)
    if operator == "is_null":
        return column.is_(None)
    other = _today_part(today, part)
    compared = column < other if operator == "<" else column > other
    # Two-valued, as in Python (a comparison with NULL is false, its negation true), so
    # that not_() of a test means what it says.
    return and_(column.is_not(None), compared)


def _sql_case(today: date, value: dict[Timing, object]) -> ColumnElement:
    whens = []
    otherwise: object = None
    for tests, result in RULE:
        if not tests:
            otherwise = value[result]
            break
        whens.append((and_(*(_sql_test(t, today) for t in tests)), literal(value[result])))
    return case(*whens, else_=literal(otherwise))


def timing_sql(today: date) -> ColumnElement[str]:
    """SQL expression over the ``event`` table: ``'upcoming'``, ``'ongoing'`` or
    ``'past'`` for each row on ``today``, by :data:`RULE` (the same result as
    :func:`timing`). Use it in ``select``, ``where`` or ``order_by`` of a query on
    :class:`~webapp.events.models.Event`."""
    return _sql_case(today, {t: t for t in get_args(Timing)})


def timing_condition_sql(today: date, *timings: Timing) -> ColumnElement[bool]:
    """SQL condition over the ``event`` table, true exactly for the events whose timing on
    ``today`` is one of ``timings`` (by :data:`RULE`), as plain comparisons of the date
    and year columns joined by AND / OR, with no ``CASE``: for a ``WHERE`` that an index
    on those columns can serve. E.g. ``timing_condition_sql(today, "past")``.

    Raises:
        ValueError: no timing given, or one that is not a timing.
    """
    wanted = set(timings)
    if not wanted or not wanted <= set(get_args(Timing)):
        raise ValueError(f"not timings: {timings!r}")
    cases: list[ColumnElement[bool]] = []
    earlier: list[ColumnElement[bool]] = []
    for tests, result in RULE:
        holds = and_(true(), *(_sql_test(t, today) for t in tests))
        if result in wanted:
            cases.append(and_(holds, *(not_(e) for e in earlier)))
        earlier.append(holds)
    return or_(*cases)


def is_past_sql(today: date) -> ColumnElement[int]:
    """SQL expression over the ``event`` table: 1 for an event that is past on ``today``,
    0 for an upcoming or ongoing one, by :data:`RULE` (an integer, so that it can lead an
    ``ORDER BY``: upcoming and ongoing events before past ones)."""
    return _sql_case(today, {"upcoming": 0, "ongoing": 0, "past": 1})
