"""``flask --app wsgi build-brochures [--force]``: bring the editions in the store up to date.

Loads the association's printed editions (bundled, checked against their manifest; and any
supplied in ``OFFICIAL_BROCHURE_DIR``), then builds the current editions whose inputs
changed (:func:`webapp.brochures.store.build_missing`), or every current edition again,
dated today, with ``--force`` (:func:`webapp.brochures.store.build_all`). Lists every
edition in the store with its size and page count. A refused printed edition or a failed
build stops with the reason and exit status 1.

The editions live in the store (PDF bytes included): ``reset-db`` rebuilds the store, and
this command (or ``make serve``) fills it again.
"""

from __future__ import annotations

import click
from flask import Flask
from sqlmodel import Session, col, select

from webapp.db import create_schema, get_engine


def register_commands(app: Flask) -> None:
    """Add ``build-brochures`` to ``app.cli``."""

    @app.cli.command("build-brochures")
    @click.option("--force", is_flag=True, help="Build every current edition again, dated today.")
    def build_brochures(force: bool) -> None:
        """Load the printed editions and build the current brochure and factsheet editions."""
        from webapp.brochures.models import Edition
        from webapp.brochures.store import BrochureError, build_all, build_missing

        create_schema(app)
        try:
            results = build_all(app) if force else build_missing(app)
        except BrochureError as error:
            raise click.ClickException(str(error)) from error
        actions = {r.name: r for r in results}
        with Session(get_engine(app)) as session:
            rows = session.exec(
                select(Edition).order_by(col(Edition.kind), col(Edition.locale), col(Edition.name))
            ).all()
            for row in rows:
                result = actions.get(row.name)
                status = result.action if result else "up to date"
                note = (
                    f"  LAYOUT OVERFLOW: {'; '.join(result.overflow)}"
                    if result and result.overflow
                    else ""
                )
                pages = f"{row.pages} {'page' if row.pages == 1 else 'pages'}"
                click.echo(
                    f"{row.name}  {row.source}  {row.edition.isoformat()}  "
                    f"{row.size:,} bytes  {pages}  {status}{note}"
                )
            removed = [r for r in results if r.action == "removed"]
            for result in removed:
                click.echo(f"{result.name}  {result.source}  removed")
            changed = len(results) - len(removed)
            click.echo(f"{changed} built or loaded, {len(rows) - changed} already up to date.")
