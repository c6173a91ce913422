"""The About page's list of the brochure and factsheet editions, in the visitor's language.

For each kind, one entry per language (the visitor's first, then the others in
:data:`webapp.i18n.LOCALES` order), each with its editions: the association's printed
editions (newest first), then the current edition generated from the site's content. The
printed factsheet exists in English only: it is listed, marked so, under every language
that has no printed factsheet of its own, after that language's own editions. Languages are
named in the visitor's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel import Locale
from babel.units import format_unit
from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlmodel import Session, col, select

from webapp.brochures.models import KINDS, Edition
from webapp.brochures.previews import preview_name
from webapp.brochures.render import month_text
from webapp.brochures.store import is_expired, refresh_in_background
from webapp.i18n import LOCALES, format_day

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


def language_in(code: str, locale: str, capital: bool = False) -> str:
    """The language ``code`` named in ``locale`` (CLDR): ``language_in("de", "fr")`` ->
    ``"allemand"``; with ``capital``, its first letter upper-case (for a heading)."""
    name = Locale.parse(code).get_display_name(locale) or code
    return name[:1].upper() + name[1:] if capital else name


def language_order(locale: str) -> list[str]:
    """:data:`webapp.i18n.LOCALES` with ``locale`` first (unchanged for an unknown one)."""
    return ([locale] if locale in LOCALES else []) + [code for code in LOCALES if code != locale]


@dataclass(frozen=True)
class MediaEdition:
    """One edition in the list, every text in the visitor's locale: ``name`` (the
    edition's name, ``brochure-fr-2012-06``), ``locale`` (the document's language, for
    ``hreflang``), ``source`` (``printed``/``generated``), ``url`` (download), ``label``
    ("Printed edition, June 2012"), ``details`` ("2 pages, 1.4 MB"), ``english_only``
    (a printed edition that exists in English only, listed under another language or
    not), ``preview_url``, ``preview_width``/``preview_height`` (CSS pixels),
    ``preview_alt``."""

    name: str
    locale: str
    source: str
    url: str
    label: str
    details: str
    english_only: bool
    preview_url: str
    preview_width: int
    preview_height: int
    preview_alt: str


@dataclass(frozen=True)
class MediaLanguage:
    """The editions of one kind in one language: ``locale``, ``name`` (that language
    named in the visitor's, capitalised), ``editions`` (list[MediaEdition])."""

    locale: str
    name: str
    editions: list[MediaEdition]


@dataclass(frozen=True)
class MediaGroup:
    """The editions of one ``kind``: ``title`` (lazy string) and ``languages``
    (list[MediaLanguage]), the visitor's language first."""

    kind: str
    title: object
    languages: list[MediaLanguage]


def _item(row: Edition, kind: str, locale: str, page: dict) -> MediaEdition:
    if row.source == "printed":
        label = _("Printed edition, %(month)s", month=month_text(row.edition, locale))
    else:
        label = _(
            "Current edition, generated from this site on %(date)s",
            date=format_day(row.edition),
        )
    details = _(
        "%(pages)s, %(size)s, PDF",
        pages=ngettext("%(num)d page", "%(num)d pages", row.pages),
        size=format_size(row.size, locale),
    )
    english_only = row.source == "printed" and kind == "factsheet" and row.locale == "en"
    month = row.name[len(f"{kind}-{row.locale}-") :] if row.source == "printed" else None
    url = url_for("brochures.download", kind=kind, doc_locale=row.locale, month=month, **page)
    return MediaEdition(
        name=row.name,
        locale=row.locale,
        source=row.source,
        url=url,
        label=label,
        details=details,
        english_only=english_only,
        preview_url=url_for("brochure_previews.preview", name=preview_name(row.sha256)[:-5]),
        preview_width=row.preview_width,
        preview_height=row.preview_height,
        preview_alt=_(
            "First page: %(document)s, %(language)s, %(edition)s",
            document=KIND_TITLES[kind],
            language=language_in(row.locale, locale),
            edition=label,
        ),
    )


def documents_for_media(session: Session, locale: str, on: date) -> list[MediaGroup]:
    """The editions in the store, grouped by kind (brochure, then factsheet) and
    language, for a visitor whose locale is ``locale``, on day ``on`` (the site's today).
    A kind or language with no edition is left out; an empty list when the store has
    none. The links are under ``/<locale>/``. When a current edition's next conference is
    over, a rebuild starts in the background
    (:func:`webapp.brochures.store.refresh_in_background`) and the list shows what the
    store has. Needs a request context.
    """
    rows = session.exec(
        select(Edition).order_by(col(Edition.edition).desc(), col(Edition.name))
    ).all()
    if any(is_expired(row, on) for row in rows):
        refresh_in_background(current_app._get_current_object())  # type: ignore[attr-defined]
    page = {"lang_code": locale} if locale in LOCALES else {}
    groups = []
    for kind in KINDS:
        languages = []
        english_printed = [
            r for r in rows if (r.kind, r.locale, r.source) == (kind, "en", "printed")
        ]
        for code in language_order(locale):
            printed = [r for r in rows if (r.kind, r.locale, r.source) == (kind, code, "printed")]
            current = [r for r in rows if (r.kind, r.locale, r.source) == (kind, code, "generated")]
            if not (printed or current):
                continue
            # The language's own editions first; where it has no printed edition of the
            # factsheet, the English one (the only one printed), marked so.
            stand_in = english_printed if (kind == "factsheet" and not printed) else []
            editions = [_item(r, kind, locale, page) for r in [*printed, *current, *stand_in]]
            languages.append(MediaLanguage(code, language_in(code, locale, True), editions))
        if languages:
            groups.append(MediaGroup(kind, KIND_TITLES[kind], languages))
    return groups
