"""Staff's matching page for a school request: the partners whose sectors and offers match,
whether each was told and whether it volunteered, and "invite this partner" (once)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cte_portal.notifications.models import Notification
from partners.enums import OfferKind
from tests.factories.partners import ContactFactory, OfferFactory, OrganizationFactory
from tests.factories.pathways import SchoolFactory, SectorFactory
from tests.factories.students import CounselorProfileFactory
from tests.factories.workbased import SchoolRequestFactory, pathway_at
from tests.workbased.conftest import outbox
from workbased import services
from workbased.enums import SchoolRequestStatus
from workbased.errors import NotAllowed, SchoolRequestError
from workbased.models import Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(counselor):
    school = SchoolFactory(name="Harbor View High School", address="1 School Lane")
    CounselorProfileFactory(user=counselor, schools=[school])
    return school


@pytest.fixture
def pathway(school):
    return pathway_at(school, name="Nursing")


@pytest.fixture
def request_open(school, pathway, counselor, org):
    """Made by the factory: nobody was told (as for a partner that matched only later)."""
    OfferFactory(organization=org, sector=pathway.sector, kind=OfferKind.SPEAKER)
    return SchoolRequestFactory(school=school, pathway=pathway, requested_by=counselor)


def matching_url(request) -> str:
    return reverse("workbased:request_matching", args=[request.pk])


def invite_url(request) -> str:
    return reverse("workbased:request_invite", args=[request.pk])


def test_staff_see_the_matching_partners_only_with_told_and_volunteered(
    client_for, staff, request_open, org, pathway, other_org
):
    # other_org offers internships in the sector, and speakers elsewhere: no match.
    OfferFactory(organization=other_org, sector=pathway.sector, kind=OfferKind.INTERNSHIP)
    OfferFactory(organization=other_org, sector=SectorFactory(), kind=OfferKind.SPEAKER)
    volunteering = OrganizationFactory(name="Bay Clinic")
    OfferFactory(organization=volunteering, sector=pathway.sector, kind=OfferKind.SPEAKER)
    ContactFactory(organization=volunteering)
    Volunteer.objects.create(request=request_open, organization=volunteering)

    response = client_for(staff).get(matching_url(request_open))

    rows = [
        (o.name, o.active_contacts, o.notified, o.volunteer_status)
        for o in response.context["page"].object_list
    ]
    assert rows == [("Bay Clinic", 1, False, "offered"), ("Harbor Health", 1, False, None)]
    html = response.content.decode()
    assert "Skyline Software" not in html
    assert "Invite Harbor Health" in html and "Invite Bay Clinic" not in html


def test_inviting_tells_the_partner_once(client_for, staff, request_open, org, employer):
    colleague = ContactFactory(organization=org)
    client = client_for(staff)

    first = client.post(invite_url(request_open), {"organization": org.pk})
    again = client.post(invite_url(request_open), {"organization": org.pk})

    assert first["Location"] == again["Location"] == matching_url(request_open)
    assert outbox("wbl_request_invited") == sorted([employer.email, colleague.user.email])
    request_open.refresh_from_db()
    assert request_open.partners_notified == 1
    row = Notification.objects.filter(kind="wbl_request_invited").first()
    assert "The CTE office thinks your organization could help Harbor View High School" in (
        row.body_text
    )
    [partner] = client.get(matching_url(request_open)).context["page"].object_list
    assert (partner.notified, partner.invited) == (True, True)
    # The matching partner now sees and can answer the request.
    assert client_for(employer).get(row.link).status_code == 200


def test_the_service_is_idempotent_and_staff_only(request_open, org, staff, counselor):
    assert services.school_request_invite(request=request_open, organization=org, by=staff)
    assert not services.school_request_invite(request=request_open, organization=org, by=staff)
    with pytest.raises(NotAllowed):
        services.school_request_invite(request=request_open, organization=org, by=counselor)
    assert Notification.objects.filter(kind="wbl_request_invited").count() == 1


def test_a_partner_already_told_is_marked_and_not_counted_again(
    counselor, school, pathway, org, staff, employer
):
    OfferFactory(organization=org, sector=pathway.sector, kind=OfferKind.SPEAKER)
    request = services.school_request_create(
        by=counselor,
        school=school,
        pathway=pathway,
        kind="speaker",
        topic="Nursing",
        earliest_date=timezone.localdate() + timedelta(days=7),
        latest_date=timezone.localdate() + timedelta(days=30),
        audience_size=20,
        grade=10,
    )
    services.school_request_invite(request=request, organization=org, by=staff)

    request.refresh_from_db()
    assert request.partners_notified == 1
    assert outbox("wbl_school_request") == outbox("wbl_request_invited") == [employer.email]


def test_inviting_a_partner_that_does_not_match_is_refused(
    client_for, staff, request_open, other_org
):
    response = client_for(staff).post(invite_url(request_open), {"organization": other_org.pk})

    assert response.status_code == 200
    assert "Skyline Software does not offer guest speaker in" in response.content.decode()
    assert Notification.objects.filter(kind="wbl_request_invited").count() == 0


def test_inviting_a_volunteer_or_to_a_closed_request_is_refused(request_open, org, staff):
    Volunteer.objects.create(request=request_open, organization=org)
    with pytest.raises(SchoolRequestError, match="already volunteered"):
        services.school_request_invite(request=request_open, organization=org, by=staff)
    request_open.status = SchoolRequestStatus.CANCELLED
    request_open.save()
    with pytest.raises(SchoolRequestError, match="no longer open"):
        services.school_request_invite(request=request_open, organization=org, by=staff)


def test_only_staff_open_the_page_or_invite(
    client_for, counselor, employer, student, request_open, org
):
    for someone in (counselor, employer, student):
        client = client_for(someone)
        assert client.get(matching_url(request_open)).status_code == 403
        assert client.post(invite_url(request_open), {"organization": org.pk}).status_code == 403
    assert client_for(None).get(matching_url(request_open)).status_code == 302
    assert Notification.objects.filter(kind="wbl_request_invited").count() == 0


def test_a_bad_partner_id_says_so(client_for, staff, request_open):
    client = client_for(staff)
    assert (
        "Choose a partner to invite." in client.post(invite_url(request_open), {}).content.decode()
    )
    assert client.post(invite_url(request_open), {"organization": 999999}).status_code == 404


def test_matching_page_query_count(query_budget, staff, request_open, pathway):
    def grow(n):
        for _ in range(n):
            organization = OrganizationFactory()
            OfferFactory(organization=organization, sector=pathway.sector, kind=OfferKind.SPEAKER)
            ContactFactory(organization=organization)

    # session, user, the request (school, pathway, sector, asker, opportunity joined), the
    # count, the page (contacts counted, told, invited and volunteered in SQL), unread count
    query_budget(matching_url(request_open), max_queries=6, grow=grow, user=staff)


def test_the_request_page_links_staff_to_the_matching_partners(
    client_for, staff, counselor, request_open
):
    link = f'href="{matching_url(request_open)}"'
    staff_page = client_for(staff).get(reverse("workbased:school_request", args=[request_open.pk]))
    counselor_page = client_for(counselor).get(
        reverse("workbased:school_request", args=[request_open.pk])
    )
    assert link in staff_page.content.decode()
    assert link not in counselor_page.content.decode()
