"""Building the brochure and factsheet PDFs: ten documents, each in its own language,
with its metadata, tags and fonts; only stale ones rebuilt; official PDFs win.

Texts are checked against the catalogues (``force_locale`` + ``gettext``), so the tests
hold for the English source now and for each language once its translations land.
"""

from __future__ import annotations

import gettext as gettext_module
import hashlib
import io
import os
import re
import shutil
from datetime import date
from pathlib import Path

import flask_babel
import pytest
from babel import Locale
from pypdf import PdfReader
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tests.browser.conftest_brochures import (  # noqa: F401 - brochure_site is a fixture
    brochure_site,
    clone_site,
    official_pdf,
    pdf_text,
    squeeze,
    translate,
)
from webapp.brochures.build import (
    build_missing,
    official_path,
    plan,
    render_pdf,
    short_url,
    source_files,
)
from webapp.brochures.models import EXPECTED_PAGES, KINDS, Document
from webapp.db import get_engine
from webapp.events.models import Event
from webapp.i18n import LOCALES

DOCUMENTS = [(kind, locale) for kind in KINDS for locale in LOCALES]
TITLES = {"brochure": "IASSIST tri-fold brochure", "factsheet": "IASSIST factsheet"}
TAGLINE = ("An international organization of professionals working with information "
           "technology and data services to support research and teaching in the social "
           "sciences.")
FULL_NAME = "International Association for Social Science Information Service and Technology"
#: Headings and sentences each document shows (messages of the site's catalogues).
HEADINGS = {
    "brochure": [
        "Overview", "300+ members from a variety of settings", "IASSIST members across the globe",
        "Expertise and colleagues", "Networking opportunities", "IASSIST communities", "Goals",
        "Strategic directions", "Advocacy", "Professional development", "Annual conference",
        "Fostering exchange", "Membership benefits", "Structure", "Leadership", "Join IASSIST",
        "Academia", "Government", "Non-profit sector", "Private sector",
        "IASSIST bridges three communities:",
        "The annual conference is held each spring; its venues rotate by region.",
        "The next annual conference",
    ],
    "factsheet": [
        "IASSIST factsheet", "300+ members from a variety of settings", "Goals",
        "Annual conference", "Membership benefits", "Join IASSIST",
        "IASSIST was founded in 1974 to support research and teaching in the social sciences.",
        "Our members discover data, curate it, make it available and keep it available.",
        "Advance infrastructure in the social sciences and beyond",
        "The IASSIST Quarterly (IQ) is a peer-reviewed, open-access journal.",
        "The next annual conference",
    ],
}
#: The cover line as the association printed it in each language (shared/data/brochure.md):
#: a document in another language must not show it.
PRINTED_TAGLINES = {
    "fr": "Organisation internationale de professionnels travaillant avec les technologies de "
          "l'information et les services de données",
    "de": "Eine internationale Organisation für Fachleute im Bereich Informationstechnologie "
          "und Datenservices",
    "pt": "Uma organização internacional de profissionais que trabalham com a tecnologia da "
          "informação e serviços de dados",
    "es": "Una organización internacional de profesionales que trabajan con la tecnología de "
          "la información y los servicios de datos",
}
#: Long messages, distinctive in any language: none may show in another locale's PDF.
DISTINCTIVE = [TAGLINE, FULL_NAME,
               "IASSIST bridges three communities:",
               "Peer support in an international network",
               "Our members discover data, curate it, make it available and keep it available."]


@pytest.fixture(scope="module")
def texts(brochure_site):
    """(kind, locale) -> the PDF's extracted text."""
    return {
        (r.kind, r.locale): pdf_text(r.file.read_bytes()) for r in brochure_site.results
    }


def test_ten_documents_built_and_recorded(brochure_site):
    assert [(r.kind, r.locale) for r in brochure_site.results] == DOCUMENTS
    with Session(get_engine(brochure_site.app)) as session:
        rows = {(d.kind, d.locale): d for d in session.exec(select(Document)).all()}
    assert set(rows) == set(DOCUMENTS)
    for (kind, locale), row in rows.items():
        data = Path(row.file).read_bytes()
        assert Path(row.file) == Path(brochure_site.app.config["BROCHURE_DIR"]).resolve() / f"{kind}-{locale}.pdf"
        assert row.size == len(data)
        assert row.sha256 == hashlib.sha256(data).hexdigest()
        assert row.pages == EXPECTED_PAGES[kind]
        assert row.source == "generated"
        assert row.edition == date(2026, 11, 22)  # the site's today in the tests
        assert len(row.inputs_digest) == 64


