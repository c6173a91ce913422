"""The search across every programme: expected talks computed independently from the
association's files, accents, prefixes, phrases, filters and facets, the query as data
(every kind of hostile input), escaped snippets, and the htmx fragment rules.

The independent expectation: a talk matches a query when, in its title, abstract (tags
removed, entities decoded), presenters' names or institutions, every bare word of the query
begins a word, and every quoted phrase occurs as consecutive words of one of these texts;
case and accents do not matter.
"""

from __future__ import annotations

import html as html_lib
import re
import unicodedata
from collections import Counter
from urllib.parse import urlencode

import pytest
from sqlmodel import Session, select
from webapp.db import get_engine
from webapp.programmes.models import Presentation
from webapp.programmes.search import TalkQuery, parse_query, search_talks

SESSION_TYPES = {
    "Papers": "papers", "Panel": "panel", "Plenary": "plenary", "Workshop": "workshop",
    "Pecha Kucha": "pecha_kucha", "Posters": "posters",
}


def fold(text: str) -> list[str]:
    """The words of ``text``, case-folded, accents removed."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.findall(r"[^\W_]+", plain)


def _texts(presentation: dict) -> list[list[str]]:
    abstract = html_lib.unescape(re.sub(r"<[^>]+>", " ", presentation.get("abstract") or ""))
    presenters = presentation.get("presenters") or []
    return [
        fold(html_lib.unescape(presentation["title"])),
        fold(abstract),
        fold(" ".join(p.get("name") or "" for p in presenters)),
        fold(" ".join(p.get("institution") or "" for p in presenters)),
    ]


def _matches(texts: list[list[str]], words: list[str], phrases: list[list[str]]) -> bool:
    every = [w for t in texts for w in t]
    if not all(any(t.startswith(w) for t in every) for w in words):
        return False
    for phrase in phrases:
        n = len(phrase)
        if not any(t[i : i + n] == phrase for t in texts for i in range(len(t) - n + 1)):
            return False
    return True


def expected(reference_programmes, words=(), phrases=(), session_type=None, years=None):
    """{(year, session, number): session type} of the talks the query should find."""
    found = {}
    for year, source in reference_programmes.items():
        if years and not (years[0] <= year <= years[1]):
            continue
        for s, session in enumerate(source["sessions"], start=1):
            kind = SESSION_TYPES.get(session.get("sessionType") or "")
            if session_type and kind != session_type:
                continue
            for p, presentation in enumerate(session.get("presentations") or [], start=1):
                if _matches(_texts(presentation), list(words), [list(x) for x in phrases]):
                    found[(year, s, p)] = kind
    return found


def found_keys(app, q: str, **filters) -> set[tuple[int, int, int]]:
    with Session(get_engine(app)) as session:
        query = TalkQuery(parse_query(q), filters.get("year_from"), filters.get("year_to"), filters.get("session_type"))
        results = search_talks(session, query, 1, 10_000)
        ids = [hit.presentation_id for hit in results.hits]
        rows = session.exec(select(Presentation).where(Presentation.id.in_(ids))).all()
        assert results.total == len(ids)
        return {(p.year, p.session_number, p.number) for p in rows}


def count_of(html: str) -> int:
    text = re.search(r'id="talk-count"[^>]*>([^<]*)<', html).group(1)
    return int(re.sub(r"\D", "", text))


@pytest.mark.parametrize(
    ("q", "words", "phrases"),
    [
        ("Dataverse", ["dataverse"], []),
        ("metadat", ["metadat"], []),  # a word prefix
        ("donnees", ["donnees"], []),  # "données" without its accent
        ("DONNÉES", ["donnees"], []),
        ("geoindex", ["geoindex"], []),  # "Géoindex"
        ('"open data"', [], [["open", "data"]]),  # a phrase
        ('"research data" archiv', ["archiv"], [["research", "data"]]),
        ("ddi codebook", ["ddi", "codebook"], []),
        ("Štebe", ["stebe"], []),  # presenters' names are searched, accents ignored
        ("GESIS", ["gesis"], []),  # and institutions
    ],
)
def test_search_finds_exactly_the_talks_computed_from_the_files(programmes_app, reference_programmes, q, words, phrases):
    want = set(expected(reference_programmes, words, phrases))
    assert want, q
    assert found_keys(programmes_app, q) == want


def test_the_years_in_which_dataverse_occurs(programmes_client, reference_programmes):
    want = Counter(year for year, _, _ in expected(reference_programmes, ["dataverse"]))
    html = programmes_client.get("/en/programmes/?q=Dataverse").get_data(as_text=True)
    assert count_of(html) == sum(want.values())
    options = dict(
        (int(y), int(n)) for y, n in re.findall(r'<option value="(\d{4})"[^>]*>\d{4} \((\d+)\)</option>', html)
    )
    assert {y: n for y, n in options.items() if n} == dict(want)
    assert min(want) >= 2007  # Dataverse appears from the 2000s on, not in 2000-2006


def test_filters_combine_and_facets_apply_the_other_filters(programmes_client, reference_programmes):
    q, kind, years = "data", "panel", (2010, 2019)
    response = programmes_client.get(f"/en/programmes/?q={q}&year=2010-2019&type={kind}")
    html = response.get_data(as_text=True)
    both = expected(reference_programmes, [q], session_type=kind, years=years)
    assert count_of(html) == len(both)
    # Year options: the text and the type applied, the year cleared.
    by_year = Counter(y for y, _, _ in expected(reference_programmes, [q], session_type=kind))
    options = {int(y): int(n) for y, n in re.findall(r'<option value="(\d{4})"[^>]*>\d{4} \((\d+)\)</option>', html)}
    assert options == {y: by_year.get(y, 0) for y in options}
    assert len(options) == 25
    # Type options: the text and the years applied, the type cleared.
    by_type = Counter(k for k in expected(reference_programmes, [q], years=years).values() if k)
    counts = dict(re.findall(r'<label for="filter-type-(\w+)">[^<]*<span class="count">\((\d+)\)</span>', html))
    assert {k: int(v) for k, v in counts.items()} == {k: by_type.get(k, 0) for k in SESSION_TYPES.values()}
    # An option with no result is disabled, not hidden.
    assert re.search(r'<option value="2000" disabled>2000 \(0\)</option>', html)


def test_results_are_ranked_by_relevance(programmes_app):
    # A talk with the word in its title ranks before talks with it only in the abstract.
    with Session(get_engine(programmes_app)) as session:
        results = search_talks(session, TalkQuery(parse_query("dataverse")), 1, 10)
        first = session.get(Presentation, results.hits[0].presentation_id)
    assert "dataverse" in first.title_text.casefold()


def test_paging_and_the_talk_page_from_a_result(programmes_client):
    html = programmes_client.get("/en/programmes/?q=data&page=2").get_data(as_text=True)
    assert 'aria-current="page" aria-label="Page 2">2</a>' in html
    first = re.search(r'<h3 class="talk-title"><a href="(/en/programmes/\d+/talks/\d+-\d+/)"', html).group(1)
    assert programmes_client.get(first).status_code == 200
    assert programmes_client.get("/en/programmes/?q=data&page=999").status_code == 404


def test_snippets_mark_the_match_and_escape_the_text(programmes_client):
    html = programmes_client.get("/en/programmes/?q=dataverse").get_data(as_text=True)
    snippets = re.findall(r'<p class="snippet" lang="en">(.*?)</p>', html, re.S)
    assert snippets and any("<mark>" in s for s in snippets)
    for snippet in snippets:
        assert re.sub(r"</?mark>", "", snippet).count("<") == 0


HOSTILE_QUERIES = [
    '"open data', 'open data"', '"', '""', '"""', "AND", "OR", "NOT", "data AND", "OR data",
    "NOT data", "NEAR(", "NEAR(data archive)", "data NEAR archive", "*", "data*", "-data",
    "data -archive", "title_text:data", "abstract_text : archive", ":", "^data", "data^",
    "{data}", "(data", "data)", "!!!", "...", "'", "' OR 1=1 --", "%", "_", "\\", "a" * 200,
    "données", "Köln", "日本語", "数据", "\u200f\u202edata\u202c", "\u200f", "\ufeff",
    "\U0001f600", "x" * 64 + "y", "ﬁnance",  # a ligature (NFKC makes it "finance")
]


