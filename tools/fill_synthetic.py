"""Fill a store with synthetic events and talks for the scale benchmark (not part of the
site).

:func:`fill` writes ``COUNT`` (default 100,000) events to the store at ``DATABASE_URL`` (a
SQLAlchemy URL; the schema is created if missing), replacing the events and programmes
already there, in one transaction that rebuilds the counts table and bumps the data
version as the real loader does. The events are drawn with a fixed seed so every run
gives the same store: years 1974–2030, the three types (half of them regional workshops),
every country of ``country_regions.csv`` plus virtual events, a tenth with unknown dates.
Every title says "Synthetic benchmark event" and every source is a URL under
``https://example.org/`` (a domain reserved for documentation), so they cannot be
mistaken for IASSIST's own events.

:func:`fill_talks` then gives the annual conference of each year up to
:data:`LAST_PROGRAMME_YEAR` a synthetic programme, ``TALKS`` talks in all (default
100,000), written by the programme loader's own function
(:func:`webapp.programmes.loader.sync_programmes`: people, presenters, the full-text
index), from records made as the loader makes them (abstracts through
:func:`webapp.programmes.sanitize.sanitize_html`, people matched by
:func:`webapp.programmes.loader.person_key`). Titles start "Synthetic talk", sessions
"Synthetic session", people are "Synthetic Presenter 00042" of "Synthetic Institute 007";
the words are the field's own (data, metadata, survey, …), drawn so that the commonest
ones match a large share of the talks, as in the real programmes.

    .venv/bin/python tools/fill_synthetic.py sqlite:////tmp/scale.sqlite3 [COUNT [TALKS]]
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, insert, select
from sqlmodel import Session, col
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
from webapp.programmes.codes import SESSION_TYPES
from webapp.programmes.loader import (
    PresentationRecord,
    PresenterRecord,
    ProgrammeRecord,
    SessionRecord,
    _fingerprint,
    person_key,
    sync_programmes,
)
from webapp.programmes.sanitize import sanitize_html, to_text

#: Years of the synthetic events (inclusive).
FIRST_YEAR, LAST_YEAR = 1974, 2030
SEED = 8
BATCH = 5000
#: Synthetic programmes are given to the annual conferences of these years (inclusive).
FIRST_PROGRAMME_YEAR, LAST_PROGRAMME_YEAR = 1974, 2025
#: Talks per session (at most), presenters per talk (at most).
TALKS_PER_SESSION = 5
PRESENTERS_PER_TALK = 3
#: Synthetic people: a few who present often (about 50 talks each with 100,000 talks,
#: as the most frequent presenters of the real programmes do relative to theirs) and many
#: who present a few times.
FREQUENT_PEOPLE, OTHER_PEOPLE, FREQUENT_SHARE = 200, 40_000, 0.05
INSTITUTIONS = 500
#: Words of the field, commonest first; a talk's words are drawn with weights falling
#: with the rank, so "data" is in about half of the talks and the last words in a few.
WORDS = (
    "data", "research", "metadata", "archives", "survey", "services", "open", "library",
    "census", "curation", "repository", "access", "sharing", "management", "preservation",
    "documentation", "statistics", "infrastructure", "training", "discovery", "citation",
    "reproducibility", "privacy", "licensing", "geospatial", "harmonisation", "software",
    "teaching", "qualitative", "longitudinal", "administrative", "linkage",
    "confidentiality", "visualisation", "provenance", "interoperability", "standards",
    "identifiers", "DDI", "FAIR",
)  # fmt: skip


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
    """Replace the events of the store at ``url`` with ``count`` synthetic ones (and
    remove its programmes, through the programme loader, which keeps the search index in
    step).

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
        # The programmes (and their people and search index) go first, by the loader.
        sync_programmes(session, [])
        session.exec(delete(EventTranslation))
        session.exec(delete(Event))
        for first in range(0, len(rows), BATCH):
            session.connection().execute(insert(Event), rows[first : first + BATCH])
        refresh_event_counts(session)
        bump_data_version(session)
        session.commit()
    engine.dispose()
    return time.perf_counter() - started


