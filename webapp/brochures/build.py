"""Building the brochure and factsheet PDFs, and the override by official PDFs.

Each document (kind × locale, :data:`webapp.brochures.models.KINDS` ×
:data:`webapp.i18n.LOCALES`) is a Jinja template (``templates/brochures/<kind>.html``)
rendered inside ``flask_babel.force_locale(locale)``, so that ``_()`` gives that locale's
text from the site's own catalogues, then laid out by WeasyPrint 70 as a tagged PDF
(PDF/UA-1) whose title, language and author come from the template's ``<head>``.

Sources of a document, and what makes it stale (:func:`plan`):

- the templates ``templates/brochures/*.html`` (but ``_media.html``, a part of the About
  page) and ``templates/events/_event.html``, the stylesheet
  ``static/css/print/brochure.css`` and the fonts it embeds;
- the compiled catalogue ``translations/<locale>/LC_MESSAGES/messages.mo`` of its locale
  (English, the source language, has none);
- the Python code that renders it: every module of the ``webapp`` package (event display
  rules, CLDR formatting, the chart geometry, this builder), so that a change of code
  never leaves an old PDF behind;
- the event data: the next annual conference in the store
  (:func:`webapp.events.queries.next_annual_conference`), as of the site's today.

A generated PDF is rebuilt when it is missing, when the digest of those sources differs
from the one recorded with it (``Document.inputs_digest``), or when its file is older
than one of the source files. An official PDF supplied by the association in
``OFFICIAL_BROCHURE_DIR`` (``<kind>-<locale>.pdf``; for the brochure ``<locale>.pdf`` is
accepted too) replaces the generated one for that kind and locale as long as it is there
and readable.

Generated files are written to ``BROCHURE_DIR`` as ``<kind>-<locale>.pdf``, atomically
(a temporary file renamed over the old one), so the site can serve while it builds.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import json
import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from flask import Flask, g, render_template
from flask_babel import force_locale, format_date
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from webapp.brochures.models import EXPECTED_PAGES, KINDS, Document
from webapp.clock import today
from webapp.db import get_engine
from webapp.events.models import Event
from webapp.events.queries import next_annual_conference
from webapp.i18n import LOCALES

LOGGER = logging.getLogger(__name__)

#: kind -> template name (under the app's template folder)
TEMPLATES = {"brochure": "brochures/brochure.html", "factsheet": "brochures/factsheet.html"}
#: The print stylesheet, relative to the static folder.
STYLESHEET = "css/print/brochure.css"
#: Templates that are not part of the printed documents.
NOT_PRINTED = ("_media.html",)
#: Change this when the build code changes the output, so that every PDF is rebuilt.
BUILD_VERSION = "1"
#: WeasyPrint options: a tagged PDF (PDF/UA-1, which turns on ``pdf_tags``) with a file
#: identifier derived from its content (reproducible output).
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_identifier": True}
#: Colours of the pie chart slices, the site's (static/css/site.css ``.slice-*``).
SLICE_COLOURS = {"us": "#0b5c8a", "europe": "#c2571a", "canada": "#3d8b57", "other": "#8a6bb0"}


class BrochureError(Exception):
    """A document could not be built (template error, WeasyPrint failure, missing font or
    stylesheet, unwritable ``BROCHURE_DIR``)."""


@dataclass(frozen=True)
class BuildResult:
    """What happened to one document.

    ``action``: ``"built"`` (a new PDF written), ``"unchanged"`` (rebuilt, same bytes as
    the file already there, which was kept), ``"official"`` (the official PDF recorded).
    ``file`` is the PDF's path, ``size`` its size in bytes, ``pages`` its page count,
    ``overflow`` the panels (or page areas) whose content did not fit (empty when the
    layout is sound; a generated document with overflow is still recorded, and logged).
    """

    kind: str
    locale: str
    action: str
    file: Path
    size: int
    pages: int
    source: str
    overflow: tuple[str, ...] = field(default=())


# --- paths -------------------------------------------------------------------------


def generated_path(app: Flask, kind: str, locale: str) -> Path:
    """Where the generated PDF of ``kind`` in ``locale`` is written:
    ``BROCHURE_DIR/<kind>-<locale>.pdf``."""
    return Path(app.config["BROCHURE_DIR"]) / f"{kind}-{locale}.pdf"


def official_path(app: Flask, kind: str, locale: str) -> Path | None:
    """The official PDF supplied for ``kind`` in ``locale``, if there is one:
    ``OFFICIAL_BROCHURE_DIR/<kind>-<locale>.pdf``, or ``<locale>.pdf`` for the brochure
    (the names of :func:`webapp.config.settings_from_env`). None when there is none.

    Only ``kind`` and ``locale`` from the fixed lists make the name, never a request.
    """
    if kind not in KINDS or locale not in LOCALES:
        raise ValueError(f"unknown document {kind}-{locale}")
    folder = Path(app.config["OFFICIAL_BROCHURE_DIR"])
    names = [f"{kind}-{locale}.pdf"] + ([f"{locale}.pdf"] if kind == "brochure" else [])
    for name in names:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def source_files(app: Flask, locale: str) -> list[Path]:
    """The files a document in ``locale`` is built from (see the module docstring), in a
    fixed order; the catalogue is listed only if it exists."""
    root = Path(app.config["PROJECT_ROOT"])
    templates = Path(str(app.template_folder))
    static = Path(str(app.static_folder))
    files = sorted(p for p in (templates / "brochures").glob("*.html") if p.name not in NOT_PRINTED)
    files.append(templates / "events" / "_event.html")
    files.append(static / STYLESHEET)
    files.extend(sorted((static / "fonts").glob("source-sans-3-*.woff")))
    package = Path(__file__).resolve().parent.parent
    files.extend(sorted(package.rglob("*.py")))
    for folder in str(app.config.get("BABEL_TRANSLATION_DIRECTORIES", root / "translations")).split(
        ";"
    ):
        mo = Path(folder) / locale / "LC_MESSAGES" / "messages.mo"
        if mo.is_file():
            files.append(mo)
    return files


def _event_fingerprint(event: Event | None) -> dict | None:
    if event is None:
        return None
    fields = (
        "slug",
        "kind",
        "year",
        "start_date",
        "end_date",
        "number",
        "title",
        "theme",
        "city",
        "region_or_state",
        "country_code",
        "format",
        "status",
        "url",
    )
    data = {name: getattr(event, name) for name in fields}
    data["translations"] = sorted((t.locale, t.field, t.text) for t in event.translations)
    return data


def inputs_digest(app: Flask, session: Session, kind: str, locale: str) -> str:
    """SHA-256 (hex) of everything the PDF of ``kind`` in ``locale`` is built from: the
    build version and options, the bytes of :func:`source_files`, and the next annual
    conference's data."""
    digest = hashlib.sha256()
    digest.update(json.dumps([BUILD_VERSION, kind, locale, sorted(PDF_OPTIONS.items())]).encode())
    for path in source_files(app, locale):
        # By name and content, not by folder: moving the project changes nothing.
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    conference = next_annual_conference(session, today_for(app))
    digest.update(json.dumps(_event_fingerprint(conference), default=str).encode())
    return digest.hexdigest()


