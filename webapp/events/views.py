"""Pages of the event domain: the event browser and a page per event."""

from __future__ import annotations

from typing import Any, cast

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.sansio.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from markupsafe import Markup
from sqlmodel import select

from webapp.clock import today
from webapp.db import get_session
from webapp.errors import bad_request
from webapp.events.codes import KINDS, REGION_LABELS, events_count_label, region_codes
from webapp.events.counts import count_rows
from webapp.events.display import event_cards
from webapp.events.filters import EventFilter, FilterError
from webapp.events.models import Event
from webapp.events.queries import (
    EventPage,
    Facets,
    count_undated,
    cursor_tag,
    events_by_id,
    facet_counts,
    list_segments,
    search_events,
)
from webapp.htmx import add_vary, push_url, render_fragment, trigger_id, wants_fragment
from webapp.i18n import collation_key, current_locale
from webapp.memo import memoize

bp = Blueprint("events", __name__, url_prefix="/<locale:lang_code>/events")

RESULTS_ID = "event-results"
FACETS = ("year", "type", "region")


def _region_order() -> list[str]:
    """Region codes sorted by their label in the page's locale (accent-insensitive)."""
    return sorted(region_codes(), key=lambda code: collation_key(str(REGION_LABELS[code])))


#: Page links shown on each side of the current page (plus the first and the last).
PAGE_WINDOW = 2


def page_links(page: int, pages: int, window: int = PAGE_WINDOW) -> list[int | None]:
    """The page numbers the pagination links to: the first, the last, and ``window``
    pages on each side of ``page``, in order, with None where numbers are left out (shown
    as an ellipsis). ``page_links(50, 5000)`` is ``[1, None, 48, 49, 50, 51, 52, None,
    5000]``."""
    shown = sorted({1, pages, *range(max(1, page - window), min(pages, page + window) + 1)})
    links: list[int | None] = []
    for number in shown:
        if links and number - (links[-1] or 0) > 1:
            links.append(None)
        links.append(number)
    return links


def step_links(flt: EventFilter, results: EventPage, tag: str) -> dict[str, dict[str, str]]:
    """The "Previous page" and "Next page" links of ``results``: for each that exists
    (``"prev"``, ``"next"``), ``{"href": URL, "hx": URL}``. ``href`` is the page's
    canonical URL (``?page=N``: for a visitor without JavaScript, a new tab, a bookmark);
    ``hx``, which htmx requests, adds the keyset cursor of the row next to it
    (``before=`` this page's first event, ``after=`` its last), so that the server seeks
    to that page in the index instead of counting the rows before it."""
    links: dict[str, dict[str, str]] = {}
    steps = (
        ("prev", results.page - 1, "before", results.first),
        ("next", results.page + 1, "after", results.last),
    )
    for name, number, direction, key in steps:
        if not 1 <= number <= results.pages:
            continue
        target = flt.with_page(number)
        href = url_for("events.browse", **cast(dict[str, Any], target.to_args()))
        hx = href
        if key is not None:
            args = target.cursor_args(direction, key, tag)
            hx = url_for("events.browse", **cast(dict[str, Any], args))
        links[name] = {"href": href, "hx": hx}
    return links


def facet_html(
    name: str, flt: EventFilter, facets: Facets, regions: list[str], oob: bool = False
) -> Markup:
    """The facet group ``name`` (``"year"``, ``"type"`` or ``"region"``; a macro of
    ``templates/events/_facets.html``) for ``flt``, as HTML, rendered once per data
    version, locale, filter and ``oob`` (swapped out of band) and then kept."""

    def render() -> Markup:
        module: Any = current_app.jinja_env.get_template("events/_facets.html").module
        if name == "year":
            return Markup(module.year_facet(flt, facets, oob=oob))
        if name == "type":
            return Markup(module.type_facet(flt, facets, oob=oob))
        return Markup(module.region_facet(flt, facets, regions, oob=oob))

    return memoize("facet_html", (current_locale(), name, flt.with_page(1), oob), render)


def _page_title(flt: EventFilter) -> str:
    parts: list[str] = []
    if flt.year_label:
        parts.append(flt.year_label)
    if flt.kind:
        parts.append(str(KINDS[flt.kind]))
    if flt.region:
        parts.append(str(REGION_LABELS[flt.region]))
    if not parts:
        return _("Events")
    return _("Events: %(filters)s", filters=", ".join(parts))


