"""How the site is found and shared: the sitemap (valid against the sitemaps.org schema,
every URL answering 200, the five languages and x-default as alternates, lastmod from the
data), robots.txt, rel=canonical on every page and the share cards (Open Graph, Twitter)
in every language, with a real 1200×630 image."""

from __future__ import annotations

import io
from datetime import UTC
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
from lxml import etree
from PIL import Image
from sqlmodel import Session, func, select
from webapp.db import get_engine
from webapp.events.models import Event

VENDOR = Path(__file__).resolve().parent / "vendor"
REFERENCE = Path(__file__).resolve().parent / "reference"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
LOCALES = ("en", "fr", "de", "pt", "es")
OG_LOCALES = {"en": "en_US", "fr": "fr_FR", "de": "de_DE", "pt": "pt_BR", "es": "es_ES"}
#: Every kind of page (path after the locale).
PAGES = [
    "/", "/about/", "/conferences/", "/events/", "/events/?type=regional_workshop&region=africa",
    "/events/?type=annual_conference&page=2", "/events/2025-conference-bristol/",
    "/events/1976-joint-meeting-edinburgh/",
]


def sitemap_schema() -> etree.XMLSchema:
    """The sitemaps.org schema (vendored, unchanged) plus the schema of the xhtml:link
    element its strict wildcard needs, combined by one importing document."""
    driver = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:import namespace="http://www.sitemaps.org/schemas/sitemap/0.9"
                 schemaLocation="{(VENDOR / 'sitemap-0.9.xsd').as_uri()}"/>
      <xs:import namespace="http://www.w3.org/1999/xhtml"
                 schemaLocation="{(VENDOR / 'sitemap-xhtml-link.xsd').as_uri()}"/>
    </xs:schema>"""
    return etree.XMLSchema(etree.fromstring(driver.encode()))


def index_schema() -> etree.XMLSchema:
    """The sitemaps.org schema of sitemap index files (vendored, unchanged)."""
    return etree.XMLSchema(etree.parse(str(VENDOR / "siteindex-0.9.xsd")))


def fetch_xml(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    return etree.fromstring(response.data)


@pytest.fixture
def index(client):
    return fetch_xml(client, "/sitemap.xml")


@pytest.fixture
def sitemaps(client, index) -> list:
    """Every sitemap the index lists, parsed."""
    locs = [e.findtext(f"{SM}loc") for e in index.iter(f"{SM}sitemap")]
    return [fetch_xml(client, urlsplit(loc).path) for loc in locs]


@pytest.fixture
def sitemap(sitemaps):
    """All sitemaps' url elements under one urlset, as a crawler would see them."""
    merged = etree.Element(f"{SM}urlset")
    for tree in sitemaps:
        merged.extend(tree.findall(f"{SM}url"))
    return merged


def test_index_is_valid_and_lists_the_sections(index):
    schema = index_schema()
    assert schema.validate(index), schema.error_log
    locs = [e.findtext(f"{SM}loc") for e in index.iter(f"{SM}sitemap")]
    assert "http://localhost/sitemaps/site.xml" in locs
    assert len(locs) == len(set(locs))


def test_every_sitemap_is_valid_against_the_sitemaps_org_schema(sitemaps):
    schema = sitemap_schema()
    assert sitemaps
    for tree in sitemaps:
        assert schema.validate(tree), schema.error_log


def test_schemas_reject_broken_files(sitemaps, index):
    # The validation can fail: a url (or sitemap) without loc is refused.
    broken = etree.fromstring(etree.tostring(sitemaps[0]))
    first = broken.find(f"{SM}url")
    first.remove(first.find(f"{SM}loc"))
    assert not sitemap_schema().validate(broken)
    broken_index = etree.fromstring(etree.tostring(index))
    entry = broken_index.find(f"{SM}sitemap")
    entry.remove(entry.find(f"{SM}loc"))
    assert not index_schema().validate(broken_index)


def test_unknown_section_is_a_404(client):
    assert client.get("/sitemaps/nothing.xml").status_code == 404


def test_every_public_page_in_every_language(sitemap, app):
    locs = [u.findtext(f"{SM}loc") for u in sitemap.iter(f"{SM}url")]
    assert len(locs) == len(set(locs))
    paths = {urlsplit(loc).path for loc in locs}
    with Session(get_engine(app)) as session:
        slugs = session.exec(select(Event.slug)).all()
    assert len(slugs) == 64
    for locale in LOCALES:
        for page in ("/", "/about/", "/conferences/", "/events/"):
            assert f"/{locale}{page}" in paths
        for slug in slugs:
            assert f"/{locale}/events/{slug}/" in paths
    site = [p for p in paths if not p.split("/")[2:3] == ["programmes"]]
    assert len(site) == 5 * (4 + 64)


