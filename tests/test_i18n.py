"""The site in five languages: every page's language markup, translated strings, CLDR
dates and country names, plurals, negotiation, the language switcher, and the
catalogues themselves."""

from __future__ import annotations

import re

import pytest
from webapp.catalogues import check_all
from webapp.i18n import format_list

LOCALES = ("en", "fr", "de", "pt", "es")
PAGES = (
    "/",
    "/about/",
    "/conferences/",
    "/events/",
    "/events/?type=regional_workshop",
    "/events/2025-conference-bristol/",
)
#: A sample of known strings per locale (navigation, filter labels, headings).
KNOWN = {
    "en": ["Events", "All years", "Annual conferences", "Conferences"],
    "fr": ["Événements", "Toutes les années", "Conférences annuelles", "Conférences"],
    "de": ["Veranstaltungen", "Alle Jahre", "Jahreskonferenzen", "Konferenzen"],
    "pt": ["Eventos", "Todos os anos", "Conferências anuais", "Conferências"],
    "es": ["Eventos", "Todos los años", "Conferencias anuales", "Conferencias"],
}
#: IASSIST 2025 in Bristol, 3–6 June 2025, as CLDR (Babel's interval formats, yMMMd) has it.
BRISTOL_DATES = {
    "en": "Jun 3\u2009–\u20096, 2025",
    "fr": "3–6 juin 2025",
    "de": "3.–6. Juni 2025",
    "pt": "3\u2009–\u20096 de jun. de 2025",
    "es": "3–6 jun 2025",
}
UNITED_KINGDOM = {
    "en": "United Kingdom",
    "fr": "Royaume-Uni",
    "de": "Vereinigtes Königreich",
    "pt": "Reino Unido",
    "es": "Reino Unido",
}
ONE_EVENT = {
    "en": "1 event",
    "fr": "1 événement",
    "de": "1 Veranstaltung",
    "pt": "1 evento",
    "es": "1 evento",
}
EIGHT_EVENTS = {
    "en": "8 events",
    "fr": "8 événements",
    "de": "8 Veranstaltungen",
    "pt": "8 eventos",
    "es": "8 eventos",
}
TAGLINE_START = {
    "fr": "Organisation internationale de professionnels",
    "de": "Eine internationale Organisation für Fachleute",
    "pt": "Uma organização internacional de profissionais",
    "es": "Una organización internacional de profesionales",
}


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_lang_content_language_and_alternates(client, locale, page):
    response = client.get(f"/{locale}{page}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{locale}">' in html
    assert response.headers["Content-Language"] == locale
    # Absolute, as search engines require of hreflang alternates.
    for code in LOCALES:
        assert f'<link rel="alternate" hreflang="{code}" href="http://localhost/{code}{page}">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="http://localhost/en{page}">' in html


@pytest.mark.parametrize("locale", LOCALES)
def test_known_strings_appear_translated(client, locale):
    html = client.get(f"/{locale}/events/").get_data(as_text=True)
    for text in KNOWN[locale]:
        assert text in html, (locale, text)
    if locale != "en":
        for english in (
            "All years",
            "All regions",
            "Annual conferences",
            "Skip to content",
            "Show events",
        ):
            assert english not in html, (locale, english)


@pytest.mark.parametrize("locale", ("fr", "de", "pt", "es"))
def test_tagline_is_the_brochure_s(client, locale):
    html = client.get(f"/{locale}/").get_data(as_text=True)
    assert TAGLINE_START[locale] in html


@pytest.mark.parametrize("locale", LOCALES)
def test_bristol_dates_and_country_as_cldr_gives_them(client, locale):
    html = client.get(f"/{locale}/events/?year=2025&type=annual_conference").get_data(as_text=True)
    assert f'<time datetime="2025-06-03">{BRISTOL_DATES[locale]}</time>' in html
    assert f"Bristol, {UNITED_KINGDOM[locale]}" in html


@pytest.mark.parametrize("locale", LOCALES)
def test_plural_of_events(client, locale):
    one = client.get(f"/{locale}/events/?year=2027").get_data(as_text=True)
    eight = client.get(f"/{locale}/events/?type=regional_workshop").get_data(as_text=True)
    assert f'aria-live="polite">{ONE_EVENT[locale]}</p>' in one
    assert f'aria-live="polite">{EIGHT_EVENTS[locale]}</p>' in eight


@pytest.mark.parametrize("locale", ("fr", "de", "pt", "es"))
def test_titles_read_in_the_page_s_language_or_carry_their_own(client, locale):
    label = {"fr": "50e conférence annuelle", "de": "50. Jahreskonferenz",
             "pt": "50ª conferência anual", "es": "50.ª conferencia anual"}[locale]
    html = client.get(f"/{locale}/events/?year=2025&type=annual_conference").get_data(as_text=True)
    # "IASSIST 2025 (50th annual conference)": the proper name, and the number composed
    # by the site in the page's language; no English left.
    assert '<a href="/%s/events/2025-conference-bristol/">IASSIST 2025</a>' % locale in html
    assert f'<p class="event-label">{label}</p>' in html
    assert "50th annual conference" not in html
    detail = client.get(f"/{locale}/events/2025-conference-bristol/").get_data(as_text=True)
    assert "<h1>IASSIST 2025</h1>" in detail and label in detail
    # No English title is left on the page (tests/test_events_titles.py has each form).
    for year in (2018, 2020, 2021, 2022):
        html = client.get(f"/{locale}/events/?year={year}").get_data(as_text=True)
        titles = re.findall(r'<h3 class="event-title">(.*?)</h3>', html)
        assert titles and not any("lang=" in title for title in titles), year


TAB_TITLES = {
    # An English title: the tab reads in the page's language (type, year, place).
    "1974-joint-meeting-toronto": {
        "en": "Conference on data archives and program library services (IASSIST founding "
              "meeting, in conjunction with the 8th World Congress of Sociology)",
        "fr": "Réunion conjointe 1974, Toronto, ON, Canada",
        "de": "Gemeinsame Tagung 1974, Toronto, ON, Kanada",
        "pt": "Reunião conjunta 1974, Toronto, ON, Canadá",
        "es": "Reunión conjunta 1974, Toronto, ON, Canadá",
    },
    # A title the site composes in the page's language.
    "1976-joint-meeting-edinburgh": {
        "en": "IASSIST Organizing Committee meeting (in conjunction with the International "
              "Political Science Association)",
        "fr": "Réunion du comité d’organisation de l’IASSIST",
        "de": "Sitzung des IASSIST-Organisationskomitees",
        "pt": "Reunião do Comitê Organizador da IASSIST",
        "es": "Reunión del Comité Organizador de IASSIST",
    },
    # A proper name: the same everywhere.
    "1985-conference-amsterdam": dict.fromkeys(LOCALES, "IASSIST/IFDO 1985"),
    "2025-conference-bristol": {
        "en": "IASSIST 2025 (50th annual conference)",
        **dict.fromkeys(("fr", "de", "pt", "es"), "IASSIST 2025"),
    },
}


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("slug", TAB_TITLES)
def test_the_browser_tab_names_the_event_in_the_page_s_language(client, slug, locale):
    html = client.get(f"/{locale}/events/{slug}/").get_data(as_text=True)
    assert f"<title>{TAB_TITLES[slug][locale]} · IASSIST</title>" in html


def test_a_title_that_is_a_proper_name_has_no_language(client):
    html = client.get("/de/events/?year=1985").get_data(as_text=True)
    assert ">IASSIST/IFDO 1985</a>" in html
    assert '<span lang="en">IASSIST/IFDO 1985</span>' not in html


def test_a_translation_in_the_data_is_shown_without_lang(client):
    french = client.get("/fr/events/1995-conference-quebec/").get_data(as_text=True)
    assert (
        '<span class="label">Thème\u00a0:</span> L’accès aux données dans un environnement en pleine'
        " mutation\u00a0: un partenariat à développer</p>"
    ) in french
    german = client.get("/de/events/1995-conference-quebec/").get_data(as_text=True)
    assert (
        '<span lang="en">Partners for access: working together in a changing data environment</span>'
        in german
    )


#: The region options in alphabetical order of each language (accents ignored:
#: "États-Unis" sorts with "Etats", "Ásia" with "Asia").
REGION_ORDER = {
    "en": ["Africa", "Asia-Pacific", "Canada", "Europe", "Online", "United States"],
    "fr": ["Afrique", "Asie-Pacifique", "Canada", "En ligne", "États-Unis", "Europe"],
    "de": ["Afrika", "Asien-Pazifik", "Europa", "Kanada", "Online", "Vereinigte Staaten"],
    "pt": ["África", "Ásia-Pacífico", "Canadá", "Estados Unidos", "Europa", "On-line"],
    "es": ["África", "Asia-Pacífico", "Canadá", "En línea", "Estados Unidos", "Europa"],
}


@pytest.mark.parametrize("locale", LOCALES)
def test_region_options_sorted_by_the_locale_s_collation(client, locale):
    html = client.get(f"/{locale}/events/").get_data(as_text=True)
    labels = re.findall(r'<label for="filter-region-(?!all)[a-z_]+">([^<]+?) <span', html)
    assert labels == REGION_ORDER[locale]


@pytest.mark.parametrize("locale", LOCALES)
def test_error_pages_in_the_visitor_s_locale(client, locale):
    not_found = client.get(f"/{locale}/events/no-such-event/")
    bad = client.get(f"/{locale}/events/?year=abc")
    assert not_found.status_code == 404 and bad.status_code == 400
    for response in (not_found, bad):
        html = response.get_data(as_text=True)
        assert f'<html lang="{locale}">' in html
    if locale != "en":
        assert "Page not found" not in not_found.get_data(as_text=True)
        assert "Bad request" not in bad.get_data(as_text=True)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("fr-CH, fr;q=0.9, en;q=0.8", "fr"),
        ("de-DE", "de"),
        ("pt-BR,pt;q=0.9", "pt"),
        ("es-419", "es"),
        ("it-IT, ja", "en"),
        ("", "en"),
        ("en-GB", "en"),
        ("*", "en"),
    ],
)
def test_root_negotiates_accept_language(client, accept, expected):
    response = client.get("/", headers={"Accept-Language": accept})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/{expected}/"
    assert "Accept-Language" in response.headers["Vary"]


