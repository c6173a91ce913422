"""First-page previews of the editions, made when an edition enters the store.

Each edition's first page is rendered once with pypdfium2 (Google's PDFium, the renderer
of Chromium; BSD/Apache licensed wheels, no system dependency) and saved as a WebP image
under ``static/previews/`` (:data:`PREVIEW_FOLDER`, generated and git-ignored):
``<first 20 hex digits of the PDF's SHA-256>.webp``. The name follows the PDF's bytes,
so a name never changes meaning and the image can be cached for a year as immutable
(:func:`webapp.brochures.views.preview`). The list shows it :data:`PREVIEW_HEIGHT` CSS
pixels high; the image has twice the pixels (sharp on high-density screens).

Nothing is rendered per request: :func:`ensure_preview` runs when an edition is recorded
(build, load, ``make serve``); :func:`ensure_all_previews` re-creates any that are missing
from the PDFs in the store (after a fresh checkout, or ``static/previews`` emptied).
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from flask import Flask

#: Folder of the previews, under the app's static folder.
PREVIEW_FOLDER = "previews"
#: Height of a preview in the list, CSS pixels; the width follows the page's proportions.
PREVIEW_HEIGHT = 112
#: Pixels per CSS pixel of the image (2: sharp on high-density screens).
DENSITY = 2
#: WebP quality (0–100): text on the preview stays legible, files stay at 5–20 kB.
WEBP_QUALITY = 80


def preview_name(sha256: str) -> str:
    """File name of the preview of the PDF whose SHA-256 (hex) is ``sha256``."""
    return f"{sha256[:20]}.webp"


def preview_path(app: Flask, sha256: str) -> Path:
    """Where the preview of PDF ``sha256`` is written: ``static/previews/<name>``."""
    return Path(app.static_folder or "static") / PREVIEW_FOLDER / preview_name(sha256)


def preview_size(page_width: float, page_height: float) -> tuple[int, int]:
    """(width, height) in CSS pixels of the preview of a page of ``page_width`` ×
    ``page_height`` (any unit): :data:`PREVIEW_HEIGHT` high, the width in proportion.

    Raises:
        ValueError: a dimension is not positive.
    """
    if page_width <= 0 or page_height <= 0:
        raise ValueError("a page has a positive size")
    return round(PREVIEW_HEIGHT * page_width / page_height), PREVIEW_HEIGHT


def render_preview(data: bytes) -> tuple[bytes, int, int]:
    """The WebP image of the first page of PDF ``data``, and its size in CSS pixels
    (width, height); the image itself is :data:`DENSITY` times larger.

    Raises:
        ValueError: ``data`` is not a PDF PDFium can open, or has no page.
    """
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise ValueError(f"PDFium cannot open the PDF: {error}") from error
    try:
        if len(document) == 0:
            raise ValueError("a PDF with no page")
        page = document[0]
        page_width, page_height = page.get_size()
        width, height = preview_size(page_width, page_height)
        bitmap = page.render(scale=DENSITY * height / page_height)
        image = bitmap.to_pil().convert("RGB")
        if image.size != (DENSITY * width, DENSITY * height):
            image = image.resize((DENSITY * width, DENSITY * height))
        out = io.BytesIO()
        image.save(out, format="WEBP", quality=WEBP_QUALITY, method=6)
        return out.getvalue(), width, height
    finally:
        document.close()


def ensure_preview(app: Flask, sha256: str, data: bytes) -> tuple[int, int]:
    """Write the preview of PDF ``data`` (whose SHA-256 is ``sha256``) unless it is there,
    and return its size in CSS pixels (width, height). Written atomically (a temporary
    file renamed), so a concurrent request never sees half an image.

    Raises:
        ValueError: the PDF cannot be rendered.
        OSError: the static folder is not writable.
    """
    image, width, height = render_preview(data)
    target = preview_path(app, sha256)
    if target.is_file() and target.read_bytes() == image:
        return width, height
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(image)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return width, height
