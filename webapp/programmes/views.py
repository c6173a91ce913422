"""Pages of the programme archive: the search across years, a conference's programme, a
talk, a person.

URLs (under the locale): ``/programmes/`` (search: ``q``, ``year``, ``type``, ``page``),
``/programmes/<year>/``, ``/programmes/<year>/talks/<session>-<number>/``,
``/programmes/people/<slug>/``. Event pages and the event browser's cards link to a
conference's programme through the template global ``programme_link(event)``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from typing import Any, cast

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from sqlmodel import col

from webapp.db import get_session
from webapp.errors import bad_request
from webapp.events.filters import FilterError
from webapp.events.models import Event
from webapp.htmx import add_vary, push_url, render_fragment, trigger_id, wants_fragment
from webapp.i18n import current_locale
from webapp.memo import MISSING, keep, lookup, memoize
from webapp.programmes.codes import CREDIT, CREDIT_URL, SESSION_TYPES, talks_count_label
from webapp.programmes.filters import ProgrammeFilter
from webapp.programmes.loader import person_key
from webapp.programmes.models import (
    Person,
    Presentation,
    PresentationLink,
    Presenter,
    Programme,
    ProgrammeSession,
    SessionFile,
)
from webapp.programmes.search import TalkFacets, TalkResults, count_matches, search_talks

bp = Blueprint("programmes", __name__, url_prefix="/<locale:lang_code>/programmes")

RESULTS_ID = "talk-results"
FACETS = ("year", "type")
PER_PAGE = 20
#: Result cards kept in memory per process: every talk in every locale (2,598 x 5) fits.
CARD_MEMO_SIZE = 16_000
#: Searches whose counts (:class:`webapp.programmes.search.TalkCounts`, at most a few
#: hundred numbers) are kept per process.
COUNTS_MEMO_SIZE = 2048
#: Result pages (ids and snippets, a few KB each) kept per process.
HITS_MEMO_SIZE = 1024


@dataclass
class Talk:
    """A presentation with what its pages show: ``presenters`` [(Presenter, Person)],
    ``dois`` [str], ``files`` [(url, name)], and its ``session`` (ProgrammeSession) where
    loaded."""

    presentation: Presentation
    presenters: list[tuple[Presenter, Person]] = field(default_factory=list)
    dois: list[str] = field(default_factory=list)
    files: list[tuple[str, str]] = field(default_factory=list)
    session: ProgrammeSession | None = None


def load_talks(presentations: list[Presentation]) -> list[Talk]:
    """:class:`Talk` objects for ``presentations`` (same order), with their presenters and
    links in two queries."""
    talks = [Talk(p) for p in presentations]
    by_id = {t.presentation.id: t for t in talks}
    if not by_id:
        return talks
    session = get_session()
    rows = session.execute(
        select(Presenter, Person)
        .join(Person, col(Person.id) == col(Presenter.person_id))
        .where(col(Presenter.presentation_id).in_(by_id))
        .order_by(col(Presenter.presentation_id), col(Presenter.position))
    ).all()
    for presenter, person in rows:
        by_id[presenter.presentation_id].presenters.append((presenter, person))
    links = session.scalars(
        select(PresentationLink)
        .where(col(PresentationLink.presentation_id).in_(by_id))
        .order_by(col(PresentationLink.presentation_id), col(PresentationLink.position))
    ).all()
    for link in links:
        talk = by_id[link.presentation_id]
        if link.kind == "doi":
            talk.dois.append(link.target)
        else:
            talk.files.append((link.target, link.name or link.target))
    return talks


def _programme_counts() -> dict[int, tuple[int, int]]:
    """{event id: (programme year, talk count)}, once per request."""
    if "programme_counts" not in g:
        rows = (
            get_session()
            .execute(
                select(col(Programme.event_id), col(Programme.year), col(Programme.talk_count))
            )
            .all()
        )
        g.programme_counts = {event_id: (year, count) for event_id, year, count in rows}
    return g.programme_counts


def programme_link(event: Event) -> tuple[str, str] | None:
    """(URL, "Programme: 168 talks") of an event's programme, or None when it has none:
    for the event page and the event browser's cards."""
    found = _programme_counts().get(event.id) if event.id is not None else None
    if found is None:
        return None
    year, count = found
    label = _("Program: %(talks)s", talks=talks_count_label(count))
    return url_for("programmes.programme", year=year), label


