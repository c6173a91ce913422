"""Full-text search of the programme archive: one query interface over two engines.

- SQLite: an FTS5 external-content table ``presentation_fts`` over ``presentation``
  (title, abstract, presenters, institutions), tokenizer ``unicode61 remove_diacritics 2``
  (case- and diacritic-insensitive: "koln" finds "Köln"), a prefix index, ranked by
  ``bm25()`` with the title weighted most; rebuilt by the load (:func:`refresh_index`).
- PostgreSQL: a generated ``tsvector`` column ``presentation.search_vector`` with a GIN
  index, built with the text search configuration ``iassist_search`` (``simple`` with
  ``unaccent`` on words: no stemming, as FTS5; punctuation separates words, as in
  FTS5), ranked by ``ts_rank``, snippets by ``ts_headline``. Needs the ``unaccent``
  extension (PostgreSQL's contrib, created here).

A visitor's query is data, never query syntax (:func:`parse_query`): words are taken out
of it (letters and digits; everything else separates words), each word matches the
beginning of a word ("metadat" finds "metadata"), words in double quotes match as a phrase,
and all terms must match. The engine's expression is built from those words only, each
quoted, so quotes, ``AND``/``OR``/``NOT``/``NEAR(``, ``*``, ``-`` and ``column:`` are plain
text.

Snippets: the engine marks matches with private-use characters
(:data:`webapp.programmes.sanitize.MARK_START`/``MARK_END``, removed from the data at
import); the snippet is HTML-escaped first and the marks become ``<mark>`` after.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any, cast

from markupsafe import Markup, escape
from sqlalchemy import DDL, event, select, text
from sqlalchemy.engine import Connection
from sqlmodel import Session, SQLModel, col

from webapp.programmes.codes import SESSION_TYPES
from webapp.programmes.models import Presentation, Programme
from webapp.programmes.sanitize import MARK_END, MARK_START

#: At most this many terms of a query are used (a longer query is cut there).
MAX_TERMS = 12
#: Longer "words" are cut to this length (no real word is longer).
MAX_WORD = 64
#: bm25 weights of the FTS5 columns: title, abstract, presenters, institutions.
BM25_WEIGHTS = "10.0, 1.0, 5.0, 2.0"
SNIPPET_WORDS = 24
_WORD = re.compile(r"[^\W_]+")

_FTS_COLUMNS = "title_text, abstract_text, presenters_text, institutions_text"
#: The FTS5 table. ``prefix='1 2 3 4'``: prefix queries of up to four characters (the
#: first keystrokes of a search as the visitor types) read a prefix index instead of
#: scanning every term that begins with them.
_FTS_TABLE = (
    f"CREATE VIRTUAL TABLE presentation_fts USING fts5({_FTS_COLUMNS}, "
    "content='presentation', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='1 2 3 4')"
)
#: What the ranking, the counts and the filters read of a matching talk, so that on SQLite
#: they need not read the wide ``presentation`` rows (abstracts); the load's ``ANALYZE``
#: lets the planner see it. (On PostgreSQL the GIN index leads and rows are read anyway.)
_RANK_KEYS_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_presentation_rank_keys "
    "ON presentation (id, year, session_type, session_number, number)"
)
_SQLITE_DDL = [
    _FTS_TABLE.replace("CREATE VIRTUAL TABLE", "CREATE VIRTUAL TABLE IF NOT EXISTS"),
    _RANK_KEYS_INDEX,
]
#: Punctuation separates words, as in FTS5's unicode61 tokenizer (PostgreSQL's parser
#: would otherwise read "data/metadata" as one file path and a URL as one token).
_PG_VECTOR = " || ".join(
    "setweight(to_tsvector('iassist_search', "
    f"regexp_replace(coalesce({column}, ''), '[[:punct:]]+', ' ', 'g')), '{weight}')"
    for column, weight in (
        ("title_text", "A"),
        ("presenters_text", "B"),
        ("institutions_text", "C"),
        ("abstract_text", "D"),
    )
)
_PG_DDL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'iassist_search') "
    "THEN CREATE TEXT SEARCH CONFIGURATION iassist_search (COPY = simple); "
    "ALTER TEXT SEARCH CONFIGURATION iassist_search ALTER MAPPING FOR hword, hword_part, word "
    "WITH unaccent, simple; END IF; END $$",
    f"ALTER TABLE presentation ADD COLUMN IF NOT EXISTS search_vector tsvector "
    f"GENERATED ALWAYS AS ({_PG_VECTOR}) STORED",
    "CREATE INDEX IF NOT EXISTS ix_presentation_search ON presentation USING GIN (search_vector)",
]
#: The ``presentation`` table (SQLAlchemy Core), whose creation creates the index too.
PRESENTATION_TABLE = SQLModel.metadata.tables[Presentation.__tablename__]
for _statement in _SQLITE_DDL:
    event.listen(PRESENTATION_TABLE, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in _PG_DDL:
    event.listen(
        PRESENTATION_TABLE, "after_create", DDL(_statement).execute_if(dialect="postgresql")
    )


def create_index(connection: Connection) -> None:
    """Create the engine's full-text index and the ranking's covering index where they
    are missing (for a store whose tables were created before they existed); on SQLite an
    FTS5 table defined with other options is dropped and created again (empty: call
    :func:`refresh_index`)."""
    statements = _SQLITE_DDL if connection.dialect.name == "sqlite" else _PG_DDL
    if connection.dialect.name not in ("sqlite", "postgresql"):
        return
    if connection.dialect.name == "sqlite":
        # A table made with other options (an older prefix index) is made again; the
        # caller rebuilds its content (refresh_index).
        found = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'presentation_fts'"
        ).scalar()
        if found is not None and found != _FTS_TABLE:
            connection.exec_driver_sql("DROP TABLE presentation_fts")
    for statement in statements:
        connection.exec_driver_sql(statement)


def refresh_index(session: Session) -> None:
    """Bring the full-text index in step with ``presentation`` (the load calls it after a
    change). SQLite: rebuild the FTS5 table and the planner's statistics of
    ``presentation``; PostgreSQL: nothing to do (the column is generated)."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        create_index(connection)
        connection.exec_driver_sql(
            "INSERT INTO presentation_fts(presentation_fts) VALUES('rebuild')"
        )
        # Statistics, so that the planner reads the matches' keys from the covering index
        # ix_presentation_rank_keys rather than from the wide rows.
        connection.exec_driver_sql("ANALYZE presentation")


