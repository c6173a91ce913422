"""Today's date as the site sees it."""

from __future__ import annotations

from datetime import date

from flask import current_app


def today() -> date:
    """The configured ``IASSIST_TODAY`` (tests and demonstrations), else the real date
    (the server's local calendar date)."""
    return current_app.config.get("IASSIST_TODAY") or date.today()
