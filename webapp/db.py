"""The SQLModel store: one engine per app, one session per request, the schema, and the
store's commands.

The engine is built from ``DATABASE_URL`` (SQLite by default, any SQLAlchemy URL such as
``postgresql+psycopg://…``). :func:`get_session` gives the request's session, closed at
teardown, as in Flask's tutorial (``get_db``).

The schema is the tables of the domains' models (``SQLModel.metadata``: the models
modules the app's blueprints import). ``init-db`` creates the tables that are
missing; ``reset-db`` (:func:`rebuild_store`) changes the schema: it drops every table,
creates the current schema and fills it with the bundled data, in one transaction, so a
failure leaves the store as it was. The store knows no domain: a domain that has bundled
data registers a loader with :func:`add_store_loader` (the events domain loads its CSV
files).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app, g
from sqlalchemy import BigInteger, event, inspect
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Field, Session, SQLModel, create_engine, select

#: ``app.extensions`` key of the store loaders: a list of (name, function filling a fresh
#: store through the given session and returning a printable report).
STORE_LOADERS = "store_loaders"

StoreLoader = Callable[[Session], object]


#: Busy timeout in seconds when the caller gives none (``DATABASE_BUSY_TIMEOUT``).
DEFAULT_BUSY_TIMEOUT = 5.0


def make_engine(
    url: str, transactional_ddl: bool = False, busy_timeout: float = DEFAULT_BUSY_TIMEOUT
) -> Engine:
    """An engine for ``url``.

    For SQLite: creates the file's folder; every connection turns on foreign keys
    (SQLite leaves them off unless asked), uses write-ahead logging (``journal_mode=WAL``:
    pages keep reading while a load writes; https://sqlite.org/wal.html) and waits up to
    ``busy_timeout`` seconds for a lock held by another connection (``PRAGMA
    busy_timeout``) before failing with "database is locked". For PostgreSQL:
    ``lock_timeout`` is set to the same value.

    Args:
        url: a SQLAlchemy URL.
        transactional_ddl: for SQLite, begin transactions explicitly, so that ``CREATE``
            and ``DROP TABLE`` are part of them (Python's sqlite3 module otherwise runs
            them outside any transaction); the documented SQLAlchemy recipe. PostgreSQL's
            DDL is transactional already.
        busy_timeout: seconds to wait for another connection's lock.

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
        def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
            if transactional_ddl:
                dbapi_connection.isolation_level = None
            dbapi_connection.execute(f"PRAGMA busy_timeout={timeout_ms}")
            dbapi_connection.execute("PRAGMA foreign_keys=ON")
            if on_disk:
                dbapi_connection.execute("PRAGMA journal_mode=WAL")

        if transactional_ddl:

            @event.listens_for(engine, "begin")
            def _sqlite_begin(connection: Connection) -> None:
                connection.exec_driver_sql("BEGIN")

        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(
            url, pool_pre_ping=True, connect_args={"options": f"-c lock_timeout={timeout_ms}"}
        )
    return create_engine(url, pool_pre_ping=True)


class DataVersion(SQLModel, table=True):
    """The store's data version: one row (``id`` 1) whose ``version`` (int) every load
    changes to a value it never had, in the load's own transaction
    (:func:`bump_data_version`); ``changed_at`` is when (UTC). Everything the site derives
    from the store and keeps in memory is keyed by it (see :mod:`webapp.memo`), so no
    process serves data older than the last load."""

    __tablename__ = "data_version"

    id: int = Field(default=1, primary_key=True)
    version: int = Field(default=0, sa_type=BigInteger)
    changed_at: datetime | None = None


#: Seconds a process trusts the data version it last read before reading it again; a load
#: made by another process is therefore seen within this time (the issue asks for 1 s).
VERSION_CHECK_INTERVAL = 0.5

#: Bumped by :func:`bump_data_version` in this process, so that this process re-reads the
#: version at once rather than after :data:`VERSION_CHECK_INTERVAL`.
_local_bumps = 0
_lock = threading.Lock()


def bump_data_version(session: Session) -> None:
    """Give the store's data version a new value, inside ``session``'s transaction (the
    caller commits; a rolled-back load leaves the version as it was).

    Every function that changes what the site shows (the event loader, the brochure
    builder, the programme loader) calls this once per load, before its commit.

    Raises:
        sqlalchemy.exc.DBAPIError: the table does not exist (run ``init-db``).
    """
    global _local_bumps
    # A version that no process can have seen: the next number, or the time in
    # microseconds if that is larger (after `reset-db` drops the table, numbering would
    # otherwise start again at a version that running processes still hold).
    now = datetime.now(UTC)
    current = session.exec(select(DataVersion).where(DataVersion.id == 1)).first()
    stamp = int(now.timestamp() * 1_000_000)
    if current is None:
        session.add(DataVersion(id=1, version=stamp, changed_at=now))
    else:
        current.version = max(current.version + 1, stamp)
        current.changed_at = now
        session.add(current)
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
    app.extensions["sqlmodel_engine"] = make_engine(
        app.config["DATABASE_URL"],
        busy_timeout=app.config.get("DATABASE_BUSY_TIMEOUT", DEFAULT_BUSY_TIMEOUT),
    )
    app.extensions["data_version"] = {"version": 0, "checked_at": float("-inf"), "bumps": -1}
    app.extensions[STORE_LOADERS] = []
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
    """Create every table that does not exist yet (``CREATE TABLE IF NOT EXISTS``); an
    existing table is left as it is, even if its model has changed (see
    :func:`rebuild_store`)."""
    SQLModel.metadata.create_all(get_engine(app))


def schema_drift(app: Flask | None = None) -> list[str]:
    """What the store lacks of the current models, in tables that exist: columns
    (``"presentation.language"``) and named indexes (``"index ix_presentation_order"``).
    An empty list when the store's tables match the models (missing tables are
    :func:`create_schema`'s business). Read with SQLAlchemy's inspector, on SQLite and
    PostgreSQL alike."""
    engine = get_engine(app)
    inspector = inspect(engine)
    existing = set(inspector.get_table_names())
    drift: list[str] = []
    for table in SQLModel.metadata.sorted_tables:
        if table.name not in existing:
            continue
        columns = {column["name"] for column in inspector.get_columns(table.name)}
        drift += [f"{table.name}.{c.name}" for c in table.columns if c.name not in columns]
        indexes = {index["name"] for index in inspector.get_indexes(table.name)}
        drift += [f"index {i.name}" for i in table.indexes if i.name and i.name not in indexes]
    return drift


def add_store_loader(app: Flask, name: str, load: StoreLoader) -> None:
    """Register ``load`` (called with a session on a fresh, empty store; it adds the
    bundled data and returns a report to print) to run when :func:`rebuild_store`
    rebuilds the store of ``app``, after the loaders registered before it."""
    app.extensions[STORE_LOADERS].append((name, load))


def rebuild_store(app: Flask) -> list[tuple[str, object]]:
    """Drop every table of the models, create the current schema and run the store
    loaders (:func:`add_store_loader`), all in one transaction (SQLite and PostgreSQL
    alike): if anything fails, the store is left exactly as it was.

    Returns:
        (loader name, its report) for each loader, in order.

    Raises:
        Exception: whatever a loader or the database raised (the transaction is rolled
            back first), e.g. :class:`webapp.events.loader.LoadError`.
    """
    engine = make_engine(
        app.config["DATABASE_URL"],
        transactional_ddl=True,
        busy_timeout=app.config.get("DATABASE_BUSY_TIMEOUT", DEFAULT_BUSY_TIMEOUT),
    )
    reports: list[tuple[str, object]] = []
    try:
        with engine.begin() as connection:
            SQLModel.metadata.drop_all(connection)
            SQLModel.metadata.create_all(connection)
            # The loaders commit their own work; here that only releases a savepoint of
            # this one transaction.
            with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
                for name, load in app.extensions[STORE_LOADERS]:
                    reports.append((name, load(session)))
    finally:
        engine.dispose()
    # The app's own engine may hold connections that saw the old tables.
    get_engine(app).dispose()
    return reports


def _database_name(app: Flask) -> str:
    """The database URL without user and password, for messages."""
    return make_url(app.config["DATABASE_URL"]).render_as_string(hide_password=True)


def register_commands(app: Flask) -> None:
    """``flask init-db`` (create the missing tables) and ``flask reset-db`` (rebuild the
    store with the current schema and the bundled data; see :func:`rebuild_store`)."""

    @app.cli.command("init-db")
    def init_db() -> None:
        """Create the database tables that do not exist yet."""
        create_schema(app)
        drift = schema_drift(app)
        if drift:
            click.echo(
                f"The store lacks {', '.join(drift)} of the current models: run "
                "`make reset-db` (or `make serve`, which rebuilds it)."
            )
        click.echo(f"Database ready: {_database_name(app)}")

    @app.cli.command("reset-db")
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def reset_db(yes: bool) -> None:
        """Rebuild the store: drop every table, create the current schema and load the
        bundled data, all or nothing (use it after a change of the models)."""
        if not yes:
            click.confirm(
                f"Replace every table of {_database_name(app)} with the bundled data?",
                abort=True,
            )
        try:
            reports = rebuild_store(app)
        except Exception as error:
            raise click.ClickException(f"nothing changed: {error}") from error
        click.echo(f"Database rebuilt: {_database_name(app)}")
        for name, report in reports:
            click.echo(f"{name}: {report}")
