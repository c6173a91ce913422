"""Rendering a current edition: a Jinja template laid out by WeasyPrint as a tagged PDF.

Each document (kind × locale) is a template (``templates/brochures/<kind>.html``)
rendered inside ``flask_babel.force_locale(locale)``, so that ``_()`` gives that locale's
text from the site's own catalogues, then laid out by WeasyPrint 70 as a tagged PDF
(PDF/UA-1) whose title, language and author come from the template's ``<head>``.

Reproducible bytes: same inputs and edition date, same PDF. WeasyPrint derives the file
identifier from the content (``pdf_identifier``); the one moving part was the web fonts:
WeasyPrint turns a WOFF font into TrueType with fontTools, which stamps the current time
into the font's ``head`` table. The URL fetcher here (:func:`url_fetcher`) hands
WeasyPrint the TrueType form itself, converted with ``recalcTimestamp=False`` (the font's
own date kept), so no process-wide ``SOURCE_DATE_EPOCH`` is needed.

WeasyPrint's public API does not expose the laid-out boxes; :func:`page_boxes` is the one
place that reaches into its private ``_page_box`` (tested in
``tests/test_brochures_render.py``, which fails loudly if WeasyPrint changes it).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from babel.dates import format_skeleton
from flask import Flask, g, render_template
from flask_babel import force_locale

from webapp.association import ASSOCIATION_SITE, pie_slices
from webapp.events.models import Event
from webapp.i18n import LOCALES, format_day, language_name

#: kind -> template name (under the app's template folder)
TEMPLATES = {"brochure": "brochures/brochure.html", "factsheet": "brochures/factsheet.html"}
#: The print stylesheet, relative to the static folder.
STYLESHEET = "css/print/brochure.css"
#: WeasyPrint options: a tagged PDF (PDF/UA-1, which turns on ``pdf_tags``) with a file
#: identifier derived from its content (reproducible output).
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_identifier": True}


class RenderError(Exception):
    """A document could not be rendered (template error, WeasyPrint failure, missing font
    or stylesheet)."""


def short_url(url: str) -> str:
    """A URL as printed: without its scheme (``https://iassistdata.org/iq/`` ->
    ``iassistdata.org/iq/``)."""
    parts = urlsplit(url)
    return (parts.netloc + parts.path) if parts.netloc else url


def month_text(day: date, locale: str) -> str:
    """The month and year of ``day`` as CLDR writes them in ``locale`` (skeleton
    ``yMMMM``): ``"June 2012"``, ``"juin 2012"``, ``"junho de 2012"``."""
    return format_skeleton("yMMMM", day, locale=locale)


def render_html(
    app: Flask,
    kind: str,
    locale: str,
    edition: date,
    conference: Event | None,
    printed: tuple[str, date] | None,
) -> str:
    """The HTML of ``kind`` in ``locale`` (the template rendered with that locale's
    catalogue): ``edition`` is its date, ``conference`` the next annual conference it
    prints (or None), ``printed`` the association's printed edition it points to
    (``(locale, month)`` or None).

    Raises:
        ValueError: unknown kind or locale.
        jinja2.TemplateError: the template is broken.
    """
    if kind not in TEMPLATES or locale not in LOCALES:
        raise ValueError(f"unknown document {kind}-{locale}")
    stylesheet = (Path(app.static_folder or "static") / STYLESHEET).as_uri()
    with app.test_request_context(f"/{locale}/"):
        g.locale = locale  # this private request's own locale, read by Flask-Babel
        with force_locale(locale):
            printed_note = None
            if printed is not None:
                printed_note = {
                    "locale": printed[0],
                    "language": language_name(printed[0]),
                    "month": month_text(printed[1], locale),
                    "same_language": printed[0] == locale,
                }
            return render_template(
                TEMPLATES[kind],
                locale=locale,
                edition=edition,
                edition_text=format_day(edition),
                conference=conference,
                printed=printed_note,
                slices=pie_slices(),
                links=ASSOCIATION_SITE,
                short_url=short_url,
                stylesheet=stylesheet,
            )


def truetype(data: bytes) -> bytes:
    """A WOFF font as TrueType/OpenType, keeping the font's own ``head.modified`` date
    (fontTools, ``recalcTimestamp=False``); other data unchanged."""
    if data[:4] != b"wOFF":
        return data
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    font.flavor = None
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def url_fetcher(static_folder: Path) -> Any:
    """A WeasyPrint URL fetcher that reads files under ``static_folder`` only (nothing
    from the network; a missing font or stylesheet stops the build) and gives WOFF fonts
    as TrueType (:func:`truetype`, for reproducible bytes)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    root = static_folder.resolve()

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme != "file":
                raise ValueError(f"not a local file: {url}")
            path = Path(url2pathname(parts.path)).resolve()
            if not path.is_relative_to(root):
                raise ValueError(f"outside the static folder: {url}")
            if path.suffix == ".woff":
                return URLFetcherResponse(url, body=truetype(path.read_bytes()))
            return super().fetch(url, headers)

    return StaticOnlyFetcher(allowed_protocols={"file"}, fail_on_errors=True)


