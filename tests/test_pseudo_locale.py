"""A pseudo-locale, built for the tests only, finds any visible text that does not come
from the catalogue.

The catalogue is made on the fly from ``translations/messages.pot``: every message becomes
``⟦`` + its text with accented letters, lengthened by about a third + ``⟧`` (placeholders
and markup kept), written to a temporary translations folder under the ``fr`` slot; the
site's own five catalogues are not touched. Every page type is rendered with it, and the
visible text (text nodes, the document title, and the attributes a reader or a screen
reader meets) must be catalogue text, except:

- data marked with its own ``lang`` (an English theme, a host's name, a language's name in
  the language switcher), and dates in ``<time>`` (CLDR);
- proper names and CLDR names of the data: cities (as the page's language names them),
  country names, acronyms such as IASSIST or a state code, years and other numbers, URLs.
"""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from sqlmodel import Session
from webapp.config import PROJECT_ROOT
from webapp.db import get_engine
from webapp.events.loader import EVENTS_FILE, TRANSLATIONS_FILE, load_events
from webapp.events.place_names import city_names, host_language

from tests.conftest import make_app

ROOT = PROJECT_ROOT
REFERENCE = PROJECT_ROOT / "tests" / "reference" / "iassist_events.csv"
#: The URL slot the pseudo-catalogue takes (its CLDR data formats dates and countries).
SLOT = "fr"
OPEN, CLOSE = "⟦", "⟧"
_ACCENTS = str.maketrans(
    "abcdeghiklnorstuwyzABCDEGHIKLNORSTUWYZ", "åƀçđéĝĥîķłñöŕšţûŵýžÅƁÇĐÉĜĤÎĶŁÑÖŔŠŢÛŴÝŽ"
)
#: Placeholders and markup inside a message, kept as they are.
_KEEP = re.compile(r"%\(\w+\)[sdif]|%[sdif]|<[^>]*>|&\w+;")

#: Every kind of page: the pages, the event browser (filtered, empty, paged), event pages
#: of every kind of title, and the error pages.
PAGES = [
    ("/", 200), ("/about/", 200), ("/conferences/", 200), ("/events/", 200),
    ("/events/?type=regional_workshop", 200), ("/events/?year=2000-2009&region=europe", 200),
    ("/events/?year=1976&type=annual_conference", 200), ("/events/?page=3", 200),
    ("/events/2025-conference-bristol/", 200), ("/events/2026-workshop-entebbe/", 200),
    ("/events/2022-workshop-ibadan/", 200), ("/events/1974-joint-meeting-toronto/", 200),
    ("/events/1976-joint-meeting-edinburgh/", 200), ("/events/2020-conference-gothenburg/", 200),
    ("/events/2021-conference-online/", 200), ("/events/2021-joint-meeting-gothenburg/", 200),
    ("/events/2018-conference-montreal/", 200), ("/events/1995-conference-quebec/", 200),
    ("/events/1977-workshop-toronto/", 200), ("/events/no-such-event/", 404),
    ("/events/?year=abc", 400), ("/events/?type=party", 400),
]


def pseudo(text: str) -> str:
    """``text`` accented, lengthened and marked, its placeholders and markup kept."""
    parts, last = [], 0
    for match in _KEEP.finditer(text):
        parts.append(text[last : match.start()].translate(_ACCENTS))
        parts.append(match.group(0))
        last = match.end()
    parts.append(text[last:].translate(_ACCENTS))
    letters = len(_KEEP.sub("", text))
    return OPEN + "".join(parts) + "~" * (letters // 3) + CLOSE


@pytest.fixture(scope="module")
def pseudo_client(tmp_path_factory):
    """A client of an app whose ``fr`` catalogue is the pseudo-locale's (built from
    messages.pot into a temporary translations folder), with the bundled events."""
    tmp = tmp_path_factory.mktemp("pseudo")
    with open(ROOT / "translations" / "messages.pot", "rb") as fh:
        template = read_po(fh)
    # A catalogue of the slot's locale (its plural rule), every message pseudo-translated.
    catalogue = Catalog(locale=SLOT)
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, (list, tuple)):
            strings = tuple(pseudo(message.id[min(i, 1)]) for i in range(catalogue.num_plurals))
            catalogue.add(message.id, strings)
        else:
            catalogue.add(message.id, pseudo(message.id))
    folder = tmp / "translations" / SLOT / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "messages.po", "wb") as fh:
        write_po(fh, catalogue)
    with open(folder / "messages.mo", "wb") as fh:
        write_mo(fh, catalogue)
    app = make_app(tmp, BABEL_TRANSLATION_DIRECTORIES=str(tmp / "translations"))
    with Session(get_engine(app)) as session:
        load_events(session)
    return app.test_client()


