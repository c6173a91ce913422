"""Load the bundled event data (``data/events.csv``, ``data/event_translations.csv``)
into the store.

Loading is all-or-nothing: every row is read and validated first, and the first bad value
stops the load with a :class:`LoadError` naming the file, the row (numbered as a
spreadsheet shows it: the header is row 1) and the field; only then is the store changed,
in one transaction that the database's own constraints guard as well. The file is the
source of truth: events are matched by slug, added, updated or removed, so loading the same
file twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from babel import Locale
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from webapp.events.codes import DATA_DIR, FORMATS, KINDS, STATUSES, country_regions
from webapp.events.models import Event, EventTranslation
from webapp.i18n import DEFAULT_LOCALE, LOCALES

EVENTS_FILE = DATA_DIR / "events.csv"
TRANSLATIONS_FILE = DATA_DIR / "event_translations.csv"

EVENT_COLUMNS = (
    "slug",
    "kind",
    "year",
    "start_date",
    "end_date",
    "number",
    "title",
    "theme",
    "city",
    "region_or_state",
    "country_code",
    "host",
    "format",
    "status",
    "url",
    "source_urls",
)
#: The Event attributes a row sets (``region`` is derived from ``country_code``).
EVENT_FIELDS = (*EVENT_COLUMNS, "region")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
YEAR = re.compile(r"^[0-9]{4}$")
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
NUMBER = re.compile(r"^[0-9]{1,3}$")
URL = re.compile(r"^https?://\S+$")
_TERRITORIES = Locale.parse("en").territories


class LoadError(Exception):
    """A row of a data file that cannot be loaded.

    Attributes:
        file: the file's name (str).
        row: the row number as a spreadsheet shows it, header = 1 (int), or None when the
            problem is the file as a whole.
        field: the column (str) or None.
        message: what is wrong (str, English: this is an operator's message).
    """

    def __init__(self, file: str, row: int | None, field: str | None, message: str) -> None:
        self.file, self.row, self.field, self.message = file, row, field, message
        where = file + (f", row {row}" if row else "") + (f", field {field!r}" if field else "")
        super().__init__(f"{where}: {message}")


@dataclass
class LoadReport:
    """What a load changed: numbers of events added, updated, removed, unchanged."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.removed} removed, "
            f"{self.unchanged} unchanged"
        )


@dataclass
class EventRecord:
    """One validated row: the Event attributes and its translations
    (``{(locale, field): text}``)."""

    values: dict[str, Any]
    translations: dict[tuple[str, str], str] = field(default_factory=dict)