def _year_event(year: int) -> tuple[Programme, Event] | None:
    """(programme, event) of ``year``, or None: looked up once per data version and year,
    then kept (columns only; the event's translations are loaded with it)."""

    def find() -> tuple[Programme, Event] | None:
        row = (
            get_session()
            .execute(
                select(Programme, Event)
                .join(Event, col(Event.id) == col(Programme.event_id))
                .where(col(Programme.year) == year)
            )
            .first()
        )
        return None if row is None else (row[0], row[1])

    return memoize("programme_rows", year, find)


#: What separates the people named in a chair or moderator text ("Ann Green (Yale
#: University)", "Ann Green, Yale", "Ann Green and Bo Wandschneider"), kept in the text.
_MENTION_SEPARATORS = re.compile(r"(\s*(?:[,;/&()]|\band\b)\s*)")


def _person_slugs() -> dict[str, str]:
    """{matching key of a spelling: person's slug} for every spelling the programmes give
    a presenter (the alias file's variants included, since each is the spelling of some
    presenter) and every person's shown name, leaving out a key two people share; once
    per data version."""

    def build() -> dict[str, str]:
        rows = get_session().execute(
            select(col(Presenter.name), col(Person.name), col(Person.slug)).join(
                Person, col(Person.id) == col(Presenter.person_id)
            )
        )
        found: dict[str, set[str]] = defaultdict(set)
        for spelling, name, slug in rows:
            found[person_key(spelling)].add(slug)
            found[person_key(name)].add(slug)
        # A key that two people share names neither of them.
        return {key: next(iter(slugs)) for key, slugs in found.items() if len(slugs) == 1}

    return memoize("person_slugs", None, build)


def person_mentions(text: str) -> list[tuple[str, str | None]]:
    """A chair or moderator text as the programme gives it, cut into parts (their
    concatenation is ``text``): [(part, slug of the person's page or None)]. A part is
    linked only when it is, whole, the name of a known person by the rule presenters are
    matched with (:func:`webapp.programmes.loader.person_key`, then the spellings the
    alias file merged), never by a fuzzy guess; separators, institutions and unknown
    names have None."""
    slugs = _person_slugs()
    parts = _MENTION_SEPARATORS.split(text)
    return [
        (part, slugs.get(person_key(part)) if index % 2 == 0 and part else None)
        for index, part in enumerate(parts)
        if part
    ]


#: At most this many rendered programme bodies are kept per process (25 programmes x 5
#: locales would be 125; a body is up to ~400 KB).
PAGE_CACHE_SIZE = 40


@bp.get("/<int:year>/")
def programme(year: int) -> str:
    """The programme of the annual conference of ``year``: sessions by day, each with
    its type, chair, talks, presenters, abstracts (in ``<details>``) and links. 404 when
    there is no programme for that year.

    The body (block ``programme_body``) changes only when the data does: it is rendered
    once per data version and locale, and kept (:func:`webapp.memo.memoize`, at most
    :data:`PAGE_CACHE_SIZE`); the page around it is the site's chrome."""
    found = _year_event(year)
    if found is None:
        abort(404)
    programme_row, event = found
    body = memoize(
        "programme_bodies",
        (current_locale(), year),
        lambda: _render_programme(programme_row, event),
        PAGE_CACHE_SIZE,
    )
    return render_template(
        "programmes/programme.html", programme=programme_row, event=event, body=body
    )


def _render_programme(programme_row: Programme, event: Event) -> Markup:
    session = get_session()
    sessions = session.scalars(
        select(ProgrammeSession)
        .where(col(ProgrammeSession.programme_id) == programme_row.id)
        .order_by(col(ProgrammeSession.number))
    ).all()
    presentations = session.scalars(
        select(Presentation)
        .where(col(Presentation.programme_id) == programme_row.id)
        .order_by(col(Presentation.session_number), col(Presentation.number))
    ).all()
    talks_by_session: dict[int, list[Talk]] = defaultdict(list)
    for talk in load_talks(list(presentations)):
        talks_by_session[talk.presentation.session_id].append(talk)
    files: dict[int, list[SessionFile]] = defaultdict(list)
    for item in session.scalars(
        select(SessionFile)
        .where(col(SessionFile.session_id).in_([s.id for s in sessions]))
        .order_by(col(SessionFile.session_id), col(SessionFile.position))
    ):
        files[item.session_id].append(item)
    ordered = sorted(sessions, key=lambda s: (s.day is None, s.day or date.min, s.number))
    days = [(day, list(group)) for day, group in groupby(ordered, key=lambda s: s.day)]
    html = render_fragment(
        "programmes/programme.html",
        ["programme_body"],
        programme=programme_row,
        event=event,
        days=days,
        talks_by_session=talks_by_session,
        session_files=files,
    )
    return Markup(html)


