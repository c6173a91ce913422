"""Downloading the PDFs over real HTTP (waitress): headers, conditional and range
requests, HEAD, the official override, and nothing but the ten documents (every other
path is a 404, never a file from elsewhere, never a 500). And the About page's list.
"""

from __future__ import annotations

import hashlib
import http.client
import re
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from tests.browser.conftest_brochures import (  # noqa: F401 - brochure_site is a fixture
    DOWNLOAD_NAMES,
    brochure_site,
    clone_site,
    official_pdf,
)
from tests.conftest import LiveServer
from webapp.brochures.build import build_missing
from webapp.brochures.media import documents_for_media, format_size, language_order
from webapp.brochures.models import KINDS
from webapp.brochures.views import download_name
from webapp.i18n import LOCALES, language_name

DOCUMENTS = [(kind, locale) for kind in KINDS for locale in LOCALES]


@pytest.fixture
def app(brochure_site):
    """The site with the ten PDFs built (overrides tests/conftest.py's ``app``, so that
    ``client`` and ``live_server`` serve it)."""
    return brochure_site.app


def fetch(server, path, headers=None, method="GET"):
    """(status, headers, body) of one request, sent as is (no normalisation of the path,
    no redirect followed)."""
    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("kind,locale", DOCUMENTS)
def test_download_headers(brochure_site, live_server, kind, locale):
    result = brochure_site.result(kind, locale)
    data = result.file.read_bytes()
    status, headers, body = fetch(live_server, f"/en/media/{kind}-{locale}.pdf")
    assert status == 200
    assert headers["Content-Type"] == "application/pdf"
    assert body == data and body.startswith(b"%PDF-")
    assert int(headers["Content-Length"]) == len(data)
    assert headers["ETag"] == f'"{hashlib.sha256(data).hexdigest()}"'
    assert parsedate_to_datetime(headers["Last-Modified"]).timestamp() == int(result.file.stat().st_mtime)
    assert "max-age=86400" in headers["Cache-Control"]
    assert headers["Accept-Ranges"] == "bytes"
    assert headers["Content-Language"] == locale
    disposition = headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    name = DOWNLOAD_NAMES[kind, locale]
    if name.isascii():
        assert f"filename={name}" in disposition
    else:
        assert f"filename*=UTF-8''{quote(name)}" in disposition


def test_download_name_is_in_the_documents_language(app):
    with app.app_context():
        names = {(kind, locale): download_name(kind, locale) for kind, locale in DOCUMENTS}
    assert names == DOWNLOAD_NAMES


def test_french_brochure_name_is_sent_as_rfc_6266_filename_star(live_server):
    status, headers, _ = fetch(live_server, "/de/media/brochure-fr.pdf")
    assert status == 200
    assert "filename*=UTF-8''IASSIST-" in headers["Content-Disposition"]
    assert "fran%C3%A7ais.pdf" in headers["Content-Disposition"]


