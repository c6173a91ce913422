"""Changing the schema without deleting the database by hand: ``reset-db`` rebuilds the
store with the current schema and the bundled data, all or nothing (SQLite here; the same
on PostgreSQL in test_postgres.py)."""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlmodel import Session, func, select
from webapp.db import add_store_loader, get_engine
from webapp.events.models import Event, EventTranslation

from tests.conftest import make_app

#: The columns of the event table the models define (an old store lacks some).
EVENT_COLUMNS = {"id", "slug", "kind", "year", "start_date", "end_date", "number", "title",
                 "theme", "city", "region_or_state", "country_code", "region", "host",
                 "format", "status", "url", "source_urls", "updated_at",
                 # the sort keys of the event browser's indexes (webapp.events.models)
                 "upcoming_key", "past_key"}


def counts(app) -> tuple[int, int]:
    with Session(get_engine(app)) as session:
        return (session.exec(select(func.count()).select_from(Event)).one(),
                session.exec(select(func.count()).select_from(EventTranslation)).one())


def make_old_store(app) -> None:
    """A store whose event table predates the current models (no theme, no number…)."""
    with get_engine(app).begin() as connection:
        connection.execute(text("DROP TABLE event_translation"))
        connection.execute(text("DROP TABLE event"))
        connection.execute(text("CREATE TABLE event (id INTEGER PRIMARY KEY, slug TEXT, "
                                "title TEXT)"))
        connection.execute(text("INSERT INTO event (slug, title) VALUES ('old', 'Old event')"))
    get_engine(app).dispose()


def failing_loader(session):
    session.add(Event(slug="half-done", kind="annual_conference", year=2030, title="x",
                      region="europe", status="scheduled"))
    session.flush()
    raise RuntimeError("the data source is unreachable")


def test_reset_db_moves_an_old_store_to_the_current_schema(tmp_path):
    app = make_app(tmp_path)
    make_old_store(app)
    columns = {c["name"] for c in inspect(get_engine(app)).get_columns("event")}
    assert columns == {"id", "slug", "title"}

    result = app.test_cli_runner().invoke(args=["reset-db", "--yes"])

    assert result.exit_code == 0, result.output
    assert "Database rebuilt: sqlite:///" in result.output
    assert "Events loaded: 64 added, 0 updated, 0 removed, 0 unchanged" in result.output
    columns = {c["name"] for c in inspect(get_engine(app)).get_columns("event")}
    assert columns == EVENT_COLUMNS
    assert counts(app) == (64, 1)
    assert app.test_client().get("/en/events/1995-conference-quebec/").status_code == 200


def test_reset_db_is_all_or_nothing(app):
    with Session(get_engine(app)) as session:
        event = session.exec(select(Event).where(Event.slug == "2025-conference-bristol")).one()
        event.title = "Edited by hand"
        session.add(event)
        session.commit()
    add_store_loader(app, "Failing", failing_loader)

    result = app.test_cli_runner().invoke(args=["reset-db", "--yes"])

    assert result.exit_code == 1
    assert "nothing changed: the data source is unreachable" in result.output
    assert counts(app) == (64, 1)
    with Session(get_engine(app)) as session:
        titles = session.exec(select(Event.title).where(Event.slug == "2025-conference-bristol")).all()
        assert titles == ["Edited by hand"]
        assert session.exec(select(Event).where(Event.slug == "half-done")).first() is None


def test_reset_db_asks_first(app):
    result = app.test_cli_runner().invoke(args=["reset-db"], input="n\n")
    assert result.exit_code == 1
    assert "Replace every table of sqlite:///" in result.output
    assert "Aborted" in result.output
    assert counts(app) == (64, 1)


def test_init_db_leaves_an_old_table_as_it_is(tmp_path):
    """Why reset-db exists: creating missing tables does not change an existing one."""
    app = make_app(tmp_path)
    make_old_store(app)
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0
    columns = {c["name"] for c in inspect(get_engine(app)).get_columns("event")}
    assert columns == {"id", "slug", "title"}
    # It says what the store lacks and how to move it on.
    assert "event.theme" in result.output and "reset-db" in result.output


def test_serve_rebuilds_a_store_that_older_models_made(tmp_path):
    """A store made before a column and an index were added (the programmes' language,
    the search's order index) is rebuilt when the site starts, instead of failing with a
    500 on every programme page; init-db names what is missing."""
    from webapp.db import schema_drift
    from webapp.programmes.models import Presentation
    from webapp.serve import prepare

    app = make_app(tmp_path)
    prepare(app)
    assert schema_drift(app) == []
    with get_engine(app).begin() as connection:
        connection.execute(text("DROP INDEX ix_presentation_order"))
        connection.execute(text("ALTER TABLE presentation DROP COLUMN language"))
    get_engine(app).dispose()
    assert schema_drift(app) == ["presentation.language", "index ix_presentation_order"]
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert "presentation.language, index ix_presentation_order" in result.output
    assert "reset-db" in result.output
    prepare(app)
    assert schema_drift(app) == []
    with Session(get_engine(app)) as session:
        assert session.exec(select(func.count()).select_from(Presentation)).one() == 2598
        assert session.exec(select(func.count()).select_from(Event)).one() > 60
    assert app.test_client().get("/en/programmes/2018/").status_code == 200
