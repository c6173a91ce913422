"""Configuration: safe defaults, overridden by environment variables, checked at start.

Every setting can be given as an environment variable of the same name (a string, parsed
as documented below) or in the ``config`` mapping passed to :func:`webapp.create_app`,
which wins over the environment (there a value may already have its type, e.g. a
``date``). :func:`check_settings` parses and checks them all when the app is built, so a
bad value stops the start with a :class:`ConfigError` naming the setting, the value and
what is expected, instead of a 500 on the first page that uses it. The README lists the
settings for operators.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from webapp.security.hosts import DEFAULT_TRUSTED_HOSTS, parse_trusted_hosts

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Values of a yes/no setting (case-insensitive).
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off", "")
#: Bounds of ``EVENTS_PER_PAGE`` (results per page of the event browser).
EVENTS_PER_PAGE_RANGE = (1, 500)
#: Bounds of ``THREADS`` (waitress worker threads).
THREADS_RANGE = (1, 256)
#: Bounds of ``DATABASE_BUSY_TIMEOUT`` in seconds.
BUSY_TIMEOUT_RANGE = (0.05, 60.0)


class ConfigError(ValueError):
    """A setting whose value has the wrong form. The message reads
    ``NAME='value': what is expected``."""

    def __init__(self, name: str, value: object, expected: str) -> None:
        self.name, self.value, self.expected = name, value, expected
        super().__init__(f"{name}={value!r}: {expected}")


def parse_int(name: str, value: object, minimum: int, maximum: int) -> int:
    """``value`` (an int, or a string of ASCII digits) as an int from ``minimum`` to
    ``maximum``.

    Raises:
        ConfigError: anything else (a bool, a sign, spaces, a number out of range).
    """
    expected = f"a whole number from {minimum} to {maximum}"
    if isinstance(value, bool):
        raise ConfigError(name, value, expected)
    if isinstance(value, str):
        if not (value.isascii() and value.isdigit()):
            raise ConfigError(name, value, expected)
        number = int(value)
    elif isinstance(value, int):
        number = value
    else:
        raise ConfigError(name, value, expected)
    if not minimum <= number <= maximum:
        raise ConfigError(name, value, expected)
    return number


def parse_bool(name: str, value: object) -> bool:
    """``value`` (a bool, or one of :data:`TRUE_WORDS` / :data:`FALSE_WORDS`) as a bool.

    Raises:
        ConfigError: any other value (``"maybe"``).
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise ConfigError(name, value, f"one of {', '.join(TRUE_WORDS + FALSE_WORDS[:-1])}")


def parse_date(name: str, value: object) -> date | None:
    """``value`` (a date, None or ``""`` for none, or an ISO ``YYYY-MM-DD`` string).

    Raises:
        ConfigError: anything else.
    """
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ConfigError(name, value, "an ISO date, YYYY-MM-DD (or empty for the real date)")


def parse_database_url(name: str, value: object) -> str:
    """``value`` if it is a SQLAlchemy URL (``sqlite:///…``, ``postgresql+psycopg://…``).

    Raises:
        ConfigError: it is not.
    """
    if isinstance(value, str):
        try:
            make_url(value)
        except ArgumentError:
            pass
        else:
            return value
    raise ConfigError(name, value, "a SQLAlchemy URL such as sqlite:///path/to/file.sqlite3")


def parse_seconds(name: str, value: object, minimum: float, maximum: float) -> float:
    """``value`` (a number, or a string such as ``"5"`` or ``"0.5"``) as seconds from
    ``minimum`` to ``maximum``.

    Raises:
        ConfigError: anything else.
    """
    expected = f"a number of seconds from {minimum:g} to {maximum:g}"
    if isinstance(value, bool):
        raise ConfigError(name, value, expected)
    try:
        seconds = float(value) if isinstance(value, (int, float, str)) else None
    except ValueError:
        seconds = None
    if seconds is None or not minimum <= seconds <= maximum:
        raise ConfigError(name, value, expected)
    return seconds


def parse_hosts(name: str, value: object) -> list[str]:
    """``value`` (a list of host names, or a string of them separated by commas or
    spaces; None for :data:`webapp.security.hosts.DEFAULT_TRUSTED_HOSTS`) as a list, see
    :func:`webapp.security.hosts.parse_trusted_hosts`.

    Raises:
        ConfigError: an empty list or an entry that is not a host name.
    """
    if isinstance(value, (list, tuple)):
        value = ",".join(str(v) for v in value) if value else ""
    if value is not None and not isinstance(value, str):
        raise ConfigError(name, value, "host names separated by commas")
    try:
        return parse_trusted_hosts(value)
    except ValueError as error:
        raise ConfigError(
            name, value, f"host names separated by commas, e.g. {DEFAULT_TRUSTED_HOSTS[0]}"
        ) from error


