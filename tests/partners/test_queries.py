"""Partner pages and endpoints cost a fixed number of queries, for 1 partner or 30."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories.partners import (
    AdvisorySeatFactory,
    AgreementFactory,
    ContactFactory,
    InteractionFactory,
    OfferFactory,
    OrganizationFactory,
    partner_of,
)
from tests.factories.pathways import SectorFactory

pytestmark = pytest.mark.django_db

SIZES = (1, 30)


def partners(n: int) -> None:
    """n partners with everything the lists show: sectors, offers, a primary contact, a seat,
    interactions and an agreement."""
    sector = SectorFactory()
    for _ in range(n):
        organization = OrganizationFactory(sectors=[sector])
        OfferFactory(organization=organization, sector=sector)
        ContactFactory(organization=organization, is_primary=True)
        AdvisorySeatFactory(organization=organization, sector=sector)
        InteractionFactory.create_batch(2, organization=organization)
        AgreementFactory(organization=organization)


def test_staff_list_page(query_budget, staff):
    # session, user, unread count, sector choices, count, page, sectors, offers, primary contacts
    query_budget(reverse("partners:list"), max_queries=9, grow=partners, user=staff, sizes=SIZES)


def test_staff_list_page_filtered(query_budget, staff):
    url = reverse("partners:list") + "?offer=internship&advisory=yes&contacted_within=12"
    query_budget(url, max_queries=9, grow=partners, user=staff, sizes=SIZES)


def test_not_contacted_page(query_budget, staff):
    def silent(n):
        for _ in range(n):
            OrganizationFactory(sectors=[SectorFactory()])

    # session, user, unread count, count, page, sectors, offers, primary contacts
    query_budget(
        reverse("partners:not_contacted") + "?months=6",
        max_queries=8,
        grow=silent,
        user=staff,
        sizes=SIZES,
    )


@pytest.mark.parametrize("n", SIZES)
def test_csv_export(client_for, staff, n):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    partners(n)
    client = client_for(staff)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("partners:export"))
        lines = b"".join(response.streaming_content).decode().splitlines()

    assert len(lines) == n + 1
    # session, user, sector choices (the filter form), rows (a server-side cursor), sectors,
    # offers, primary contacts: the last three once per 500 rows
    assert len(ctx.captured_queries) == 7, "\n".join(q["sql"][:70] for q in ctx.captured_queries)


def test_review_queue(query_budget, staff):
    from partners.enums import ContactStatus, OrganizationStatus

    def waiting(n):
        for _ in range(n):
            organization = OrganizationFactory(
                status=OrganizationStatus.PENDING, sectors=[SectorFactory()]
            )
            ContactFactory(organization=organization, is_primary=True, status=ContactStatus.PENDING)
            ContactFactory(status=ContactStatus.PENDING, join_request=True)

    # session, user, unread count, sign-ups, sectors, primary contacts, join requests,
    # unconfirmed, possible duplicates (contacts at the e-mail domains, organizations)
    query_budget(reverse("partners:review"), max_queries=10, grow=waiting, user=staff, sizes=SIZES)


def test_partner_page(query_budget, staff):
    organization = OrganizationFactory()

    def grow(n):
        sector = SectorFactory()
        organization.sectors.add(sector)
        for _ in range(n):
            OfferFactory(organization=organization, sector=SectorFactory())
            ContactFactory(organization=organization)
            AdvisorySeatFactory(organization=organization, sector=sector)
            InteractionFactory(organization=organization)
            AgreementFactory(organization=organization)

    # session, user, unread count, organization, sectors, contacts, offers, seats,
    # interactions, agreements, owner choices
    query_budget(
        reverse("partners:detail", args=[organization.pk]),
        max_queries=11,
        grow=grow,
        user=staff,
        sizes=SIZES,
    )


def test_employer_dashboard(query_budget, employer):
    organization = partner_of(employer)

    def grow(n):
        for _ in range(n):
            sector = SectorFactory()
            organization.sectors.add(sector)
            OfferFactory(organization=organization, sector=sector)
            ContactFactory(organization=organization)
            AgreementFactory(organization=organization)
            AdvisorySeatFactory(organization=organization, sector=sector)

    # session, user, unread count, contact, organization, sectors, contacts, offers,
    # agreements, seats, and the work-based learning panel (opportunities, applicants waiting)
    query_budget(
        reverse("partners:dashboard"), max_queries=12, grow=grow, user=employer, sizes=SIZES
    )


@pytest.mark.parametrize(
    ("name", "budget"),
    [
        # session, user, count, page, sectors, offers
        ("api:organization-list", 6),
        # session, user, count, page
        ("api:contact-list", 4),
        ("api:interaction-list", 4),
        ("api:agreement-list", 4),
    ],
)
def test_staff_api_lists(query_budget, staff, name, budget):
    query_budget(reverse(name), max_queries=budget, grow=partners, user=staff, sizes=SIZES)


@pytest.mark.parametrize(
    ("name", "budget"),
    [
        # session, user, contact, count, page, sectors, offers
        ("api:organization-list", 7),
        # session, user, contact, count, page
        ("api:contact-list", 5),
        ("api:agreement-list", 5),
    ],
)
def test_employer_api_lists(query_budget, employer, name, budget):
    organization = partner_of(employer)

    def grow(n):
        for _ in range(n):
            ContactFactory(organization=organization)
            AgreementFactory(organization=organization)
        partners(n)  # other partners' data, which must cost nothing

    query_budget(reverse(name), max_queries=budget, grow=grow, user=employer, sizes=SIZES)
