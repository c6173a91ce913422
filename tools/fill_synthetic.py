"""Fill a store with synthetic events for the scale benchmark (not part of the site).

Writes ``COUNT`` (default 100,000) events to the store at ``DATABASE_URL`` (a SQLAlchemy
URL; the schema is created if missing), replacing the events already there, in one
transaction that rebuilds the counts table and bumps the data version as the real loader
does. The events are drawn with a fixed seed so every run gives the same store: years
1974–2030, the three types (half of them regional workshops), every country of
``country_regions.csv`` plus virtual events, a tenth with unknown dates. Every title says
"Synthetic benchmark event" and every source is a URL under ``https://example.org/``
(a domain reserved for documentation), so they cannot be mistaken for IASSIST's own
events.

    .venv/bin/python tools/fill_synthetic.py sqlite:////tmp/scale.sqlite3 [COUNT]
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, insert
from sqlmodel import Session
from webapp import create_app
from webapp.db import bump_data_version, create_schema, get_engine
from webapp.events.codes import KINDS, country_regions
from webapp.events.counts import refresh_event_counts
from webapp.events.models import (
    UNKNOWN_PAST_KEY,
    UNKNOWN_UPCOMING_KEY,
    Event,
    EventTranslation,
)

#: Years of the synthetic events (inclusive).
FIRST_YEAR, LAST_YEAR = 1974, 2030
SEED = 8
BATCH = 5000


def synthetic_events(count: int, seed: int = SEED) -> list[dict[str, Any]]:
    """``count`` event rows (dicts of :class:`Event` columns), the same for the same seed."""
    rng = random.Random(seed)
    countries = sorted(country_regions().items())
    kinds = list(KINDS)
    rows = []
    for number in range(1, count + 1):
        year = rng.randint(FIRST_YEAR, LAST_YEAR)
        kind = rng.choices(kinds, weights=(3, 5, 2))[0]
        virtual = rng.random() < 0.05
        country, region = (None, "online") if virtual else rng.choice(countries)
        start = end = None
        if rng.random() >= 0.1:
            start = date(year, 1, 1) + timedelta(days=rng.randrange(365))
            end = start + timedelta(days=rng.randrange(5))
        rows.append(
            {
                "slug": f"synthetic-{number:06d}",
                "kind": kind,
                "year": year,
                "start_date": start,
                "end_date": end,
                "upcoming_key": start or UNKNOWN_UPCOMING_KEY,
                "past_key": start or UNKNOWN_PAST_KEY,
                "number": None,
                "title": f"Synthetic benchmark event {number}",
                "theme": None,
                "city": None,
                "region_or_state": None,
                "country_code": country,
                "region": region,
                "host": None,
                "format": "virtual" if virtual else "in_person",
                "status": "held",
                "url": None,
                "source_urls": f"https://example.org/synthetic/{number}",
            }
        )
    return rows


def fill(url: str, count: int) -> float:
    """Replace the events of the store at ``url`` with ``count`` synthetic ones.

    Returns:
        The seconds the transaction took.

    Raises:
        sqlalchemy.exc.SQLAlchemyError: the store refused the rows.
    """
    app = create_app({"DATABASE_URL": url})
    create_schema(app)
    engine = get_engine(app)
    rows = synthetic_events(count)
    started = time.perf_counter()
    with Session(engine) as session:
        session.exec(delete(EventTranslation))
        session.exec(delete(Event))
        for first in range(0, len(rows), BATCH):
            session.connection().execute(insert(Event), rows[first : first + BATCH])
        refresh_event_counts(session)
        bump_data_version(session)
        session.commit()
    engine.dispose()
    return time.perf_counter() - started


def main() -> None:
    """Command line: ``fill_synthetic.py URL [COUNT]``."""
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    seconds = fill(sys.argv[1], count)
    print(f"{count} synthetic events written in {seconds:.1f} s")


if __name__ == "__main__":
    main()
