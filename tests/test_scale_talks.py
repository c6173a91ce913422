"""The synthetic talks of ``tools/fill_synthetic`` (the scale benchmark's store) are written
by the programme loader with the search index in step: on a real SQLite file, the search
finds exactly the talks whose text has the word, a person's page lists exactly their talks,
and a second fill of events removes the programmes and leaves the search consistent."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from tools.fill_synthetic import fill, fill_talks, synthetic_programmes
from webapp.db import get_engine

from tests.conftest import make_app

EVENTS, TALKS = 600, 700


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("talks")
    url = f"sqlite:///{folder / 'talks.sqlite3'}"
    app = make_app(folder, DATABASE_URL=url, RESPONSE_CACHE_SIZE=0)
    fill(url, EVENTS)
    fill_talks(url, TALKS)
    yield app, url
    get_engine(app).dispose()


def talk_records(app):
    """The records fill_talks wrote, made again from the same seed and the store's
    conferences (their first days do not matter here)."""
    with app.app_context():
        from sqlmodel import Session, select

        from webapp.programmes.models import Programme

        with Session(get_engine(app)) as session:
            years = list(session.exec(select(Programme.year)))
    return synthetic_programmes(dict.fromkeys(sorted(years)), TALKS)


def count_of(html: str) -> int:
    match = re.search(r"([0-9,]+) talks?\b", html)
    assert match, html[:500]
    return int(match.group(1).replace(",", ""))


def test_every_talk_is_stored_and_searchable_by_its_words(store):
    app, _url = store
    records = talk_records(app)
    talks = [p for r in records for s in r.sessions for p in s.presentations]
    assert len(talks) == TALKS
    client = app.test_client()
    assert count_of(client.get("/en/programmes/").get_data(as_text=True)) == TALKS
    for word in ("provenance", "census", "FAIR"):
        expected = sum(
            1
            for p in talks
            if re.search(rf"\b{word}\b", f"{p.title_text} {p.abstract_text}", re.IGNORECASE)
        )
        assert expected > 0, word
        html = client.get(f"/en/programmes/?q={word}").get_data(as_text=True)
        assert count_of(html) == expected, word
        assert "Synthetic talk" in html


def test_a_frequent_presenter_page_lists_their_talks(store):
    app, _url = store
    records = talk_records(app)
    talks_of = Counter(
        x.name for r in records for s in r.sessions for p in s.presentations for x in p.presenters
    )
    name, expected = talks_of.most_common(1)[0]
    assert expected >= 2
    slug = name.lower().replace(" ", "-")
    html = app.test_client().get(f"/en/programmes/people/{slug}/").get_data(as_text=True)
    assert f"<h1>{name}</h1>" in html or name in html
    assert len(set(re.findall(r"Synthetic talk [0-9]+:", html))) == expected


def test_filling_events_again_removes_the_programmes_and_their_search_rows(store):
    app, url = store
    fill(url, EVENTS)
    client = app.test_client()
    assert "0 talks" in client.get("/en/programmes/?q=data").get_data(as_text=True)
    fill_talks(url, TALKS)
    assert count_of(client.get("/en/programmes/").get_data(as_text=True)) == TALKS
