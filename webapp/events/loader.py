"""Load the bundled event data (``data/events.csv``, ``data/event_translations.csv``)
into the store.

Loading is all-or-nothing: every row is read and validated first, and the first bad value
stops the load with a :class:`LoadError` naming the file, the row (numbered as a
spreadsheet shows it: the header is row 1) and the field; only then is the store changed,
in one transaction that the database's own constraints guard as well. The file is the
source of truth: events are matched by slug, added, updated or removed, so loading the same
file twice changes nothing the second time.

Nothing is lost silently:

- a file that does not end with a line break, or ends inside a quoted field, is refused
  as truncated; a control character (NUL, ESC, a line break…) in a field is refused with
  its row and field; a UTF-8 byte-order mark is accepted;
- a load that would remove events lists them and refuses (:class:`RemovalsRefusedError`)
  unless removals are allowed, since a file cut at a row boundary looks like a valid one;
- the write lock is taken before the store is read (SQLite ``BEGIN IMMEDIATE``,
  PostgreSQL ``LOCK TABLE``), so two loads at once end as one after the other, each
  entirely; a lock still held after the busy timeout is :class:`DatabaseBusyError`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from babel import Locale
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, select

from webapp.events.codes import DATA_DIR, FORMATS, KINDS, STATUSES, country_regions
from webapp.events.models import Event, EventTranslation, utc_now
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
#: C0 and C1 control characters and DEL (Unicode category Cc), none of which belongs in a
#: field of these files (a quoted line break included: every field is one line).
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f]")


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


class RemovalsRefusedError(LoadError):
    """The files would remove events from the store and removals were not allowed.

    Attributes:
        removed: ``(slug, title)`` of each event the load would remove, in slug order.
    """

    def __init__(self, file: str, removed: list[tuple[str, str]]) -> None:
        self.removed = removed
        listing = "; ".join(f"{slug} ({title})" for slug, title in removed)
        super().__init__(
            file,
            None,
            None,
            f"would remove {len(removed)} event(s) that are in the store but not in the "
            f"file: {listing}. If the file is complete and they should go, load again "
            "allowing removals (--allow-removals).",
        )


class DatabaseBusyError(LoadError):
    """Another connection (a load, a backup) held the database's write lock for longer
    than the busy timeout; nothing was loaded."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            "database",
            None,
            None,
            "is busy: another load or a backup holds its write lock "
            f"({detail}). Nothing was loaded; run the load again once that has finished.",
        )