@dataclass(frozen=True)
class Term:
    """One term of a query: ``words`` (tuple[str, ...], lower-case as typed), matched as a
    phrase when there are several; ``prefix`` (bool): the last word may be the beginning of
    a word."""

    words: tuple[str, ...]
    prefix: bool


def clean_query(q: str) -> str:
    """``q`` with control, format and surrogate characters removed (NUL, right-to-left
    marks, lone surrogates) and whitespace collapsed: what the page shows back."""
    kept = (
        c
        for c in unicodedata.normalize("NFC", q.encode("utf-8", "replace").decode("utf-8"))
        if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co") or c in "\t\n"
    )
    return " ".join("".join(kept).split())


def parse_query(q: str) -> tuple[Term, ...]:
    """The terms of a visitor's query (see the module docstring): text in double quotes is
    a phrase (an unbalanced quote is ignored), other words are prefix terms. Duplicates
    are dropped; at most :data:`MAX_TERMS`. An empty tuple when ``q`` has no word."""
    q = unicodedata.normalize("NFKC", clean_query(q))
    parts = q.split('"')
    if len(parts) % 2 == 0:  # an unbalanced quote: the last one opens nothing
        parts = [*parts[:-2], parts[-2] + " " + parts[-1]]
    terms: list[Term] = []
    for index, part in enumerate(parts):
        words = tuple(w[:MAX_WORD].casefold() for w in _WORD.findall(part))
        if not words:
            continue
        if index % 2 == 1 and len(words) > 1:
            candidates = [Term(words, prefix=False)]
        else:
            candidates = [Term((w,), prefix=True) for w in words]
        for term in candidates:
            if term not in terms:
                terms.append(term)
    return tuple(terms[:MAX_TERMS])


