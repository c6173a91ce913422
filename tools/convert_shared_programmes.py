"""Convert ``shared/data/conference-programs/*.json`` into the project's bundled programme
data, fixing the source's known errors and listing every fix.

Run once when the shared files change::

    python tools/convert_shared_programmes.py ../shared/data/conference-programs

It writes, under ``webapp/programmes/data/``:

- ``programmes/<year>.json``: one file per conference, in the project's own format (see
  ``webapp/programmes/data/README.md``): sessions in the source's order, each numbered
  from 1, with its type as a code, its day as an ISO date or null, its chair, moderator,
  abstract (still the source's markup: the loader sanitizes it), recording and files; each
  presentation numbered from 1 within its session, with title, abstract, presenters (name
  and institution, in order), slide DOIs, files and recording.
- ``fixes.csv``: every change made to the source, one row each (file, record, field,
  source value, value written, rule). The tests check each row against the source files.

It also copies the source files unchanged to ``tests/reference/conference-programs/``,
where the tests read their expected values from.

What it does not take from the files: the conference's dates, year, number, title, host
and city (``startDate``, ``endDate``, ``conferenceYear``, ``conferenceNum``, ...): they
come from the event data (``webapp/events/data/events.csv``), and where the file disagrees
with it the disagreement is listed as a fix. The rules (names of the ``rule`` column):

- ``event-*``: a conference fact of the file that disagrees with the event data.
- ``day-*``: a session day in one of the three source formats (``2005-05-25``,
  ``June 9, 2022``, ``June 9. 2022``) becomes a date; a day whose year is not the
  conference's but whose month and day fall within the conference is corrected to the
  conference's year; a day that cannot be read as one date of the conference stays
  unknown (empty days are simply unknown and not listed).
- ``key-typo``: a misspelt key (``moserator``).
- ``chair-last-first-reordered``: the 2005 file's chairs, written ``Last, First``.
- ``year-ignored``: a session or presentation ``year`` that is not the conference's.
- ``doi-*``: DOIs given as a list, with a ``https://doi.org/`` prefix, with a stray
  character, or with the leading ``1`` missing; per-presenter DOIs (``doix``) become DOIs
  of their presentation.
- ``file-*``: file links: dot segments removed (``files/../../../downloads`` is
  ``/downloads``), a missing ``https://`` added to ``iassistdata.org/...``, a link taken
  out of the old site's HTML (``sessionFile``), and bare file names that are no URL
  dropped.
- ``video-*``: a YouTube video id becomes its watch URL; tracking parameters dropped.
- ``name-*``: presenter names: whitespace collapsed, ``Last, First`` (2019) reordered,
  role notes ``(presenter)``, ``(co-author)``, titles ``Dr.`` and degrees dropped,
  ``et al`` dropped, an institution written into the name moved to the institution, a
  name that lists several people split into one presenter each, an empty name dropped.
- ``record-language``: a talk not in English gets a ``language`` field (the files have
  none; see :data:`TALK_LANGUAGES`).
- ``record-*``: one-off corrections of a single record, each with its reason in the
  ``rule`` column.

Typos in institution names are kept as the source has them (it is their record); merges of
people whose names differ are not made here but in ``webapp/programmes/data/aliases.csv``.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from posixpath import normpath
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "webapp" / "programmes" / "data"
EVENTS_CSV = ROOT / "webapp" / "events" / "data" / "events.csv"
REFERENCE = ROOT / "tests" / "reference" / "conference-programs"

SESSION_TYPES = {
    "Papers": "papers",
    "Panel": "panel",
    "Plenary": "plenary",
    "Workshop": "workshop",
    "Pecha Kucha": "pecha_kucha",
    "Posters": "posters",
}
#: How many days before the conference's first day a session may be (pre-conference
#: workshops are held on the day before).
DAYS_BEFORE = 7
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
MONTH_DAY_YEAR = re.compile(r"^([A-Z][a-z]+) (\d{1,2})[,.] (\d{4})$")
HREF = re.compile(r'<a href="([^"]+)"')
ROLE_NOTE = re.compile(r"\s*\((?:presenter|co-author)\)$")
DEGREES = re.compile(r",\s*(?:(?:MLIS|Ph\.?D\.?|PhD)(?:,\s*|$))+$")

#: Names that list several people (reviewed one by one): source name -> the people.
SEVERAL_PEOPLE = {
    "Mus Ahmet and Louise Corti": ["Mus Ahmet", "Louise Corti"],
    "Pascal Heus, Jack Gager, Carson Hunter": ["Pascal Heus", "Jack Gager", "Carson Hunter"],
    "William Mockovak; Jesus Ranon; Garrett Schmitt; Thomas Tedone; Clayton Waring": [
        "William Mockovak",
        "Jesus Ranon",
        "Garrett Schmitt",
        "Thomas Tedone",
        "Clayton Waring",
    ],
    "Hayley Mills, Jon Johnson": ["Hayley Mills", "Jon Johnson"],
    "Annie Beaubien, Rujuta Umarji": ["Annie Beaubien", "Rujuta Umarji"],
    "Mari Kleemola, Katja Moilanen, Tuomas J. Alaterä": [
        "Mari Kleemola",
        "Katja Moilanen",
        "Tuomas J. Alaterä",
    ],
}
#: One-off corrections of a presenter: source name -> (name, institution or None to keep
#: the source's, reason).
NAME_RECORDS = {
    "T.E, Raghunathan": ("T.E. Raghunathan", None, "comma typed for the initials' full stop"),
    "Alina DCDSP (Sciences Po, CNRS)": (
        "Alina D.",
        "CDSP (Sciences Po, CNRS)",
        "surname initial run into the institution CDSP; see aliases.csv",
    ),
}

#: Talks not in English, the programmes' language (the files record no language per
#: talk): (file, record) -> (ISO 639 code, reason). Each becomes a ``language`` field.
TALK_LANGUAGES = {
    ("2018-Montreal.json", "session 3, presentation 3"): (
        "fr",
        "title and abstract written in French",
    ),
}


@dataclass
class Fixes:
    """The list of fixes made, as rows of ``fixes.csv``."""

    rows: list[dict[str, str]] = field(default_factory=list)

    def add(self, file: str, record: str, name: str, before: Any, after: Any, rule: str) -> None:
        """Record one fix."""

        def text(value: Any) -> str:
            if value is None:
                return ""
            if isinstance(value, str):
                return value
            return json.dumps(value, ensure_ascii=False)

        self.rows.append(
            {
                "file": file,
                "record": record,
                "field": name,
                "source_value": text(before),
                "fixed_value": text(after),
                "rule": rule,
            }
        )


def read_events(path: Path = EVENTS_CSV) -> dict[int, dict[str, Any]]:
    """The annual conferences of the bundled event data: {year: row with dates as date}."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["kind"] == "annual_conference"]
    events = {}
    for row in rows:
        row = dict(row)
        row["start"] = date.fromisoformat(row["start_date"]) if row["start_date"] else None
        row["end"] = date.fromisoformat(row["end_date"]) if row["end_date"] else None
        events[int(row["year"])] = row
    return events


