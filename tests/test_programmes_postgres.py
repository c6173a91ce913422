"""The programme archive on a real PostgreSQL server: the same load (all or nothing,
re-load a no-op), the same pages, and the same search results as on SQLite through the
engine's own full-text search (tsvector, GIN index, unaccent, ts_headline)."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from sqlalchemy import func, select, text
from sqlmodel import Session
from webapp.db import get_engine
from webapp.programmes.loader import PROGRAMMES_DIR, ProgrammeLoadError, load_bundled_data
from webapp.programmes.models import Presentation, Programme

from tests.conftest import make_app
from tests.postgres_server import postgres_server
from tests.test_programmes_search import expected, found_keys

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_url():
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="module")
def pg_app(pg_url, tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("pg"), DATABASE_URL=pg_url)
    with Session(get_engine(app)) as session:
        load_bundled_data(session)
    yield app
    get_engine(app).dispose()


def test_loads_every_programme_and_reload_is_a_no_op(pg_app):
    with Session(get_engine(pg_app)) as session:
        assert session.scalar(select(func.count()).select_from(Programme)) == 25
        assert session.scalar(select(func.count()).select_from(Presentation)) == 2598
        _, report = load_bundled_data(session)
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 0, 0, 25)


def test_the_index_is_a_gin_index_on_a_generated_tsvector(pg_app):
    with Session(get_engine(pg_app)) as session:
        definition = session.scalar(text(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_presentation_search'"
        ))
        generated = session.scalar(text(
            "SELECT is_generated FROM information_schema.columns "
            "WHERE table_name = 'presentation' AND column_name = 'search_vector'"
        ))
        plan = "\n".join(session.scalars(text(
            "EXPLAIN SELECT id FROM presentation WHERE search_vector @@ "
            "to_tsquery('iassist_search', 'dataverse:*')"
        )))
    assert "USING gin (search_vector)" in definition
    assert generated == "ALWAYS"
    assert "presentation" in plan


def test_a_bad_record_changes_nothing_on_postgres(pg_app, tmp_path):
    folder = tmp_path / "programmes"
    shutil.copytree(PROGRAMMES_DIR, folder)
    data = json.loads((folder / "2010.json").read_text(encoding="utf-8"))
    data["sessions"][0]["presentations"][0]["title"] = "Renamed"
    data["sessions"][2]["presentations"][1]["dois"] = ["10.5281/zenodo.1", "10.5281/zenodo.1"]
    (folder / "2010.json").write_text(json.dumps(data), encoding="utf-8")
    with Session(get_engine(pg_app)) as session:
        with pytest.raises(ProgrammeLoadError, match="2010.json, session 3, presentation 2, field 'dois'"):
            load_bundled_data(session, programmes_dir=folder)
        assert session.scalar(select(func.count()).where(Presentation.title_text == "Renamed")) == 0


QUERIES = [
    ("Dataverse", ["dataverse"], []),
    ("metadat", ["metadat"], []),
    ("donnees", ["donnees"], []),
    ("geoindex", ["geoindex"], []),
    ('"open data"', [], [["open", "data"]]),
    ("ddi codebook", ["ddi", "codebook"], []),
    ("Štebe", ["stebe"], []),
]


@pytest.mark.parametrize(("q", "words", "phrases"), QUERIES)
def test_search_finds_the_same_talks_as_on_sqlite(pg_app, programmes_app, reference_programmes, q, words, phrases):
    want = set(expected(reference_programmes, words, phrases))
    assert found_keys(pg_app, q) == want == found_keys(programmes_app, q)


@pytest.mark.parametrize(
    "url",
    ["/en/programmes/2024/", "/fr/programmes/2019/", "/de/programmes/2024/talks/4-1/",
     "/pt/programmes/people/jared-lyle/", "/es/events/2025-conference-bristol/", "/en/events/?year=2020-2025"],
)
def test_pages_are_the_same_as_on_sqlite(pg_app, programmes_app, url):
    on_pg = pg_app.test_client().get(url)
    on_sqlite = programmes_app.test_client().get(url)
    assert on_pg.status_code == on_sqlite.status_code == 200
    assert on_pg.get_data(as_text=True) == on_sqlite.get_data(as_text=True)


def test_search_page_counts_facets_and_snippets_on_postgres(pg_app, programmes_app):
    url = "/en/programmes/?q=dataverse&year=2010-2019&type=papers"
    on_pg = pg_app.test_client().get(url).get_data(as_text=True)
    on_sqlite = programmes_app.test_client().get(url).get_data(as_text=True)
    facets = r'<option value="\d{4}"[^>]*>\d{4} \(\d+\)</option>|<span class="count">\(\d+\)</span>|id="talk-count"[^<]*<'
    assert re.findall(facets, on_pg) == re.findall(facets, on_sqlite)
    snippets = re.findall(r'<p class="snippet" lang="en">(.*?)</p>', on_pg, re.S)
    assert snippets and any("<mark>" in s for s in snippets)
    assert all(re.sub(r"</?mark>", "", s).count("<") == 0 for s in snippets)
    # Diacritics in the text are highlighted from an unaccented query.
    html = pg_app.test_client().get("/en/programmes/?q=donnees").get_data(as_text=True)
    assert re.search(r"<mark>[Dd]onnées</mark>", html)


@pytest.mark.parametrize("q", ['"open data', "NEAR(", "*", "data AND", "title_text:x", "' OR 1=1 --", "\u202edata", "a" * 200, "日本語"])
def test_a_query_is_data_on_postgres(pg_app, q):
    response = pg_app.test_client().get("/en/programmes/", query_string={"q": q}, follow_redirects=True)
    assert response.status_code == 200, q