def test_each_url_lists_its_five_languages_and_x_default(sitemap):
    for url in sitemap.iter(f"{SM}url"):
        loc = url.findtext(f"{SM}loc")
        links = {
            link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")
        }
        assert set(links) == {*LOCALES, "x-default"}
        locale = urlsplit(loc).path.split("/")[1]
        assert links[locale] == loc
        rest = urlsplit(loc).path[3:]
        for code in LOCALES:
            assert urlsplit(links[code]).path == f"/{code}{rest}"
        assert links["x-default"] == links["en"]


def test_lastmod_comes_from_the_data(sitemap, index, app):
    with Session(get_engine(app)) as session:
        bristol = session.exec(select(Event).where(Event.slug == "2025-conference-bristol")).one()
        newest = session.exec(select(func.max(Event.updated_at))).one()
    lastmods = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in sitemap.iter(f"{SM}url")}
    expected = bristol.updated_at.replace(tzinfo=UTC).isoformat()
    assert lastmods["http://localhost/pt/events/2025-conference-bristol/"] == expected
    assert lastmods["http://localhost/de/events/"] == newest.replace(tzinfo=UTC).isoformat()
    # The About page shows no dated data: no lastmod rather than an invented one.
    assert lastmods["http://localhost/fr/about/"] is None
    # The index gives each section's newest date.
    sections = {e.findtext(f"{SM}loc"): e.findtext(f"{SM}lastmod") for e in index}
    assert sections["http://localhost/sitemaps/site.xml"] == newest.replace(tzinfo=UTC).isoformat()


def test_every_url_in_the_sitemaps_answers_200(live_server):
    """Over real HTTP (waitress), as a crawler would fetch them: the index, each sitemap,
    each URL."""
    import urllib.request

    def get(url: str):
        with urllib.request.urlopen(url) as response:
            assert response.status == 200, url
            return etree.fromstring(response.read())

    index = get(f"{live_server.url}/sitemap.xml")
    locs = []
    for entry in index.iter(f"{SM}sitemap"):
        loc = entry.findtext(f"{SM}loc")
        assert loc.startswith(live_server.url + "/sitemaps/"), loc
        locs += [u.findtext(f"{SM}loc") for u in get(loc).iter(f"{SM}url")]
    assert len(locs) >= 340
    for loc in locs:
        assert loc.startswith(live_server.url + "/"), loc
        with urllib.request.urlopen(loc) as page:
            assert page.status == 200, loc


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert "User-agent: *" in lines
    assert "Sitemap: http://localhost/sitemap.xml" in lines
    assert not [line for line in lines if line.startswith("Disallow: /")]