def today_for(app: Flask) -> date:
    """The site's today (:func:`webapp.clock.today`) for ``app``, outside a request."""
    with app.app_context():
        return today()


# --- rendering -----------------------------------------------------------------------


def short_url(url: str) -> str:
    """A URL as printed: without its scheme (``https://iassistdata.org/iq/`` ->
    ``iassistdata.org/iq/``)."""
    parts = urlsplit(url)
    return (parts.netloc + parts.path) if parts.netloc else url


def render_html(app: Flask, session: Session, kind: str, locale: str, edition: date) -> str:
    """The HTML of ``kind`` in ``locale`` (the template rendered with that locale's
    catalogue), with ``edition`` as its edition date.

    Raises:
        ValueError: unknown kind or locale.
        jinja2.TemplateError: the template is broken.
    """
    if kind not in TEMPLATES or locale not in LOCALES:
        raise ValueError(f"unknown document {kind}-{locale}")
    from webapp.pages.charts import pie_slices
    from webapp.pages.views import ASSOCIATION_SITE

    stylesheet = (Path(str(app.static_folder)) / STYLESHEET).as_uri()
    with app.test_request_context(f"/{locale}/"):
        g.locale = locale
        with force_locale(locale):
            conference = next_annual_conference(session, today())
            return render_template(
                TEMPLATES[kind],
                locale=locale,
                edition=edition,
                edition_text=format_date(edition, "long"),
                conference=conference,
                slices=pie_slices(),
                colours=SLICE_COLOURS,
                links=ASSOCIATION_SITE,
                short_url=short_url,
                stylesheet=stylesheet,
            )


