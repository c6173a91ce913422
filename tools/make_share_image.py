"""Draw the share-card image: the association's name, 1200×630 PNG (Open Graph, Twitter).

Run once when the name, colours or font change; the result is shipped as
``static/img/share-card.png`` (see :data:`webapp.discovery.share.SHARE_IMAGE`)::

    .venv/bin/python tools/make_share_image.py

Drawn with Pillow (installed with WeasyPrint) in the site's own colours (``--brand-dark``
and ``--brand`` of ``static/css/site.css``) and font (Source Sans 3, OFL, from
``static/fonts/``), so the card looks like the site. The image holds only the name (a proper
name) and the web address: it is in no language, and each page gives its alt text in its
own language.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webapp.discovery.share import SHARE_IMAGE  # noqa: E402

FONTS = ROOT / "static" / "fonts"
BRAND_DARK = "#07405f"
BRAND = "#0b5c8a"
WHITE = "#ffffff"
PALE = "#d5e6f1"
NAME = "IASSIST"
FULL_NAME = (
    "International Association for Social Science",
    "Information Service and Technology",
)
ADDRESS = "iassistdata.org"


def draw(path: Path) -> None:
    """Draw the card and write it to ``path`` as an optimized PNG.

    Raises:
        OSError: a font cannot be read or ``path`` cannot be written.
    """
    width, height = SHARE_IMAGE.width, SHARE_IMAGE.height
    image = Image.new("RGB", (width, height), BRAND_DARK)
    pen = ImageDraw.Draw(image)
    margin = 90
    # A band in the lighter brand colour along the bottom, as the site's navigation bar.
    pen.rectangle((0, height - 70, width, height), fill=BRAND)
    bold = ImageFont.truetype(str(FONTS / "source-sans-3-latin-700-normal.woff"), 190)
    semibold = ImageFont.truetype(str(FONTS / "source-sans-3-latin-600-normal.woff"), 50)
    regular = ImageFont.truetype(str(FONTS / "source-sans-3-latin-400-normal.woff"), 34)
    pen.text((margin - 8, 95), NAME, font=bold, fill=WHITE)
    y = 330
    for line in FULL_NAME:
        pen.text((margin, y), line, font=semibold, fill=WHITE)
        y += 64
    pen.text((margin, height - 58), ADDRESS, font=regular, fill=PALE)
    image.save(path, "PNG", optimize=True)


if __name__ == "__main__":
    target = ROOT / "static" / SHARE_IMAGE.filename
    draw(target)
    print(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size} bytes)")
