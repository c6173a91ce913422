"""Terminology and typography in each language: the glossary rule, the fixed
renderings, Brazilian Portuguese ordinals and plural rule, the French "1er" and
apostrophes, and one English spelling convention."""

from __future__ import annotations

import re
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from babel.support import Translations
from webapp.catalogues import catalogue_path
from webapp.glossary import glossary_violations, read_glossary
from webapp.i18n import format_date_range, format_day

TRANSLATED = ("fr", "de", "pt", "es")
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def catalogue_messages(text: str, locale: str) -> list[tuple[str, list[str]]]:
    catalogue = read_po(StringIO(text), locale=locale)
    pairs = []
    for message in catalogue:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        pairs.append((msgid, list(strings)))
    return pairs


@pytest.mark.parametrize("locale", TRANSLATED)
def test_each_catalogue_renders_every_glossary_concept_one_way(locale):
    text = catalogue_path(locale).read_text(encoding="utf-8")
    assert [str(v) for v in glossary_violations(catalogue_messages(text, locale), locale)] == []


def test_the_glossary_has_the_brochure_s_terms():
    concepts = {c.name: c for c in read_glossary()}
    assert concepts["discussion list"].terms["fr"] == ("liste de discussion",)
    assert concepts["professional development"].terms["de"][0] == "professionelle Entwicklung"
    assert concepts["research and teaching"].terms["de"] == ("Forschung und Unterricht",)
    assert concepts["data curators"].terms["fr"] == ("conservateurs",)
    assert concepts["membership benefits"].terms == {
        "en": ("membership benefits",), "fr": ("avantages réservés aux membres",),
        "de": ("Vorzüge der Mitgliedschaft",), "pt": ("benefícios para os membros",),
        "es": ("beneficios de la asociación",),
    }
    assert all(c.source for c in concepts.values())


@pytest.mark.parametrize(("locale", "right", "wrong"), [
    ("de", "Open Science", "offene Wissenschaft"),
    ("de", "professionelle Entwicklung", "berufliche Entwicklung"),
    ("fr", "liste de discussion", "liste de diffusion"),
    ("fr", "conservateurs de données", "curateurs de données"),
    ("es", "los mantienen disponibles", "garantizan que sigan disponibles"),
])
def test_a_second_rendering_of_a_concept_breaks_the_rule(locale, right, wrong):
    lines = catalogue_path(locale).read_text(encoding="utf-8").split("\n")
    pattern = re.compile(re.escape(right), re.IGNORECASE)
    # The first translation that uses the glossary's term now uses another rendering.
    first = next(i for i, line in enumerate(lines) if line.startswith("msgstr") and pattern.search(line))
    lines[first] = pattern.sub(wrong, lines[first], count=1)
    broken = "\n".join(lines)
    violations = glossary_violations(catalogue_messages(broken, locale), locale)
    assert len(violations) == 1
    assert wrong in violations[0].translation


#: What each page says in each language: the fixed renderings, as literals.
FIXED = {
    ("fr", "/about/"): ["Liste de discussion active", "<li>Bibliothécaires de données</li>",
                        "En savoir plus sur notre liste de discussion"],
    ("fr", "/"): ["des bibliothécaires de données,"],
    ("de", "/about/"): ["Forschende und Wissenschaftler in den Sozialwissenschaften, die",
                        "Open Science zu unterstützen", "fördern die professionelle Entwicklung"],
    ("pt", "/"): ["tornam-nos disponíveis e os mantêm disponíveis"],
    ("es", "/"): ["los ponen a disposición y los mantienen disponibles"],
    ("es", "/conferences/"): ["debates sobre cómo compartir y gestionar datos",
                              "Próximas conferencias y conferencias recientes"],
    ("pt", "/conferences/"): ["Próximas conferências e conferências recentes"],
    ("de", "/conferences/"): ["<h3>Kommende</h3>"],
}
#: Messages of the printed documents (brochure, factsheet), as the catalogues give them.
FIXED_MESSAGES = {
    "fr": {"Data archivists and curators": "Archivistes et conservateurs de données",
           "The email discussion list": "La liste de discussion par courriel"},
    "de": {"Data are larger than the social sciences: IASSIST uses its expertise in the social "
           "sciences to benefit all data professionals and to support open science.":
           "Daten reichen weit über die Sozialwissenschaften hinaus: IASSIST stellt seine "
           "sozialwissenschaftliche Expertise in den Dienst aller Datenfachleute und unterstützt "
           "Open Science.",
           "Encouraging the development of data professionals.":
           "Förderung der professionellen Entwicklung von Datenfachleuten.",
           "IASSIST was founded in 1974 to support research and teaching in the social sciences.":
           "IASSIST wurde 1974 gegründet, um Forschung und Unterricht in den Sozialwissenschaften "
           "zu unterstützen."},
    "pt": {"Our members discover data, curate it, make it available and keep it available.":
           "Nossos membros descobrem dados, fazem sua curadoria, tornam-nos disponíveis e os "
           "mantêm disponíveis."},
    "es": {"Our members discover data, curate it, make it available and keep it available.":
           "Nuestros socios descubren datos, los curan, los ponen a disposición y los mantienen "
           "disponibles."},
}


