"""The event domain's code lists are defined once: the region codes offered, accepted by
the filter, allowed by the database and used by the country table are one list."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from webapp.db import get_engine
from webapp.events.codes import COUNTRY_REGIONS_FILE, REGION_LABELS, country_regions

REGIONS = ["africa", "asia_pacific", "canada", "europe", "united_states", "online"]


def test_region_codes_and_english_labels():
    assert list(REGION_LABELS) == REGIONS
    assert [str(label) for label in REGION_LABELS.values()] == [
        "Africa",
        "Asia-Pacific",
        "Canada",
        "Europe",
        "United States",
        "Online",
    ]


def test_country_table_uses_only_known_regions():
    table = country_regions()
    assert set(table.values()) <= set(REGIONS)
    assert table["CA"] == "canada"
    assert table["US"] == "united_states"
    assert table["UG"] == "africa"


def test_country_table_with_unknown_region_names_row_and_field(tmp_path):
    bad = tmp_path / "country_regions.csv"
    bad.write_text("country_code,region,note\nCA,canada,\nFR,antarctica,\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"country_regions.csv, row 3, field 'region'"):
        country_regions(bad)


def test_country_table_with_a_country_twice(tmp_path):
    bad = tmp_path / "country_regions.csv"
    bad.write_text("country_code,region,note\nCA,canada,\nCA,europe,\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"row 3, field 'country_code': CA is listed twice"):
        country_regions(bad)


def test_bundled_country_table_is_the_default():
    assert COUNTRY_REGIONS_FILE.name == "country_regions.csv"
    assert country_regions() == country_regions(COUNTRY_REGIONS_FILE)


def test_database_accepts_exactly_the_region_codes(empty_app):
    """The CHECK constraint follows the list: every region inserts, any other code is
    refused by the database itself."""
    engine = get_engine(empty_app)
    assert "event" in inspect(engine).get_table_names()
    insert = text(
        "INSERT INTO event (slug, kind, year, title, region, status, source_urls) "
        "VALUES (:slug, 'annual_conference', 2020, 'IASSIST 2020', :region, 'held', '')"
    )
    with engine.begin() as connection:
        for region in REGIONS:
            connection.execute(insert, {"slug": f"e-{region}", "region": region})
    with pytest.raises(IntegrityError, match="ck_event_region"), engine.begin() as connection:
        connection.execute(insert, {"slug": "e-mars", "region": "mars"})
