"""The public pages of the site and the sitemaps that list them.

``/sitemap.xml`` is a sitemap index (sitemaps.org protocol 0.9, ``sitemapindex``) of one
sitemap per section of the site (:data:`SECTIONS`), so that a large section (a conference
programme's talks) never makes one file too large (the protocol's limits: 50,000 URLs and
50 MB a file). Each section's sitemap (``urlset`` of ``url`` with ``loc`` and ``lastmod``)
uses Google's extension for alternate languages: each URL lists the page in all five
languages and ``x-default`` (English) as ``xhtml:link rel="alternate"``. Everything is
built with lxml, never as text; the tests validate both kinds of file against the
sitemaps.org XSDs.
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


def programme_pages(session: Session) -> list[SitemapPage]:
    """The programme search page and one page per conference programme. No ``lastmod``:
    the programme data records no date of change (only the loaded file's fingerprint)."""
    from webapp.programmes.models import Programme

    years = session.exec(select(Programme.year).order_by(col(Programme.year))).all()
    return [
        SitemapPage("programmes.search"),
        *(SitemapPage("programmes.programme", {"year": year}) for year in years),
    ]


def talk_pages(session: Session) -> list[SitemapPage]:
    """Every talk page, programme by programme in printed order (2,598 talks: 12,990 URLs,
    under the protocol's 50,000); no ``lastmod``, as :func:`programme_pages`."""
    from webapp.programmes.models import Presentation

    keys = session.exec(
        select(Presentation.year, Presentation.session_number, Presentation.number).order_by(
            col(Presentation.year), col(Presentation.session_number), col(Presentation.number)
        )
    ).all()
    return [
        SitemapPage("programmes.talk", {"year": y, "session_number": s, "number": n})
        for y, s, n in keys
    ]


def people_pages(session: Session) -> list[SitemapPage]:
    """The page of every person who presented; no ``lastmod``, as
    :func:`programme_pages`."""
    from webapp.programmes.models import Person

    slugs = session.exec(select(Person.slug).order_by(col(Person.slug))).all()
    return [SitemapPage("programmes.person", {"slug": slug}) for slug in slugs]


#: A section of the site: a function ``(session) -> Iterable[SitemapPage]``.
Section = Callable[[Session], Iterable[SitemapPage]]
#: Section name (its sitemap is ``/sitemaps/<name>.xml``; lowercase letters, digits and
#: hyphens) -> its pages, in the order of the index. A domain with public pages of its own
#: (programmes, talks, people) adds its sections here, each under 50,000 URLs (10,000
#: pages in five languages).
SECTIONS: dict[str, Section] = {
    "site": site_pages,
    "programmes": programme_pages,
    "talks": talk_pages,
    "people": people_pages,
}


def section_pages(session: Session, name: str) -> list[SitemapPage] | None:
    """The pages of section ``name``, or None for no such section or one with no page
    (a sitemap holds at least one URL; the index leaves such a section out)."""
    section = SECTIONS.get(name)
    pages = [] if section is None else list(section(session))
    return pages or None


def build_index(session: Session) -> bytes:
    """The sitemap index: one ``sitemap`` per section that has pages, with the newest
    ``lastmod`` of its pages where they have one (absolute URLs on the current request's
    host).

    Returns:
        UTF-8 XML bytes with an XML declaration.
    """
    index = etree.Element(f"{{{SITEMAP_NS}}}sitemapindex", nsmap={None: SITEMAP_NS})
    for name, section in SECTIONS.items():
        pages = list(section(session))
        if not pages:
            continue
        entry = etree.SubElement(index, f"{{{SITEMAP_NS}}}sitemap")
        loc = url_for("discovery.section_sitemap", name=name, _external=True)
        etree.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = loc
        dates = [page.lastmod for page in pages if page.lastmod is not None]
        if dates:
            lastmod = etree.SubElement(entry, f"{{{SITEMAP_NS}}}lastmod")
            lastmod.text = max(dates).isoformat(timespec="seconds")
    return etree.tostring(index, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def build_sitemap(pages: Iterable[SitemapPage]) -> bytes:
    """The sitemap of ``pages`` (a section's): one ``url`` per page and locale, absolute URLs (the
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