@pytest.mark.parametrize("q", HOSTILE_QUERIES)
def test_a_query_is_data_never_syntax(programmes_client, q):
    response = programmes_client.get("/en/programmes/", query_string={"q": q}, follow_redirects=True)
    assert response.status_code == 200, q
    html = response.get_data(as_text=True)
    assert '<p id="talk-count"' in html


@pytest.mark.parametrize(
    "raw",
    [
        "q=%00", "q=data%00archive", "q=%ED%A0%80", "q=data%ED%B0%80", "q=%FF%FE",
        "q=%E2%80%8F%E2%80%AEdata", "q=" + "x" * 200, "q=" + "%22" * 150,
    ],
)
def test_control_characters_and_broken_encodings_give_results_or_a_redirect(programmes_client, raw):
    response = programmes_client.get("/en/programmes/?" + raw, follow_redirects=True)
    assert response.status_code == 200, raw


def test_forty_kilobytes_of_text_is_a_clear_localized_400(programmes_client):
    for locale, words in [("en", "too long"), ("fr", "trop long"), ("de", "zu lang"), ("pt", "longo demais"), ("es", "demasiado largo")]:
        response = programmes_client.get(f"/{locale}/programmes/", query_string={"q": "data " * 8000})
        assert response.status_code == 400
        assert words in response.get_data(as_text=True)


