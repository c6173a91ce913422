"""Every 4xx the site can send is the localized error page, with the error's own status
and headers; routing redirects pass through; a 5xx is the 500 page."""

from __future__ import annotations

import re

import pytest
from werkzeug.exceptions import default_exceptions

#: The titles of the error pages, as the catalogues translate them.
TITLES = {
    400: {"en": "Bad request", "fr": "Requête incorrecte", "de": "Ungültige Anfrage"},
    404: {"en": "Page not found", "fr": "Page introuvable", "de": "Seite nicht gefunden"},
    405: {"en": "Method not allowed", "fr": "Méthode non autorisée", "de": "Methode nicht zulässig"},
    412: {"en": "Precondition failed", "fr": "Condition préalable non remplie",
          "de": "Vorbedingung nicht erfüllt"},
    413: {"en": "Request too large", "fr": "Requête trop volumineuse", "de": "Anfrage zu groß"},
    416: {"en": "Range not satisfiable", "fr": "Plage non disponible",
          "de": "Bereich nicht verfügbar"},
}
OTHER_4XX = {"en": "Request not answered", "fr": "Requête sans réponse",
             "de": "Anfrage nicht beantwortet"}
CLIENT_ERRORS = sorted(code for code in default_exceptions if 400 <= code < 500)


def assert_error_page(response, code: int, locale: str) -> str:
    assert response.status_code == code
    assert response.mimetype == "text/html"
    assert response.headers["Content-Language"] == locale
    html = response.get_data(as_text=True)
    assert f'<html lang="{locale}">' in html
    title = TITLES.get(code, OTHER_4XX)[locale]
    assert f"<h1>{title}</h1>" in html
    assert re.search(rf'<p class="error-code">[^<]*{code}</p>', html)
    return html


@pytest.fixture
def raising_app(app):
    """The site plus one route that raises Werkzeug's exception for a status code, as a
    view, a converter or a file response of the site would."""

    @app.get("/<locale:lang_code>/raise/<int:code>")
    def raise_code(code: int):
        raise default_exceptions[code]()

    return app


def test_every_werkzeug_client_error_is_covered():
    # Werkzeug's 4xx classes (the exceptions Flask and the site can raise).
    assert CLIENT_ERRORS == [400, 401, 403, 404, 405, 406, 408, 409, 410, 411, 412, 413, 414,
                             415, 416, 417, 418, 421, 422, 423, 424, 428, 429, 431, 451]


@pytest.mark.parametrize("code", CLIENT_ERRORS)
@pytest.mark.parametrize("locale", ["en", "fr", "de"])
def test_every_client_error_is_the_localized_page(raising_app, code, locale):
    response = raising_app.test_client().get(f"/{locale}/raise/{code}")
    assert_error_page(response, code, locale)


def test_405_keeps_its_allow_header(client):
    response = client.post("/fr/events/")
    assert_error_page(response, 405, "fr")
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_a_range_beyond_a_file_is_416_with_content_range(client):
    size = len(client.get("/static/css/site.css").get_data())
    response = client.get(
        "/static/css/site.css", headers={"Range": "bytes=99999999-", "Accept-Language": "de"}
    )
    assert_error_page(response, 416, "de")
    assert response.headers["Content-Range"] == f"bytes */{size}"


def test_a_failed_if_match_on_a_file_is_412(client):
    response = client.get(
        "/static/css/site.css", headers={"If-Match": '"not-the-etag"', "Accept-Language": "fr"}
    )
    assert_error_page(response, 412, "fr")


def test_an_unknown_address_in_a_locale_is_404_in_that_locale(client):
    assert_error_page(client.get("/fr/nowhere/"), 404, "fr")


def test_a_conditional_request_that_matches_is_still_304(client):
    etag = client.get("/static/css/site.css").headers["ETag"]
    response = client.get("/static/css/site.css", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.get_data() == b""


def test_routing_redirect_passes_through(client):
    response = client.get("/en/events")
    assert response.status_code == 308
    assert response.headers["Location"].endswith("/en/events/")


def test_an_unexpected_error_is_the_500_page(app):
    @app.get("/<locale:lang_code>/broken")
    def broken():
        raise RuntimeError("boom")

    response = app.test_client().get("/fr/broken")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert "boom" not in html and "Traceback" not in html

