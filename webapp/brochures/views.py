"""The download route of the brochures: ``GET /<locale>/media/<kind>-<doc_locale>.pdf``.

Only the names of the fixed lists match (a converter each for the kind and the
document's locale), and the file served is the one the store records for that pair: no
path is ever built from the request, so ``../``, ``%2e%2e``, ``fr.pdf/..`` or a NUL byte
simply match no route (404). Responses are conditional (ETag = the file's SHA-256,
Last-Modified = the file's date; 304 for If-None-Match / If-Modified-Since), support a
single byte range (206, or 416 when unsatisfiable) and HEAD, and are cacheable for a day.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from babel import Locale
from flask import Blueprint, Response, abort, current_app, g, send_file
from flask.sansio.blueprints import BlueprintSetupState
from flask_babel import force_locale, pgettext
from sqlmodel import select
from werkzeug.routing import BaseConverter

from webapp.brochures.models import KINDS, Document
from webapp.db import get_session

bp = Blueprint("brochures", __name__, url_prefix="/<locale:lang_code>/media")

#: Seconds a download may be cached (Cache-Control: public, max-age).
MAX_AGE = 86400


class DocumentKindConverter(BaseConverter):
    """URL converter ``<doc_kind:kind>`` matching only the codes in
    :data:`webapp.brochures.models.KINDS`."""

    regex = "|".join(KINDS)


@bp.record_once
def _register_converter(state: BlueprintSetupState) -> None:
    # Before the blueprint's rules are added (record_once runs in order of recording).
    state.app.url_map.converters.setdefault("doc_kind", DocumentKindConverter)


def kind_word(kind: str) -> str:
    """The name of ``kind`` as used in a file name, in the current locale (gettext with
    context "file name": "brochure", "factsheet")."""
    if kind == "brochure":
        return pgettext("file name", "brochure")
    return pgettext("file name", "factsheet")


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def download_name(kind: str, locale: str) -> str:
    """The file name offered for ``kind`` in ``locale``, in that locale's own words, e.g.
    ``IASSIST-dépliant-français.pdf`` (the kind from the catalogue, context "file name";
    the language as CLDR names it in itself; spaces become hyphens, characters that file
    systems reject are dropped). Werkzeug sends a non-ASCII name as RFC 6266 ``filename*``
    with an ASCII ``filename`` fallback.

    Needs an application context: outside one flask-babel cannot switch locale and the
    kind stays in English.
    """
    with force_locale(locale):
        word = kind_word(kind)
    language = Locale.parse(locale).get_display_name(locale)
    name = f"IASSIST-{word}-{language}"
    name = _UNSAFE.sub("", "-".join(name.split()))
    return f"{name}.pdf"


@bp.get("/<doc_kind:kind>-<locale:doc_locale>.pdf")
def download(kind: str, doc_locale: str) -> Response:
    """The PDF of ``kind`` in ``doc_locale`` as an attachment (see the module docstring).

    404 when the store has no such document or its file is gone (logged: run
    ``flask --app wsgi build-brochures``).
    """
    document = (
        get_session()
        .exec(select(Document).where(Document.kind == kind, Document.locale == doc_locale))
        .first()
    )
    if document is None:
        abort(404)
    path = Path(document.file)
    try:
        stat = path.stat()
    except OSError:
        current_app.logger.error(
            "%s-%s: the file %s is missing; run build-brochures", kind, doc_locale, path
        )
        abort(404)
    etag = document.sha256
    if stat.st_size != document.size:
        current_app.logger.warning(
            "%s-%s: %s changed on disk since it was recorded; run build-brochures",
            kind,
            doc_locale,
            path,
        )
        etag = hashlib.sha256(path.read_bytes()).hexdigest()
    # The response is in the document's language (Content-Language, see webapp.i18n).
    g.locale = doc_locale
    return send_file(
        path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=download_name(kind, doc_locale),
        conditional=True,
        etag=etag,
        last_modified=stat.st_mtime,
        max_age=MAX_AGE,
    )
