"""schema.org Event as JSON-LD: parsed from every event page (all 64, in all five
languages) and from the conferences page, checked against the reference CSV for the
properties the data holds and for nothing it does not."""

from __future__ import annotations

import csv
import json

import lxml.html
import pytest
from sqlmodel import Session, select
from webapp.db import get_engine
from webapp.events.models import Event

LOCALES = ("en", "fr", "de", "pt", "es")
SCHEMA = "https://schema.org/"
STATUS = {
    "held": "EventScheduled",
    "scheduled": "EventScheduled",
    "cancelled": "EventCancelled",
    "postponed": "EventPostponed",
}
MODE = {
    "in_person": "OfflineEventAttendanceMode",
    "virtual": "OnlineEventAttendanceMode",
    "hybrid": "MixedEventAttendanceMode",
}
ALLOWED = {
    "@context", "@type", "name", "url", "mainEntityOfPage", "eventStatus", "organizer",
    "description", "startDate", "endDate", "eventAttendanceMode", "location", "sameAs",
}


def json_ld(html: str) -> list:
    """Every JSON-LD block of the page, parsed."""
    tree = lxml.html.fromstring(html)
    return [json.loads(s.text) for s in tree.xpath('//script[@type="application/ld+json"]')]


@pytest.fixture
def slugs_to_reference(app, reference_events_csv):
    """Each event's slug -> its reference row, matched on year and original title (the
    slug is the store's name for the event; the facts compared come from the CSV)."""
    with open(reference_events_csv, encoding="utf-8", newline="") as fh:
        rows = {(r["year"], r["title"]): r for r in csv.DictReader(fh)}
    with Session(get_engine(app)) as session:
        events = session.exec(select(Event)).all()
        return {e.slug: rows[(str(e.year), e.title)] for e in events}


def check_event(data: dict, row: dict, locale: str, slug: str) -> None:
    assert set(data) <= ALLOWED, set(data) - ALLOWED
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"]
    assert data["url"] == f"http://localhost/{locale}/events/{slug}/"
    assert data["mainEntityOfPage"]["inLanguage"] == locale
    assert data["eventStatus"] == SCHEMA + STATUS[row["status"]]
    assert data["organizer"]["name"] == "IASSIST"
    assert data["description"]
    if row["start_date"]:
        assert data["startDate"] == row["start_date"]
        assert data["endDate"] == row["end_date"]
    else:
        assert "startDate" not in data and "endDate" not in data
    if row["format"]:
        assert data["eventAttendanceMode"] == SCHEMA + MODE[row["format"]]
    else:
        assert "eventAttendanceMode" not in data
    locations = data.get("location", [])
    if isinstance(locations, dict):
        locations = [locations]
    places = [loc for loc in locations if loc["@type"] == "Place"]
    virtual = [loc for loc in locations if loc["@type"] == "VirtualLocation"]
    if row["country_code"] and row["format"] != "virtual":
        (place,) = places
        address = place["address"]
        assert address["addressCountry"] == row["country_code"]
        assert address.get("addressLocality") == (row["city"] or None)
        assert address.get("addressRegion") == (row["region_or_state"] or None)
    else:
        assert not places
    if row["format"] in ("virtual", "hybrid"):
        (online,) = virtual
        assert online.get("url") == (row["url"] or None)
    else:
        assert not virtual
    assert data.get("sameAs") == (row["url"] or None)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_event_page_has_its_event(client, slugs_to_reference, locale):
    assert len(slugs_to_reference) == 64
    for slug, row in slugs_to_reference.items():
        response = client.get(f"/{locale}/events/{slug}/")
        assert response.status_code == 200
        (data,) = json_ld(response.get_data(as_text=True))
        check_event(data, row, locale, slug)


def test_names_and_descriptions_in_the_pages_language(client):
    (fr,) = json_ld(client.get("/fr/events/2027-conference-vancouver/").get_data(as_text=True))
    assert fr["name"] == "IASSIST 2027"
    assert fr["description"].startswith("Conférence annuelle de l’IASSIST, 2027.")
    assert fr["location"]["name"] == "Vancouver, BC, Canada"
    (de,) = json_ld(client.get("/de/events/2021-joint-meeting-gothenburg/").get_data(as_text=True))
    assert de["eventStatus"] == SCHEMA + "EventCancelled"
    assert de["location"]["name"] == "Göteborg, Schweden"


def test_conferences_page_lists_the_forthcoming_events(client, slugs_to_reference):
    # Today is 2026-11-22: IASSIST 2027 in Vancouver is the one forthcoming event.
    for locale in LOCALES:
        (block,) = json_ld(client.get(f"/{locale}/conferences/").get_data(as_text=True))
        assert block["@context"] == "https://schema.org"
        (event,) = block["@graph"]
        slug = "2027-conference-vancouver"
        check_event({"@context": "https://schema.org", **event}, slugs_to_reference[slug], locale, slug)


def test_text_cannot_break_out_of_the_script_element(app, client):
    hostile = "Data </script><script>alert(1)</script> & <!-- more"
    with Session(get_engine(app)) as session:
        event = session.exec(select(Event).where(Event.slug == "2025-conference-bristol")).one()
        event.title = hostile
        event.host = hostile
        session.add(event)
        session.commit()
    html = client.get("/en/events/2025-conference-bristol/").get_data(as_text=True)
    start = html.index('<script type="application/ld+json">')
    block = html[start : html.index("</script>", start)]
    assert "<" not in block[len('<script type="application/ld+json">') :]
    (data,) = json_ld(html)
    assert data["name"] == hostile
    assert f"Host: {hostile}" in data["description"]
    # nothing else became a script
    tree = lxml.html.fromstring(html)
    assert not [s for s in tree.xpath("//script") if "alert" in (s.text or "")
                and s.get("type") != "application/ld+json"]
