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

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Values of a yes/no setting (case-insensitive).
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off", "")
#: Bounds of ``EVENTS_PER_PAGE`` (results per page of the event browser).
EVENTS_PER_PAGE_RANGE = (1, 500)
#: Bounds of ``THREADS`` (waitress worker threads).
THREADS_RANGE = (1, 256)


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
        - ``BROCHURE_DIR`` (str): where generated brochure PDFs are written.
        - ``OFFICIAL_BROCHURE_DIR`` (str): where official PDFs supplied by the association
          are placed (``<kind>-<locale>.pdf`` or ``<locale>.pdf`` for the brochure); they
          replace the generated ones.
        - ``FORCE_HTTPS`` (yes/no): redirect to HTTPS and send HSTS, default off (waitress
          serves plain HTTP on loopback; turn on behind a TLS proxy).
    """
    env = os.environ
    return {
        "DATABASE_URL": env.get(
            "DATABASE_URL", "sqlite:///" + str(Path(instance_path) / "iassist.sqlite3")
        ),
        "IASSIST_TODAY": env.get("IASSIST_TODAY", ""),
        "EVENTS_PER_PAGE": env.get("EVENTS_PER_PAGE", "20"),
        "BROCHURE_DIR": env.get("BROCHURE_DIR", str(Path(instance_path) / "generated")),
        "OFFICIAL_BROCHURE_DIR": env.get(
            "OFFICIAL_BROCHURE_DIR", str(Path(instance_path) / "brochures")
        ),
        "FORCE_HTTPS": env.get("FORCE_HTTPS", "0"),
    }


def check_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """The settings of :func:`settings_from_env` in ``config``, parsed and checked:
    ``DATABASE_URL`` (str), ``IASSIST_TODAY`` (date | None), ``EVENTS_PER_PAGE`` (int),
    ``FORCE_HTTPS`` (bool), ``BROCHURE_DIR`` and ``OFFICIAL_BROCHURE_DIR`` (str).

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
    }
    for name in ("BROCHURE_DIR", "OFFICIAL_BROCHURE_DIR"):
        value = config[name]
        if not isinstance(value, (str, os.PathLike)) or not str(value):
            raise ConfigError(name, value, "a folder path")
        checked[name] = str(value)
    return checked


def serve_settings() -> dict[str, Any]:
    """Waitress settings from the environment: ``HOST`` (default ``127.0.0.1``), ``PORT``
    (1–65535, default 8000), ``THREADS`` (1–256, default 4), ``TRUSTED_PROXY`` (an
    address whose ``X-Forwarded-*`` headers waitress honours; default none).

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
    }
    if env.get("TRUSTED_PROXY"):
        settings["trusted_proxy"] = env["TRUSTED_PROXY"]
        settings["trusted_proxy_headers"] = "x-forwarded-for x-forwarded-host x-forwarded-proto"
    return settings
