"""Import of the conference programmes: counts equal the association's files, every listed
fix is applied, a bad record is rejected with its location and changes nothing, a re-load
changes nothing, talk URLs survive a re-import, people are matched by rule and alias file.

Expected values come from the reference files (``tests/reference/conference-programs``)
read with the json module, or are literals read from those files by hand.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session
from webapp.db import get_engine
from webapp.events.loader import EVENTS_FILE, LoadError
from webapp.events.models import Event
from webapp.programmes.loader import (
    ALIASES_FILE,
    PROGRAMMES_DIR,
    ProgrammeLoadError,
    load_bundled_data,
    person_key,
    person_slug,
)
from webapp.programmes.models import (
    Person,
    Presentation,
    PresentationLink,
    Presenter,
    Programme,
    ProgrammeSession,
)

from tests.conftest import make_app

FIXES = PROGRAMMES_DIR.parent / "fixes.csv"


def _presentations(source: dict):
    for s_number, session in enumerate(source["sessions"], start=1):
        for p_number, presentation in enumerate(session.get("presentations") or [], start=1):
            yield s_number, p_number, session, presentation


def _source_counts(source: dict) -> dict[str, int]:
    presentations = list(_presentations(source))
    return {
        "sessions": len(source["sessions"]),
        "presentations": len(presentations),
        "abstracts": sum(1 for *_, p in presentations if (p.get("abstract") or "").strip()),
        # A presentation has slides when it gives a DOI, or its presenters do ("doix").
        "dois": sum(
            1
            for *_, p in presentations
            if p.get("doi") or any(x.get("doix") for x in p.get("presenters") or [])
        ),
    }


def _store_counts(session: Session, year: int) -> dict[str, int]:
    programme = session.exec(select(Programme).where(Programme.year == year)).scalar_one()
    in_year = Presentation.year == year
    return {
        "sessions": session.scalar(
            select(func.count()).where(ProgrammeSession.programme_id == programme.id)
        ),
        "presentations": session.scalar(select(func.count()).where(in_year)),
        "abstracts": session.scalar(
            select(func.count()).where(in_year, Presentation.abstract_text.is_not(None))
        ),
        "dois": session.scalar(
            select(func.count(func.distinct(PresentationLink.presentation_id)))
            .join(Presentation, Presentation.id == PresentationLink.presentation_id)
            .where(in_year, PresentationLink.kind == "doi")
        ),
    }


def test_counts_per_conference_equal_the_source_files(programmes_app, reference_programmes):
    with Session(get_engine(programmes_app)) as session:
        assert session.scalar(select(func.count()).select_from(Programme)) == 25
        for year, source in reference_programmes.items():
            assert _store_counts(session, year) == _source_counts(source), year
    totals = {k: sum(_source_counts(s)[k] for s in reference_programmes.values()) for k in ("sessions", "presentations", "abstracts")}
    assert totals == {"sessions": 779, "presentations": 2598, "abstracts": 2188}


def test_each_programme_is_tied_to_the_annual_conference_of_its_year(programmes_app):
    with Session(get_engine(programmes_app)) as session:
        rows = session.execute(
            select(Programme.year, Event.year, Event.kind).join(Event, Event.id == Programme.event_id)
        ).all()
    assert len(rows) == 25
    assert all(p == e and kind == "annual_conference" for p, e, kind in rows)
    assert sorted(r[0] for r in rows) == [y for y in range(2000, 2026) if y != 2020]


def test_programme_dates_come_from_the_event_not_the_file(programmes_client):
    # The files say 2002-06-11, 2013 ends 2014-01-31, 2019 ends 2018-05-31, 2023 starts
    # 2023-05-03; the event data: June 10-14, 2002; May 28-31, 2013; May 27-31, 2019;
    # May 30 - June 2, 2023.
    for year, start, end in [
        (2002, "2002-06-10", "Jun 10\u2009\u2013\u200914, 2002"),
        (2013, "2013-05-28", "May 28\u2009\u2013\u200931, 2013"),
        (2019, "2019-05-27", "May 27\u2009\u2013\u200931, 2019"),
        (2023, "2023-05-30", "May 30\u2009\u2013\u2009Jun 2, 2023"),
        (2025, "2025-06-03", "Jun 3\u2009\u2013\u20096, 2025"),
    ]:
        html = programmes_client.get(f"/en/programmes/{year}/").get_data(as_text=True)
        assert f'<time datetime="{start}">{end}</time>' in html, year
    # The 2025 file says conferenceYear 1900: the programme is the 2025 conference's.
    assert programmes_client.get("/en/programmes/1900/").status_code == 404


def _resolve(source: dict, record: str):
    """The object a fixes.csv ``record`` names in a source file."""
    node = source
    if record == "conference":
        return node
    for part in record.split(", "):
        kind, _, number = part.partition(" ")
        if kind == "session" and number == "file":
            return node
        index = int(number) - 1
        node = {
            "session": lambda n: n["sessions"],
            "presentation": lambda n: n["presentations"],
            "presenter": lambda n: n["presenters"],
            "file": lambda n: n["files"],
        }[kind](node)[index]
    return node


def _source_value(node: dict, name: str):
    if name == "url":
        return node.get("url") or node.get("path") or ""
    if name == "language":
        return node.get("language") or ""  # the files name no language: none given
    if name == "sessionFile":
        return "(HTML)" if "<a href=" in (node.get("sessionFile") or "") else None
    value = node.get(name)
    if name == "institution":
        if len(value or "") > 1000:
            return value  # the abstract pasted into it, whitespace as given
        return " ".join((value or "").split())  # absent and empty are the same: none given
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return value


def test_every_listed_fix_starts_from_a_value_the_source_really_has(reference_programmes):
    """Each row of fixes.csv names a file, record and field of the association's files; the
    first fix of a field starts from the value the source has there, and each further fix
    of the same field starts from the previous one's result."""
    with open(FIXES, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) > 1000
    by_file = {s["_file"]: s for s in reference_programmes.values()}
    last: dict[tuple[str, str, str], str] = {}
    for row in rows:
        node = _resolve(by_file[row["file"]], row["record"])
        where = (row["file"], row["record"], row["field"])
        source = _source_value(node, row["field"])
        if row["field"] in ("doi", "doix") and isinstance(node.get(row["field"]), (list, str)):
            values = node[row["field"]] if isinstance(node[row["field"]], list) else [node[row["field"]]]
            assert row["source_value"] in (source, *values), row
        elif where in last and row["field"] != "sessionFile":
            assert row["source_value"] in (last[where], source), row
        else:
            assert row["source_value"] == source, row
        last[where] = row["fixed_value"]
    rules = {row["rule"].split(":")[0] for row in rows}
    for rule in ("day-wrong-year-corrected", "day-unreadable-kept-unknown", "key-typo",
                 "doi-stray-character-dropped", "doi-leading-digit-restored",
                 "doi-resolver-prefix-dropped", "name-last-first-reordered", "chair-last-first-reordered",
                 "name-several-people-split", "file-not-a-url-dropped",
                 "event-startDate-from-event-data", "event-endDate-from-event-data",
                 "event-conferenceYear-from-event-data"):
        assert rule in rules, rule