@pytest.mark.parametrize("kind,locale", DOCUMENTS)
def test_layout_fits(brochure_site, kind, locale):
    """No panel (or factsheet area) overflows, and the page count is the fold's."""
    result = brochure_site.result(kind, locale)
    assert result.overflow == ()
    assert result.pages == EXPECTED_PAGES[kind]


@pytest.mark.parametrize("kind,locale", DOCUMENTS)
def test_pdf_pages_metadata_and_tags(brochure_site, kind, locale):
    reader = PdfReader(io.BytesIO(brochure_site.result(kind, locale).file.read_bytes()))
    assert len(reader.pages) == EXPECTED_PAGES[kind]
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        a4 = (round(width / 72 * 25.4), round(height / 72 * 25.4))
        assert a4 == ((297, 210) if kind == "brochure" else (210, 297))
    metadata = reader.metadata
    assert metadata.title == translate(brochure_site.app, locale, TITLES[kind])
    assert metadata.author == "IASSIST"
    assert metadata.subject == translate(brochure_site.app, locale, TAGLINE)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == locale
    # Tagged for accessibility (PDF/UA-1): structure tree, marked content, the title shown.
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    xmp = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part" in xmp and b"1" in xmp


def _figures(node, found):
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            _figures(child, found)
    elif hasattr(node, "get") and "/S" in node:
        if str(node["/S"]) == "/Figure":
            found.append(node.get("/Alt"))
        if node.get("/K") is not None:
            _figures(node["/K"], found)
    return found


@pytest.mark.parametrize("kind,locale", DOCUMENTS)
def test_chart_figure_has_alternate_text(brochure_site, kind, locale):
    """PDF/UA: the pie chart is a Figure whose alternate text gives the shares."""
    from webapp.pages.charts import pie_slices

    reader = PdfReader(io.BytesIO(brochure_site.result(kind, locale).file.read_bytes()))
    [alt] = _figures(reader.trailer["/Root"]["/StructTreeRoot"]["/K"], [])
    app = brochure_site.app
    with app.test_request_context(f"/{locale}/"), flask_babel.force_locale(locale):
        expected = [flask_babel.gettext("IASSIST members across the globe")] + [
            str(s.label) for s in pie_slices()] + [s.share_text for s in pie_slices()]
    for part in expected:
        assert part in alt


def _headings(node, found):
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            _headings(child, found)
    elif hasattr(node, "get") and "/S" in node:
        if re.fullmatch(r"/H[1-6]", str(node["/S"])):
            found.append(int(str(node["/S"])[2]))
        if node.get("/K") is not None:
            _headings(node["/K"], found)
    return found


@pytest.mark.parametrize("kind", KINDS)
def test_heading_tags_start_at_h1_without_gaps(brochure_site, kind):
    """The reading order of the tags starts with the cover's H1 (the brochure's cover is
    the third panel of its sheet) and never skips a level."""
    reader = PdfReader(io.BytesIO(brochure_site.result(kind, "en").file.read_bytes()))
    levels = _headings(reader.trailer["/Root"]["/StructTreeRoot"]["/K"], [])
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels


@pytest.mark.parametrize("kind,locale", DOCUMENTS)
def test_only_source_sans_3_is_embedded(brochure_site, kind, locale):
    """Every character (é ç ß ü ã õ ñ ¿ – ’ « ») comes from the vendored Source Sans 3:
    a missing glyph would have pulled in a system fallback font."""
    reader = PdfReader(io.BytesIO(brochure_site.result(kind, locale).file.read_bytes()))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            descendant = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"].get_object()  # embedded
    assert fonts and all("Source-Sans-3" in name for name in fonts), fonts