def test_a_page_view_sets_no_cookie(client):
    for path in ("/pt/events/", "/pt/", "/fr/about/", "/de/events/2025-conference-bristol/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers, path
    assert client.get("/", headers={"Accept-Language": "de"}).headers["Location"] == "/de/"


def test_a_chosen_language_is_remembered_and_wins_over_the_header(client):
    response = client.get("/language/pt?next=/pt/events/?type%3Djoint_meeting")
    assert response.status_code == 303
    assert response.headers["Location"] == "/pt/events/?type=joint_meeting"
    assert response.headers["Cache-Control"] == "no-store"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("locale=pt;")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    redirect = client.get("/", headers={"Accept-Language": "de"})
    assert redirect.headers["Location"] == "/pt/"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/pt/",
        "/pt//evil.example",
        "/fr/events/",
        "/pt/\\evil",
        "/pt/%0d%0aSet-Cookie:x",
        "",
    ],
)
def test_the_language_choice_only_goes_to_this_site_in_that_language(client, target):
    response = client.get("/language/pt", query_string={"next": target} if target else None)
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location == "/pt/" or (location.startswith("/pt/") and "//" not in location), location
    assert "\n" not in location and "\r" not in location


def test_an_unknown_cookie_value_is_ignored(client):
    client.set_cookie("locale", "xx")
    assert client.get("/", headers={"Accept-Language": "es"}).headers["Location"] == "/es/"