def _within(day: date, event: dict[str, Any]) -> bool:
    if event["start"] is None:
        return day.year == int(event["year"])
    return event["start"] - timedelta(days=DAYS_BEFORE) <= day <= event["end"]


def convert_day(
    text: str, event: dict[str, Any], file: str, record: str, fixes: Fixes
) -> str | None:
    """A session's ``day`` as an ISO date within the conference, or None."""
    text = (text or "").strip()
    if not text:
        return None
    day: date | None = None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = date.fromisoformat(text)
        elif match := MONTH_DAY_YEAR.match(text):
            day = datetime.strptime(f"{match[1]} {match[2]} {match[3]}", "%B %d %Y").date()
            if "." in text:
                fixes.add(file, record, "day", text, day.isoformat(), "day-full-stop-for-comma")
    except ValueError:
        day = None
    if day is None:
        fixes.add(file, record, "day", text, None, "day-unreadable-kept-unknown")
        return None
    year = int(event["year"])
    if day.year != year:
        try:
            corrected = day.replace(year=year)
        except ValueError:
            corrected = None
        if corrected and _within(corrected, event):
            fixes.add(file, record, "day", text, corrected.isoformat(), "day-wrong-year-corrected")
            return corrected.isoformat()
        fixes.add(file, record, "day", text, None, "day-outside-conference-kept-unknown")
        return None
    if not _within(day, event):
        fixes.add(file, record, "day", text, None, "day-outside-conference-kept-unknown")
        return None
    return day.isoformat()