@pytest.mark.parametrize("kind,locale", DOCUMENTS)
def test_text_is_in_its_own_language(brochure_site, texts, kind, locale):
    app = brochure_site.app
    text = squeeze(texts[kind, locale])
    expected = [TAGLINE, FULL_NAME, *HEADINGS[kind]]
    for message in expected:
        wanted = translate(app, locale, message)
        assert squeeze(wanted) in text, f"{kind}-{locale} lacks {wanted!r}"
    # The five languages, each named in itself: accented letters survive extraction.
    for code in LOCALES:
        name = Locale.parse(code).get_display_name(code)
        assert squeeze(name[:1].upper() + name[1:]) in text
    assert "Français" in text and "Português" in text and "Español" in text
    # No other locale's text: its cover line as printed, and its translations of long
    # messages wherever they differ from this locale's.
    own = {squeeze(translate(app, locale, m)) for m in DISTINCTIVE}
    for other, printed in PRINTED_TAGLINES.items():
        if other != locale:
            assert squeeze(printed) not in text, f"{kind}-{locale} shows the {other} cover line"
    for other in LOCALES:
        if other == locale:
            continue
        for message in DISTINCTIVE:
            theirs = squeeze(translate(app, other, message))
            if theirs not in own:
                assert theirs not in text, f"{kind}-{locale} shows {other} text {theirs!r}"


@pytest.mark.parametrize("kind,locale", DOCUMENTS)
def test_next_conference_from_the_store(brochure_site, texts, kind, locale):
    """IASSIST 2027 in Vancouver, 25–28 May 2027, in the document's locale."""
    from webapp.events.display import event_label, event_place
    from webapp.i18n import format_date_range

    app = brochure_site.app
    with Session(get_engine(app)) as session:
        event = session.exec(select(Event).where(Event.slug == "2027-conference-vancouver")).one()
        with app.test_request_context(f"/{locale}/"), flask_babel.force_locale(locale):
            dates = format_date_range(event.start_date, event.end_date)
            place = event_place(event)
            label = event_label(event)
    text = squeeze(texts[kind, locale])
    assert squeeze(dates) in text
    assert squeeze(place) in text
    assert "IASSIST2027" in text
    if locale == "en":
        assert squeeze("IASSIST 2027 (52nd annual conference)") in text
    else:
        # The number in the document's language ("52e conférence annuelle"), not English.
        assert label and squeeze(label) in text
        assert "52nd" not in text
    assert squeeze(short_url(event.url)) in text


def test_urls_printed(texts):
    for (kind, locale), text in texts.items():
        flat = squeeze(text)
        assert "www.iassistdata.org" in flat
        assert "https://iassistdata.org/about/become-a-member/" in flat


def test_pie_chart_is_drawn(brochure_site, texts):
    """The members-across-the-globe chart: its legend is text, its four slices paths."""
    for (kind, locale), text in texts.items():
        assert squeeze(translate(brochure_site.app, locale, "IASSIST members across the globe")) in squeeze(text)
    reader = PdfReader(io.BytesIO(brochure_site.result("brochure", "en").file.read_bytes()))
    content = reader.pages[1].get_contents().get_data()
    # The slices' colours (webapp.brochures.build.SLICE_COLOURS) are painted as fills.
    for rgb in ("0.043 0.361 0.541", "0.761 0.341 0.102"):
        r, g, b = (float(x) for x in rgb.split())
        assert re.search(rb"%.2f\d* %.2f\d* %.2f\d* rg" % (r, g, b), content), rgb


def test_build_is_reproducible(brochure_site):
    """Same sources and edition, same bytes: rebuilding leaves the files alone."""
    app = brochure_site.app
    result = brochure_site.result("factsheet", "pt")
    with Session(get_engine(app)) as session:
        data, overflow = render_pdf(app, session, "factsheet", "pt", date(2026, 11, 22))
    assert overflow == []
    assert data == result.file.read_bytes()


def test_nothing_to_build_when_up_to_date(brochure_site):
    assert plan(brochure_site.app) == []
    assert build_missing(brochure_site.app) == []


