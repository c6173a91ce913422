"""Make the two web fonts the site's first view loads small: Source Sans 3 regular and
bold, Latin, subset with fontTools to the characters the five languages' pages use,
without hinting, as WOFF2 (``static/fonts/source-sans-3-site-{400,700}.woff2``).

The full Latin and Latin Extended files stay in ``static/fonts/`` (the brochure PDFs
embed the WOFF ones; the Latin Extended face is still declared for other characters, with
its ``unicode-range``). Run again only if the fonts or :data:`UNICODES` change; the
output is committed. Semibold (600) text is drawn with the bold face and italic text is
slanted by the browser, so the first view of a page loads two font files.

    .venv/bin/python tools/subset_fonts.py
"""

from __future__ import annotations

from pathlib import Path

from fontTools import subset

FONTS = Path(__file__).resolve().parent.parent / "static" / "fonts"
#: Basic Latin, Latin-1 (French, German, Portuguese, Spanish), œ/Œ, ı, the typographic
#: quotes, dashes, spaces (thin U+2009, no-break U+202F used by French typography),
#: ellipsis, bullet, guillemets, euro, trade mark and minus.
UNICODES = (
    "U+0020-007E,U+00A0-00FF,U+0131,U+0152-0153,U+02C6,U+02DC,U+2009,U+200B,U+2010-2014,"
    "U+2018-201E,U+2022,U+2026,U+202F,U+2039-203A,U+20AC,U+2122,U+2212"
)
SOURCES = {
    "source-sans-3-site-400.woff2": "source-sans-3-latin-400-normal.woff2",
    "source-sans-3-site-700.woff2": "source-sans-3-latin-700-normal.woff2",
}


def main() -> None:
    """Write the subset fonts next to their sources and print their sizes (bytes)."""
    for target, source in SOURCES.items():
        subset.main(
            [
                str(FONTS / source),
                f"--unicodes={UNICODES}",
                "--no-hinting",
                # Kerning only: the font's "liga" makes ff, ft and fft ligatures (no fi or
                # fl), which cost 164 bytes per file for no gain in legibility.
                "--layout-features=kern",
                "--flavor=woff2",
                f"--output-file={FONTS / target}",
            ]
        )
        print(target, (FONTS / target).stat().st_size)


if __name__ == "__main__":
    main()