def _read_rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    name = path.name
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise LoadError(name, 1, missing[0], "column missing from the header")
            rows = []
            for row_number, row in enumerate(reader, start=2):
                if None in row or any(v is None for v in row.values()):
                    raise LoadError(name, row_number, None, "wrong number of cells")
                rows.append((row_number, {k: v.strip() for k, v in row.items()}))
            return rows
    except OSError as exc:
        raise LoadError(name, None, None, f"cannot be read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise LoadError(name, None, None, "is not UTF-8 text") from exc
    except csv.Error as exc:
        raise LoadError(name, None, None, f"is not valid CSV ({exc})") from exc


def _date(name: str, row: int, column: str, text: str) -> date | None:
    if not text:
        return None
    try:
        if not ISO_DATE.match(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise LoadError(name, row, column, f"{text!r} is not a date (YYYY-MM-DD)") from None


def validate_event_row(name: str, row_number: int, row: dict[str, str]) -> dict[str, Any]:
    """Check one row of ``events.csv`` and convert it to Event attributes.

    Returns:
        ``{column: value}`` for every column of :data:`EVENT_FIELDS`; empty optional cells
        become None, dates ``date``, year and number ``int``, ``source_urls`` one URL a
        line, and ``region`` is derived from the country (``country_regions.csv``) or is
        ``online`` for a virtual event with no country.

    Raises:
        LoadError: a value is missing, of the wrong form, or not in its code list.
    """

    def fail(column: str, message: str) -> NoReturn:
        raise LoadError(name, row_number, column, message)

    v: dict[str, Any] = {c: (row[c] or None) for c in EVENT_COLUMNS}
    if not v["slug"] or not SLUG.match(v["slug"]):
        fail("slug", "must be lowercase letters, digits and single hyphens")
    if v["kind"] not in KINDS:
        fail("kind", f"{row['kind']!r} is not one of {', '.join(KINDS)}")
    if not v["year"] or not YEAR.match(v["year"]):
        fail("year", f"{row['year']!r} is not a four-digit year")
    v["year"] = int(v["year"])
    v["start_date"] = _date(name, row_number, "start_date", row["start_date"])
    v["end_date"] = _date(name, row_number, "end_date", row["end_date"])
    if (v["start_date"] is None) != (v["end_date"] is None):
        fail("end_date" if v["start_date"] else "start_date", "give both dates or neither")
    if v["start_date"] and v["end_date"] < v["start_date"]:
        fail("end_date", "ends before it starts")
    if v["start_date"] and v["start_date"].year != v["year"]:
        fail("start_date", f"is not in the year {v['year']}")
    if v["number"] is not None:
        if not NUMBER.match(v["number"]) or int(v["number"]) == 0:
            fail("number", f"{row['number']!r} is not a positive whole number")
        v["number"] = int(v["number"])
    if not v["title"]:
        fail("title", "is required")
    if v["format"] is not None and v["format"] not in FORMATS:
        fail("format", f"{row['format']!r} is not one of {', '.join(FORMATS)} (or empty)")
    if v["status"] not in STATUSES:
        fail("status", f"{row['status']!r} is not one of {', '.join(STATUSES)}")
    if v["country_code"] is not None:
        code = v["country_code"]
        if not re.fullmatch(r"[A-Z]{2}", code) or code not in _TERRITORIES:
            fail("country_code", f"{code!r} is not an ISO 3166-1 alpha-2 code")
        if code not in country_regions():
            fail("country_code", f"{code} has no IASSIST region in country_regions.csv")
        v["region"] = country_regions()[code]
    elif v["format"] == "virtual":
        v["region"] = "online"
    else:
        fail("country_code", "is required unless the event is virtual")
    if v["url"] is not None and not URL.match(v["url"]):
        fail("url", f"{row['url']!r} is not an http(s) URL")
    sources = [s.strip() for s in (row["source_urls"] or "").split("|") if s.strip()]
    if not sources:
        fail("source_urls", "every event needs at least one source")
    for source in sources:
        if not URL.match(source):
            fail("source_urls", f"{source!r} is not an http(s) URL")
    v["source_urls"] = "\n".join(sources)
    return v


def read_event_data(
    events_file: Path = EVENTS_FILE, translations_file: Path = TRANSLATIONS_FILE
) -> list[EventRecord]:
    """Read and validate both data files without touching the store.

    Returns:
        One :class:`EventRecord` per row of ``events_file``, in file order.

    Raises:
        LoadError: the first problem found, with file, row and field.
    """
    records: dict[str, EventRecord] = {}
    for row_number, row in _read_rows(events_file, EVENT_COLUMNS):
        values = validate_event_row(events_file.name, row_number, row)
        if values["slug"] in records:
            raise LoadError(
                events_file.name, row_number, "slug", f"{values['slug']!r} is used twice"
            )
        records[values["slug"]] = EventRecord(values)
    name = translations_file.name
    for row_number, row in _read_rows(translations_file, ("slug", "locale", "field", "text")):
        record = records.get(row["slug"])
        if record is None:
            raise LoadError(
                name, row_number, "slug", f"no event {row['slug']!r} in {events_file.name}"
            )
        if row["locale"] not in LOCALES or row["locale"] == DEFAULT_LOCALE:
            raise LoadError(
                name,
                row_number,
                "locale",
                f"{row['locale']!r} is not one of the site's translated locales",
            )
        if row["field"] not in ("title", "theme"):
            raise LoadError(name, row_number, "field", "must be 'title' or 'theme'")
        if not row["text"]:
            raise LoadError(name, row_number, "text", "is required")
        key = (row["locale"], row["field"])
        if key in record.translations:
            raise LoadError(name, row_number, "field", "this event already has this translation")
        record.translations[key] = row["text"]
    return list(records.values())


def _translations(record: EventRecord) -> list[EventTranslation]:
    return [
        EventTranslation(locale=loc, field=fld, text=text)
        for (loc, fld), text in sorted(record.translations.items())
    ]


def sync_events(session: Session, records: list[EventRecord], commit: bool = True) -> LoadReport:
    """Make the store hold exactly ``records``, in one transaction.

    Args:
        session: the store's session.
        records: the validated events (:func:`read_event_data`).
        commit: False to leave the transaction open (flushed, not committed), so that a
            caller loading more data (:func:`webapp.programmes.loader.load_bundled_data`)
            commits or rolls back everything at once.

    Raises:
        LoadError: the database rejected the data (a constraint); nothing was changed.
    """
    report = LoadReport()
    try:
        existing = {e.slug: e for e in session.exec(select(Event)).all()}
        for record in records:
            event = existing.pop(record.values["slug"], None)
            if event is None:
                event = Event(**record.values)
                event.translations = _translations(record)
                session.add(event)
                report.added += 1
                continue
            fields_changed = any(getattr(event, k) != record.values[k] for k in EVENT_FIELDS)
            current = {(t.locale, t.field): t.text for t in event.translations}
            translations_changed = current != record.translations
            if not (fields_changed or translations_changed):
                report.unchanged += 1
                continue
            for k in EVENT_FIELDS:
                setattr(event, k, record.values[k])
            if translations_changed:
                event.translations = _translations(record)
            report.updated += 1
        for event in existing.values():
            session.delete(event)
            report.removed += 1
        if commit:
            session.commit()
        else:
            session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise LoadError("database", None, None, f"rejected the data: {exc.orig}") from exc
    except BaseException:
        session.rollback()
        raise
    return report


def load_events(
    session: Session,
    events_file: Path = EVENTS_FILE,
    translations_file: Path = TRANSLATIONS_FILE,
) -> LoadReport:
    """Validate the data files, then sync the store to them (all or nothing).

    Raises:
        LoadError: a bad row (nothing changed in the store).
    """
    return sync_events(session, read_event_data(events_file, translations_file))