def test_stale_documents_are_found_and_rebuilt(brochure_site, tmp_path):
    app = clone_site(brochure_site, tmp_path)
    assert plan(app) == []
    generated = Path(app.config["BROCHURE_DIR"])
    os.utime(generated / "brochure-de.pdf", (946684800, 946684800))  # 2000-01-01
    (generated / "factsheet-es.pdf").unlink()
    assert plan(app) == [("brochure", "de", "older than its sources"),
                         ("factsheet", "es", "file missing")]
    results = build_missing(app)
    assert [(r.kind, r.locale, r.action) for r in results] == [
        ("brochure", "de", "unchanged"),  # same bytes: kept, now known to be up to date
        ("factsheet", "es", "built"),
    ]
    assert (generated / "factsheet-es.pdf").read_bytes() == \
        brochure_site.result("factsheet", "es").file.read_bytes()
    assert plan(app) == []


def test_changed_event_data_makes_every_document_stale(brochure_site, tmp_path):
    app = clone_site(brochure_site, tmp_path)
    with Session(get_engine(app)) as session:
        event = session.exec(select(Event).where(Event.slug == "2027-conference-vancouver")).one()
        event.end_date = date(2027, 5, 29)
        session.add(event)
        session.commit()
    assert plan(app) == [(kind, locale, "sources changed") for kind, locale in DOCUMENTS]


def test_the_code_that_renders_the_documents_is_among_their_sources(brochure_site):
    """A change of the display rules, CLDR helpers or chart geometry makes PDFs stale."""
    from webapp import i18n
    from webapp.brochures import build
    from webapp.events import display
    from webapp.pages import charts

    sources = set(source_files(brochure_site.app, "fr"))
    for module in (display, i18n, charts, build):
        assert Path(module.__file__).resolve() in sources, module.__name__


def test_changed_catalogue_makes_its_documents_stale(brochure_site, tmp_path):
    """A compiled catalogue that changed since the build: that locale's documents only."""
    real = Path(brochure_site.app.config["BABEL_TRANSLATION_DIRECTORIES"])
    translations = tmp_path / "translations"
    for locale in LOCALES:
        mo = real / locale / "LC_MESSAGES" / "messages.mo"
        if mo.is_file():
            target = translations / locale / "LC_MESSAGES" / "messages.mo"
            target.parent.mkdir(parents=True)
            shutil.copy2(mo, target)
    pt = translations / "pt" / "LC_MESSAGES" / "messages.mo"
    pt.parent.mkdir(parents=True, exist_ok=True)
    pt.write_bytes((pt.read_bytes() if pt.exists() else b"") + b"\0")
    app = clone_site(brochure_site, tmp_path / "site",
                     BABEL_TRANSLATION_DIRECTORIES=str(translations))
    assert plan(app) == [("brochure", "pt", "sources changed"), ("factsheet", "pt", "sources changed")]


def test_official_pdf_replaces_the_generated_one(brochure_site, tmp_path):
    app = clone_site(brochure_site, tmp_path)
    official_dir = Path(app.config["OFFICIAL_BROCHURE_DIR"])
    official_dir.mkdir()
    supplied = official_pdf("IASSIST brochure (français, 2012)")
    (official_dir / "brochure-fr.pdf").write_bytes(supplied)
    (official_dir / "factsheet-de.pdf").write_bytes(b"this is not a PDF")  # ignored, logged
    assert plan(app) == [("brochure", "fr", "official PDF supplied")]
    [result] = build_missing(app)
    assert (result.action, result.source, result.pages) == ("official", "official", 1)
    with Session(get_engine(app)) as session:
        row = session.exec(select(Document).where(Document.kind == "brochure",
                                                  Document.locale == "fr")).one()
        assert (row.source, row.pages, row.size) == ("official", 1, len(supplied))
        assert row.sha256 == hashlib.sha256(supplied).hexdigest()
        assert Path(row.file) == (official_dir / "brochure-fr.pdf").resolve()
        assert row.inputs_digest == ""
    assert plan(app) == []
    # A new version of the official PDF is picked up; withdrawing it brings back ours.
    (official_dir / "brochure-fr.pdf").write_bytes(official_pdf("IASSIST brochure, 2nd ed."))
    assert plan(app) == [("brochure", "fr", "official PDF changed")]
    build_missing(app)
    (official_dir / "brochure-fr.pdf").unlink()
    assert plan(app) == [("brochure", "fr", "official PDF withdrawn")]
    [result] = build_missing(app)
    assert (result.source, result.pages) == ("generated", 2)


