"""Caching that is always correct: a load reaches every process without a restart, the
date moves events from upcoming to past, validators and 304s, Cache-Control, Vary, no
cookie on a page view, compression (once per cached response) and static files with
hashed names, immutable caching and precompressed variants."""

from __future__ import annotations

import gzip
import http.client
import re
import time
from datetime import date
from urllib.parse import urlsplit

import brotli
from sqlmodel import Session
from webapp import http_cache
from webapp.db import get_engine
from webapp.events.loader import EVENTS_FILE, TRANSLATIONS_FILE, load_events

from tests.conftest import LiveServer, make_app

BRISTOL = "/en/events/2025-conference-bristol/"
HTMX = {"HX-Request": "true", "HX-Target": "event-results", "HX-Trigger": "facet-type"}


def fetch(url, path, headers=None):
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def renamed_events_file(tmp_path, old, new):
    path = tmp_path / "events.csv"
    path.write_text(EVENTS_FILE.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return path


def test_a_load_reaches_another_running_process_within_a_second(app, tmp_path):
    # A second app on the same SQLite file, served by waitress: another process's view.
    other = make_app(tmp_path)
    with LiveServer(other) as server:
        for _ in range(2):  # the second answer comes from its response cache
            status, _, body = fetch(server.url, BRISTOL)
            assert status == 200 and b"Bristol" in body and b"Avon" not in body
        events = renamed_events_file(tmp_path, ",Bristol,", ",Bristol upon Avon,")
        with Session(get_engine(app)) as session:
            report = load_events(session, events, TRANSLATIONS_FILE)
        assert report.updated == 1
        loaded = time.monotonic()
        seen = None
        while time.monotonic() - loaded < 1.0:
            if b"Bristol upon Avon" in fetch(server.url, BRISTOL)[2]:
                seen = time.monotonic() - loaded
                break
            time.sleep(0.05)
        assert seen is not None, "the other process still served the old data after 1 s"


def test_the_same_process_serves_a_load_at_once(client, app, tmp_path):
    assert b"Bristol upon Avon" not in client.get(BRISTOL).data
    events = renamed_events_file(tmp_path, ",Bristol,", ",Bristol upon Avon,")
    with Session(get_engine(app)) as session:
        load_events(session, events, TRANSLATIONS_FILE)
    assert b"Bristol upon Avon" in client.get(BRISTOL).data


def test_an_event_moves_from_upcoming_to_past_when_the_date_changes(app, client):
    vancouver = "/en/events/2027-conference-vancouver/"
    assert b"badge-upcoming" in client.get(vancouver).data
    first = re.search(r'class="event-title"><a href="([^"]+)"', client.get("/en/events/").text)
    assert first.group(1) == vancouver
    # The next day after the conference ends: same process, same caches, another date.
    app.config["IASSIST_TODAY"] = date(2027, 5, 29)
    assert b"badge-upcoming" not in client.get(vancouver).data
    listing = client.get("/en/events/?year=2027").text
    assert "badge-upcoming" not in listing
    assert client.get("/en/events/").text.count('class="event-title"') == 20


def test_pages_have_a_validator_and_answer_304(client):
    for path, headers in [("/en/events/", {}), ("/fr/events/?type=joint_meeting", HTMX),
                          (BRISTOL, {}), ("/de/about/", {}), ("/es/", {})]:
        first = client.get(path, headers=headers)
        assert first.status_code == 200, path
        etag = first.headers["ETag"]
        assert re.fullmatch(r'W/"[0-9a-f]{20}"', etag), etag
        again = client.get(path, headers={**headers, "If-None-Match": etag})
        assert again.status_code == 304, path
        assert again.data == b"" and again.headers["ETag"] == etag
        other = client.get(path, headers={**headers, "If-None-Match": 'W/"0000"'})
        assert other.status_code == 200 and other.data == first.data


def test_the_fragment_and_the_page_have_different_validators(client):
    page = client.get("/en/events/?type=joint_meeting")
    fragment = client.get("/en/events/?type=joint_meeting", headers=HTMX)
    assert page.headers["ETag"] != fragment.headers["ETag"]
    assert client.get(
        "/en/events/?type=joint_meeting", headers={**HTMX, "If-None-Match": page.headers["ETag"]}
    ).status_code == 200


def test_public_pages_may_be_kept_briefly_by_a_shared_cache_and_set_no_cookie(client):
    for path in ("/en/", "/en/events/", "/pt/events/?region=europe", BRISTOL, "/fr/conferences/"):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "public, max-age=0, s-maxage=2", path
        assert "Set-Cookie" not in response.headers, path


def test_vary_names_exactly_what_changes_the_body(client):
    browse = client.get("/en/events/")
    assert [v.strip() for v in browse.headers["Vary"].split(",")] == [
        "HX-Request", "HX-Target", "HX-Trigger", "HX-History-Restore-Request", "Accept-Encoding",
    ]
    for path in ("/en/about/", BRISTOL, "/en/"):
        assert client.get(path).headers["Vary"] == "Accept-Encoding", path
    root = client.get("/")
    assert set(v.strip() for v in root.headers["Vary"].split(",")) == {"Accept-Language", "Cookie"}


def test_html_is_compressed_as_accepted_and_a_cached_response_only_once(client, monkeypatch):
    plain = client.get("/en/events/").data
    calls = []
    encode = http_cache._encode

    def counting(body, encoding):
        calls.append(encoding)
        return encode(body, encoding)

    monkeypatch.setattr(http_cache, "_encode", counting)
    for _ in range(3):
        response = client.get("/en/events/", headers={"Accept-Encoding": "gzip, deflate, br"})
        assert response.headers["Content-Encoding"] == "br"
        assert brotli.decompress(response.data) == plain
    response = client.get("/en/events/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.data) == plain
    assert calls == ["br", "gzip"]
    assert "Content-Encoding" not in client.get("/en/events/").headers


def test_static_files_have_hashed_names_immutable_caching_and_precompressed_variants(client):
    html = client.get("/en/events/").text
    urls = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert len(urls) == 4
    for url in urls:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js|svg)$", url), url
        with client.get(url) as plain:
            assert plain.headers["Cache-Control"] == "public, max-age=31536000, immutable"
            assert "Access-Control-Allow-Origin" not in plain.headers
            identity = plain.data
        if url.endswith(".svg"):
            continue  # 157 bytes: compressing would not make it smaller
        for encoding, decompress in (("br", brotli.decompress), ("gzip", gzip.decompress)):
            with client.get(url, headers={"Accept-Encoding": encoding}) as response:
                assert response.headers["Content-Encoding"] == encoding, url
                assert decompress(response.data) == identity
    with client.get(next(u for u in urls if u.endswith(".css"))) as response:
        css = response.text
    fonts = re.findall(r'url\("\.\./fonts/([^"]+)"\)', css)
    assert fonts and all(re.search(r"\.[0-9a-f]{12}\.woff2$", f) for f in fonts)


def test_the_first_view_of_the_event_browser_weighs_at_most_50_kb(live_server):
    accept = {"Accept-Encoding": "gzip, deflate, br"}
    status, headers, html = fetch(live_server.url, "/en/events/", accept)
    assert status == 200
    text = brotli.decompress(html).decode()
    sizes = {"/en/events/": len(html)}
    for url in re.findall(r'(?:href|src)="(/static/[^"]+)"', text):
        status, headers, body = fetch(live_server.url, url, accept)
        assert status == 200
        sizes[url] = len(body)
        if url.endswith(".css"):
            css = brotli.decompress(body).decode()
            # The faces the page's text needs: the regular and the bold Latin subsets.
            for font in re.findall(r'url\("\.\./(fonts/source-sans-3-site-[^"]+)"\)', css):
                status, _, data = fetch(live_server.url, "/static/" + font, accept)
                assert status == 200
                sizes[font] = len(data)
    assert len(sizes) == 7, sizes
    assert sum(sizes.values()) <= 50_000, sizes


def test_kept_fragments_follow_a_load_the_date_and_the_locale(tmp_path):
    """Without the whole-response cache, what the pages keep per data version (the
    header, the event page's body, the About page's body) still follows a load, the date
    and the locale."""
    app = make_app(tmp_path, RESPONSE_CACHE_SIZE=0)
    with Session(get_engine(app)) as session:
        load_events(session)
    client = app.test_client()
    vancouver = "/en/events/2027-conference-vancouver/"
    for _ in range(2):
        page = client.get(BRISTOL).text
        assert "Bristol" in page and "Bristol upon Avon" not in page
        assert 'hreflang="fr" lang="fr"' in page and ">Events</a>" in page
        assert ">Événements</a>" in client.get(BRISTOL.replace("/en/", "/fr/")).text
        assert "badge-upcoming" in client.get(vancouver).text
        assert "<h1>About IASSIST</h1>" in client.get("/en/about/").text
        assert "<h1>Über IASSIST</h1>" in client.get("/de/about/").text
    events = renamed_events_file(tmp_path, ",Bristol,", ",Bristol upon Avon,")
    with Session(get_engine(app)) as session:
        load_events(session, events, TRANSLATIONS_FILE)
    assert "Bristol upon Avon" in client.get(BRISTOL).text
    app.config["IASSIST_TODAY"] = date(2027, 5, 29)
    assert "badge-upcoming" not in client.get(vancouver).text


def test_a_revalidation_is_answered_from_the_kept_validator_until_a_load(tmp_path):
    """Even with no whole response kept, a 304 is answered from the URL's validator
    without entering the app; after a load the old validator no longer matches."""
    app = make_app(tmp_path, RESPONSE_CACHE_SIZE=0)
    with Session(get_engine(app)) as session:
        load_events(session)
    entered = []
    app.before_request(lambda: entered.append(1))
    client = app.test_client()
    first = client.get(BRISTOL)
    etag = first.headers["ETag"]
    assert len(entered) == 1
    for _ in range(3):
        again = client.get(BRISTOL, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.headers["ETag"] == etag
        assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
        assert "Content-Type" not in again.headers
    assert len(entered) == 1
    other = client.get(BRISTOL, headers={"If-None-Match": 'W/"0000"'})
    assert other.status_code == 200 and other.data == first.data and len(entered) == 2
    events = renamed_events_file(tmp_path, ",Bristol,", ",Bristol upon Avon,")
    with Session(get_engine(app)) as session:
        load_events(session, events, TRANSLATIONS_FILE)
    changed = client.get(BRISTOL, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and b"Bristol upon Avon" in changed.data
    assert changed.headers["ETag"] != etag
