"""The store on a real PostgreSQL server: the same data, the same pages and the same
invariants as on SQLite (``DATABASE_URL`` is any SQLAlchemy URL)."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select
from webapp.db import add_store_loader, get_engine
from webapp.events.loader import LoadError, load_events
from webapp.events.models import Event

from tests.conftest import make_app
from tests.postgres_server import postgres_server

pytestmark = pytest.mark.postgres

URLS = [
    "/en/events/", "/en/events/?page=3", "/fr/events/?type=regional_workshop",
    "/de/events/?year=2021&region=europe", "/en/events/?year=2000-2009&region=united_states",
    "/es/events/?year=2027&region=africa", "/pt/events/1995-conference-quebec/",
    "/en/conferences/", "/en/",
]


@pytest.fixture(scope="module")
def pg_url():
    with postgres_server() as url:
        yield url


@pytest.fixture
def pg_app(pg_url, tmp_path):
    app = make_app(tmp_path, DATABASE_URL=pg_url)
    with Session(get_engine(app)) as session:
        load_events(session)
    yield app
    get_engine(app).dispose()


def test_loads_64_events_and_reload_is_a_no_op(pg_app):
    with Session(get_engine(pg_app)) as session:
        assert session.exec(select(func.count()).select_from(Event)).one() == 64
        report = load_events(session)
    assert report.unchanged == 64 and report.added == report.updated == report.removed == 0


@pytest.mark.parametrize("url", URLS)
def test_pages_are_the_same_as_on_sqlite(pg_app, app, url):
    on_pg = pg_app.test_client().get(url)
    on_sqlite = app.test_client().get(url)
    assert on_pg.status_code == on_sqlite.status_code == 200
    assert on_pg.get_data(as_text=True) == on_sqlite.get_data(as_text=True)


def test_constraints_hold_on_postgres(pg_app):
    with Session(get_engine(pg_app)) as session:
        event = session.exec(select(Event).where(Event.slug == "2025-conference-bristol")).one()
        event.region = "atlantis"
        with pytest.raises(IntegrityError):
            session.commit()


def test_a_rejected_load_leaves_postgres_as_it_was(pg_app, tmp_path):
    bad = tmp_path / "events.csv"
    from webapp.events.loader import EVENTS_FILE, TRANSLATIONS_FILE

    lines = EVENTS_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("Conference on data archives", "Renamed")
    lines[-1] = lines[-1].replace("annual_conference", "gala")
    bad.write_text("".join(lines), encoding="utf-8")
    with Session(get_engine(pg_app)) as session:
        with pytest.raises(LoadError, match="row 65, field 'kind'"):
            load_events(session, bad, TRANSLATIONS_FILE)
        titles = session.exec(select(Event.title).where(Event.slug == "1974-joint-meeting-toronto")).one()
    assert titles.startswith("Conference on data archives")


def test_reset_db_rebuilds_an_old_schema_on_postgres(pg_app):
    from tests.test_store import EVENT_COLUMNS, counts

    engine = get_engine(pg_app)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE event_translation"))
        # CASCADE: the programme table (issue 9) refers to the event table.
        connection.execute(text("DROP TABLE event CASCADE"))
        connection.execute(text("CREATE TABLE event (id SERIAL PRIMARY KEY, slug TEXT)"))
    engine.dispose()
    result = pg_app.test_cli_runner().invoke(args=["reset-db", "--yes"])
    assert result.exit_code == 0, result.output
    assert "Events loaded: 64 added" in result.output
    assert {c["name"] for c in inspect(engine).get_columns("event")} == EVENT_COLUMNS
    assert counts(pg_app) == (64, 1)


def test_a_failed_reset_leaves_postgres_as_it_was(pg_app):
    from tests.test_store import counts, failing_loader

    add_store_loader(pg_app, "Failing", failing_loader)
    result = pg_app.test_cli_runner().invoke(args=["reset-db", "--yes"])
    assert result.exit_code == 1
    assert "nothing changed: the data source is unreachable" in result.output
    assert counts(pg_app) == (64, 1)