def convert_url(url: str, file: str, record: str, fixes: Fixes) -> str | None:
    """A file link as an absolute http(s) URL, or None when it is no URL."""
    original = url
    url = url.strip()
    if url.startswith("iassistdata.org/"):
        url = "https://" + url
        fixes.add(file, record, "url", original, url, "file-scheme-added")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        fixes.add(file, record, "url", original, None, "file-not-a-url-dropped")
        return None
    if "/." in parts.path:
        path = normpath(parts.path)
        if parts.path.endswith("/"):
            path += "/"
        fixed = urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))
        fixes.add(file, record, "url", url, fixed, "file-dot-segments-removed")
        url = fixed
    return url


def convert_files(files: list[dict], file: str, record: str, fixes: Fixes) -> list[dict]:
    """The ``files`` of a presentation: [{"url", "name"}] with real URLs only."""
    result = []
    for number, item in enumerate(files or [], start=1):
        where = f"{record}, file {number}"
        url = item.get("url") or item.get("path") or ""
        if "url" not in item and "path" in item:
            fixes.add(file, where, "path", url, url, "file-path-key-read-as-url")
        converted = convert_url(url, file, where, fixes)
        if converted:
            name = (item.get("name") or "").strip() or converted.rsplit("/", 1)[-1]
            result.append({"url": converted, "name": name})
    return result


def convert_video(
    value: str, file: str, record: str, fixes: Fixes, name: str = "video"
) -> str | None:
    """A recording link: a YouTube id becomes its watch URL; an http(s) URL stays.
    ``name`` is the source field the value was read from (for the list of fixes)."""
    value = (value or "").strip()
    if not value:
        return None
    if value.startswith(("http://", "https://")):
        return value
    video_id = value.split("?", 1)[0]
    if not YOUTUBE_ID.match(video_id):
        fixes.add(file, record, name, value, None, "video-not-an-id-dropped")
        return None
    url = f"https://www.youtube.com/watch?v={video_id}"
    rule = "video-id-to-url" if video_id == value else "video-id-to-url-tracking-dropped"
    fixes.add(file, record, name, value, url, rule)
    return url


def convert_dois(value: Any, file: str, record: str, fixes: Fixes) -> list[str]:
    """The presentation's slide DOIs (``10.5281/zenodo.…``), in the source's order."""
    if not value:
        return []
    values = value if isinstance(value, list) else [value]
    if isinstance(value, list):
        fixes.add(file, record, "doi", value, value, "doi-list-kept-as-several")
    dois = []
    for doi in values:
        original = doi
        doi = doi.strip()
        if doi.startswith("https://doi.org/"):
            doi = doi.removeprefix("https://doi.org/")
            fixes.add(file, record, "doi", original, doi, "doi-resolver-prefix-dropped")
        if doi.endswith("<"):
            doi = doi.rstrip("<")
            fixes.add(file, record, "doi", original, doi, "doi-stray-character-dropped")
        if doi.startswith("0.5281/"):
            doi = "1" + doi
            fixes.add(file, record, "doi", original, doi, "doi-leading-digit-restored")
        if not DOI.match(doi):
            raise SystemExit(f"{file}, {record}: DOI {original!r} not understood")
        if doi not in dois:
            dois.append(doi)
    return dois


