"""The fragment-or-page decision, header by header, and that the fragment is exactly the
same part of the full page."""

from __future__ import annotations

import re

import pytest

URL = "/en/events/?type=regional_workshop"
HTMX = {"HX-Request": "true", "HX-Target": "event-results"}


def is_full_page(html: str) -> bool:
    return html.lstrip().startswith("<!doctype html>") and "<form id=\"event-filters\"" in html


@pytest.mark.parametrize(
    ("headers", "fragment"),
    [
        ({}, False),
        (HTMX, True),
        ({"HX-Request": "true"}, False),  # not aimed at the results
        ({"HX-Request": "true", "HX-Target": "main"}, False),
        ({"HX-Request": "false", "HX-Target": "event-results"}, False),
        ({"HX-Target": "event-results"}, False),
        ({**HTMX, "HX-History-Restore-Request": "true"}, False),
        ({"HX-History-Restore-Request": "true"}, False),
        ({**HTMX, "HX-History-Restore-Request": "false"}, True),
        ({**HTMX, "HX-Trigger": "facet-type"}, True),
    ],
)
def test_fragment_or_page_by_headers(client, headers, fragment):
    response = client.get(URL, headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert is_full_page(html) is not fragment
    for header in ("HX-Request", "HX-Target", "HX-History-Restore-Request"):
        assert header in response.headers["Vary"]


def results_block(html: str) -> str:
    """The inner HTML of #event-results in a full page."""
    start = html.index('<div id="event-results" class="results">') + len('<div id="event-results" class="results">')
    end = html.index("</div>\n  </section>", start)
    return html[start:end]


@pytest.mark.parametrize("url", [URL, "/en/events/", "/en/events/?page=2", "/fr/events/?year=2027&region=africa", "/de/events/?region=europe"])
def test_fragment_equals_the_same_part_of_the_full_page(client, url):
    page = client.get(url).get_data(as_text=True)
    fragment = client.get(url, headers=HTMX).get_data(as_text=True)
    inner = results_block(page)
    assert inner.strip(), "the results block is not empty"
    # The fragment is the results block, then the out-of-band parts.
    assert fragment.strip().startswith(inner.strip())
    assert "<title>" in fragment[len(inner.strip()):]


def test_fragment_carries_out_of_band_count_title_and_other_facets(client):
    html = client.get(URL, headers={**HTMX, "HX-Trigger": "facet-type"}).get_data(as_text=True)
    assert '<span hx-swap-oob="innerHTML:#event-count">8 events</span>' in html
    assert "<title>Events: Regional workshops · IASSIST</title>" in html
    assert 'id="facet-region"' in html and 'id="facet-year"' in html
    # The group the visitor is using is not swapped.
    assert 'id="facet-type"' not in html
    assert html.count('hx-swap-oob="outerHTML"') == 2


def test_fragment_pushes_the_canonical_url(client):
    response = client.get("/en/events/?year=&type=regional_workshop&region=", headers=HTMX)
    assert response.status_code == 200
    assert response.headers["HX-Push-Url"] == "/en/events/?type=regional_workshop"


def test_full_page_has_no_out_of_band_markup(client):
    html = client.get(URL).get_data(as_text=True)
    assert "hx-swap-oob" not in html
    assert len(re.findall(r"<title>", html)) == 1


def test_filter_form_is_a_real_get_form_enhanced_with_htmx(client):
    html = client.get("/en/events/").get_data(as_text=True)
    form = re.search(r'<form id="event-filters"[^>]*>', html).group(0)
    assert 'method="get"' in form and 'action="/en/events/"' in form
    assert 'hx-target="#event-results"' in form and 'hx-push-url="true"' in form
    assert '<button type="submit"' in html
    assert 'role="status" aria-live="polite"' in html
    assert "<script>" not in html and "style=" not in html  # CSP: nothing inline


def test_fragment_updates_the_language_switcher_with_the_canonical_filters(client):
    html = client.get("/en/events/?year=&type=regional_workshop&region=africa", headers=HTMX).get_data(as_text=True)
    nav = html[html.index('<nav id="language-switcher"'):]
    assert 'hx-swap-oob="true"' in nav[:200]
    assert 'href="/language/fr?next=/fr/events/?type%3Dregional_workshop%26region%3Dafrica"' in nav