def synthetic_programmes(
    conferences: dict[int, date | None], talks: int, seed: int = SEED
) -> list[ProgrammeRecord]:
    """Programme records (as :func:`webapp.programmes.loader.read_programmes` returns them)
    holding ``talks`` presentations in all, spread evenly over the years of
    ``conferences`` ({year: the conference's first day or None}), the same for the same
    seed. Sessions have 1 to :data:`TALKS_PER_SESSION` talks, a type of
    :data:`SESSION_TYPES` (or none, as some real sessions), and the conference's first day
    (or none when it is unknown); talks have 1 to :data:`PRESENTERS_PER_TALK` presenters."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(WORDS))]
    types = [*SESSION_TYPES, None]
    years = sorted(conferences)
    records = []
    number = 0
    for index, year in enumerate(years):
        quota = talks * (index + 1) // len(years) - talks * index // len(years)
        sessions: list[SessionRecord] = []
        while quota > 0:
            size = min(quota, rng.randint(1, TALKS_PER_SESSION))
            quota -= size
            topic = " and ".join(rng.choices(WORDS, weights, k=2))
            presentations = []
            for position in range(1, size + 1):
                number += 1
                a, b, c, d, e, f = rng.choices(WORDS, weights, k=6)
                abstract = sanitize_html(
                    f"<p>This synthetic benchmark abstract is about {a}, {b} and {c}. "
                    f"It describes <em>{d}</em> in {e} and what {f} asks of "
                    f"archives.</p>"
                )
                presenters: list[PresenterRecord] = []
                for _ in range(rng.randint(1, PRESENTERS_PER_TALK)):
                    if rng.random() < FREQUENT_SHARE:
                        person = rng.randrange(FREQUENT_PEOPLE)
                    else:
                        person = FREQUENT_PEOPLE + rng.randrange(OTHER_PEOPLE)
                    name = f"Synthetic Presenter {person:05d}"
                    institution = f"Synthetic Institute {person % INSTITUTIONS:03d}"
                    if all(p.name != name for p in presenters):
                        presenters.append(
                            PresenterRecord(name, institution, person_key(name), None)
                        )
                presentations.append(
                    PresentationRecord(
                        number=position,
                        title_text=f"Synthetic talk {number}: {a} and {b} for {c}",
                        abstract_html=abstract,
                        abstract_text=to_text(abstract),
                        presenters=presenters,
                        dois=[],
                        files=[],
                        recording_url=None,
                    )
                )
            sessions.append(
                SessionRecord(
                    number=len(sessions) + 1,
                    title_text=f"Synthetic session {len(sessions) + 1}: {topic}",
                    session_type=rng.choice(types),
                    day=conferences[year],
                    chair=None,
                    moderator=None,
                    abstract_html=None,
                    abstract_text=None,
                    recording_url=None,
                    files=[],
                    presentations=presentations,
                )
            )
        record = ProgrammeRecord(year, "synthetic benchmark programme", f"{year}.json", sessions)
        record.fingerprint = _fingerprint(record)
        records.append(record)
    return records


def fill_talks(url: str, talks: int) -> float:
    """Give the annual conferences of the store at ``url`` (one per year, the one the
    programme loader ties a programme to) from :data:`FIRST_PROGRAMME_YEAR` to
    :data:`LAST_PROGRAMME_YEAR` synthetic programmes of ``talks`` talks in all
    (:func:`synthetic_programmes`), replacing the programmes there, in one transaction
    that bumps the data version.

    Returns:
        The seconds the transaction took.

    Raises:
        webapp.programmes.loader.ProgrammeLoadError: the store has no annual conference.
        sqlalchemy.exc.SQLAlchemyError: the store refused the rows.
    """
    app = create_app({"DATABASE_URL": url})
    create_schema(app)
    engine = get_engine(app)
    started = time.perf_counter()
    with Session(engine) as session:
        # The conference of each year as sync_programmes chooses it (its own query).
        chosen = dict(
            session.execute(
                select(col(Event.year), col(Event.id)).where(col(Event.kind) == "annual_conference")
            ).all()
        )
        first_days = dict(
            session.execute(
                select(col(Event.id), col(Event.start_date)).where(
                    col(Event.id).in_(list(chosen.values()))
                )
            ).all()
        )
        conferences = {
            year: first_days[event_id]
            for year, event_id in chosen.items()
            if FIRST_PROGRAMME_YEAR <= year <= LAST_PROGRAMME_YEAR
        }
        sync_programmes(session, synthetic_programmes(conferences, talks))
        bump_data_version(session)
        session.commit()
    engine.dispose()
    return time.perf_counter() - started


def main() -> None:
    """Command line: ``fill_synthetic.py URL [COUNT [TALKS]]``."""
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    talks = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
    seconds = fill(sys.argv[1], count)
    print(f"{count} synthetic events written in {seconds:.1f} s")
    seconds = fill_talks(sys.argv[1], talks)
    print(f"{talks} synthetic talks written in {seconds:.1f} s")


if __name__ == "__main__":
    main()
