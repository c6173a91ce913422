"""Checks of a PDF before it enters the store: readable, its page count, its creation date,
and, for a generated edition, the layout (every panel fits, the fold's page count).

pypdf reads the PDFs back: what a viewer opens is what is checked, not what was meant.
"""

from __future__ import annotations

import io
from datetime import date

from webapp.brochures.models import EXPECTED_PAGES


def pdf_pages(data: bytes) -> int:
    """The page count of PDF ``data`` (pypdf).

    Raises:
        ValueError: not a PDF pypdf can read, or one with no page.
    """
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.startswith(b"%PDF-"):
        raise ValueError("not a PDF file")
    try:
        pages = len(PdfReader(io.BytesIO(data)).pages)
    except (PyPdfError, ValueError, TypeError, KeyError, OSError) as error:
        raise ValueError(f"unreadable PDF: {error}") from error
    if pages < 1:
        raise ValueError("a PDF with no page")
    return pages


def pdf_created(data: bytes) -> date | None:
    """The creation date a PDF's metadata gives, or None (none given, or unreadable)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        metadata = PdfReader(io.BytesIO(data)).metadata
        if metadata is not None and metadata.creation_date is not None:
            return metadata.creation_date.date()
    except (PyPdfError, ValueError, TypeError, KeyError, OSError):
        return None
    return None


def layout_problems(kind: str, pages: int, overflow: list[str]) -> list[str]:
    """What is wrong with the layout of a generated ``kind`` of ``pages`` pages whose
    overflowing areas are ``overflow`` (:func:`webapp.brochures.render.overflow`): those
    areas, and a page count other than the fold's (:data:`EXPECTED_PAGES`). Empty when
    the layout is sound."""
    problems = list(overflow)
    if pages != EXPECTED_PAGES[kind]:
        problems.append(f"{pages} pages instead of {EXPECTED_PAGES[kind]}")
    return problems
