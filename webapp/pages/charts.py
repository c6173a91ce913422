"""Figures of the About page drawn as SVG from the facts the association states.

The seed's pie chart image is not available; its alt text and the brochure give the facts:
members across the globe, almost 50% in the United States, 25% in Europe, 15% in Canada,
the rest in Asia-Pacific and Africa (no finer split is published, so none is drawn).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

#: (css class, label, share in percent, how the source words it: "about" for "almost
#: 50%", "exact" for a stated figure, "rest" for what the others leave)
MEMBERS_BY_REGION = (
    ("us", _l("United States"), 50, "about"),
    ("europe", _l("Europe"), 25, "exact"),
    ("canada", _l("Canada"), 15, "exact"),
    ("other", _l("Asia-Pacific and Africa"), 10, "rest"),
)


def share_text(share: int, wording: str) -> str:
    """A share as the source words it, in the page's locale: "almost 50 %" (fr), "25%",
    or "the remaining share" (no figure is published for the rest)."""
    if wording == "rest":
        return _("the remaining share")
    percent = format_percent(share / 100)
    if wording == "about":
        return _("almost %(percent)s", percent=percent)
    return percent


@dataclass(frozen=True)
class Slice:
    """One slice of a pie chart: ``css_class`` (str), ``label`` (lazy string),
    ``share`` (percent, int), ``wording`` (see :data:`MEMBERS_BY_REGION`), ``path`` (SVG
    path data in a 200×200 box centred on 100,100)."""

    css_class: str
    label: object
    share: int
    wording: str
    path: str

    @property
    def share_text(self) -> str:
        """The share in the page's locale (:func:`share_text`)."""
        return share_text(self.share, self.wording)


def pie_slices(
    shares: Sequence[tuple[str, object, int, str]] = MEMBERS_BY_REGION, radius: float = 90.0
) -> list[Slice]:
    """SVG paths of a pie chart of ``shares`` (percentages summing to 100), clockwise from
    12 o'clock.

    Raises:
        ValueError: the shares do not sum to 100.
    """
    if sum(s[2] for s in shares) != 100:
        raise ValueError("shares must sum to 100")
    slices, start = [], 0.0
    for css_class, label, share, wording in shares:
        end = start + share / 100 * 2 * math.pi
        x1, y1 = 100 + radius * math.sin(start), 100 - radius * math.cos(start)
        x2, y2 = 100 + radius * math.sin(end), 100 - radius * math.cos(end)
        large = 1 if end - start > math.pi else 0
        path = f"M100,100 L{x1:.2f},{y1:.2f} A{radius:g},{radius:g} 0 {large} 1 {x2:.2f},{y2:.2f} Z"
        slices.append(Slice(css_class, label, share, wording, path))
        start = end
    return slices