def _url_fetcher(static_folder: Path) -> Any:
    """A WeasyPrint URL fetcher that reads files under ``static_folder`` only: nothing is
    fetched from the network, and a missing font or stylesheet stops the build."""
    from weasyprint.urls import URLFetcher

    root = static_folder.resolve()

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme != "file":
                raise ValueError(f"not a local file: {url}")
            path = Path(url2pathname(parts.path)).resolve()
            if not path.is_relative_to(root):
                raise ValueError(f"outside the static folder: {url}")
            return super().fetch(url, headers)

    return StaticOnlyFetcher(allowed_protocols={"file"}, fail_on_errors=True)


def _overflow(document: Any) -> list[str]:
    """The areas of laid-out WeasyPrint ``document`` whose content does not fit: every
    element of class ``fit`` (a brochure panel, the factsheet's body) whose descendants
    reach below its content box. Returned as ``"page N: <classes>"`` strings."""
    problems = []
    for number, page in enumerate(document.pages, start=1):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None or not hasattr(box, "children"):
                continue
            classes = (element.get("class") or "").split()
            if "fit" not in classes or not isinstance(box.height, (int, float)):
                continue
            bottom = box.content_box_y() + box.height
            for child in box.descendants():
                if child is box or not isinstance(getattr(child, "height", None), (int, float)):
                    continue
                if child.position_y + child.margin_height() > bottom + 0.5:
                    label = f"page {number}: {' '.join(c for c in classes if c != 'fit')}"
                    if label not in problems:
                        problems.append(label)
                    break
    return problems


