"""The programme search and pages in headless Chromium (Playwright): typing a query
updates the results without a page load, the URL carries it, back and forward restore it,
reload is the whole page, a talk opens from a result, the form works without JavaScript;
axe-core finds no violation on the programme, talk, person and search pages in the five
languages.

Expected counts are computed from the association's files
(``tests/reference/conference-programs``) by ``tests/test_programmes_search.expected``.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import AXE
from tests.conftest import LiveServer
from tests.test_programmes_search import expected

pytestmark = pytest.mark.browser

SEARCH = "/en/programmes/"


@pytest.fixture
def live_server(programmes_app):
    """The site with the events and programmes, served by real waitress."""
    with LiveServer(programmes_app) as server:
        yield server


def open_search(page, url: str = SEARCH) -> None:
    page.goto(url)
    page.wait_for_function("() => window.htmx && document.querySelector('#talk-filters')")


def results_text(page) -> str:
    return page.locator("#talk-results").inner_text()


def wait_for_new_results(page, before: str) -> None:
    page.wait_for_function(
        """before => {
            const results = document.querySelector('#talk-results');
            return results && !results.hasAttribute('aria-busy') && results.innerText !== before;
        }""",
        arg=before,
    )


def talks_label(count: int) -> str:
    return f"{count} talk" + ("s" if count != 1 else "")


def query_of(url: str) -> str:
    return url.split("?", 1)[1] if "?" in url else ""


def test_typing_updates_results_without_page_load_and_back_restores(page, live_server, reference_programmes):
    dataverse = len(expected(reference_programmes, ["dataverse"]))
    metadata = len(expected(reference_programmes, ["metadata"]))
    total = sum(len(s.get("presentations") or []) for src in reference_programmes.values() for s in src["sessions"])
    open_search(page)
    expect(page.locator("#talk-count")).to_have_text(talks_label(total))
    page.evaluate("() => { window.__marker = 42; }")

    before = results_text(page)
    page.locator("#search-q").press_sequentially("dataverse", delay=30)
    wait_for_new_results(page, before)
    expect(page.locator("#talk-count")).to_have_text(talks_label(dataverse))
    expect(page).to_have_url(re.compile(r"/en/programmes/\?q=dataverse$"))
    assert page.evaluate("window.__marker") == 42  # no page load
    expect(page.locator("#talk-results mark").first).to_be_visible()
    expect(page).to_have_title(re.compile("dataverse"))

    before = results_text(page)
    page.locator("#search-q").fill("metadata")
    wait_for_new_results(page, before)
    expect(page.locator("#talk-count")).to_have_text(talks_label(metadata))
    assert query_of(page.url) == "q=metadata"
    assert page.evaluate("window.__marker") == 42

    before = results_text(page)
    page.go_back()
    wait_for_new_results(page, before)
    assert query_of(page.url) == "q=dataverse"
    expect(page.locator("#talk-count")).to_have_text(talks_label(dataverse))
    expect(page.locator("#search-q")).to_have_value("dataverse")

    before = results_text(page)
    page.go_forward()
    wait_for_new_results(page, before)
    assert query_of(page.url) == "q=metadata"
    expect(page.locator("#search-q")).to_have_value("metadata")

    page.reload()
    for selector in ("header.site-header", "form#talk-filters", "#talk-results", "h1"):
        assert page.locator(selector).count() == 1, selector
    expect(page.locator("#talk-count")).to_have_text(talks_label(metadata))
    expect(page.locator("#search-q")).to_have_value("metadata")
    assert page.console_errors == []


def test_a_filter_combines_with_the_text_and_counts_follow(page, live_server, reference_programmes):
    open_search(page, SEARCH + "?q=dataverse")
    want = expected(reference_programmes, ["dataverse"], session_type="panel")
    before = results_text(page)
    page.locator("#filter-type-panel").check()
    wait_for_new_results(page, before)
    expect(page.locator("#talk-count")).to_have_text(talks_label(len(want)))
    assert query_of(page.url) == "q=dataverse&type=panel"
    by_year = {}
    for year, _, _ in want:
        by_year[year] = by_year.get(year, 0) + 1
    shown = page.locator("#filter-year option").evaluate_all(
        """options => Object.fromEntries(options.filter(o => o.value).map(o =>
            [o.value, Number(o.textContent.match(/\\((\\d+)\\)/)[1])]))"""
    )
    assert {int(y): n for y, n in shown.items() if n} == by_year


def test_history_restore_without_snapshot_is_the_whole_page(page, live_server):
    open_search(page)
    before = results_text(page)
    page.locator("#search-q").fill("archive")
    wait_for_new_results(page, before)
    before = results_text(page)
    page.locator("#search-q").fill("archives")
    wait_for_new_results(page, before)
    page.evaluate("sessionStorage.removeItem('htmx-history-cache')")
    before = results_text(page)
    with page.expect_request(lambda r: "q=archive" in r.url) as restore:
        page.go_back()
    wait_for_new_results(page, before)
    assert restore.value.headers.get("hx-history-restore-request") == "true"
    for selector in ("header.site-header", "form#talk-filters", "#talk-results", "h1"):
        assert page.locator(selector).count() == 1, selector


def test_a_talk_page_opens_from_a_result(page, live_server):
    open_search(page, SEARCH + "?q=%22Metadata+Ahoy%22")
    link = page.locator("#talk-results .talk-title a").first
    expect(link).to_have_text("Metadata Ahoy! Charting a reusable path for machine learning")
    with page.expect_navigation():
        link.click()
    assert page.url.endswith("/en/programmes/2024/talks/4-1/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Metadata Ahoy! Charting a reusable path for machine learning")
    # Presenters link to their pages; the abstract and citation are there.
    with page.expect_navigation():
        page.get_by_role("link", name="Stephanie Labou").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stephanie Labou")


def test_without_javascript_the_search_form_works(page_nojs, live_server, reference_programmes):
    page = page_nojs
    want = expected(reference_programmes, ["dataverse"], years=(2010, 2019))
    page.goto(SEARCH)
    page.locator("#search-q").fill("dataverse")
    page.locator("#filter-year").select_option("2015")
    with page.expect_navigation():
        page.get_by_role("button", name="Search", exact=True).click()
    assert query_of(page.url) == "q=dataverse&year=2015"
    in_2015 = [k for k in want if k[0] == 2015]
    expect(page.locator("#talk-count")).to_have_text(talks_label(len(in_2015)))
    # Abstracts open without JavaScript (<details>).
    page.goto("/en/programmes/2024/")
    details = page.locator("details.abstract").first
    details.locator("summary").click()
    expect(details.locator("div")).to_be_visible()


AXE_PAGES = ["/programmes/", "/programmes/?q=data&type=panel", "/programmes/?q=zzzzqqq",
             "/programmes/2024/", "/programmes/2019/", "/programmes/2024/talks/4-1/",
             "/programmes/people/jared-lyle/"]


@pytest.mark.parametrize("locale", ["en", "fr", "de", "pt", "es"])
def test_axe_finds_no_violation_on_the_programme_pages(page_bypass_csp, locale):
    page = page_bypass_csp
    found = []
    for path in AXE_PAGES:
        response = page.goto(f"/{locale}{path}")
        assert response is not None and response.status == 200, path
        page.add_script_tag(path=str(AXE))
        results = page.evaluate("async () => await axe.run(document)")
        found += [
            {"page": f"/{locale}{path}", "id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [{"target": n["target"], "html": n["html"][:200]} for n in v["nodes"][:5]]}
            for v in results["violations"]
        ]
    assert not found, "axe found violations:\n" + json.dumps(found, indent=2, ensure_ascii=False)
