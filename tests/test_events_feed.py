"""The Atom feed of any filtered view, read back with feedparser (the feed parser most
readers are built on), in the five languages. Expected events come from the reference CSV."""

from __future__ import annotations

import csv

import feedparser
import pytest
from webapp.events.codes import country_regions

FEED_SIZE = 30


@pytest.fixture(scope="module")
def reference(reference_events_csv):
    with open(reference_events_csv, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    table = country_regions()
    for row in rows:
        row["region"] = table[row["country_code"]] if row["country_code"] else "online"
    return rows


def read(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


@pytest.mark.parametrize(
    ("query", "predicate"),
    [
        ("type=regional_workshop", lambda r: r["kind"] == "regional_workshop"),
        ("year=2020-2022", lambda r: 2020 <= int(r["year"]) <= 2022),
        ("region=canada&type=annual_conference", lambda r: r["region"] == "canada" and r["kind"] == "annual_conference"),
        ("year=2027&region=africa", lambda r: False),
        ("", lambda r: True),
    ],
)
def test_entries_are_the_events_of_the_filter(client, reference, query, predicate):
    feed = read(client, f"/en/events/feed.atom?{query}")
    expected = [r for r in reference if predicate(r)]
    assert len(feed.entries) == min(FEED_SIZE, len(expected))
    if len(expected) <= FEED_SIZE:
        years = sorted(int(r["year"]) for r in expected)
        assert sorted(int(e.link.rstrip("/").split("/")[-1][:4]) for e in feed.entries) == years


def test_upcoming_first_then_the_most_recent(client):
    # Today is 2026-11-22 (tests/conftest.py): IASSIST 2027 is the one upcoming event.
    feed = read(client, "/en/events/feed.atom")
    links = [e.link for e in feed.entries]
    assert links[0].endswith("/en/events/2027-conference-vancouver/")
    assert links[1].endswith("/en/events/2026-workshop-entebbe/")


def test_stable_ids_language_and_links(client):
    first = read(client, "/fr/events/feed.atom?year=2025")
    again = read(client, "/fr/events/feed.atom?year=2025")
    assert [e.id for e in first.entries] == [e.id for e in again.entries]
    assert all(e.id.startswith("tag:iassistdata.org,2026:events/") for e in first.entries)
    english = read(client, "/en/events/feed.atom?year=2025")
    assert [e.id for e in english.entries] == [e.id for e in first.entries]
    assert first.feed.language == "fr"
    assert first.feed.title == "Événements\u00a0: 2025 · IASSIST"
    assert first.feed.id.endswith("/fr/events/feed.atom?year=2025")
    assert all("/fr/events/" in e.link for e in first.entries)
    bristol = next(e for e in first.entries if e.link.endswith("/2025-conference-bristol/"))
    assert bristol.title == "IASSIST 2025"
    assert "Lieu\u00a0: Bristol, Royaume-Uni" in bristol.summary


def test_feed_is_linked_from_the_page_head_and_the_browser(client):
    html = client.get("/de/events/?type=joint_meeting").get_data(as_text=True)
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Veranstaltungen von IASSIST '
        '(Atom-Feed)" href="http://localhost/de/events/feed.atom?type=joint_meeting">'
    ) in html
    assert 'id="event-feed" href="http://localhost/de/events/feed.atom?type=joint_meeting"' in html
    home = client.get("/de/").get_data(as_text=True)
    assert 'type="application/atom+xml"' in home


def test_bad_filter_is_a_400_and_etag_gives_304(client):
    assert client.get("/pt/events/feed.atom?type=conference").status_code == 400
    response = client.get("/pt/events/feed.atom")
    again = client.get("/pt/events/feed.atom", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
