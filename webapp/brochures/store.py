"""The editions in the store: loading the printed ones, building the current ones, and the
one rule that says when a current edition must be built again.

**Staleness.** A current (generated) edition is rebuilt exactly when its
:func:`inputs_digest` differs from the one recorded with it. The digest covers what shapes
the document and nothing else: :data:`RENDER_VERSION` (bumped when the rendering code
changes its output), the kind and locale, the templates it is made of, the print
stylesheet and the fonts it embeds, the locale's compiled catalogue, the manifest of the
printed editions (it names the printed edition it points to), and the data it prints: the
next annual conference as of the site's today. No file date is compared, and no folder is
mirrored: the PDF's bytes are in the store (:class:`webapp.brochures.models.PdfFile`).

**A conference that passes.** The next conference a current edition prints stops being
the next one on a known day, recorded with the edition (``Edition.expires``). The About
page and the download route compare that date with today (no query, no hashing); once it
has come, :func:`refresh_in_background` rebuilds what the digest says is stale in a
background thread, one at a time, while the stale edition is still served. Event data
loaded while the site runs (``load-events``) is picked up by the next
``build-brochures`` or start.

**Printed editions** (:mod:`webapp.brochures.printed`): the bundled ones are loaded from
their manifest, checked byte for byte; supplied ones from ``OFFICIAL_BROCHURE_DIR``.
:func:`sync_printed` makes the store hold exactly those.

Every edition recorded gets its first-page preview (:mod:`webapp.brochures.previews`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from webapp.brochures.check import layout_problems, pdf_pages
from webapp.brochures.models import KINDS, Edition, PdfFile
from webapp.brochures.previews import ensure_preview, preview_path
from webapp.brochures.printed import (
    MANIFEST,
    PrintedPdf,
    printed_edition_of,
    read_manifest,
    read_supplied,
)
from webapp.brochures.render import STYLESHEET, TEMPLATES, render_pdf
from webapp.clock import today
from webapp.db import get_engine
from webapp.events.models import Event
from webapp.events.queries import next_annual_conference
from webapp.i18n import LOCALES

LOGGER = logging.getLogger(__name__)

#: Bump when a change of the rendering code (webapp/brochures/render.py, the display
#: rules it prints with) changes the PDFs, so that every current edition is rebuilt.
RENDER_VERSION = "2"
#: Templates every document is made of, besides its own (``TEMPLATES[kind]``).
SHARED_TEMPLATES = (
    "brochures/_print.html",
    "brochures/_parts.html",
    "association/_content.html",
    "events/_event.html",
)
#: The fonts the print stylesheet embeds, under the static folder.
FONTS_GLOB = "fonts/source-sans-3-*.woff"


class BrochureError(Exception):
    """An edition could not be built or loaded (rendering failed, a printed edition was
    refused)."""


@dataclass(frozen=True)
class BuildResult:
    """What happened to one edition: ``name`` (``brochure-fr``, ``brochure-fr-2012-06``),
    ``kind``, ``locale``, ``source`` (``generated`` or ``printed``), ``action``
    (``built``, ``loaded``, ``removed``), ``size`` (bytes), ``pages``, ``overflow`` (the
    layout problems of a generated edition, :func:`webapp.brochures.check.layout_problems`;
    an edition with problems is still recorded, and logged)."""

    name: str
    kind: str
    locale: str
    source: str
    action: str
    size: int
    pages: int
    overflow: tuple[str, ...] = field(default=())


# --- the staleness rule ----------------------------------------------------------------


def source_files(app: Flask, kind: str, locale: str) -> list[Path]:
    """The files that shape ``kind`` in ``locale``, in a fixed order: its templates
    (:data:`TEMPLATES`, :data:`SHARED_TEMPLATES`), the print stylesheet and fonts, the
    manifest of the printed editions, and the locale's compiled catalogue if it exists
    (English, the source language, has none)."""
    templates = Path(app.template_folder or "templates")
    static = Path(app.static_folder or "static")
    files = [templates / TEMPLATES[kind], *(templates / name for name in SHARED_TEMPLATES)]
    files.append(static / STYLESHEET)
    files.extend(sorted(static.glob(FONTS_GLOB)))
    files.append(MANIFEST)
    folders = str(app.config.get("BABEL_TRANSLATION_DIRECTORIES", "translations")).split(";")
    for folder in folders:
        mo = Path(folder) / locale / "LC_MESSAGES" / "messages.mo"
        if mo.is_file():
            files.append(mo)
    return files


def conference_facts(event: Event | None) -> dict[str, Any] | None:
    """The facts of ``event`` a document prints (for :func:`inputs_digest`), or None."""
    if event is None:
        return None
    names = (
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
    facts: dict[str, Any] = {name: getattr(event, name) for name in names}
    facts["translations"] = sorted((t.locale, t.field, t.text) for t in event.translations)
    return facts


def inputs_digest(app: Flask, kind: str, locale: str, conference: Event | None) -> str:
    """SHA-256 (hex) of everything that shapes ``kind`` in ``locale`` (see the module
    docstring); ``conference`` is the next annual conference it prints.

    Raises:
        OSError: a source file cannot be read.
    """
    digest = hashlib.sha256()
    digest.update(json.dumps([RENDER_VERSION, kind, locale]).encode())
    for path in source_files(app, kind, locale):
        # By name and content, not by folder: moving the project changes nothing.
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    digest.update(json.dumps(conference_facts(conference), default=str).encode())
    return digest.hexdigest()


def expiry(conference: Event | None) -> date | None:
    """The first day on which ``conference`` is past, so that it is no longer the next
    one (:func:`webapp.events.queries.next_annual_conference`): the day after its last
    day, or 1 January after its year when its dates are unknown; None for no conference."""
    if conference is None:
        return None
    if conference.end_date is not None:
        return conference.end_date + timedelta(days=1)
    return date(conference.year + 1, 1, 1)


def today_for(app: Flask) -> date:
    """The site's today (:func:`webapp.clock.today`) for ``app``, outside a request."""
    with app.app_context():
        return today()