@pytest.mark.parametrize("locale", TRANSLATED)
def test_document_messages_use_the_glossary_s_terms(locale):
    translations = Translations.load(str(TRANSLATIONS), [locale])
    for msgid, expected in FIXED_MESSAGES[locale].items():
        assert translations.gettext(msgid) == expected


GONE = {
    "fr": ["liste de diffusion", "curateurs", "spécialistes des données"],
    "de": ["offene Wissenschaft", "beruflichen Entwicklung", "Forschung und Lehre",
           "weiteren Wissenschaften", "Demnächst"],
    "pt": ["garantem que continuem disponíveis", "futuras", "52.ª", "6.º"],
    "es": ["garantizan que sigan disponibles", "el intercambio y la gestión de datos"],
}


@pytest.mark.parametrize(("locale", "page"), list(FIXED))
def test_pages_use_the_glossary_s_terms(client, locale, page):
    html = client.get(f"/{locale}{page}").get_data(as_text=True)
    for text in FIXED[(locale, page)]:
        assert text in html, text


@pytest.mark.parametrize("locale", TRANSLATED)
def test_no_page_uses_a_replaced_rendering(client, locale):
    for page in ("/", "/about/", "/conferences/", "/events/2027-conference-vancouver/",
                 "/events/2026-workshop-entebbe/"):
        html = client.get(f"/{locale}{page}").get_data(as_text=True)
        for text in GONE[locale]:
            assert text not in html, (page, text)


@pytest.mark.parametrize(("slug", "text"), [
    ("2027-conference-vancouver", '<p class="event-label">52ª conferência anual</p>'),
    ("2026-workshop-entebbe", "<h1>6º workshop regional da África</h1>"),
    ("2021-workshop-kampala", "<h1>1º workshop regional da África</h1>"),
])
def test_portuguese_ordinals_are_brazilian(client, slug, text):
    html = client.get(f"/pt/events/{slug}/").get_data(as_text=True)
    assert text in html


def test_portuguese_catalogue_has_the_brazilian_plural_rule():
    header = read_po(catalogue_path("pt").open(encoding="utf-8"), locale="pt")
    assert (header.num_plurals, header.plural_expr) == (2, "(n > 1)")
    translations = Translations.load(str(TRANSLATIONS), ["pt"])
    # pt-BR: 0 and 1 are singular (CLDR "one": i = 0..1).
    assert translations.ngettext("%(num)d event", "%(num)d events", 0) == "%(num)d evento"
    assert translations.ngettext("%(num)d event", "%(num)d events", 1) == "%(num)d evento"
    assert translations.ngettext("%(num)d event", "%(num)d events", 2) == "%(num)d eventos"


