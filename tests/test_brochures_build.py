"""The current editions: ten documents generated from the site's content, each in its own
language, with its metadata, tags and fonts, saying on its first page what it is; one
staleness rule (the digest of its inputs); an edition whose next conference has passed
rebuilt while the site runs.

Expected texts are literals (the catalogues' translations, CLDR's dates), never computed
with the code under test.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from webapp.brochures import store
from webapp.brochures.models import Edition, PdfFile
from webapp.brochures.store import build_missing, plan, source_files, wait_for_refresh
from webapp.db import get_engine
from webapp.events.models import Event

from tests.conftest import clone_site

LOCALES = ["en", "fr", "de", "pt", "es"]
DOCUMENTS = [(kind, locale) for kind in ("brochure", "factsheet") for locale in LOCALES]
TITLES = {
    ("brochure", "en"): "IASSIST tri-fold brochure",
    ("brochure", "fr"): "Dépliant de l’IASSIST",
    ("brochure", "de"): "IASSIST-Faltbroschüre",
    ("brochure", "pt"): "Folheto dobrável da IASSIST",
    ("brochure", "es"): "Folleto tríptico de IASSIST",
    ("factsheet", "en"): "IASSIST factsheet",
    ("factsheet", "fr"): "Fiche de présentation de l’IASSIST",
    ("factsheet", "de"): "IASSIST-Faktenblatt",
    ("factsheet", "pt"): "Ficha informativa da IASSIST",
    ("factsheet", "es"): "Ficha informativa de IASSIST",
}
TAGLINES = {
    "en": "An international organization of professionals working with information technology "
    "and data services to support research and teaching in the social sciences.",
    "fr": "Organisation internationale de professionnels travaillant avec les technologies de "
    "l’information et les services de données pour venir à l’appui de travaux de recherche "
    "et de l’enseignement dans le domaine des sciences sociales.",
    "de": "Eine internationale Organisation für Fachleute im Bereich Informationstechnologie "
    "und Datenservices zur Unterstützung von Forschung und Unterricht in den "
    "Sozialwissenschaften.",
    "pt": "Uma organização internacional de profissionais que trabalham com a tecnologia da "
    "informação e serviços de dados em apoio à pesquisa e educação na área das ciências "
    "sociais.",
    "es": "Una organización internacional de profesionales que trabajan con la tecnología de "
    "la información y los servicios de datos para apoyar la investigación y la enseñanza de "
    "las ciencias sociales.",
}
#: The chart's alternate text (the PDF's Figure tag), the shares joined by CLDR's list
#: pattern of each language.
CHART_ALT = {
    "en": "IASSIST members across the globe: United States: almost 50%, Europe: 25%, "
    "Canada: 15%, and Asia-Pacific and Africa: the remaining share",
    "fr": "Les membres de l’IASSIST dans le monde\xa0: États-Unis\xa0: près de 50\xa0%, "
    "Europe\xa0: 25\xa0%, Canada\xa0: 15\xa0% et Asie-Pacifique et Afrique\xa0: le reste",
    "de": "IASSIST-Mitglieder in aller Welt: Vereinigte Staaten: knapp 50\xa0%, Europa: "
    "25\xa0%, Kanada: 15\xa0% und Asien-Pazifik und Afrika: der restliche Anteil",
    "pt": "Membros da IASSIST em todo o mundo: Estados Unidos: quase 50%, Europa: 25%, "
    "Canadá: 15% e Ásia-Pacífico e África: o restante",
    "es": "Socios de IASSIST en todo el mundo: Estados Unidos: casi el 50\xa0%, Europa: "
    "25\xa0%, Canadá: 15\xa0% y Asia-Pacífico y África: el resto",
}
#: What a current edition says on its first page: generated, its date, not the printed
#: edition, and where the printed edition in its language is (the factsheet's: English).
NOTICES = {
    ("brochure", "en"): "Current edition, generated on November 22, 2026 from the content of "
    "the IASSIST website; not the association’s printed edition. The association’s printed "
    "edition (May 2013): iassistdata.org/about/media/",
    ("brochure", "fr"): "Édition actuelle, générée le 22 novembre 2026 à partir du contenu du "
    "site de l’IASSIST ; ce n’est pas l’édition imprimée de l’association. Édition imprimée "
    "de l’association (juin 2012) : iassistdata.org/about/media/",
    ("brochure", "de"): "Aktuelle Ausgabe, am 22. November 2026 aus den Inhalten der "
    "IASSIST-Website erstellt; nicht die gedruckte Ausgabe der Vereinigung. Gedruckte Ausgabe "
    "der Vereinigung (Mai 2013): iassistdata.org/about/media/",
    ("brochure", "pt"): "Edição atual, gerada em 22 de novembro de 2026 a partir do conteúdo "
    "do site da IASSIST; não é a edição impressa da associação. Edição impressa da "
    "associação (junho de 2012): iassistdata.org/about/media/",
    ("brochure", "es"): "Edición actual, generada el 22 de noviembre de 2026 a partir del "
    "contenido del sitio web de IASSIST; no es la edición impresa de la asociación. Edición "
    "impresa de la asociación (junio de 2012): iassistdata.org/about/media/",
    ("factsheet", "en"): "Current edition, generated on November 22, 2026 from the content of "
    "the IASSIST website; not the association’s printed edition. The association’s printed "
    "edition (June 2016): iassistdata.org/about/media/",
    ("factsheet", "fr"): "Édition actuelle, générée le 22 novembre 2026 à partir du contenu "
    "du site de l’IASSIST ; ce n’est pas l’édition imprimée de l’association. Édition "
    "imprimée de l’association, en anglais uniquement (juin 2016) : "
    "iassistdata.org/about/media/",
    ("factsheet", "de"): "Aktuelle Ausgabe, am 22. November 2026 aus den Inhalten der "
    "IASSIST-Website erstellt; nicht die gedruckte Ausgabe der Vereinigung. Gedruckte "
    "Ausgabe der Vereinigung, nur auf Englisch (Juni 2016): iassistdata.org/about/media/",
    ("factsheet", "pt"): "Edição atual, gerada em 22 de novembro de 2026 a partir do "
    "conteúdo do site da IASSIST; não é a edição impressa da associação. Edição impressa da "
    "associação, somente em inglês (junho de 2016): iassistdata.org/about/media/",
    ("factsheet", "es"): "Edición actual, generada el 22 de noviembre de 2026 a partir del "
    "contenido del sitio web de IASSIST; no es la edición impresa de la asociación. Edición "
    "impresa de la asociación, solo en inglés (junio de 2016): iassistdata.org/about/media/",
}
#: The next annual conference (IASSIST 2027, Vancouver, 25–28 May 2027) as each document
#: prints it: name, number, dates (CLDR interval), place.
CONFERENCE = {
    "en": "IASSIST 2027 (52nd annual conference) May 25 – 28, 2027 Vancouver, BC, Canada",
    "fr": "IASSIST 2027 52e conférence annuelle 25–28 mai 2027 Vancouver, BC, Canada",
    "de": "IASSIST 2027 52. Jahreskonferenz 25.–28. Mai 2027 Vancouver, BC, Kanada",
    "pt": "IASSIST 2027 52ª conferência anual 25 – 28 de mai. de 2027 Vancouver, BC, Canadá",
    "es": "IASSIST 2027 52.ª conferencia anual 25–28 may 2027 Vancouver, BC, Canadá",
}


def squeeze(text: str) -> str:
    """``text`` without whitespace, so that a sentence wrapped over lines still matches."""
    return re.sub(r"\s+", "", text)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_of(app, name: str) -> bytes:
    with Session(get_engine(app)) as session:
        row = session.exec(select(Edition).where(Edition.name == name)).one()
        return session.get(PdfFile, row.sha256).data


@pytest.fixture(scope="module")
def pdfs(brochure_site):
    """(kind, locale) -> the current edition's PDF bytes."""
    return {(k, l): pdf_of(brochure_site.app, f"{k}-{l}") for k, l in DOCUMENTS}