def test_sitemap_etag_and_304(client):
    for url in ("/sitemap.xml", "/sitemaps/site.xml"):
        etag = client.get(url).headers["ETag"]
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def head(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, lxml.html.fromstring(response.get_data(as_text=True))


def meta(tree, key: str) -> list[str]:
    return tree.xpath(f'//head/meta[@property="{key}" or @name="{key}"]/@content')


@pytest.mark.parametrize("locale", LOCALES)
def test_canonical_and_share_cards_on_every_page(client, locale):
    for page in PAGES:
        url = f"/{locale}{page}"
        _response, tree = head(client, url)
        (canonical,) = tree.xpath('//head/link[@rel="canonical"]/@href')
        assert canonical == "http://localhost" + url, url
        assert meta(tree, "og:url") == [canonical]
        title = tree.xpath("//head/title")[0].text_content()
        (og_title,) = meta(tree, "og:title")
        assert title == f"{og_title} · IASSIST"
        assert meta(tree, "twitter:title") == [og_title]
        (description,) = tree.xpath('//head/meta[@name="description"]/@content')
        assert meta(tree, "og:description") == [description]
        assert meta(tree, "twitter:description") == [description]
        assert meta(tree, "og:locale") == [OG_LOCALES[locale]]
        alternates = meta(tree, "og:locale:alternate")
        assert sorted(alternates) == sorted(v for k, v in OG_LOCALES.items() if k != locale)
        assert meta(tree, "og:type") == ["website"]
        assert meta(tree, "twitter:card") == ["summary_large_image"]
        (image,) = meta(tree, "og:image")
        assert image.startswith("http://localhost/") and "share-card" in image
        assert meta(tree, "twitter:image") == meta(tree, "og:image")
        assert meta(tree, "og:image:width") == ["1200"]
        assert meta(tree, "og:image:height") == ["630"]
        (alt,) = meta(tree, "og:image:alt")
        assert "IASSIST" in alt
        assert meta(tree, "twitter:image:alt") == [alt]


def test_share_image_alt_text_is_in_the_pages_language(client):
    alts = {}
    for locale in LOCALES:
        _response, tree = head(client, f"/{locale}/about/")
        (alts[locale],) = meta(tree, "og:image:alt")
    assert len(set(alts.values())) == 5
    assert alts["fr"].startswith("Le nom IASSIST")
    assert alts["de"].startswith("Der Name IASSIST")


def test_the_share_image_is_a_real_1200_by_630_png(client):
    # The URL the pages give (static file names may carry a content hash).
    _response, tree = head(client, "/pt/")
    (image,) = meta(tree, "og:image")
    response = client.get(urlsplit(image).path)
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    image = Image.open(io.BytesIO(response.data))
    assert image.format == "PNG"
    assert image.size == (1200, 630)
    # drawn, not blank: many colours (antialiased text on the background)
    assert len(image.convert("RGB").getcolors(maxcolors=100_000)) > 20


def test_canonical_of_the_event_browser_is_the_canonical_filter_url(client):
    # Parameters in another order and an empty one redirect to the canonical URL, whose
    # canonical link names itself.
    redirect = client.get("/en/events/?region=europe&type=joint_meeting&year=")
    assert redirect.status_code == 302
    assert redirect.headers["Location"] == "/en/events/?type=joint_meeting&region=europe"
    _response, tree = head(client, "/en/events/?type=joint_meeting&region=europe")
    assert tree.xpath('//head/link[@rel="canonical"]/@href') == [
        "http://localhost/en/events/?type=joint_meeting&region=europe"
    ]


def test_error_pages_have_no_canonical(client):
    for url in ("/en/events/no-such-event/", "/fr/events/?year=abc", "/de/nowhere/"):
        response = client.get(url)
        assert response.status_code in (400, 404)
        tree = lxml.html.fromstring(response.get_data(as_text=True))
        assert not tree.xpath('//link[@rel="canonical"]'), url
        assert not tree.xpath('//meta[@property="og:url"]'), url


def test_programme_sections_list_every_programme_talk_and_person(programmes_app):
    """With the programmes loaded: their search page, each programme, each of the 2,598
    talks and each presenter's page are listed in the five languages, valid against the
    schema; every programme page answers 200, and so does a spread of talks and people
    (fetching all 25,000 URLs is left to a crawler: each URL is also matched to its route)."""
    import json

    from webapp.programmes.models import Person
    from werkzeug.routing import RequestRedirect

    client = programmes_app.test_client()
    index = fetch_xml(client, "/sitemap.xml")
    locs = [e.findtext(f"{SM}loc") for e in index.iter(f"{SM}sitemap")]
    assert [urlsplit(loc).path for loc in locs] == [
        "/sitemaps/site.xml", "/sitemaps/programmes.xml", "/sitemaps/talks.xml",
        "/sitemaps/people.xml",
    ]
    schema = sitemap_schema()
    sections = {}
    for loc in locs:
        tree = fetch_xml(client, urlsplit(loc).path)
        assert schema.validate(tree), schema.error_log
        sections[urlsplit(loc).path] = [u.findtext(f"{SM}loc") for u in tree.iter(f"{SM}url")]
    files = sorted((REFERENCE / "conference-programs").glob("*.json"))
    talks = sum(len(s.get("presentations") or []) for f in files
                for s in json.loads(f.read_text(encoding="utf-8"))["sessions"])
    assert talks == 2598
    assert len(sections["/sitemaps/talks.xml"]) == 5 * talks
    assert len(sections["/sitemaps/programmes.xml"]) == 5 * (1 + len(files))
    with Session(get_engine(programmes_app)) as session:
        people = session.exec(select(func.count()).select_from(Person)).one()
    assert len(sections["/sitemaps/people.xml"]) == 5 * people
    adapter = programmes_app.url_map.bind("localhost")
    expected = {"/sitemaps/talks.xml": "programmes.talk", "/sitemaps/people.xml": "programmes.person",
                "/sitemaps/programmes.xml": None}
    for path, endpoint in expected.items():
        for loc in sections[path]:
            try:
                matched, _args = adapter.match(urlsplit(loc).path)
            except RequestRedirect as redirect:  # pragma: no cover - a failure
                raise AssertionError(f"{loc} redirects to {redirect.new_url}") from None
            assert endpoint is None or matched == endpoint, loc
    fetched = sections["/sitemaps/programmes.xml"] + sections["/sitemaps/talks.xml"][::401] \
        + sections["/sitemaps/people.xml"][::397] + sections["/sitemaps/talks.xml"][-1:] \
        + sections["/sitemaps/people.xml"][-1:]
    for loc in fetched:
        assert client.get(urlsplit(loc).path).status_code == 200, loc
