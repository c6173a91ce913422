"""The SQLModel store: one engine per app, one session per request.

The engine is built from ``DATABASE_URL`` (SQLite by default, any SQLAlchemy URL such as
``postgresql+psycopg://…``). :func:`get_session` gives the request's session, closed at
teardown, as in Flask's tutorial (``get_db``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel, create_engine


def make_engine(url: str) -> Engine:
    """An engine for ``url``; for SQLite, creates the file's folder and turns on foreign
    keys (SQLite leaves them off unless asked, per connection).

    Raises:
        sqlalchemy.exc.ArgumentError: the URL is not a SQLAlchemy URL.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA foreign_keys=ON")

        return engine
    return create_engine(url, pool_pre_ping=True)


def init_app(app: Flask) -> None:
    """Bind the engine to ``app`` (``app.extensions['sqlmodel_engine']``) and close the
    request's session at teardown."""
    app.extensions["sqlmodel_engine"] = make_engine(app.config["DATABASE_URL"])
    app.teardown_appcontext(_close_session)


def get_engine(app: Flask | None = None) -> Engine:
    """The engine of ``app`` (default: the current app)."""
    return (app or current_app).extensions["sqlmodel_engine"]


def get_session() -> Session:
    """The current request's session (created on first use, closed at teardown)."""
    if "db_session" not in g:
        g.db_session = Session(get_engine())
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def create_schema(app: Flask | None = None) -> None:
    """Create every table that does not exist yet (``CREATE TABLE IF NOT EXISTS``)."""
    # Import the models so that their tables are in SQLModel.metadata.
    from webapp.brochures import models as _brochure_models  # noqa: F401
    from webapp.events import models as _event_models  # noqa: F401
    from webapp.programmes import models as _programme_models  # noqa: F401
    from webapp.programmes import search as _programme_search  # noqa: F401 (index DDL)

    SQLModel.metadata.create_all(get_engine(app))