def test_ten_current_editions_recorded(brochure_site, pdfs):
    with Session(get_engine(brochure_site.app)) as session:
        rows = session.exec(select(Edition).where(Edition.source == "generated")).all()
    assert sorted(r.name for r in rows) == sorted(f"{k}-{l}" for k, l in DOCUMENTS)
    for row in rows:
        data = pdfs[row.kind, row.locale]
        assert row.name == f"{row.kind}-{row.locale}"
        assert row.size == len(data)
        assert row.sha256 == hashlib.sha256(data).hexdigest()
        assert row.pages == {"brochure": 2, "factsheet": 1}[row.kind]
        assert row.edition == date(2026, 11, 22)  # the site's today in the tests
        assert row.expires == date(2027, 5, 29)  # the day after IASSIST 2027 ends
        assert re.fullmatch(r"[0-9a-f]{64}", row.inputs_digest)
        assert (row.credit, row.origin) == ("", "")


@pytest.mark.parametrize("kind,locale", DOCUMENTS)
def test_layout_fits(brochure_site, kind, locale):
    """No panel (or factsheet area) overflows, and the page count is the fold's."""
    result = brochure_site.result(f"{kind}-{locale}")
    assert result.overflow == ()
    assert result.pages == {"brochure": 2, "factsheet": 1}[kind]