def _talk(session: Session, year: int, s: int, p: int) -> Presentation:
    return session.exec(
        select(Presentation).where(
            Presentation.year == year, Presentation.session_number == s, Presentation.number == p
        )
    ).scalar_one()


def _links(session: Session, presentation: Presentation, kind: str) -> list[str]:
    return list(
        session.scalars(
            select(PresentationLink.target)
            .where(PresentationLink.presentation_id == presentation.id, PresentationLink.kind == kind)
            .order_by(PresentationLink.position)
        )
    )


def _day(session: Session, year: int, number: int):
    return session.exec(
        select(ProgrammeSession.day)
        .join(Programme, Programme.id == ProgrammeSession.programme_id)
        .where(Programme.year == year, ProgrammeSession.number == number)
    ).scalar_one()


def _names(session: Session, presentation: Presentation) -> list[tuple[str, str | None]]:
    return [
        tuple(row)
        for row in session.execute(
            select(Presenter.name, Presenter.institution)
            .where(Presenter.presentation_id == presentation.id)
            .order_by(Presenter.position)
        )
    ]


def test_the_fixes_are_applied_in_the_store(programmes_app):
    with Session(get_engine(programmes_app)) as session:
        # Days: 2002's "2012-06-11" is the conference's 2002-06-11; "June 9. 2022" read;
        # 2025's "June 4 and June 5, 2026" stays unknown; 2019 gives none.
        assert str(_day(session, 2002, 1)) == "2002-06-11"
        assert str(_day(session, 2002, 2)) == "2002-06-12"
        assert str(_day(session, 2005, 4)) == "2005-05-25"
        assert str(_day(session, 2024, 4)) == "2024-05-29"
        assert _day(session, 2025, 1) is None
        assert _day(session, 2019, 1) is None
        days_2022 = {str(d) for d in session.scalars(
            select(ProgrammeSession.day).join(Programme).where(Programme.year == 2022)
        )}
        assert "2022-06-09" in days_2022
        # DOIs: a stray "<", a lost leading "1", a resolver prefix, a list of three.
        assert _links(session, _talk(session, 2022, 22, 3), "doi") == ["10.5281/zenodo.6624093"]
        assert _links(session, _talk(session, 2022, 37, 2), "doi") == ["10.5281/zenodo.6772338"]
        assert _links(session, _talk(session, 2023, 29, 4), "doi") == ["10.5281/zenodo.8229483"]
        assert _links(session, _talk(session, 2025, 6, 1), "doi") == [
            "10.5281/zenodo.15586846", "10.5281/zenodo.15437681", "10.5281/zenodo.15649413",
        ]
        # Files: dot segments removed, a scheme added, bare file names (no URL) dropped.
        files_2005 = _links(session, _talk(session, 2005, 4, 1), "file")
        assert files_2005 == ["https://iassistdata.org/downloads/2005/a2arms.pdf"]
        assert "https://iassistdata.org/sites/default/files/conf/2014/2014_1b_segadal.pdf" in _links(
            session, _talk(session, 2014, 4, 1), "file"
        )
        assert _links(session, _talk(session, 2000, 1, 3), "file") == []
        # Recordings: a YouTube id becomes its watch URL, the tracking parameter dropped.
        assert _talk(session, 2023, 1, 1).recording_url == "https://www.youtube.com/watch?v=ePquFsyi8BM"
        # Names: 2019's "Welch, Matthew" reordered; several people in one name split;
        # an institution written into the name moved; "(presenter)" dropped.
        assert _names(session, _talk(session, 2019, 1, 1))[0] == ("Matthew Welch", "World Bank")
        assert [n for n, _ in _names(session, _talk(session, 2008, 26, 2))] == ["Mus Ahmet", "Louise Corti"]
        assert ("Teddy Stocking", "University of Nevada, Reno") in [
            n for p in session.scalars(select(Presentation).where(Presentation.year == 2024))
            for n in _names(session, p)
        ]
        assert ("Mary Vardigan", "University of Michigan") in _names(session, _talk(session, 2011, 26, 1)) or (
            "Mary Vardigan", "University of Michigan"
        ) in [n for p in session.scalars(select(Presentation).where(Presentation.year == 2011)) for n in _names(session, p)]
        # The key typo "moserator" and the chair that was a video id.
        chair = session.exec(
            select(ProgrammeSession.chair, ProgrammeSession.recording_url)
            .join(Programme).where(Programme.year == 2023, ProgrammeSession.title_text == "Session F3")
        ).one()
        assert chair == (None, "https://www.youtube.com/watch?v=H14qEdElzdI")


