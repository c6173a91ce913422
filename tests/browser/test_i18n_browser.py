"""Languages in a real browser: switching language on a filtered view of the event browser
keeps the filters, and the choice is remembered for the next visit to ``/``."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_switching_language_keeps_the_filters(page):
    page.goto("/en/events/")
    page.locator("label[for=filter-type-regional_workshop]").click()
    expect(page).to_have_url(re.compile(r"/en/events/\?type=regional_workshop$"))
    page.locator("label[for=filter-region-africa]").click()
    expect(page).to_have_url(re.compile(r"/en/events/\?type=regional_workshop&region=africa$"))
    expect(page.locator("#event-count")).to_have_text("6 events")

    # The switcher was rendered with the page before the filters changed: its links must
    # follow the URL the visitor is on now.
    page.get_by_role("link", name="Deutsch").click()
    expect(page).to_have_url(re.compile(r"/de/events/\?type=regional_workshop&region=africa$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("#event-count")).to_have_text("6 Veranstaltungen")
    expect(page.locator("#filter-type-regional_workshop")).to_be_checked()
    expect(page.locator("#filter-region-africa")).to_be_checked()
    expect(page.locator("article.event-card")).to_have_count(6)

    page.get_by_role("link", name="Français").click()
    expect(page).to_have_url(re.compile(r"/fr/events/\?type=regional_workshop&region=africa$"))
    expect(page.locator("#event-count")).to_have_text("6 événements")


def test_the_chosen_language_is_remembered(page):
    page.set_extra_http_headers({"Accept-Language": "en"})
    page.goto("/es/about/")
    page.goto("/")
    # Only a choice is remembered: opening a page in Spanish is not one.
    expect(page).to_have_url(re.compile(r"/en/$"))
    page.get_by_role("link", name="Español").click()
    expect(page).to_have_url(re.compile(r"/es/$"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/es/$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
