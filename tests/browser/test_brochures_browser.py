"""The About page's editions in a real browser (Chromium through Playwright): in each
language the list starts with both editions of the visitor's language, every link
downloads its file, the previews load at their stated size, and axe-core finds no
violation on the page with its previews."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session, select
from webapp.brochures.models import Edition, PdfFile
from webapp.db import get_engine

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-4.14.1.min.js"
LOCALES = ["en", "fr", "de", "pt", "es"]
#: The printed brochure of each language (the month of its edition).
PRINTED = {"en": "2013-05", "fr": "2012-06", "de": "2013-05", "pt": "2012-06", "es": "2012-06"}
#: The download bar's file names of the visitor's own brochure editions.
DOWNLOAD_NAMES = {
    "en": ("IASSIST-brochure-English-2013-05.pdf", "IASSIST-brochure-English.pdf"),
    "fr": ("IASSIST-dépliant-français-2012-06.pdf", "IASSIST-dépliant-français.pdf"),
    "de": ("IASSIST-Broschüre-Deutsch-2013-05.pdf", "IASSIST-Broschüre-Deutsch.pdf"),
    "pt": ("IASSIST-folheto-português-2012-06.pdf", "IASSIST-folheto-português.pdf"),
    "es": ("IASSIST-folleto-español-2012-06.pdf", "IASSIST-folleto-español.pdf"),
}


@pytest.fixture
def app(brochure_site):
    """The site with every edition in the store: ``live_server`` (hence ``page``) serves it."""
    return brochure_site.app


@pytest.fixture(scope="module")
def pdfs(brochure_site):
    """edition name -> PDF bytes."""
    with Session(get_engine(brochure_site.app)) as session:
        return {
            row.name: session.get(PdfFile, row.sha256).data
            for row in session.exec(select(Edition)).all()
        }


@pytest.mark.parametrize("locale", LOCALES)
def test_visitors_language_first_and_every_link_downloads_its_file(page, pdfs, locale):
    page.goto(f"/{locale}/about/")
    links = page.locator("#media-heading ~ .media-languages a[type='application/pdf']")
    assert links.count() == 20
    hrefs = [links.nth(i).get_attribute("href") for i in range(20)]
    # Both editions of the visitor's language first: printed, then current.
    assert hrefs[:2] == [
        f"/{locale}/media/brochure-{locale}-{PRINTED[locale]}.pdf",
        f"/{locale}/media/brochure-{locale}.pdf",
    ]
    assert [links.nth(i).get_attribute("hreflang") for i in range(2)] == [locale, locale]
    first_heading = page.locator("#media-brochure ~ .media-languages h4").first
    assert first_heading.get_attribute("id") == f"media-brochure-{locale}"
    # Clicking the visitor's two brochure links downloads them.
    for index, expected_name in enumerate(DOWNLOAD_NAMES[locale]):
        with page.expect_download() as info:
            links.nth(index).click()
        download = info.value
        assert download.failure() is None
        assert download.suggested_filename == expected_name
        data = Path(download.path()).read_bytes()
        assert data == pdfs[hrefs[index].rsplit("/", 1)[1][:-4]]
    # Every other link answers with its own file.
    for href in hrefs[2:]:
        response = page.request.get(href)
        assert response.status == 200
        assert response.body() == pdfs[href.rsplit("/", 1)[1][:-4]]
    assert page.console_errors == []


def test_previews_load_lazily_at_their_stated_size(page):
    page.goto("/en/about/")
    images = page.locator("img.media-preview")
    assert images.count() == 20
    page.locator("#media-heading").scroll_into_view_if_needed()
    page.locator(".credit").scroll_into_view_if_needed()
    for i in range(images.count()):
        image = images.nth(i)
        assert image.get_attribute("loading") == "lazy"
        image.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
        )
        natural = image.evaluate("img => [img.naturalWidth, img.naturalHeight]")
        shown = image.evaluate("img => [img.clientWidth, img.clientHeight]")
        stated = [int(image.get_attribute("width")), int(image.get_attribute("height"))]
        assert natural == [2 * stated[0], 2 * stated[1]]
        assert shown == stated
        assert image.get_attribute("alt").startswith("First page: IASSIST ")
    assert page.console_errors == []


@pytest.mark.parametrize("locale", LOCALES)
def test_axe_finds_no_violation_on_the_about_page_with_previews(page_bypass_csp, locale):
    page = page_bypass_csp
    response = page.goto(f"/{locale}/about/")
    assert response is not None and response.status == 200
    page.locator(".credit").scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.media-preview')].every(i => i.complete)"
    )
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document)")
    found = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["html"][:200] for n in v["nodes"]],
        }
        for v in results["violations"]
    ]
    assert not found, json.dumps(found, indent=2, ensure_ascii=False)