def test_unbalanced_quotes_and_operators_search_the_words(programmes_app, reference_programmes):
    assert found_keys(programmes_app, '"open data') == found_keys(programmes_app, "open data")
    assert found_keys(programmes_app, "data AND") == set(expected(reference_programmes, ["data", "and"]))
    assert found_keys(programmes_app, "NEAR(archive") == set(expected(reference_programmes, ["near", "archive"]))
    assert found_keys(programmes_app, "title_text:dataverse") == set(
        expected(reference_programmes, ["title", "text", "dataverse"])
    )


def test_a_text_without_words_says_so(programmes_client):
    html = programmes_client.get("/fr/programmes/?q=%2A%2A%2A", follow_redirects=True).get_data(as_text=True)
    assert "ne contient aucun mot" in html
    assert count_of(html) == 0


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("year=20x5", "year"), ("year=2019-2010", "year"), ("type=keynote", "type"), ("page=0", "page"),
     ("q=a&q=b", "q"), ("type=panel&type=papers", "type")],
)
def test_bad_parameters_are_a_localized_400(programmes_client, query, parameter):
    response = programmes_client.get(f"/de/programmes/?{query}")
    assert response.status_code == 400
    assert f"„{parameter}“" in response.get_data(as_text=True) or parameter in response.get_data(as_text=True)


def test_year_uses_the_event_browsers_grammar(programmes_client, reference_programmes):
    html = programmes_client.get("/en/programmes/?year=2000-2004").get_data(as_text=True)
    want = sum(len(s.get("presentations") or []) for y, src in reference_programmes.items() if y <= 2004 for s in src["sessions"])
    assert count_of(html) == want
    assert "2000\u20132004" in html


def test_a_form_sent_without_javascript_redirects_to_the_canonical_url(programmes_client):
    response = programmes_client.get("/en/programmes/?q=+open++data+&year=&type=")
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/programmes/?q=open+data"


FRAGMENT = {"HX-Request": "true", "HX-Target": "talk-results", "HX-Trigger": "search-q"}


def test_htmx_gets_the_results_fragment_with_out_of_band_counts(programmes_client):
    response = programmes_client.get("/en/programmes/?q=dataverse", headers=FRAGMENT)
    html = response.get_data(as_text=True)
    assert "<html" not in html and '<ol class="talk-list results-list"' in html
    assert 'hx-swap-oob="innerHTML:#talk-count"' in html
    assert 'id="facet-year"' in html and 'id="facet-type"' in html
    assert 'id="search-q"' not in html  # the input being typed in is never swapped
    assert response.headers["HX-Push-Url"] == "/en/programmes/?q=dataverse"
    for header in ("HX-Request", "HX-Target", "HX-Trigger", "HX-History-Restore-Request"):
        assert header in response.headers["Vary"]
    # The facet in use is not swapped.
    html = programmes_client.get(
        "/en/programmes/?type=panel", headers=FRAGMENT | {"HX-Trigger": "facet-type"}
    ).get_data(as_text=True)
    assert 'id="facet-type"' not in html and 'id="facet-year"' in html


def test_the_fragment_equals_the_same_block_of_the_page(programmes_client):
    page = programmes_client.get("/en/programmes/?q=metadata&type=papers").get_data(as_text=True)
    fragment = programmes_client.get("/en/programmes/?q=metadata&type=papers", headers=FRAGMENT).get_data(as_text=True)
    inner = page.split('<div id="talk-results" class="results">', 1)[1].split("    </div>\n  </section>", 1)[0]
    assert inner.strip() in fragment


def test_history_restore_and_other_targets_get_the_full_page(programmes_client):
    for headers in (
        FRAGMENT | {"HX-History-Restore-Request": "true"},
        {"HX-Request": "true", "HX-Target": "main"},
        {},
    ):
        html = programmes_client.get("/en/programmes/?q=dataverse", headers=headers).get_data(as_text=True)
        assert html.startswith("<!doctype html>"), headers


# --- What the search keeps per data version (webapp/programmes/views.py) --------------

FRAGMENT = {"HX-Request": "true", "HX-Target": "talk-results", "HX-Trigger": "search-q"}


def _card_titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="talk-title"><a href="[^"]+" lang="en">([^<]*)</a>', html)


