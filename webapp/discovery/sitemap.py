"""The public pages of the site and the sitemap that lists them.

The sitemap follows the sitemaps.org protocol 0.9 (``urlset`` of ``url`` with ``loc`` and
``lastmod``) with Google's extension for alternate languages: each URL lists the page in
all five languages and ``x-default`` (English) as ``xhtml:link rel="alternate"``. It is
built with lxml, never as text; the tests validate it against the sitemaps.org XSD.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import url_for
from lxml import etree
from sqlmodel import Session, col, select

from webapp.events.models import Event
from webapp.events.queries import last_update
from webapp.i18n import DEFAULT_LOCALE, LOCALES

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True)
class SitemapPage:
    """One public page, in every locale: its ``endpoint`` and URL ``values`` (without the
    locale), and ``lastmod``, when the data it shows last changed (an aware datetime), or
    None when it shows no data with a date (its text lives in the templates)."""

    endpoint: str
    values: dict[str, Any] = field(default_factory=dict)
    lastmod: datetime | None = None


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.replace(tzinfo=UTC)


def site_pages(session: Session) -> list[SitemapPage]:
    """The association's pages and the event pages. Pages that list events (home,
    conferences, the event browser) changed when any event last did."""
    listed = _utc(last_update(session))
    pages = [
        SitemapPage("pages.home", lastmod=listed),
        SitemapPage("pages.about"),
        SitemapPage("pages.conferences", lastmod=listed),
        SitemapPage("events.browse", lastmod=listed),
    ]
    events = session.exec(select(Event).order_by(col(Event.year), col(Event.slug))).all()
    pages += [SitemapPage("events.detail", {"slug": e.slug}, e.updated_utc) for e in events]
    return pages


#: Functions ``(session) -> Iterable[SitemapPage]`` whose pages the sitemap lists; a domain
#: with public pages of its own (programmes, talks, people) appends its function here.
PAGE_SOURCES: list[Callable[[Session], Iterable[SitemapPage]]] = [site_pages]


def public_pages(session: Session) -> list[SitemapPage]:
    """Every public page of every source in :data:`PAGE_SOURCES`, in order."""
    return [page for source in PAGE_SOURCES for page in source(session)]


def build_sitemap(pages: Iterable[SitemapPage]) -> bytes:
    """The sitemap of ``pages``: one ``url`` per page and locale, absolute URLs (the
    current request's host), each with its five language alternates and ``x-default``.

    Returns:
        UTF-8 XML bytes with an XML declaration.
    """
    nsmap = {None: SITEMAP_NS, "xhtml": XHTML_NS}
    urlset = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap=nsmap)
    for page in pages:
        urls = {
            code: url_for(page.endpoint, lang_code=code, _external=True, **page.values)
            for code in LOCALES
        }
        for code in LOCALES:
            url = etree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
            etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = urls[code]
            if page.lastmod is not None:
                lastmod = etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod")
                lastmod.text = page.lastmod.isoformat(timespec="seconds")
            alternates = [*((c, urls[c]) for c in LOCALES), ("x-default", urls[DEFAULT_LOCALE])]
            for hreflang, href in alternates:
                etree.SubElement(
                    url,
                    f"{{{XHTML_NS}}}link",
                    rel="alternate",
                    hreflang=hreflang,
                    href=href,
                )
    return etree.tostring(urlset, xml_declaration=True, encoding="UTF-8", pretty_print=True)
