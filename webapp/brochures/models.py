"""Table of the brochure domain: one PDF per kind of document and locale.

As for the events (see :mod:`webapp.events.models`), SQLModel ``table=True`` models skip
Pydantic validation, so every invariant is a database constraint: a known kind, locale and
source, one row per (kind, locale), a 64-digit SHA-256, at least one page.
"""

# No ``from __future__ import annotations`` here: it breaks SQLModel's relationships.

from collections.abc import Iterable
from datetime import date

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from webapp.i18n import LOCALES

#: The kinds of document: the tri-fold brochure and the factsheet (brochure.md).
KINDS: tuple[str, ...] = ("brochure", "factsheet")
#: Where a PDF comes from: built by the site, or supplied by the association.
SOURCES: tuple[str, ...] = ("generated", "official")
#: Pages each kind of generated document has (an official PDF may differ).
EXPECTED_PAGES = {"brochure": 2, "factsheet": 1}


def _in(column: str, codes: Iterable[str]) -> str:
    """SQL ``column IN ('a', 'b')`` for a CHECK constraint over a code list."""
    return f"{column} IN ({', '.join(repr(c) for c in codes)})"


class Document(SQLModel, table=True):
    """One PDF document: the ``kind`` (:data:`KINDS`) in ``locale``
    (:data:`webapp.i18n.LOCALES`).

    Fields: ``edition`` (date: the build date for a generated PDF, the PDF's creation date
    or file date for an official one); ``file`` (absolute path of the PDF on disk, set by
    the build, never taken from a request); ``size`` (bytes); ``sha256`` (hex digest of
    the file, the download's ETag); ``pages`` (page count, read back with pypdf);
    ``source`` (:data:`SOURCES`); ``inputs_digest`` (SHA-256 hex of what the PDF was built
    from: templates, stylesheet, compiled catalogue, event data; empty for an official
    PDF), used to find stale documents.
    """

    __tablename__ = "brochure_document"
    __table_args__ = (
        UniqueConstraint("kind", "locale", name="uq_brochure_document_kind_locale"),
        CheckConstraint(_in("kind", KINDS), name="ck_brochure_document_kind"),
        CheckConstraint(_in("locale", LOCALES), name="ck_brochure_document_locale"),
        CheckConstraint(_in("source", SOURCES), name="ck_brochure_document_source"),
        CheckConstraint("size > 0", name="ck_brochure_document_size"),
        CheckConstraint("pages > 0", name="ck_brochure_document_pages"),
        CheckConstraint("length(sha256) = 64", name="ck_brochure_document_sha256"),
        CheckConstraint("length(file) > 0", name="ck_brochure_document_file"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    locale: str = Field(max_length=8)
    edition: date
    file: str = Field(max_length=1000)
    size: int
    sha256: str = Field(max_length=64)
    pages: int
    source: str = Field(max_length=16)
    inputs_digest: str = Field(default="", max_length=64)
