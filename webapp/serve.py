"""``iassist-serve``: prepare the store and serve the site with waitress.

On start: check the settings (a bad one stops the start with its message, exit status
1), create missing tables, load the bundled data (events and conference programmes) if
the store has no event or no programme yet, load the printed brochure editions and build
the current ones that are missing or stale, then serve ``wsgi.app`` on ``HOST:PORT``
(default 127.0.0.1:8000) with ``THREADS`` threads; see
:func:`webapp.config.serve_settings`.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask
from sqlmodel import Session, func, select
from waitress import serve
from waitress.server import create_server

from webapp import create_app
from webapp.brochures.store import BrochureError, build_missing
from webapp.config import ConfigError, serve_settings
from webapp.db import create_schema, get_engine, rebuild_store, schema_drift
from webapp.events.models import Event
from webapp.programmes.loader import has_programmes, load_bundled_data
from webapp.security import waitress_errors


def create_site_server(app: Flask, **settings: Any) -> Any:
    """A waitress server for ``app`` with ``settings`` (waitress adjustments, normally
    :func:`webapp.config.serve_settings`), whose own error responses (400, 413, 431, 500,
    501 built by waitress) carry the security headers
    (:mod:`webapp.security.waitress_errors`). Call ``.run()`` on it to serve.

    Raises:
        OSError: the address cannot be bound.
    """
    socket_map: dict[int, Any] = {}
    server = create_server(app, map=socket_map, **settings)
    waitress_errors.install(socket_map)
    return server


def prepare(app: Flask) -> None:
    """Create the schema (rebuilding a store that older models made, see
    :func:`webapp.db.schema_drift`), load the bundled data on first run (events and programmes, see
    :func:`webapp.programmes.loader.load_bundled_data`), and build the brochure
    PDFs that are missing or stale (:func:`webapp.brochures.store.build_missing`; a
    failure is logged, the site still starts).

    Raises:
        webapp.events.loader.LoadError: the bundled data has a bad row.
    """
    create_schema(app)
    drift = schema_drift(app)
    if drift:
        # The store holds nothing that is not bundled data or rebuilt from it: a store
        # made by older models is rebuilt (all or nothing) rather than served with errors.
        app.logger.warning(
            "The store lacks %s of the current models: rebuilding it", ", ".join(drift)
        )
        for name, report in rebuild_store(app):
            app.logger.warning("%s: %s", name, report)
    with Session(get_engine(app)) as session:
        no_events = session.exec(select(func.count()).select_from(Event)).one() == 0
        if no_events or not has_programmes(session):
            events, programmes = load_bundled_data(session)
            app.logger.warning("Loaded the bundled events: %s", events)
            app.logger.warning("Loaded the bundled programmes: %s", programmes)
    try:
        for result in build_missing(app):
            app.logger.info(
                "Brochure %s (%s): %s (%s bytes, %s pages)",
                result.name,
                result.source,
                result.action,
                result.size,
                result.pages,
            )
    except BrochureError as error:
        # The site serves without the PDFs that could not be built (the About page lists
        # the recorded ones); the operator sees why here and in build-brochures.
        app.logger.error("Brochures not built: %s", error)


def main() -> None:
    """Entry point of ``iassist-serve``."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # WeasyPrint reports each layout step at INFO; its warnings (missing glyphs, bad CSS)
    # still show.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    try:
        settings = serve_settings()
        app = create_app()
    except ConfigError as error:
        raise SystemExit(f"Configuration error: {error}") from None
    prepare(app)
    logging.getLogger("waitress").info(
        "IASSIST site on http://%s:%s/", settings["host"], settings["port"]
    )
    serve(app, _server=create_site_server, **settings)


if __name__ == "__main__":
    main()
