"""Fixtures for the browser tests: Debian's Chromium driven by Playwright.

``browser`` is launched once per session; ``page`` and ``page_nojs`` each get a fresh
context (no shared cookies, cache or history) aimed at the ``live_server`` of the test
(see ``tests/conftest.py``), so relative URLs such as ``page.goto("/en/events/")`` work.

Every page records what a visitor's console would show: ``page.console_errors`` holds the
console messages of type error (CSP violations are reported there by Chromium) and
uncaught exceptions (``pageerror``), as strings.

If Chromium is missing the fixture fails with a clear message: a browser test that skips
silently would let the event browser break unnoticed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("IASSIST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Playwright's default is 30 s; a local server answers in milliseconds, so a stuck wait
#: fails quickly and clearly instead.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's build at /usr/bin/chromium), for the whole session."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the browser tests need it "
            "(Debian: apt-get install chromium). Set IASSIST_CHROMIUM to use another "
            "build. Never skipped on purpose.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
    except Exception as error:  # noqa: BLE001 - report any launch failure as a failure
        playwright.stop()
        pytest.fail(f"Chromium at {CHROMIUM} did not start: {error}", pytrace=False)
    yield browser
    browser.close()
    playwright.stop()


def _watch_console(page) -> None:
    page.console_errors = []
    page.on(
        "console",
        lambda msg: page.console_errors.append(f"console.{msg.type}: {msg.text} ({msg.location})")
        if msg.type == "error"
        else None,
    )
    page.on("pageerror", lambda error: page.console_errors.append(f"pageerror: {error}"))


def _new_page(browser, live_server, **context_options):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    _watch_console(page)
    return context, page


@pytest.fixture
def page(browser, live_server):
    """A fresh page (own context) on the live server, JavaScript on."""
    context, page = _new_page(browser, live_server)
    yield page
    context.close()


@pytest.fixture
def page_nojs(browser, live_server):
    """A fresh page (own context) on the live server with JavaScript disabled."""
    context, page = _new_page(browser, live_server, java_script_enabled=False)
    yield page
    context.close()


@pytest.fixture
def page_bypass_csp(browser, live_server):
    """A fresh page whose context ignores the site's CSP, so that a test tool (axe-core)
    can be injected inline. Only for the accessibility test."""
    context, page = _new_page(browser, live_server, bypass_csp=True)
    yield page
    context.close()