def fts5_expression(terms: tuple[Term, ...]) -> str:
    """The FTS5 MATCH expression of ``terms``: each a quoted string (a phrase), ``*`` after
    a prefix term, all joined by AND."""
    parts = []
    for term in terms:
        phrase = " ".join(term.words).replace('"', '""')
        parts.append(f'"{phrase}"' + ("*" if term.prefix else ""))
    return " AND ".join(parts)


def tsquery_expression(terms: tuple[Term, ...]) -> str:
    """The PostgreSQL ``to_tsquery`` text of ``terms``: each word a quoted lexeme, phrase
    words joined by ``<->``, a prefix term's lexeme with ``:*``, all joined by ``&``."""
    parts = []
    for term in terms:
        lexemes = ["'" + w.replace("'", "''") + "'" for w in term.words]
        if term.prefix:
            lexemes[-1] += ":*"
        parts.append("(" + " <-> ".join(lexemes) + ")")
    return " & ".join(parts)


@dataclass(frozen=True)
class TalkQuery:
    """What to search: ``terms`` (from :func:`parse_query`; empty = every talk),
    ``year_from``/``year_to`` (inclusive, or None), ``session_type`` (a code or None)."""

    terms: tuple[Term, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    session_type: str | None = None

    def without(self, facet: str) -> TalkQuery:
        """The same query with the ``"year"`` or ``"type"`` filter cleared."""
        if facet == "year":
            return TalkQuery(self.terms, None, None, self.session_type)
        return TalkQuery(self.terms, self.year_from, self.year_to, None)


@dataclass(frozen=True)
class TalkHit:
    """One result: the presentation's id and its snippet (escaped HTML with ``<mark>``
    around matches, or None when there is no text to show)."""

    presentation_id: int
    snippet: Markup | None


@dataclass(frozen=True)
class TalkResults:
    """A page of results: ``hits`` (list[TalkHit], ranked), ``total`` (int, all pages),
    ``page``, ``pages`` (at least 1), ``per_page``."""

    hits: list[TalkHit]
    total: int
    page: int
    pages: int
    per_page: int


@dataclass(frozen=True)
class TalkFacets:
    """Facet counts, each with the other filters (and the text) applied: ``year``
    {year: count} for every year with a programme (0 included), ``session_type``
    {code: count} for every code."""

    year: dict[int, int]
    session_type: dict[str, int]


def _conditions(query: TalkQuery) -> list[Any]:
    """The year and type filters of ``query`` as SQLAlchemy conditions."""
    conditions: list[Any] = []
    if query.year_from is not None:
        conditions.append(col(Presentation.year).between(query.year_from, query.year_to))
    if query.session_type is not None:
        conditions.append(col(Presentation.session_type) == query.session_type)
    return conditions


def marked_snippet(snippet: str | None) -> Markup | None:
    """An engine's snippet as safe HTML: escaped, then its marks turned into ``<mark>``."""
    if not snippet or not snippet.strip():
        return None
    escaped = str(escape(snippet))
    return Markup(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def excerpt(text_value: str | None, words: int = SNIPPET_WORDS) -> Markup | None:
    """The first ``words`` words of a plain text, escaped (for results without a query)."""
    if not text_value:
        return None
    parts = text_value.split()
    short = " ".join(parts[:words]) + (" …" if len(parts) > words else "")
    return Markup(escape(short))


@dataclass(frozen=True)
class TalkCounts:
    """How many talks match a query's terms, by year and session type, with no filter
    applied: the whole of what a result count and the facets need.

    Attributes:
        cells: {(year, session type code or None): count}, only combinations that occur.
        years: every year with a programme, newest first (a facet lists them all, 0
            included).
    """

    cells: dict[tuple[int, str | None], int]
    years: tuple[int, ...]

    def total(self, query: TalkQuery) -> int:
        """The number of talks matching the terms and the filters of ``query``."""
        return sum(n for (year, kind), n in self.cells.items() if _keep(query, year, kind))

    def facets(self, query: TalkQuery) -> TalkFacets:
        """Year and session-type counts for ``query``, each facet with its own filter
        cleared (so options never vanish; a zero is shown disabled)."""
        no_year, no_type = query.without("year"), query.without("type")
        by_year: Counter[int] = Counter()
        by_type: Counter[str | None] = Counter()
        for (year, kind), n in self.cells.items():
            if _keep(no_year, year, kind):
                by_year[year] += n
            if _keep(no_type, year, kind):
                by_type[kind] += n
        return TalkFacets(
            year={y: by_year.get(y, 0) for y in self.years},
            session_type={code: by_type.get(code, 0) for code in SESSION_TYPES},
        )


def _keep(query: TalkQuery, year: int, session_type: str | None) -> bool:
    if query.year_from is not None and not (query.year_from <= year <= (query.year_to or year)):
        return False
    return query.session_type is None or session_type == query.session_type


def _match_sql(connection: Connection, terms: tuple[Term, ...]) -> tuple[str, dict[str, Any]]:
    """The condition on ``presentation p`` that its row matches ``terms`` (non-empty), and
    its parameters."""
    if connection.dialect.name == "postgresql":
        condition = "p.search_vector @@ to_tsquery('iassist_search', :tsq)"
        return condition, {"tsq": tsquery_expression(terms)}
    condition = "p.id IN (SELECT rowid FROM presentation_fts WHERE presentation_fts MATCH :match)"
    return condition, {"match": fts5_expression(terms)}


def count_matches(session: Session, terms: tuple[Term, ...]) -> TalkCounts:
    """The :class:`TalkCounts` of ``terms`` (empty: every talk): one grouped query over
    the matching rows, no ranking (on SQLite the match reads the FTS5 index, then the
    covering index ``ix_presentation_rank_keys``)."""
    connection = session.connection()
    where, params = "", cast(dict[str, Any], {})
    if terms:
        condition, params = _match_sql(connection, terms)
        where = f"WHERE {condition} "
    sql = (
        f"SELECT p.year, p.session_type, count(*) FROM presentation p {where}"
        "GROUP BY p.year, p.session_type"
    )
    cells = {(row[0], row[1]): row[2] for row in session.execute(text(sql), params)}
    years = tuple(session.scalars(select(col(Programme.year)).order_by(col(Programme.year).desc())))
    return TalkCounts(cells, years)


def _filter_sql(query: TalkQuery) -> tuple[str, dict[str, Any]]:
    """`` AND …`` conditions on ``presentation p`` for the year and type filters."""
    sql, params = "", cast(dict[str, Any], {})
    if query.year_from is not None:
        sql += " AND p.year BETWEEN :year_from AND :year_to"
        params.update(year_from=query.year_from, year_to=query.year_to)
    if query.session_type is not None:
        sql += " AND p.session_type = :session_type"
        params["session_type"] = query.session_type
    return sql, params


def _ranked_page(session: Session, query: TalkQuery, limit: int, offset: int) -> list[int]:
    """The ids of one page of talks matching ``query`` (terms and filters), ranked by the
    engine (BM25 / ts_rank), ties by newest year then programme order: the filters are
    applied before the ranking, and only the page's rows leave the engine."""
    filters, params = _filter_sql(query)
    params.update(limit=limit, offset=offset)
    order = "p.year DESC, p.session_number, p.number"
    if session.connection().dialect.name == "postgresql":
        sql = (
            "SELECT p.id FROM presentation p, to_tsquery('iassist_search', :tsq) q "
            f"WHERE p.search_vector @@ q{filters} "
            f"ORDER BY ts_rank(p.search_vector, q) DESC, {order} LIMIT :limit OFFSET :offset"
        )
        params["tsq"] = tsquery_expression(query.terms)
    else:
        sql = (
            "SELECT p.id FROM presentation_fts JOIN presentation p "
            "ON p.id = presentation_fts.rowid WHERE presentation_fts MATCH :match"
            f"{filters} ORDER BY bm25(presentation_fts, {BM25_WEIGHTS}), {order} "
            "LIMIT :limit OFFSET :offset"
        )
        params["match"] = fts5_expression(query.terms)
    return [row[0] for row in session.execute(text(sql), params)]


def _snippets(session: Session, query: TalkQuery, ids: list[int]) -> dict[int, str | None]:
    """The engine's snippet of each of ``ids`` (the page's talks only)."""
    if not ids:
        return {}
    listed = ", ".join(str(int(i)) for i in ids)
    if session.connection().dialect.name == "postgresql":
        options = (
            f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={SNIPPET_WORDS}, "
            'MinWords=10, MaxFragments=1, FragmentDelimiter=" … "'
        )
        sql = (
            "SELECT p.id, ts_headline('iassist_search', coalesce(p.abstract_text, ''), q, "
            ":options) FROM presentation p, to_tsquery('iassist_search', :tsq) q "
            f"WHERE p.id IN ({listed})"
        )
        params = {"tsq": tsquery_expression(query.terms), "options": options}
    else:
        sql = (
            f"SELECT rowid, snippet(presentation_fts, 1, '{MARK_START}', '{MARK_END}', "
            f"' … ', {SNIPPET_WORDS}) FROM presentation_fts "
            f"WHERE presentation_fts MATCH :match AND rowid IN ({listed})"
        )
        params = {"match": fts5_expression(query.terms)}
    return {row[0]: row[1] for row in session.execute(text(sql), params)}


def search_talks(
    session: Session,
    query: TalkQuery,
    page: int,
    per_page: int,
    counts: TalkCounts | None = None,
) -> TalkResults:
    """The page ``page`` (from 1) of talks matching ``query``: ranked by relevance when
    there are terms (the engine's BM25 / ts_rank, newest year first on ties), else in
    programme order, newest year first. A page beyond the last has no hits.

    ``counts`` is :func:`count_matches` of ``query.terms`` when the caller has it (it
    gives the total); else it is computed. Snippets are computed for the page's talks
    only."""
    if counts is None:
        counts = count_matches(session, query.terms)
    total = counts.total(query)
    pages = max(1, -(-total // per_page))
    offset = (page - 1) * per_page
    if offset >= total:
        return TalkResults([], total, page, pages, per_page)
    if query.terms:
        ids = _ranked_page(session, query, per_page, offset)
        snippets = _snippets(session, query, ids)
        hits = [TalkHit(pid, marked_snippet(snippets.get(pid))) for pid in ids]
        return TalkResults(hits, total, page, pages, per_page)
    conditions = _conditions(query)
    plain = session.execute(
        select(col(Presentation.id), col(Presentation.abstract_text))
        .where(*conditions)
        .order_by(
            col(Presentation.year).desc(),
            col(Presentation.session_number),
            col(Presentation.number),
        )
        .limit(per_page)
        .offset(offset)
    ).all()
    hits = [TalkHit(pid, excerpt(abstract)) for pid, abstract in plain]
    return TalkResults(hits, total, page, pages, per_page)


def facet_counts(
    session: Session, query: TalkQuery, counts: TalkCounts | None = None
) -> TalkFacets:
    """Year and session-type counts for ``query``, each facet with its own filter
    cleared (see :meth:`TalkCounts.facets`); ``counts`` as in :func:`search_talks`."""
    if counts is None:
        counts = count_matches(session, query.terms)
    return counts.facets(query)