@bp.get("/<int:year>/talks/<int:session_number>-<int:number>/")
def talk(year: int, session_number: int, number: int) -> str:
    """One talk's page: title, abstract, presenters, session, conference, slides,
    recording, a citation. 404 for an unknown talk.

    The talk's row is looked up once per data version and URL; the page's body is
    rendered once per data version, locale and host (the template's
    ``cached_fragment``), from :func:`talk_page_data`."""
    presentation = memoize(
        "talk_rows",
        (year, session_number, number),
        lambda: (
            get_session()
            .scalars(
                select(Presentation).where(
                    col(Presentation.year) == year,
                    col(Presentation.session_number) == session_number,
                    col(Presentation.number) == number,
                )
            )
            .first()
        ),
    )
    if presentation is None:
        abort(404)
    return render_template("programmes/talk.html", p=presentation)


def talk_page_data(presentation: Presentation) -> tuple[Talk, Programme, Event]:
    """What a talk page's body shows besides the talk's row: the :class:`Talk` (its
    presenters, links and session), its programme and its event."""
    found = _year_event(presentation.year)
    if found is None:  # the talk's row is of the same data version: cannot happen
        abort(404)
    talk_item = load_talks([presentation])[0]
    talk_item.session = get_session().get(ProgrammeSession, presentation.session_id)
    return talk_item, found[0], found[1]


@bp.get("/people/<slug>/")
def person(slug: str) -> str:
    """A person's page: every talk they gave, newest first. 404 for an unknown slug.

    The person's row is looked up once per data version and slug; the body is rendered
    once per data version and locale (the template's ``cached_fragment``), from
    :func:`person_page_data`."""
    found = memoize(
        "person_rows",
        slug,
        lambda: get_session().scalars(select(Person).where(col(Person.slug) == slug)).first(),
    )
    if found is None:
        abort(404)
    return render_template("programmes/person.html", person=found)


def person_page_data(found: Person) -> tuple[list[Talk], list[str]]:
    """(talks, institutions) of a person's page: every talk they gave, newest first, and
    the institutions the programmes give for them, in that order, without repeats."""
    session = get_session()
    presentations = session.scalars(
        select(Presentation)
        .join(Presenter, col(Presenter.presentation_id) == col(Presentation.id))
        .where(col(Presenter.person_id) == found.id)
        .order_by(
            col(Presentation.year).desc(),
            col(Presentation.session_number),
            col(Presentation.number),
        )
    ).all()
    unique = list({p.id: p for p in presentations}.values())
    talks = load_talks(unique)
    institutions = []
    for talk_item in talks:
        for presenter, who in talk_item.presenters:
            institution = presenter.institution
            if who.id == found.id and institution and institution not in institutions:
                institutions.append(institution)
    return talks, institutions


def _render_cards(ids: list[int]) -> dict[int, tuple[Markup, str]]:
    """The result cards of the talks ``ids`` (the ``result_card`` macro of
    ``templates/programmes/_talk.html``) and their talks' languages, rendered in the
    page's locale from three queries; an id no longer in the store is left out."""
    session = get_session()
    rows = {
        p.id: p for p in session.scalars(select(Presentation).where(col(Presentation.id).in_(ids)))
    }
    talks = load_talks([rows[i] for i in ids if i in rows])
    titles = dict(
        session.execute(
            select(col(ProgrammeSession.id), col(ProgrammeSession.title_text)).where(
                col(ProgrammeSession.id).in_({t.presentation.session_id for t in talks})
            )
        ).all()
    )
    module: Any = current_app.jinja_env.get_template("programmes/_talk.html").module
    return {
        cast(int, t.presentation.id): (
            Markup(module.result_card(t, titles[t.presentation.session_id])),
            t.presentation.language,
        )
        for t in talks
    }


def talk_cards(ids: list[int]) -> list[tuple[Markup, str]]:
    """The result cards of the talks ``ids``, in order, as (HTML, the talk's language
    code): each rendered once per data version and locale and then kept
    (:mod:`webapp.memo`), so a page of results costs a look-up per talk; the query's
    snippet is not part of a card. An id no longer in the store is left out."""
    locale = current_locale()
    cards = {i: lookup("talk_cards", (locale, i)) for i in ids}
    missing = [i for i, card in cards.items() if card is MISSING]
    if missing:
        for talk_id, card in _render_cards(missing).items():
            keep("talk_cards", (locale, talk_id), card, CARD_MEMO_SIZE)
            cards[talk_id] = card
    return [card for card in cards.values() if card is not MISSING]


