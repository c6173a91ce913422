"""Convert ``shared/data/iassist_events.csv`` into the project's bundled event data.

Run once when the shared reference file changes::

    .venv/bin/python tools/convert_shared_events.py ../shared/data/iassist_events.csv

It writes ``webapp/events/data/events.csv`` (one row per event, with a stable slug and
the conference number split out of the title) and
``webapp/events/data/event_translations.csv`` (titles and themes given in another
language by the sources: the bilingual 1995 theme). Facts are copied, never invented:
an empty cell stays empty. The region of each event is *not* written here; the loader
derives it from ``country_regions.csv``.
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from pathlib import Path

from webapp.events.codes import ANNUAL_CONFERENCE, JOINT_MEETING, REGIONAL_WORKSHOP

OUT = Path(__file__).resolve().parent.parent / "webapp" / "events" / "data"
#: kind code -> the word for it in slugs
KIND_SLUG = {
    ANNUAL_CONFERENCE: "conference",
    REGIONAL_WORKSHOP: "workshop",
    JOINT_MEETING: "joint-meeting",
}
# "(50th annual conference)", "- 46th annual conference", "1st IASSIST Africa Regional Workshop"
NUMBER = re.compile(
    r"(?:^|[(\-] ?)(\d+)(?:st|nd|rd|th) (?:annual conference|IASSIST Africa Regional Workshop)"
)
COLUMNS = [
    "slug",
    "kind",
    "year",
    "start_date",
    "end_date",
    "number",
    "title",
    "theme",
    "city",
    "region_or_state",
    "country_code",
    "host",
    "format",
    "status",
    "url",
    "source_urls",
]


def slugify(text: str) -> str:
    """ASCII slug: 'Québec' -> 'quebec', 'Ann Arbor' -> 'ann-arbor'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


#: The 1995 French theme as the sources type it (no accents on "accès" and "développer",
#: straight apostrophe, no space before the colon), spelt and set in French typography.
FRENCH_THEME_SPELLING = {
    "L'acces aux données dans un environnement en pleine mutation: un partenariat à developper": (
        "L’accès aux données dans un environnement en pleine mutation\u00a0: "
        "un partenariat à développer"
    ),
}


def main(source: str) -> None:
    """Re-create ``events.csv`` and ``event_translations.csv`` from the reference CSV at
    ``source`` (its columns as in ``../shared/data/README.md``).

    Raises:
        OSError: ``source`` cannot be read or a data file cannot be written.
        KeyError: a row has a kind or column this converter does not know.
    """
    with open(source, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    events, translations = [], []
    for row in rows:
        place = row["city"] or ("online" if row["format"] == "virtual" else "")
        slug = "-".join(p for p in (row["year"], KIND_SLUG[row["kind"]], slugify(place)) if p)
        match = NUMBER.search(row["title"])
        theme = row["theme"]
        if " | " in theme:  # 1995: "English | French", both as the sources give them
            theme, theme_fr = theme.split(" | ", 1)
            theme_fr = FRENCH_THEME_SPELLING.get(theme_fr, theme_fr)
            translations.append({"slug": slug, "locale": "fr", "field": "theme", "text": theme_fr})
        events.append(
            {
                **{k: row[k] for k in COLUMNS if k in row},
                "slug": slug,
                "number": match.group(1) if match and "was to be" not in row["title"] else "",
                "theme": theme,
                "source_urls": row["source_urls"],
            }
        )
    slugs = [e["slug"] for e in events]
    assert len(set(slugs)) == len(slugs), "slugs must be unique"
    with open(OUT / "events.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(events)
    with open(OUT / "event_translations.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, ["slug", "locale", "field", "text"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(translations)
    print(f"{len(events)} events, {len(translations)} translations written to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/iassist_events.csv")
