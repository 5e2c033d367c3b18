"""Sector pages show the advisory members who agreed to be listed (the partners' panel on
the catalogue's sector page, its partial and its selector)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from partners.enums import AdvisoryBody, OrganizationStatus
from partners.selectors import advisory_members_for_sector
from tests.factories.partners import AdvisorySeatFactory, OrganizationFactory
from tests.factories.pathways import SectorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def health():
    return SectorFactory(name="Health Sciences")


def test_only_current_listed_members_of_approved_partners(health, django_assert_num_queries):
    today = timezone.localdate()
    chair = AdvisorySeatFactory(
        sector=health, person_name="Cara Chair", is_chair=True, organization__name="Harbor Health"
    )
    member = AdvisorySeatFactory(
        sector=health, person_name="Mo Member", body=AdvisoryBody.INDUSTRY_COMMISSION
    )
    AdvisorySeatFactory(sector=health, person_name="Not Listed", listed=False)
    AdvisorySeatFactory(sector=health, person_name="Past", ends_on=today - timedelta(days=1))
    AdvisorySeatFactory(sector=health, person_name="Future", starts_on=today + timedelta(days=5))
    AdvisorySeatFactory(
        sector=health,
        person_name="Suspended Co Person",
        organization=OrganizationFactory(status=OrganizationStatus.SUSPENDED),
    )
    AdvisorySeatFactory(person_name="Other Sector")

    with django_assert_num_queries(1):
        members = advisory_members_for_sector(health)
        names = [(m.person_name, m.organization.name) for m in members]

    assert [m.pk for m in members] == [chair.pk, member.pk]
    assert names[0] == ("Cara Chair", "Harbor Health")


def test_the_partial_lists_members_by_body(health):
    AdvisorySeatFactory(sector=health, person_name="Cara Chair", is_chair=True, person_title="CEO")
    AdvisorySeatFactory(
        sector=health, person_name="Mo Member", body=AdvisoryBody.INDUSTRY_COMMISSION
    )

    html = render_to_string(
        "partners/_sector_advisory.html",
        {"sector": health, "members": advisory_members_for_sector(health)},
    )

    assert "<h2" in html and "<h1" not in html
    assert (
        html.index("Advisory board") < html.index("Cara Chair") < html.index("Industry commission")
    )
    assert "Cara Chair</strong> (chair), CEO" in html and "Mo Member" in html


def test_the_sector_page_lists_its_advisors(client, health):
    AdvisorySeatFactory(sector=health, person_name="Cara Chair", organization__name="Harbor Health")
    AdvisorySeatFactory(sector=health, person_name="Not Listed", listed=False)
    AdvisorySeatFactory(person_name="Other Sector")

    html = client.get(reverse("pathways:sector", args=[health.slug])).content.decode()

    assert "Industry advisors" in html
    assert "Cara Chair" in html and "Harbor Health" in html
    assert "Not Listed" not in html and "Other Sector" not in html


def test_a_sector_without_advisors_says_so_and_invites_partners(client, health):
    html = client.get(reverse("pathways:sector", args=[health.slug])).content.decode()

    assert "No advisory members are listed for this sector yet." in html
    assert reverse("partners:join") in html
