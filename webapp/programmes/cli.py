"""Commands of the programme domain.

The programmes are loaded by ``load-events`` (:mod:`webapp.events.cli`), which loads all
the bundled data, events and programmes, in one transaction
(:func:`webapp.programmes.loader.load_bundled_data`). Here: the bundled programmes as the
store's data when ``reset-db`` rebuilds it (:func:`webapp.db.add_store_loader`), after the
events they belong to.
"""

from __future__ import annotations

from flask import Flask
from sqlmodel import Session

from webapp.db import add_store_loader
from webapp.events.loader import read_event_data
from webapp.programmes.loader import (
    ProgrammeReport,
    conferences_of,
    read_programmes,
    sync_programmes,
)


def load_programmes(session: Session) -> ProgrammeReport:
    """Load the bundled programmes into a store that holds the bundled events, and commit.

    Raises:
        webapp.events.loader.LoadError: a bad value in the event or programme data.
    """
    records = read_programmes(conferences_of(read_event_data()))
    report = sync_programmes(session, records)
    session.commit()
    return report


def register_commands(app: Flask) -> None:
    """Register the bundled programmes as a store loader of ``app`` (run by
    ``reset-db``, after the events' loader)."""
    add_store_loader(app, "Programmes loaded", load_programmes)
