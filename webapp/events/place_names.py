"""Names of places and hosts per language, kept as data.

- ``data/names/city.<locale>.csv`` (``city,name,source``): the name a language has of its
  own for a city, keyed by the city as ``events.csv`` writes it (``Cologne`` -> ``Köln``
  in German). Only cities the language really names otherwise are listed; every other
  city keeps the data's name. ``source`` says where the name was taken from (CLDR has no
  city names: each is the title of the city's article in that language's Wikipedia).
- ``data/names/host.lang.csv`` (``slug,lang,source``): the language of an event's host
  institution(s) as the data names them, where it is not English (``Université Laval``
  is French); ``source`` is where that name is the institution's own.

Every file is read once; a bad file raises :class:`ValueError` naming the file and row.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from flask_babel import get_locale

from webapp.events.codes import DATA_DIR

NAMES_DIR = DATA_DIR / "names"
#: The language of the data's host names unless ``host.lang.csv`` says otherwise.
DEFAULT_HOST_LANGUAGE = "en"
_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}$")
_URL = re.compile(r"^https?://\S+$")


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != columns:
            raise ValueError(f"{path.name}: the header must be {','.join(columns)}")
        rows = []
        for number, row in enumerate(reader, start=2):
            values = {k: (v or "").strip() for k, v in row.items() if k is not None}
            for column in columns:
                if not values.get(column):
                    raise ValueError(f"{path.name}, row {number}: {column} is required")
            if not _URL.match(values["source"]):
                raise ValueError(f"{path.name}, row {number}: source must be an http(s) URL")
            rows.append((number, values))
        return rows


@cache
def city_names(locale: str) -> dict[str, str]:
    """``{city as events.csv writes it: its name in locale}`` from
    ``data/names/city.<locale>.csv``; empty when the locale has no file.

    Raises:
        ValueError: a row lacks a value, names a city twice, or its source is not a URL.
    """
    path = NAMES_DIR / f"city.{locale}.csv"
    if not path.exists():
        return {}
    names: dict[str, str] = {}
    for number, row in _rows(path, ("city", "name", "source")):
        if row["city"] in names:
            raise ValueError(f"{path.name}, row {number}: {row['city']!r} is named twice")
        names[row["city"]] = row["name"]
    return names


def city_name(city: str | None, locale: str | None = None) -> str | None:
    """``city`` (as events.csv writes it) named in ``locale`` (default: the page's), the
    data's name where the language has no name of its own; None for no city."""
    if not city:
        return None
    return city_names(locale or str(get_locale())).get(city, city)


@cache
def host_languages() -> dict[str, str]:
    """``{event slug: language code of its host's name}`` from ``data/names/host.lang.csv``
    (only hosts not named in English).

    Raises:
        ValueError: a row lacks a value, is not a language code, or repeats a slug.
    """
    path = NAMES_DIR / "host.lang.csv"
    languages: dict[str, str] = {}
    for number, row in _rows(path, ("slug", "lang", "source")):
        if not _LANGUAGE_TAG.match(row["lang"]):
            raise ValueError(f"{path.name}, row {number}: {row['lang']!r} is not a language code")
        if row["slug"] in languages:
            raise ValueError(f"{path.name}, row {number}: {row['slug']!r} is listed twice")
        languages[row["slug"]] = row["lang"]
    return languages


def host_language(slug: str) -> str:
    """The language of the host name of event ``slug`` (ISO 639-1 code, ``"en"`` unless
    ``host.lang.csv`` lists it)."""
    return host_languages().get(slug, DEFAULT_HOST_LANGUAGE)
