"""Event counts by (year, type, region), kept in the store and rebuilt by every load.

The event browser's facet counts and result totals are sums over this table, which holds
one row per combination that has events (a few hundred rows for the bundled data, at most
years × 3 types × 6 regions), so no request counts the ``event`` table itself.
:func:`refresh_event_counts` rebuilds it inside the loader's transaction.
"""

from __future__ import annotations

from sqlalchemy import delete, insert
from sqlmodel import Field, Session, SQLModel, col, func, select

from webapp.events.models import Event


class EventCount(SQLModel, table=True):
    """How many events (``count``, int > 0) have this ``year``, ``kind`` and ``region``."""

    __tablename__ = "event_count"

    year: int = Field(primary_key=True)
    kind: str = Field(primary_key=True, max_length=32)
    region: str = Field(primary_key=True, max_length=32)
    count: int


def refresh_event_counts(session: Session) -> None:
    """Replace the rows of ``event_count`` with the counts of the ``event`` table as it is
    in ``session``'s transaction (the caller commits). Call it from every function that
    changes events, before the commit."""
    session.exec(delete(EventCount))
    columns = (col(Event.year), col(Event.kind), col(Event.region))
    grouped = select(*columns, func.count()).group_by(*columns)
    session.exec(insert(EventCount).from_select(["year", "kind", "region", "count"], grouped))


def count_rows(session: Session) -> list[tuple[int, str, str, int]]:
    """Every row of ``event_count`` as (year, kind, region, count), years descending."""
    statement = select(EventCount.year, EventCount.kind, EventCount.region, EventCount.count)
    rows = session.exec(statement.order_by(col(EventCount.year).desc())).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]
