"""The event browser's pages on a store of 3,000 synthetic events (``tools/fill_synthetic``),
on SQLite and on the throwaway PostgreSQL server: every page, read from the front or from
the end of its index, lists exactly the events an independent sort of the whole set puts
there, on both databases; the pagination shows a window of links, not every page."""

from __future__ import annotations

import re

import pytest
from tools.fill_synthetic import fill, synthetic_events
from webapp.db import get_engine

from tests.conftest import TODAY, make_app
from tests.postgres_server import postgres_server

pytestmark = pytest.mark.postgres

COUNT = 3000
PER_PAGE = 20
FILTERS = [
    {},
    {"type": "regional_workshop"},
    {"region": "europe"},
    {"type": "joint_meeting", "region": "asia_pacific"},
    {"year": "2000-2009"},
    {"year": "2026"},
    {"year": "2025-2030", "type": "annual_conference"},
]


def expected_order(rows, flt):
    """Slugs in the browser's order, computed here from the rows: upcoming and ongoing
    events (not over on TODAY) first, soonest first, those with unknown dates after the
    dated ones of their year; then past events, most recent first, those with unknown
    dates after the dated ones of their year; the slug breaks ties."""
    def matches(row):
        if "type" in flt and row["kind"] != flt["type"]:
            return False
        if "region" in flt and row["region"] != flt["region"]:
            return False
        if "year" in flt:
            first, _, last = flt["year"].partition("-")
            if not int(first) <= row["year"] <= int(last or first):
                return False
        return True

    def over(row):
        if row["end_date"] is None:
            return row["year"] < TODAY.year
        return row["end_date"] < TODAY

    chosen = [r for r in rows if matches(r)]
    coming = sorted(
        (r for r in chosen if not over(r)),
        key=lambda r: (r["year"], r["start_date"] is None, r["start_date"] or TODAY, r["slug"]),
    )
    past = [r for r in chosen if over(r)]
    past.sort(key=lambda r: r["slug"])
    past.sort(key=lambda r: (r["year"], r["start_date"] is not None, r["start_date"] or TODAY),
              reverse=True)
    return [r["slug"] for r in coming + past]


def page_slugs(client, flt, page):
    query = "&".join(f"{k}={v}" for k, v in {**flt, "page": page}.items() if k != "page" or v > 1)
    response = client.get("/en/events/" + (f"?{query}" if query else ""))
    assert response.status_code == 200, (flt, page)
    html = response.get_data(as_text=True)
    return re.findall(r'class="event-title"><a href="/en/events/([^/"]+)/"', html), html


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scale")
    with postgres_server() as pg_url:
        apps = {}
        for name, url in (("sqlite", f"sqlite:///{folder / 'scale.sqlite3'}"), ("postgres", pg_url)):
            app = make_app(folder / name, DATABASE_URL=url, EVENTS_PER_PAGE=PER_PAGE,
                           RESPONSE_CACHE_SIZE=0)
            fill(url, COUNT)
            apps[name] = app
        yield apps
        for app in apps.values():
            get_engine(app).dispose()


@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "all")
def test_every_page_holds_the_events_an_independent_sort_puts_there(stores, flt):
    expected = expected_order(synthetic_events(COUNT), flt)
    assert expected, "the filter should match some synthetic events"
    pages = -(-len(expected) // PER_PAGE)
    # The first pages, the middle (either side of the point where reading switches to the
    # end of the index) and the last pages.
    numbers = sorted(
        n for n in {1, 2, 3, pages // 2, pages // 2 + 1, pages // 2 + 2, pages - 1, pages}
        if 1 <= n <= pages
    )
    clients = {name: app.test_client() for name, app in stores.items()}
    for number in numbers:
        want = expected[(number - 1) * PER_PAGE : number * PER_PAGE]
        for name, client in clients.items():
            got, html = page_slugs(client, flt, number)
            assert got == want, (name, flt, number)
            assert f"{len(expected):,} events" in html or f"{len(expected)} events" in html


def test_the_pagination_is_a_window_of_links(stores):
    client = stores["sqlite"].test_client()
    html = client.get("/en/events/?page=50").get_data(as_text=True)
    nav = html[html.index('<nav class="pagination"'):]
    nav = nav[: nav.index("</nav>")]
    pages = -(-COUNT // PER_PAGE)
    numbers = [int(n.replace(",", "")) for n in re.findall(r'aria-label="Page ([0-9,]+)"', nav)]
    assert numbers == [1, 48, 49, 50, 51, 52, pages]
    assert nav.count("…") == 2
    assert 'rel="prev" href="/en/events/?page=49"' in nav
    assert 'rel="next" href="/en/events/?page=51"' in nav
