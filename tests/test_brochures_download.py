"""Downloading the editions over real HTTP (waitress): headers, conditional and range
requests, HEAD, for the current and the printed editions alike; nothing but the sixteen
editions (every other path a 404, never a file from elsewhere, never a 500); the
previews; and the About page's list in each language.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import re
from datetime import date
from email.utils import parsedate_to_datetime
from html import unescape as html_unescape
from urllib.parse import quote, urlsplit

import pytest
from PIL import Image
from sqlmodel import Session, select
from webapp.brochures.media import format_size, language_order
from webapp.brochures.models import Edition, PdfFile
from webapp.brochures.views import download_name
from webapp.db import get_engine

LOCALES = ["en", "fr", "de", "pt", "es"]
CURRENT = [f"{kind}-{locale}" for kind in ("brochure", "factsheet") for locale in LOCALES]
PRINTED = [
    "brochure-en-2013-05",
    "brochure-fr-2012-06",
    "brochure-de-2013-05",
    "brochure-pt-2012-06",
    "brochure-es-2012-06",
    "factsheet-en-2016-06",
]
#: The file names a visitor sees in the browser's download bar: the document's kind and
#: language in the document's own language, the month of a printed edition.
DOWNLOAD_NAMES = {
    "brochure-en": "IASSIST-brochure-English.pdf",
    "brochure-fr": "IASSIST-dépliant-français.pdf",
    "brochure-de": "IASSIST-Broschüre-Deutsch.pdf",
    "brochure-pt": "IASSIST-folheto-português.pdf",
    "brochure-es": "IASSIST-folleto-español.pdf",
    "factsheet-en": "IASSIST-factsheet-English.pdf",
    "factsheet-fr": "IASSIST-fiche-de-présentation-français.pdf",
    "factsheet-de": "IASSIST-Faktenblatt-Deutsch.pdf",
    "factsheet-pt": "IASSIST-ficha-informativa-português.pdf",
    "factsheet-es": "IASSIST-ficha-informativa-español.pdf",
    "brochure-en-2013-05": "IASSIST-brochure-English-2013-05.pdf",
    "brochure-fr-2012-06": "IASSIST-dépliant-français-2012-06.pdf",
    "brochure-de-2013-05": "IASSIST-Broschüre-Deutsch-2013-05.pdf",
    "brochure-pt-2012-06": "IASSIST-folheto-português-2012-06.pdf",
    "brochure-es-2012-06": "IASSIST-folleto-español-2012-06.pdf",
    "factsheet-en-2016-06": "IASSIST-factsheet-English-2016-06.pdf",
}


@pytest.fixture
def app(brochure_site):
    """The site with every edition in the store (overrides tests/conftest.py's ``app``,
    so that ``client`` and ``live_server`` serve it)."""
    return brochure_site.app


@pytest.fixture(scope="module")
def editions(brochure_site):
    """name -> (Edition row, PDF bytes)."""
    with Session(get_engine(brochure_site.app)) as session:
        return {
            row.name: (row, session.get(PdfFile, row.sha256).data)
            for row in session.exec(select(Edition)).all()
        }


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


def test_sixteen_editions(editions):
    assert sorted(editions) == sorted(CURRENT + PRINTED)


@pytest.mark.parametrize("name", CURRENT + PRINTED)
def test_download_headers(editions, live_server, name):
    row, data = editions[name]
    status, headers, body = fetch(live_server, f"/en/media/{name}.pdf")
    assert status == 200
    assert headers["Content-Type"] == "application/pdf"
    assert body == data and body.startswith(b"%PDF-")
    assert int(headers["Content-Length"]) == len(data)
    assert headers["ETag"] == f'"{hashlib.sha256(data).hexdigest()}"'
    assert parsedate_to_datetime(headers["Last-Modified"]).timestamp() == int(
        row.modified.timestamp()
        if row.modified.tzinfo
        else row.modified.replace(tzinfo=parsedate_to_datetime(headers["Date"]).tzinfo).timestamp()
    )
    assert headers["Cache-Control"] == "public, max-age=86400"
    assert headers["Accept-Ranges"] == "bytes"
    assert headers["Content-Language"] == name.split("-")[1]  # the document's, not the page's
    disposition = headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote(DOWNLOAD_NAMES[name])}" in disposition or (
        DOWNLOAD_NAMES[name].isascii() and f"filename={DOWNLOAD_NAMES[name]}" in disposition
    )


def test_download_names_are_in_the_documents_language(app):
    with app.app_context():
        names = {
            name: download_name(
                name.split("-")[0], name.split("-")[1], "-".join(name.split("-")[2:]) or None
            )
            for name in DOWNLOAD_NAMES
        }
    assert names == DOWNLOAD_NAMES


@pytest.mark.parametrize("path", ["/en/media/brochure-de.pdf", "/fr/media/brochure-fr-2012-06.pdf"])
def test_conditional_requests(live_server, path):
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


@pytest.mark.parametrize("name", ["factsheet-es", "brochure-pt-2012-06"])
def test_range_requests(editions, live_server, name):
    data = editions[name][1]
    path = f"/pt/media/{name}.pdf"
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


def test_head(editions, live_server):
    data = editions["brochure-pt"][1]
    status, headers, body = fetch(live_server, "/pt/media/brochure-pt.pdf", method="HEAD")
    assert status == 200
    assert body == b""
    assert int(headers["Content-Length"]) == len(data)
    assert headers["Content-Type"] == "application/pdf"
    assert headers["ETag"] == f'"{hashlib.sha256(data).hexdigest()}"'


@pytest.mark.parametrize(
    "path",
    [
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
        "/en/media/brochure-fr-2013-05.pdf",  # no such printed edition
        "/en/media/factsheet-fr-2016-06.pdf",  # the factsheet is printed in English only
        "/en/media/brochure-fr-2012-13.pdf",
        "/en/media/brochure-fr-2012-6.pdf",
        "/en/media/brochure-fr-2012-06-zzzzzzzz.pdf",
        "/static/previews/../../webapp/config.py",
        "/static/previews/0000000000.webp",
        "/static/previews/00000000000000000000.webp",
    ],
)
def test_anything_else_is_a_404(live_server, path):
    status, headers, body = fetch(live_server, path)
    assert status == 404, (path, status)
    assert not body.startswith(b"%PDF")


def test_bad_methods_are_405_not_500(live_server):
    status, _, _ = fetch(live_server, "/en/media/brochure-fr.pdf", method="POST")
    assert status == 405


def test_nothing_built_is_a_404_and_an_about_page_without_media(empty_app):
    client = empty_app.test_client()
    assert client.get("/en/media/brochure-en.pdf").status_code == 404
    assert client.get("/en/media/brochure-en-2013-05.pdf").status_code == 404
    response = client.get("/en/about/")
    assert response.status_code == 200
    assert b'id="media-heading"' not in response.data


# --- previews ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", CURRENT + PRINTED)
def test_preview_of_the_first_page(editions, live_server, name):
    """A WebP image twice the size stated in the list (sharp on high-density screens), 112
    CSS pixels high, as wide as the page's proportions make it; cached for a year."""
    row, data = editions[name]
    width = (
        {"brochure": 145, "factsheet": 79}[row.kind]
        if row.source == "printed"
        else ({"brochure": 158, "factsheet": 79}[row.kind])
    )  # US Letter / A4 landscape, A4 portrait
    assert (row.preview_width, row.preview_height) == (width, 112)
    status, headers, body = fetch(live_server, f"/static/previews/{row.sha256[:20]}.webp")
    assert status == 200
    assert headers["Content-Type"] == "image/webp"
    assert "max-age=31536000" in headers["Cache-Control"]
    assert "immutable" in headers["Cache-Control"]
    image = Image.open(io.BytesIO(body))
    assert (image.format, image.size) == ("WEBP", (2 * width, 224))


