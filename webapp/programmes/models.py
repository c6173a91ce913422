"""Tables of the programme domain.

A :class:`Programme` is the programme of one annual conference, tied to its event (the
conference's dates, place and number come from the event, never from the programme
file). It holds :class:`ProgrammeSession` rows in the file's order (``number`` from 1),
each holding :class:`Presentation` rows (``number`` from 1 within the session). A talk's
URL is ``/<locale>/programmes/<year>/talks/<session number>-<number>/``: positions in the
printed programme, which a re-import of the same programme keeps (see
``webapp/programmes/data/README.md``).

People are their own records (:class:`Person`), matched by a key (the name after NFKC
normalization, case folding and whitespace collapsing, then the reviewed alias file);
:class:`Presenter` links a person to a presentation, in order, with the name and
institution as that programme gives them.

Text columns ending in ``_text`` are plain text (tags removed, entities decoded): they are
shown escaped and searched. ``abstract_html`` is the output of
:func:`webapp.programmes.sanitize.sanitize_html` (an allow-list) and the only programme
text a template may mark safe. ``year`` and ``session_type`` are repeated on
:class:`Presentation` so that the search filters without a join. The full-text index is
not a model: see :mod:`webapp.programmes.search` (an FTS5 table on SQLite, a generated
``tsvector`` column on PostgreSQL), created with the tables.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    UniqueConstraint,
    literal_column,
)
from sqlmodel import Field, SQLModel

from webapp.programmes.codes import SESSION_TYPES


def _fk(target: str, ondelete: str = "CASCADE") -> Column:
    return Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=False, index=True)


_TYPE_CHECK = "session_type IS NULL OR session_type IN ({})".format(
    ", ".join(repr(code) for code in SESSION_TYPES)
)


class Programme(SQLModel, table=True):
    """The programme of one annual conference.

    ``year`` is the conference's year (one programme per year); ``source_file`` the
    association's file it was converted from; ``talk_count`` the number of presentations
    (for the event pages' "Programme: 168 talks"); ``fingerprint`` a SHA-256 of the loaded
    content, so that a re-load of unchanged data writes nothing.
    """

    __tablename__ = "programme"
    __table_args__ = (CheckConstraint("year BETWEEN 1000 AND 9999", name="ck_programme_year"),)

    id: int | None = Field(default=None, primary_key=True)
    # Removing an event (load-events --allow-removals) removes its programme with it.
    event_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("event.id", ondelete="CASCADE"), nullable=False, unique=True
        )
    )
    year: int = Field(unique=True)
    source_file: str = Field(max_length=200)
    talk_count: int = 0
    fingerprint: str = Field(max_length=64)


class ProgrammeSession(SQLModel, table=True):
    """One session of a programme: ``number`` (its position in the programme, from 1),
    ``title_text``, ``session_type`` (a code of :data:`SESSION_TYPES` or None), ``day``
    (a date, or None where the programme gives none or none that can be read), ``chair``
    and ``moderator`` (plain text as the programme gives them, or None),
    ``abstract_html``/``abstract_text`` (or None), ``recording_url`` (http(s) or None)."""

    __tablename__ = "programme_session"
    __table_args__ = (
        UniqueConstraint("programme_id", "number", name="uq_programme_session_number"),
        CheckConstraint(_TYPE_CHECK, name="ck_programme_session_type"),
        CheckConstraint("number > 0", name="ck_programme_session_number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(sa_column=_fk("programme.id"))
    number: int
    title_text: str = Field(max_length=1000)
    session_type: str | None = Field(default=None, max_length=16)
    day: date | None = None
    chair: str | None = Field(default=None, max_length=1000)
    moderator: str | None = Field(default=None, max_length=1000)
    abstract_html: str | None = None
    abstract_text: str | None = None
    recording_url: str | None = Field(default=None, max_length=1000)


class SessionFile(SQLModel, table=True):
    """A file of a session as a whole (a chair's slides): ``url`` (http(s)), ``name``."""

    __tablename__ = "programme_session_file"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(sa_column=_fk("programme_session.id"))
    position: int
    url: str = Field(max_length=1000)
    name: str = Field(max_length=300)


class Presentation(SQLModel, table=True):
    """One presentation (a talk, poster or workshop) of a session.

    ``number`` is its position in the session, from 1; ``session_number`` and ``year``
    repeat the session's and programme's (the URL key is year, session number, number);
    ``session_type`` repeats the session's (a filter of the search). ``presenters_text``
    and ``institutions_text`` are the presenters' names and institutions joined by
    newlines, for the full-text index.
    """

    __tablename__ = "presentation"
    __table_args__ = (
        UniqueConstraint("year", "session_number", "number", name="uq_presentation_key"),
        CheckConstraint(_TYPE_CHECK, name="ck_presentation_session_type"),
        CheckConstraint("number > 0", name="ck_presentation_number"),
        Index("ix_presentation_year_type", "year", "session_type"),
        # The search's order without text (newest year first, programme order), whole and
        # by session type: pages and counts read from an index, not sorted (issue 8).
        Index("ix_presentation_order", literal_column("year").desc(), "session_number", "number"),
        Index(
            "ix_presentation_type_order",
            "session_type",
            literal_column("year").desc(),
            "session_number",
            "number",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(sa_column=_fk("programme_session.id"))
    programme_id: int = Field(sa_column=_fk("programme.id"))
    year: int
    session_number: int
    number: int
    session_type: str | None = Field(default=None, max_length=16)
    title_text: str = Field(max_length=2000)
    abstract_html: str | None = None
    abstract_text: str | None = None
    presenters_text: str = ""
    institutions_text: str = ""
    recording_url: str | None = Field(default=None, max_length=1000)
    #: The language its title and abstract are written in (an ISO 639 code; the
    #: programmes are in English, the converter lists the exceptions).
    language: str = Field(default="en", max_length=8)

    @property
    def key(self) -> str:
        """The talk's key in its programme's URLs: ``"<session number>-<number>"``."""
        return f"{self.session_number}-{self.number}"


class PresentationLink(SQLModel, table=True):
    """A link of a presentation, in order: ``kind`` ``"doi"`` (``target`` a DOI such as
    ``10.5281/zenodo.11269191``, linked as ``https://doi.org/…``) or ``"file"``
    (``target`` an http(s) URL, ``name`` its file name)."""

    __tablename__ = "presentation_link"
    __table_args__ = (CheckConstraint("kind IN ('doi', 'file')", name="ck_presentation_link_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    presentation_id: int = Field(sa_column=_fk("presentation.id"))
    position: int
    kind: str = Field(max_length=8)
    target: str = Field(max_length=1000)
    name: str | None = Field(default=None, max_length=300)


class Person(SQLModel, table=True):
    """A person who presented at least once: ``key`` (the matching key, see the module
    docstring), ``name`` (the spelling shown: the alias file's, else the one the most
    programmes use, the newest breaking ties), ``slug`` (their page's URL part)."""

    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=300, unique=True)
    slug: str = Field(max_length=300, unique=True)
    name: str = Field(max_length=300)


class Presenter(SQLModel, table=True):
    """A person presenting a presentation: ``position`` (order, from 1), ``name`` and
    ``institution`` as that programme gives them (institution None when it gives none)."""

    __tablename__ = "presenter"
    __table_args__ = (
        UniqueConstraint("presentation_id", "position", name="uq_presenter_position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    presentation_id: int = Field(sa_column=_fk("presentation.id"))
    person_id: int = Field(sa_column=_fk("person.id", ondelete="RESTRICT"))
    position: int
    name: str = Field(max_length=300)
    institution: str | None = Field(default=None, max_length=1000)
