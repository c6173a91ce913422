"""Loading the bundled event data: all 64 events land, a bad row is rejected with its
file, row and field and leaves the store as it was, and re-loading changes nothing."""

from __future__ import annotations

import csv
import shutil
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select
from webapp.db import get_engine
from webapp.events.loader import EVENTS_FILE, TRANSLATIONS_FILE, LoadError, load_events
from webapp.events.models import Event


def count_events(app) -> int:
    with Session(get_engine(app)) as session:
        return session.exec(select(func.count()).select_from(Event)).one()


def snapshot(app) -> list[tuple]:
    with Session(get_engine(app)) as session:
        return [tuple(row) for row in session.execute(text("SELECT * FROM event ORDER BY slug"))]


def test_all_64_events_land(app, reference_events_csv):
    reference = list(csv.DictReader(open(reference_events_csv, encoding="utf-8")))
    assert len(reference) == 64
    assert count_events(app) == 64
    with Session(get_engine(app)) as session:
        kinds = dict(session.exec(select(Event.kind, func.count()).group_by(Event.kind)).all())
    assert kinds == {"annual_conference": 52, "regional_workshop": 8, "joint_meeting": 4}


def test_loaded_facts_match_the_reference_csv(app, reference_events_csv):
    reference = list(csv.DictReader(open(reference_events_csv, encoding="utf-8")))
    with Session(get_engine(app)) as session:
        events = session.exec(select(Event)).all()
    by_key = {(e.year, e.title): e for e in events}
    for row in reference:
        event = by_key[(int(row["year"]), row["title"])]
        assert event.kind == row["kind"]
        assert event.start_date == (date.fromisoformat(row["start_date"]) if row["start_date"] else None)
        assert event.end_date == (date.fromisoformat(row["end_date"]) if row["end_date"] else None)
        assert (event.country_code or "") == row["country_code"]
        assert (event.city or "") == row["city"]
        assert (event.format or "") == row["format"]
        assert event.status == row["status"]
        assert event.sources == [u.strip() for u in row["source_urls"].split(" | ")]


def test_unknown_dates_stay_unknown(app):
    with Session(get_engine(app)) as session:
        undated = session.exec(select(Event.year).where(Event.start_date.is_(None))).all()
    assert sorted(undated) == [1976, 1977, 1977, 1993]


def test_bilingual_1995_theme_is_kept_as_original_and_french_translation(app):
    with Session(get_engine(app)) as session:
        event = session.exec(select(Event).where(Event.slug == "1995-conference-quebec")).one()
        assert event.theme == "Partners for access: working together in a changing data environment"
        # The sources' "L'acces … mutation: un partenariat à developper", spelt and set in
        # French typography (accents, apostrophe, no-break space before the colon).
        assert event.translated("theme", "fr") == (
            "L’accès aux données dans un environnement en pleine mutation\u00a0: "
            "un partenariat à développer"
        )
        assert event.translated("theme", "de") is None


def test_reloading_the_same_file_changes_nothing(app):
    before = snapshot(app)
    with Session(get_engine(app)) as session:
        report = load_events(session)
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 0, 0, 64)
    assert snapshot(app) == before


def write_variant(tmp_path, change):
    """A copy of the bundled events.csv with ``change(rows)`` applied to its rows."""
    rows = list(csv.DictReader(open(EVENTS_FILE, encoding="utf-8")))
    change(rows)
    path = tmp_path / "events.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0].keys()))
        writer.writeheader()
        writer.writerows(rows)
    translations = tmp_path / "event_translations.csv"
    shutil.copy(TRANSLATIONS_FILE, translations)
    return path, translations


