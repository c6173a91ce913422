"""The association's own content, read by both the site's pages and the printed documents.

One neutral home, so that neither ``webapp.pages`` nor ``webapp.brochures`` imports the
other: the pages of iassistdata.org this site links to, the members' shares by region
and the colours of the chart's slices, and the chart's geometry (SVG).

Sources: the association's About page (seed 000) and its printed brochure
(``shared/data/brochure.md``). The seed's pie chart image is not available; its alt text
and the brochure give the facts: members across the globe, almost 50% in the United
States, 25% in Europe, 15% in Canada, the rest in Asia-Pacific and Africa (no finer split
is published, so none is drawn).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

#: Pages of iassistdata.org that this site links to rather than builds.
ASSOCIATION_SITE: dict[str, str] = {
    "home": "https://www.iassistdata.org/",
    "membership": "https://iassistdata.org/about/become-a-member/",
    "committees": "https://iassistdata.org/about/committees-and-groups/",
    "webinars": "https://iassistdata.org/membership/webinars/",
    "discussion_list": "https://iassistdata.org/membership/discussion-list/",
    "strategic_plan": "https://iassistdata.org/about/strategic-plan/",
    "code_of_conduct": "https://iassistdata.org/community/code-of-conduct/",
    "conference_archive": "https://iassistdata.org/conferences/archive/",
    "iq": "https://iassistdata.org/iq/",
    # "Brand, Promotion and Media": where the association offers its printed brochures.
    "media": "https://iassistdata.org/about/media/",
}

#: (key, label, share in percent, how the source words it: "about" for "almost 50%",
#: "exact" for a stated figure, "rest" for what the others leave)
MEMBERS_BY_REGION = (
    ("us", _l("United States"), 50, "about"),
    ("europe", _l("Europe"), 25, "exact"),
    ("canada", _l("Canada"), 15, "exact"),
    ("other", _l("Asia-Pacific and Africa"), 10, "rest"),
)

#: Colour of each slice (key of :data:`MEMBERS_BY_REGION` -> sRGB hex), the site's blue,
#: orange, green and violet; drawn as SVG ``fill`` on the page and in the PDFs alike.
SLICE_COLOURS: dict[str, str] = {
    "us": "#0b5c8a",
    "europe": "#c2571a",
    "canada": "#3d8b57",
    "other": "#8a6bb0",
}


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
    """One slice of a pie chart: ``key`` (str, see :data:`MEMBERS_BY_REGION`), ``label``
    (lazy string), ``share`` (percent, int), ``wording``, ``colour`` (sRGB hex), ``path``
    (SVG path data in a 200×200 box centred on 100,100)."""

    key: str
    label: object
    share: int
    wording: str
    colour: str
    path: str

    @property
    def share_text(self) -> str:
        """The share in the page's locale (:func:`share_text`)."""
        return share_text(self.share, self.wording)


def pie_slices(
    shares: Sequence[tuple[str, object, int, str]] = MEMBERS_BY_REGION, radius: float = 90.0
) -> list[Slice]:
    """SVG paths of a pie chart of ``shares`` (rows as in :data:`MEMBERS_BY_REGION`,
    percentages summing to 100), clockwise from 12 o'clock, coloured from
    :data:`SLICE_COLOURS`.

    Raises:
        ValueError: the shares do not sum to 100.
    """
    if sum(s[2] for s in shares) != 100:
        raise ValueError("shares must sum to 100")
    slices, start = [], 0.0
    for key, label, share, wording in shares:
        end = start + share / 100 * 2 * math.pi
        x1, y1 = 100 + radius * math.sin(start), 100 - radius * math.cos(start)
        x2, y2 = 100 + radius * math.sin(end), 100 - radius * math.cos(end)
        large = 1 if end - start > math.pi else 0
        path = f"M100,100 L{x1:.2f},{y1:.2f} A{radius:g},{radius:g} 0 {large} 1 {x2:.2f},{y2:.2f} Z"
        slices.append(Slice(key, label, share, wording, SLICE_COLOURS[key], path))
        start = end
    return slices
