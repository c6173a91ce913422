"""The association's printed editions: the six bundled PDFs and any supplied later.

Bundled: ``webapp/brochures/data/printed/`` holds the PDFs exactly as the association
published them (CC BY 4.0, credit in :data:`CREDIT`; see the folder's README) and
``manifest.csv``, one row per file: ``file, kind, locale, edition (YYYY-MM), pages, size,
sha256, source ("printed edition"), credit``. :func:`read_manifest` checks every row and
every file (size, SHA-256, page count read back with pypdf) before anything is loaded:
one wrong value refuses the whole set with a :class:`PrintedEditionError` naming the file,
row and field.

Supplied: a PDF the association gives later, placed in ``OFFICIAL_BROCHURE_DIR`` as
``<kind>-<locale>.pdf`` (``<locale>.pdf`` is accepted for the brochure), becomes another
printed edition of that kind and language, dated by its creation date (else its file
date); it never hides the current generated edition. An unreadable one is logged and
left out.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from webapp.brochures.check import pdf_created, pdf_pages
from webapp.brochures.models import KINDS
from webapp.i18n import LOCALES

LOGGER = logging.getLogger(__name__)

#: The folder of the bundled printed editions and their manifest.
PRINTED_DIR = Path(__file__).resolve().parent / "data" / "printed"
MANIFEST = PRINTED_DIR / "manifest.csv"
MANIFEST_COLUMNS = (
    "file",
    "kind",
    "locale",
    "edition",
    "pages",
    "size",
    "sha256",
    "source",
    "credit",
)
#: The credit the association asks for (CC BY 4.0, iassistdata.org's footer).
CREDIT = "IASSIST, iassistdata.org, CC BY 4.0"
_MONTH = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_FILE = re.compile(r"^[a-z0-9_]+\.pdf$")


class PrintedEditionError(Exception):
    """A printed edition that cannot be loaded: ``file`` (the manifest's or the PDF's
    name), ``row`` (spreadsheet numbering, header = 1; None for the file as a whole),
    ``field`` (column or None), ``message`` (English, for the operator)."""

    def __init__(self, file: str, row: int | None, field: str | None, message: str) -> None:
        self.file, self.row, self.field, self.message = file, row, field, message
        where = file + (f", row {row}" if row else "") + (f", field {field!r}" if field else "")
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class PrintedPdf:
    """One printed edition ready to be stored: ``name`` (``brochure-fr-2012-06``),
    ``kind``, ``locale``, ``edition`` (first day of its month), ``pages``, ``data``
    (the PDF's bytes), ``sha256`` (hex), ``credit``, ``origin`` (where it was read: the
    path relative to the project for a bundled file, absolute for a supplied one)."""

    name: str
    kind: str
    locale: str
    edition: date
    pages: int
    data: bytes
    sha256: str
    credit: str
    origin: str


def edition_name(kind: str, locale: str, edition: date) -> str:
    """The name (URL stem) of a printed edition: ``<kind>-<locale>-<YYYY>-<MM>``."""
    return f"{kind}-{locale}-{edition:%Y-%m}"


def read_manifest(manifest: Path = MANIFEST) -> list[PrintedPdf]:
    """Every bundled printed edition, checked against its row of ``manifest`` (the PDFs
    are in the manifest's folder).

    Raises:
        PrintedEditionError: a missing or unknown column, a bad value, a file that is
            missing, or whose size, SHA-256 or page count differs from its row (the
            file was changed or corrupted: nothing is loaded), or two rows for one name.
    """
    folder = manifest.parent
    label = manifest.name
    try:
        with manifest.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            if tuple(reader.fieldnames or ()) != MANIFEST_COLUMNS:
                raise PrintedEditionError(
                    label, 1, None, f"the columns must be {', '.join(MANIFEST_COLUMNS)}"
                )
            rows = list(reader)
    except OSError as error:
        raise PrintedEditionError(label, None, None, f"cannot read: {error}") from error
    editions: list[PrintedPdf] = []
    for number, row in enumerate(rows, start=2):

        def bad(field: str, message: str, number: int = number) -> PrintedEditionError:
            return PrintedEditionError(label, number, field, message)

        if not _FILE.match(row["file"] or ""):
            raise bad("file", f"not a PDF file name: {row['file']!r}")
        if row["kind"] not in KINDS:
            raise bad("kind", f"{row['kind']!r} is not one of {', '.join(KINDS)}")
        if row["locale"] not in LOCALES:
            raise bad("locale", f"{row['locale']!r} is not one of {', '.join(LOCALES)}")
        month = _MONTH.match(row["edition"] or "")
        if not month:
            raise bad("edition", f"{row['edition']!r} is not a month (YYYY-MM)")
        if not (row["pages"] or "").isdigit() or int(row["pages"]) < 1:
            raise bad("pages", f"{row['pages']!r} is not a page count")
        if not (row["size"] or "").isdigit() or int(row["size"]) < 1:
            raise bad("size", f"{row['size']!r} is not a size in bytes")
        if not _SHA256.match(row["sha256"] or ""):
            raise bad("sha256", "not 64 lowercase hex digits")
        if row["source"] != "printed edition":
            raise bad("source", f"{row['source']!r} is not 'printed edition'")
        if not (row["credit"] or "").strip():
            raise bad("credit", "empty: the licence asks for a credit")
        path = folder / row["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise bad("file", f"{row['file']} cannot be read: {error}") from error
        if len(data) != int(row["size"]):
            raise bad(
                "size",
                f"{row['file']} has {len(data)} bytes, the manifest records {row['size']}: "
                "the file was changed or corrupted; nothing loaded",
            )
        sha = hashlib.sha256(data).hexdigest()
        if sha != row["sha256"]:
            raise bad(
                "sha256",
                f"{row['file']} has SHA-256 {sha}, the manifest records {row['sha256']}: "
                "the file was changed or corrupted; nothing loaded",
            )
        try:
            pages = pdf_pages(data)
        except ValueError as error:
            raise bad("file", f"{row['file']}: {error}") from error
        if pages != int(row["pages"]):
            raise bad(
                "pages", f"{row['file']} has {pages} pages, the manifest records {row['pages']}"
            )
        edition = date(int(month.group(1)), int(month.group(2)), 1)
        editions.append(
            PrintedPdf(
                name=edition_name(row["kind"], row["locale"], edition),
                kind=row["kind"],
                locale=row["locale"],
                edition=edition,
                pages=pages,
                data=data,
                sha256=sha,
                credit=row["credit"].strip(),
                origin=_relative(path),
            )
        )
    names = [e.name for e in editions]
    for number, name in enumerate(names, start=2):
        if names.count(name) > 1:
            raise PrintedEditionError(label, number, "edition", f"two rows for {name}")
    return editions


def _relative(path: Path) -> str:
    root = Path(__file__).resolve().parents[2]
    try:
        return str(path.resolve().relative_to(root))
    except ValueError:
        return str(path.resolve())


def supplied_path(folder: Path, kind: str, locale: str) -> Path | None:
    """The PDF supplied in ``folder`` for ``kind`` in ``locale``: ``<kind>-<locale>.pdf``,
    or ``<locale>.pdf`` for the brochure; None when there is none. Only names from the
    fixed lists are tried, never one from a request.

    Raises:
        ValueError: unknown kind or locale.
    """
    if kind not in KINDS or locale not in LOCALES:
        raise ValueError(f"unknown document {kind}-{locale}")
    names = [f"{kind}-{locale}.pdf"] + ([f"{locale}.pdf"] if kind == "brochure" else [])
    for name in names:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def read_supplied(folder: Path, taken: dict[str, str]) -> list[PrintedPdf]:
    """The printed editions supplied in ``folder`` (see the module docstring), one per
    kind and locale at most. ``taken`` maps the names of the bundled editions to their
    SHA-256: a supplied file identical to a bundled one is left out; one of the same month
    but other bytes is named with its hash (``brochure-fr-2012-06-5fd632ab``). An
    unreadable file is logged and left out."""
    found = []
    for kind in KINDS:
        for locale in LOCALES:
            path = supplied_path(folder, kind, locale)
            if path is None:
                continue
            try:
                data = path.read_bytes()
                pages = pdf_pages(data)
                created = pdf_created(data) or date.fromtimestamp(path.stat().st_mtime)
            except (OSError, ValueError) as error:
                LOGGER.error("Supplied printed edition %s left out: %s", path, error)
                continue
            sha = hashlib.sha256(data).hexdigest()
            if sha in taken.values():
                continue
            edition = created.replace(day=1)
            name = edition_name(kind, locale, edition)
            if name in taken:
                name = f"{name}-{sha[:8]}"
            found.append(
                PrintedPdf(
                    name, kind, locale, edition, pages, data, sha, CREDIT, str(path.resolve())
                )
            )
    return found


def printed_edition_of(
    kind: str, locale: str, manifest: Path = MANIFEST
) -> tuple[str, date] | None:
    """The bundled printed edition a generated ``kind`` in ``locale`` points to: that
    language's own, else the English one (the factsheet exists in English only), as
    ``(locale, edition date)``; None when there is none. Read from the manifest alone
    (no file is hashed): this is what the generated document prints.

    Raises:
        PrintedEditionError: the manifest cannot be read.
    """
    try:
        with manifest.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as error:
        raise PrintedEditionError(manifest.name, None, None, f"cannot read: {error}") from error
    editions: dict[str, date] = {}
    for row in rows:
        month = _MONTH.match(row.get("edition") or "")
        if row.get("kind") == kind and month:
            found = date(int(month.group(1)), int(month.group(2)), 1)
            if row["locale"] not in editions or editions[row["locale"]] < found:
                editions[row["locale"]] = found
    for code in (locale, "en"):
        if code in editions:
            return code, editions[code]
    return None