class VisibleText(HTMLParser):
    """The visible text of a page: text nodes and the attributes a reader meets, without
    ``script``/``style``, and without elements that carry their own ``lang`` or are a
    ``<time>`` (their content is data in its language, or CLDR's)."""

    SKIP = {"script", "style", "time"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr", "path"}
    ATTRIBUTES = ("title", "alt", "aria-label", "placeholder")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []
        self.attributes: list[str] = []

    @property
    def hidden(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        skip = tag in self.SKIP or ("lang" in values and tag != "html")
        if not self.hidden and not skip:
            self.attributes.extend(values[a] for a in self.ATTRIBUTES if values.get(a))
            if tag == "meta" and values.get("name") == "description":
                self.attributes.append(values.get("content") or "")
        if tag not in self.VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        values = dict(attrs)
        if not self.hidden and "lang" not in values:
            self.attributes.extend(values[a] for a in self.ATTRIBUTES if values.get(a))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not self.hidden:
            self.texts.append(data)


def _names_of_the_data() -> set[str]:
    """Proper names the pages show as data: cities (the data's and the page language's),
    country names in the page's language (CLDR)."""
    territories = Locale.parse(SLOT).territories
    names = set(city_names(SLOT).values())
    with open(REFERENCE, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            names.add(row["city"])
            if row["country_code"]:
                names.add(territories[row["country_code"]])
    # Data in the page's own language, shown unmarked: its translations in the data, the
    # hosts named in that language.
    with open(TRANSLATIONS_FILE, encoding="utf-8", newline="") as fh:
        names.update(r["text"] for r in csv.DictReader(fh) if r["locale"] == SLOT)
    with open(EVENTS_FILE, encoding="utf-8", newline="") as fh:
        names.update(r["host"] for r in csv.DictReader(fh) if host_language(r["slug"]) == SLOT)
    return {n for n in names if n}


_INNERMOST = re.compile(re.escape(OPEN) + r"[^" + OPEN + CLOSE + r"]*" + re.escape(CLOSE))
#: What may stand outside the catalogue's text: acronyms and codes (IASSIST, IFDO, BC,
#: PDF), numbers and years, URLs and domain names, punctuation and separators.
_URL = re.compile(r"https?://\S+|\b[\w.-]+\.(?:org|com|net|edu|se)\b\S*")
_ALLOWED = re.compile(r"\b[A-Z][A-Z0-9&/-]*[A-Z0-9]\b|\d[\d\u202f\u00a0.,:%–-]*|[\s\W_]+")


def leftover(text: str, names: set[str]) -> str:
    """What remains of ``text`` once catalogue text (nested markers included), proper
    names of the data and allowed tokens are taken out."""
    text = _URL.sub(" ", text)
    previous = None
    while previous != text:
        previous, text = text, _INNERMOST.sub(" ", text)
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    return _ALLOWED.sub(" ", text).strip()


@pytest.mark.parametrize(("page", "status"), PAGES)
def test_every_page_type_renders_in_the_pseudo_locale(pseudo_client, page, status):
    response = pseudo_client.get(f"/{SLOT}{page}")
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert OPEN in html and "~~~" in html
    # The catalogue's strings are the ones on the page: no English navigation remains.
    assert ">Events<" not in html and ">Conferences<" not in html


@pytest.mark.parametrize(("page", "status"), PAGES)
def test_no_visible_text_outside_the_catalogue(pseudo_client, page, status):
    html = pseudo_client.get(f"/{SLOT}{page}").get_data(as_text=True)
    parser = VisibleText()
    parser.feed(html)
    names = _names_of_the_data()
    # Text nodes in page order, joined: a message with markup inside (a link) spans several.
    assert leftover(" ".join(parser.texts), names) == ""
    for attribute in parser.attributes:
        assert leftover(attribute, names) == "", attribute


def test_the_check_finds_text_outside_the_catalogue():
    names = _names_of_the_data()
    assert leftover("⟦Éṽéñţš~~⟧ Bristol, Royaume-Uni 2025 IASSIST", names) == ""
    assert leftover("⟦⟦6é åţéłîéŕ~~⟧ (Afrique occidentale)~~⟧", names) == ""
    assert leftover("⟦Ţĥéɱé :⟧ Theme", names) == "Theme"
    assert leftover("Show events", names) == "Show events"
