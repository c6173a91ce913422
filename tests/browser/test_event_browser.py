"""End-to-end tests of the event browser in headless Chromium (Playwright).

What a visitor sees and does: filters that update the list without a page load, a URL
that follows (and can be shared, bookmarked, reloaded, gone back to), a form that still
works without JavaScript, focus that stays put, paging, a quiet console.
(Accessibility of every page: test_accessibility.py.)

Expected numbers come from the reference data (``tests/reference/iassist_events.csv``,
read here with the csv module) or, where the brief states them, from the bundled data.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

EVENTS = "/en/events/"
PER_PAGE = 20


# --- helpers -------------------------------------------------------------------------


def reference_rows(reference_events_csv: Path) -> list[dict[str, str]]:
    with open(reference_events_csv, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def open_browser(page, url: str = EVENTS) -> None:
    """Load the event browser and wait until htmx has processed the page."""
    page.goto(url)
    page.wait_for_function("() => window.htmx && document.querySelector('#event-filters')")


def results_text(page) -> str:
    return page.locator("#event-results").inner_text()


def wait_for_new_results(page, before: str) -> None:
    """Wait until ``#event-results`` shows something other than ``before`` and is no
    longer busy (site.js removes aria-busy when htmx has settled the swap)."""
    page.wait_for_function(
        """before => {
            const results = document.querySelector('#event-results');
            return results && !results.hasAttribute('aria-busy') && results.innerText !== before;
        }""",
        arg=before,
    )


def choose(page, locator) -> None:
    """Check a radio (as a visitor clicking its label would) and wait for the new results."""
    before = results_text(page)
    locator.check()
    wait_for_new_results(page, before)


def radio(page, group: str, name: str):
    """The radio of ``group`` (type/region) whose label starts with ``name``."""
    return page.locator(f"#facet-{group}").get_by_role("radio", name=re.compile(f"^{re.escape(name)}\\b"))


def event_count(page) -> int:
    return page.locator("#event-results .event-list > li").count()


def card_types(page) -> list[str]:
    """The "Type" fact of each event card in the results."""
    return page.locator("#event-results .event-card").evaluate_all(
        """cards => cards.map(card => {
            const dt = [...card.querySelectorAll('dt')].find(d => d.textContent.trim() === 'Type');
            return dt ? dt.nextElementSibling.textContent.trim() : null;
        })"""
    )


def option_counts(page, group: str) -> dict[str, tuple[int, bool, bool]]:
    """{value: (count shown, disabled, checked)} for the radios of a facet group (the
    "All" option left out)."""
    return page.locator(f"#facet-{group} input[type=radio]").evaluate_all(
        """inputs => Object.fromEntries(inputs.filter(i => i.value).map(i => {
            const label = document.querySelector(`label[for="${i.id}"]`).textContent;
            const count = Number(label.match(/\\((\\d+)\\)/)[1]);
            return [i.value, [count, i.disabled, i.checked]];
        }))"""
    )


def year_options(page) -> dict[str, tuple[int, bool, bool]]:
    """{year: (count shown, disabled, selected)} for the year select ("All years" left out)."""
    return page.locator("#filter-year option").evaluate_all(
        """options => Object.fromEntries(options.filter(o => o.value).map(o => {
            const count = Number(o.textContent.match(/\\((\\d+)\\)/)[1]);
            return [o.value, [count, o.disabled, o.selected]];
        }))"""
    )


def query_of(url: str) -> str:
    return url.split("?", 1)[1] if "?" in url else ""


# --- 1. a filter updates the results without a page load -----------------------------


def test_choosing_a_type_updates_results_counts_and_url_without_page_load(page, live_server):
    open_browser(page)
    expect(page.locator("#event-count")).to_have_text("64 events")
    page.evaluate(
        """() => {
            window.__marker = 42;
            window.__typeFieldset = document.querySelector('#facet-type');
            window.__regionFieldset = document.querySelector('#facet-region');
        }"""
    )

    choose(page, radio(page, "type", "Regional workshops"))

    assert page.evaluate("window.__marker") == 42, "a full page load happened"
    # The pushed URL is the canonical one: no empty year= or region= from the form.
    assert page.url == f"{live_server.url}/en/events/?type=regional_workshop"
    assert event_count(page) == 8
    assert card_types(page) == ["Regional workshop"] * 8
    expect(page.locator("#event-count")).to_have_text("8 events")
    # The region counts were swapped out of band with the new numbers...
    regions = option_counts(page, "region")
    assert regions["africa"][0] == 6
    assert regions["europe"][0] == 1
    assert regions["canada"][0] == 1
    assert sum(count for count, _, _ in regions.values()) == 8
    assert all(disabled == (count == 0) for count, disabled, _ in regions.values())
    assert regions["united_states"][:2] == [0, True]
    assert page.evaluate("window.__regionFieldset.isConnected") is False
    # ...while the type group the visitor used is the same element, still checked.
    assert page.evaluate("window.__typeFieldset.isConnected") is True
    expect(page.locator("#filter-type-regional_workshop")).to_be_checked()
    expect(page).to_have_title(re.compile(r"^Events: Regional workshops · IASSIST$"))


# --- 2. combined filters, zero-result options disabled -------------------------------


def test_combined_filters_show_canadian_annual_conferences_and_disable_empty_options(
    page, reference_events_csv
):
    rows = reference_rows(reference_events_csv)
    canadian = [r for r in rows if r["country_code"] == "CA"]
    expected = [r for r in canadian if r["kind"] == "annual_conference"]
    assert len(expected) > 0

    open_browser(page)
    choose(page, radio(page, "type", "Annual conferences"))
    choose(page, radio(page, "region", "Canada"))

    assert query_of(page.url) == "type=annual_conference&region=canada"
    expect(page.locator("#event-count")).to_have_text(f"{len(expected)} events")
    assert event_count(page) == len(expected)
    assert card_types(page) == ["Annual conference"] * len(expected)
    assert all("Canada" in place for place in page.locator(
        "#event-results .event-facts div:nth-child(2) dd").all_inner_texts())

    # Type counts are computed with the region filter only; year counts with both.
    types = option_counts(page, "type")
    assert {code: count for code, (count, _, _) in types.items()} == {
        kind: sum(1 for r in canadian if r["kind"] == kind)
        for kind in ("annual_conference", "regional_workshop", "joint_meeting")
    }
    years = year_options(page)
    expected_years = Counter(r["year"] for r in expected)
    assert {y: c for y, (c, _, _) in years.items() if c} == dict(expected_years)

    # An option is disabled exactly when choosing it would show nothing.
    for group, options in (("type", types), ("region", option_counts(page, "region")),
                           ("year", years)):
        for value, (count, disabled, checked) in options.items():
            assert disabled == (count == 0 and not checked), (group, value, count, disabled)
    # Most years had no Canadian annual conference: their options are disabled.
    assert sum(disabled for _, disabled, _ in years.values()) == len(years) - len(expected_years)


# --- 3. back, forward, reload ---------------------------------------------------------


def test_back_forward_and_reload_restore_results_form_and_url(page, live_server):
    open_browser(page)
    choose(page, radio(page, "type", "Regional workshops"))
    choose(page, radio(page, "region", "Africa"))
    assert query_of(page.url) == "type=regional_workshop&region=africa"
    expect(page.locator("#event-count")).to_have_text("6 events")

    before = results_text(page)
    page.go_back()
    wait_for_new_results(page, before)
    assert query_of(page.url) == "type=regional_workshop"
    expect(page.locator("#event-count")).to_have_text("8 events")
    assert event_count(page) == 8
    # The form says what the list shows.
    expect(page.locator("#filter-type-regional_workshop")).to_be_checked()
    expect(page.locator("#filter-region-all")).to_be_checked()
    expect(page).to_have_title(re.compile(r"^Events: Regional workshops · IASSIST$"))

    before = results_text(page)
    page.go_back()
    wait_for_new_results(page, before)
    assert page.url == f"{live_server.url}{EVENTS}"
    expect(page.locator("#event-count")).to_have_text("64 events")
    expect(page.locator("#filter-type-all")).to_be_checked()

    before = results_text(page)
    page.go_forward()
    wait_for_new_results(page, before)
    assert query_of(page.url) == "type=regional_workshop"
    expect(page.locator("#event-count")).to_have_text("8 events")
    expect(page.locator("#filter-type-regional_workshop")).to_be_checked()

    before = results_text(page)
    page.go_forward()
    wait_for_new_results(page, before)
    assert query_of(page.url) == "type=regional_workshop&region=africa"
    expect(page.locator("#event-count")).to_have_text("6 events")
    expect(page.locator("#filter-region-africa")).to_be_checked()
    # The controls still work after a restore: htmx processed the restored content.
    choose(page, radio(page, "region", "All regions"))
    expect(page.locator("#event-count")).to_have_text("8 events")
    page.go_back()
    expect(page.locator("#event-count")).to_have_text("6 events")

    page.reload()
    assert query_of(page.url) == "type=regional_workshop&region=africa"
    # A whole page, not a bare fragment.
    expect(page.locator("header.site-header")).to_be_visible()
    expect(page.locator("footer.site-footer")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Events")).to_be_visible()
    expect(page.locator("form#event-filters")).to_be_visible()
    expect(page.locator("#event-count")).to_have_text("6 events")
    assert event_count(page) == 6
    expect(page.locator("#filter-type-regional_workshop")).to_be_checked()
    expect(page.locator("#filter-region-africa")).to_be_checked()
    assert page.evaluate("document.querySelectorAll('link[rel=stylesheet]').length") >= 1


def test_back_without_a_cached_snapshot_fetches_the_whole_page(page):
    """When htmx has no snapshot for the URL (history cache full or cleared), it asks the
    server for it with HX-History-Restore-Request: the answer must be the whole page,
    not the results fragment."""
    open_browser(page)
    choose(page, radio(page, "type", "Regional workshops"))
    choose(page, radio(page, "region", "Africa"))
    page.evaluate("sessionStorage.removeItem('htmx-history-cache')")

    before = results_text(page)
    with page.expect_request(lambda r: "type=regional_workshop" in r.url) as restore:
        page.go_back()
    wait_for_new_results(page, before)
    assert restore.value.headers.get("hx-history-restore-request") == "true"
    assert query_of(page.url) == "type=regional_workshop"
    expect(page.locator("#event-count")).to_have_text("8 events")
    assert event_count(page) == 8
    # One header, one form, one results region: the page, not a page inside a page.
    for selector in ("header.site-header", "form#event-filters", "#event-results", "h1"):
        assert page.locator(selector).count() == 1, selector
    expect(page.locator("#filter-type-regional_workshop")).to_be_checked()
    expect(page.locator("#filter-region-all")).to_be_checked()
    # And the restored page works.
    choose(page, radio(page, "region", "Europe"))
    expect(page.locator("#event-count")).to_have_text("1 event")


# --- 4. without JavaScript ------------------------------------------------------------


def test_without_javascript_the_form_filters_with_a_page_load(page_nojs, live_server, reference_events_csv):
    page = page_nojs
    year = "2024"
    expected = [r for r in reference_rows(reference_events_csv) if r["year"] == year]
    assert expected

    page.goto(EVENTS)
    expect(page.locator("#event-count")).to_have_text("64 events")
    page.locator("#filter-year").select_option(year)
    with page.expect_navigation():
        page.get_by_role("button", name="Show events").click()

    # The server redirects the form's "?year=2024&type=&region=" to the canonical URL.
    assert page.url == f"{live_server.url}{EVENTS}?year={year}"
    expect(page.locator("#event-count")).to_have_text(
        f"{len(expected)} event" + ("s" if len(expected) != 1 else "")
    )
    assert event_count(page) == len(expected)
    dates = page.locator("#event-results .event-card time").evaluate_all(
        "times => times.map(t => t.getAttribute('datetime'))"
    )
    assert dates and all(d.startswith(year) for d in dates)
    expect(page.locator("#filter-year")).to_have_value(year)


# --- 5. focus stays on the control in use ----------------------------------------------


def test_focus_stays_on_the_radio_chosen_with_the_keyboard(page):
    open_browser(page)
    # Keyboard: Tab into the type group, then arrow to the next type (a change).
    page.locator("#filter-type-all").focus()
    before = results_text(page)
    page.keyboard.press("ArrowDown")
    wait_for_new_results(page, before)
    focused = page.evaluate("document.activeElement.id")
    assert focused.startswith("filter-type-") and focused != "filter-type-all"
    assert page.evaluate("document.activeElement.checked") is True
    expect(page.locator(f"#{focused}")).to_be_focused()

    # The region group was swapped out of band by that change; use it now.
    page.locator("#filter-region-all").focus()
    before = results_text(page)
    page.keyboard.press("ArrowDown")
    wait_for_new_results(page, before)
    focused = page.evaluate("document.activeElement.id")
    assert focused.startswith("filter-region-") and focused != "filter-region-all"
    assert page.evaluate("document.activeElement.checked") is True
    assert f"region={focused.removeprefix('filter-region-')}" in page.url

    # Space on an unchecked radio checks it; focus stays on it.
    page.locator("#filter-region-all").focus()
    before = results_text(page)
    page.keyboard.press("Space")
    wait_for_new_results(page, before)
    assert page.evaluate("document.activeElement.id") == "filter-region-all"
    assert "region=" not in page.url


def test_focus_stays_on_the_year_select_after_a_keyboard_change(page):
    open_browser(page)
    page.locator("#filter-year").focus()
    before = results_text(page)
    page.keyboard.press("ArrowDown")
    wait_for_new_results(page, before)
    assert page.evaluate("document.activeElement.id") == "filter-year"
    assert "year=" in page.url


# --- 6. paging ------------------------------------------------------------------------


def test_page_two_loads_in_place_and_matches_the_server_rendered_page(page, live_server):
    open_browser(page)
    expect(page.locator("#event-count")).to_have_text("64 events")
    assert event_count(page) == PER_PAGE
    page.evaluate("window.__marker = 42")

    before = results_text(page)
    page.locator("#event-results .pagination").get_by_role("link", name="Page 2", exact=True).click()
    wait_for_new_results(page, before)

    assert page.evaluate("window.__marker") == 42, "a full page load happened"
    assert page.url == f"{live_server.url}{EVENTS}?page=2"
    expect(page.locator("#event-results ol.event-list")).to_have_attribute("start", str(PER_PAGE + 1))
    assert event_count(page) == PER_PAGE
    titles = page.locator("#event-results .event-title").all_inner_texts()
    expect(page.locator("#event-results .pagination [aria-current=page]")).to_have_text("2")

    # The same page as a full load (no htmx request) lists the same events 21-40.
    other = page.context.new_page()
    other.goto(f"{EVENTS}?page=2")
    assert other.locator("#event-results ol.event-list").get_attribute("start") == str(PER_PAGE + 1)
    assert other.locator("#event-results .event-title").all_inner_texts() == titles
    other.close()
    # And page 1 has other events.
    other = page.context.new_page()
    other.goto(EVENTS)
    assert set(other.locator("#event-results .event-title").all_inner_texts()).isdisjoint(titles)
    other.close()


def test_next_and_previous_page_step_in_place_by_cursor_and_keep_page_urls(page, live_server):
    open_browser(page)
    page.evaluate("window.__marker = 42")
    pagination = page.locator("#event-results .pagination")
    by_number = {}
    for number in (2, 3):
        other = page.context.new_page()
        other.goto(f"{EVENTS}?page={number}")
        by_number[number] = other.locator("#event-results .event-title").all_inner_texts()
        other.close()

    # "Next page" is fetched by htmx with a cursor (the last event of this page), but the
    # address bar shows the page's own URL.
    next_link = pagination.get_by_role("link", name="Next page")
    assert next_link.get_attribute("href") == f"{EVENTS}?page=2"
    assert re.fullmatch(rf"{EVENTS}\?page=2&after=[up][0-9]{{4}}\..+\.[0-9a-f]{{8}}", next_link.get_attribute("hx-get"))
    before = results_text(page)
    next_link.click()
    wait_for_new_results(page, before)
    assert page.url == f"{live_server.url}{EVENTS}?page=2"
    assert page.locator("#event-results .event-title").all_inner_texts() == by_number[2]

    before = results_text(page)
    pagination.get_by_role("link", name="Next page").click()
    wait_for_new_results(page, before)
    assert page.url == f"{live_server.url}{EVENTS}?page=3"
    expect(page.locator("#event-results ol.event-list")).to_have_attribute("start", str(2 * PER_PAGE + 1))
    assert page.locator("#event-results .event-title").all_inner_texts() == by_number[3]

    previous = pagination.get_by_role("link", name="Previous page")
    assert "before=" in previous.get_attribute("hx-get")
    before = results_text(page)
    previous.click()
    wait_for_new_results(page, before)
    assert page.url == f"{live_server.url}{EVENTS}?page=2"
    assert page.locator("#event-results .event-title").all_inner_texts() == by_number[2]
    assert page.evaluate("window.__marker") == 42, "a full page load happened"

    # Reloading the pushed URL shows the same page.
    page.reload()
    assert page.locator("#event-results .event-title").all_inner_texts() == by_number[2]


def test_without_javascript_next_page_is_a_plain_link_to_the_page(page_nojs):
    page_nojs.goto(EVENTS)
    page_nojs.locator("#event-results .pagination").get_by_role("link", name="Next page").click()
    page_nojs.wait_for_load_state()
    assert page_nojs.url.endswith(f"{EVENTS}?page=2")
    assert page_nojs.locator("#event-results ol.event-list").get_attribute("start") == str(PER_PAGE + 1)


# --- 7. a quiet console -----------------------------------------------------------------


CSP_REPORTER = """
document.addEventListener('securitypolicyviolation', e => {
    console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
});
"""


def test_no_console_errors_or_csp_violations_while_browsing(page):
    page.add_init_script(CSP_REPORTER)
    open_browser(page)
    choose(page, radio(page, "type", "Annual conferences"))
    choose(page, radio(page, "region", "Europe"))
    before = results_text(page)
    first_year = page.locator("#filter-year option[value]:not([value='']):not([disabled])").first
    page.locator("#filter-year").select_option(first_year.get_attribute("value"))
    wait_for_new_results(page, before)
    choose(page, radio(page, "region", "All regions"))
    before = results_text(page)
    page.locator("#filter-year").select_option("")
    wait_for_new_results(page, before)
    before = results_text(page)
    page.locator("#event-results .pagination").get_by_role("link", name="Next page").click()
    wait_for_new_results(page, before)
    before = results_text(page)
    page.go_back()
    wait_for_new_results(page, before)
    before = results_text(page)
    page.go_forward()
    wait_for_new_results(page, before)
    page.reload()
    page.locator("#event-results .event-title a").first.click()
    page.wait_for_load_state()
    page.go_back()
    page.wait_for_load_state()

    assert page.console_errors == []
