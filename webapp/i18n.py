"""Locales: the locale in the URL, negotiation, and CLDR formatting for templates.

Every public URL starts with one of :data:`LOCALES` (``/en/…``). The locale is taken from
the URL before Flask-Babel sees it; an unknown prefix does not match any route (404).
``/`` redirects to the visitor's remembered language (cookie :data:`LOCALE_COOKIE`, set only
when they choose a language with the switcher) or the best match of ``Accept-Language``.
Dates, date ranges, numbers and country names come from Babel's CLDR data in the page's
locale.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache
from typing import Any, Literal, TypeVar

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_interval
from babel.lists import format_list as babel_format_list
from babel.support import NullTranslations
from flask import Flask, Response, g, request, url_for
from flask_babel import Babel, get_locale, get_translations
from markupsafe import Markup, escape
from werkzeug.routing import BaseConverter
from werkzeug.wrappers import Response as BaseResponse

#: The five languages of the association's printed brochure, English first (the default).
LOCALES: tuple[str, ...] = ("en", "fr", "de", "pt", "es")
DEFAULT_LOCALE = "en"
#: Cookie that remembers the language a visitor chose (no tracking: only the locale code).
LOCALE_COOKIE = "locale"
LOCALE_COOKIE_MAX_AGE = 365 * 24 * 3600  # seconds
#: The list styles of :func:`babel.lists.format_list`.
ListStyle = Literal[
    "standard", "standard-short", "or", "or-short", "unit", "unit-short", "unit-narrow"
]


class LocaleConverter(BaseConverter):
    """URL converter ``<locale:lang_code>`` matching only the codes in :data:`LOCALES`."""

    regex = "|".join(LOCALES)


@cache
def language_name(code: str) -> str:
    """The language ``code`` named in itself, capitalised as in a language menu
    (``"fr"`` -> ``"Français"``), from CLDR (kept once computed: CLDR does not change
    while the process runs)."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def negotiate_locale() -> str:
    """The locale for a request that has none in its URL: the cookie if it holds a known
    locale, else the best match of ``Accept-Language`` (primary tags match, so ``pt-BR``
    gives ``pt``), else :data:`DEFAULT_LOCALE`."""
    remembered = request.cookies.get(LOCALE_COOKIE)
    if remembered in LOCALES:
        return remembered
    return request.accept_languages.best_match(LOCALES, default=DEFAULT_LOCALE)


def current_locale() -> str:
    """The locale code of the current request (from the URL, else negotiated)."""
    if "locale" not in g:
        g.locale = negotiate_locale()
    return g.locale


#: A day number 1 standing alone in a formatted French date (years have four digits,
#: months are names, so a lone "1" can only be the first day of a month).
_LONE_ONE = re.compile(r"(?<!\d)1(?!\d)")


def french_first_day(text: str) -> str:
    """``text``, a date or date range formatted by CLDR in French (day numbers, month
    names, four-digit years), with the first day of a month written ``1er``:
    ``"29 mai – 1 juin 2018"`` -> ``"29 mai – 1er juin 2018"``, ``"1–3 juin 2018"`` ->
    ``"1er–3 juin 2018"``. CLDR writes ``1``; French typography writes the first day of the
    month as an ordinal (Lexique des règles typographiques en usage à l'Imprimerie
    nationale; Office québécois de la langue française, « Date »)."""
    return _LONE_ONE.sub("1er", text)


def adopt_path_locale() -> None:
    """For a request that matched no route (an error page), take the locale from the
    path's first segment when it is one of :data:`LOCALES` (``/fr/nowhere`` is answered
    in French); otherwise the locale is negotiated as for ``/``. No effect once the
    request has a locale."""
    if "locale" not in g:
        first = request.path.strip("/").split("/", 1)[0]
        if first in LOCALES:
            g.locale = first


def format_date_range(start: date | None, end: date | None) -> str | None:
    """A date range in the page's locale through CLDR's interval formats (skeleton
    ``yMMMd``): ``"3–6 juin 2025"`` in French, where the first of a month reads ``1er``
    (:func:`french_first_day`). None when the dates are unknown."""
    if start is None:
        return None
    locale = get_locale()
    text = format_interval(start, end or start, "yMMMd", locale=locale)
    return french_first_day(text) if locale.language == "fr" else text


