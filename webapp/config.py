"""Configuration: safe defaults, overridden by environment variables.

Every setting can be given as an environment variable of the same name (strings, parsed as
documented below) or in the ``config`` mapping passed to :func:`webapp.create_app`, which
wins over the environment. The README lists them for operators.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _today_from_env(value: str | None) -> date | None:
    """``IASSIST_TODAY`` as a date (ISO ``YYYY-MM-DD``), or None to use the real date.

    Raises:
        ValueError: the value is set but is not an ISO date.
    """
    if not value:
        return None
    return date.fromisoformat(value)


def settings_from_env(instance_path: str) -> dict[str, Any]:
    """The settings that come from the environment, with their defaults.

    Args:
        instance_path: Flask's instance folder; the default SQLite file and the folder of
            official brochures live there.

    Returns:
        A mapping of Flask config keys to values:

        - ``DATABASE_URL`` (str): any SQLAlchemy URL; default a SQLite file
          ``<instance>/iassist.sqlite3``.
        - ``IASSIST_TODAY`` (date | None): the date the site takes as today (upcoming vs.
          past); None means the real date. For tests and demonstrations.
        - ``EVENTS_PER_PAGE`` (int): results per page of the event browser, default 20.
        - ``OFFICIAL_BROCHURE_DIR`` (str): where the association may place newer printed
          editions (``<kind>-<locale>.pdf``, or ``<locale>.pdf`` for the brochure); each
          becomes another printed edition beside the bundled ones and the current
          generated edition (:mod:`webapp.brochures.printed`).
        - ``FORCE_HTTPS`` (bool): redirect to HTTPS and send HSTS, default off (waitress
          serves plain HTTP on loopback; turn on behind a TLS proxy).

    Raises:
        ValueError: a variable is set to a value of the wrong form.
    """
    env = os.environ
    return {
        "DATABASE_URL": env.get(
            "DATABASE_URL", "sqlite:///" + str(Path(instance_path) / "iassist.sqlite3")
        ),
        "IASSIST_TODAY": _today_from_env(env.get("IASSIST_TODAY")),
        "EVENTS_PER_PAGE": int(env.get("EVENTS_PER_PAGE", "20")),
        "OFFICIAL_BROCHURE_DIR": env.get(
            "OFFICIAL_BROCHURE_DIR", str(Path(instance_path) / "brochures")
        ),
        "FORCE_HTTPS": env.get("FORCE_HTTPS", "0").lower() in ("1", "true", "yes"),
    }


def serve_settings() -> dict[str, Any]:
    """Waitress settings from the environment: ``HOST`` (default ``127.0.0.1``), ``PORT``
    (default 8000), ``THREADS`` (default 4), ``TRUSTED_PROXY`` (an address whose
    ``X-Forwarded-*`` headers waitress honours; default none).

    Raises:
        ValueError: ``PORT`` or ``THREADS`` is not a whole number.
    """
    env = os.environ
    settings: dict[str, Any] = {
        "host": env.get("HOST", "127.0.0.1"),
        "port": int(env.get("PORT", "8000")),
        "threads": int(env.get("THREADS", "4")),
    }
    if env.get("TRUSTED_PROXY"):
        settings["trusted_proxy"] = env["TRUSTED_PROXY"]
        settings["trusted_proxy_headers"] = "x-forwarded-for x-forwarded-host x-forwarded-proto"
    return settings
