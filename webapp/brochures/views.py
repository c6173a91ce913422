"""The brochure domain's routes: the downloads and the previews.

``GET /<locale>/media/<kind>-<doc_locale>.pdf`` is the current edition (generated from
the site's content), ``GET /<locale>/media/<kind>-<doc_locale>-<YYYY>-<MM>.pdf`` a printed
edition. Only names of the fixed lists match (converters for the kind, the locales and
the edition month), and the bytes served are those the store records for that name: no
path is ever built from the request, so ``../``, ``%2e%2e``, ``fr.pdf/..`` or a NUL byte
simply match no route (404). Responses are conditional (ETag = the PDF's SHA-256,
Last-Modified = when the store recorded these bytes; 304 for If-None-Match /
If-Modified-Since, answered from the edition's row without reading the PDF), support a
single byte range (206, or 416 when unsatisfiable) and HEAD, and are cacheable for a day.
The response says the document's language in its own ``Content-Language``.

``GET /static/previews/<name>.webp`` serves the first-page previews
(:mod:`webapp.brochures.previews`) with a year's ``immutable`` caching: their names follow
the PDF's bytes.
"""

from __future__ import annotations

import io
import re
from datetime import UTC

from babel import Locale
from flask import Blueprint, abort, current_app, request, send_file, send_from_directory
from flask.sansio.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, pgettext
from sqlmodel import select
from werkzeug.routing import BaseConverter

from webapp.brochures.models import KINDS, Edition, PdfFile
from webapp.brochures.previews import PREVIEW_FOLDER
from webapp.brochures.store import is_expired, refresh_in_background
from webapp.clock import today
from webapp.db import get_session

bp = Blueprint("brochures", __name__, url_prefix="/<locale:lang_code>/media")
previews_bp = Blueprint("brochure_previews", __name__)

#: Seconds a download may be cached (Cache-Control: public, max-age).
MAX_AGE = 86400
#: Seconds a preview may be cached: a year, immutable (its name follows its content).
PREVIEW_MAX_AGE = 365 * 86400


class DocumentKindConverter(BaseConverter):
    """URL converter ``<doc_kind:kind>`` matching only the codes in
    :data:`webapp.brochures.models.KINDS`."""

    regex = "|".join(KINDS)


class EditionMonthConverter(BaseConverter):
    """URL converter ``<edition_month:month>``: a printed edition's ``YYYY-MM``, with the
    8 hex digits that tell apart two editions of one month (see
    :func:`webapp.brochures.printed.read_supplied`)."""

    regex = r"[0-9]{4}-(?:0[1-9]|1[0-2])(?:-[0-9a-f]{8})?"


class PreviewNameConverter(BaseConverter):
    """URL converter ``<preview_name:name>``: 20 hex digits (see
    :func:`webapp.brochures.previews.preview_name`)."""

    regex = "[0-9a-f]{20}"


@bp.record_once
def _register_converters(state: BlueprintSetupState) -> None:
    # Before the blueprint's rules are added (record_once runs in order of recording).
    converters = state.app.url_map.converters
    converters.setdefault("doc_kind", DocumentKindConverter)
    converters.setdefault("edition_month", EditionMonthConverter)


@previews_bp.record_once
def _register_preview_converter(state: BlueprintSetupState) -> None:
    state.app.url_map.converters.setdefault("preview_name", PreviewNameConverter)


def kind_word(kind: str) -> str:
    """The name of ``kind`` as used in a file name, in the current locale (gettext with
    context "file name": "brochure", "factsheet")."""
    if kind == "brochure":
        return pgettext("file name", "brochure")
    return pgettext("file name", "factsheet")


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def download_name(kind: str, locale: str, month: str | None = None) -> str:
    """The file name offered for ``kind`` in ``locale``, in that locale's own words, e.g.
    ``IASSIST-dépliant-français.pdf`` for the current edition and
    ``IASSIST-dépliant-français-2012-06.pdf`` for the printed edition of ``month``
    (``YYYY-MM``): the kind from the catalogue (context "file name"), the language as
    CLDR names it in itself; spaces become hyphens, characters that file systems reject
    are dropped. Werkzeug sends a non-ASCII name as RFC 6266 ``filename*`` with an ASCII
    ``filename`` fallback.

    Needs an application context: outside one flask-babel cannot switch locale and the
    kind stays in English.
    """
    with force_locale(locale):
        word = kind_word(kind)
    language = Locale.parse(locale).get_display_name(locale)
    name = f"IASSIST-{word}-{language}" + (f"-{month}" if month else "")
    name = _UNSAFE.sub("", "-".join(name.split()))
    return f"{name}.pdf"


@bp.get("/<doc_kind:kind>-<locale:doc_locale>.pdf", defaults={"month": None})
@bp.get("/<doc_kind:kind>-<locale:doc_locale>-<edition_month:month>.pdf")
def download(kind: str, doc_locale: str, month: str | None) -> ResponseReturnValue:
    """The PDF of the edition ``kind``-``doc_locale`` (current) or
    ``kind``-``doc_locale``-``month`` (printed) as an attachment (see the module
    docstring). A current edition whose next conference is over is still served while a
    background rebuild runs (:func:`webapp.brochures.store.refresh_in_background`).

    404 when the store has no such edition (run ``flask --app wsgi build-brochures``).
    """
    name = f"{kind}-{doc_locale}" + (f"-{month}" if month else "")
    session = get_session()
    edition = session.exec(select(Edition).where(Edition.name == name)).first()
    if edition is None or (month is None) != (edition.source == "generated"):
        abort(404)
    if is_expired(edition, today()):
        refresh_in_background(current_app._get_current_object())  # type: ignore[attr-defined]
    modified = edition.modified
    if modified.tzinfo is None:  # SQLite keeps no time zone; the store writes UTC
        modified = modified.replace(tzinfo=UTC)
    # Answer a revalidation from the row alone, without reading the PDF's bytes.
    if request.if_none_match.contains(edition.sha256) or (
        not request.if_none_match
        and request.if_modified_since is not None
        and request.if_modified_since >= modified
    ):
        data = b""
    else:
        pdf = session.get(PdfFile, edition.sha256)
        if pdf is None:
            abort(404)
        data = pdf.data
    response = send_file(
        io.BytesIO(data),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=download_name(kind, doc_locale, month),
        conditional=True,
        etag=edition.sha256,
        last_modified=modified,
        max_age=MAX_AGE,
    )
    if not data:  # a 304: make_conditional saw the validators match
        response.headers.pop("Content-Length", None)
    response.headers["Content-Language"] = doc_locale
    return response


@previews_bp.get(f"/static/{PREVIEW_FOLDER}/<preview_name:name>.webp")
def preview(name: str) -> ResponseReturnValue:
    """A first-page preview, cacheable for a year as immutable; 404 when there is none."""
    folder = current_app.static_folder or "static"
    response = send_from_directory(
        f"{folder}/{PREVIEW_FOLDER}", f"{name}.webp", max_age=PREVIEW_MAX_AGE, conditional=True
    )
    response.cache_control.immutable = True
    response.cache_control.public = True
    return response