@pytest.mark.parametrize(
    ("row_index", "field", "value", "message"),
    [
        (10, "end_date", "1981-09-01", "ends before it starts"),
        (3, "kind", "congress", "is not one of"),
        (5, "country_code", "XX", "ISO 3166-1"),
        (7, "year", "19x8", "four-digit year"),
        (20, "start_date", "1990-02-30", "is not a date"),
        (30, "format", "online", "is not one of"),
        (40, "status", "done", "is not one of"),
        (50, "source_urls", "", "at least one source"),
        (60, "slug", "Bad Slug", "lowercase"),
    ],
)
def test_a_bad_row_names_file_row_and_field_and_changes_nothing(
    app, tmp_path, row_index, field, value, message
):
    def change(rows):
        rows[row_index][field] = value

    # Make the rest of the file differ too, so a partial load would show.
    def change_all(rows):
        change(rows)
        rows[0]["title"] = "Changed title that must not land"

    events_file, translations_file = write_variant(tmp_path, change_all)
    before = snapshot(app)
    with Session(get_engine(app)) as session, pytest.raises(LoadError) as caught:
        load_events(session, events_file, translations_file)
    error = caught.value
    assert error.file == "events.csv"
    assert error.row == row_index + 2  # the header is row 1
    assert error.field == field
    assert message in str(error)
    assert f"events.csv, row {row_index + 2}, field '{field}'" in str(error)
    assert snapshot(app) == before


def test_a_duplicate_slug_is_rejected(app, tmp_path):
    def change(rows):
        rows[8]["slug"] = rows[7]["slug"]

    events_file, translations_file = write_variant(tmp_path, change)
    with Session(get_engine(app)) as session, pytest.raises(LoadError, match="row 10, field 'slug'"):
        load_events(session, events_file, translations_file)
    assert count_events(app) == 64


def test_a_bad_translation_row_is_rejected(app, tmp_path):
    events_file, translations_file = write_variant(tmp_path, lambda rows: None)
    translations_file.write_text("slug,locale,field,text\n1995-conference-quebec,it,theme,Partner\n")
    with Session(get_engine(app)) as session, pytest.raises(LoadError) as caught:
        load_events(session, events_file, translations_file)
    assert (caught.value.file, caught.value.row, caught.value.field) == ("event_translations.csv", 2, "locale")


def test_a_correction_updates_one_event_and_removal_is_synced(app, tmp_path):
    def change(rows):
        rows[-1]["theme"] = "A theme announced later"
        del rows[0]

    events_file, translations_file = write_variant(tmp_path, change)
    before = snapshot(app)
    # A removal is refused unless asked for: a file cut at a row boundary looks the same.
    with Session(get_engine(app)) as session, pytest.raises(LoadError, match="would remove 1"):
        load_events(session, events_file, translations_file)
    assert snapshot(app) == before
    with Session(get_engine(app)) as session:
        report = load_events(session, events_file, translations_file, allow_removals=True)
    assert (report.added, report.updated, report.removed) == (0, 1, 1)
    assert count_events(app) == 63


def test_the_load_command_reports_a_bad_file_and_exits_non_zero(app, tmp_path):
    events_file, translations_file = write_variant(
        tmp_path, lambda rows: rows[2].__setitem__("end_date", "not a date")
    )
    result = app.test_cli_runner().invoke(
        args=["load-events", "--events", str(events_file), "--translations", str(translations_file)]
    )
    assert result.exit_code == 1
    assert "nothing loaded: events.csv, row 4, field 'end_date'" in result.output


def test_the_load_command_loads_into_an_empty_store(empty_app):
    result = empty_app.test_cli_runner().invoke(args=["load-events"])
    assert result.exit_code == 0, result.output
    assert "64 added" in result.output
    assert count_events(empty_app) == 64


@pytest.mark.parametrize(
    ("column", "value"),
    [("end_date", date(1900, 1, 1)), ("kind", "party"), ("region", "mars"), ("format", "radio")],
)
def test_the_database_itself_rejects_broken_invariants(app, column, value):
    with Session(get_engine(app)) as session:
        event = session.exec(select(Event).where(Event.slug == "2025-conference-bristol")).one()
        setattr(event, column, value)
        with pytest.raises(IntegrityError):
            session.commit()