def plan(app: Flask) -> list[tuple[str, str, str]]:
    """The current editions :func:`build_missing` would build: ``(kind, locale, reason)``
    with reason ``"missing"`` or ``"inputs changed"``. Builds nothing."""
    todo = []
    with Session(get_engine(app)) as session:
        rows = {
            (r.kind, r.locale): r
            for r in session.exec(select(Edition).where(Edition.source == "generated")).all()
        }
        conference = next_annual_conference(session, today_for(app))
        for kind in KINDS:
            for locale in LOCALES:
                row = rows.get((kind, locale))
                if row is None:
                    todo.append((kind, locale, "missing"))
                elif row.inputs_digest != inputs_digest(app, kind, locale, conference):
                    todo.append((kind, locale, "inputs changed"))
    return todo


# --- recording -------------------------------------------------------------------------


def _record(session: Session, name: str, data: bytes, values: dict[str, Any]) -> Edition:
    """Insert or replace the edition ``name`` with ``values`` and its PDF ``data``, drop
    PDFs no edition uses any more, and commit."""
    sha = values["sha256"]
    for attempt in range(2):
        if session.get(PdfFile, sha) is None:
            session.add(PdfFile(sha256=sha, data=data))
        row = session.exec(select(Edition).where(Edition.name == name)).first()
        if row is None:
            row = Edition(name=name, **values)
        elif row.sha256 != sha:
            for key, value in values.items():
                setattr(row, key, value)
        else:  # the same bytes: keep the date they were first recorded (Last-Modified)
            for key, value in values.items():
                if key != "modified":
                    setattr(row, key, value)
        session.add(row)
        try:
            session.flush()
            _drop_unused_pdfs(session)
            session.commit()
            session.refresh(row)
            return row
        except IntegrityError:
            # Another process recorded the same edition or PDF meanwhile: start again.
            session.rollback()
            if attempt:
                raise
    raise AssertionError("unreachable")


def _drop_unused_pdfs(session: Session) -> None:
    used = select(Edition.sha256)
    for pdf in session.exec(select(PdfFile).where(col(PdfFile.sha256).not_in(used))).all():
        session.delete(pdf)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