def talk_facet_html(
    name: str, flt: ProgrammeFilter, facets: TalkFacets, oob: bool = False
) -> Markup:
    """The facet group ``name`` (``"year"`` or ``"type"``; a macro of
    ``templates/programmes/_facets.html``) for ``flt``, as HTML, rendered once per data
    version, locale, search (the page aside) and ``oob`` (swapped out of band), then
    kept; ``facets`` must be the counts of ``flt``."""

    def render() -> Markup:
        module: Any = current_app.jinja_env.get_template("programmes/_facets.html").module
        macro = module.year_facet if name == "year" else module.type_facet
        return Markup(macro(flt, facets, oob=oob))

    return memoize("talk_facet_html", (current_locale(), name, flt.with_page(1), oob), render)


def talk_pagination_html(flt: ProgrammeFilter, results: TalkResults) -> Markup:
    """The page links under the results (the ``pagination`` macro of
    ``templates/programmes/_pagination.html``; empty for a single page), rendered once
    per data version, locale and search (``flt``, its page included) and then kept;
    ``results`` must be those of ``flt``."""

    def render() -> Markup:
        module: Any = current_app.jinja_env.get_template("programmes/_pagination.html").module
        return Markup(module.pagination(flt, results, RESULTS_ID))

    return memoize("talk_pagination_html", (current_locale(), flt), render)


def _page_title(flt: ProgrammeFilter) -> str:
    parts = []
    if flt.q:
        parts.append(f"“{flt.q}”")
    if flt.year:
        parts.append(flt.year_label or "")
    if flt.session_type:
        parts.append(str(SESSION_TYPES[flt.session_type]))
    if not parts:
        return _("Conference programs")
    return _("Conference programs: %(filters)s", filters=", ".join(parts))


@bp.get("/")
def search() -> ResponseReturnValue:
    """The search across every programme: ``GET /<locale>/programmes/?q=&year=&type=&page=``.

    The full page, or only the results (plus out-of-band counts) for an htmx request aimed
    at them (:func:`webapp.htmx.wants_fragment`). 400 for a bad parameter, 404 for a page
    beyond the last.
    """
    try:
        flt = ProgrammeFilter.from_args(request.args)
    except FilterError as error:
        return bad_request(error.parameter, error.message)
    canonical_args = flt.to_args()
    canonical = url_for("programmes.search", **cast(dict[str, Any], canonical_args))
    fragment = wants_fragment(RESULTS_ID)
    if not fragment and request.full_path.rstrip("?") != canonical:
        return add_vary(redirect(canonical, 302))
    session = get_session()
    query = flt.query()
    counts = memoize(
        "talk_counts", query.terms, lambda: count_matches(session, query.terms), COUNTS_MEMO_SIZE
    )
    if flt.q and not query.terms:
        results = None  # a text with no word in it: nothing to search
        facets = TalkFacets({y: 0 for y in counts.years}, {c: 0 for c in SESSION_TYPES})
    else:
        results = memoize(
            "talk_hits",
            (query, flt.page),
            lambda: search_talks(session, query, flt.page, PER_PAGE, counts),
            HITS_MEMO_SIZE,
        )
        if flt.page > results.pages:
            abort(404)
        facets = counts.facets(query)
    hits = results.hits if results is not None else []
    cards = list(zip(talk_cards([hit.presentation_id for hit in hits]), hits, strict=True))
    total = results.total if results is not None else 0
    context = {
        "flt": flt,
        "results": results,
        "cards": cards,
        "facets": facets,
        "page_title": _page_title(flt),
        "count_label": talks_count_label(total),
        "results_id": RESULTS_ID,
        # The language switcher links to this view with these arguments.
        "canonical_args": canonical_args,
    }
    if fragment:
        trigger = trigger_id()
        context["oob_facets"] = [f for f in FACETS if trigger != f"facet-{f}"]
        html = render_fragment("programmes/search.html", ["results", "oob"], **context)
        response = push_url(make_response(html), canonical)
    else:
        response = make_response(render_template("programmes/search.html", **context))
    return add_vary(response)


@bp.record_once
def _template_globals(state: BlueprintSetupState) -> None:
    """Code lists and helpers for templates (Jinja globals, so that imported macros see
    them)."""
    state.app.jinja_env.globals.update(
        SESSION_TYPES=SESSION_TYPES,
        PROGRAMME_CREDIT=CREDIT,
        PROGRAMME_CREDIT_URL=CREDIT_URL,
        programme_link=programme_link,
        talk_facet_html=talk_facet_html,
        talk_pagination_html=talk_pagination_html,
        talk_page_data=talk_page_data,
        person_mentions=person_mentions,
        person_page_data=person_page_data,
    )
