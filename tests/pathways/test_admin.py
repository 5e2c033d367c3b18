"""The back office CTE staff keep the catalogue in: every page opens, search and filters
work, and only staff get in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pathways.enums import PathwayStatus
from tests.factories.pathways import PathwayFactory, full_pathway

pytestmark = pytest.mark.django_db

MODELS = [
    "sector",
    "pathway",
    "course",
    "credential",
    "occupation",
    "school",
    "offering",
]


@pytest.mark.parametrize("model", MODELS)
def test_staff_open_every_catalogue_admin_page(client_for, staff, model):
    pathway = full_pathway()
    objects = {
        "sector": pathway.sector,
        "pathway": pathway,
        "course": pathway.sequence.first().course,
        "credential": pathway.credentials.first(),
        "occupation": pathway.occupations.first(),
        "school": pathway.offerings.first().school,
        "offering": pathway.offerings.first(),
    }
    client = client_for(staff)

    for url in (
        reverse(f"admin:pathways_{model}_changelist"),
        reverse(f"admin:pathways_{model}_changelist") + "?q=a",
        reverse(f"admin:pathways_{model}_add"),
        reverse(f"admin:pathways_{model}_change", args=[objects[model].pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_pathway_admin_edits_the_sequence_inline(client_for, staff):
    pathway = full_pathway()

    page = client_for(staff).get(reverse("admin:pathways_pathway_change", args=[pathway.pk]))

    assert "sequence-TOTAL_FORMS" in page.content.decode()
    assert "offerings-TOTAL_FORMS" in page.content.decode()


@pytest.mark.parametrize("role", ["student", "counselor", "employer"])
def test_only_staff_enter_the_catalogue_back_office(client_for, request, role):
    user = request.getfixturevalue(role)

    response = client_for(user).get(reverse("admin:pathways_pathway_changelist"))

    assert response.status_code == 302


def _pathway_form(pathway, **changes):
    """The admin change form of ``pathway`` as the browser would post it, with no
    sequence rows and no offerings."""
    data = {
        "name": pathway.name,
        "slug": pathway.slug,
        "sector": pathway.sector_id,
        "summary": pathway.summary,
        "description": pathway.description,
        "entry_grade_min": pathway.entry_grade_min,
        "entry_grade_max": pathway.entry_grade_max,
        "cip_code": pathway.cip_code,
        "non_traditional_for": pathway.non_traditional_for,
        "sequence-TOTAL_FORMS": 0,
        "sequence-INITIAL_FORMS": 0,
        "offerings-TOTAL_FORMS": 0,
        "offerings-INITIAL_FORMS": 0,
    }
    return {**data, **changes}


def test_the_back_office_refuses_to_publish_a_pathway_without_its_sequence(client_for, staff):
    pathway = PathwayFactory(status=PathwayStatus.DRAFT)
    url = reverse("admin:pathways_pathway_change", args=[pathway.pk])

    response = client_for(staff).post(url, _pathway_form(pathway, status="published"))

    assert response.status_code == 200  # the form again, with the error
    assert "Add the course sequence before publishing the pathway." in response.content.decode()
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.DRAFT


def test_the_back_office_saves_a_draft_without_a_sequence(client_for, staff):
    pathway = PathwayFactory(status=PathwayStatus.DRAFT)
    url = reverse("admin:pathways_pathway_change", args=[pathway.pk])

    response = client_for(staff).post(url, _pathway_form(pathway, status="draft", name="Solar"))

    assert response.status_code == 302
    pathway.refresh_from_db()
    assert pathway.name == "Solar"
