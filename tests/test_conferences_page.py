"""The Conferences page, as the association's: forthcoming and recent events, the Africa
regional workshop series, and every past conference and joint meeting with its status."""

from __future__ import annotations

import re

import pytest

LOCALES = ("en", "fr", "de", "pt", "es")
AFRICA_SERIES = ["2026-workshop-entebbe", "2025-workshop-accra", "2024-workshop-nairobi",
                 "2023-workshop-pretoria", "2022-workshop-ibadan", "2021-workshop-kampala"]
CANCELLED = {"en": "Cancelled", "fr": "Annulé", "de": "Abgesagt", "pt": "Cancelado",
             "es": "Cancelado"}
POSTPONED = {"en": "Postponed", "fr": "Reporté", "de": "Verschoben", "pt": "Adiado",
             "es": "Aplazado"}


def _section(html: str, heading_id: str) -> str:
    match = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', html, re.S)
    assert match, heading_id
    return match.group(1)


def _slugs(html: str, locale: str) -> list[str]:
    return re.findall(rf'href="/{locale}/events/([a-z0-9-]+)/"', html)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_africa_workshop_series_is_on_the_conferences_page(client, locale):
    html = client.get(f"/{locale}/conferences/").get_data(as_text=True)
    workshops = _section(html, "workshops-heading")
    assert _slugs(workshops, locale) == AFRICA_SERIES


@pytest.mark.parametrize("locale", LOCALES)
def test_the_2021_iassist_cessda_meeting_is_listed_as_cancelled(client, locale):
    html = client.get(f"/{locale}/conferences/").get_data(as_text=True)
    past = _section(html, "past-heading")
    line = re.search(r'<li><a href="/%s/events/2021-joint-meeting-gothenburg/">.*?</li>' % locale,
                     past, re.S)
    assert line, "the 2021 IASSIST/CESSDA meeting is not listed"
    assert f'<span class="badge badge-cancelled">{CANCELLED[locale]}</span>' in line.group(0)
    line = re.search(r'<li><a href="/%s/events/2020-conference-gothenburg/">.*?</li>' % locale,
                     past, re.S)
    assert f'<span class="badge badge-postponed">{POSTPONED[locale]}</span>' in line.group(0)


def test_past_conferences_are_every_past_annual_conference_and_joint_meeting(client):
    html = client.get("/en/conferences/").get_data(as_text=True)
    slugs = _slugs(_section(html, "past-heading"), "en")
    assert len(slugs) == 51 + 4  # 51 annual conferences held or not, 4 joint meetings
    assert "2027-conference-vancouver" not in slugs
    assert not any("-workshop-" in slug for slug in slugs)
    assert slugs[:4] == ["2026-conference-online", "2025-conference-bristol",
                         "2024-conference-halifax", "2023-conference-philadelphia"]
    assert slugs[-1] == "1974-joint-meeting-toronto"