def test_official_brochure_may_be_named_by_locale_alone(brochure_site, tmp_path):
    app = clone_site(brochure_site, tmp_path)
    official_dir = Path(app.config["OFFICIAL_BROCHURE_DIR"])
    official_dir.mkdir()
    (official_dir / "es.pdf").write_bytes(official_pdf("IASSIST"))
    assert official_path(app, "brochure", "es") == official_dir / "es.pdf"
    assert official_path(app, "factsheet", "es") is None
    with pytest.raises(ValueError):
        official_path(app, "../etc", "es")


def test_cli_lists_every_file_with_size_and_pages(brochure_site, tmp_path):
    app = clone_site(brochure_site, tmp_path)
    (Path(app.config["BROCHURE_DIR"]) / "factsheet-en.pdf").unlink()
    result = app.test_cli_runner().invoke(args=["build-brochures"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for kind, locale in DOCUMENTS:
        [line] = [l for l in lines if f"{kind}-{locale}.pdf" in l]
        size = (Path(app.config["BROCHURE_DIR"]) / f"{kind}-{locale}.pdf").stat().st_size
        assert f"{size:,} bytes" in line
        assert f"{EXPECTED_PAGES[kind]} page" in line
        assert ("built" if (kind, locale) == ("factsheet", "en") else "up to date") in line
    assert "1 built or recorded, 9 already up to date." in result.output


def test_serve_prepare_builds_what_is_missing(brochure_site, tmp_path):
    from webapp.serve import prepare

    app = clone_site(brochure_site, tmp_path)
    (Path(app.config["BROCHURE_DIR"]) / "brochure-pt.pdf").unlink()
    prepare(app)
    assert (Path(app.config["BROCHURE_DIR"]) / "brochure-pt.pdf").is_file()
    assert plan(app) == []


def test_constraints_reject_bad_rows(empty_app):
    def insert(**values):
        row = dict(kind="brochure", locale="en", edition=date(2026, 1, 1), file="/x.pdf",
                   size=1, sha256="0" * 64, pages=2, source="generated")
        row.update(values)
        with Session(get_engine(empty_app)) as session:
            session.add(Document(**row))
            session.commit()

    insert()
    for bad in ({"locale": "fr", "kind": "leaflet"}, {"locale": "it"},
                {"locale": "fr", "source": "scanned"}, {"locale": "fr", "pages": 0},
                {"locale": "fr", "sha256": "abc"}, {}):  # the last: (brochure, en) twice
        with pytest.raises(IntegrityError):
            insert(**bad)


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


@pytest.mark.parametrize("kind", KINDS)
def test_layout_leaves_room_for_longer_translations(brochure_site, monkeypatch, kind):
    """Translations run up to a third longer than English (German especially): with every
    message 35 % longer the layout still fits and needs no other font."""
    monkeypatch.setattr(flask_babel.Domain, "get_translations", lambda self: _Pseudo())
    app = brochure_site.app
    with Session(get_engine(app)) as session:
        data, overflow = render_pdf(app, session, kind, "de", date(2026, 11, 22))
    assert overflow == []
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == EXPECTED_PAGES[kind]
    text = pdf_text(data)
    assert all(c in text for c in "éçßüãõñ¿–’«»")
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            assert "Source-Sans-3" in str(font.get_object()["/BaseFont"])


def test_missing_stylesheet_fails_the_build_clearly(brochure_site, monkeypatch):
    from webapp.brochures import build

    monkeypatch.setattr(build, "STYLESHEET", "css/print/missing.css")
    with Session(get_engine(brochure_site.app)) as session, pytest.raises(build.BrochureError):
        render_pdf(brochure_site.app, session, "factsheet", "en", date(2026, 11, 22))


def test_renderer_fetches_nothing_but_static_files(brochure_site):
    from webapp.brochures.build import _url_fetcher

    static = Path(brochure_site.app.static_folder)
    fetcher = _url_fetcher(static)
    for url in ("https://iassistdata.org/style.css", "http://127.0.0.1/x.woff",
                (static.parent / "webapp" / "config.py").as_uri(), "file:///etc/passwd",
                (static / ".." / "pyproject.toml").as_uri()):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    response = fetcher.fetch((static / "css" / "print" / "brochure.css").as_uri())
    assert b"@font-face" in response.read()
    response.close()
