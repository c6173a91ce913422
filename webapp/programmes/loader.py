"""Load the bundled programmes (``data/programmes/<year>.json``) and the reviewed alias
file (``data/aliases.csv``) into the store.

The loader is independent of the converter (``tools/convert_shared_programmes.py``): it
validates every value of the bundled files itself. Loading is all-or-nothing: every file
is read, validated, sanitized (:mod:`webapp.programmes.sanitize`) and tied to its
conference before the store is touched; the first bad value stops the load with a
:class:`ProgrammeLoadError` naming the file, the record (``session 4, presentation 2,
presenter 1``) and the field. :func:`load_bundled_data` loads the events and the
programmes in one transaction (the ``load-events`` command and ``iassist-serve`` use it).

A re-load of unchanged data writes nothing: each programme carries a fingerprint of its
loaded content, and people are matched by key. A changed programme is replaced as a whole;
its talks keep their URLs, which depend only on year, session number and number.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, NoReturn, cast

from sqlalchemy import delete, exists, insert, select
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from webapp.events.loader import (
    EVENTS_FILE,
    TRANSLATIONS_FILE,
    LoadError,
    LoadReport,
    read_event_data,
    sync_events,
)
from webapp.events.models import Event
from webapp.programmes.codes import DATA_DIR, SESSION_TYPES
from webapp.programmes.models import (
    Person,
    Presentation,
    PresentationLink,
    Presenter,
    Programme,
    ProgrammeSession,
    SessionFile,
)
from webapp.programmes.sanitize import sanitize_html, to_text

PROGRAMMES_DIR = DATA_DIR / "programmes"
ALIASES_FILE = DATA_DIR / "aliases.csv"
#: A session may be this many days before the conference's first day (pre-conference
#: workshops); no later than its last day.
DAYS_BEFORE = 7
DOI = re.compile(r"^10\.\d{4,9}/[^\s<>\"]+$")
URL = re.compile(r"^https?://[^\s<>\"]+$")
#: A talk's language: an ISO 639 code (BCP 47 primary language subtag), lower case.
LANGUAGE = re.compile(r"[a-z]{2,3}")
#: The language of a talk whose record names none: the programmes are written in English.
DEFAULT_LANGUAGE = "en"
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
FILE_NAME = re.compile(r"^([0-9]{4})\.json$")
#: Longest text accepted per field, in characters (the columns' lengths, so that SQLite,
#: which does not enforce them, accepts exactly what PostgreSQL does).
MAX_LENGTH = {
    "title": 1000,
    "chair": 1000,
    "moderator": 1000,
    "name": 300,
    "institution": 1000,
    "source": 200,
    "url": 1000,
    "recording": 1000,
}


class ProgrammeLoadError(LoadError):
    """A value of a programme file (or the alias file) that cannot be loaded.

    Attributes:
        file: the file's name (str).
        record: where in the file (str, e.g. ``"session 4, presentation 2"``; for the
            alias file ``"row 7"``), or None for the file as a whole.
        field: the field (str) or None.
        message: what is wrong (str, English: an operator's message).
    """

    def __init__(self, file: str, record: str | None, field: str | None, message: str) -> None:
        super().__init__(file, None, field, message)
        self.record = record
        where = file + (f", {record}" if record else "") + (f", field {field!r}" if field else "")
        self.args = (f"{where}: {message}",)

    def __str__(self) -> str:
        return self.args[0]


def person_key(name: str) -> str:
    """The matching key of a person's name: NFKC-normalized, case-folded, whitespace
    collapsed (``"Jon  JOHNSON"`` and ``"jon johnson"`` match; ``"Zoltan"`` and
    ``"Zoltán"`` do not: that merge is the alias file's)."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def person_slug(name: str) -> str:
    """The URL part of a person's page: ASCII letters and digits of the name, lowercase,
    joined by hyphens (``"Tuomas J. Alaterä"`` -> ``"tuomas-j-alatera"``)."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_name = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_name)) or "person"


@dataclass
class Aliases:
    """The reviewed alias file: {key of a variant: canonical spelling}."""

    canonical: dict[str, str] = field(default_factory=dict)

    def resolve(self, name: str) -> tuple[str, str | None]:
        """(the person's key, the canonical spelling if the alias file names one)."""
        target = self.canonical.get(person_key(name))
        if target is None:
            return person_key(name), None
        return person_key(target), target


def read_aliases(path: Path = ALIASES_FILE) -> Aliases:
    """Read ``aliases.csv`` (columns ``name``, ``same_as``, ``reason``).

    Raises:
        ProgrammeLoadError: a missing column or value, a name listed twice, a chain (a
            ``same_as`` that is itself an alias), or a row mapping a name to itself.
    """
    name = path.name
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            for column in ("name", "same_as", "reason"):
                if column not in (reader.fieldnames or []):
                    raise ProgrammeLoadError(
                        name, "row 1", column, "column missing from the header"
                    )
            rows = list(enumerate(reader, start=2))
    except OSError as exc:
        raise ProgrammeLoadError(name, None, None, f"cannot be read ({exc.strerror})") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ProgrammeLoadError(name, None, None, f"is not UTF-8 CSV ({exc})") from exc
    aliases = Aliases()
    for row_number, row in rows:
        where = f"row {row_number}"
        for column in ("name", "same_as", "reason"):
            if not (row.get(column) or "").strip():
                raise ProgrammeLoadError(name, where, column, "is required")
        key = person_key(row["name"])
        if key in aliases.canonical:
            raise ProgrammeLoadError(name, where, "name", f"{row['name']!r} is listed twice")
        if key == person_key(row["same_as"]):
            raise ProgrammeLoadError(name, where, "same_as", "names the same person key")
        aliases.canonical[key] = " ".join(row["same_as"].split())
    for row_number, row in rows:
        if person_key(row["same_as"]) in aliases.canonical:
            raise ProgrammeLoadError(
                name, f"row {row_number}", "same_as", f"{row['same_as']!r} is itself an alias"
            )
    return aliases


@dataclass
class PresenterRecord:
    """A validated presenter: name and institution as given, and the person's key."""

    name: str
    institution: str | None
    key: str
    canonical: str | None


@dataclass
class PresentationRecord:
    """A validated, sanitized presentation."""

    number: int
    title_text: str
    abstract_html: str | None
    abstract_text: str | None
    presenters: list[PresenterRecord]
    dois: list[str]
    files: list[tuple[str, str]]
    recording_url: str | None
    language: str = DEFAULT_LANGUAGE


@dataclass
class SessionRecord:
    """A validated, sanitized session."""

    number: int
    title_text: str
    session_type: str | None
    day: date | None
    chair: str | None
    moderator: str | None
    abstract_html: str | None
    abstract_text: str | None
    recording_url: str | None
    files: list[tuple[str, str]]
    presentations: list[PresentationRecord]


@dataclass
class ProgrammeRecord:
    """A validated programme: its year, file name, sessions and fingerprint."""

    year: int
    source_file: str
    file: str
    sessions: list[SessionRecord]
    fingerprint: str = ""

    @property
    def talk_count(self) -> int:
        """Number of presentations."""
        return sum(len(s.presentations) for s in self.sessions)


class _Reader:
    """Validation helpers bound to one file (so every error names it)."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, record: str | None, name: str | None, message: str) -> NoReturn:
        raise ProgrammeLoadError(self.file, record, name, message)

    def obj(
        self, value: Any, record: str, keys: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(record, None, "must be an object")
        for key in keys:
            if key not in value:
                self.fail(record, key, "is missing")
        unknown = sorted(set(value) - set(keys) - set(optional))
        if unknown:
            self.fail(record, unknown[0], "is not a field of this record")
        return value

    def text(self, value: Any, record: str, name: str, required: bool = False) -> str:
        if not isinstance(value, str):
            self.fail(record, name, "must be text")
        if required and not value.strip():
            self.fail(record, name, "is required")
        if "\x00" in value:
            self.fail(record, name, "holds a NUL character")
        limit = MAX_LENGTH.get(name)
        if limit is not None and len(value) > limit:
            self.fail(record, name, f"is longer than {limit} characters")
        return value

    def url(self, value: Any, record: str, name: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or not URL.match(value):
            self.fail(record, name, f"{value!r} is not an http(s) URL")
        if len(value) > MAX_LENGTH["url"]:
            self.fail(record, name, f"is longer than {MAX_LENGTH['url']} characters")
        return value

    def number(self, value: Any, expected: int, record: str) -> int:
        if type(value) is not int or value != expected:
            self.fail(record, "number", f"must be {expected} (records are numbered in order)")
        return value

    def files(self, value: Any, record: str) -> list[tuple[str, str]]:
        if not isinstance(value, list):
            self.fail(record, "files", "must be a list")
        result = []
        for position, item in enumerate(value, start=1):
            where = f"{record}, file {position}"
            item = self.obj(item, where, ("url", "name"))
            url = self.url(item["url"], where, "url")
            if url is None:
                self.fail(where, "url", "is required")
            result.append((url, to_text(self.text(item["name"], where, "name", required=True))))
        return result


def _optional(text: str) -> str | None:
    return text or None


def _read_presentation(
    r: _Reader, value: Any, number: int, record: str, aliases: Aliases
) -> PresentationRecord:
    keys = ("number", "title", "abstract", "presenters", "dois", "files", "recording")
    value = r.obj(value, record, keys, optional=("language",))
    language = value.get("language", DEFAULT_LANGUAGE)
    if not isinstance(language, str) or not LANGUAGE.fullmatch(language):
        r.fail(record, "language", f"{language!r} is not a language code (two or three letters)")
    r.number(value["number"], number, record)
    title = to_text(r.text(value["title"], record, "title", required=True))
    if not title:
        r.fail(record, "title", "has no text once its markup is removed")
    abstract = r.text(value["abstract"], record, "abstract")
    if not isinstance(value["presenters"], list):
        r.fail(record, "presenters", "must be a list")
    presenters = []
    for position, presenter in enumerate(value["presenters"], start=1):
        where = f"{record}, presenter {position}"
        presenter = r.obj(presenter, where, ("name", "institution"))
        name = " ".join(to_text(r.text(presenter["name"], where, "name", required=True)).split())
        if not name:
            r.fail(where, "name", "is required")
        institution = to_text(r.text(presenter["institution"], where, "institution"))
        key, canonical = aliases.resolve(name)
        presenters.append(PresenterRecord(name, institution or None, key, canonical))
    if not isinstance(value["dois"], list):
        r.fail(record, "dois", "must be a list")
    dois = []
    for doi in value["dois"]:
        if not isinstance(doi, str) or not DOI.match(doi):
            r.fail(record, "dois", f"{doi!r} is not a DOI (10.NNNN/…)")
        if doi in dois:
            r.fail(record, "dois", f"{doi} is listed twice")
        dois.append(doi)
    html_abstract = sanitize_html(abstract)
    return PresentationRecord(
        number=number,
        title_text=title,
        abstract_html=_optional(html_abstract),
        abstract_text=_optional(to_text(html_abstract)),
        presenters=presenters,
        dois=dois,
        files=r.files(value["files"], record),
        recording_url=r.url(value["recording"], record, "recording"),
        language=language,
    )


def _read_session(
    r: _Reader,
    value: Any,
    number: int,
    dates: tuple[date | None, date | None],
    year: int,
    aliases: Aliases,
) -> SessionRecord:
    record = f"session {number}"
    keys = (
        "number",
        "title",
        "type",
        "day",
        "chair",
        "moderator",
        "abstract",
        "recording",
        "files",
        "presentations",
    )
    value = r.obj(value, record, keys)
    r.number(value["number"], number, record)
    title = to_text(r.text(value["title"], record, "title", required=True))
    if not title:
        r.fail(record, "title", "has no text once its markup is removed")
    session_type = value["type"]
    if session_type is not None and session_type not in SESSION_TYPES:
        r.fail(
            record, "type", f"{session_type!r} is not one of {', '.join(SESSION_TYPES)} (or null)"
        )
    day = None
    if value["day"] is not None:
        text = value["day"]
        try:
            if not isinstance(text, str) or not ISO_DATE.match(text):
                raise ValueError(text)
            day = date.fromisoformat(text)
        except ValueError:
            r.fail(record, "day", f"{text!r} is not a date (YYYY-MM-DD) or null")
        start, end = dates
        if start is None or end is None:
            if day.year != year:
                r.fail(record, "day", f"{day} is not in the conference's year {year}")
        elif not (start - timedelta(days=DAYS_BEFORE) <= day <= end):
            r.fail(record, "day", f"{day} is not during the conference ({start} to {end})")
    abstract = sanitize_html(r.text(value["abstract"], record, "abstract"))
    if not isinstance(value["presentations"], list):
        r.fail(record, "presentations", "must be a list")
    presentations = [
        _read_presentation(r, item, p_number, f"{record}, presentation {p_number}", aliases)
        for p_number, item in enumerate(value["presentations"], start=1)
    ]
    return SessionRecord(
        number=number,
        title_text=title,
        session_type=session_type,
        day=day,
        chair=_optional(to_text(r.text(value["chair"], record, "chair"))),
        moderator=_optional(to_text(r.text(value["moderator"], record, "moderator"))),
        abstract_html=_optional(abstract),
        abstract_text=_optional(to_text(abstract)),
        recording_url=r.url(value["recording"], record, "recording"),
        files=r.files(value["files"], record),
        presentations=presentations,
    )


def read_programme_file(
    path: Path, conferences: dict[int, tuple[date | None, date | None]], aliases: Aliases
) -> ProgrammeRecord:
    """Read and validate one bundled programme file.

    Args:
        path: ``<year>.json``.
        conferences: {year: (start date, end date)} of the annual conferences (the event
            data); the programme's year must be one of them, its session days within it.
        aliases: the alias file (:func:`read_aliases`).

    Raises:
        ProgrammeLoadError: the first bad value, with file, record and field.
    """
    r = _Reader(path.name)
    match = FILE_NAME.match(path.name)
    if not match:
        r.fail(None, None, "a programme file is named <year>.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        r.fail(None, None, f"cannot be read ({exc.strerror})")
    except UnicodeDecodeError:
        r.fail(None, None, "is not UTF-8 text")
    except json.JSONDecodeError as exc:
        r.fail(f"line {exc.lineno}", None, f"is not valid JSON ({exc.msg})")
    data = r.obj(data, "programme", ("year", "source", "sessions"))
    year = data["year"]
    if type(year) is not int or str(year) != match[1]:
        r.fail("programme", "year", f"must be {match[1]}, the year in the file's name")
    if year not in conferences:
        r.fail(
            "programme",
            "year",
            f"no annual conference of {year} in the event data (a load that removes it "
            "removes its programme too, with --allow-removals)",
        )
    source = to_text(r.text(data["source"], "programme", "source", required=True))
    if not isinstance(data["sessions"], list):
        r.fail("programme", "sessions", "must be a list")
    sessions = [
        _read_session(r, item, number, conferences[year], year, aliases)
        for number, item in enumerate(data["sessions"], start=1)
    ]
    record = ProgrammeRecord(year, source, path.name, sessions)
    record.fingerprint = _fingerprint(record)
    return record


def _fingerprint(record: ProgrammeRecord) -> str:
    def default(value: Any) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        return value.__dict__

    payload = json.dumps(record.__dict__ | {"fingerprint": ""}, default=default, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def read_programmes(
    conferences: dict[int, tuple[date | None, date | None]],
    directory: Path = PROGRAMMES_DIR,
    aliases_file: Path = ALIASES_FILE,
    skip: frozenset[int] = frozenset(),
) -> list[ProgrammeRecord]:
    """Read and validate every ``<year>.json`` of ``directory``, in year order, except the
    files of the years in ``skip``.

    Raises:
        ProgrammeLoadError: the first bad value.
    """
    aliases = read_aliases(aliases_file)
    if not directory.is_dir():
        raise ProgrammeLoadError(directory.name, None, None, "is not a folder")
    return [
        read_programme_file(path, conferences, aliases)
        for path in sorted(directory.glob("*.json"))
        if not (FILE_NAME.match(path.name) and int(path.name[:4]) in skip)
    ]


def years_without_conference(
    conferences: dict[int, tuple[date | None, date | None]], directory: Path = PROGRAMMES_DIR
) -> list[int]:
    """The years of the programme files in ``directory`` that have no annual conference in
    ``conferences`` (the event data would remove them)."""
    years = [int(p.name[:4]) for p in directory.glob("*.json") if FILE_NAME.match(p.name)]
    return sorted(y for y in years if y not in conferences)


@dataclass
class ProgrammeReport:
    """What a load changed: programmes added, updated, removed, unchanged; people added,
    removed."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    people_added: int = 0
    people_removed: int = 0

    @property
    def changed(self) -> bool:
        """True when the load wrote anything."""
        return bool(
            self.added or self.updated or self.removed or self.people_added or self.people_removed
        )

    def __str__(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.removed} removed, "
            f"{self.unchanged} unchanged; people: {self.people_added} added, "
            f"{self.people_removed} removed"
        )


def _people(records: list[ProgrammeRecord]) -> dict[str, tuple[str, str]]:
    """{key: (name shown, slug)} of every presenter of ``records``."""
    spellings: dict[str, Counter] = defaultdict(Counter)
    newest: dict[tuple[str, str], int] = {}
    canonical: dict[str, str] = {}
    for record in records:
        for session in record.sessions:
            for presentation in session.presentations:
                for presenter in presentation.presenters:
                    if presenter.canonical:
                        canonical[presenter.key] = presenter.canonical
                    spellings[presenter.key][presenter.name] += 1
                    pair = (presenter.key, presenter.name)
                    newest[pair] = max(newest.get(pair, 0), record.year)
    people = {}
    slugs: dict[str, list[str]] = defaultdict(list)
    for key in sorted(spellings):
        if key in canonical:
            name = canonical[key]
        else:
            counts = spellings[key]

            def rank(spelling: str, key: str = key, counts: Counter = counts) -> tuple:
                return (counts[spelling], newest[(key, spelling)], spelling)

            name = max(counts, key=rank)
        people[key] = name
        slugs[person_slug(name)].append(key)
    result = {}
    for slug, keys in slugs.items():
        for key in keys:
            # Two people whose names give the same slug: each gets a short hash of its key.
            suffix = "" if len(keys) == 1 else "-" + hashlib.sha256(key.encode()).hexdigest()[:6]
            result[key] = (people[key], slug + suffix)
    return result


def _insert_programme(
    session: Session, record: ProgrammeRecord, event_id: int, person_ids: dict[str, int]
) -> None:
    programme_id = session.execute(
        insert(Programme)
        .values(
            event_id=event_id,
            year=record.year,
            source_file=record.source_file,
            talk_count=record.talk_count,
            fingerprint=record.fingerprint,
        )
        .returning(col(Programme.id))
    ).scalar_one()
    session_rows = [
        {
            "programme_id": programme_id,
            "number": s.number,
            "title_text": s.title_text,
            "session_type": s.session_type,
            "day": s.day,
            "chair": s.chair,
            "moderator": s.moderator,
            "abstract_html": s.abstract_html,
            "abstract_text": s.abstract_text,
            "recording_url": s.recording_url,
        }
        for s in record.sessions
    ]
    session_ids = list(
        session.scalars(
            insert(ProgrammeSession).returning(
                col(ProgrammeSession.id), sort_by_parameter_order=True
            ),
            session_rows,
        )
    )
    files, presentation_rows, presentations = [], [], []
    for s, session_id in zip(record.sessions, session_ids, strict=True):
        files += [
            {"session_id": session_id, "position": i, "url": url, "name": name}
            for i, (url, name) in enumerate(s.files, start=1)
        ]
        for p in s.presentations:
            presentations.append(p)
            presentation_rows.append(
                {
                    "session_id": session_id,
                    "programme_id": programme_id,
                    "year": record.year,
                    "session_number": s.number,
                    "number": p.number,
                    "session_type": s.session_type,
                    "title_text": p.title_text,
                    "abstract_html": p.abstract_html,
                    "abstract_text": p.abstract_text,
                    "presenters_text": "\n".join(x.name for x in p.presenters),
                    "institutions_text": "\n".join(
                        x.institution or "" for x in p.presenters
                    ).strip(),
                    "recording_url": p.recording_url,
                    "language": p.language,
                }
            )
    if files:
        session.execute(insert(SessionFile), files)
    if not presentation_rows:
        return
    presentation_ids = list(
        session.scalars(
            insert(Presentation).returning(col(Presentation.id), sort_by_parameter_order=True),
            presentation_rows,
        )
    )
    presenter_rows, link_rows = [], []
    for p, presentation_id in zip(presentations, presentation_ids, strict=True):
        presenter_rows += [
            {
                "presentation_id": presentation_id,
                "person_id": person_ids[x.key],
                "position": i,
                "name": x.name,
                "institution": x.institution,
            }
            for i, x in enumerate(p.presenters, start=1)
        ]
        links = [("doi", doi, None) for doi in p.dois] + [
            ("file", url, name) for url, name in p.files
        ]
        link_rows += [
            {
                "presentation_id": presentation_id,
                "position": i,
                "kind": kind,
                "target": target,
                "name": name,
            }
            for i, (kind, target, name) in enumerate(links, start=1)
        ]
    if presenter_rows:
        session.execute(insert(Presenter), presenter_rows)
    if link_rows:
        session.execute(insert(PresentationLink), link_rows)


def sync_programmes(
    session: Session, records: list[ProgrammeRecord], dry_run: bool = False
) -> ProgrammeReport:
    """Make the store hold exactly ``records`` (and their people), without committing; with
    ``dry_run``, only count what would change (programmes, not people) and write nothing.

    The events must be in the store already (each programme is tied to the annual
    conference of its year). After a change the search index is refreshed
    (:func:`webapp.programmes.search.refresh_index`).

    Raises:
        ProgrammeLoadError: a programme's conference is not in the store.
        sqlalchemy.exc.IntegrityError: the database rejected the data.
    """
    from webapp.programmes.search import refresh_index

    report = ProgrammeReport()
    events = dict(
        session.execute(
            select(col(Event.year), col(Event.id)).where(col(Event.kind) == "annual_conference")
        ).all()
    )
    existing = {p.year: p for p in session.scalars(select(Programme))}
    if dry_run:
        for record in records:
            current = existing.pop(record.year, None)
            if current is None:
                report.added += 1
            elif current.fingerprint == record.fingerprint:
                report.unchanged += 1
            else:
                report.updated += 1
        report.removed = len(existing)
        return report
    people = _people(records)
    stored = {p.key: p for p in session.scalars(select(Person))}
    for key, (name, slug) in people.items():
        person = stored.get(key)
        if person is None:
            session.add(Person(key=key, name=name, slug=slug))
            report.people_added += 1
        elif (person.name, person.slug) != (name, slug):
            person.name, person.slug = name, slug
    session.flush()
    person_ids = dict(session.execute(select(col(Person.key), col(Person.id))).all())
    for record in records:
        if record.year not in events:
            raise ProgrammeLoadError(
                record.file, "programme", "year", "no annual conference of this year in the store"
            )
        current = existing.pop(record.year, None)
        if (
            current is not None
            and current.fingerprint == record.fingerprint
            and current.event_id == events[record.year]
        ):
            report.unchanged += 1
            continue
        if current is not None:
            session.execute(delete(Programme).where(col(Programme.id) == current.id))
            report.updated += 1
        else:
            report.added += 1
        _insert_programme(session, record, events[record.year], person_ids)
    for programme in existing.values():
        session.execute(delete(Programme).where(col(Programme.id) == programme.id))
        report.removed += 1
    session.expire_all()
    orphans = session.execute(
        delete(Person).where(~exists().where(col(Presenter.person_id) == col(Person.id)))
    )
    report.people_removed = cast(CursorResult, orphans).rowcount or 0
    if report.changed:
        refresh_index(session)
    return report


def conferences_of(event_records: list) -> dict[int, tuple[date | None, date | None]]:
    """{year: (start, end)} of the annual conferences among validated event records
    (:func:`webapp.events.loader.read_event_data`)."""
    return {
        r.values["year"]: (r.values["start_date"], r.values["end_date"])
        for r in event_records
        if r.values["kind"] == "annual_conference"
    }


def load_bundled_data(
    session: Session,
    events_file: Path = EVENTS_FILE,
    translations_file: Path = TRANSLATIONS_FILE,
    programmes_dir: Path = PROGRAMMES_DIR,
    aliases_file: Path = ALIASES_FILE,
    *,
    allow_removals: bool = False,
    dry_run: bool = False,
) -> tuple[LoadReport, ProgrammeReport]:
    """Validate the event and programme data, then sync the store to both in one
    transaction (all or nothing), under the events' write lock
    (:func:`webapp.events.loader.sync_events`, which also explains ``allow_removals`` and
    ``dry_run``; a dry run of the programmes counts what would change and writes nothing).

    Returns:
        (what changed in the events, what changed in the programmes).

    Raises:
        LoadError: a bad value (a :class:`ProgrammeLoadError` for the programme files),
            refused removals or a busy database; nothing was changed in the store.
    """
    event_records = read_event_data(events_file, translations_file)
    conferences = conferences_of(event_records)
    # A programme whose conference the event data does not have: if the load removes that
    # conference, the programme goes with it, as events go (only with allow_removals: the
    # events' refusal lists them otherwise); if the conference was never there, the
    # programme file is refused after the events' check.
    orphans = years_without_conference(conferences, programmes_dir)
    programme_records = read_programmes(
        conferences, programmes_dir, aliases_file, skip=frozenset(orphans)
    )
    cascaded, unknown = 0, orphans
    if orphans:
        # Which orphans' conferences are in the store (so this load removes them), and
        # which of their programmes: the database removes those with their events (ON
        # DELETE CASCADE). A separate connection, so that the load's own transaction still
        # starts with its write lock.
        with Session(session.get_bind()) as peek:
            stored = set(
                peek.scalars(
                    select(col(Event.year)).where(
                        col(Event.kind) == "annual_conference", col(Event.year).in_(orphans)
                    )
                )
            )
            with_programme = set(
                peek.scalars(select(col(Programme.year)).where(col(Programme.year).in_(orphans)))
            )
        unknown = [year for year in orphans if year not in stored]
        if allow_removals and not dry_run:
            cascaded = len(with_programme & stored)
    event_report = sync_events(
        session,
        event_records,
        allow_removals=allow_removals,
        dry_run=dry_run,
        file=events_file.name,
        commit=False,
    )
    try:
        refused = unknown if allow_removals else orphans
        if refused and not dry_run:
            raise ProgrammeLoadError(
                f"{refused[0]}.json",
                "programme",
                "year",
                f"no annual conference of {refused[0]} in the event data",
            )
        programme_report = sync_programmes(session, programme_records, dry_run=dry_run)
        programme_report.removed += cascaded
        if dry_run:
            session.rollback()
        else:
            session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise LoadError("database", None, None, f"rejected the data: {exc.orig}") from exc
    except BaseException:
        session.rollback()
        raise
    return event_report, programme_report


def has_programmes(session: Session) -> bool:
    """True when the store holds at least one programme."""
    return session.scalar(select(exists().where(col(Programme.id).is_not(None)))) or False
