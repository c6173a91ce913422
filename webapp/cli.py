"""Command-line interface: ``flask --app wsgi <command>``.

- ``init-db``: create the tables that do not exist yet.
- ``load-events [--events FILE] [--translations FILE] [--dry-run] [--allow-removals]``:
  load the event data (all or nothing; prints what changed, or the file, row and field of
  the first bad value and exits with status 1). A load that would remove events lists
  them and refuses unless ``--allow-removals``; ``--dry-run`` prints the changes and
  writes nothing; a busy database is reported, nothing loaded.
- ``translate extract|update|compile|check``: the translation workflow.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from webapp.db import create_schema, get_engine
from webapp.errors import is_lock_error
from webapp.events.loader import (
    EVENTS_FILE,
    TRANSLATIONS_FILE,
    DatabaseBusyError,
    LoadError,
    load_events,
)


def register_commands(app: Flask) -> None:
    """Add the project's commands to ``app.cli``."""
    register_translate_commands(app)
    from webapp.brochures.cli import register_commands as register_brochure_commands

    register_brochure_commands(app)

    @app.cli.command("init-db")
    def init_db() -> None:
        """Create the database tables that do not exist yet."""
        create_schema(app)
        click.echo("Database ready: " + app.config["DATABASE_URL"].split("@")[-1])

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
        events_file: Path, translations_file: Path, dry_run: bool, allow_removals: bool
    ) -> None:
        """Load the event data into the store (all or nothing)."""
        try:
            if not dry_run:
                create_schema(app)
            with Session(get_engine(app)) as session:
                report = load_events(
                    session,
                    events_file,
                    translations_file,
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
        else:
            click.echo(f"Events loaded: {report}")


def register_translate_commands(app: Flask) -> None:
    """``flask translate extract|update|compile|check`` (see :mod:`webapp.catalogues`)."""
    from webapp import catalogues

    @app.cli.group("translate")
    def translate() -> None:
        """Translation workflow: extract, update, compile, check."""

    @translate.command("extract")
    def extract() -> None:
        """Extract the messages into translations/messages.pot."""
        click.echo(f"Template written: {catalogues.extract()}")

    @translate.command("update")
    def update() -> None:
        """Extract, then merge new and changed messages into every catalogue."""
        catalogues.update()

    @translate.command("compile")
    def compile_() -> None:
        """Compile the catalogues to .mo files."""
        catalogues.compile_catalogues()

    @translate.command("check")
    def check() -> None:
        """Fail on untranslated, fuzzy, missing, stale or placeholder-breaking messages."""
        failed = False
        for report in catalogues.check_all():
            click.echo(
                f"{report.locale}: {report.messages} messages, {len(report.untranslated)} "
                f"untranslated, {len(report.fuzzy)} fuzzy, {len(report.missing)} missing, "
                f"{len(report.stale)} stale, {len(report.placeholder_errors)} placeholder errors"
            )
            for name in ("untranslated", "fuzzy", "missing", "stale", "placeholder_errors"):
                for msgid in getattr(report, name)[:20]:
                    click.echo(f"  {name}: {msgid!r}")
            failed |= not report.ok
        if failed:
            raise click.ClickException("the catalogues are not complete")