def test_conditional_requests(live_server):
    path = "/en/media/brochure-de.pdf"
    _, headers, _ = fetch(live_server, path)
    status, again, body = fetch(live_server, path, {"If-None-Match": headers["ETag"]})
    assert (status, body) == (304, b"")
    assert again["ETag"] == headers["ETag"]
    status, _, body = fetch(live_server, path, {"If-Modified-Since": headers["Last-Modified"]})
    assert (status, body) == (304, b"")
    status, _, body = fetch(live_server, path, {"If-None-Match": '"0000"'})
    assert status == 200 and body.startswith(b"%PDF")
    status, _, _ = fetch(live_server, path, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
    assert status == 200


def test_range_requests(brochure_site, live_server):
    data = brochure_site.result("factsheet", "es").file.read_bytes()
    path = "/pt/media/factsheet-es.pdf"
    status, headers, body = fetch(live_server, path, {"Range": "bytes=0-99"})
    assert status == 206
    assert headers["Content-Range"] == f"bytes 0-99/{len(data)}"
    assert body == data[:100]
    status, headers, body = fetch(live_server, path, {"Range": "bytes=-50"})
    assert status == 206 and body == data[-50:]
    status, headers, _ = fetch(live_server, path, {"Range": "bytes=999999999-"})
    assert status == 416
    assert headers["Content-Range"] == f"bytes */{len(data)}"
    # A range with a stale validator gets the whole, current file.
    status, _, body = fetch(live_server, path, {"Range": "bytes=0-99", "If-Range": '"stale"'})
    assert status == 200 and body == data


def test_head(brochure_site, live_server):
    data = brochure_site.result("brochure", "pt").file.read_bytes()
    status, headers, body = fetch(live_server, "/pt/media/brochure-pt.pdf", method="HEAD")
    assert status == 200
    assert body == b""
    assert int(headers["Content-Length"]) == len(data)
    assert headers["Content-Type"] == "application/pdf"
    assert headers["ETag"] == f'"{hashlib.sha256(data).hexdigest()}"'


@pytest.mark.parametrize("path", [
    "/en/media/brochure-xx.pdf",
    "/en/media/leaflet-fr.pdf",
    "/xx/media/brochure-fr.pdf",
    "/en/media/brochure-FR.pdf",
    "/en/media/Brochure-fr.pdf",
    "/en/media/brochure-fr.PDF",
    "/en/media/brochure-fr.pdf.exe",
    "/en/media/brochure-fr",
    "/en/media/brochure.pdf",
    "/en/media/-fr.pdf",
    "/en/media/fr.pdf",
    "/en/media/brochure-fr.pdf/..",
    "/en/media/brochure-fr.pdf/",
    "/en/media/../media/brochure-fr.pdf",
    "/en/media/../../../../etc/passwd",
    "/en/media/..%2f..%2f..%2fetc%2fpasswd",
    "/en/media/%2e%2e/%2e%2e/etc/passwd",
    "/en/media/%2e%2e%2fbrochure-fr.pdf",
    "/en/media/brochure-fr.pdf%00",
    "/en/media/brochure-fr%00.pdf",
    "/en/media/brochure-%00fr.pdf",
    "/en/media/%00",
    "/en/media/brochure-fr.pdf%2f..",
    "/en/media/brochure-f%C3%A9.pdf",
    "/en/media/brochure-fr%0a.pdf",
    "/en/media/",
    "/en/media",
])
def test_anything_else_is_a_404(live_server, path):
    status, headers, body = fetch(live_server, path)
    assert status == 404, (path, status)
    assert headers["Content-Type"].startswith("text/html")
    assert not body.startswith(b"%PDF")


def test_bad_methods_are_405_not_500(live_server):
    status, _, _ = fetch(live_server, "/en/media/brochure-fr.pdf", method="POST")
    assert status == 405


def test_official_pdf_is_served_instead(brochure_site, tmp_path):
    app = clone_site(brochure_site, tmp_path)
    official_dir = Path(app.config["OFFICIAL_BROCHURE_DIR"])
    official_dir.mkdir()
    supplied = official_pdf("Brochure IASSIST (2012)")
    (official_dir / "brochure-fr.pdf").write_bytes(supplied)
    build_missing(app)
    with LiveServer(app) as server:
        status, headers, body = fetch(server, "/fr/media/brochure-fr.pdf")
        assert status == 200
        assert body == supplied
        assert headers["ETag"] == f'"{hashlib.sha256(supplied).hexdigest()}"'
        assert headers["Content-Type"] == "application/pdf"
        # The other documents are still the generated ones.
        status, _, body = fetch(server, "/fr/media/brochure-de.pdf")
        assert body == brochure_site.result("brochure", "de").file.read_bytes()
        # The About page gives the official file's size.
        status, _, page = fetch(server, "/fr/about/")
        expected = format_size(len(supplied), "fr")
        assert re.search(rb'hreflang="fr"[^>]*>Fran\xc3\xa7ais</a> \(PDF, ' + expected.encode() + rb"\)", page)


def test_recorded_file_gone_is_a_404_not_a_500(brochure_site, tmp_path):
    app = clone_site(brochure_site, tmp_path)
    (Path(app.config["BROCHURE_DIR"]) / "factsheet-pt.pdf").unlink()
    response = app.test_client().get("/en/media/factsheet-pt.pdf")
    assert response.status_code == 404


def test_nothing_built_is_a_404_and_an_about_page_without_media(empty_app):
    client = empty_app.test_client()
    assert client.get("/en/media/brochure-en.pdf").status_code == 404
    response = client.get("/en/about/")
    assert response.status_code == 200
    assert b'id="media-heading"' not in response.data


# --- the About page's Media section -------------------------------------------------


def test_format_size_uses_cldr_units():
    def plain(text):  # CLDR separates with (narrow) no-break spaces
        return re.sub(r"\s", " ", text)

    assert plain(format_size(245_123, "fr")) == "245 ko"
    assert plain(format_size(245_123, "en")) == "245 kB"
    assert plain(format_size(1_234_567, "de")) == "1,2 MB"
    assert plain(format_size(1_200_000, "en")) == "1.2 MB"
    assert plain(format_size(20, "en")) == "1 kB"
    with pytest.raises(ValueError):
        format_size(-1, "en")


def test_language_order():
    assert language_order("pt") == ["pt", "en", "fr", "de", "es"]
    assert language_order("en") == list(LOCALES)
    assert language_order("xx") == list(LOCALES)


@pytest.mark.parametrize("locale", LOCALES)
def test_about_page_lists_the_documents_own_language_first(brochure_site, client, locale):
    response = client.get(f"/{locale}/about/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    section = html[html.index('id="media-heading"'):]
    links = re.findall(r'<a href="(/[^"]+)" hreflang="(\w+)" lang="(\w+)" type="application/pdf">([^<]+)</a> \(([^)]*)\)', section)
    assert len(links) == 10
    order = [locale] + [c for c in LOCALES if c != locale]
    assert [link[1] for link in links] == order * 2
    for (href, hreflang, lang, name, meta), kind in zip(links, ["brochure"] * 5 + ["factsheet"] * 5):
        assert href == f"/{locale}/media/{kind}-{hreflang}.pdf"
        assert lang == hreflang
        assert name == language_name(hreflang)
        size = brochure_site.result(kind, hreflang).size
        assert format_size(size, locale) in meta
        # The link works.
        download = client.get(href)
        assert download.status_code == 200 and download.data.startswith(b"%PDF")


def test_documents_for_media(brochure_site):
    app = brochure_site.app
    from sqlmodel import Session

    from webapp.db import get_engine

    with app.test_request_context("/fr/about/"), Session(get_engine(app)) as session:
        groups = documents_for_media(session, "fr")
    assert [g.kind for g in groups] == ["brochure", "factsheet"]
    first = groups[0].items[0]
    assert (first.locale, first.name, first.url, first.pages) == ("fr", "Français", "/fr/media/brochure-fr.pdf", 2)
    assert first.size_text.endswith("ko")
