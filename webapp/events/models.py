"""Tables of the event domain.

SQLModel ``table=True`` models skip Pydantic validation, so every invariant is also a
database constraint: known codes, ``end_date >= start_date``, both dates known or both
unknown, a two-letter country code, a unique slug. The indexes match the event browser's
filters (year, kind × year, region × year).
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    UniqueConstraint,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import expression
from sqlmodel import Field, Relationship, SQLModel

from webapp.events.codes import FORMATS, KINDS, REGION_LABELS, STATUSES
from webapp.events.timing import Timing, timing


def _in(column: str, codes: Iterable[str]) -> str:
    """SQL ``column IN ('a', 'b')`` for a CHECK constraint over a code list."""
    return f"{column} IN ({', '.join(repr(c) for c in codes)})"


class UtcNow(expression.FunctionElement):
    """SQL for "now, in UTC, without time zone", the server-side default of
    ``event.updated_at`` for rows written by plain SQL (SQLAlchemy's documented
    ``utcnow`` recipe): SQLite's ``CURRENT_TIMESTAMP`` is already UTC; PostgreSQL's is
    converted from the session's time zone."""

    type = DateTime()
    inherit_cache = True


@compiles(UtcNow, "sqlite")
def _utc_now_sqlite(element: UtcNow, compiler: Any, **kw: Any) -> str:
    return "CURRENT_TIMESTAMP"


@compiles(UtcNow, "postgresql")
def _utc_now_postgresql(element: UtcNow, compiler: Any, **kw: Any) -> str:
    return "TIMEZONE('utc', CURRENT_TIMESTAMP)"


def utc_now() -> datetime:
    """The current time in UTC to the second, naive (as the ``event.updated_at`` column
    stores it): the moment a change is written to the store."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


class Event(SQLModel, table=True):
    """One IASSIST event (an annual conference, a regional workshop or a joint meeting).

    Dates are ``date`` values, inclusive; both are None where the sources give no day.
    ``region`` is an IASSIST region code derived from ``country_code`` (or ``online``);
    ``status`` is the fact as the sources had it (held, scheduled, cancelled, postponed):
    whether the event is upcoming or past is computed from the dates, see :meth:`timing`.
    ``number`` is the conference or workshop number where a source gives one (50 for
    "50th annual conference"). ``source_urls`` holds the sources, one URL per line.
    ``updated_at`` is when a load last changed the event's facts or translations in this
    store (UTC, whole seconds, naive as stored; an event added some other way gets the
    time it is added): calendars and feeds give it as their
    ``DTSTAMP``/``LAST-MODIFIED``/``updated``, the sitemap as ``lastmod``, so they change
    only when the data does, never with the time of the request.
    """

    __tablename__ = "event"
    __table_args__ = (
        CheckConstraint(_in("kind", KINDS), name="ck_event_kind"),
        CheckConstraint(_in("region", REGION_LABELS), name="ck_event_region"),
        CheckConstraint(_in("status", STATUSES), name="ck_event_status"),
        CheckConstraint(f"format IS NULL OR {_in('format', FORMATS)}", name="ck_event_format"),
        CheckConstraint(
            "(start_date IS NULL AND end_date IS NULL) OR "
            "(start_date IS NOT NULL AND end_date IS NOT NULL AND end_date >= start_date)",
            name="ck_event_dates",
        ),
        CheckConstraint("year BETWEEN 1000 AND 9999", name="ck_event_year"),
        CheckConstraint(
            "country_code IS NULL OR length(country_code) = 2", name="ck_event_country_code"
        ),
        CheckConstraint("number IS NULL OR number > 0", name="ck_event_number"),
        CheckConstraint("length(slug) > 0", name="ck_event_slug"),
        Index("ix_event_kind_year", "kind", "year"),
        Index("ix_event_region_year", "region", "year"),
        Index("ix_event_start_date", "start_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True)
    kind: str = Field(max_length=32)
    year: int = Field(index=True)
    start_date: date | None = None
    end_date: date | None = None
    number: int | None = None
    title: str = Field(max_length=300)
    theme: str | None = Field(default=None, max_length=300)
    city: str | None = Field(default=None, max_length=100)
    region_or_state: str | None = Field(default=None, max_length=100)
    country_code: str | None = Field(default=None, max_length=2)
    region: str = Field(max_length=32)
    host: str | None = Field(default=None, max_length=500)
    format: str | None = Field(default=None, max_length=16)
    status: str = Field(max_length=16)
    url: str | None = Field(default=None, max_length=300)
    source_urls: str = Field(default="")
    updated_at: datetime = Field(
        default_factory=utc_now,
        sa_column=Column(DateTime, nullable=False, server_default=UtcNow()),
    )

    translations: list["EventTranslation"] = Relationship(
        back_populates="event",
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin"},
    )

    def timing(self, today: date) -> Timing:
        """``"upcoming"``, ``"ongoing"`` or ``"past"`` on ``today``, by the one rule of
        :mod:`webapp.events.timing` (with unknown dates, by the year alone)."""
        return timing(self.start_date, self.end_date, self.year, today)

    @property
    def updated_utc(self) -> datetime:
        """:attr:`updated_at` as an aware UTC datetime."""
        return self.updated_at.replace(tzinfo=UTC)

    @property
    def sources(self) -> list[str]:
        """The source URLs, in the order the data gives them."""
        return [u for u in self.source_urls.splitlines() if u]

    def translated(self, field: str, locale: str) -> str | None:
        """The ``field`` (``"title"`` or ``"theme"``) in ``locale`` where the data has a
        translation, else None."""
        for t in self.translations:
            if t.field == field and t.locale == locale:
                return t.text
        return None


class EventTranslation(SQLModel, table=True):
    """A title or theme of an event in another language than the original (English),
    where a source gives one: the 1995 theme was bilingual English/French."""

    __tablename__ = "event_translation"
    __table_args__ = (
        UniqueConstraint("event_id", "locale", "field", name="uq_event_translation"),
        CheckConstraint("field IN ('title', 'theme')", name="ck_event_translation_field"),
        CheckConstraint("length(text) > 0", name="ck_event_translation_text"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # None until the session flushes the translation with its event (the column itself is
    # NOT NULL).
    event_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), nullable=False),
    )
    locale: str = Field(max_length=8)
    field: str = Field(max_length=16)
    text: str = Field(max_length=500)

    event: Event | None = Relationship(back_populates="translations")