@pytest.mark.parametrize("kind,locale", DOCUMENTS)
def test_pdf_pages_metadata_and_tags(pdfs, kind, locale):
    reader = PdfReader(io.BytesIO(pdfs[kind, locale]))
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        a4 = (round(width / 72 * 25.4), round(height / 72 * 25.4))
        assert a4 == ((297, 210) if kind == "brochure" else (210, 297))
    metadata = reader.metadata
    assert metadata.title == TITLES[kind, locale]
    assert metadata.author == "IASSIST"
    assert metadata.subject == TAGLINES[locale]
    root = reader.trailer["/Root"]
    assert root["/Lang"] == locale
    # Tagged for accessibility (PDF/UA-1): structure tree, marked content, the title shown.
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfuaid:part="1"' in xmp
    assert b"<xmp:CreateDate>2026-11-22</xmp:CreateDate>" in xmp


def _tags(node, wanted, found):
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            _tags(child, wanted, found)
    elif hasattr(node, "get") and "/S" in node:
        if re.fullmatch(wanted, str(node["/S"])):
            found.append((str(node["/S"]), node.get("/Alt")))
        if node.get("/K") is not None:
            _tags(node["/K"], wanted, found)
    return found


@pytest.mark.parametrize("kind,locale", DOCUMENTS)
def test_chart_is_the_one_figure_and_has_alternate_text(pdfs, kind, locale):
    """PDF/UA: the pie chart is a Figure whose alternate text gives every share; the
    legend's swatches are not figures."""
    root = PdfReader(io.BytesIO(pdfs[kind, locale])).trailer["/Root"]
    figures = _tags(root["/StructTreeRoot"]["/K"], r"/Figure", [])
    assert figures == [("/Figure", CHART_ALT[locale])]


@pytest.mark.parametrize("kind", ["brochure", "factsheet"])
def test_heading_tags_start_at_h1_without_gaps(pdfs, kind):
    """The reading order of the tags starts with the cover's H1 (the brochure's cover is
    the third panel of its sheet) and never skips a level."""
    root = PdfReader(io.BytesIO(pdfs[kind, "en"])).trailer["/Root"]
    levels = [int(s[2]) for s, _ in _tags(root["/StructTreeRoot"]["/K"], r"/H[1-6]", [])]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels


