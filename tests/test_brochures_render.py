"""Rendering a current edition: WeasyPrint's one private API in one place and checked, the
fonts made reproducible without touching the process environment, nothing fetched but
the static files, room for longer translations.
"""

from __future__ import annotations

import gettext as gettext_module
import io
import os
import re
from datetime import date
from pathlib import Path

import flask_babel
import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from webapp.brochures import render
from webapp.brochures.render import (
    RenderError,
    month_text,
    overflow,
    page_boxes,
    render_pdf,
    short_url,
    truetype,
    url_fetcher,
)

STATIC = Path(__file__).resolve().parents[1] / "static"
FONT = STATIC / "fonts" / "source-sans-3-latin-400-normal.woff"


def test_page_boxes_reaches_weasyprint_layout():
    """Fails loudly if WeasyPrint's private ``Page._page_box`` changes: the overflow check
    depends on it."""
    from weasyprint import HTML

    document = HTML(string="<p class=a>one</p><p class=b>two</p>").render()
    boxes = list(page_boxes(document))
    classes = [
        box.element.get("class")
        for _, box in boxes
        if getattr(box, "element", None) is not None and box.element.tag == "p"
    ]
    assert "a" in classes and "b" in classes
    assert {number for number, _ in boxes} == {1}
    assert all(hasattr(box, "position_y") for _, box in boxes)


def test_page_boxes_says_what_broke_when_the_private_api_is_gone():
    class Page:  # a WeasyPrint page without _page_box
        pass

    class Document:
        pages = [Page()]

    with pytest.raises(RenderError, match=r"Page\._page_box is gone"):
        list(page_boxes(Document()))


def test_overflow_finds_content_that_does_not_fit():
    from weasyprint import HTML

    html = (
        "<div class='fit panel' style='height: 20mm'>" + "<p>line</p>" * 40 + "</div>"
        "<div class='fit other' style='height: 50mm'><p>short</p></div>"
    )
    document = HTML(string=html).render()
    assert overflow(document) == ["page 1: panel"]


def test_woff_fonts_become_truetype_with_their_own_date():
    """WeasyPrint would convert WOFF with fontTools, stamping the current time into the
    font; the fetcher gives it TrueType with the font's own date instead."""
    woff = FONT.read_bytes()
    ttf = truetype(woff)
    assert ttf[:4] == b"\x00\x01\x00\x00"
    original = TTFont(io.BytesIO(woff))["head"].modified
    assert TTFont(io.BytesIO(ttf))["head"].modified == original
    assert truetype(ttf) == ttf  # anything else unchanged


def test_rendering_leaves_the_environment_alone(brochure_site, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = dict(os.environ)
    app = brochure_site.app
    data, problems = render_pdf(
        app, "factsheet", "pt", date(2026, 11, 22), None, ("en", date(2016, 6, 1))
    )
    assert problems == []
    assert dict(os.environ) == before
    again, _ = render_pdf(
        app, "factsheet", "pt", date(2026, 11, 22), None, ("en", date(2016, 6, 1))
    )
    assert again == data  # reproducible


def test_build_is_reproducible(brochure_site):
    """Same inputs and edition, same bytes as the session's build (made earlier)."""
    from sqlmodel import Session, select
    from webapp.brochures.models import Edition, PdfFile
    from webapp.db import get_engine
    from webapp.events.models import Event

    app = brochure_site.app
    with Session(get_engine(app)) as session:
        row = session.exec(select(Edition).where(Edition.name == "factsheet-pt")).one()
        built = session.get(PdfFile, row.sha256).data
        conference = session.exec(
            select(Event).where(Event.slug == "2027-conference-vancouver")
        ).one()
        data, _ = render_pdf(
            app, "factsheet", "pt", date(2026, 11, 22), conference, ("en", date(2016, 6, 1))
        )
    assert data == built


def test_month_text_is_cldr():
    assert month_text(date(2012, 6, 1), "en") == "June 2012"
    assert month_text(date(2012, 6, 1), "fr") == "juin 2012"
    assert month_text(date(2013, 5, 1), "de") == "Mai 2013"
    assert month_text(date(2012, 6, 1), "pt") == "junho de 2012"
    assert month_text(date(2012, 6, 1), "es") == "junio de 2012"


def test_short_url():
    assert short_url("https://iassistdata.org/iq/") == "iassistdata.org/iq/"
    assert short_url("not a url") == "not a url"


def test_renderer_fetches_nothing_but_static_files():
    fetcher = url_fetcher(STATIC)
    for url in (
        "https://iassistdata.org/style.css",
        "http://127.0.0.1/x.woff",
        (STATIC.parent / "webapp" / "config.py").as_uri(),
        "file:///etc/passwd",
        (STATIC / ".." / "pyproject.toml").as_uri(),
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    response = fetcher.fetch((STATIC / "css" / "print" / "brochure.css").as_uri())
    assert b"@font-face" in response.read()
    response.close()
    font = fetcher.fetch(FONT.as_uri())
    assert font.read()[:4] == b"\x00\x01\x00\x00"


def test_missing_stylesheet_fails_the_build_clearly(brochure_site, monkeypatch):
    monkeypatch.setattr(render, "STYLESHEET", "css/print/missing.css")
    with pytest.raises(RenderError, match="factsheet-en: "):
        render_pdf(brochure_site.app, "factsheet", "en", date(2026, 11, 22), None, None)


class _Pseudo(gettext_module.NullTranslations):
    """Pseudo-translation: every message 35 % longer, its letters accented, padded with
    the characters the five languages need (ß ã õ ñ ¿ « » ’ –)."""

    ACCENTS = str.maketrans("aeiounscAEOU", "áéíöüñßçÀÉÕÜ")

    def _pseudo(self, message):
        parts = re.split(r"(%\(\w+\)s)", message)
        out = "".join(p if p.startswith("%(") else p.translate(self.ACCENTS) for p in parts)
        extra = int(len(message) * 0.35)
        return out + ((" " + ("«¿ãõ ’ñ» – " * 40)[:extra]) if extra else "")

    def gettext(self, message):
        return self._pseudo(message)

    def ngettext(self, singular, plural, n):
        return self._pseudo(singular if n == 1 else plural)

    def pgettext(self, context, message):
        return self._pseudo(message)

    def npgettext(self, context, singular, plural, n):
        return self._pseudo(singular if n == 1 else plural)

    ugettext = gettext
    ungettext = ngettext


@pytest.mark.parametrize("kind", ["brochure", "factsheet"])
def test_layout_leaves_room_for_longer_translations(brochure_site, monkeypatch, kind):
    """Translations run up to a third longer than English (German especially): with every
    message 35 % longer the layout still fits and needs no other font."""
    from sqlmodel import Session, select
    from webapp.db import get_engine
    from webapp.events.models import Event

    monkeypatch.setattr(flask_babel.Domain, "get_translations", lambda self: _Pseudo())
    app = brochure_site.app
    with Session(get_engine(app)) as session:
        conference = session.exec(
            select(Event).where(Event.slug == "2027-conference-vancouver")
        ).one()
        data, problems = render_pdf(
            app, kind, "de", date(2026, 11, 22), conference, ("en", date(2016, 6, 1))
        )
    assert problems == []
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == {"brochure": 2, "factsheet": 1}[kind]
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert all(c in text for c in "éçßüãõñ¿–’«»")
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            assert "Source-Sans-3" in str(font.get_object()["/BaseFont"])
