"""Commands of the event domain: ``flask --app wsgi load-events``, and the bundled events
as the store's data when ``reset-db`` rebuilds it (:func:`webapp.db.add_store_loader`).

- ``load-events [--events FILE] [--translations FILE] [--programmes DIR] [--dry-run]
  [--allow-removals]``: load all the bundled data, the events and the conference
  programmes that belong to them, in one transaction
  (:func:`webapp.programmes.loader.load_bundled_data`: all or nothing; prints what
  changed, or the file, row or record and field of the first bad value and exits with
  status 1). A load that would remove events lists them and refuses unless
  ``--allow-removals``; ``--dry-run`` prints the changes and writes nothing; a busy
  database is reported, nothing loaded.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from webapp.db import add_store_loader, create_schema, get_engine
from webapp.errors import is_lock_error
from webapp.events.loader import (
    EVENTS_FILE,
    TRANSLATIONS_FILE,
    DatabaseBusyError,
    LoadError,
    load_events,
)
from webapp.programmes.loader import PROGRAMMES_DIR, load_bundled_data


def register_commands(app: Flask) -> None:
    """Add ``load-events`` to ``app.cli``, and register the bundled events as a store
    loader of ``app`` (run by ``reset-db``)."""
    add_store_loader(app, "Events loaded", load_events)

    @app.cli.command("load-events")
    @click.option(
        "--events",
        "events_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=EVENTS_FILE,
        show_default=True,
        help="events CSV file",
    )
    @click.option(
        "--translations",
        "translations_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=TRANSLATIONS_FILE,
        show_default=True,
        help="translations CSV file",
    )
    @click.option(
        "--programmes",
        "programmes_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=PROGRAMMES_DIR,
        show_default=True,
        help="folder of programme files (<year>.json)",
    )
    @click.option(
        "--dry-run",
        is_flag=True,
        help="print what the load would add, update and remove; change nothing",
    )
    @click.option(
        "--allow-removals",
        is_flag=True,
        help="remove the events that are in the store but not in the file",
    )
    def load_events_command(
        events_file: Path,
        translations_file: Path,
        programmes_dir: Path,
        dry_run: bool,
        allow_removals: bool,
    ) -> None:
        """Load the events and their conference programmes into the store (all or
        nothing)."""
        try:
            if not dry_run:
                create_schema(app)
            with Session(get_engine(app)) as session:
                report, programmes = load_bundled_data(
                    session,
                    events_file,
                    translations_file,
                    programmes_dir,
                    allow_removals=allow_removals,
                    dry_run=dry_run,
                )
        except LoadError as error:
            raise click.ClickException(f"nothing loaded: {error}") from error
        except OperationalError as error:
            if is_lock_error(error):
                busy = DatabaseBusyError(str(error.orig))
                raise click.ClickException(f"nothing loaded: {busy}") from error
            raise
        if dry_run:
            for line in report.diff_lines():
                click.echo(line)
            click.echo(f"Dry run, nothing written: {report}")
            click.echo(f"Programmes (dry run, nothing written): {programmes}")
        else:
            click.echo(f"Events loaded: {report}")
            click.echo(f"Programmes loaded: {programmes}")