@pytest.mark.parametrize("kind,locale", DOCUMENTS)
def test_only_source_sans_3_is_embedded(pdfs, kind, locale):
    """Every character (é ç ß ü ã õ ñ ¿ – ’ « ») comes from the vendored Source Sans 3:
    a missing glyph would have pulled in a system fallback font."""
    fonts = set()
    for page in PdfReader(io.BytesIO(pdfs[kind, locale])).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            descendant = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"].get_object()  # embedded
    assert fonts and all("Source-Sans-3" in name for name in fonts), fonts


@pytest.mark.parametrize("kind,locale", DOCUMENTS)
def test_text_is_in_its_own_language(pdfs, kind, locale):
    text = squeeze(pdf_text(pdfs[kind, locale]))
    assert squeeze(TAGLINES[locale]) in text
    assert squeeze(CONFERENCE[locale]) in text
    assert "iassistdata.org/conferences/iassist2027/" in text
    # The five languages, each named in itself.
    assert "EnglishFrançaisDeutschPortuguêsEspañol" in text
    for other in LOCALES:
        if other != locale:
            assert squeeze(TAGLINES[other]) not in text, f"{kind}-{locale} shows {other} text"
            assert squeeze(CONFERENCE[other]) not in text


@pytest.mark.parametrize("kind,locale", DOCUMENTS)
def test_first_page_says_it_is_generated_and_points_to_the_printed_edition(pdfs, kind, locale):
    first_page = PdfReader(io.BytesIO(pdfs[kind, locale])).pages[0].extract_text()
    assert squeeze(NOTICES[kind, locale]) in squeeze(first_page)


def test_urls_printed(pdfs):
    for data in pdfs.values():
        flat = squeeze(pdf_text(data))
        assert "www.iassistdata.org" in flat
        assert "https://iassistdata.org/about/become-a-member/" in flat


def test_pie_chart_is_painted_in_the_site_colours(pdfs):
    content = PdfReader(io.BytesIO(pdfs["brochure", "en"])).pages[1].get_contents().get_data()
    # #0b5c8a and #c2571a (webapp/association.py) as PDF fill colours.
    for rgb in ((0x0B, 0x5C, 0x8A), (0xC2, 0x57, 0x1A)):
        r, g, b = (c / 255 for c in rgb)
        assert re.search(rb"%.2f\d* %.2f\d* %.2f\d* rg" % (r, g, b), content), rgb


# --- the staleness rule ----------------------------------------------------------------


def test_sources_are_templates_styles_fonts_manifest_and_catalogue(brochure_site):
    """What shapes a document, and nothing else: no Python file of the package."""
    app = brochure_site.app
    root = Path(app.root_path).parent
    names = [str(p.resolve().relative_to(root)) for p in source_files(app, "factsheet", "fr")]
    assert names == [
        "templates/brochures/factsheet.html",
        "templates/brochures/_print.html",
        "templates/brochures/_parts.html",
        "templates/association/_content.html",
        "templates/events/_event.html",
        "static/css/print/brochure.css",
        "static/fonts/source-sans-3-latin-400-italic.woff",
        "static/fonts/source-sans-3-latin-400-normal.woff",
        "static/fonts/source-sans-3-latin-600-normal.woff",
        "static/fonts/source-sans-3-latin-700-normal.woff",
        "static/fonts/source-sans-3-latin-ext-400-italic.woff",
        "static/fonts/source-sans-3-latin-ext-400-normal.woff",
        "static/fonts/source-sans-3-latin-ext-600-normal.woff",
        "static/fonts/source-sans-3-latin-ext-700-normal.woff",
        "webapp/brochures/data/printed/manifest.csv",
        "translations/fr/LC_MESSAGES/messages.mo",
    ]
    english = [p.name for p in source_files(app, "brochure", "en")]
    assert english[0] == "brochure.html" and "messages.mo" not in english