def convert_presenters(
    presenters: list[dict], year: int, file: str, record: str, fixes: Fixes, abstract: str = ""
) -> list[dict]:
    """Presenters as [{"name", "institution"}], names cleaned as listed in the module's
    docstring; an institution into which the talk's abstract was pasted is cut before it."""
    result = []
    opening = " ".join(abstract.split())[:60]
    for number, presenter in enumerate(presenters, start=1):
        where = f"{record}, presenter {number}"
        source = presenter.get("name") or ""
        institution = " ".join((presenter.get("institution") or "").split())
        if len(opening) == 60 and opening in institution:
            cut = institution[: institution.index(opening)].strip()
            fixes.add(
                file,
                where,
                "institution",
                presenter.get("institution"),
                cut,
                "institution-abstract-pasted-dropped",
            )
            institution = cut
        name = " ".join(source.split())
        if name != source:
            fixes.add(file, where, "name", source, name, "name-whitespace-collapsed")
        if not name:
            fixes.add(file, where, "name", source, None, "name-empty-presenter-dropped")
            continue
        if name in SEVERAL_PEOPLE:
            people = SEVERAL_PEOPLE[name]
            fixes.add(file, where, "name", name, people, "name-several-people-split")
            result += [{"name": person, "institution": institution} for person in people]
            continue
        if name in NAME_RECORDS:
            fixed, new_institution, reason = NAME_RECORDS[name]
            fixes.add(file, where, "name", name, fixed, f"record-name: {reason}")
            if new_institution is not None:
                fixes.add(
                    file,
                    where,
                    "institution",
                    institution,
                    new_institution,
                    f"record-institution: {reason}",
                )
                institution = new_institution
            result.append({"name": fixed, "institution": institution})
            continue
        before = name
        if year == 2019 and name.count(",") == 1:
            last, first = (part.strip() for part in name.split(","))
            name = f"{first} {last}"
            fixes.add(file, where, "name", before, name, "name-last-first-reordered")
            before = name
        if ROLE_NOTE.search(name):
            name = ROLE_NOTE.sub("", name)
            fixes.add(file, where, "name", before, name, "name-role-note-dropped")
            before = name
        if name.startswith("Dr. "):
            name = name.removeprefix("Dr. ")
            fixes.add(file, where, "name", before, name, "name-title-dropped")
            before = name
        if DEGREES.search(name):
            name = DEGREES.sub("", name)
            fixes.add(file, where, "name", before, name, "name-degrees-dropped")
            before = name
        if name.endswith(", et al"):
            name = name.removesuffix(", et al")
            fixes.add(file, where, "name", before, name, "name-et-al-dropped")
            before = name
        if name.endswith(","):
            name = name.rstrip(", ")
            fixes.add(file, where, "name", before, name, "name-trailing-comma-dropped")
            before = name
        if "," in name:
            person, rest = (part.strip() for part in name.split(",", 1))
            if rest == institution:
                fixes.add(file, where, "name", before, person, "name-institution-repeated-dropped")
            else:
                joined = f"{rest}, {institution}" if institution else rest
                fixes.add(file, where, "name", before, person, "name-institution-moved")
                fixes.add(file, where, "institution", institution, joined, "name-institution-moved")
                institution = joined
            name = person
        result.append({"name": name, "institution": institution})
    return result


def convert_presentation(
    presentation: dict, year: int, file: str, record: str, fixes: Fixes
) -> dict:
    """One presentation in the bundled format."""
    if presentation.get("year") and presentation["year"] != str(year):
        fixes.add(file, record, "year", presentation["year"], None, "year-ignored")
    dois = convert_dois(presentation.get("doi"), file, record, fixes)
    for number, presenter in enumerate(presentation.get("presenters") or [], start=1):
        if presenter.get("doix"):
            for doi in convert_dois(presenter["doix"], file, record, fixes):
                fixes.add(
                    file,
                    f"{record}, presenter {number}",
                    "doix",
                    doi,
                    doi,
                    "doi-presenter-doi-to-presentation",
                )
                if doi not in dois:
                    dois.append(doi)
    return {
        "title": presentation.get("title") or "",
        "abstract": presentation.get("abstract") or "",
        "presenters": convert_presenters(
            presentation.get("presenters") or [],
            year,
            file,
            record,
            fixes,
            presentation.get("abstract") or "",
        ),
        "dois": dois,
        "files": convert_files(presentation.get("files") or [], file, record, fixes),
        "recording": convert_video(presentation.get("video") or "", file, record, fixes),
    } | convert_language(file, record, fixes)


def convert_language(file: str, record: str, fixes: Fixes) -> dict[str, str]:
    """``{"language": code}`` for a talk of :data:`TALK_LANGUAGES` (listed as a fix),
    else nothing (English)."""
    if (file, record) not in TALK_LANGUAGES:
        return {}
    code, reason = TALK_LANGUAGES[(file, record)]
    fixes.add(file, record, "language", None, code, f"record-language: {reason}")
    return {"language": code}