# --- current editions ------------------------------------------------------------------


def build_one(
    app: Flask, session: Session, kind: str, locale: str, force: bool = False
) -> BuildResult:
    """Render the current edition of ``kind`` in ``locale`` and record it (with its
    preview), replacing the previous one. When its inputs have not changed since the
    recorded build, it keeps that build's edition date (so the same bytes) unless
    ``force``, which dates it today.

    Raises:
        ValueError: unknown kind or locale.
        BrochureError: the PDF could not be rendered, or its preview made.
    """
    if kind not in KINDS or locale not in LOCALES:
        raise ValueError(f"unknown document {kind}-{locale}")
    name = f"{kind}-{locale}"
    row = session.exec(select(Edition).where(Edition.name == name)).first()
    on = today_for(app)
    conference = next_annual_conference(session, on)
    digest = inputs_digest(app, kind, locale, conference)
    same_inputs = row is not None and row.inputs_digest == digest
    edition = row.edition if (same_inputs and not force and row is not None) else on
    printed = printed_edition_of(kind, locale)
    try:
        data, overflow = render_pdf(app, kind, locale, edition, conference, printed)
        pages = pdf_pages(data)
        width, height = ensure_preview(app, hashlib.sha256(data).hexdigest(), data)
    except Exception as error:  # RenderError, or WeasyPrint wrote something unreadable
        raise BrochureError(f"{name}: {error}") from error
    problems = layout_problems(kind, pages, overflow)
    if problems:
        LOGGER.warning("%s: the layout overflows: %s", name, "; ".join(problems))
    _record(
        session,
        name,
        data,
        {
            "kind": kind,
            "locale": locale,
            "source": "generated",
            "edition": edition,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "pages": pages,
            "modified": _now(),
            "credit": "",
            "origin": "",
            "inputs_digest": digest,
            "expires": expiry(conference),
            "preview_width": width,
            "preview_height": height,
        },
    )
    return BuildResult(name, kind, locale, "generated", "built", len(data), pages, tuple(problems))


# --- printed editions ------------------------------------------------------------------


def printed_editions(app: Flask) -> list[PrintedPdf]:
    """The printed editions the store should hold: the bundled ones (checked against
    their manifest, :data:`webapp.brochures.printed.MANIFEST`, or the app's
    ``PRINTED_MANIFEST`` setting where a test gives another copy) and those supplied in
    ``OFFICIAL_BROCHURE_DIR``.

    Raises:
        BrochureError: a bundled file or its manifest row is wrong (nothing is loaded).
    """
    from webapp.brochures.printed import PrintedEditionError

    try:
        bundled = read_manifest(app.config.get("PRINTED_MANIFEST", MANIFEST))
    except PrintedEditionError as error:
        raise BrochureError(f"printed editions not loaded: {error}") from error
    taken = {e.name: e.sha256 for e in bundled}
    return bundled + read_supplied(Path(app.config["OFFICIAL_BROCHURE_DIR"]), taken)


def sync_printed(app: Flask, session: Session) -> list[BuildResult]:
    """Make the store's printed editions exactly :func:`printed_editions`: load the new
    or changed ones (with their previews), remove the withdrawn ones. All or nothing for
    the bundled set.

    Returns:
        One :class:`BuildResult` per edition loaded or removed (empty when in step).

    Raises:
        BrochureError: a bundled edition was refused (the store is unchanged).
    """
    wanted = printed_editions(app)
    rows = {
        r.name: r for r in session.exec(select(Edition).where(Edition.source == "printed")).all()
    }
    results = []
    for printed in wanted:
        row = rows.get(printed.name)
        if (
            row is not None
            and row.sha256 == printed.sha256
            and row.origin == printed.origin
            and preview_path(app, row.sha256).is_file()
        ):
            continue
        try:
            width, height = ensure_preview(app, printed.sha256, printed.data)
        except (ValueError, OSError) as error:
            raise BrochureError(f"{printed.origin}: no preview: {error}") from error
        _record(
            session,
            printed.name,
            printed.data,
            {
                "kind": printed.kind,
                "locale": printed.locale,
                "source": "printed",
                "edition": printed.edition,
                "size": len(printed.data),
                "sha256": printed.sha256,
                "pages": printed.pages,
                "modified": _now(),
                "credit": printed.credit,
                "origin": printed.origin,
                "inputs_digest": "",
                "expires": None,
                "preview_width": width,
                "preview_height": height,
            },
        )
        results.append(
            BuildResult(
                printed.name,
                printed.kind,
                printed.locale,
                "printed",
                "loaded",
                len(printed.data),
                printed.pages,
            )
        )
    names = {p.name for p in wanted}
    for name, row in rows.items():
        if name not in names:
            session.delete(row)
            results.append(
                BuildResult(name, row.kind, row.locale, "printed", "removed", row.size, row.pages)
            )
    session.flush()
    _drop_unused_pdfs(session)
    session.commit()
    return results