def test_nothing_to_build_when_up_to_date(brochure_site):
    assert plan(brochure_site.app) == []
    assert build_missing(brochure_site.app) == []


def test_changed_event_data_makes_every_document_stale(brochure_site, tmp_path):
    app = clone_site(brochure_site, tmp_path)
    with Session(get_engine(app)) as session:
        event = session.exec(select(Event).where(Event.slug == "2027-conference-vancouver")).one()
        event.end_date = date(2027, 5, 29)
        session.add(event)
        session.commit()
    assert plan(app) == [(kind, locale, "inputs changed") for kind, locale in DOCUMENTS]


def test_render_version_makes_every_document_stale(brochure_site, monkeypatch):
    monkeypatch.setattr(store, "RENDER_VERSION", "a new renderer")
    assert plan(brochure_site.app) == [(k, l, "inputs changed") for k, l in DOCUMENTS]


def test_changed_catalogue_makes_its_documents_stale(brochure_site, tmp_path):
    """A compiled catalogue that changed since the build: that locale's documents only."""
    real = Path(brochure_site.app.config["BABEL_TRANSLATION_DIRECTORIES"])
    translations = tmp_path / "translations"
    shutil.copytree(real, translations)
    pt = translations / "pt" / "LC_MESSAGES" / "messages.mo"
    pt.write_bytes(pt.read_bytes() + b"\0")
    app = clone_site(
        brochure_site, tmp_path / "site", BABEL_TRANSLATION_DIRECTORIES=str(translations)
    )
    assert plan(app) == [
        ("brochure", "pt", "inputs changed"),
        ("factsheet", "pt", "inputs changed"),
    ]


def test_missing_edition_is_built(brochure_site, tmp_path):
    app = clone_site(brochure_site, tmp_path)
    with Session(get_engine(app)) as session:
        session.delete(session.exec(select(Edition).where(Edition.name == "factsheet-es")).one())
        session.commit()
    assert plan(app) == [("factsheet", "es", "missing")]
    [result] = build_missing(app)
    assert (result.name, result.action, result.pages) == ("factsheet-es", "built", 1)
    # Same inputs, same day: the same bytes as the session's build.
    assert pdf_of(app, "factsheet-es") == pdf_of(brochure_site.app, "factsheet-es")
    assert plan(app) == []


def test_passed_conference_is_rebuilt_while_the_site_runs(brochure_site, tmp_path):
    """On 29 May 2027 IASSIST 2027 is over: the About page still lists the editions it
    has and starts a rebuild in the background; then the current editions are dated that
    day and print no next conference (none is announced after it)."""
    app = clone_site(brochure_site, tmp_path, IASSIST_TODAY=date(2027, 5, 29))
    before = pdf_of(app, "brochure-fr")
    response = app.test_client().get("/fr/about/")
    assert response.status_code == 200
    assert "Édition actuelle, générée à partir de ce site le 22 novembre 2026" in response.text
    wait_for_refresh(timeout=120)
    assert plan(app) == []
    with Session(get_engine(app)) as session:
        rows = session.exec(select(Edition).where(Edition.source == "generated")).all()
        assert {(r.edition, r.expires) for r in rows} == {(date(2027, 5, 29), None)}
    after = pdf_of(app, "brochure-fr")
    assert after != before
    text = squeeze(pdf_text(after))
    assert "IASSIST2027" not in text and squeeze("La prochaine conférence annuelle") not in text
    assert squeeze("générée le 29 mai 2027") in text
    response = app.test_client().get("/fr/about/")
    assert "Édition actuelle, générée à partir de ce site le 29 mai 2027" in response.text


def test_download_of_an_expired_edition_serves_it_and_rebuilds(brochure_site, tmp_path):
    app = clone_site(brochure_site, tmp_path, IASSIST_TODAY=date(2027, 6, 1))
    before = pdf_of(app, "factsheet-de")
    response = app.test_client().get("/de/media/factsheet-de.pdf")
    assert response.status_code == 200 and response.data == before
    wait_for_refresh(timeout=120)
    assert pdf_of(app, "factsheet-de") != before
    assert plan(app) == []


