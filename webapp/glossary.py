"""The site's glossary: one rendering per concept in each language, and its check.

``translations/glossary.csv`` holds one row per concept: its name, the English term and
the term in French, German, Portuguese and Spanish, the association's own (its printed
brochure, ``shared/data/brochure.md``) where it has one, and in ``source`` where each term
was taken from. A cell lists the forms a term takes, separated by ``|`` (singular, plural,
an inflected form), the first being the dictionary form; ``*`` stands for any letters
(``Mitglied*`` matches Mitglieder, Mitgliedern; ``*gemeinschaft*`` matches
Kerngemeinschaften); ``–`` or an empty cell means the language has no rule for it.
``quotable`` is ``yes`` for a proper name a translation may also quote in English, as it
is written somewhere the reader sees it (the association's English name on its logo).

The rule (:func:`glossary_violations`): every message of a catalogue whose English text
uses a concept's English term must use that language's term in its translation. A
catalogue that renders one concept two ways ("offene Wissenschaft" in one message, "Open
Science" in another) breaks it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from webapp.config import PROJECT_ROOT

GLOSSARY_FILE = PROJECT_ROOT / "translations" / "glossary.csv"
#: The languages of the glossary, English first.
GLOSSARY_LANGUAGES = ("en", "fr", "de", "pt", "es")
_NO_RULE = ("", "–", "-")


@dataclass(frozen=True)
class Concept:
    """One row of the glossary: ``name`` (str), ``terms`` ({language: (form, …)}, no
    entry for a language without a rule), ``source`` (str: where the terms come from),
    ``quotable`` (bool: the English form is also accepted in a translation)."""

    name: str
    terms: dict[str, tuple[str, ...]]
    source: str
    quotable: bool = False

    def pattern(self, language: str) -> re.Pattern[str] | None:
        """A case-insensitive pattern matching any form of the term in ``language``, as a
        whole word (``*`` for any letters); None when the language has no rule."""
        forms = self.terms.get(language)
        if not forms:
            return None
        alternatives = [re.escape(form).replace(r"\*", r"\w*") for form in forms]
        return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Violation:
    """A message whose translation leaves the glossary: the ``concept`` (str), the
    ``msgid`` (str), the ``translation`` (str) and the ``expected`` forms (tuple[str])."""

    concept: str
    msgid: str
    translation: str
    expected: tuple[str, ...]

    def __str__(self) -> str:
        return (
            f"{self.concept!r}: expected {' | '.join(self.expected)!r} in the translation of "
            f"{self.msgid!r}, got {self.translation!r}"
        )


@cache
def read_glossary(path: Path = GLOSSARY_FILE) -> tuple[Concept, ...]:
    """The concepts of the glossary file at ``path``, in file order.

    Raises:
        OSError: the file cannot be read.
        ValueError: a row has no concept name or no English term, or a column is missing
            (the message names the file and the row, header = row 1).
    """
    concepts = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"concept", "quotable", "source", *GLOSSARY_LANGUAGES} - set(
            reader.fieldnames or ()
        )
        if missing:
            raise ValueError(f"{path.name}: columns missing: {', '.join(sorted(missing))}")
        for row_number, row in enumerate(reader, start=2):
            terms = {}
            for language in GLOSSARY_LANGUAGES:
                cell = (row[language] or "").strip()
                if cell not in _NO_RULE:
                    terms[language] = tuple(f.strip() for f in cell.split("|") if f.strip())
            if not (row["concept"] or "").strip() or "en" not in terms:
                raise ValueError(f"{path.name}, row {row_number}: a concept and its English term")
            quotable = (row["quotable"] or "").strip() == "yes"
            concepts.append(
                Concept(row["concept"].strip(), terms, (row["source"] or "").strip(), quotable)
            )
    return tuple(concepts)


def glossary_violations(
    messages: Iterable[tuple[str, Iterable[str]]],
    language: str,
    concepts: Iterable[Concept] | None = None,
) -> list[Violation]:
    """The messages that render a concept otherwise than the glossary in ``language``.

    Args:
        messages: (English msgid, its translations) pairs; a plural message gives every
            plural form, each of which must follow the rule.
        language: one of :data:`GLOSSARY_LANGUAGES` other than English.
        concepts: the glossary (default: :func:`read_glossary`).

    Returns:
        One :class:`Violation` per concept and message that breaks the rule (empty
        translations are skipped: the catalogue check reports them).
    """
    concepts = read_glossary() if concepts is None else concepts
    violations = []
    rules = [(c, c.pattern("en"), c.pattern(language)) for c in concepts]
    for msgid, translations in messages:
        for concept, english, translated in rules:
            if translated is None or english is None or not english.search(msgid):
                continue
            for text in translations:
                if concept.quotable and english.search(text):
                    continue
                if text and not translated.search(text):
                    violations.append(Violation(concept.name, msgid, text, concept.terms[language]))
                    break
    return violations
