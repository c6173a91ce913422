"""The About page's brochures in a real browser (Chromium through Playwright): in each
language the list starts with the visitor's own language, and clicking its link
downloads a PDF."""

from __future__ import annotations

import pytest

from tests.browser.conftest_brochures import DOWNLOAD_NAMES, brochure_site  # noqa: F401 - a fixture
from webapp.i18n import LOCALES, language_name


@pytest.fixture
def app(brochure_site):  # noqa: F811
    """The site with the ten PDFs built: ``live_server`` (hence ``page``) serves it."""
    return brochure_site.app


@pytest.mark.browser
@pytest.mark.parametrize("locale", LOCALES)
def test_first_media_link_is_in_the_visitors_language_and_downloads(page, brochure_site, locale):  # noqa: F811
    page.goto(f"/{locale}/about/")
    links = page.locator("#media-heading ~ ul.media-list a")
    assert links.count() == 10
    first = links.first
    assert first.get_attribute("hreflang") == locale
    assert first.get_attribute("type") == "application/pdf"
    assert first.inner_text().strip() == language_name(locale)
    assert [links.nth(i).get_attribute("hreflang") for i in range(5)] == \
        [locale] + [code for code in LOCALES if code != locale]

    with page.expect_download() as info:
        first.click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename == DOWNLOAD_NAMES["brochure", locale]
    with open(download.path(), "rb") as fh:
        data = fh.read()
    assert data.startswith(b"%PDF")
    assert data == brochure_site.result("brochure", locale).file.read_bytes()
    assert page.console_errors == []