def format_day(value: date, format: str = "long") -> str:
    """One date in the page's locale (``format``: a CLDR width such as ``"long"`` or a
    pattern, as :func:`babel.dates.format_date` takes), the first of a month reading
    ``1er`` in French (:func:`french_first_day`): ``"1er juin 2026"``."""
    locale = get_locale()
    text = babel_format_date(value, format, locale=locale)
    return french_first_day(text) if locale.language == "fr" else text


def country_name(code: str | None) -> str | None:
    """The ISO 3166-1 alpha-2 ``code`` named in the page's locale (CLDR territories), or
    None for no code."""
    if not code:
        return None
    return get_locale().territories.get(code.upper(), code.upper())


def format_list(items: Iterable[str], style: ListStyle = "standard") -> Markup:
    """``items`` (an iterable of str or Markup) joined by the page's locale's CLDR list
    pattern (``style`` as in :func:`babel.lists.format_list`): ``"A, B et C"`` in French.
    Plain strings are HTML-escaped, so the result is safe in a template."""
    return Markup(
        babel_format_list([escape(item) for item in items], style=style, locale=get_locale())
    )


def collation_key(text: str) -> tuple[str, str]:
    """A sort key that ignores case and accents (``"Élan"`` sorts with ``"elan"``), the
    original text breaking ties. Enough for the five Latin-script languages here."""
    decomposed = unicodedata.normalize("NFKD", text)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return (base.casefold(), text)


def url_for_locale(
    code: str, query: Mapping[str, str] | None = None, external: bool = False
) -> str:
    """The current page's URL in locale ``code``, with the same path and either ``query``
    (a view's canonical query parameters, passed by the template) or else the request's
    own query string; ``external``: absolute, with scheme and host (as ``hreflang``
    alternates must be, Google Search Central, "Tell Google about localized versions of
    your page"). Only for a request that matched a route with a locale. Built once per
    page and locale, then kept (:func:`webapp.memo.memoize`).

    Raises:
        RuntimeError: the request matched no route.
    """
    from webapp.memo import memoize

    if request.endpoint is None:
        raise RuntimeError("url_for_locale needs a request that matched a route")
    key = (
        code,
        request.endpoint,
        tuple(sorted((request.view_args or {}).items())),
        tuple(query.items()) if query is not None else request.query_string,
        (request.scheme, request.environ.get("HTTP_HOST"), request.root_path) if external else None,
    )
    return memoize("locale_urls", key, lambda: _url_for_locale(code, query, external))


def _url_for_locale(code: str, query: Mapping[str, str] | None, external: bool) -> str:
    assert request.endpoint is not None
    args: dict[str, Any] = dict(request.view_args or {})
    args["lang_code"] = code
    if query is not None:
        args.update(query)
        return url_for(request.endpoint, _external=external, **args)
    url = url_for(request.endpoint, _external=external, **args)
    if request.query_string:
        url += "?" + request.query_string.decode("utf-8", "replace")
    return url


def _pull_locale(endpoint: str | None, values: dict | None) -> None:
    if values and "lang_code" in values:
        g.locale = values.pop("lang_code")
        g.locale_from_url = True


def _add_locale(endpoint: str, values: dict) -> None:
    if "lang_code" in values or not endpoint:
        return
    from flask import current_app

    if current_app.url_map.is_endpoint_expecting(endpoint, "lang_code"):
        values["lang_code"] = current_locale()


R = TypeVar("R", bound=BaseResponse)


def _content_language(response: Response) -> Response:
    """``Content-Language`` on every localized response that has none yet (the page's
    locale; a view that serves a document in another language sets its own). No cookie is
    set here: the language is remembered only when the visitor chooses one
    (:func:`remember_choice`), so that an ordinary page view carries no ``Set-Cookie`` and
    a shared cache may keep it."""
    if "locale" in g and "Content-Language" not in response.headers:
        response.headers["Content-Language"] = g.locale
    return response


def choose_language_url(code: str, query: Mapping[str, str] | None = None) -> str:
    """The URL of a language switcher link: the route that remembers ``code`` as the
    visitor's choice and then goes to the current page in that language, with ``query``
    or the request's own query string (:func:`url_for_locale`)."""
    from webapp.memo import memoize

    target = url_for_locale(code, query)
    return memoize(
        "choose_language_urls",
        target,
        lambda: url_for("root.choose_language", chosen=code, next=target),
    )