def test_unknown_locale_is_404(client):
    for path in ("/it/", "/en-GB/events/", "/fr-FR/about/", "/english/"):
        assert client.get(path).status_code == 404, path


def test_switcher_links_keep_path_and_query_and_name_each_language_in_itself(client):
    html = client.get("/fr/events/?year=2021&region=europe").get_data(as_text=True)
    nav = re.search(r'<nav id="language-switcher".*?</nav>', html, re.S).group(0)
    expected = {
        "en": "English",
        "fr": "Français",
        "de": "Deutsch",
        "pt": "Português",
        "es": "Español",
    }
    for code, name in expected.items():
        link = re.search(
            rf'<a href="([^"]+)" hreflang="{code}" lang="{code}"([^>]*)>{name}</a>', nav
        )
        assert link, code
        # Through the route that remembers the choice, to the same filtered view.
        assert (
            link.group(1) == f"/language/{code}?next=/{code}/events/?year%3D2021%26region%3Deurope"
        )
        assert ('aria-current="true"' in link.group(2)) == (code == "fr")


def test_catalogues_are_complete_current_and_keep_placeholders():
    reports = check_all()
    assert [r.locale for r in reports] == ["fr", "de", "pt", "es"]
    for report in reports:
        assert report.messages > 100
        assert report.untranslated == [], report.locale
        assert report.fuzzy == [], report.locale
        assert report.missing == [], report.locale
        assert report.stale == [], report.locale
        assert report.placeholder_errors == [], report.locale


@pytest.mark.parametrize(
    "locale,expected",
    [
        ("en", "A, B &amp; C, and D"),
        ("fr", "A, B &amp; C et D"),
        ("de", "A, B &amp; C und D"),
        ("pt", "A, B &amp; C e D"),
        ("es", "A, B &amp; C y D"),
    ],
)
def test_lists_are_joined_by_the_locale_s_cldr_pattern_and_escaped(app, locale, expected):
    with app.test_request_context(f"/{locale}/"):
        app.preprocess_request()
        assert format_list(["A", "B & C", "D"]) == expected