# --- all of it -------------------------------------------------------------------------


def ensure_previews(app: Flask, session: Session) -> int:
    """Write the previews missing from ``static/previews`` (a fresh checkout, or the
    folder emptied) from the PDFs in the store. Returns how many were written."""
    written = 0
    for row in session.exec(select(Edition)).all():
        if not preview_path(app, row.sha256).is_file():
            pdf = session.get(PdfFile, row.sha256)
            if pdf is not None:
                ensure_preview(app, row.sha256, pdf.data)
                written += 1
    return written


def build_missing(app: Flask) -> list[BuildResult]:
    """Bring the store up to date: the printed editions synced (:func:`sync_printed`),
    the current editions that :func:`plan` lists built, missing previews written.

    Returns:
        A :class:`BuildResult` per edition built, loaded or removed (empty when all are
        up to date).

    Raises:
        BrochureError: an edition could not be built or loaded.
    """
    with Session(get_engine(app)) as session:
        results = sync_printed(app, session)
        for kind, locale, reason in plan(app):
            LOGGER.info("Building %s-%s (%s)", kind, locale, reason)
            results.append(build_one(app, session, kind, locale))
        ensure_previews(app, session)
    return results


def build_all(app: Flask) -> list[BuildResult]:
    """Sync the printed editions and build every current edition again, dated today.

    Returns:
        The :class:`BuildResult` of the printed editions loaded or removed, then one per
        current edition in the order of KINDS × LOCALES.

    Raises:
        BrochureError: an edition could not be built (the ones before it are recorded).
    """
    with Session(get_engine(app)) as session:
        results = sync_printed(app, session)
        for kind in KINDS:
            for locale in LOCALES:
                results.append(build_one(app, session, kind, locale, force=True))
    return results


# --- rebuilding while the site runs ----------------------------------------------------

_refresh_lock = threading.Lock()
_refresh_thread: threading.Thread | None = None


def is_expired(edition: Edition, on: date) -> bool:
    """Whether the next conference ``edition`` prints is over on day ``on``."""
    return edition.expires is not None and edition.expires <= on


def refresh_in_background(app: Flask) -> threading.Thread | None:
    """Start :func:`build_missing` in a background thread unless one is running; the
    site keeps serving the editions it has meanwhile. Returns the thread started, or
    None. A failure is logged (the stale edition stays)."""
    global _refresh_thread
    if not _refresh_lock.acquire(blocking=False):
        return None

    def run() -> None:
        try:
            results = build_missing(app)
            LOGGER.info("Rebuilt %d editions whose next conference is over", len(results))
        except Exception:  # a background thread has no caller to raise to
            LOGGER.exception("Rebuilding the expired editions failed")
        finally:
            _refresh_lock.release()

    _refresh_thread = threading.Thread(target=run, name="brochure-refresh", daemon=True)
    _refresh_thread.start()
    return _refresh_thread


def wait_for_refresh(timeout: float | None = None) -> None:
    """Wait for the background rebuild started last, if any (tests, shutdown)."""
    if _refresh_thread is not None:
        _refresh_thread.join(timeout)