def test_people_are_matched_by_rule_and_by_the_reviewed_alias_file(programmes_app):
    assert person_key("  Chiu-chuang (Lu)\u00a0 CHOU ") == person_key("Chiu-Chuang (Lu) Chou")
    assert person_key("Zoltan Lux") != person_key("Zoltán Lux")  # never by guess
    assert person_slug("Tuomas J. Alaterä") == "tuomas-j-alatera"
    with Session(get_engine(programmes_app)) as session:
        person = session.exec(select(Person).where(Person.slug == "wolfgang-zenk-moltgen")).scalar_one()
        assert person.name == "Wolfgang Zenk-Möltgen"
        spellings = set(session.scalars(select(Presenter.name).where(Presenter.person_id == person.id)))
        assert spellings == {"Wolfgang Zenk-Möltgen", "Wolfgang Zenk-Moltgen", "Wolfgang zenk-Moltgen"}
        assert session.exec(select(func.count()).select_from(Person).where(Person.name == "Wolfgang Zenk-Moltgen")).scalar_one() == 0
        # Every alias row names a spelling that occurs, so no row is dead.
        names = {person_key(n) for n in session.scalars(select(Presenter.name))}
    with open(ALIASES_FILE, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            assert person_key(row["name"]) in names, row["name"]
            assert row["reason"].strip()


def _copy_data(tmp_path: Path) -> Path:
    folder = tmp_path / "programmes"
    shutil.copytree(PROGRAMMES_DIR, folder)
    return folder


def _snapshot(app) -> dict:
    with Session(get_engine(app)) as session:
        return {
            "titles": sorted(session.scalars(select(Presentation.title_text))),
            "people": session.scalar(select(func.count()).select_from(Person)),
            "events": sorted(session.scalars(select(Event.title))),
            "fingerprints": sorted(session.scalars(select(Programme.fingerprint))),
        }


@pytest.mark.parametrize(
    ("edit", "location"),
    [
        (lambda d: d["sessions"][3]["presentations"][1].update(dois=["not-a-doi"]),
         "2024.json, session 4, presentation 2, field 'dois'"),
        (lambda d: d["sessions"][0].update(day="2024-07-01"), "2024.json, session 1, field 'day'"),
        (lambda d: d["sessions"][2].update(type="keynote"), "2024.json, session 3, field 'type'"),
        (lambda d: d["sessions"][3]["presentations"][0]["presenters"][2].update(name=" "),
         "2024.json, session 4, presentation 1, presenter 3, field 'name'"),
        (lambda d: d["sessions"][5]["presentations"][0].update(recording="javascript:alert(1)"),
         "2024.json, session 6, presentation 1, field 'recording'"),
        (lambda d: d["sessions"][5].update(number=7), "2024.json, session 6, field 'number'"),
        (lambda d: d["sessions"][3]["presentations"][1].update(language="French"),
         "2024.json, session 4, presentation 2, field 'language'"),
        (lambda d: d.update(year=2023), "2024.json, programme, field 'year'"),
        (lambda d: d["sessions"][3]["presentations"][0]["presenters"][0].update(institution="x" * 1001),
         "2024.json, session 4, presentation 1, presenter 1, field 'institution'"),
    ],
)
def test_a_bad_record_is_rejected_with_its_location_and_nothing_changes(programmes_app, tmp_path, edit, location):
    folder = _copy_data(tmp_path)
    # A good change in another file, which must not be applied either.
    good = json.loads((folder / "2010.json").read_text(encoding="utf-8"))
    good["sessions"][0]["presentations"][0]["title"] = "Renamed talk"
    (folder / "2010.json").write_text(json.dumps(good), encoding="utf-8")
    bad = json.loads((folder / "2024.json").read_text(encoding="utf-8"))
    edit(bad)
    (folder / "2024.json").write_text(json.dumps(bad), encoding="utf-8")
    before = _snapshot(programmes_app)
    with Session(get_engine(programmes_app)) as session:
        with pytest.raises(ProgrammeLoadError) as raised:
            load_bundled_data(session, programmes_dir=folder)
    assert str(raised.value).startswith(location + ":"), str(raised.value)
    assert _snapshot(programmes_app) == before


def test_a_bad_event_row_stops_the_programmes_too(programmes_app, tmp_path):
    folder = _copy_data(tmp_path)
    good = json.loads((folder / "2010.json").read_text(encoding="utf-8"))
    good["sessions"][0]["presentations"][0]["title"] = "Renamed talk"
    (folder / "2010.json").write_text(json.dumps(good), encoding="utf-8")
    events = tmp_path / "events.csv"
    lines = EVENTS_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[-1] = lines[-1].replace("annual_conference", "gala")
    events.write_text("".join(lines), encoding="utf-8")
    before = _snapshot(programmes_app)
    with Session(get_engine(programmes_app)) as session, pytest.raises(LoadError, match="field 'kind'"):
        load_bundled_data(session, events_file=events, programmes_dir=folder)
    assert _snapshot(programmes_app) == before


def test_the_load_command_reports_the_location_and_exits_1(programmes_app, tmp_path):
    folder = _copy_data(tmp_path)
    bad = json.loads((folder / "2001.json").read_text(encoding="utf-8"))
    bad["sessions"][1]["presentations"][0]["files"] = [{"url": "ftp://x/y.pdf", "name": "y.pdf"}]
    (folder / "2001.json").write_text(json.dumps(bad), encoding="utf-8")
    result = programmes_app.test_cli_runner().invoke(args=["load-events", "--programmes", str(folder)])
    assert result.exit_code == 1
    assert "nothing loaded: 2001.json, session 2, presentation 1, file 1, field 'url'" in result.output


def test_reload_changes_nothing(programmes_app):
    before = _snapshot(programmes_app)
    with Session(get_engine(programmes_app)) as session:
        ids = sorted(session.scalars(select(Presentation.id)))
        events, programmes = load_bundled_data(session)
        assert (events.added, events.updated, events.removed, events.unchanged) == (0, 0, 0, 64)
        assert (programmes.added, programmes.updated, programmes.removed, programmes.unchanged) == (0, 0, 0, 25)
        assert programmes.people_added == programmes.people_removed == 0
        assert sorted(session.scalars(select(Presentation.id))) == ids
    assert _snapshot(programmes_app) == before
    result = programmes_app.test_cli_runner().invoke(args=["load-events"])
    assert result.exit_code == 0, result.output
    assert "Programmes loaded: 0 added, 0 updated, 0 removed, 25 unchanged" in result.output


def test_talk_urls_are_the_source_positions_and_survive_a_reimport(programmes_client, programmes_app, reference_programmes, tmp_path):
    # Every talk's URL is year, session and talk position in the association's file.
    with Session(get_engine(programmes_app)) as session:
        stored = {
            (p.year, p.session_number, p.number): p.title_text
            for p in session.scalars(select(Presentation))
        }
    expected = {
        (year, s, p): " ".join(presentation["title"].split())
        for year, source in reference_programmes.items()
        for s, p, _, presentation in _presentations(source)
    }
    assert stored.keys() == expected.keys()
    assert all(stored[k] == expected[k] for k in expected if "<" not in expected[k] and "&" not in expected[k])
    html = programmes_client.get("/en/programmes/2024/talks/4-1/").get_data(as_text=True)
    assert "Metadata Ahoy! Charting a reusable path for machine learning" in html
    # A re-import into an empty store, and an edit of another talk, keep every URL.
    folder = _copy_data(tmp_path)
    data = json.loads((folder / "2024.json").read_text(encoding="utf-8"))
    data["sessions"][3]["presentations"][1]["title"] = "Corrected title"
    (folder / "2024.json").write_text(json.dumps(data), encoding="utf-8")
    fresh = make_app(tmp_path / "fresh")
    with Session(get_engine(fresh)) as session:
        load_bundled_data(session, programmes_dir=folder)
    client = fresh.test_client()
    html = client.get("/en/programmes/2024/talks/4-1/").get_data(as_text=True)
    assert "Metadata Ahoy! Charting a reusable path for machine learning" in html
    assert "Corrected title" in client.get("/en/programmes/2024/talks/4-2/").get_data(as_text=True)
    # Reloading the edited data into the first store updates only 2024.
    with Session(get_engine(programmes_app)) as session:
        _, report = load_bundled_data(session, programmes_dir=folder)
    assert (report.updated, report.unchanged) == (1, 24)
    assert "Metadata Ahoy!" in programmes_client.get("/en/programmes/2024/talks/4-1/").get_data(as_text=True)


def test_removing_a_conference_removes_its_programme_only_when_removals_are_allowed(programmes_app, tmp_path):
    rows = EVENTS_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    events = tmp_path / "events.csv"
    events.write_text("".join(r for r in rows if not r.startswith("2013-conference-")), encoding="utf-8")
    before = _snapshot(programmes_app)
    with Session(get_engine(programmes_app)) as session, pytest.raises(
        LoadError, match=r"would remove 1 event\(s\).*2013-conference-cologne"
    ):
        load_bundled_data(session, events_file=events)
    assert _snapshot(programmes_app) == before
    with Session(get_engine(programmes_app)) as session:
        report, programmes = load_bundled_data(session, events_file=events, allow_removals=True)
        assert report.removed == 1 and programmes.removed == 1 and programmes.unchanged == 24
        assert session.scalar(select(func.count()).where(Presentation.year == 2013)) == 0
        assert session.scalar(select(func.count()).select_from(ProgrammeSession)) == 779 - 38
    assert programmes_app.test_client().get("/en/programmes/2013/").status_code == 404


def test_a_programme_without_any_conference_is_refused(programmes_app, tmp_path):
    folder = _copy_data(tmp_path)
    data = json.loads((folder / "2019.json").read_text(encoding="utf-8"))
    (folder / "1970.json").write_text(json.dumps(data | {"year": 1970}), encoding="utf-8")
    before = _snapshot(programmes_app)
    for allow_removals in (False, True):
        with Session(get_engine(programmes_app)) as session, pytest.raises(
            ProgrammeLoadError, match=r"^1970.json, programme, field 'year': no annual conference of 1970"
        ):
            load_bundled_data(session, programmes_dir=folder, allow_removals=allow_removals)
    assert _snapshot(programmes_app) == before
