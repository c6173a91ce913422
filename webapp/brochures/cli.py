"""``flask --app wsgi build-brochures [--force]``: build the brochure and factsheet PDFs.

Without ``--force``, only the missing and stale documents are built
(:func:`webapp.brochures.build.build_missing`); with it, every document is built again
and dated today (:func:`webapp.brochures.build.build_all`). Either way every document
is listed with its file, size and page count.
"""

from __future__ import annotations

import click
from flask import Flask
from sqlmodel import Session, select

from webapp.db import create_schema, get_engine


def register_commands(app: Flask) -> None:
    """Add ``build-brochures`` to ``app.cli``."""

    @app.cli.command("build-brochures")
    @click.option("--force", is_flag=True, help="Build every document again, even if up to date.")
    def build_brochures(force: bool) -> None:
        """Build the brochure and factsheet PDFs in every language."""
        from webapp.brochures.build import BrochureError, build_all, build_missing
        from webapp.brochures.models import KINDS, Document
        from webapp.i18n import LOCALES

        create_schema(app)
        try:
            results = build_all(app, force=True) if force else build_missing(app)
        except BrochureError as error:
            raise click.ClickException(str(error)) from error
        actions = {(r.kind, r.locale): r for r in results}
        with Session(get_engine(app)) as session:
            rows = {(d.kind, d.locale): d for d in session.exec(select(Document)).all()}
        for kind in KINDS:
            for locale in LOCALES:
                row = rows.get((kind, locale))
                if row is None:
                    continue
                result = actions.get((kind, locale))
                status = result.action if result else "up to date"
                note = (
                    f"  LAYOUT OVERFLOW: {'; '.join(result.overflow)}"
                    if result and result.overflow
                    else ""
                )
                click.echo(
                    f"{row.file}  {row.size:,} bytes  {row.pages} "
                    f"{'page' if row.pages == 1 else 'pages'}  {row.source}, {status}{note}"
                )
        click.echo(
            f"{len(results)} built or recorded, {len(rows) - len(results)} already up to date."
        )
