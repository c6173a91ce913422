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

from webapp.security.hosts import parse_trusted_hosts

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
        - ``BROCHURE_DIR`` (str): where generated brochure PDFs are written.
        - ``OFFICIAL_BROCHURE_DIR`` (str): where official PDFs supplied by the association
          are placed (``<kind>-<locale>.pdf`` or ``<locale>.pdf`` for the brochure); they
          replace the generated ones.
        - ``FORCE_HTTPS`` (bool): redirect plain-HTTP requests to HTTPS, default off
          (waitress serves plain HTTP on loopback; turn on behind a TLS proxy). HSTS is
          sent on every HTTPS response regardless.
        - ``TRUSTED_HOSTS`` (list[str]): the host names the site answers to (Flask's
          setting; commas or spaces between names), default ``localhost, 127.0.0.1``;
          any other ``Host`` gets a 400. See :mod:`webapp.security.hosts`.
        - ``DATABASE_BUSY_TIMEOUT`` (float, seconds): how long a database connection
          waits for a lock another connection holds before giving up (SQLite's busy
          timeout), default 5. A page that still meets the lock answers 503 with
          ``Retry-After``; a load reports the database as busy.

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
        "BROCHURE_DIR": env.get("BROCHURE_DIR", str(Path(instance_path) / "generated")),
        "OFFICIAL_BROCHURE_DIR": env.get(
            "OFFICIAL_BROCHURE_DIR", str(Path(instance_path) / "brochures")
        ),
        "FORCE_HTTPS": env.get("FORCE_HTTPS", "0").lower() in ("1", "true", "yes"),
        "TRUSTED_HOSTS": parse_trusted_hosts(env.get("TRUSTED_HOSTS")),
        "DATABASE_BUSY_TIMEOUT": _busy_timeout(env.get("DATABASE_BUSY_TIMEOUT", "5")),
    }


def _busy_timeout(value: str) -> float:
    """``DATABASE_BUSY_TIMEOUT`` in seconds (0 < t <= 60).

    Raises:
        ValueError: not a number in that range.
    """
    seconds = float(value)
    if not 0 < seconds <= 60:
        raise ValueError(f"DATABASE_BUSY_TIMEOUT must be between 0 and 60 seconds, not {value}")
    return seconds


#: waitress settings for a direct ``make serve``, chosen for a small read-only site (see
#: the README, "Serving"). waitress must still not face the internet alone: a few hundred
#: slow clients can hold every connection it accepts; the nginx recipe in ``deploy/``
#: sheds them.
WAITRESS_LIMITS: dict[str, Any] = {
    # No "Server: waitress" banner (and waitress's own error pages say "server").
    "ident": "",
    # Open connections before waitress stops accepting new ones (default 100, which 100
    # idle keep-alive clients exhaust). poll() instead of select(), which cannot watch
    # file descriptors above 1024.
    "connection_limit": 1000,
    "asyncore_use_poll": True,
    # Seconds a connection may stay silent (idle keep-alive or a stalled client) before
    # waitress closes it (default 120), and how often it looks (default 30).
    "channel_timeout": 15,
    "cleanup_interval": 5,
    # The site takes no request bodies (every form is a GET): 8 KiB is plenty, anything
    # larger is a 413 (default 1 GiB). Request line and headers: 32 KiB, as nginx's
    # default large_client_header_buffers (4 x 8 KiB); more is a 431 (default 256 KiB).
    "max_request_body_size": 8192,
    "max_request_header_size": 32768,
    "expose_tracebacks": False,
    # X-Forwarded-* from anyone but TRUSTED_PROXY are removed before the app sees them.
    "clear_untrusted_proxy_headers": True,
}


def serve_settings() -> dict[str, Any]:
    """Waitress settings: :data:`WAITRESS_LIMITS` plus, from the environment, ``HOST``
    (default ``127.0.0.1``), ``PORT`` (default 8000), ``THREADS`` (default 4) and
    ``TRUSTED_PROXY`` (the one address whose ``X-Forwarded-For``, ``-Host`` and ``-Proto``
    waitress honours, e.g. nginx at ``127.0.0.1``; default none, and then those headers are
    dropped).

    Returns:
        Keyword arguments for :func:`waitress.serve` / :func:`webapp.serve.create_site_server`.

    Raises:
        ValueError: ``PORT`` or ``THREADS`` is not a whole number.
    """
    env = os.environ
    settings: dict[str, Any] = {
        "host": env.get("HOST", "127.0.0.1"),
        "port": int(env.get("PORT", "8000")),
        "threads": int(env.get("THREADS", "4")),
        **WAITRESS_LIMITS,
    }
    if env.get("TRUSTED_PROXY"):
        settings["trusted_proxy"] = env["TRUSTED_PROXY"]
        settings["trusted_proxy_count"] = 1
        settings["trusted_proxy_headers"] = "x-forwarded-for x-forwarded-host x-forwarded-proto"
    return settings
