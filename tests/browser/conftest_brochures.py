"""Fixtures and helpers of the brochure tests, imported explicitly by their modules
(``from tests.browser.conftest_brochures import …``; ``tests`` is a package).

Building the ten PDFs takes about ten seconds, so it happens once per test session:
:func:`brochure_site` builds them in its own temporary folder (app, SQLite store, PDFs)
and every test module that imports it shares that one build, even though pytest makes a
fixture definition per importing module (the build is cached in this module).

Tests that change something (an official PDF, a stale file) work on a
:func:`clone_site`: a copy of the store and of the PDFs in the test's own folder.
"""

from __future__ import annotations

import io
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from sqlmodel import Session

from tests.conftest import make_app
from webapp.brochures.build import BuildResult, build_all
from webapp.db import get_engine
from webapp.events.loader import load_events

#: The file names a visitor sees in the browser's download bar: the document's kind and
#: language in the document's own language (translations/*/messages.po, context
#: "file name"; language names from CLDR).
DOWNLOAD_NAMES = {
    ("brochure", "en"): "IASSIST-brochure-English.pdf",
    ("brochure", "fr"): "IASSIST-dépliant-français.pdf",
    ("brochure", "de"): "IASSIST-Broschüre-Deutsch.pdf",
    ("brochure", "pt"): "IASSIST-folheto-português.pdf",
    ("brochure", "es"): "IASSIST-folleto-español.pdf",
    ("factsheet", "en"): "IASSIST-factsheet-English.pdf",
    ("factsheet", "fr"): "IASSIST-fiche-de-présentation-français.pdf",
    ("factsheet", "de"): "IASSIST-Faktenblatt-Deutsch.pdf",
    ("factsheet", "pt"): "IASSIST-ficha-informativa-português.pdf",
    ("factsheet", "es"): "IASSIST-ficha-informativa-español.pdf",
}

_BUILT: dict[str, object] = {}


@dataclass
class BrochureSite:
    """The built site: ``app`` (Flask), ``folder`` (its temporary folder), ``results``
    (list of :class:`BuildResult` of the build)."""

    app: object
    folder: Path
    results: list[BuildResult]

    def result(self, kind: str, locale: str) -> BuildResult:
        return next(r for r in self.results if (r.kind, r.locale) == (kind, locale))


@pytest.fixture(scope="session")
def brochure_site(tmp_path_factory) -> BrochureSite:
    """An app with the bundled events and all ten PDFs built (once per session)."""
    if "site" not in _BUILT:
        folder = tmp_path_factory.mktemp("brochure-site")
        app = make_app(folder)
        with Session(get_engine(app)) as session:
            load_events(session)
        _BUILT["site"] = BrochureSite(app, folder, build_all(app))
    return _BUILT["site"]


def clone_site(site: BrochureSite, folder: Path, **overrides):
    """A new app on a copy of ``site``'s store and generated PDFs in ``folder`` (the
    recorded file paths rewritten to the copies), its official folder empty; the copy
    can be changed freely."""
    folder.mkdir(parents=True, exist_ok=True)
    source_db = site.folder / "test.sqlite3"
    target_db = folder / "test.sqlite3"
    with sqlite3.connect(source_db) as src, sqlite3.connect(target_db) as dst:
        src.backup(dst)
    source_dir = Path(site.app.config["BROCHURE_DIR"]).resolve()
    target_dir = folder / "generated"
    shutil.copytree(source_dir, target_dir, copy_function=shutil.copy2)
    with sqlite3.connect(target_db) as db:
        db.execute("UPDATE brochure_document SET file = replace(file, ?, ?)",
                   (str(source_dir), str(target_dir.resolve())))
    return make_app(folder, **overrides)


def pdf_text(data: bytes) -> str:
    """The text pypdf extracts from a PDF, all pages."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def squeeze(text: str) -> str:
    """``text`` without any whitespace, so that a sentence wrapped over several lines of
    a panel still matches its message."""
    return re.sub(r"\s+", "", text)


def translate(app, locale: str, message: str) -> str:
    """``message`` as the site's catalogue of ``locale`` gives it (the English message
    itself while it is untranslated)."""
    with app.test_request_context(f"/{locale}/"), force_locale(locale):
        return gettext(message)


def official_pdf(title: str) -> bytes:
    """A small valid one-page PDF standing for one the association supplies."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title, "/Author": "IASSIST"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
