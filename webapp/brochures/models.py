"""Tables of the brochure domain: the editions of each document, and their bytes.

A *document* is one kind (:data:`KINDS`) in one language; it may have several *editions*:
the association's printed editions (bundled, :mod:`webapp.brochures.printed`, or supplied
in ``OFFICIAL_BROCHURE_DIR``) and at most one current edition generated from the site's
content (:mod:`webapp.brochures.store`). Each edition is a row of :class:`Edition`; its
PDF is a row of :class:`PdfFile`, keyed by its SHA-256, so the store holds everything a
download needs and no table mirrors a folder.

As for the events (see :mod:`webapp.events.models`), SQLModel ``table=True`` models skip
Pydantic validation, so every invariant is a database constraint: a known kind, locale and
source, a unique name, a 64-digit SHA-256 that exists in :class:`PdfFile`, at least one page.

The tables replace ``brochure_document`` (one row per kind and locale) of earlier
versions, which is left unused in an old database: ``reset-db`` rebuilds the store.
"""

# No ``from __future__ import annotations`` here: it breaks SQLModel's column types.

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, LargeBinary, String
from sqlmodel import Field, SQLModel

from webapp.i18n import LOCALES

#: The kinds of document: the tri-fold brochure and the factsheet (brochure.md).
KINDS: tuple[str, ...] = ("brochure", "factsheet")
#: Where an edition comes from: ``printed``, the association's printed edition (bundled
#: with the site, or a newer one supplied in ``OFFICIAL_BROCHURE_DIR``); ``generated``, the
#: current edition the site renders from its own content.
SOURCES: tuple[str, ...] = ("printed", "generated")
#: Pages each kind of generated document has (a printed edition may differ).
EXPECTED_PAGES = {"brochure": 2, "factsheet": 1}


def _in(column: str, codes: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(c) for c in codes)})"


class PdfFile(SQLModel, table=True):
    """The bytes of one PDF: ``sha256`` (hex, the key and the downloads' ETag) and
    ``data``. Shared by the editions with the same bytes; removed with the last of them."""

    __tablename__ = "brochure_pdf"
    __table_args__ = (CheckConstraint("length(sha256) = 64", name="ck_brochure_pdf_sha256"),)

    sha256: str = Field(sa_column=Column(String(64), primary_key=True))
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Edition(SQLModel, table=True):
    """One edition of a document.

    Fields: ``name`` (the download's file stem and the key of the URL:
    ``brochure-fr`` for the current edition, ``brochure-fr-2012-06`` for a printed one);
    ``kind`` (:data:`KINDS`); ``locale`` (the document's language,
    :data:`webapp.i18n.LOCALES`); ``source`` (:data:`SOURCES`); ``edition`` (date: the
    first day of the month of a printed edition, the build date of a generated one);
    ``size`` (bytes); ``sha256`` (hex, of :class:`PdfFile`); ``pages``; ``modified``
    (UTC, when these bytes were recorded: the downloads' Last-Modified); ``credit`` (the
    licence credit of a printed edition, empty for a generated one); ``origin`` (the file
    a printed edition was loaded from, relative to the project for a bundled one; empty
    for a generated one); ``inputs_digest`` (SHA-256 hex of what a generated edition was
    rendered from, :func:`webapp.brochures.store.inputs_digest`; empty for a printed one);
    ``expires`` (the day the "next conference" a generated edition prints is over, so the
    edition must be rendered again; None when it prints none or is printed);
    ``preview_width``/``preview_height`` (CSS pixels of its first-page preview,
    :mod:`webapp.brochures.previews`).
    """

    __tablename__ = "brochure_edition"
    __table_args__ = (
        CheckConstraint(_in("kind", KINDS), name="ck_brochure_edition_kind"),
        CheckConstraint(_in("locale", LOCALES), name="ck_brochure_edition_locale"),
        CheckConstraint(_in("source", SOURCES), name="ck_brochure_edition_source"),
        CheckConstraint("size > 0", name="ck_brochure_edition_size"),
        CheckConstraint("pages > 0", name="ck_brochure_edition_pages"),
        CheckConstraint("length(name) > 0", name="ck_brochure_edition_name"),
        CheckConstraint(
            "source = 'printed' OR name = kind || '-' || locale",
            name="ck_brochure_edition_generated_name",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    kind: str = Field(max_length=16)
    locale: str = Field(max_length=8)
    source: str = Field(max_length=16)
    edition: date
    size: int
    sha256: str = Field(
        sa_column=Column(String(64), ForeignKey("brochure_pdf.sha256"), nullable=False)
    )
    pages: int
    modified: datetime
    credit: str = Field(default="", max_length=200)
    origin: str = Field(default="", max_length=1000)
    inputs_digest: str = Field(default="", max_length=64)
    expires: date | None = None
    preview_width: int = 0
    preview_height: int = 0
