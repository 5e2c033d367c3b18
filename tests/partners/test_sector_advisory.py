"""Sector pages show the advisory members who agreed to be listed (the partial for the
catalogue's sector page, and its selector)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
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


def test_the_template_tag_renders_the_partial_with_an_empty_state(health):
    html = Template("{% load partners %}{% sector_advisory sector %}").render(
        Context({"sector": health})
    )

    assert "No advisory members are listed for this sector yet." in html
    assert "/partners/join/" in html
