"""Keyword search: PostgreSQL full-text, ranked name > summary > description, in the
reader's language, with typo tolerance on names; and the simple fallback for SQLite."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from pathways.models import Pathway
from pathways.selectors import CatalogueFilters, pathway_catalogue, pathway_search
from tests.factories.pathways import PathwayFactory, SectorFactory

pytestmark = pytest.mark.django_db


def names(filters: CatalogueFilters) -> list[str]:
    return [p.name for p in pathway_catalogue(filters=filters)]


def test_search_runs_on_postgresql():
    # The ranking tests below are only meaningful on the database production uses.
    assert connection.vendor == "postgresql"


def test_a_name_match_ranks_above_a_summary_match_above_a_description_match():
    PathwayFactory(name="Culinary Arts", summary="Cook.", description="Robotics in kitchens.")
    PathwayFactory(name="Automation", summary="Industrial robotics.", description="")
    PathwayFactory(name="Robotics Engineering", summary="Build machines.", description="")
    PathwayFactory(name="Nursing", summary="Care.", description="No machines here.")

    assert names(CatalogueFilters(q="robotics")) == [
        "Robotics Engineering",
        "Automation",
        "Culinary Arts",
    ]


def test_search_matches_word_forms():
    PathwayFactory(name="Nurse Aide", summary="Patient care.")

    assert names(CatalogueFilters(q="nursing")) == ["Nurse Aide"]


def test_search_tolerates_a_typo_in_a_name():
    PathwayFactory(name="Culinary Arts")

    assert names(CatalogueFilters(q="cullinary")) == ["Culinary Arts"]


def test_search_uses_the_spanish_configuration_for_spanish_readers():
    # Spanish stems "programación" and "programar" alike; English does not.
    PathwayFactory(name="Desarrollo web", summary="Aprende a programar aplicaciones.")

    with translation.override("es"):
        assert names(CatalogueFilters(q="programación")) == ["Desarrollo web"]
    with translation.override("en"):
        assert names(CatalogueFilters(q="programación")) == []


def test_spanish_readers_still_find_the_english_catalogue_by_its_word_forms():
    # The catalogue is written in English: Spanish rules alone do not stem "nursing".
    PathwayFactory(name="Nurse Aide", summary="Patient care.")
    PathwayFactory(name="Welding", summary="Join metal.")

    with translation.override("es"):
        assert names(CatalogueFilters(q="nursing")) == ["Nurse Aide"]


@pytest.mark.parametrize("q", ["'", '"unclosed', "a & | ! b", "or", "-", "the", "()<>:*"])
def test_search_accepts_any_text(q):
    PathwayFactory(name="Culinary Arts")

    assert isinstance(names(CatalogueFilters(q=q)), list)


def test_search_ignores_nul_characters():
    PathwayFactory(name="Culinary Arts")

    assert names(CatalogueFilters(q="culinary\x00")) == ["Culinary Arts"]


@pytest.mark.parametrize(
    ("language", "index"), [("en", "english"), ("es", "spanish"), ("es", "english")]
)
def test_search_uses_the_gin_index(language, index):
    PathwayFactory(name="Culinary Arts")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")

    with translation.override(language):
        plan = pathway_search(Pathway.objects.all(), q="culinary").explain()

    assert f"pathway_search_{index}" in plan
    assert "pathway_name_trigram" in plan


def test_sqlite_fallback_ranks_name_matches_first(monkeypatch):
    PathwayFactory(name="Culinary Arts", description="Robotics in kitchens.")
    PathwayFactory(name="Robotics Engineering")
    PathwayFactory(name="Nursing")
    monkeypatch.setattr(connection, "vendor", "sqlite")

    assert names(CatalogueFilters(q="robotics")) == ["Robotics Engineering", "Culinary Arts"]
    assert names(CatalogueFilters(q="robotics kitchens")) == ["Culinary Arts"]


def test_search_page_ranks_the_same_way(client):
    PathwayFactory(name="Culinary Arts", description="Robotics in kitchens.")
    PathwayFactory(name="Robotics Engineering")

    page = client.get(reverse("pathways:list"), {"q": "robotics"})

    assert [p.name for p in page.context["page"]] == ["Robotics Engineering", "Culinary Arts"]


def test_a_sector_s_name_finds_its_pathways_after_text_matches():
    health = SectorFactory(name="Health Sciences")
    PathwayFactory(name="Nurse Aide", sector=health)
    PathwayFactory(name="Community Health Work")
    PathwayFactory(name="Culinary Arts")

    assert names(CatalogueFilters(q="health")) == ["Community Health Work", "Nurse Aide"]


def test_sqlite_fallback_searches_the_sector_name_too(monkeypatch):
    PathwayFactory(name="Nurse Aide", sector=SectorFactory(name="Health Sciences"))
    PathwayFactory(name="Culinary Arts")
    monkeypatch.setattr(connection, "vendor", "sqlite")

    assert names(CatalogueFilters(q="health")) == ["Nurse Aide"]
