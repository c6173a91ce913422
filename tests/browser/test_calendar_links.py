"""Calendar and feed links of the event browser in headless Chromium: after the visitor
chooses filters (htmx swaps the results), Subscribe (webcal), Download and the https
address carry exactly those filters; the note on events without known dates follows; the
calendar behind the link has exactly the dated events of the filter. And JSON-LD on event
pages passes the site's CSP: no console error."""

from __future__ import annotations

import csv
import re
import urllib.request
from urllib.parse import parse_qsl, urlsplit

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def open_browser(page, url: str = "/en/events/") -> None:
    page.goto(url)
    page.wait_for_function("() => window.htmx && document.querySelector('#event-filters')")


def choose(page, locator) -> None:
    before = page.locator("#event-results").inner_text()
    locator.check()
    page.wait_for_function(
        """before => {
            const results = document.querySelector('#event-results');
            return results && !results.hasAttribute('aria-busy') && results.innerText !== before;
        }""",
        arg=before,
    )


def radio(page, group: str, name: str):
    return page.locator(f"#facet-{group}").get_by_role(
        "radio", name=re.compile(f"^{re.escape(name)}\\b")
    )


def links(page) -> dict[str, str]:
    return {
        key: page.locator(selector).get_attribute("href")
        for key, selector in {
            "subscribe": "#calendar-subscribe",
            "download": "#calendar-download",
            "https": "#calendar-https",
            "feed": "#event-feed",
        }.items()
    }


def filters_of(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query)


def test_subscribe_link_follows_the_chosen_filters(page, live_server, reference_events_csv):
    with open(reference_events_csv, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    open_browser(page)
    host = urlsplit(live_server.url).netloc
    start = links(page)
    assert start["subscribe"] == f"webcal://{host}/en/events/calendar.ics"
    expect(page.locator(".calendar-note")).to_have_text(
        "4 events without known dates are not in the calendar."
    )
    page.evaluate("window.__marker = 1")

    choose(page, radio(page, "type", "Regional workshops"))
    choose(page, radio(page, "region", "Europe"))
    page.select_option("#filter-year", "1977")
    page.wait_for_function(
        "() => document.querySelector('#calendar-subscribe').href.includes('year=1977')"
    )
    assert page.evaluate("window.__marker") == 1, "a full page load happened"
    assert urlsplit(page.url).query == "year=1977&type=regional_workshop&region=europe"

    now = links(page)
    expected = [("year", "1977"), ("type", "regional_workshop"), ("region", "europe")]
    assert now["subscribe"].startswith(f"webcal://{host}/en/events/calendar.ics?")
    assert now["download"].startswith(f"{live_server.url}/en/events/calendar.ics?")
    assert now["https"] == now["download"]
    assert now["feed"].startswith(f"{live_server.url}/en/events/feed.atom?")
    for href in now.values():
        assert filters_of(href) == expected, href
    expect(page.locator("#calendar-https")).to_have_text(now["download"])
    # The one 1977 European regional meeting (Copenhagen) has no known day.
    expect(page.locator(".calendar-note")).to_have_text(
        "1 event without known dates is not in the calendar."
    )

    # The calendar behind the link holds the dated events of exactly these filters.
    choose(page, radio(page, "region", "All regions"))
    page.select_option("#filter-year", "")
    page.wait_for_function(
        "() => !document.querySelector('#calendar-subscribe').href.includes('year=')"
    )
    url = page.locator("#calendar-download").get_attribute("href")
    assert filters_of(url) == [("type", "regional_workshop")]
    expect(page.locator(".calendar-note")).to_have_text(
        "2 events without known dates are not in the calendar."
    )
    with urllib.request.urlopen(url) as response:
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        calendar = Calendar.from_ical(response.read())
    workshops = [r for r in rows if r["kind"] == "regional_workshop" and r["start_date"]]
    assert len(list(calendar.walk("VEVENT"))) == len(workshops)
    assert not page.console_errors


def test_note_disappears_when_every_event_has_dates(page):
    open_browser(page, "/fr/events/?type=annual_conference")
    expect(page.locator(".calendar-note")).to_have_text(
        "1 événement sans dates connues n’est pas dans le calendrier."
    )
    page.select_option("#filter-year", "2025")
    page.wait_for_function(
        "() => document.querySelector('#calendar-subscribe').href.includes('year=2025')"
    )
    expect(page.locator(".calendar-note")).to_have_count(0)
    expect(page.locator("#calendar-subscribe")).to_have_text("S’abonner")


def test_json_ld_passes_the_csp_and_event_pages_offer_their_calendar(page, live_server):
    page.goto("/de/events/2025-conference-bristol/")
    assert "script-src 'self'" in (
        page.evaluate("async () => (await fetch(location.href)).headers.get('content-security-policy')")
    )
    data = page.locator('script[type="application/ld+json"]').text_content()
    assert '"@type": "Event"' in data
    link = page.get_by_role("link", name="Zum Kalender hinzufügen (.ics)")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "2025-conference-bristol.ics"
    assert not page.console_errors
