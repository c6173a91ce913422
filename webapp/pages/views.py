"""Views of the association's pages."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from webapp.association import ASSOCIATION_SITE, pie_slices
from webapp.brochures.media import documents_for_media
from webapp.clock import today
from webapp.db import get_session
from webapp.events.queries import (
    next_annual_conference,
    past_conferences,
    regional_workshop_series,
    upcoming_and_recent,
)
from webapp.i18n import current_locale, negotiate_locale, remember_choice, safe_next
from webapp.memo import memoize

bp = Blueprint("pages", __name__, url_prefix="/<locale:lang_code>")
root_bp = Blueprint("root", __name__)


@root_bp.get("/")
def root() -> ResponseReturnValue:
    """``/``: redirect (302) to the home page in the remembered or negotiated locale;
    ``Vary: Accept-Language, Cookie``."""
    response = redirect(url_for("pages.home", lang_code=negotiate_locale()))
    response.vary.update(("Accept-Language", "Cookie"))
    return response


@root_bp.get("/language/<locale:chosen>")
def choose_language(chosen: str) -> ResponseReturnValue:
    """A language switcher link: remember ``chosen`` (cookie, see
    :func:`webapp.i18n.remember_choice`) and redirect (303) to ``?next=``, the current
    page in that language (a path of this site in that locale, else its home page).
    ``Cache-Control: no-store``: the only response of the site that sets a cookie."""
    response = redirect(safe_next(chosen, request.args.get("next")), 303)
    response.headers["Cache-Control"] = "no-store"
    return remember_choice(response, chosen)


@root_bp.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """Browsers that ask for ``/favicon.ico`` get the site's SVG icon (301, to its plain
    name, which stays when its content changes)."""
    return redirect(url_for("static", filename="img/favicon.svg"), 301)


@bp.get("/")
def home() -> ResponseReturnValue:
    """Home: who IASSIST is, the next annual conference, the ways in."""
    session = get_session()
    return render_template(
        "pages/home.html",
        next_conference=next_annual_conference(session, today()),
        today=today(),
        links=ASSOCIATION_SITE,
    )


@bp.get("/about/")
def about() -> ResponseReturnValue:
    """About: the content of the association's About page (seed 000), with the brochure
    and factsheet downloads (:func:`webapp.brochures.media.documents_for_media`)."""
    return render_template(
        "pages/about.html",
        today=today(),
        slices=memoize("pie_slices", current_locale(), pie_slices),
        links=ASSOCIATION_SITE,
        media=memoize(
            "media",
            (current_locale(), today()),
            lambda: documents_for_media(get_session(), current_locale(), today()),
        ),
    )


@bp.get("/conferences/")
def conferences() -> ResponseReturnValue:
    """Conferences: the annual conference text (seed 002) with its forthcoming and recent
    events, the Africa regional workshops, and the past conferences and joint meetings
    (with their status: the 2021 IASSIST/CESSDA meeting was cancelled), from the store."""
    session = get_session()
    forthcoming, recent = upcoming_and_recent(session, today())
    return render_template(
        "pages/conferences.html",
        forthcoming=forthcoming,
        recent=recent,
        workshops=regional_workshop_series(session, today()),
        past=past_conferences(session, today()),
        today=today(),
        links=ASSOCIATION_SITE,
    )
