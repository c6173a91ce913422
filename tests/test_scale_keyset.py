"""Keyset paging of the event browser on a real store of 430 synthetic events
(``tools/fill_synthetic``), on SQLite and on the throwaway PostgreSQL server.

"Previous page" and "Next page" keep their canonical ``?page=N`` address for a visitor
without JavaScript, and give htmx a URL with a cursor (``after=``/``before=``) that the
server answers by seeking in the index. Walking the whole list by those links, forwards
and backwards, must show on every page exactly the events that ``?page=N`` (counted from
the start) shows, and that an independent sort of the data puts there; an old or
hand-made cursor must never show another page; a damaged one is a localized 400."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from tools.fill_synthetic import fill, synthetic_events
from webapp.db import get_engine

from tests.conftest import TODAY, make_app
from tests.postgres_server import postgres_server
from tests.test_scale_ordering import expected_order

pytestmark = pytest.mark.postgres

COUNT = 430
PER_PAGE = 20
FILTERS = [
    {},
    {"type": "regional_workshop"},
    {"year": "2020-2030"},
    {"region": "europe", "type": "annual_conference"},
]
HTMX = {"HX-Request": "true", "HX-Target": "event-results"}


def query_of(flt: dict, page: int) -> str:
    args = {**flt, **({"page": str(page)} if page > 1 else {})}
    order = ("year", "type", "region", "page")
    query = "&".join(f"{k}={args[k]}" for k in order if k in args)
    return "/en/events/" + (f"?{query}" if query else "")


def slugs(html: str) -> list[str]:
    return re.findall(r'class="event-title"><a href="/en/events/([^/"]+)/"', html)


def step_link(html: str, rel: str) -> tuple[str, str] | None:
    """(href, hx-get) of the "Previous page" (``prev``) or "Next page" (``next``) link."""
    match = re.search(rf'<a rel="{rel}" href="([^"]+)" hx-get="([^"]+)"', html)
    if match is None:
        return None
    return html_lib.unescape(match.group(1)), html_lib.unescape(match.group(2))


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    folder = tmp_path_factory.mktemp("keyset")
    with postgres_server() as pg_url:
        apps = {}
        for name, url in (("sqlite", f"sqlite:///{folder / 'keyset.sqlite3'}"), ("postgres", pg_url)):
            app = make_app(folder / name, DATABASE_URL=url, EVENTS_PER_PAGE=PER_PAGE,
                           RESPONSE_CACHE_SIZE=0)
            fill(url, COUNT)
            apps[name] = app
        yield apps
        for app in apps.values():
            get_engine(app).dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def client(request, stores):
    return stores[request.param].test_client()


@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "all")
def test_next_and_previous_links_walk_the_pages_that_page_numbers_show(client, flt):
    expected = expected_order(synthetic_events(COUNT), flt)
    pages = -(-len(expected) // PER_PAGE)
    assert pages >= 3, "the filter should give several pages"
    by_number = {}
    for number in range(1, pages + 1):
        response = client.get(query_of(flt, number))
        assert response.status_code == 200
        by_number[number] = slugs(response.get_data(as_text=True))
        assert by_number[number] == expected[(number - 1) * PER_PAGE : number * PER_PAGE]

    # Forwards from page 1, by the htmx URLs of "Next page".
    html = client.get(query_of(flt, 1), headers=HTMX).get_data(as_text=True)
    for number in range(2, pages + 1):
        href, hx = step_link(html, "next")
        assert href == query_of(flt, number)
        assert hx.startswith(href + "&after=")
        response = client.get(hx, headers=HTMX)
        assert response.status_code == 200
        assert response.headers["HX-Push-Url"] == query_of(flt, number)
        html = response.get_data(as_text=True)
        assert slugs(html) == by_number[number], number
        assert f'<ol class="event-list" start="{(number - 1) * PER_PAGE + 1}">' in html
    assert step_link(html, "next") is None

    # Backwards from the last page, by the htmx URLs of "Previous page".
    for number in range(pages - 1, 0, -1):
        href, hx = step_link(html, "prev")
        assert href == query_of(flt, number)
        assert hx.startswith(href + ("&" if "?" in href else "?") + "before=")
        response = client.get(hx, headers=HTMX)
        assert response.headers["HX-Push-Url"] == query_of(flt, number)
        html = response.get_data(as_text=True)
        assert slugs(html) == by_number[number], number
    assert step_link(html, "prev") is None


def test_without_javascript_the_links_are_page_numbers_and_a_cursor_url_redirects(client):
    page = client.get("/en/events/?page=3")
    html = page.get_data(as_text=True)
    href, hx = step_link(html, "next")
    assert href == "/en/events/?page=4"
    assert re.fullmatch(r"/en/events/\?page=4&after=[up][0-9]{4}\.[0-9-]+\.synthetic-[0-9]+\.[0-9a-f]{8}", hx)
    assert step_link(html, "prev")[0] == "/en/events/?page=2"
    # The canonical link of a page never carries a cursor.
    assert '<link rel="canonical" href="http://localhost/en/events/?page=3">' in html
    # A cursor URL opened as a page (a copied link, a browser without htmx): the page's
    # one canonical address, which shows the same events.
    response = client.get(hx)
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/events/?page=4"
    fragment = client.get(hx, headers=HTMX).get_data(as_text=True)
    assert slugs(fragment) == slugs(client.get("/en/events/?page=4").get_data(as_text=True))


def test_an_old_or_hand_made_cursor_still_shows_the_page_it_names(client):
    expected = expected_order(synthetic_events(COUNT), {})
    html = client.get("/en/events/?page=5").get_data(as_text=True)
    _href, hx = step_link(html, "next")
    page_6 = expected[5 * PER_PAGE : 6 * PER_PAGE]
    # A cursor of another data version or day (its tag differs): counted from the start.
    stale = hx[:-8] + "00000000"
    assert slugs(client.get(stale, headers=HTMX).get_data(as_text=True)) == page_6
    # A cursor whose tag is right but whose event is far away from page 6 (made by hand):
    # the server trusts it and seeks there, so the page shows the events after that one.
    tag = hx[-8:]
    for position in (7, 300):
        anchor = next(r for r in synthetic_events(COUNT) if r["slug"] == expected[position])
        past = anchor["end_date"] < TODAY if anchor["end_date"] else anchor["year"] < TODAY.year
        day = anchor["start_date"].isoformat() if anchor["start_date"] else "undated"
        cursor = f"{'p' if past else 'u'}{anchor['year']}.{day}.{anchor['slug']}.{tag}"
        response = client.get(f"/en/events/?page=6&after={cursor}", headers=HTMX)
        assert slugs(response.get_data(as_text=True)) == expected[position + 1 : position + 21]
        response = client.get(f"/en/events/?page=6&before={cursor}", headers=HTMX)
        assert slugs(response.get_data(as_text=True)) == expected[max(0, position - 20) : position]
    # A cursor outside the years of its section cannot be next to any event: counted.
    outside = f"/en/events/?page=6&after=p2999.2999-01-01.synthetic-000001.{tag}"
    assert slugs(client.get(outside, headers=HTMX).get_data(as_text=True)) == page_6
    # Past the last page, with or without a cursor: 404.
    last = -(-COUNT // PER_PAGE)
    beyond = f"/en/events/?page={last + 1}&after=p1980.1980-01-01.x.{tag}"
    assert client.get(beyond, headers=HTMX).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "page=2&after=garbage",
        "page=2&after=p2001.2001-02-30.synthetic-000001.0123abcd",
        "page=2&after=x2001.2001-02-03.synthetic-000001.0123abcd",
        "page=2&after=p2001.2001-02-03.Synthetic.0123abcd",
        "page=2&before=p2001.undated.synthetic-000001.0123abc",
        "page=2&after=p2001.undated.a.0123abcd&before=p2001.undated.a.0123abcd",
        "page=2&after=p2001.undated.a.0123abcd&after=p2001.undated.b.0123abcd",
        "page=2&after=p2001.undated." + "a" * 200 + ".0123abcd",
    ],
)
def test_a_damaged_cursor_is_a_localized_400(client, query):
    for headers in ({}, HTMX):
        response = client.get(f"/en/events/?{query}", headers=headers)
        assert response.status_code == 400, query
        assert 'class="error-detail"' in response.get_data(as_text=True)
    french = client.get(f"/fr/events/?{query}")
    assert french.status_code == 400
    assert '<html lang="fr">' in french.get_data(as_text=True)


def test_the_400_for_a_cursor_says_what_to_do(client):
    html = client.get("/en/events/?page=2&after=garbage").get_data(as_text=True)
    assert "Parameter “after”:" in html
    assert "This link to a page of results is damaged; use the page numbers instead." in html
    french = client.get("/fr/events/?page=2&before=garbage").get_data(as_text=True)
    assert "Ce lien vers une page de résultats est endommagé" in french