def convert_session(
    session: dict, number: int, event: dict[str, Any], file: str, fixes: Fixes
) -> dict:
    """One session in the bundled format."""
    year = int(event["year"])
    record = f"session {number}"
    if "moserator" in session:
        fixes.add(file, record, "moserator", session["moserator"], session["moserator"], "key-typo")
        if not session.get("moderator"):
            session = {**session, "moderator": session["moserator"]}
    if session.get("year") and session["year"] != str(year):
        fixes.add(file, record, "year", session["year"], None, "year-ignored")
    chair = " ".join((session.get("chair") or "").split())
    recording = convert_video(session.get("video") or "", file, record, fixes)
    if YOUTUBE_ID.match(chair) and not re.search(r"\s", chair) and any(c.isdigit() for c in chair):
        fixes.add(file, record, "chair", chair, chair, "record-chair: a video id typed as chair")
        url = convert_video(chair, file, record, fixes, name="chair")
        recording = recording or url
        chair = ""
    if year == 2005 and chair.count(",") == 1:
        # The 2005 file alone writes its chairs "Last, First" (as 2019 does its presenters).
        last, first = (part.strip() for part in chair.split(","))
        fixed = f"{first} {last}"
        fixes.add(file, record, "chair", session.get("chair"), fixed, "chair-last-first-reordered")
        chair = fixed
    webcast = (session.get("webcastLink") or "").strip()
    if webcast:
        if recording and recording != webcast:
            raise SystemExit(f"{file}, {record}: both a video and a webcast link")
        recording = webcast
    files = []
    for href in HREF.findall(session.get("sessionFile") or ""):
        url = convert_url(href, file, f"{record}, session file", fixes)
        if url:
            fixes.add(file, record, "sessionFile", "(HTML)", url, "file-link-taken-from-html")
            files.append({"url": url, "name": url.rsplit("/", 1)[-1]})
    kind = session.get("sessionType")
    if kind and kind not in SESSION_TYPES:
        raise SystemExit(f"{file}, {record}: session type {kind!r} unknown")
    return {
        "number": number,
        "title": session.get("title") or "",
        "type": SESSION_TYPES.get(kind) if kind else None,
        "day": convert_day(session.get("day") or "", event, file, record, fixes),
        "chair": chair,
        "moderator": " ".join((session.get("moderator") or "").split()),
        "abstract": session.get("abstract") or "",
        "recording": recording,
        "files": files,
        "presentations": [
            {"number": p_number}
            | convert_presentation(
                presentation, year, file, f"{record}, presentation {p_number}", fixes
            )
            for p_number, presentation in enumerate(session.get("presentations") or [], start=1)
        ],
    }


def convert_file(path: Path, events: dict[int, dict[str, Any]], fixes: Fixes) -> dict:
    """One source file as the bundled programme of its conference.

    The year is read from the file's name (``2025-Bristol.json``): the file's own
    ``conferenceYear`` is wrong in 2025.
    """
    source = json.loads(path.read_text(encoding="utf-8"))
    file = path.name
    year = int(file[:4])
    event = events.get(year)
    if event is None:
        raise SystemExit(f"{file}: no annual conference of {year} in {EVENTS_CSV}")
    checks = {
        "conferenceYear": (source.get("conferenceYear"), str(year)),
        "startDate": (source.get("startDate"), event["start_date"]),
        "endDate": (source.get("endDate"), event["end_date"]),
        "conferenceNum": (source.get("conferenceNum"), event["number"]),
    }
    for name, (given, fact) in checks.items():
        if given and given.strip() != fact:
            fixes.add(file, "conference", name, given, fact, f"event-{name}-from-event-data")
    return {
        "year": year,
        "source": file,
        "sessions": [
            convert_session(session, number, event, file, fixes)
            for number, session in enumerate(source["sessions"], start=1)
        ],
    }


def main(source_dir: Path) -> None:
    """Convert every ``*.json`` of ``source_dir``; write the bundled files and fixes.csv."""
    events = read_events()
    fixes = Fixes()
    out_dir = OUT / "programmes"
    out_dir.mkdir(parents=True, exist_ok=True)
    REFERENCE.mkdir(parents=True, exist_ok=True)
    written = set()
    for path in sorted(source_dir.glob("*.json")):
        programme = convert_file(path, events, fixes)
        target = out_dir / f"{programme['year']}.json"
        target.write_text(
            json.dumps(programme, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        written.add(target.name)
        shutil.copyfile(path, REFERENCE / path.name)
    for stale in out_dir.glob("*.json"):
        if stale.name not in written:
            stale.unlink()
    with open(OUT / "fixes.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(
            fh, ["file", "record", "field", "source_value", "fixed_value", "rule"]
        )
        writer.writeheader()
        writer.writerows(fixes.rows)
    print(f"{len(written)} programmes written to {out_dir}, {len(fixes.rows)} fixes listed")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python tools/convert_shared_programmes.py SOURCE_FOLDER")
    main(Path(sys.argv[1]))