@bp.get("/")
def browse() -> ResponseReturnValue:
    """The event browser: ``GET /<locale>/events/?year=&type=&region=&page=``, and
    ``after=``/``before=`` (a keyset cursor, :class:`webapp.events.filters.PageCursor`).

    The full page, or only the results (plus out-of-band counts) for an htmx request aimed
    at them (:func:`webapp.htmx.wants_fragment`). 400 for a bad parameter (a damaged
    cursor included), 404 for a page beyond the last. A full page asked with a cursor is
    redirected to the page's canonical URL (``?page=N``), which shows the same events;
    the htmx results are answered from the cursor and push the canonical URL.
    """
    try:
        flt = EventFilter.from_args(request.args)
    except FilterError as error:
        return bad_request(error.parameter, error.message)
    canonical_args = flt.to_args()
    canonical = url_for("events.browse", **cast(dict[str, Any], canonical_args))
    fragment = wants_fragment(RESULTS_ID)
    if not fragment and request.full_path.rstrip("?") != canonical:
        # One URL per filtered view: a form sent without JavaScript carries empty fields
        # ("?year=&type=workshop&region="), redirect it to the canonical, shareable URL.
        return add_vary(redirect(canonical, 302))
    session = get_session()
    rows = memoize("event_counts", None, lambda: count_rows(session))
    regions = memoize("region_order", current_locale(), _region_order)
    facets, total = memoize(
        "event_facets",
        flt.with_page(1),
        lambda: facet_counts(rows, flt, list(KINDS), region_codes()),
    )
    per_page = current_app.config["EVENTS_PER_PAGE"]
    if flt.page > max(1, -(-total // per_page)):
        abort(404)
    tag = memoize("cursor_tag", today(), lambda: cursor_tag(rows, today()))
    segments = memoize(
        "event_segments",
        (flt.with_page(1), today()),
        lambda: list_segments(session, flt.with_page(1), today(), rows),
    )
    results = search_events(session, flt, today(), per_page, total, rows, tag, segments)
    cards = event_cards(results.ids, today(), lambda ids: events_by_id(session, ids))
    context = {
        "cards": cards,
        "flt": flt,
        "results": results,
        "facets": facets,
        "regions": regions,
        "today": today(),
        "page_title": _page_title(flt),
        "count_label": events_count_label(results.total),
        "results_id": RESULTS_ID,
        "page_links": page_links(results.page, results.pages),
        "step_links": step_links(flt, results, tag),
        "undated": memoize("undated_counts", flt.with_page(1), lambda: count_undated(session, flt)),
        # The language switcher links to this view with these arguments (see
        # webapp.i18n.url_for_locale).
        "canonical_args": canonical_args,
    }
    if fragment:
        # The facet group the visitor is using is not swapped (its counts do not depend
        # on its own value), so focus and state stay where they are.
        trigger = trigger_id()
        context["oob_facets"] = [f for f in FACETS if trigger != f"facet-{f}"]
        html = render_fragment("events/browse.html", ["results", "oob"], **context)
        response = push_url(make_response(html), canonical)
    else:
        response = make_response(render_template("events/browse.html", **context))
    return add_vary(response)


@bp.get("/<slug>/")
def detail(slug: str) -> ResponseReturnValue:
    """One event's page; 404 for an unknown slug. The event's row is looked up once per
    data version and slug, then kept (its columns only: the page reads no relationship)."""
    session = get_session()
    event = memoize(
        "events_by_slug",
        slug,
        lambda: session.exec(select(Event).where(Event.slug == slug)).first(),
    )
    if event is None:
        abort(404)
    return render_template("events/detail.html", event=event, today=today())


@bp.record_once
def _template_globals(state: BlueprintSetupState) -> None:
    """Code lists and display helpers for templates, as Jinja globals so that macros
    imported without context see them too."""
    from webapp.events import codes, display

    state.app.jinja_env.globals.update(
        ANNUAL_CONFERENCE=codes.ANNUAL_CONFERENCE,
        KINDS=codes.KINDS,
        KIND_SINGULAR=codes.KIND_SINGULAR,
        FORMATS=codes.FORMATS,
        STATUSES=codes.STATUSES,
        SHOWN_STATUSES=codes.SHOWN_STATUSES,
        REGION_LABELS=codes.REGION_LABELS,
        TIMINGS=codes.TIMINGS,
        event_text=display.event_text,
        event_label=display.event_label,
        event_place=display.event_place,
        event_location=display.event_location,
        event_host=display.event_host,
        document_title=display.document_title,
        event_card_html=display.event_card_html,
        facet_html=facet_html,
    )
