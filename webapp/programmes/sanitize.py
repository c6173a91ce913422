"""The one place untrusted programme markup is cleaned: once, at import.

The programme files come from an old CMS; their titles and abstracts are treated as
untrusted HTML. :func:`sanitize_html` keeps an allow-list (paragraphs, line breaks,
emphasis, lists, links with http, https or mailto targets only, given
``rel="nofollow noopener"``) through nh3, the Python binding of the Rust sanitizer
Ammonia (maintained successor of bleach, as pretalx uses); everything else (scripts,
event-handler attributes, ``style``, ``javascript:``/``data:`` URLs, iframes, SVG) is
removed, malformed nesting is repaired by its HTML5 parser. :func:`to_text` gives the plain
text (tags removed, entities decoded, whitespace collapsed) for titles, search and
snippets.

Both also remove :data:`MARKS`, the private-use characters the search uses to mark matches
in snippets, so that no data can fake a mark.
"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = frozenset({"p", "br", "em", "strong", "i", "b", "ul", "ol", "li", "a"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"
#: Start and end of a match in a search snippet (Unicode private-use characters).
MARK_START, MARK_END = "\ue000", "\ue001"
MARKS = MARK_START + MARK_END
_BLOCK_TAG = re.compile(r"<\s*(?:p|br|ul|ol|li|div)\b", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n\s*\n")
#: Control characters other than tab and newline (Unicode category Cc), format characters
#: (Cf: soft hyphen, zero-width and bidirectional marks and overrides, BOM, tags),
#: surrogates (Cs) and private-use characters (Co).
_UNWANTED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891"
    "\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\ufff9-\ufffb\ud800-\udfff\ue000-\uf8ff\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001-\U000e007f"
    "\U000f0000-\U0010ffff]"
)


def _strip_unwanted(text: str) -> str:
    return _UNWANTED.sub("", text)


def sanitize_html(markup: str) -> str:
    """Clean an abstract (untrusted HTML) down to the allow-list.

    Text without block markup is split into paragraphs at blank lines (single line breaks
    become ``<br>``), as the old site displayed it.

    Args:
        markup: the source's abstract, HTML or plain text.

    Returns:
        Safe HTML (str, possibly empty): only :data:`ALLOWED_TAGS`; links keep only an
        ``href`` with an allowed scheme and get ``rel="nofollow noopener"``.
    """
    markup = _strip_unwanted(markup.replace("\r\n", "\n")).strip()
    if markup and not _BLOCK_TAG.search(markup):
        paragraphs = [p.strip() for p in _BLANK_LINE.split(markup) if p.strip()]
        markup = "".join("<p>" + p.replace("\n", "<br>") + "</p>" for p in paragraphs)
    cleaned = nh3.clean(
        markup,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return cleaned.strip()


def to_text(markup: str) -> str:
    """The plain text of ``markup`` (untrusted HTML or text): every tag removed (the
    content of ``script`` and ``style`` too), entities decoded, control characters
    removed, whitespace collapsed to single spaces.

    Returns:
        str, possibly empty; to be escaped wherever it is shown.
    """
    if "<" in markup or "&" in markup:
        stripped = nh3.clean(markup.replace("<", " <"), tags=set(), strip_comments=True)
        text = html.unescape(stripped)
    else:  # no tag and no entity: nothing for the sanitizer to do
        text = markup
    return " ".join(_strip_unwanted(text).split())
