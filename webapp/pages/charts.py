"""Figures of the About page drawn as SVG from the facts the association states.

The seed's pie chart image is not available; its alt text and the brochure give the facts:
members across the globe, almost 50% in the United States, 25% in Europe, 15% in Canada,
the rest in Asia-Pacific and Africa (no finer split is published, so none is drawn).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

#: (css class, label, share in percent, how the source words it)
MEMBERS_BY_REGION = (
    ("us", _l("United States"), 50, _l("almost 50%")),
    ("europe", _l("Europe"), 25, _l("25%")),
    ("canada", _l("Canada"), 15, _l("15%")),
    ("other", _l("Asia-Pacific and Africa"), 10, _l("the remaining share")),
)


@dataclass(frozen=True)
class Slice:
    """One slice of a pie chart: ``css_class`` (str), ``label`` and ``share_text`` (lazy
    strings), ``path`` (SVG path data in a 200×200 box centred on 100,100)."""

    css_class: str
    label: object
    share_text: object
    path: str


def pie_slices(shares=MEMBERS_BY_REGION, radius: float = 90.0) -> list[Slice]:
    """SVG paths of a pie chart of ``shares`` (percentages summing to 100), clockwise from
    12 o'clock.

    Raises:
        ValueError: the shares do not sum to 100.
    """
    if sum(s[2] for s in shares) != 100:
        raise ValueError("shares must sum to 100")
    slices, start = [], 0.0
    for css_class, label, share, text in shares:
        end = start + share / 100 * 2 * math.pi
        x1, y1 = 100 + radius * math.sin(start), 100 - radius * math.cos(start)
        x2, y2 = 100 + radius * math.sin(end), 100 - radius * math.cos(end)
        large = 1 if end - start > math.pi else 0
        path = (f"M100,100 L{x1:.2f},{y1:.2f} A{radius:g},{radius:g} 0 {large} 1 "
                f"{x2:.2f},{y2:.2f} Z")
        slices.append(Slice(css_class, label, text, path))
        start = end
    return slices
