"""The event browser over HTTP (Flask's test client): filters one by one and combined
against counts computed independently from the reference CSV, facet counts, paging,
ordering, and every kind of bad input."""

from __future__ import annotations

import csv
import re
from collections import Counter

import pytest

REGIONS = ("africa", "asia_pacific", "canada", "europe", "united_states", "online")
#: The IASSIST region of each host country of the reference data, as the association
#: organises its regions (README: Adding an event; Israel counts with Europe, see the note
#: in webapp/events/data/country_regions.csv).
REGION_OF_COUNTRY = {
    "AU": "asia_pacific", "CA": "canada", "US": "united_states",
    "DE": "europe", "DK": "europe", "FI": "europe", "FR": "europe", "GB": "europe",
    "IL": "europe", "NL": "europe", "NO": "europe", "SE": "europe",
    "GH": "africa", "KE": "africa", "NG": "africa", "UG": "africa", "ZA": "africa",
}


@pytest.fixture(scope="module")
def reference(reference_events_csv):
    """The reference events, each with its IASSIST region (:data:`REGION_OF_COUNTRY`, or
    online for a virtual event)."""
    with open(reference_events_csv, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        row["region"] = REGION_OF_COUNTRY[row["country_code"]] if row["country_code"] else "online"
    return rows


def count_shown(html: str) -> int:
    return len(re.findall(r'<article class="event-card">', html))


def status_count(html: str) -> int:
    match = re.search(r'<p id="event-count"[^>]*>(\d+) events?</p>', html)
    assert match, "no live-region count"
    return int(match.group(1))


def all_pages(client, url: str) -> tuple[int, list[str]]:
    """(total announced, the slugs listed over every page) for a browser URL."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    total = status_count(html)
    slugs = re.findall(r'<h3 class="event-title"><a href="/en/events/([^/]+)/"', html)
    pages = re.findall(r'aria-label="Page (\d+)"', html)
    for page in range(2, max(map(int, pages), default=1) + 1):
        joiner = "&" if "?" in url else "?"
        more = client.get(f"{url}{joiner}page={page}").get_data(as_text=True)
        slugs += re.findall(r'<h3 class="event-title"><a href="/en/events/([^/]+)/"', more)
    return total, slugs


def test_no_filter_lists_all_64_events(client):
    total, slugs = all_pages(client, "/en/events/")
    assert total == 64
    assert len(slugs) == len(set(slugs)) == 64


@pytest.mark.parametrize("year", ["1977", "2021", "2025", "2026", "2027", "1993"])
def test_filter_by_year(client, reference, year):
    expected = sum(1 for r in reference if r["year"] == year)
    total, slugs = all_pages(client, f"/en/events/?year={year}")
    assert total == len(slugs) == expected
    assert all(slug.startswith(year) for slug in slugs)


@pytest.mark.parametrize("kind", ["annual_conference", "regional_workshop", "joint_meeting"])
def test_filter_by_type(client, reference, kind):
    expected = sum(1 for r in reference if r["kind"] == kind)
    total, slugs = all_pages(client, f"/en/events/?type={kind}")
    assert total == len(slugs) == expected


@pytest.mark.parametrize("region", REGIONS)
def test_filter_by_region(client, reference, region):
    expected = sum(1 for r in reference if r["region"] == region)
    assert expected > 0
    total, slugs = all_pages(client, f"/en/events/?region={region}")
    assert total == len(slugs) == expected


@pytest.mark.parametrize(
    ("query", "predicate"),
    [
        ("year=2021&type=annual_conference", lambda r: r["year"] == "2021" and r["kind"] == "annual_conference"),
        ("type=annual_conference&region=canada", lambda r: r["kind"] == "annual_conference" and r["region"] == "canada"),
        ("year=2021&region=europe", lambda r: r["year"] == "2021" and r["region"] == "europe"),
        ("year=1977&type=regional_workshop&region=europe", lambda r: r["year"] == "1977" and r["kind"] == "regional_workshop" and r["region"] == "europe"),
        ("year=2000-2009&region=united_states", lambda r: 2000 <= int(r["year"]) <= 2009 and r["region"] == "united_states"),
        ("year=2027&region=africa", lambda r: False),
    ],
)
def test_combined_filters(client, reference, query, predicate):
    expected = sum(1 for r in reference if predicate(r))
    total, slugs = all_pages(client, f"/en/events/?{query}")
    assert total == len(slugs) == expected


def facet_count(html: str, name: str, code: str) -> tuple[int, bool]:
    """(count shown, disabled?) for one radio option of a facet."""
    match = re.search(
        rf'<input type="radio" id="filter-{name}-{code}"[^>]*>\s*<label[^>]*>[^<]*<span class="count">\((\d+)\)</span>',
        html,
    )
    assert match, (name, code)
    tag = re.search(rf'<input type="radio" id="filter-{name}-{code}"[^>]*>', html).group(0)
    return int(match.group(1)), " disabled" in tag


def test_facet_counts_apply_the_other_filters(client, reference):
    html = client.get("/en/events/?type=regional_workshop").get_data(as_text=True)
    workshops = Counter(r["region"] for r in reference if r["kind"] == "regional_workshop")
    for region in REGIONS:
        count, disabled = facet_count(html, "region", region)
        assert count == workshops.get(region, 0)
        assert disabled == (count == 0)
    # The type facet ignores its own value: every type keeps its full count.
    kinds = Counter(r["kind"] for r in reference)
    for kind, expected in kinds.items():
        assert facet_count(html, "type", kind) == (expected, False)


def test_year_facet_counts_and_disabled_years(client, reference):
    html = client.get("/en/events/?region=africa").get_data(as_text=True)
    africa_years = Counter(r["year"] for r in reference if r["region"] == "africa")
    options = dict(
        (year, (int(count), "disabled" in attrs))
        for year, attrs, count in re.findall(r'<option value="(\d{4})"([^>]*)>\d{4} \((\d+)\)</option>', html)
    )
    assert len(options) == len({r["year"] for r in reference})  # every year stays listed
    for year, (count, disabled) in options.items():
        assert count == africa_years.get(year, 0)
        assert disabled == (count == 0)


def test_paging(client):
    first = client.get("/en/events/").get_data(as_text=True)
    third = client.get("/en/events/?page=4").get_data(as_text=True)
    assert count_shown(first) == 20
    assert count_shown(third) == 4  # 64 = 3 × 20 + 4
    assert 'start="61"' in third
    assert "Page 4 of 4" in third
    assert client.get("/en/events/?page=5").status_code == 404


def test_ordering_upcoming_first_then_most_recent(client):
    html = client.get("/en/events/").get_data(as_text=True)
    slugs = re.findall(r'<h3 class="event-title"><a href="/en/events/([^/]+)/"', html)
    # Today is 2026-11-22: only Vancouver 2027 is upcoming; Entebbe (4–6 Nov 2026) is over.
    assert slugs[:4] == [
        "2027-conference-vancouver",
        "2026-workshop-entebbe",
        "2026-conference-online",
        "2025-workshop-accra",
    ]
    last = client.get("/en/events/?page=4").get_data(as_text=True)
    assert re.findall(r'/en/events/([^/]+)/"', last)[-1] == "1974-joint-meeting-toronto"


def test_upcoming_and_status_badges(client):
    html = client.get("/en/events/?year=2020-2027").get_data(as_text=True)
    assert html.count('class="badge badge-upcoming"') == 1
    assert 'class="badge badge-postponed">Postponed' in html
    assert 'class="badge badge-cancelled">Cancelled' in html


def test_each_result_shows_title_dates_place_type_and_format(client):
    html = client.get("/en/events/?year=2025&type=annual_conference").get_data(as_text=True)
    assert "IASSIST 2025 (50th annual conference)" in html
    assert '<time datetime="2025-06-03">Jun 3\u2009–\u20096, 2025</time>' in html
    assert "Bristol, United Kingdom" in html
    assert "<dd>Annual conference</dd>" in html
    assert "<dd>In person</dd>" in html


def test_unknown_format_and_dates_are_shown_as_unknown(client):
    html = client.get("/en/events/?year=1976").get_data(as_text=True)
    assert "exact dates not recorded" in html
    html = client.get("/en/events/?year=2023&type=regional_workshop").get_data(as_text=True)
    assert "not recorded" in html


def test_empty_result_says_so_and_offers_to_clear(client):
    response = client.get("/en/events/?year=2027&region=africa")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "No event matches these filters." in html
    assert '<a href="/en/events/">Clear filters and show all events</a>' in html
    assert status_count(html) == 0


def test_filtered_title_reflects_the_filter(client):
    html = client.get("/en/events/?year=2025&type=annual_conference").get_data(as_text=True)
    assert "<title>Events: 2025, Annual conferences · IASSIST</title>" in html


def test_a_year_range_reads_with_an_en_dash_and_keeps_its_url_form(client):
    html = client.get("/en/events/?year=2000-2009&region=europe").get_data(as_text=True)
    assert "<title>Events: 2000\u20132009, Europe · IASSIST</title>" in html
    assert '<span class="chip">2000\u20132009</span>' in html
    assert '<option value="2000-2009" selected>2000\u20132009</option>' in html


@pytest.mark.parametrize(
    "query",
    [
        "year=abc", "year=%D9%A2%D9%A0%D9%A2%D9%A4", "year=+2024", "year=%2B2024", "year=99999",
        "year=2024&year=2025", "year=2025-2020", "type=party", "type=annual_conference&type=joint_meeting",
        "region=mars", "region=Europe", "page=0", "page=-1", "page=abc", "page=1.5",
        "type=" + "x" * 5000, "year=%00", "region=%ff%fe", "page=999999",
    ],
)
def test_bad_input_is_a_localized_400_never_a_500(client, query):
    response = client.get(f"/en/events/?{query}")
    assert response.status_code == 400, query
    html = response.get_data(as_text=True)
    assert "Bad request" in html
    assert 'class="error-detail"' in html
    french = client.get(f"/fr/events/?{query}")
    assert french.status_code == 400
    assert '<html lang="fr">' in french.get_data(as_text=True)


def test_the_400_page_names_the_parameter_and_the_rule(client):
    html = client.get("/en/events/?year=abc").get_data(as_text=True)
    assert "Parameter “year”:" in html
    assert "A year is four digits, such as 2025" in html


def test_unknown_event_slug_and_unknown_locale_are_404(client):
    assert client.get("/en/events/no-such-event/").status_code == 404
    assert client.get("/xx/events/").status_code == 404
    assert client.get("/EN/events/").status_code == 404


def test_a_form_sent_without_javascript_is_redirected_to_the_canonical_url(client):
    response = client.get("/en/events/?year=&type=regional_workshop&region=")
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/events/?type=regional_workshop"
    response = client.get("/en/events/?region=europe&year=2025")
    assert response.headers["Location"] == "/en/events/?year=2025&region=europe"


def test_event_page(client):
    response = client.get("/en/events/2025-conference-bristol/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>IASSIST 2025 (50th annual conference)</h1>" in html
    assert "University of the West of England (UWE Bristol)" in html
    assert "https://iassistdata.org/conferences/iassist2025/" in html
    assert html.count("<li><a href=\"https://") >= 5  # the sources