def test_cli_lists_every_edition(brochure_site, tmp_path):
    app = clone_site(brochure_site, tmp_path)
    with Session(get_engine(app)) as session:
        session.delete(session.exec(select(Edition).where(Edition.name == "factsheet-en")).one())
        session.commit()
    result = app.test_cli_runner().invoke(args=["build-brochures"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 17
    assert lines[0].startswith("brochure-de  generated  2026-11-22  ")
    assert "brochure-fr-2012-06  printed  2012-06-01  1,394,154 bytes  2 pages  up to date" in lines
    assert "factsheet-en-2016-06  printed  2016-06-01  125,111 bytes  1 page  up to date" in lines
    [built] = [line for line in lines if line.startswith("factsheet-en  ")]
    assert built.endswith("1 page  built")
    assert lines[-1] == "1 built or loaded, 15 already up to date."


def test_serve_prepare_builds_what_is_missing(brochure_site, tmp_path):
    from webapp.serve import prepare

    app = clone_site(brochure_site, tmp_path)
    with Session(get_engine(app)) as session:
        session.delete(session.exec(select(Edition).where(Edition.name == "brochure-pt")).one())
        session.commit()
    prepare(app)
    assert plan(app) == []


def test_constraints_reject_bad_rows(empty_app):
    from datetime import UTC, datetime

    def insert(**values):
        row = dict(
            name="brochure-en",
            kind="brochure",
            locale="en",
            source="generated",
            edition=date(2026, 1, 1),
            size=1,
            sha256="0" * 64,
            pages=2,
            modified=datetime(2026, 1, 1, tzinfo=UTC),
        )
        row.update(values)
        with Session(get_engine(empty_app)) as session:
            if session.get(PdfFile, row["sha256"]) is None:
                session.add(PdfFile(sha256=row["sha256"], data=b"%PDF-"))
                session.flush()
            session.add(Edition(**row))
            session.commit()

    insert()
    for bad in (
        {"name": "leaflet-fr", "kind": "leaflet", "locale": "fr"},
        {"name": "brochure-it", "locale": "it"},
        {"name": "brochure-fr", "locale": "fr", "source": "scanned"},
        {"name": "brochure-fr", "locale": "fr", "pages": 0},
        {"name": "brochure-fr", "locale": "fr", "size": 0},
        {"name": "brochure-fr-x", "locale": "fr"},  # a current edition is named kind-locale
        {},  # brochure-en twice
    ):
        with pytest.raises(IntegrityError):
            insert(**bad)


@pytest.mark.parametrize("locale", LOCALES)
def test_about_page_chart_says_what_the_pdfs_chart_says(client, locale):
    """One macro for both: the About page's chart title is the PDFs' figure text, the
    shares joined by the language's own list pattern (no literal "; ")."""
    from html import unescape

    html = client.get(f"/{locale}/about/").get_data(as_text=True)
    [title] = re.findall(r'<title id="members-chart-title">([^<]+)</title>', html)
    assert unescape(title) == CHART_ALT[locale]


def test_no_import_cycle_between_pages_and_brochures():
    """The association's content lives in webapp/association.py: brochures never import
    pages, and pages import no domain's views."""
    import ast

    root = Path(__file__).resolve().parents[1] / "webapp"

    def imports(folder):
        found = set()
        for path in (root / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module:
                    found.add(node.module)
                elif isinstance(node, ast.Import):
                    found.update(alias.name for alias in node.names)
        return found

    assert not {m for m in imports("brochures") if m.startswith("webapp.pages")}
    assert not {m for m in imports("pages") if m.endswith(".views") and m != "webapp.pages.views"}
    assert "webapp.association" in imports("brochures") and "webapp.association" in imports("pages")
