"""The About page's Media section: the brochure and the factsheet in every language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from babel.units import format_unit
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from webapp.brochures.models import KINDS, Document
from webapp.i18n import LOCALES, language_name

#: kind -> heading of its list on the About page
KIND_TITLES = {
    "brochure": _l("IASSIST tri-fold brochure"),
    "factsheet": _l("IASSIST factsheet"),
}


def format_size(size: int, locale: str) -> str:
    """A file size in bytes for people, in ``locale`` through CLDR's units (Babel):
    kilobytes (1 kB = 1000 bytes, CLDR ``digital-kilobyte``) below one megabyte, rounded
    to a whole number and at least 1; megabytes (``digital-megabyte``) with one decimal
    above. ``format_size(245_123, "fr")`` -> ``"245 ko"``.

    Raises:
        ValueError: ``size`` is negative.
    """
    if size < 0:
        raise ValueError("a size is not negative")
    if size < 999_500:
        return format_unit(
            max(1, round(size / 1000)), "digital-kilobyte", length="short", locale=locale
        )
    return format_unit(
        round(size / 1_000_000, 1),
        "digital-megabyte",
        length="short",
        locale=locale,
        format="#,##0.#",
    )


@dataclass(frozen=True)
class MediaItem:
    """One link of the list: ``locale`` (the document's language code, for ``hreflang``
    and ``lang``), ``name`` (that language named in itself), ``url`` (the download
    route), ``size`` (bytes), ``size_text`` (the size in the visitor's locale), ``pages``
    (page count)."""

    locale: str
    name: str
    url: str
    size: int
    size_text: str
    pages: int


@dataclass(frozen=True)
class MediaGroup:
    """The documents of one ``kind``: ``title`` (lazy string) and ``items``
    (list[MediaItem]), the visitor's language first, then the others in LOCALES order."""

    kind: str
    title: object
    items: list[MediaItem]


def language_order(locale: str) -> list[str]:
    """:data:`webapp.i18n.LOCALES` with ``locale`` first (unchanged for an unknown one)."""
    return ([locale] if locale in LOCALES else []) + [code for code in LOCALES if code != locale]


def documents_for_media(session: Session, locale: str) -> list[MediaGroup]:
    """The recorded documents, grouped by kind (brochure, then factsheet), for a visitor
    whose locale is ``locale``. A kind with no document recorded is left out; an empty
    list when none is (not built yet). The links are under ``/<locale>/`` (the current
    request's locale if ``locale`` is not one of LOCALES). Needs a request context."""
    rows = {(d.kind, d.locale): d for d in session.exec(select(Document)).all()}
    # links in the visitor's locale
    page: dict[str, Any] = {"lang_code": locale} if locale in LOCALES else {}
    groups = []
    for kind in KINDS:
        items = [
            MediaItem(
                locale=code,
                name=language_name(code),
                url=url_for("brochures.download", kind=kind, doc_locale=code, **page),
                size=rows[kind, code].size,
                size_text=format_size(rows[kind, code].size, locale),
                pages=rows[kind, code].pages,
            )
            for code in language_order(locale)
            if (kind, code) in rows
        ]
        if items:
            groups.append(MediaGroup(kind, KIND_TITLES[kind], items))
    return groups
