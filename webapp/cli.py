"""Command-line interface: ``flask --app wsgi <command>``.

- ``init-db``: create the tables that do not exist yet.
- ``load-events [--events FILE] [--translations FILE] [--programmes DIR]``: load all the
  bundled data, the events and the conference programmes, in one transaction (all or
  nothing; prints what changed, or the file, row or record and field of the first bad
  value and exits with status 1).
- ``translate extract|update|compile|check``: the translation workflow.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from sqlmodel import Session

from webapp.db import create_schema, get_engine
from webapp.events.loader import EVENTS_FILE, TRANSLATIONS_FILE, LoadError
from webapp.programmes.loader import PROGRAMMES_DIR, load_bundled_data


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
        "--programmes",
        "programmes_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=PROGRAMMES_DIR,
        show_default=True,
        help="folder of programme files (<year>.json)",
    )
    def load_events_command(
        events_file: Path, translations_file: Path, programmes_dir: Path
    ) -> None:
        """Load the events and the conference programmes into the store (all or nothing)."""
        create_schema(app)
        with Session(get_engine(app)) as session:
            try:
                events, programmes = load_bundled_data(
                    session, events_file, translations_file, programmes_dir
                )
            except LoadError as error:
                raise click.ClickException(f"nothing loaded: {error}") from error
        click.echo(f"Events loaded: {events}")
        click.echo(f"Programmes loaded: {programmes}")


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
