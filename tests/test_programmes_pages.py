"""The programme archive's pages: a conference's programme, a talk, a person; the links
from the event pages; the licence credit; the sanitizer's output on a page.

Expected values are literals read from the association's files
(``tests/reference/conference-programs``) or computed from them with the json module.
"""

from __future__ import annotations

import html
import json
import re
import shutil

import pytest
from markupsafe import escape
from sqlmodel import Session
from webapp.db import get_engine
from webapp.programmes.loader import PROGRAMMES_DIR, load_bundled_data
from webapp.programmes.sanitize import sanitize_html, to_text

from tests.conftest import make_app

CREDIT = "IASSIST, iassistdata.org, CC BY 4.0"
LOCALES = ["en", "fr", "de", "pt", "es"]


def _text(html: str) -> str:
    """The page's text as a reader sees it (tags removed, whitespace collapsed)."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_programme_page_lists_every_session_and_talk_of_the_file(programmes_client, reference_programmes):
    source = reference_programmes[2024]
    html = programmes_client.get("/en/programmes/2024/").get_data(as_text=True)
    talk_links = re.findall(r'href="/en/programmes/2024/talks/(\d+)-(\d+)/"', html)
    expected = [
        (str(s), str(p))
        for s, session in enumerate(source["sessions"], start=1)
        for p, _ in enumerate(session["presentations"], start=1)
    ]
    assert sorted(talk_links) == sorted(expected)
    assert len(talk_links) == 161
    assert len(re.findall(r'<section class="programme-session"', html)) == len(source["sessions"])
    assert '<h3 id="session-4-title" lang="en">Session A3 Data and AI</h3>' in html
    # Sessions in order by day: the days appear in date order.
    days = re.findall(r'<h2 id="day-(\d{4}-\d\d-\d\d)"', html)
    assert days == sorted(days) and days[0] == "2024-05-28"
    # Abstracts on demand without JavaScript, slides as plain DOI links, no embed.
    assert html.count('<details class="abstract">') == sum(
        1 for s in source["sessions"] for p in s["presentations"] if p["abstract"].strip()
    ) + sum(1 for s in source["sessions"] if s.get("abstract", "").strip())
    assert '<a href="https://doi.org/10.5281/zenodo.11269191">' in html
    assert "<iframe" not in html and "<embed" not in html and "<object" not in html
    assert CREDIT in _text(html)


def test_programme_page_links_presenters_to_their_pages(programmes_client):
    html = programmes_client.get("/en/programmes/2024/").get_data(as_text=True)
    assert '<a href="/en/programmes/people/stephanie-labou/">Stephanie Labou</a>' in html
    assert "University of California San Diego" in html


def test_programme_with_unknown_days_says_so(programmes_client):
    html = programmes_client.get("/fr/programmes/2019/").get_data(as_text=True)
    assert "Sessions (le programme n’indique pas leurs jours)" in html or "jours" in _text(html)
    assert 'id="day-unknown"' in html


@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_answers_in_every_locale_with_the_credit(programmes_client, locale):
    for path in ("/programmes/2025/", "/programmes/2024/talks/4-1/", "/programmes/people/stephanie-labou/", "/programmes/", "/programmes/?q=dataverse"):
        response = programmes_client.get(f"/{locale}{path}")
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert f'<html lang="{locale}">' in html
        assert CREDIT in _text(html), path


def test_talk_page_shows_title_abstract_presenters_session_conference_slides_and_a_citation(programmes_client, reference_programmes):
    source = reference_programmes[2024]["sessions"][3]["presentations"][0]
    html = programmes_client.get("/en/programmes/2024/talks/4-1/").get_data(as_text=True)
    assert '<h1 lang="en">Metadata Ahoy! Charting a reusable path for machine learning</h1>' in html
    assert source["abstract"][:80] in html
    for presenter in source["presenters"]:
        assert f">{presenter['name']}</a>" in html
    assert 'href="/en/programmes/2024/#session-4" lang="en">Session A3 Data and AI</a>' in html
    assert 'href="/en/events/2024-conference-halifax/"' in html
    assert '<a href="https://doi.org/10.5281/zenodo.11269191">https://doi.org/10.5281/zenodo.11269191</a>' in html
    cite = re.search(r'<p class="cite">(.*?)</p>', html, re.S).group(1)
    assert cite.startswith("Stephanie Labou, Abigail Pennington, and Ho Jung Yoo (2024). Metadata Ahoy!")
    assert cite.endswith("https://doi.org/10.5281/zenodo.11269191")
    assert '<time datetime="2024-05-29">Wednesday, May 29, 2024</time>' in html


def test_talk_page_in_french_keeps_the_talk_in_english(programmes_client):
    html = programmes_client.get("/fr/programmes/2024/talks/4-1/").get_data(as_text=True)
    assert '<h1 lang="en">Metadata Ahoy!' in html
    assert "Résumé" in html
    assert "mercredi 29 mai 2024" in html


def test_person_page_lists_every_talk_newest_first(programmes_client, reference_programmes):
    # Every talk of Jared Lyle, computed from the files (2019 writes "Lyle, Jared").
    expected = sorted(
        (
            (year, s, p)
            for year, source in reference_programmes.items()
            for s, session in enumerate(source["sessions"], start=1)
            for p, presentation in enumerate(session["presentations"], start=1)
            if any(" ".join(x["name"].split()) in ("Jared Lyle", "Lyle, Jared") for x in presentation["presenters"])
        ),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    assert len(expected) >= 5
    html = programmes_client.get("/en/programmes/people/jared-lyle/").get_data(as_text=True)
    found = [tuple(map(int, m)) for m in re.findall(r'<h3 class="talk-title"><a href="/en/programmes/(\d+)/talks/(\d+)-(\d+)/"', html)]
    assert found == expected


def test_unknown_programme_talk_or_person_is_a_localized_404(programmes_client):
    for path in ("/fr/programmes/2020/", "/fr/programmes/2024/talks/99-1/", "/fr/programmes/2024/talks/4-99/",
                 "/fr/programmes/people/nobody-at-all/", "/fr/programmes/1999/"):
        response = programmes_client.get(path)
        assert response.status_code == 404, path
        assert "Page introuvable" in response.get_data(as_text=True)


def test_event_page_and_event_card_link_to_the_programme(programmes_client):
    html = programmes_client.get("/en/events/2024-conference-halifax/").get_data(as_text=True)
    assert '<a class="button" href="/en/programmes/2024/">Program: 161 talks</a>' in html
    html = programmes_client.get("/en/events/?year=2025").get_data(as_text=True)
    assert '<a href="/en/programmes/2025/">Program: 166 talks</a>' in html
    html = programmes_client.get("/de/events/?year=2000-2009").get_data(as_text=True)
    results = html.split('<div id="event-results"', 1)[1]
    assert results.count('href="/de/programmes/') == 10
    # No programme for 2020 (postponed) or the workshops.
    html = programmes_client.get("/en/events/?year=2020").get_data(as_text=True)
    assert "/en/programmes/" not in html.split('<div id="event-results"', 1)[1]


# --- The sanitizer: untrusted markup comes out inert --------------------------------------

HOSTILE = [
    ('<script>alert(1)</script><p>Text</p>', "<p>Text</p>"),
    ('<p onclick="alert(1)" onmouseover=x>Click</p>', "<p>Click</p>"),
    ('<a href="javascript:alert(1)">x</a>', '<p><a rel="nofollow noopener">x</a></p>'),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', '<p><a rel="nofollow noopener">x</a></p>'),
    ('<a href="https://example.org/" target="_blank" rel="opener">ok</a>',
     '<p><a href="https://example.org/" rel="nofollow noopener">ok</a></p>'),
    ('<a href="mailto:a@example.org">mail</a>', '<p><a href="mailto:a@example.org" rel="nofollow noopener">mail</a></p>'),
    ('<p style="position:fixed;top:0">styled</p>', "<p>styled</p>"),
    ('<iframe src="https://evil.example/"></iframe>after', "<p>after</p>"),
    ('<svg onload="alert(1)"><circle/></svg>svg', "<p>svg</p>"),
    ("<b><i>bad</b> nesting</i>", "<p><b><i>bad</i></b><i> nesting</i></p>"),
    ("<img src=x onerror=alert(1)>img", "<p>img</p>"),
    ("a &amp; b &lt;c&gt; &quot;d&quot;", "<p>a &amp; b &lt;c&gt; \"d\"</p>"),
    ("<ul><li>one<li>two</ul>", "<ul><li>one</li><li>two</li></ul>"),
    ("first\n\nsecond\nline", "<p>first</p><p>second<br>line</p>"),
]


@pytest.mark.parametrize(("markup", "clean"), HOSTILE)
def test_sanitizer_keeps_only_the_allow_list(markup, clean):
    assert sanitize_html(markup) == clean


def test_plain_text_copy_has_no_markup_and_decoded_entities():
    assert to_text("<script>alert(1)</script><p>Data &amp; <em>metadata</em></p>\u202e") == "Data & metadata"
    assert to_text("a\x00b \ue000mark\ue001") == "ab mark"


def test_hostile_abstract_is_inert_on_every_page(tmp_path):
    folder = tmp_path / "programmes"
    shutil.copytree(PROGRAMMES_DIR, folder)
    data = json.loads((folder / "2024.json").read_text(encoding="utf-8"))
    talk = data["sessions"][3]["presentations"][0]
    talk["abstract"] = (
        '<p onclick="steal()">Dataverse <script>alert("x")</script><iframe src="//evil"></iframe>'
        '<a href="javascript:alert(1)">link</a><svg onload=alert(1)></svg>'
        '<b>bold<p>unclosed</p> &lt;script&gt;alert(2)&lt;/script&gt; zzyzxmarker'
    )
    talk["title"] = 'Metadata <img src=x onerror=alert(1)>Ahoy &amp; "friends"'
    (folder / "2024.json").write_text(json.dumps(data), encoding="utf-8")
    app = make_app(tmp_path)
    with Session(get_engine(app)) as session:
        load_bundled_data(session, programmes_dir=folder)
    client = app.test_client()
    pages = [
        client.get("/en/programmes/2024/talks/4-1/").get_data(as_text=True),
        client.get("/en/programmes/2024/").get_data(as_text=True),
        client.get("/en/programmes/?q=zzyzxmarker").get_data(as_text=True),
        client.get("/en/programmes/people/stephanie-labou/").get_data(as_text=True),
    ]
    for html in pages:
        assert "<script>alert" not in html and "onclick" not in html and "onerror" not in html
        assert "javascript:" not in html and "<iframe" not in html and "<svg" not in html
        assert "<img" not in html
    assert "Metadata Ahoy &amp; &#34;friends&#34;" in pages[0] or "Metadata Ahoy &amp; &quot;friends&quot;" in pages[0]
    # The search snippet of that abstract: the escaped markup stays escaped text, the
    # match is marked.
    snippet = re.search(r'<p class="snippet" lang="en">(.*?)</p>', pages[2], re.S).group(1)
    assert "<mark>zzyzxmarker</mark>" in snippet
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in snippet
    assert "<script" not in snippet


def test_a_programme_page_follows_a_reload_of_changed_data(programmes_app, tmp_path):
    client = programmes_app.test_client()
    first = client.get("/en/programmes/2024/").get_data(as_text=True)
    assert client.get("/en/programmes/2024/").get_data(as_text=True) == first  # kept
    folder = tmp_path / "programmes"
    shutil.copytree(PROGRAMMES_DIR, folder)
    data = json.loads((folder / "2024.json").read_text(encoding="utf-8"))
    data["sessions"][3]["presentations"][1]["title"] = "A corrected title"
    (folder / "2024.json").write_text(json.dumps(data), encoding="utf-8")
    with Session(get_engine(programmes_app)) as session:
        load_bundled_data(session, programmes_dir=folder)
    again = client.get("/en/programmes/2024/").get_data(as_text=True)
    assert "A corrected title" in again and "A corrected title" not in first


def test_reset_db_rebuilds_the_store_with_events_and_programmes(programmes_app):
    result = programmes_app.test_cli_runner().invoke(args=["reset-db", "--yes"])
    assert result.exit_code == 0, result.output
    assert "Programmes loaded: 25 added" in result.output
    html = programmes_app.test_client().get("/en/programmes/?q=dataverse").get_data(as_text=True)
    assert '<mark>' in html


def _dd(html: str, session: int, term: str) -> str:
    section = re.search(rf'<section class="programme-session" id="session-{session}".*?</dl>', html, re.S).group(0)
    return re.search(rf"<dt>{term}</dt><dd>(.*?)</dd>", section, re.S).group(1)


def test_chairs_who_are_known_people_link_to_their_pages(programmes_client, reference_programmes):
    # Values from the files: 2021 session 16 is chaired by "Lynda Kellam, Laurence Horton",
    # both presenters in the programmes; 2011 session 26 by "William Block, Cornell
    # Institute for Social and Economic Research (CISER)".
    assert reference_programmes[2021]["sessions"][15]["chair"] == "Lynda Kellam, Laurence Horton"
    two = _dd(programmes_client.get("/fr/programmes/2021/").get_data(as_text=True), 16, "Président·e de séance")
    links = re.findall(r'<a href="(/fr/programmes/people/[^"]+/)">([^<]+)</a>', two)
    assert [name for _, name in links] == ["Lynda Kellam", "Laurence Horton"]
    assert _text(two) == "Lynda Kellam, Laurence Horton"  # the text as the programme gives it
    for href, name in links:
        page = programmes_client.get(href).get_data(as_text=True)
        assert re.search(r"<h1>([^<]+)</h1>", page).group(1) == name
    one = _dd(programmes_client.get("/en/programmes/2011/").get_data(as_text=True), 26, "Chair")
    assert re.findall(r"<a [^>]*>([^<]+)</a>", one) == ["William Block"]
    assert _text(one) == "William Block, Cornell Institute for Social and Economic Research (CISER)"


def test_the_2005_chairs_written_last_first_read_first_last_and_link(programmes_client, reference_programmes):
    # The 2005 file writes its chairs "Last, First": session 12 is chaired by "Green, Ann".
    assert reference_programmes[2005]["sessions"][11]["chair"] == "Green, Ann"
    chair = _dd(programmes_client.get("/en/programmes/2005/").get_data(as_text=True), 12, "Chair")
    href = re.fullmatch(r'<a href="([^"]+)">Ann Green</a>', chair).group(1)
    page = programmes_client.get(href).get_data(as_text=True)
    assert "<h1>Ann Green</h1>" in page


def test_a_chair_who_never_presented_stays_plain_text(programmes_client, reference_programmes):
    # Nobody named Jackie Druery presents in any file: no page, no link, no guess.
    presenters = {
        " ".join((p.get("name") or "").casefold().split())
        for source in reference_programmes.values()
        for session in source["sessions"]
        for talk in session.get("presentations") or []
        for p in talk.get("presenters") or []
    }
    assert "jackie druery" not in presenters
    chair = _dd(programmes_client.get("/en/programmes/2000/").get_data(as_text=True), 14, "Chair")
    assert chair == "Jackie Druery (Northwestern University)"


def test_talk_and_person_pages_follow_a_reload_and_keep_locale_and_host_apart(programmes_app, reference_programmes, tmp_path):
    client = programmes_app.test_client()
    talk = reference_programmes[2024]["sessions"][3]["presentations"][1]
    url = "/en/programmes/2024/talks/4-2/"
    person_url = re.search(r'<ul class="presenters">\s*<li><a href="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)
    for _ in range(2):  # the second answer comes from what the first kept
        before = client.get(url).get_data(as_text=True)
        person_before = client.get(person_url).get_data(as_text=True)
    old = html.unescape(talk["title"])
    assert f'<h1 lang="en">{escape(old)}</h1>' in before and escape(old) in person_before
    # Each locale and each host has its own page body (the cite line's link is absolute).
    assert "<dt>Sitzung</dt>" in client.get("/de" + url[3:]).get_data(as_text=True)
    assert "<dt>Session</dt>" in client.get(url).get_data(as_text=True)
    links = {}
    for host in ("localhost", "127.0.0.1"):
        # 2000's first talk has no slide DOI: its citation links to its page here.
        page = client.get("/en/programmes/2000/talks/1-1/", headers={"Host": host})
        links[host] = re.search(r'<p class="cite">(.*?)</p>', page.get_data(as_text=True), re.S).group(1)
    assert "http://localhost/en/programmes/" in links["localhost"]
    assert "http://127.0.0.1/en/programmes/" in links["127.0.0.1"]
    folder = tmp_path / "programmes"
    shutil.copytree(PROGRAMMES_DIR, folder)
    data = json.loads((folder / "2024.json").read_text(encoding="utf-8"))
    data["sessions"][3]["presentations"][1]["title"] = "A corrected title"
    (folder / "2024.json").write_text(json.dumps(data), encoding="utf-8")
    with Session(get_engine(programmes_app)) as session:
        load_bundled_data(session, programmes_dir=folder)
    after = client.get(url).get_data(as_text=True)
    assert '<h1 lang="en">A corrected title</h1>' in after
    assert "A corrected title" in client.get(person_url).get_data(as_text=True)


def test_the_talk_in_french_is_marked_as_french_everywhere(programmes_client, reference_programmes):
    # 2018, session 3, talk 3 is the one talk whose title and abstract are in French.
    talk = reference_programmes[2018]["sessions"][2]["presentations"][2]
    assert talk["title"].startswith("La refonte de Géoindex+")
    page = programmes_client.get("/en/programmes/2018/talks/3-3/").get_data(as_text=True)
    assert re.search(r'<h1 lang="fr">La refonte de Géoindex\+', page)
    assert '<div lang="fr"><p>Au Québec' in page
    programme = programmes_client.get("/de/programmes/2018/").get_data(as_text=True)
    assert re.search(r'href="/de/programmes/2018/talks/3-3/" lang="fr">La refonte', programme)
    assert re.search(r'href="/de/programmes/2018/talks/3-2/" lang="en">', programme)
    for headers in ({}, {"HX-Request": "true", "HX-Target": "talk-results", "HX-Trigger": "search-q"}):
        found = programmes_client.get("/fr/programmes/?q=refonte+geoindex", headers=headers).get_data(as_text=True)
        assert re.search(r'<h3 class="talk-title"><a href="/fr/programmes/2018/talks/3-3/" lang="fr">', found)
        assert '<p class="snippet" lang="fr">' in found
