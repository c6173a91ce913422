"""The security headers in a real browser (Chromium): the scripts pass their integrity
check and run under the strict CSP, with no violation reported; the PDFs still download
under COOP/CORP/CSP, opened from a link or typed as an address."""

from __future__ import annotations

import pytest

from tests.browser.conftest_brochures import DOWNLOAD_NAMES, brochure_site  # noqa: F401 - a fixture


@pytest.fixture
def app(brochure_site):  # noqa: F811
    return brochure_site.app


@pytest.mark.browser
def test_scripts_with_integrity_run_and_the_csp_reports_nothing(page):
    page.goto("/fr/events/")
    assert page.evaluate("typeof htmx") == "object"  # htmx passed its integrity check
    assert page.evaluate("htmx.version") == "2.0.11"
    page.locator("#filter-year").select_option("2025")  # htmx fetches the fragment
    page.wait_for_url("**/fr/events/?year=2025")
    assert "Bristol" in page.locator("#event-results").inner_text()
    page.goto("/fr/about/")
    assert page.evaluate("window.crossOriginIsolated") is False  # COOP alone, no COEP
    assert page.console_errors == []


@pytest.mark.browser
def test_a_pdf_typed_as_an_address_downloads(page, brochure_site):  # noqa: F811
    with page.expect_download() as info:
        try:
            page.goto("/de/media/factsheet-pt.pdf")
        except Exception as error:  # noqa: BLE001 - Playwright: "Download is starting"
            assert "Download is starting" in str(error)
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename == DOWNLOAD_NAMES["factsheet", "pt"]
    with open(download.path(), "rb") as fh:
        assert fh.read() == brochure_site.result("factsheet", "pt").file.read_bytes()