def test_kept_cards_counts_and_pages_follow_a_reload_of_changed_data(programmes_app, reference_programmes, tmp_path):
    import json
    import shutil

    from webapp.programmes.loader import PROGRAMMES_DIR, load_bundled_data

    client = programmes_app.test_client()
    talk = reference_programmes[2024]["sessions"][3]["presentations"][1]
    old_title = html_lib.unescape(talk["title"])
    presenter = talk["presenters"][0]["name"]
    page = "/en/programmes/?" + urlencode({"q": presenter, "year": "2024"})
    for _ in range(2):  # the second answer comes from what the first kept
        before = client.get(page).get_data(as_text=True)
        before_fragment = client.get(page, headers=FRAGMENT).get_data(as_text=True)
        missing = client.get("/en/programmes/?q=zzqqcorrected").get_data(as_text=True)
    assert old_title in _card_titles(before) and old_title in _card_titles(before_fragment)
    assert count_of(missing) == 0
    folder = tmp_path / "programmes"
    shutil.copytree(PROGRAMMES_DIR, folder)
    data = json.loads((folder / "2024.json").read_text(encoding="utf-8"))
    data["sessions"][3]["presentations"][1]["title"] = "A zzqqcorrected title"
    (folder / "2024.json").write_text(json.dumps(data), encoding="utf-8")
    with Session(get_engine(programmes_app)) as session:
        load_bundled_data(session, programmes_dir=folder)
    after = client.get(page).get_data(as_text=True)
    after_fragment = client.get(page, headers=FRAGMENT).get_data(as_text=True)
    found = client.get("/en/programmes/?q=zzqqcorrected").get_data(as_text=True)
    for html in (after, after_fragment):
        assert "A zzqqcorrected title" in _card_titles(html) and old_title not in _card_titles(html)
    assert count_of(found) == 1 and _card_titles(found) == ["A zzqqcorrected title"]
    # The year facet counts the changed talk too.
    assert re.search(r'<option value="2024"[^>]*>2024 \(1\)</option>', found)



def test_kept_cards_follow_a_name_changed_by_another_programme(programmes_app, reference_programmes, tmp_path):
    # A person with one talk in 2024 and one in 2025, spelled alike: their name is shown
    # as the newest programme spells it on a tie. Changing only the 2025 file changes the
    # name on the card of the 2024 talk, whose rows (and ids) the load leaves as they were.
    import json
    import shutil

    from webapp.programmes.loader import PROGRAMMES_DIR, load_bundled_data

    names = Counter()
    for year, source in reference_programmes.items():
        for session in source["sessions"]:
            for presentation in session.get("presentations") or []:
                for presenter in presentation.get("presenters") or []:
                    names[(year, presenter.get("name"))] += 1
    per_name = Counter(name for (_, name) in names)
    name = next(
        n for (year, n), count in sorted(names.items())
        if year == 2024 and count == 1 and names[(2025, n)] == 1 and per_name[n] == 2 and n != n.upper()
    )
    client = programmes_app.test_client()
    page = "/fr/programmes/?" + urlencode({"q": name, "year": "2024"})
    for _ in range(2):
        before = client.get(page).get_data(as_text=True)
    assert f">{name}</a>" in before
    folder = tmp_path / "programmes"
    shutil.copytree(PROGRAMMES_DIR, folder)
    data = json.loads((folder / "2025.json").read_text(encoding="utf-8"))
    for session in data["sessions"]:
        for presentation in session.get("presentations") or []:
            for presenter in presentation.get("presenters") or []:
                if presenter.get("name") == name:
                    presenter["name"] = name.upper()
    (folder / "2025.json").write_text(json.dumps(data), encoding="utf-8")
    with Session(get_engine(programmes_app)) as session:
        load_bundled_data(session, programmes_dir=folder)
    after = client.get(page).get_data(as_text=True)
    assert f">{name.upper()}</a>" in after and f">{name}</a>" not in after


def test_kept_cards_and_facets_are_in_the_language_of_each_page(programmes_client):
    labels = {"fr": ("Table ronde", "Podiumsdiskussion"), "de": ("Podiumsdiskussion", "Table ronde")}
    for _ in range(2):
        for locale, (own, other) in labels.items():
            for headers in ({}, FRAGMENT):
                html = programmes_client.get(f"/{locale}/programmes/?q=data&type=panel", headers=headers).get_data(as_text=True)
                cards = re.findall(r'<li class="talk">(.*?)</li>\s*(?=<li class="talk">|</ol>)', html, re.S)
                assert len(cards) == 20
                assert all(f"· {own}</p>" in card for card in cards)
                assert other not in html
                facet = re.search(r'<label for="filter-type-panel">([^<]*)<', html).group(1)
                assert facet.startswith(own)
