"""The association's printed editions: the six PDFs bundled unchanged, loaded into the
store only when every file matches its manifest row, each in its own language; a newer
printed edition supplied in OFFICIAL_BROCHURE_DIR added beside them, never hiding the
current edition.

Expected facts are literals from the association's files (shared/data/brochures/README.md:
languages, editions, page counts; sizes and SHA-256 as published).
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from sqlmodel import Session, select
from webapp.brochures.models import Edition, PdfFile
from webapp.brochures.printed import MANIFEST, PRINTED_DIR, PrintedEditionError, read_manifest
from webapp.brochures.store import BrochureError, build_missing, plan, sync_printed
from webapp.db import get_engine

from tests.conftest import clone_site, make_app

#: name -> (file, locale, edition, pages, size, sha256), as the association published them.
PRINTED = {
    "brochure-en-2013-05": (
        "printiassistbrochure_2013.pdf",
        "en",
        date(2013, 5, 1),
        2,
        585156,
        "289f028defd754ef938ca0beaf3fb3ec17e4fa15bd8afcbc70ef39dbd594d3f9",
    ),
    "brochure-fr-2012-06": (
        "printiassistbrochurefrench_2012.pdf",
        "fr",
        date(2012, 6, 1),
        2,
        1394154,
        "5fd632ab258dff89556ebd673fb02a23bb2eafd8393fc1fa1aa25c006cfe8967",
    ),
    "brochure-de-2013-05": (
        "printiassistbrochuregerman_2013.pdf",
        "de",
        date(2013, 5, 1),
        2,
        689820,
        "7f95fcc27068201fee386b1ed533f19d29ec5b232d5e6c6d657fe126bd7688ca",
    ),
    "brochure-pt-2012-06": (
        "printiassistbrochureport_2012.pdf",
        "pt",
        date(2012, 6, 1),
        2,
        1332265,
        "5196cfa621e472d67f2878797d47487c3513d7a85806749637ddcd68c6a12e16",
    ),
    "brochure-es-2012-06": (
        "printiassistbrochurespanish_2012.pdf",
        "es",
        date(2012, 6, 1),
        2,
        1157758,
        "bcd74d2ac8384102d601778179d69f190952f2f6dc5930991a89b64870c96b6c",
    ),
    "factsheet-en-2016-06": (
        "iassist_factsheet_2016.pdf",
        "en",
        date(2016, 6, 1),
        1,
        125111,
        "574a9288428ba574002c5aea4521acafa2be508fa02a724db5c1729318909cb3",
    ),
}
#: A sentence of each printed edition, in its language (as pypdf extracts it).
SENTENCES = {
    "brochure-en-2013-05": "IASSIST helps bridge the interests and concerns of three communities.",
    "brochure-fr-2012-06": "IASSIST aide à bâtir des ponts entre les intérêts et les "
    "préoccupations de trois communautés",
    "brochure-de-2013-05": "IASSIST bringt drei Bereiche mit ihren Anliegen und Interessen "
    "zusammen.",
    "brochure-pt-2012-06": "A IASSIST ajuda a interligar os interesses e preocupações de três "
    "comunidades.",
    "brochure-es-2012-06": "IASSIST ayuda a conectar los intereses e inquietudes de tres "
    "comunidades.",
    "factsheet-en-2016-06": "Data are larger than the social sciences.",
}
CREDIT = "IASSIST, iassistdata.org, CC BY 4.0"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def stored(app, name):
    with Session(get_engine(app)) as session:
        row = session.exec(select(Edition).where(Edition.name == name)).one()
        return row, session.get(PdfFile, row.sha256).data


@pytest.mark.parametrize("name", PRINTED)
def test_store_holds_each_printed_edition_as_published(brochure_site, name):
    file, locale, edition, pages, size, sha = PRINTED[name]
    row, data = stored(brochure_site.app, name)
    published = (PRINTED_DIR / file).read_bytes()
    assert data == published  # unchanged, byte for byte
    assert (row.kind, row.locale, row.source) == (name.split("-")[0], locale, "printed")
    assert (row.edition, row.pages, row.size, row.sha256) == (edition, pages, size, sha)
    assert (len(published), hashlib.sha256(published).hexdigest()) == (size, sha)
    assert len(PdfReader(io.BytesIO(published)).pages) == pages
    assert row.credit == CREDIT
    assert row.origin == f"webapp/brochures/data/printed/{file}"
    assert (row.inputs_digest, row.expires) == ("", None)


@pytest.mark.parametrize("name", PRINTED)
def test_text_of_each_printed_edition_is_in_its_language(brochure_site, name):
    _, data = stored(brochure_site.app, name)
    text = squeeze(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
    assert SENTENCES[name] in text
    for other, sentence in SENTENCES.items():
        if other != name and not (other.startswith("factsheet") or name.startswith("factsheet")):
            assert sentence not in text


def test_manifest_lists_the_six_files(tmp_path):
    editions = read_manifest()
    assert [e.name for e in editions] == [
        "brochure-en-2013-05",
        "brochure-fr-2012-06",
        "brochure-de-2013-05",
        "brochure-pt-2012-06",
        "brochure-es-2012-06",
        "factsheet-en-2016-06",
    ]
    assert {e.credit for e in editions} == {CREDIT}
    assert sorted(p.name for p in PRINTED_DIR.glob("*.pdf")) == sorted(
        f[0] for f in PRINTED.values()
    )


def _copy_printed(tmp_path: Path) -> Path:
    folder = tmp_path / "printed"
    shutil.copytree(PRINTED_DIR, folder)
    return folder / "manifest.csv"


def test_a_changed_file_is_refused_with_a_clear_message(tmp_path):
    manifest = _copy_printed(tmp_path)
    target = manifest.parent / "printiassistbrochuregerman_2013.pdf"
    data = bytearray(target.read_bytes())
    data[5000] ^= 0xFF  # one byte changed, same size
    target.write_bytes(bytes(data))
    with pytest.raises(PrintedEditionError) as info:
        read_manifest(manifest)
    message = str(info.value)
    assert message.startswith(
        "manifest.csv, row 4, field 'sha256': printiassistbrochuregerman_2013.pdf has SHA-256 "
    )
    assert message.endswith(
        ", the manifest records 7f95fcc27068201fee386b1ed533f19d29ec5b232d5e6c6d657fe126bd7688ca: "
        "the file was changed or corrupted; nothing loaded"
    )


def test_a_refused_file_loads_nothing(tmp_path):
    manifest = _copy_printed(tmp_path)
    (manifest.parent / "iassist_factsheet_2016.pdf").write_bytes(b"%PDF-1.4 not the factsheet")
    app = make_app(tmp_path, PRINTED_MANIFEST=manifest)
    with Session(get_engine(app)) as session, pytest.raises(BrochureError) as info:
        sync_printed(app, session)
    assert str(info.value) == (
        "printed editions not loaded: manifest.csv, row 7, field 'size': "
        "iassist_factsheet_2016.pdf has 26 bytes, the manifest records 125111: "
        "the file was changed or corrupted; nothing loaded"
    )
    with Session(get_engine(app)) as session:
        assert session.exec(select(Edition)).all() == []
    result = app.test_cli_runner().invoke(args=["build-brochures"])
    assert result.exit_code == 1
    assert "Error: printed editions not loaded: manifest.csv, row 7, field 'size'" in result.output


@pytest.mark.parametrize(
    "row,field,value,message",
    [
        (2, "kind", "leaflet", "'leaflet' is not one of brochure, factsheet"),
        (3, "locale", "it", "'it' is not one of en, fr, de, pt, es"),
        (4, "edition", "2013", "'2013' is not a month (YYYY-MM)"),
        (5, "pages", "3", "printiassistbrochureport_2012.pdf has 2 pages, the manifest records 3"),
        (6, "credit", "", "empty: the licence asks for a credit"),
    ],
)
def test_bad_manifest_values_name_row_and_field(tmp_path, row, field, value, message):
    import csv

    manifest = _copy_printed(tmp_path)
    rows = list(csv.DictReader(manifest.open(encoding="utf-8")))
    rows[row - 2][field] = value
    with manifest.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(PrintedEditionError) as info:
        read_manifest(manifest)
    assert str(info.value) == f"manifest.csv, row {row}, field {field!r}: {message}"


def supplied_pdf(title: str, created: str) -> bytes:
    """A small valid one-page PDF standing for one the association supplies."""
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.add_metadata({"/Title": title, "/Author": "IASSIST", "/CreationDate": created})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_supplied_printed_edition_is_added_beside_the_others(brochure_site, tmp_path):
    app = clone_site(brochure_site, tmp_path)
    official = Path(app.config["OFFICIAL_BROCHURE_DIR"])
    official.mkdir()
    supplied = supplied_pdf("Brochure IASSIST (2025)", "D:20250312120000Z")
    (official / "brochure-fr.pdf").write_bytes(supplied)
    (official / "factsheet-de.pdf").write_bytes(b"this is not a PDF")  # left out, logged
    shutil.copy(PRINTED_DIR / "printiassistbrochurespanish_2012.pdf", official / "es.pdf")  # known
    results = build_missing(app)
    assert [(r.name, r.source, r.action, r.pages) for r in results] == [
        ("brochure-fr-2025-03", "printed", "loaded", 1)
    ]
    row, data = stored(app, "brochure-fr-2025-03")
    assert data == supplied
    assert (row.edition, row.size, row.credit) == (date(2025, 3, 1), len(supplied), CREDIT)
    assert row.origin == str((official / "brochure-fr.pdf").resolve())
    # The bundled printed edition and the current edition are still there.
    assert stored(app, "brochure-fr-2012-06")[0].source == "printed"
    assert stored(app, "brochure-fr")[0].source == "generated"
    assert build_missing(app) == [] and plan(app) == []
    # Withdrawn: it leaves the store, the others stay.
    (official / "brochure-fr.pdf").unlink()
    [result] = build_missing(app)
    assert (result.name, result.action) == ("brochure-fr-2025-03", "removed")
    with Session(get_engine(app)) as session:
        names = {r.name for r in session.exec(select(Edition)).all()}
        assert len(names) == 16 and "brochure-fr-2025-03" not in names
        assert session.get(PdfFile, hashlib.sha256(supplied).hexdigest()) is None


def test_manifest_is_the_bundled_one():
    assert MANIFEST == PRINTED_DIR / "manifest.csv"
    assert MANIFEST.read_text(encoding="utf-8").splitlines()[0] == (
        "file,kind,locale,edition,pages,size,sha256,source,credit"
    )
