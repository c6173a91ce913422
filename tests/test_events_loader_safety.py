"""Loads that cannot lose data silently: truncated files, control characters, a BOM,
removals that must be asked for, dry runs, translation corrections by the README's
procedure, SQLite's WAL mode and busy timeout, a busy database, and two loads at once in
two processes."""

from __future__ import annotations

import csv
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, select
from webapp.db import get_engine
from webapp.events.loader import EVENTS_FILE, TRANSLATIONS_FILE, LoadError, load_events
from webapp.events.models import Event, EventTranslation

from tests.conftest import make_app

PROJECT = Path(__file__).resolve().parent.parent
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]


def rows_of(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_rows(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0].keys()), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def state(app) -> list[tuple]:
    with Session(get_engine(app)) as session:
        events = [tuple(r) for r in session.execute(text("SELECT * FROM event ORDER BY slug"))]
        translations = [
            tuple(r)
            for r in session.execute(
                text("SELECT e.slug, t.locale, t.field, t.text FROM event_translation t "
                     "JOIN event e ON e.id = t.event_id ORDER BY 1, 2, 3")
            )
        ]
    return events + translations


def titles(app) -> dict[str, str]:
    with Session(get_engine(app)) as session:
        return dict(session.exec(select(Event.slug, Event.title)).all())


def cli(app, *args):
    return app.test_cli_runner().invoke(args=["load-events", *args])