@dataclass
class LoadReport:
    """What a load changed (or, for a dry run, would change): numbers of events added,
    updated, removed, unchanged, and the slugs behind them (``added_slugs``,
    ``updated_slugs`` with the names of the changed fields, ``removed_events`` as
    ``(slug, title)``). ``written`` is False for a dry run."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    added_slugs: list[str] = field(default_factory=list)
    updated_slugs: list[tuple[str, list[str]]] = field(default_factory=list)
    removed_events: list[tuple[str, str]] = field(default_factory=list)
    written: bool = True

    def __str__(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.removed} removed, "
            f"{self.unchanged} unchanged"
        )

    def diff_lines(self) -> list[str]:
        """One line per change: ``+ slug`` added, ``~ slug: field, field`` updated,
        ``- slug (title)`` removed."""
        lines = [f"+ {slug}" for slug in self.added_slugs]
        lines += [f"~ {slug}: {', '.join(fields)}" for slug, fields in self.updated_slugs]
        lines += [f"- {slug} ({title})" for slug, title in self.removed_events]
        return lines


@dataclass
class EventRecord:
    """One validated row: the Event attributes and its translations
    (``{(locale, field): text}``)."""

    values: dict[str, Any]
    translations: dict[tuple[str, str], str] = field(default_factory=dict)


def _read_rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(name, None, None, f"cannot be read ({exc.strerror})") from exc
    if not data.endswith(b"\n"):
        raise LoadError(
            name,
            None,
            None,
            "does not end with a line break: it looks truncated (an empty file, or one cut "
            "in the middle of its last row)",
        )
    try:
        content = data.decode("utf-8-sig")  # a byte-order mark is accepted and dropped
    except UnicodeDecodeError as exc:
        raise LoadError(name, None, None, "is not UTF-8 text") from exc
    try:
        reader = csv.DictReader(io.StringIO(content, newline=""), strict=True)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise LoadError(name, 1, missing[0], "column missing from the header")
        rows = []
        for row_number, row in enumerate(reader, start=2):
            if None in row or any(v is None for v in row.values()):
                raise LoadError(name, row_number, None, "wrong number of cells")
            for column, value in row.items():
                bad = CONTROL_CHARACTER.search(value)
                if bad:
                    raise LoadError(
                        name,
                        row_number,
                        column,
                        f"holds the control character U+{ord(bad.group()):04X} "
                        f"at position {bad.start() + 1}",
                    )
            rows.append((row_number, {k: v.strip() for k, v in row.items()}))
        return rows
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise LoadError(
                name, None, None, "ends inside a quoted field: it looks truncated"
            ) from exc
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


def _sync_translations(event: Event, wanted: dict[tuple[str, str], str]) -> None:
    """Make ``event.translations`` hold exactly ``wanted`` by updating, deleting and adding
    rows in place: never a second row for the same (locale, field) next to the old one,
    which the table's UNIQUE constraint would refuse (the old "replace the list" sync
    inserted the new rows before it deleted the old ones)."""
    for translation in list(event.translations):
        key = (translation.locale, translation.field)
        if key not in wanted:
            event.translations.remove(translation)  # delete-orphan: the row is deleted
        elif translation.text != wanted[key]:
            translation.text = wanted[key]
    present = {(t.locale, t.field) for t in event.translations}
    for (loc, fld), text_ in sorted(wanted.items()):
        if (loc, fld) not in present:
            event.translations.append(EventTranslation(locale=loc, field=fld, text=text_))


def _translations(record: EventRecord) -> list[EventTranslation]:
    return [
        EventTranslation(locale=loc, field=fld, text=text_)
        for (loc, fld), text_ in sorted(record.translations.items())
    ]


def lock_for_load(session: Session) -> None:
    """Take the database's write lock for the load now, before anything is read, so that
    the changes are computed from what no one else can change any more.

    SQLite: ``BEGIN IMMEDIATE`` (https://sqlite.org/lang_transaction.html), waiting up to
    the busy timeout; if the session's connection is already in a transaction (``reset-db``
    loads inside its own, which holds the lock since its ``DROP TABLE``), that one is used.
    PostgreSQL: ``LOCK TABLE event, event_translation IN SHARE ROW EXCLUSIVE MODE``
    (conflicts with another load, not with readers), waiting up to ``lock_timeout``. Other
    databases: no explicit lock.

    Raises:
        DatabaseBusyError: the lock was not granted in time.
    """
    connection = session.connection()
    backend = connection.dialect.name
    try:
        if backend == "sqlite":
            dbapi_connection: Any = connection.connection.dbapi_connection
            if dbapi_connection is None or not dbapi_connection.in_transaction:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif backend == "postgresql":
            connection.execute(
                text("LOCK TABLE event, event_translation IN SHARE ROW EXCLUSIVE MODE")
            )
    except OperationalError as exc:
        session.rollback()
        raise DatabaseBusyError(str(exc.orig)) from exc


def _changed_fields(event: Event, record: EventRecord) -> list[str]:
    changed = [k for k in EVENT_FIELDS if getattr(event, k) != record.values[k]]
    current = {(t.locale, t.field): t.text for t in event.translations}
    for loc, fld in sorted(set(current) | set(record.translations)):
        if current.get((loc, fld)) != record.translations.get((loc, fld)):
            changed.append(f"{fld} [{loc}]")
    return changed


def sync_events(
    session: Session,
    records: list[EventRecord],
    *,
    allow_removals: bool = False,
    dry_run: bool = False,
    file: str = EVENTS_FILE.name,
    commit: bool = True,
) -> LoadReport:
    """Make the store hold exactly ``records``, in one transaction, under the write lock
    (:func:`lock_for_load`). An added or changed event gets the load's time as
    ``updated_at``; an unchanged one keeps its own.

    Args:
        session: a session with no transaction open yet.
        records: the validated rows (:func:`read_event_data`).
        allow_removals: remove the store's events that ``records`` lacks; otherwise such
            a load is refused.
        dry_run: compute and return the changes, write nothing (no write lock taken).
        file: the events file's name, for the messages.
        commit: False to leave the transaction open (flushed, not committed), so that a
            caller loading more data in it (:func:`webapp.programmes.loader.load_bundled_data`)
            commits or rolls back everything at once.

    Returns:
        What changed (or would change, ``written`` False for a dry run).

    Raises:
        RemovalsRefusedError: events would be removed and ``allow_removals`` is False (not
            for a dry run, whose report lists them); nothing changed.
        DatabaseBusyError: the write lock was not granted within the busy timeout.
        LoadError: the database rejected the data (a constraint); nothing changed.
    """
    report = LoadReport(written=not dry_run)
    # One timestamp for the whole load: what changed in it changed at the same moment.
    now = utc_now()
    try:
        if not dry_run:
            lock_for_load(session)
        existing = {e.slug: e for e in session.exec(select(Event)).all()}
        wanted = {record.values["slug"] for record in records}
        report.removed_events = sorted(
            (slug, event.title) for slug, event in existing.items() if slug not in wanted
        )
        report.removed = len(report.removed_events)
        if report.removed and not (allow_removals or dry_run):
            raise RemovalsRefusedError(file, report.removed_events)
        for record in records:
            event = existing.pop(record.values["slug"], None)
            if event is None:
                report.added += 1
                report.added_slugs.append(record.values["slug"])
                if not dry_run:
                    event = Event(**record.values, updated_at=now)
                    event.translations = _translations(record)
                    session.add(event)
                continue
            changed = _changed_fields(event, record)
            if not changed:
                report.unchanged += 1
                continue
            report.updated += 1
            report.updated_slugs.append((record.values["slug"], changed))
            if not dry_run:
                for k in EVENT_FIELDS:
                    setattr(event, k, record.values[k])
                _sync_translations(event, record.translations)
                event.updated_at = now
        if dry_run:
            session.rollback()
            return report
        for event in existing.values():
            session.delete(event)
        if commit:
            session.commit()
        else:
            session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise LoadError("database", None, None, f"rejected the data: {exc.orig}") from exc
    except OperationalError as exc:
        session.rollback()
        if "locked" in str(exc.orig) or "lock" in str(exc.orig).lower():
            raise DatabaseBusyError(str(exc.orig)) from exc
        raise
    except BaseException:
        session.rollback()
        raise
    return report


def load_events(
    session: Session,
    events_file: Path = EVENTS_FILE,
    translations_file: Path = TRANSLATIONS_FILE,
    *,
    allow_removals: bool = False,
    dry_run: bool = False,
) -> LoadReport:
    """Validate the data files, then sync the store to them (all or nothing); see
    :func:`sync_events` for ``allow_removals`` and ``dry_run``.

    Raises:
        LoadError: a bad row, or refused removals (:class:`RemovalsRefusedError`), or a busy
            database (:class:`DatabaseBusyError`); nothing changed in the store.
    """
    records = read_event_data(events_file, translations_file)
    return sync_events(
        session,
        records,
        allow_removals=allow_removals,
        dry_run=dry_run,
        file=events_file.name,
    )
