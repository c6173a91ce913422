"""Event data in the page's language: titles composed where they are not proper names,
city names per language (data files with their sources), host names marked with their own
language, themes kept in theirs."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from webapp.events.place_names import NAMES_DIR

REFERENCE = Path(__file__).resolve().parent / "reference" / "iassist_events.csv"

#: slug -> locale -> (title, label under it); the title is a proper name or reads in the
#: page's language.
COMPOSED = {
    "2026-workshop-entebbe": {
        "fr": ("6e atelier régional africain", None),
        "de": ("6. Regionalworkshop Afrika", None),
        "pt": ("6º workshop regional da África", None),
        "es": ("6.º taller regional de África", None),
    },
    "2022-workshop-ibadan": {
        "fr": ("2e atelier régional africain (Afrique occidentale)", None),
        "de": ("2. Regionalworkshop Afrika (Westafrika)", None),
        "pt": ("2º workshop regional da África (África Ocidental)", None),
        "es": ("2.º taller regional de África (África occidental)", None),
    },
    "2021-workshop-kampala": {
        "fr": ("1er atelier régional africain", None),
        "de": ("1. Regionalworkshop Afrika", None),
        "pt": ("1º workshop regional da África", None),
        "es": ("1.er taller regional de África", None),
    },
    "2020-conference-gothenburg": {
        "fr": ("IASSIST 2020", "Devait être la 46e conférence annuelle"),
        "de": ("IASSIST 2020", "Sollte die 46. Jahreskonferenz werden"),
        "pt": ("IASSIST 2020", "Seria a 46ª conferência anual"),
        "es": ("IASSIST 2020", "Iba a ser la 46.ª conferencia anual"),
    },
    "2021-conference-online": {
        "fr": ("IASSIST 2021", "46e conférence annuelle\u00a0: la conférence virtuelle mondiale"),
        "de": ("IASSIST 2021", "46. Jahreskonferenz: die weltweite virtuelle Konferenz"),
        "pt": ("IASSIST 2021", "46ª conferência anual: a conferência virtual global"),
        "es": ("IASSIST 2021", "46.ª conferencia anual: la conferencia virtual mundial"),
    },
    "2021-joint-meeting-gothenburg": {
        "fr": ("Réunion IASSIST/CESSDA 2021", "Volet de la 46e conférence annuelle, IASSIST 2021"),
        "de": ("IASSIST/CESSDA-Tagung 2021", "Teil der 46. Jahreskonferenz, IASSIST 2021"),
        "pt": ("Reunião IASSIST/CESSDA 2021", "Parte da 46ª conferência anual, IASSIST 2021"),
        "es": ("Reunión IASSIST/CESSDA 2021", "Parte de la 46.ª conferencia anual, IASSIST 2021"),
    },
    "2018-conference-montreal": {
        "fr": ("IASSIST 2018", "44e conférence annuelle, en collaboration avec ACMLA-ACACC / CARTO"),
        "de": ("IASSIST 2018", "44. Jahreskonferenz, gemeinsam mit ACMLA-ACACC / CARTO"),
        "pt": ("IASSIST 2018", "44ª conferência anual, em colaboração com ACMLA-ACACC / CARTO"),
        "es": ("IASSIST 2018", "44.ª conferencia anual, en colaboración con ACMLA-ACACC / CARTO"),
    },
    "1975-conference-london": {
        "fr": ("Réunion du comité d’organisation de l’IASSIST", None),
        "de": ("Sitzung des IASSIST-Organisationskomitees", None),
        "pt": ("Reunião do Comitê Organizador da IASSIST", None),
        "es": ("Reunión del Comité Organizador de IASSIST", None),
    },
    "1978-joint-meeting-uppsala": {
        "fr": ("IASSIST 1978", "Tenue conjointement avec l’Association internationale de sociologie"),
        "de": ("IASSIST 1978", "Gemeinsam mit der International Sociological Association (ISA)"),
        "pt": ("IASSIST 1978", "Realizada em conjunto com a Associação Internacional de Sociologia"),
        "es": ("IASSIST 1978", "Celebrada junto con la Asociación Internacional de Sociología"),
    },
    "1977-workshop-copenhagen": {
        "fr": ("IASSIST 1977", "Conférence d’Europe occidentale"),
        "de": ("IASSIST 1977", "Westeuropäische Konferenz"),
        "pt": ("IASSIST 1977", "Conferência da Europa Ocidental"),
        "es": ("IASSIST 1977", "Conferencia de Europa Occidental"),
    },
    "1981-conference-grenoble": {
        "fr": ("IASSIST/IFDO 1981", "Première conférence conjointe IASSIST/IFDO"),
        "de": ("IASSIST/IFDO 1981", "Erste gemeinsame Konferenz von IASSIST und IFDO"),
        "pt": ("IASSIST/IFDO 1981", "Primeira conferência conjunta IASSIST/IFDO"),
        "es": ("IASSIST/IFDO 1981", "Primera conferencia conjunta IASSIST/IFDO"),
    },
}


def _detail(client, locale, slug):
    html = client.get(f"/{locale}/events/{slug}/").get_data(as_text=True)
    h1 = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
    label = re.search(r'<p class="event-label">(.*?)</p>', html)
    return html, h1, label.group(1) if label else None


@pytest.mark.parametrize("locale", ("fr", "de", "pt", "es"))
@pytest.mark.parametrize("slug", COMPOSED)
def test_descriptive_titles_are_composed_in_the_page_s_language(client, slug, locale):
    _, h1, label = _detail(client, locale, slug)
    assert (h1, label) == COMPOSED[slug][locale]


@pytest.mark.parametrize("slug", COMPOSED)
def test_english_pages_keep_the_association_s_titles(client, slug):
    with open(REFERENCE, encoding="utf-8", newline="") as fh:
        titles = {r["title"] for r in csv.DictReader(fh)}
    _, h1, label = _detail(client, "en", slug)
    assert h1.replace("&amp;", "&") in titles
    assert label is None


@pytest.mark.parametrize("locale", ("fr", "de", "pt", "es"))
def test_the_founding_meeting_keeps_its_english_name_marked_and_says_what_it_was(client, locale):
    _, h1, label = _detail(client, locale, "1974-joint-meeting-toronto")
    assert h1 == '<span lang="en">Conference on data archives and program library services</span>'
    expected = {
        "fr": "Réunion fondatrice de l’IASSIST, tenue conjointement avec le 8e Congrès mondial "
              "de sociologie",
        "de": "Gründungstreffen von IASSIST, im Rahmen des 8. Weltkongresses für Soziologie",
        "pt": "Reunião de fundação da IASSIST, realizada em conjunto com o 8º Congresso Mundial "
              "de Sociologia",
        "es": "Reunión fundacional de IASSIST, celebrada junto con el 8.º Congreso Mundial de "
              "Sociología",
    }
    assert label == expected[locale]


@pytest.mark.parametrize("locale", ("fr", "de", "pt", "es"))
def test_no_event_title_is_left_in_english(client, locale):
    for page in (1, 2, 3, 4):
        html = client.get(f"/{locale}/events/?page={page}").get_data(as_text=True)
        titles = re.findall(r'<h3 class="event-title"><a [^>]*>(.*?)</a></h3>', html)
        for title in titles:
            if "lang=" in title:  # the one English proper name, marked
                assert title == (
                    '<span lang="en">Conference on data archives and program library '
                    "services</span>"
                )
                continue
            assert not re.search(r"\b(?:annual|conference|meeting|workshop)\b", title, re.I), title


#: City names as each language's Wikipedia titles its article (literals).
CITIES = {
    "2013-conference-cologne": {"en": "Cologne", "fr": "Cologne", "de": "Köln", "pt": "Colônia",
                                "es": "Colonia"},
    "2022-conference-gothenburg": {"en": "Gothenburg", "fr": "Göteborg", "de": "Göteborg",
                                   "pt": "Gotemburgo", "es": "Gotemburgo"},
    "1975-conference-london": {"en": "London", "fr": "Londres", "de": "London", "pt": "Londres",
                               "es": "Londres"},
    "1977-workshop-copenhagen": {"en": "Copenhagen", "fr": "Copenhague", "de": "Kopenhagen",
                                 "pt": "Copenhague", "es": "Copenhague"},
    "2005-conference-edinburgh": {"en": "Edinburgh", "fr": "Édimbourg", "de": "Edinburgh",
                                  "pt": "Edimburgo", "es": "Edimburgo"},
    "2023-conference-philadelphia": {"en": "Philadelphia", "fr": "Philadelphie",
                                     "de": "Philadelphia", "pt": "Filadélfia",
                                     "es": "Filadelfia"},
    "1989-conference-jerusalem": {"en": "Jerusalem", "fr": "Jérusalem", "de": "Jerusalem",
                                  "pt": "Jerusalém", "es": "Jerusalén"},
    "2018-conference-montreal": {"en": "Montreal", "fr": "Montréal", "de": "Montreal",
                                 "pt": "Montreal", "es": "Montreal"},
    "2019-conference-sydney": {"en": "Sydney", "fr": "Sydney", "de": "Sydney", "pt": "Sydney",
                               "es": "Sídney"},
    "2025-workshop-accra": {"en": "Accra", "fr": "Accra", "de": "Accra", "pt": "Acra",
                            "es": "Acra"},
}


@pytest.mark.parametrize("locale", ("en", "fr", "de", "pt", "es"))
@pytest.mark.parametrize("slug", CITIES)
def test_cities_are_named_in_the_page_s_language(client, slug, locale):
    html = client.get(f"/{locale}/events/{slug}/").get_data(as_text=True)
    place = re.search(r"<dt>[^<]+</dt><dd>([^<]*)</dd>", html.split('class="event-facts', 1)[1])
    assert place.group(1).split(",")[0] == CITIES[slug][locale]


def test_city_name_files_cite_a_source_and_name_cities_of_the_data():
    with open(REFERENCE, encoding="utf-8", newline="") as fh:
        cities = {r["city"] for r in csv.DictReader(fh)} - {""}
    files = sorted(NAMES_DIR.glob("city.*.csv"))
    assert [f.name for f in files] == ["city.de.csv", "city.es.csv", "city.fr.csv", "city.pt.csv"]
    for path in files:
        language = path.name.split(".")[1]
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert rows
        for row in rows:
            assert row["city"] in cities, (path.name, row["city"])
            assert row["name"] != row["city"], (path.name, row["city"])
            # The language's own name, from its Wikipedia's article title.
            assert row["source"].startswith(f"https://{language}.wikipedia.org/wiki/"), row
            title = row["source"].rsplit("/", 1)[1].replace("_", " ")
            assert title.split(" (")[0] == row["name"], row


@pytest.mark.parametrize(("locale", "expected"), [
    ("fr", "<dd>Université Laval</dd>"),
    ("en", '<dd><span lang="fr">Université Laval</span></dd>'),
    ("de", '<dd><span lang="fr">Université Laval</span></dd>'),
])
def test_host_names_are_marked_with_their_own_language(client, locale, expected):
    html = client.get(f"/{locale}/events/1995-conference-quebec/").get_data(as_text=True)
    assert expected in html


def test_an_english_host_name_is_marked_english_on_other_pages(client):
    html = client.get("/es/events/2025-conference-bristol/").get_data(as_text=True)
    assert '<dd><span lang="en">University of the West of England (UWE Bristol)</span></dd>' in html
    html = client.get("/en/events/2025-conference-bristol/").get_data(as_text=True)
    assert "<dd>University of the West of England (UWE Bristol)</dd>" in html


@pytest.mark.parametrize("locale", ("fr", "de", "pt", "es"))
def test_themes_stay_in_their_language(client, locale):
    html = client.get(f"/{locale}/events/2025-conference-bristol/").get_data(as_text=True)
    assert (
        '<span lang="en">IASSIST at 50! Bridging oceans, harbouring data &amp; anchoring the '
        "future</span>"
    ) in html