def test_a_file_cut_mid_row_is_refused_and_changes_nothing(app, tmp_path):
    data = EVENTS_FILE.read_bytes()
    cut = tmp_path / "events.csv"
    cut.write_bytes(data[: len(data) * 2 // 3])  # somewhere inside a row
    assert not cut.read_bytes().endswith(b"\n")
    before = state(app)
    result = cli(app, "--events", str(cut))
    assert result.exit_code == 1
    assert "nothing loaded: events.csv: does not end with a line break" in result.output
    assert "Traceback" not in result.output
    assert state(app) == before


def test_a_file_cut_at_a_row_boundary_lists_the_removals_and_refuses(app, tmp_path):
    lines = EVENTS_FILE.read_bytes().splitlines(keepends=True)
    cut = tmp_path / "events.csv"
    cut.write_bytes(b"".join(lines[:31]))  # header + 30 events of 64
    kept = {row["slug"] for row in rows_of(cut)}
    lost = sorted(row["slug"] for row in rows_of(EVENTS_FILE) if row["slug"] not in kept)
    assert len(lost) == 34
    before = state(app)
    result = cli(app, "--events", str(cut))
    assert result.exit_code == 1
    assert "would remove 34 event(s)" in result.output
    for slug in lost:
        assert slug in result.output
    assert "--allow-removals" in result.output
    assert state(app) == before
    result = cli(app, "--events", str(cut), "--allow-removals")
    assert result.exit_code == 0, result.output
    assert "34 removed" in result.output
    assert sorted(titles(app)) == sorted(kept)


def test_a_file_ending_inside_a_quoted_field_is_refused(app, tmp_path):
    data = EVENTS_FILE.read_text(encoding="utf-8")
    quote = data.index(',"IASSIST', 2000)  # an opening quote of a title with a comma
    cut = tmp_path / "events.csv"
    cut.write_text(data[: quote + 10] + "\n", encoding="utf-8")
    before = state(app)
    with Session(get_engine(app)) as session, pytest.raises(LoadError) as caught:
        load_events(session, cut, TRANSLATIONS_FILE)
    assert "events.csv: ends inside a quoted field" in str(caught.value)
    assert state(app) == before


@pytest.mark.parametrize(
    ("row_index", "field", "character"),
    [(0, "title", "\x00"), (12, "theme", "\x1b"), (40, "city", "\x7f"), (63, "host", "\n")],
)
def test_a_control_character_is_refused_with_row_and_field(
    app, tmp_path, row_index, field, character
):
    rows = rows_of(EVENTS_FILE)
    rows[row_index][field] = "Before" + character + "after"
    events_file = write_rows(tmp_path / "events.csv", rows)
    before = state(app)
    result = cli(app, "--events", str(events_file))
    assert result.exit_code == 1
    expected = (
        f"events.csv, row {row_index + 2}, field '{field}': holds the control character "
        f"U+{ord(character):04X} at position 7"
    )
    assert expected in result.output
    assert state(app) == before


def test_a_control_character_in_a_translation_is_refused(app, tmp_path):
    translations = tmp_path / "event_translations.csv"
    translations.write_text(
        "slug,locale,field,text\n2025-conference-bristol,fr,title,IASSIST\x002025\n",
        encoding="utf-8",
    )
    result = cli(app, "--translations", str(translations))
    assert result.exit_code == 1
    assert "event_translations.csv, row 2, field 'text': holds the control character U+0000" in (
        result.output
    )


def test_a_byte_order_mark_is_accepted(app, tmp_path):
    events_file = tmp_path / "events.csv"
    events_file.write_bytes(b"\xef\xbb\xbf" + EVENTS_FILE.read_bytes())
    translations = tmp_path / "event_translations.csv"
    translations.write_bytes(b"\xef\xbb\xbf" + TRANSLATIONS_FILE.read_bytes())
    result = cli(app, "--events", str(events_file), "--translations", str(translations))
    assert result.exit_code == 0, result.output
    assert "0 added, 0 updated, 0 removed, 64 unchanged" in result.output


def test_dry_run_prints_the_changes_and_writes_nothing(app, tmp_path):
    rows = rows_of(EVENTS_FILE)
    rows[5]["title"] = "A corrected title"
    removed = rows.pop(0)
    added = dict(rows[-1], slug="2031-conference-somewhere-new")
    added.update(year="2031", start_date="", end_date="", number="")
    rows.append(added)
    events_file = write_rows(tmp_path / "events.csv", rows)
    before = state(app)
    result = cli(app, "--events", str(events_file), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "+ 2031-conference-somewhere-new" in result.output
    assert f"~ {rows[4]['slug']}: title" in result.output
    assert f"- {removed['slug']} ({removed['title']})" in result.output
    assert "Dry run, nothing written: 1 added, 1 updated, 1 removed, 62 unchanged" in (
        result.output
    )
    assert state(app) == before


def test_sqlite_runs_in_wal_mode_with_the_configured_busy_timeout(tmp_path):
    app = make_app(tmp_path, DATABASE_BUSY_TIMEOUT=7.5)
    with get_engine(app).connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 7500
    raw = sqlite3.connect(tmp_path / "test.sqlite3")  # the mode is stored in the file
    assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    raw.close()


def test_the_readme_procedure_corrects_adds_and_removes_a_translation(app, tmp_path):
    """README, "Adding or correcting an event": edit event_translations.csv, run
    ``make load-events`` (here on copies of the data files, named through LOAD_ARGS)."""
    events_file = tmp_path / "events.csv"
    shutil.copy(EVENTS_FILE, events_file)
    translations = tmp_path / "event_translations.csv"
    shutil.copy(TRANSLATIONS_FILE, translations)
    env = dict(os.environ, DATABASE_URL=app.config["DATABASE_URL"])
    load_args = f"LOAD_ARGS=--events {events_file} --translations {translations}"

    def make_load_events() -> str:
        done = subprocess.run(
            ["make", "--no-print-directory", "load-events", load_args],
            cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Traceback" not in done.stderr
        return done.stdout

    def stored() -> dict[tuple[str, str, str], str]:
        with Session(get_engine(app)) as session:
            found = session.exec(select(Event.slug, EventTranslation)
                                 .join(EventTranslation)).all()
            return {(slug, t.locale, t.field): t.text for slug, t in found}

    quebec = ("1995-conference-quebec", "fr", "theme")
    corrected = stored()[quebec]
    # 1. Correct the French theme: an earlier entry with straight apostrophes and a plain
    # space before the colon is corrected to the bundled, typographically right text.
    wrong = corrected.replace("\u2019", "'").replace("\u00a0", " ")
    assert wrong != corrected
    for text_, report in ((wrong, "0 added, 1 updated"), (corrected, "0 added, 1 updated")):
        translations.write_text(
            "slug,locale,field,text\n" f"1995-conference-quebec,fr,theme,{text_}\n",
            encoding="utf-8",
        )
        assert f"{report}, 0 removed, 63 unchanged" in make_load_events()
        assert stored() == {quebec: text_}
    # 2. Add a German title to the same event and a Spanish one to another.
    with open(translations, "a", encoding="utf-8") as fh:
        fh.write("1995-conference-quebec,de,title,IASSIST 1995 in Québec\n")
        fh.write("2025-conference-bristol,es,title,IASSIST 2025 en Bristol\n")
    assert "0 added, 2 updated, 0 removed, 62 unchanged" in make_load_events()
    assert stored() == {
        quebec: corrected,
        ("1995-conference-quebec", "de", "title"): "IASSIST 1995 in Québec",
        ("2025-conference-bristol", "es", "title"): "IASSIST 2025 en Bristol",
    }
    # 3. Remove the French theme again; correct the Spanish title in the same load.
    translations.write_text(
        "slug,locale,field,text\n"
        "1995-conference-quebec,de,title,IASSIST 1995 in Québec\n"
        "2025-conference-bristol,es,title,IASSIST 2025 en Bristol (Reino Unido)\n",
        encoding="utf-8",
    )
    assert "0 added, 2 updated, 0 removed, 62 unchanged" in make_load_events()
    assert stored() == {
        ("1995-conference-quebec", "de", "title"): "IASSIST 1995 in Québec",
        ("2025-conference-bristol", "es", "title"): "IASSIST 2025 en Bristol (Reino Unido)",
    }
    # Loading the same files again changes nothing.
    assert "0 added, 0 updated, 0 removed, 64 unchanged" in make_load_events()


def hold_write_lock(database: str) -> sqlite3.Connection:
    """Another connection holding the write lock (as a second load would)."""
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE event SET title = title || '' WHERE id = 1")
    return holder


def test_a_busy_database_is_reported_nothing_loaded_no_traceback(tmp_path):
    app = make_app(tmp_path, DATABASE_BUSY_TIMEOUT=0.3)
    with Session(get_engine(app)) as session:
        load_events(session)
    rows = rows_of(EVENTS_FILE)
    rows[3]["title"] = "Must not land"
    events_file = write_rows(tmp_path / "events.csv", rows)
    before = state(app)
    holder = hold_write_lock(str(tmp_path / "test.sqlite3"))
    try:
        result = cli(app, "--events", str(events_file))
    finally:
        holder.rollback()
        holder.close()
    assert result.exit_code == 1
    assert "nothing loaded: database: is busy: another load or a backup holds its write lock" in (
        result.output
    )
    assert "Traceback" not in result.output
    assert state(app) == before


def test_a_page_that_meets_a_lock_answers_503_with_retry_after(tmp_path):
    app = make_app(tmp_path, DATABASE_BUSY_TIMEOUT=0.2)
    with Session(get_engine(app)) as session:
        load_events(session)
    get_engine(app).dispose()  # an exclusive lock needs every other connection closed
    holder = sqlite3.connect(str(tmp_path / "test.sqlite3"), isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE event SET title = title || '' WHERE id = 1")
    try:
        response = app.test_client().get("/fr/events/")
    finally:
        holder.rollback()
        holder.close()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    page = response.get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert "Site occupé" in page
    assert "Traceback" not in page
    assert app.test_client().get("/fr/events/").status_code == 200  # and after the lock


def test_two_loads_at_once_end_entirely_one_or_the_other(app, tmp_path):
    """Two ``flask load-events`` processes started together on different files: each
    ends entirely (both succeed one after the other, or one reports the busy database),
    and the store holds exactly one file's events."""
    variants = {}
    for name, keep in (("a", 64), ("b", 50)):
        rows = rows_of(EVENTS_FILE)[:keep]
        for row in rows:
            row["title"] = f"{row['title']} [{name}]"
        folder = tmp_path / name
        folder.mkdir()
        variants[name] = write_rows(folder / "events.csv", rows)
    env = dict(os.environ, DATABASE_URL=app.config["DATABASE_URL"])
    processes = [
        subprocess.Popen(
            [*FLASK, "load-events", "--events", str(path), "--allow-removals"],
            cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        for path in variants.values()
    ]
    outputs = [p.communicate(timeout=120)[0] for p in processes]
    codes = [p.returncode for p in processes]
    for code, output in zip(codes, outputs, strict=True):
        assert "Traceback" not in output
        assert code == 0 or "is busy" in output, output
    assert 0 in codes
    final = titles(app)
    expected = {name: {r["slug"]: r["title"] for r in rows_of(path)}
                for name, path in variants.items()}
    assert final in (expected["a"], expected["b"])
