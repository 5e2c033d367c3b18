"""The back office CTE staff keep the catalogue in: every page opens, search and filters
work, and only staff get in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories.pathways import full_pathway

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
