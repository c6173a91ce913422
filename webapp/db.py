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

#: Busy timeout in seconds when the caller gives none (``DATABASE_BUSY_TIMEOUT``).
DEFAULT_BUSY_TIMEOUT = 5.0


def make_engine(url: str, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Engine:
    """An engine for ``url``.

    For SQLite: creates the file's folder; every connection turns on foreign keys
    (SQLite leaves them off unless asked), uses write-ahead logging (``journal_mode=WAL``:
    pages keep reading while a load writes; https://sqlite.org/wal.html) and waits up to
    ``busy_timeout`` seconds for a lock held by another connection (``PRAGMA
    busy_timeout``, in milliseconds) before failing with "database is locked". For
    PostgreSQL: ``lock_timeout`` is set to the same value.

    Raises:
        sqlalchemy.exc.ArgumentError: the URL is not a SQLAlchemy URL.
    """
    parsed = make_url(url)
    timeout_ms = int(busy_timeout * 1000)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        on_disk = database not in ("", ":memory:")
        if on_disk:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": busy_timeout}
        )

        @event.listens_for(engine, "connect")
        def _sqlite_settings(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute(f"PRAGMA busy_timeout={timeout_ms}")
            dbapi_connection.execute("PRAGMA foreign_keys=ON")
            if on_disk:
                dbapi_connection.execute("PRAGMA journal_mode=WAL")

        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(
            url, pool_pre_ping=True, connect_args={"options": f"-c lock_timeout={timeout_ms}"}
        )
    return create_engine(url, pool_pre_ping=True)


def init_app(app: Flask) -> None:
    """Bind the engine to ``app`` (``app.extensions['sqlmodel_engine']``) and close the
    request's session at teardown."""
    app.extensions["sqlmodel_engine"] = make_engine(
        app.config["DATABASE_URL"],
        app.config.get("DATABASE_BUSY_TIMEOUT", DEFAULT_BUSY_TIMEOUT),
    )
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

    SQLModel.metadata.create_all(get_engine(app))