@contextmanager
def _source_date(edition: date) -> Iterator[None]:
    """Reproducible output: the embedded font subsets carry a timestamp (fontTools), which
    follows ``SOURCE_DATE_EPOCH`` (reproducible-builds.org) when set. Set it to the
    edition date (midnight UTC) while rendering, unless the environment sets it already."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(edition.timetuple()))
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def render_pdf(
    app: Flask, session: Session, kind: str, locale: str, edition: date
) -> tuple[bytes, list[str]]:
    """The PDF of ``kind`` in ``locale`` (bytes) and the list of overflowing panels
    (see :func:`_overflow`; empty when everything fits).

    Raises:
        BrochureError: the template, a font, the stylesheet or WeasyPrint failed.
    """
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    static = Path(str(app.static_folder))
    try:
        html = render_html(app, session, kind, locale, edition)
        with _source_date(edition):
            document = HTML(
                string=html, base_url=static.as_uri() + "/", url_fetcher=_url_fetcher(static)
            ).render(**PDF_OPTIONS)
            overflow = _overflow(document)
            return document.write_pdf(**PDF_OPTIONS), overflow
    except (Exception, FatalURLFetchingError) as error:  # the latter is a BaseException
        raise BrochureError(f"{kind}-{locale}: {type(error).__name__}: {error}") from error


# --- reading PDFs --------------------------------------------------------------------


def pdf_facts(data: bytes) -> tuple[int, date | None]:
    """(page count, creation date or None) of a PDF, read with pypdf.

    Raises:
        BrochureError: not a readable PDF, or one with no page.
    """
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.startswith(b"%PDF-"):
        raise BrochureError("not a PDF file")
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = len(reader.pages)
        created = None
        try:
            metadata = reader.metadata
            if metadata is not None and metadata.creation_date is not None:
                created = metadata.creation_date.date()
        except (PyPdfError, ValueError, TypeError):
            created = None
    except (PyPdfError, ValueError, TypeError, KeyError, OSError) as error:
        raise BrochureError(f"unreadable PDF: {error}") from error
    if pages < 1:
        raise BrochureError("a PDF with no page")
    return pages, created


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- the store -----------------------------------------------------------------------


def _record(session: Session, kind: str, locale: str, **values: Any) -> Document:
    """Insert or replace the row of (kind, locale) with ``values`` and commit."""
    for attempt in range(2):
        row = session.exec(
            select(Document).where(Document.kind == kind, Document.locale == locale)
        ).first()
        if row is None:
            row = Document(kind=kind, locale=locale, **values)
        else:
            for name, value in values.items():
                setattr(row, name, value)
        session.add(row)
        try:
            session.commit()
            session.refresh(row)
            return row
        except IntegrityError:
            # Another process inserted the same pair meanwhile: update its row instead.
            session.rollback()
            if attempt:
                raise
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class OfficialPdf:
    """An official PDF that pypdf can read: ``path``, ``data`` (bytes), ``pages``,
    ``edition`` (its creation date, else its file date)."""

    path: Path
    data: bytes
    pages: int
    edition: date


def usable_official(app: Flask, kind: str, locale: str) -> OfficialPdf | None:
    """The official PDF of ``kind`` in ``locale`` (:func:`official_path`) if there is one
    and pypdf can read it; an unreadable one is logged and ignored (None), so the
    generated PDF is used instead."""
    path = official_path(app, kind, locale)
    if path is None:
        return None
    try:
        data = path.read_bytes()
        pages, created = pdf_facts(data)
        edition = created or date.fromtimestamp(path.stat().st_mtime)
    except (OSError, BrochureError) as error:
        LOGGER.error("Official PDF %s ignored, the generated one is used: %s", path, error)
        return None
    return OfficialPdf(path.resolve(), data, pages, edition)


def _stale_reason(
    app: Flask, session: Session, kind: str, locale: str, row: Document | None
) -> str | None:
    official = usable_official(app, kind, locale)
    if official is not None:
        if row is None or row.source != "official" or Path(row.file) != official.path:
            return "official PDF supplied"
        if (
            len(official.data) != row.size
            or hashlib.sha256(official.data).hexdigest() != row.sha256
        ):
            return "official PDF changed"
        return None
    if row is None:
        return "missing"
    if row.source == "official":
        return "official PDF withdrawn"
    path = Path(row.file)
    try:
        stat = path.stat()
    except OSError:
        return "file missing"
    if stat.st_size != row.size:
        return "file changed on disk"
    if row.inputs_digest != inputs_digest(app, session, kind, locale):
        return "sources changed"
    newest = max((p.stat().st_mtime for p in source_files(app, locale)), default=0)
    if stat.st_mtime < newest:
        return "older than its sources"
    return None


def plan(app: Flask) -> list[tuple[str, str, str]]:
    """The documents :func:`build_missing` would build: ``(kind, locale, reason)`` for
    each one that is missing, stale (see the module docstring), or whose official PDF
    was supplied, changed or withdrawn. Builds nothing."""
    todo = []
    with Session(get_engine(app)) as session:
        rows = {(r.kind, r.locale): r for r in session.exec(select(Document)).all()}
        for kind in KINDS:
            for locale in LOCALES:
                reason = _stale_reason(app, session, kind, locale, rows.get((kind, locale)))
                if reason:
                    todo.append((kind, locale, reason))
    return todo


def build_one(
    app: Flask, session: Session, kind: str, locale: str, force: bool = False
) -> BuildResult:
    """Build (or take the official PDF of) ``kind`` in ``locale`` and record it in the
    store, replacing its row.

    An official PDF (:func:`official_path`) that pypdf can read wins; an unreadable one
    is logged and ignored. Otherwise the PDF is rendered; when the sources have not
    changed since the recorded build, it keeps that build's edition date, so the bytes
    are the same and the file already there is kept (its date, hence the downloads'
    Last-Modified, stays) unless ``force``; ``force`` also dates the edition today.

    Raises:
        ValueError: unknown kind or locale.
        BrochureError: the PDF could not be built or written.
    """
    if kind not in KINDS or locale not in LOCALES:
        raise ValueError(f"unknown document {kind}-{locale}")
    row = session.exec(
        select(Document).where(Document.kind == kind, Document.locale == locale)
    ).first()

    official = usable_official(app, kind, locale)
    if official is not None:
        size = len(official.data)
        _record(
            session,
            kind,
            locale,
            edition=official.edition,
            file=str(official.path),
            size=size,
            sha256=hashlib.sha256(official.data).hexdigest(),
            pages=official.pages,
            source="official",
            inputs_digest="",
        )
        return BuildResult(
            kind, locale, "official", official.path, size, official.pages, "official"
        )

    digest = inputs_digest(app, session, kind, locale)
    same_sources = row is not None and row.source == "generated" and row.inputs_digest == digest
    edition = row.edition if (row is not None and same_sources and not force) else today_for(app)
    data, overflow = render_pdf(app, session, kind, locale, edition)
    try:
        pages, _created = pdf_facts(data)
    except BrochureError as error:
        raise BrochureError(
            f"{kind}-{locale}: WeasyPrint wrote an unreadable PDF: {error}"
        ) from error
    if pages != EXPECTED_PAGES[kind]:
        overflow = [*overflow, f"{pages} pages instead of {EXPECTED_PAGES[kind]}"]
    if overflow:
        LOGGER.warning("%s-%s: the layout overflows: %s", kind, locale, "; ".join(overflow))
    sha = hashlib.sha256(data).hexdigest()
    target = generated_path(app, kind, locale)
    action = "built"
    try:
        if (
            not force
            and target.is_file()
            and hashlib.sha256(target.read_bytes()).hexdigest() == sha
        ):
            action = "unchanged"
            if target.stat().st_mtime < max(p.stat().st_mtime for p in source_files(app, locale)):
                os.utime(target)  # the same bytes, but now known to be up to date
        else:
            _write_atomically(target, data)
    except OSError as error:
        raise BrochureError(f"cannot write {target}: {error}") from error
    _record(
        session,
        kind,
        locale,
        edition=edition,
        file=str(target.resolve()),
        size=len(data),
        sha256=sha,
        pages=pages,
        source="generated",
        inputs_digest=digest,
    )
    return BuildResult(kind, locale, action, target, len(data), pages, "generated", tuple(overflow))


def build_all(app: Flask, force: bool = False) -> list[BuildResult]:
    """Build every document (each kind in each locale), recording each in the store.

    Every generated PDF is rendered again; one whose bytes did not change is left in
    place unless ``force`` (which rewrites every file and dates every edition today).
    Official PDFs win where supplied.

    Returns:
        One :class:`BuildResult` per document, in the order of KINDS × LOCALES.

    Raises:
        BrochureError: a document could not be built (the ones before it are recorded).
    """
    results = []
    with Session(get_engine(app)) as session:
        for kind in KINDS:
            for locale in LOCALES:
                results.append(build_one(app, session, kind, locale, force=force))
    return results


def build_missing(app: Flask) -> list[BuildResult]:
    """Build only the documents :func:`plan` lists (missing, stale, official PDF supplied,
    changed or withdrawn); the others are left as they are.

    Returns:
        A :class:`BuildResult` per document built (empty when all are up to date).

    Raises:
        BrochureError: a document could not be built.
    """
    todo = plan(app)
    results = []
    with Session(get_engine(app)) as session:
        for kind, locale, reason in todo:
            LOGGER.info("Building %s-%s (%s)", kind, locale, reason)
            results.append(build_one(app, session, kind, locale))
    return results