def page_boxes(document: Any) -> Iterator[tuple[int, Any]]:
    """``(page number, box)`` for every box laid out on every page of a rendered
    WeasyPrint ``document``, in document order. The only use of WeasyPrint's private
    ``Page._page_box``.

    Raises:
        RenderError: WeasyPrint no longer has the attribute (its private API changed).
    """
    for number, page in enumerate(document.pages, start=1):
        try:
            root = page._page_box
        except AttributeError as error:
            raise RenderError(
                "WeasyPrint's Page._page_box is gone: update webapp.brochures.render.page_boxes"
            ) from error
        yield from ((number, box) for box in root.descendants())


def overflow(document: Any) -> list[str]:
    """The areas of a rendered WeasyPrint ``document`` whose content does not fit: every
    element of class ``fit`` (a brochure panel, the factsheet's body) whose descendants
    reach below its content box. Returned as ``"page N: <classes>"`` strings."""
    problems: list[str] = []
    for number, box in page_boxes(document):
        element = getattr(box, "element", None)
        if element is None or not hasattr(box, "children"):
            continue
        classes = (element.get("class") or "").split()
        if "fit" not in classes or not isinstance(box.height, int | float):
            continue
        bottom = box.content_box_y() + box.height
        for child in box.descendants():
            if child is box or not isinstance(getattr(child, "height", None), int | float):
                continue
            if child.position_y + child.margin_height() > bottom + 0.5:
                label = f"page {number}: {' '.join(c for c in classes if c != 'fit')}"
                if label not in problems:
                    problems.append(label)
                break
    return problems


def render_pdf(
    app: Flask,
    kind: str,
    locale: str,
    edition: date,
    conference: Event | None,
    printed: tuple[str, date] | None,
) -> tuple[bytes, list[str]]:
    """The PDF of ``kind`` in ``locale`` (bytes; arguments as :func:`render_html`) and
    the list of overflowing areas (:func:`overflow`; empty when everything fits).

    Raises:
        RenderError: the template, a font, the stylesheet or WeasyPrint failed.
    """
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    static = Path(app.static_folder or "static")
    try:
        html = render_html(app, kind, locale, edition, conference, printed)
        document = HTML(
            string=html, base_url=static.as_uri() + "/", url_fetcher=url_fetcher(static)
        ).render(**PDF_OPTIONS)
        problems = overflow(document)
        return document.write_pdf(**PDF_OPTIONS), problems
    except RenderError:
        raise
    except (Exception, FatalURLFetchingError) as error:  # the latter is a BaseException
        raise RenderError(f"{kind}-{locale}: {type(error).__name__}: {error}") from error
