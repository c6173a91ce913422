"""Calendars (RFC 5545) of filtered views and of single events, read back the way calendar
applications read them: with ``icalendar`` (the library that wrote them, in its strict
mode) and, as a second opinion, with ``ics`` (ics.py, an independent parser with its own
grammar) and ``recurring-ical-events`` (the expansion layer calendar integrations such as
Home Assistant's use to list the occurrences in a time span).

Expected values come from the reference CSV (``tests/reference/iassist_events.csv``), read
with the csv module, never from the code under test.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta

import ics
import pytest
import recurring_ical_events
from icalendar import Calendar
from sqlmodel import Session, select
from webapp.db import get_engine
from webapp.events.codes import country_regions
from webapp.events.loader import load_events
from webapp.events.models import Event

from tests.conftest import make_app


@pytest.fixture(scope="module")
def reference(reference_events_csv):
    """Reference rows with their IASSIST region (from the documented country table) and
    the slug the bundled data gives them."""
    with open(reference_events_csv, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    table = country_regions()
    for row in rows:
        row["region"] = table[row["country_code"]] if row["country_code"] else "online"
    return rows


def parse(body: bytes) -> Calendar:
    return Calendar.from_ical(body)


def vevents(calendar: Calendar) -> list:
    return list(calendar.walk("VEVENT"))


def dated(rows):
    return [r for r in rows if r["start_date"]]


FILTERS = [
    ("", lambda r: True),
    ("year=2021", lambda r: r["year"] == "2021"),
    ("year=1970-1979", lambda r: 1970 <= int(r["year"]) <= 1979),
    ("type=regional_workshop", lambda r: r["kind"] == "regional_workshop"),
    ("type=joint_meeting&region=europe", lambda r: r["kind"] == "joint_meeting" and r["region"] == "europe"),
    ("region=africa", lambda r: r["region"] == "africa"),
    ("year=1990-1999&type=annual_conference", lambda r: 1990 <= int(r["year"]) <= 1999 and r["kind"] == "annual_conference"),
    ("year=2027&region=africa", lambda r: False),
]


@pytest.mark.parametrize(("query", "predicate"), FILTERS)
def test_one_vevent_per_dated_event_of_the_filter(client, reference, query, predicate):
    response = client.get(f"/en/events/calendar.ics?{query}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    matching = [r for r in reference if predicate(r)]
    expected = sorted((r["start_date"], r["end_date"]) for r in dated(matching))
    events = vevents(parse(response.data))
    got = sorted(
        (e.decoded("dtstart").isoformat(), (e.decoded("dtend") - timedelta(days=1)).isoformat())
        for e in events
    )
    assert got == expected


def test_the_whole_calendar_has_60_of_the_64_events(client, reference):
    # 64 events, of which 4 have no known day (1976, the two 1977 regional meetings, 1993).
    assert len(reference) == 64
    undated = [r for r in reference if not r["start_date"]]
    assert sorted(r["year"] for r in undated) == ["1976", "1977", "1977", "1993"]
    assert len(vevents(parse(client.get("/en/events/calendar.ics").data))) == 60


def test_all_day_events_with_exclusive_end(client):
    body = client.get("/en/events/2025-conference-bristol/calendar.ics").data
    text = body.decode("utf-8")
    # IASSIST 2025, Bristol, June 3-6: the exclusive end is June 7.
    assert "DTSTART;VALUE=DATE:20250603\r\n" in text
    assert "DTEND;VALUE=DATE:20250607\r\n" in text
    (event,) = vevents(parse(body))
    assert event.decoded("dtstart") == date(2025, 6, 3)
    assert event.decoded("dtend") == date(2025, 6, 7)
    # a date, not a midnight datetime
    assert type(event.decoded("dtstart")) is date


def test_cancelled_and_postponed_events_are_cancelled_in_calendars(client, reference):
    events = vevents(parse(client.get("/en/events/calendar.ics").data))
    by_start = {}
    for e in events:
        by_start.setdefault(e.decoded("dtstart").isoformat(), []).append(str(e["status"]))
    for row in dated(reference):
        statuses = by_start[row["start_date"]]
        if row["status"] in ("cancelled", "postponed"):
            assert "CANCELLED" in statuses, row["title"]
    cancelled = sum(1 for e in events if str(e["status"]) == "CANCELLED")
    assert cancelled == sum(1 for r in dated(reference) if r["status"] in ("cancelled", "postponed"))
    # IASSIST/CESSDA 2021, Gothenburg, September 14-16: cancelled
    single = client.get("/en/events/2021-joint-meeting-gothenburg/calendar.ics")
    assert single.status_code == 200, "slug of the cancelled 2021 meeting"
    (event,) = vevents(parse(single.data))
    assert str(event["status"]) == "CANCELLED"


def test_uids_are_stable_across_two_builds(tmp_path, reference):
    """Two stores built apart (two loads of the same data, at different times) give the
    same UIDs; each is the event's slug at the association's domain."""
    uids = []
    for name in ("one", "two"):
        folder = tmp_path / name
        folder.mkdir()
        app = make_app(folder)
        with Session(get_engine(app)) as session:
            load_events(session)
            slugs = {e.slug for e in session.exec(select(Event)).all()}
        body = app.test_client().get("/fr/events/calendar.ics").data
        got = [str(e["uid"]) for e in vevents(parse(body))]
        assert len(got) == len(set(got)) == 60
        assert {u.removesuffix("@iassistdata.org") for u in got} <= slugs
        uids.append(sorted(got))
    assert uids[0] == uids[1]


def test_dtstamp_and_last_modified_come_from_the_data_not_the_request(app, client):
    first = client.get("/en/events/calendar.ics").data
    second = client.get("/en/events/calendar.ics").data
    assert first == second
    with Session(get_engine(app)) as session:
        bristol = session.exec(select(Event).where(Event.slug == "2025-conference-bristol")).one()
        stamp = bristol.updated_at
    (event,) = vevents(parse(client.get("/en/events/2025-conference-bristol/calendar.ics").data))
    assert event.decoded("dtstamp").replace(tzinfo=None) == stamp
    assert event.decoded("last-modified").replace(tzinfo=None) == stamp


def test_reloading_unchanged_data_keeps_the_calendar_byte_for_byte(app, client):
    before = client.get("/en/events/calendar.ics").data
    with Session(get_engine(app)) as session:
        report = load_events(session)
    assert report.unchanged == 64
    assert client.get("/en/events/calendar.ics").data == before


def test_calendar_properties_for_subscribers(client):
    calendar = parse(client.get("/de/events/calendar.ics?type=annual_conference").data)
    assert str(calendar["x-wr-calname"]) == "Veranstaltungen: Jahreskonferenzen · IASSIST"
    assert str(calendar["name"]) == str(calendar["x-wr-calname"])
    assert calendar.decoded("refresh-interval") == timedelta(days=1)
    assert str(calendar["x-published-ttl"]) == "P1D"  # an X- property: read back as text
    assert str(calendar["method"]) == "PUBLISH"
    assert str(calendar["source"]).endswith("/de/events/calendar.ics?type=annual_conference")


def test_texts_in_the_calendars_language(client):
    (fr,) = vevents(parse(client.get("/fr/events/2025-conference-bristol/calendar.ics").data))
    assert str(fr["location"]) == "Bristol, Royaume-Uni"
    assert str(fr["summary"]) == "IASSIST 2025"
    assert "Conférence annuelle de l’IASSIST, 2025." in str(fr["description"])
    assert "Dates\u00a0: 3–6 juin 2025" in str(fr["description"]).replace("\u2009", "")
    assert str(fr["url"]).endswith("/fr/events/2025-conference-bristol/")
    (es,) = vevents(parse(client.get("/es/events/2025-conference-bristol/calendar.ics").data))
    assert str(es["location"]) == "Bristol, Reino Unido"
    (de,) = vevents(parse(client.get("/de/events/2026-conference-online/calendar.ics").data))
    assert str(de["location"]) == "Online"
    assert "Format: Virtuell" in str(de["description"])


def test_second_opinion_ics_py_reads_the_same_events(client, reference):
    text = client.get("/en/events/calendar.ics?region=canada").data.decode("utf-8")
    calendar = ics.Calendar(text)
    expected = sorted(r["start_date"] for r in dated(reference) if r["region"] == "canada")
    assert sorted(e.begin.date().isoformat() for e in calendar.events) == expected
    for event in calendar.events:
        assert event.all_day
        assert event.uid.endswith("@iassistdata.org")
        assert event.url.startswith("http://localhost/en/events/")


def test_second_opinion_recurring_ical_events_lists_the_occurrences(client, reference):
    calendar = parse(client.get("/pt/events/calendar.ics").data)
    occurrences = recurring_ical_events.of(calendar).between(date(2000, 1, 1), date(2010, 1, 1))
    expected = [r for r in dated(reference) if "2000-01-01" <= r["start_date"] < "2010-01-01"]
    assert len(occurrences) == len(expected)


@pytest.mark.parametrize(
    "query",
    ["year=abc", "year=2010-2000", "type=workshop", "region=mars", "year=2020&year=2021",
     "region=" + "x" * 50, "year=+2024"],
)
def test_bad_filter_is_a_localized_400(client, query):
    response = client.get(f"/fr/events/calendar.ics?{query}")
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert "Requête incorrecte" in response.get_data(as_text=True)


def test_unknown_event_or_event_without_days_has_no_calendar(client):
    assert client.get("/en/events/no-such-event/calendar.ics").status_code == 404
    assert client.get("/en/events/1976-joint-meeting-edinburgh/calendar.ics").status_code == 404


def test_etag_and_304(client):
    url = "/es/events/calendar.ics?year=2000-2009"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    other = client.get("/es/events/calendar.ics?year=2010-2019")
    assert other.headers["ETag"] != etag
    assert client.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200


def test_security_headers_on_calendars(client):
    response = client.get("/en/events/calendar.ics")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src" in response.headers["Content-Security-Policy"]
    assert response.headers["Content-Disposition"] == 'attachment; filename="iassist-events.ics"'
    assert "Set-Cookie" not in response.headers