def test_preview_is_the_first_page(editions, live_server):
    """The French printed brochure's cover is dark blue (#063a5f-ish) on its right third;
    the preview shows it there, white paper on the left."""
    row, _ = editions["brochure-fr-2012-06"]
    _, _, body = fetch(live_server, f"/static/previews/{row.sha256[:20]}.webp")
    image = Image.open(io.BytesIO(body)).convert("RGB")
    assert sum(image.getpixel((10, 200))) > 600  # near white
    current, _ = editions["brochure-fr"]
    _, _, body = fetch(live_server, f"/static/previews/{current.sha256[:20]}.webp")
    image = Image.open(io.BytesIO(body)).convert("RGB")
    r, g, b = image.getpixel((290, 100))  # the generated cover: the site's dark blue
    assert b > r and sum((r, g, b)) < 300


# --- the About page's list ---------------------------------------------------------------

LABELS = {
    "en": (
        "Printed edition, {month}",
        "Current edition, generated from this site on November 22, 2026",
    ),
    "fr": (
        "Édition imprimée, {month}",
        "Édition actuelle, générée à partir de ce site le 22 novembre 2026",
    ),
    "de": (
        "Gedruckte Ausgabe, {month}",
        "Aktuelle Ausgabe, am 22. November 2026 aus dieser Website erstellt",
    ),
    "pt": (
        "Edição impressa, {month}",
        "Edição atual, gerada a partir deste site em 22 de novembro de 2026",
    ),
    "es": (
        "Edición impresa, {month}",
        "Edición actual, generada a partir de este sitio el 22 de noviembre de 2026",
    ),
}
MONTHS = {
    "en": {"2012-06": "June 2012", "2013-05": "May 2013", "2016-06": "June 2016"},
    "fr": {"2012-06": "juin 2012", "2013-05": "mai 2013", "2016-06": "juin 2016"},
    "de": {"2012-06": "Juni 2012", "2013-05": "Mai 2013", "2016-06": "Juni 2016"},
    "pt": {"2012-06": "junho de 2012", "2013-05": "maio de 2013", "2016-06": "junho de 2016"},
    "es": {"2012-06": "junio de 2012", "2013-05": "mayo de 2013", "2016-06": "junio de 2016"},
}
#: Language headings, in the page's language: the visitor's own first.
LANGUAGES = {
    "en": ["English", "French", "German", "Portuguese", "Spanish"],
    "fr": ["Français", "Anglais", "Allemand", "Portugais", "Espagnol"],
    "de": ["Deutsch", "Englisch", "Französisch", "Portugiesisch", "Spanisch"],
    "pt": ["Português", "Inglês", "Francês", "Alemão", "Espanhol"],
    "es": ["Español", "Inglés", "Francés", "Alemán", "Portugués"],
}
ENGLISH_ONLY = {
    "en": "English only",
    "fr": "en anglais uniquement",
    "de": "nur auf Englisch",
    "pt": "somente em inglês",
    "es": "solo en inglés",
}
DETAILS = {
    ("en", "brochure-fr-2012-06"): "2 pages, 1.4 MB, PDF",
    ("fr", "brochure-fr-2012-06"): "2 pages, 1,4\u202fMo, PDF",  # CLDR: narrow no-break space
    ("de", "brochure-de-2013-05"): "2 Seiten, 690 kB, PDF",
    ("pt", "factsheet-en-2016-06"): "1 página, 125 kB, PDF",
    ("es", "brochure-es-2012-06"): "2 páginas, 1,2 MB, PDF",
}
LINK = re.compile(
    r'<img class="media-preview" src="(/static/previews/[0-9a-f]{20}\.webp)" width="(\d+)" '
    r'height="(\d+)" loading="lazy" alt="([^"]+)">\s*<span><a href="([^"]+)" hreflang="(\w+)" '
    r'type="application/pdf">([^<]+)</a>(?: <strong class="english-only">\(([^)]+)\)</strong>)?, '
    r"([^<]+)</span>"
)


