"""Accessibility in headless Chromium: axe-core (vendored under ``tests/vendor/``, MPL-2.0)
finds no violation, of any impact, on any kind of page in any of the five languages.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-4.14.1.min.js"

#: Every kind of page (path after the locale, expected status): the site's pages, a
#: filtered view, an empty result, event pages, and the error pages.
AXE_PAGES = [
    ("/", 200), ("/about/", 200), ("/conferences/", 200), ("/events/", 200),
    ("/events/?type=regional_workshop&region=africa", 200), ("/events/?year=1900", 200),
    ("/events/2025-conference-bristol/", 200), ("/events/1976-joint-meeting-edinburgh/", 200),
    ("/events/no-such-event/", 404), ("/events/?year=abc", 400),
]


@pytest.mark.parametrize("locale", ["en", "fr", "de", "pt", "es"])
def test_axe_finds_no_violation_on_any_page(page_bypass_csp, locale):
    # axe is injected inline; only this test's context bypasses the CSP to allow that.
    page = page_bypass_csp
    found = []
    for path, status in AXE_PAGES:
        response = page.goto(f"/{locale}{path}")
        assert response is not None and response.status == status, path
        page.add_script_tag(path=str(AXE))
        results = page.evaluate("async () => await axe.run(document)")
        found += [
            {
                "page": f"/{locale}{path}",
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [{"target": n["target"], "html": n["html"][:200],
                           "summary": n.get("failureSummary", "")} for n in v["nodes"]],
            }
            for v in results["violations"]
        ]
    report = json.dumps(found, indent=2, ensure_ascii=False)
    assert not found, f"axe found violations:\n{report}"
