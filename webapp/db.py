"""The SQLModel store: one engine per app, one session per request.

The engine is built from ``DATABASE_URL`` (SQLite by default, any SQLAlchemy URL such as
``postgresql+psycopg://…``). :func:`get_session` gives the request's session, closed at
teardown, as in Flask's tutorial (``get_db``).
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import event, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Field, Session, SQLModel, create_engine


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


class DataVersion(SQLModel, table=True):
    """The store's data version: one row (``id`` 1) whose ``version`` (int) every load
    increases, in the load's own transaction (:func:`bump_data_version`); ``changed_at``
    is when (UTC). Everything the site derives from the store and keeps in memory is keyed
    by it (see :mod:`webapp.memo`), so no process serves data older than the last load."""

    __tablename__ = "data_version"

    id: int = Field(default=1, primary_key=True)
    version: int = Field(default=0)
    changed_at: datetime | None = None


#: Seconds a process trusts the data version it last read before reading it again; a load
#: made by another process is therefore seen within this time (the issue asks for 1 s).
VERSION_CHECK_INTERVAL = 0.5

#: Bumped by :func:`bump_data_version` in this process, so that this process re-reads the
#: version at once rather than after :data:`VERSION_CHECK_INTERVAL`.
_local_bumps = 0
_lock = threading.Lock()


def bump_data_version(session: Session) -> None:
    """Increase the store's data version by one, inside ``session``'s transaction (the
    caller commits; a rolled-back load leaves the version as it was).

    Every function that changes what the site shows (the event loader, the brochure
    builder, the programme loader) calls this once per load, before its commit.

    Raises:
        sqlalchemy.exc.DBAPIError: the table does not exist (run ``init-db``).
    """
    global _local_bumps
    now = datetime.now(UTC)
    updated = session.exec(
        update(DataVersion)
        .where(DataVersion.id == 1)  # type: ignore[arg-type]
        .values(version=DataVersion.version + 1, changed_at=now)
    )
    if updated.rowcount == 0:
        session.add(DataVersion(id=1, version=1, changed_at=now))
        session.flush()
    with _lock:
        _local_bumps += 1


def read_data_version(engine: Engine) -> int:
    """The store's data version as stored now (0 when nothing was ever loaded or the table
    does not exist yet)."""
    try:
        with engine.connect() as connection:
            value = connection.exec_driver_sql(
                "SELECT version FROM data_version WHERE id = 1"
            ).scalar()
    except DBAPIError:
        return 0
    return int(value or 0)


def data_version(app: Flask | None = None) -> int:
    """The data version this process serves: :func:`read_data_version`, re-read at most
    every :data:`VERSION_CHECK_INTERVAL` seconds (at once after a bump in this process)."""
    app = app or current_app
    state = app.extensions["data_version"]
    now = time.monotonic()
    if now - state["checked_at"] > VERSION_CHECK_INTERVAL or state["bumps"] != _local_bumps:
        bumps = _local_bumps
        state["version"] = read_data_version(get_engine(app))
        state["checked_at"] = now
        state["bumps"] = bumps
    return state["version"]


def init_app(app: Flask) -> None:
    """Bind the engine to ``app`` (``app.extensions['sqlmodel_engine']``) and close the
    request's session at teardown."""
    app.extensions["sqlmodel_engine"] = make_engine(app.config["DATABASE_URL"])
    app.extensions["data_version"] = {"version": 0, "checked_at": float("-inf"), "bumps": -1}
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
    from webapp.events import counts as _event_counts  # noqa: F401
    from webapp.events import models as _event_models  # noqa: F401

    SQLModel.metadata.create_all(get_engine(app))