def settings_from_env(instance_path: str) -> dict[str, Any]:
    """The settings that come from the environment, with their defaults, unparsed
    (strings; :func:`check_settings` parses them).

    Args:
        instance_path: Flask's instance folder; the default SQLite file and the folders
            of brochures live there.

    Returns:
        A mapping of Flask config keys to values:

        - ``DATABASE_URL`` (str): any SQLAlchemy URL; default a SQLite file
          ``<instance>/iassist.sqlite3``.
        - ``IASSIST_TODAY`` (ISO date or empty): the date the site takes as today
          (upcoming vs. past); empty means the real date. For tests and demonstrations.
        - ``EVENTS_PER_PAGE`` (whole number, 1–500): results per page of the event
          browser, default 20.
        - ``OFFICIAL_BROCHURE_DIR`` (str): where the association may place newer printed
          editions (``<kind>-<locale>.pdf``, or ``<locale>.pdf`` for the brochure); each
          becomes another printed edition beside the bundled ones and the current
          generated edition (:mod:`webapp.brochures.printed`).
        - ``FORCE_HTTPS`` (yes/no): redirect plain-HTTP requests to HTTPS, default off
          (waitress serves plain HTTP on loopback; turn on behind a TLS proxy). HSTS is
          sent on every HTTPS response regardless.
        - ``TRUSTED_HOSTS`` (host names separated by commas or spaces): the hosts the site
          answers to (Flask's setting), default ``localhost, 127.0.0.1``; any other
          ``Host`` gets a 400. See :mod:`webapp.security.hosts`.
        - ``DATABASE_BUSY_TIMEOUT`` (seconds, 0.05–60): how long a database connection
          waits for a lock another connection holds (SQLite's busy timeout, PostgreSQL's
          lock_timeout), default 5. A page that still meets the lock answers 503 with
          ``Retry-After``; a load reports the database as busy.
    """
    env = os.environ
    return {
        "DATABASE_URL": env.get(
            "DATABASE_URL", "sqlite:///" + str(Path(instance_path) / "iassist.sqlite3")
        ),
        "IASSIST_TODAY": env.get("IASSIST_TODAY", ""),
        "EVENTS_PER_PAGE": env.get("EVENTS_PER_PAGE", "20"),
        "OFFICIAL_BROCHURE_DIR": env.get(
            "OFFICIAL_BROCHURE_DIR", str(Path(instance_path) / "brochures")
        ),
        "FORCE_HTTPS": env.get("FORCE_HTTPS", "0"),
        "TRUSTED_HOSTS": env.get("TRUSTED_HOSTS"),
        "DATABASE_BUSY_TIMEOUT": env.get("DATABASE_BUSY_TIMEOUT", "5"),
    }


def check_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """The settings of :func:`settings_from_env` in ``config``, parsed and checked:
    ``DATABASE_URL`` (str), ``IASSIST_TODAY`` (date | None), ``EVENTS_PER_PAGE`` (int),
    ``FORCE_HTTPS`` (bool), ``OFFICIAL_BROCHURE_DIR`` (str),
    ``TRUSTED_HOSTS`` (list[str]), ``DATABASE_BUSY_TIMEOUT`` (float, seconds).

    Raises:
        ConfigError: the first setting with a bad value.
    """
    checked = {
        "DATABASE_URL": parse_database_url("DATABASE_URL", config["DATABASE_URL"]),
        "IASSIST_TODAY": parse_date("IASSIST_TODAY", config["IASSIST_TODAY"]),
        "EVENTS_PER_PAGE": parse_int(
            "EVENTS_PER_PAGE", config["EVENTS_PER_PAGE"], *EVENTS_PER_PAGE_RANGE
        ),
        "FORCE_HTTPS": parse_bool("FORCE_HTTPS", config["FORCE_HTTPS"]),
        "TRUSTED_HOSTS": parse_hosts("TRUSTED_HOSTS", config.get("TRUSTED_HOSTS")),
        "DATABASE_BUSY_TIMEOUT": parse_seconds(
            "DATABASE_BUSY_TIMEOUT", config.get("DATABASE_BUSY_TIMEOUT", "5"), *BUSY_TIMEOUT_RANGE
        ),
    }
    for name in ("OFFICIAL_BROCHURE_DIR",):
        value = config[name]
        if not isinstance(value, (str, os.PathLike)) or not str(value):
            raise ConfigError(name, value, "a folder path")
        checked[name] = str(value)
    return checked


#: waitress settings for a direct ``make serve``, chosen for a small read-only site (see
#: the README, "Serving and security"). waitress must still not face the internet alone:
#: a few hundred slow clients can hold every connection it accepts; the nginx recipe in
#: ``deploy/`` sheds them.
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
    (default ``127.0.0.1``), ``PORT`` (1–65535, default 8000), ``THREADS`` (1–256,
    default 4) and ``TRUSTED_PROXY`` (the one address whose ``X-Forwarded-For``, ``-Host``
    and ``-Proto`` waitress honours, e.g. nginx at ``127.0.0.1``; default none, and then
    those headers are dropped).

    Returns:
        Keyword arguments for :func:`webapp.serve.create_site_server`.

    Raises:
        ConfigError: ``HOST`` is empty, or ``PORT`` or ``THREADS`` is not a whole number
            in its range.
    """
    env = os.environ
    host = env.get("HOST", "127.0.0.1")
    if not host.strip():
        raise ConfigError("HOST", host, "an address or host name such as 127.0.0.1")
    settings: dict[str, Any] = {
        "host": host,
        "port": parse_int("PORT", env.get("PORT", "8000"), 1, 65535),
        "threads": parse_int("THREADS", env.get("THREADS", "4"), *THREADS_RANGE),
        **WAITRESS_LIMITS,
    }
    if env.get("TRUSTED_PROXY"):
        settings["trusted_proxy"] = env["TRUSTED_PROXY"]
        settings["trusted_proxy_count"] = 1
        settings["trusted_proxy_headers"] = "x-forwarded-for x-forwarded-host x-forwarded-proto"
    return settings