@pytest.mark.parametrize(("start", "end", "expected"), [
    (date(2018, 5, 29), date(2018, 6, 1), "29 mai\u2009–\u20091er juin 2018"),
    (date(2010, 6, 1), date(2010, 6, 4), "1er–4 juin 2010"),
    (date(2018, 11, 1), date(2018, 12, 1), "1er nov.\u2009–\u20091er déc. 2018"),
    (date(2017, 12, 28), date(2018, 1, 1), "28 déc. 2017\u2009–\u20091er janv. 2018"),
    (date(2018, 6, 1), date(2018, 6, 1), "1er juin 2018"),
    (date(2018, 6, 11), date(2018, 6, 21), "11–21 juin 2018"),
    (date(2021, 1, 11), date(2021, 1, 13), "11–13 janv. 2021"),
])
def test_french_dates_write_the_first_of_the_month_1er(app, start, end, expected):
    with app.test_request_context("/fr/"):
        app.preprocess_request()
        assert format_date_range(start, end) == expected


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", "May 29\u2009–\u2009Jun 1, 2018"),
    ("de", "29. Mai\u2009–\u20091. Juni 2018"),
    ("es", "29 may\u2009–\u20091 jun 2018"),
])
def test_other_languages_keep_cldr_s_first_of_the_month(app, locale, expected):
    with app.test_request_context(f"/{locale}/"):
        app.preprocess_request()
        assert format_date_range(date(2018, 5, 29), date(2018, 6, 1)) == expected


def test_one_french_date_writes_1er(app):
    with app.test_request_context("/fr/"):
        app.preprocess_request()
        assert format_day(date(2026, 6, 1)) == "1er juin 2026"
        assert format_day(date(2026, 6, 11)) == "11 juin 2026"
        assert format_day(date(2026, 6, 21)) == "21 juin 2026"


def test_french_event_page_dates_read_1er(client):
    html = client.get("/fr/events/2018-conference-montreal/").get_data(as_text=True)
    assert '<time datetime="2018-05-29">29 mai\u2009–\u20091er juin 2018</time>' in html
    html = client.get("/fr/events/2010-conference-ithaca/").get_data(as_text=True)
    assert '<time datetime="2010-06-01">1er–4 juin 2010</time>' in html


def test_french_text_has_typographic_apostrophes():
    catalogue = read_po(catalogue_path("fr").open(encoding="utf-8"), locale="fr")
    straight = [
        m.id for m in catalogue
        if m.id and any("'" in s for s in (m.string if isinstance(m.string, tuple) else [m.string]))
    ]
    assert straight == []


def test_french_pages_show_no_straight_apostrophe_in_text(client):
    for page in ("/", "/about/", "/conferences/", "/events/", "/events/1995-conference-quebec/"):
        html = client.get(f"/fr{page}").get_data(as_text=True)
        body = html.split("<body", 1)[1]
        # Text in another language (an English theme, marked lang="en") keeps its own marks.
        body = re.sub(r'<(\w+)[^>]*\blang="(?!fr")[^"]*"[^>]*>.*?</\1>', " ", body, flags=re.S)
        body = re.sub(r"<[^>]*>", " ", body)
        assert "'" not in body and "&#39;" not in body, page


#: British spellings the site's own English avoids: it follows the association's
#: American usage (organization, familiarize, analyze, programs, data centers).
BRITISH = re.compile(
    r"\b(?:programmes?|centres?|organis(?:e|ed|es|ing|ation)s?|analys(?:e|ed|es|ing)|"
    r"familiaris\w*|colours?|behaviours?|favour\w*|honour\w*|catalogues?|licence)\b",
    re.IGNORECASE,
)


def test_the_site_s_english_follows_one_spelling_convention():
    pot = read_po((TRANSLATIONS / "messages.pot").open(encoding="utf-8"))
    british = [m.id for m in pot if m.id and BRITISH.search(str(m.id))]
    assert british == []


def test_dates_shown_to_a_reader_go_through_the_site_s_helpers():
    """Every date a page or document shows goes through webapp.i18n (format_day, the
    date_range filter), where French gets its 1er: no other module formats dates itself."""
    webapp = Path(__file__).resolve().parent.parent / "webapp"
    offenders = [
        str(path.relative_to(webapp))
        for path in webapp.rglob("*.py")
        if path.name != "i18n.py"
        and re.search(r"\bimport\b[^\n]*\bformat_date\b", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