def about_list(client, locale):
    html = client.get(f"/{locale}/about/").get_data(as_text=True)
    section = html[html.index('id="media-heading"') :]
    brochure, factsheet = section.split('id="media-factsheet"')
    headings = [
        re.findall(r'<h4 id="media-\w+-(\w+)">([^<]+)</h4>', part) for part in (brochure, factsheet)
    ]
    links = [
        [tuple(html_unescape(v) for v in link) for link in LINK.findall(part)]
        for part in (brochure, factsheet)
    ]
    return headings, links


@pytest.mark.parametrize("locale", LOCALES)
def test_about_page_lists_both_editions_of_the_visitors_language_first(client, editions, locale):
    (brochure_heads, factsheet_heads), (brochure, factsheet) = about_list(client, locale)
    order = [locale] + [c for c in LOCALES if c != locale]
    assert [h[0] for h in brochure_heads] == order == [h[0] for h in factsheet_heads]
    assert [h[1] for h in brochure_heads] == LANGUAGES[locale]
    printed_label, current_label = LABELS[locale]
    # Brochure: per language, the printed edition then the current one.
    assert len(brochure) == 10
    for index, code in enumerate(order):
        printed, current = brochure[2 * index], brochure[2 * index + 1]
        name = next(n for n in PRINTED if n.startswith(f"brochure-{code}-"))
        assert printed[4] == f"/{locale}/media/{name}.pdf" and printed[5] == code
        assert printed[6] == printed_label.format(month=MONTHS[locale][name[-7:]])
        assert current[4] == f"/{locale}/media/brochure-{code}.pdf" and current[5] == code
        assert current[6] == current_label
        assert (printed[1], printed[2], current[1], current[2]) == ("145", "112", "158", "112")
    # Factsheet: per language, its current edition, and the printed one in English only.
    assert len(factsheet) == 10
    english_printed = [f for f in factsheet if f[4].endswith("factsheet-en-2016-06.pdf")]
    assert len(english_printed) == 5
    for item in english_printed:
        assert item[5] == "en" and item[7] == ENGLISH_ONLY[locale]
        assert item[6] == printed_label.format(month=MONTHS[locale]["2016-06"])
    own = [f for f in factsheet if not f[4].endswith("2016-06.pdf")]
    assert [f[5] for f in own] == order
    if locale == "en":
        assert [f[4] for f in factsheet[:2]] == [
            "/en/media/factsheet-en-2016-06.pdf",
            "/en/media/factsheet-en.pdf",
        ]
    else:
        assert [f[4] for f in factsheet[:2]] == [
            f"/{locale}/media/factsheet-{locale}.pdf",
            f"/{locale}/media/factsheet-en-2016-06.pdf",
        ]
    # Every link downloads its edition.
    for item in brochure + factsheet:
        name = item[4].rsplit("/", 1)[1][:-4]
        response = client.get(item[4])
        assert response.status_code == 200 and response.data == editions[name][1]
        row = editions[name][0]
        assert item[0] == f"/static/previews/{row.sha256[:20]}.webp"


@pytest.mark.parametrize("locale,name", list(DETAILS))
def test_about_page_gives_pages_and_size_in_the_visitors_language(client, locale, name):
    _, (brochure, factsheet) = about_list(client, locale)
    [item] = {i for i in brochure + factsheet if i[4] == f"/{locale}/media/{name}.pdf"}
    assert item[8] == DETAILS[locale, name]


def test_about_page_alt_text_names_document_language_and_edition(client):
    _, (brochure, factsheet) = about_list(client, "fr")
    assert (
        brochure[0][3]
        == "Première page\xa0: Dépliant de l’IASSIST, français, Édition imprimée, juin 2012"
    )
    assert factsheet[2][3] == (
        "Première page\xa0: Fiche de présentation de l’IASSIST, anglais, "
        "Édition imprimée, juin 2016"
    )


def test_about_page_credits_the_printed_editions(client):
    html = client.get("/de/about/").get_data(as_text=True)
    assert "Gedruckte Ausgaben: IASSIST, iassistdata.org, CC BY 4.0" in html


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
    assert language_order("en") == LOCALES
    assert language_order("xx") == LOCALES


def test_edition_dates_are_literal(editions):
    assert editions["brochure-fr-2012-06"][0].edition == date(2012, 6, 1)