def safe_next(code: str, target: str | None) -> str:
    """``target`` when it is a path of this site in locale ``code`` (``/<code>/…``, no
    scheme, host, backslash, control character or ``//``), else that locale's home page
    ``/<code>/``: a switcher link cannot send the visitor to another site."""
    prefix = f"/{code}/"
    if (
        not target
        or not target.startswith(prefix)
        or "//" in target
        or "\\" in target
        or any(ord(c) < 32 or ord(c) == 127 for c in target)
    ):
        return prefix
    return target


def remember_choice(response: R, code: str) -> R:
    """Set the :data:`LOCALE_COOKIE` on ``response`` (a year, ``HttpOnly``,
    ``SameSite=Lax``, ``Secure`` over HTTPS): ``/`` then brings the visitor back to
    ``code``, whatever their ``Accept-Language`` says."""
    response.set_cookie(
        LOCALE_COOKIE,
        code,
        max_age=LOCALE_COOKIE_MAX_AGE,
        path="/",
        samesite="Lax",
        httponly=True,
        secure=request.is_secure,
    )
    return response


def catalogue() -> NullTranslations:
    """The compiled catalogue (``messages.mo``) of the locale Flask-Babel uses now: the
    request's, or the one :func:`flask_babel.force_locale` chose. Flask-Babel finds it
    anew on every message (about 10 µs each, dozens of messages per page); here it is
    found once per request and locale, then kept on ``g``.

    Returns:
        Babel's translations object (``ugettext``, ``ungettext``, ``upgettext``,
        ``unpgettext``); Babel's ``NullTranslations`` outside an application context.
    """
    locale = get_locale()
    kept = g.get("_catalogue")
    if kept is not None and kept[0] == locale:
        return kept[1]
    translations = get_translations()
    g._catalogue = (locale, translations)
    return translations


def _install_template_gettext(app: Flask) -> None:
    """Give templates ``_``/``gettext``, ``ngettext``, ``pgettext`` and ``npgettext``
    that read :func:`catalogue` (same messages as Flask-Babel's, found once per request)."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: catalogue().ugettext(s),
        ngettext=lambda s, p, n: catalogue().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalogue().unpgettext(c, s, p, n),
    )


def init_app(app: Flask) -> None:
    """Register the converter, the locale selector, URL hooks, template helpers and the
    ``Content-Language`` header."""
    app.url_map.converters["locale"] = LocaleConverter
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", str(app.config["PROJECT_ROOT"] / "translations")
    )
    Babel(app, locale_selector=current_locale)
    _install_template_gettext(app)
    app.url_value_preprocessor(_pull_locale)
    app.url_defaults(_add_locale)
    app.after_request(_content_language)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals.update(
        LOCALES=LOCALES,
        language_name=language_name,
        url_for_locale=url_for_locale,
        choose_language_url=choose_language_url,
        current_locale=current_locale,
    )
    app.jinja_env.filters.update(
        date_range=format_date_range,
        day=format_day,
        country_name=country_name,
        format_list=format_list,
    )


#: Grammatical gender of the noun an ordinal agrees with: masculine or feminine.
Gender = Literal["m", "f"]
_EN_SUFFIX = {"one": "st", "two": "nd", "few": "rd", "other": "th"}


def format_ordinal(number: int, gender: Gender = "m", locale: str | None = None) -> str:
    """``number`` as an ordinal numeral in ``locale`` (default: the page's), agreeing with
    a noun of ``gender`` (which noun, and its gender, is the caller's business: see
    :data:`webapp.events.codes.KIND_NOUN_GENDER`).

    Rules: English by CLDR's ordinal plural categories (1st, 2nd, 3rd, 11th, 50th);
    French 1er/1re then 50e (Imprimerie nationale); German 50.; Brazilian Portuguese
    52ª/6º with no period (the site's Portuguese is Brazilian, as the association's
    brochure; the period of 52.ª is European Portuguese usage); Spanish 50.º/50.ª with the
    apocopated 1.er and 3.er before a masculine noun (RAE).
    """
    code = locale or str(get_locale())
    if code == "en":
        return f"{number}{_EN_SUFFIX[Locale.parse('en').ordinal_form(number)]}"
    if code == "fr":
        if number == 1:
            return "1er" if gender == "m" else "1re"
        return f"{number}e"
    if code == "de":
        return f"{number}."
    indicator = "ª" if gender == "f" else "º"
    if code == "pt":
        return f"{number}{indicator}"
    if code == "es" and gender == "m" and number % 10 in (1, 3) and number % 100 not in (11, 13):
        return f"{number}.er"
    return f"{number}.{indicator}"
