"""The security headers in a real browser (Chromium): the scripts pass their integrity
check and run under the strict CSP, with no violation reported; the PDFs still download
under COOP/CORP/CSP, opened from a link or typed as an address."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select
from webapp.brochures.models import Edition, PdfFile
from webapp.db import get_engine


@pytest.fixture
def app(brochure_site):
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
def test_a_pdf_typed_as_an_address_downloads(page, brochure_site):
    with page.expect_download() as info:
        try:
            page.goto("/de/media/factsheet-pt.pdf")
        except Exception as error:  # noqa: BLE001 - Playwright: "Download is starting"
            assert "Download is starting" in str(error)
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename == "IASSIST-ficha-informativa-português.pdf"
    with Session(get_engine(brochure_site.app)) as session:
        row = session.exec(select(Edition).where(Edition.name == "factsheet-pt")).one()
        expected = session.get(PdfFile, row.sha256).data
    with open(download.path(), "rb") as fh:
        assert fh.read() == expected
