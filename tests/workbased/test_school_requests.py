"""A school asks partners for a visit: fan-out to the matching partners only, volunteers,
confirmation, and the opportunity it becomes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cte_portal.notifications.models import Notification
from tests.factories.partners import ContactFactory, OfferFactory, OrganizationFactory, partner_of
from tests.factories.pathways import SchoolFactory, SectorFactory
from tests.factories.students import CounselorProfileFactory
from tests.factories.users import EmployerUserFactory
from tests.factories.workbased import SchoolRequestFactory, at, pathway_at
from tests.workbased.conftest import outbox
from workbased import selectors, services
from workbased.enums import (
    OpportunityStatus,
    RequestKind,
    SchoolRequestStatus,
    VolunteerStatus,
)
from workbased.errors import NotAllowed, SchoolRequestError, WorkbasedError
from workbased.models import Opportunity, SchoolRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return SchoolFactory(name="Harbor High", address="10 School Lane, Brooklyn")


@pytest.fixture
def health():
    return SectorFactory(name="Health Sciences")


@pytest.fixture
def nursing(school, health):
    return pathway_at(school, sector=health, name="Nursing")


@pytest.fixture
def school_counselor(counselor, school):
    CounselorProfileFactory(user=counselor, schools=[school])
    return counselor


@pytest.fixture
def speaker_partner(org, health):
    """The employer's organization offers speakers in health."""
    OfferFactory(organization=org, sector=health, kind="speaker")
    return org


def ask(by, school, pathway, **overrides):
    fields = {
        "kind": RequestKind.SPEAKER,
        "topic": "Careers in nursing",
        "earliest_date": timezone.localdate() + timedelta(days=7),
        "latest_date": timezone.localdate() + timedelta(days=30),
        "audience_size": 28,
        "grade": 10,
    }
    return services.school_request_create(
        by=by, school=school, pathway=pathway, **{**fields, **overrides}
    )


def test_a_request_tells_the_matching_partners_only(
    school_counselor, school, nursing, health, speaker_partner, employer
):
    colleague = ContactFactory(organization=speaker_partner)
    # Non-matching: offers speakers in another sector; offers internships in health; a
    # declined organization offering speakers in health; an inactive contact of a match.
    elsewhere = partner_of(EmployerUserFactory(email="elsewhere@example.org"))
    OfferFactory(organization=elsewhere, sector=SectorFactory(), kind="speaker")
    interns = partner_of(EmployerUserFactory(email="interns@example.org"))
    OfferFactory(organization=interns, sector=health, kind="internship")
    declined = partner_of(EmployerUserFactory(email="declined@example.org"), status="declined")
    OfferFactory(organization=declined, sector=health, kind="speaker")
    ContactFactory(organization=speaker_partner, status="removed")

    request = ask(school_counselor, school, nursing)

    assert request.status == SchoolRequestStatus.OPEN
    assert request.partners_notified == 1
    assert outbox("wbl_school_request") == sorted([employer.email, colleague.user.email])
    assert "Harbor High asks for a partner (Guest speaker) for its Nursing class" in (
        Notification.objects.filter(kind="wbl_school_request").first().body_text
    )


def test_fan_out_to_many_partners_costs_a_fixed_number_of_queries(
    school_counselor, school, nursing, health
):
    def grow(n):
        for _ in range(n):
            organization = OrganizationFactory()
            OfferFactory(organization=organization, sector=health, kind="speaker")
            ContactFactory(organization=organization)
            ContactFactory(organization=organization)

    counts = []
    for size, topic in ((1, "First"), (30, "Second")):
        grow(size)
        with CaptureQueriesContext(connection) as queries:
            ask(school_counselor, school, nursing, topic=topic)
        counts.append(len(queries))
    assert len(outbox("wbl_school_request")) == 2 + 62
    assert counts[0] == counts[1], counts
    assert counts[0] <= 20, counts


def test_only_the_schools_counselors_and_staff_ask(school, nursing, other_counselor, employer):
    CounselorProfileFactory(user=other_counselor)
    for someone in (other_counselor, employer):
        with pytest.raises(NotAllowed):
            ask(someone, school, nursing)
    assert SchoolRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"topic": " "}, "what the class would like"),
        ({"earliest_date": timezone.localdate() - timedelta(days=1)}, "in the past"),
        ({"latest_date": timezone.localdate() + timedelta(days=2)}, "not be before the first"),
        ({"audience_size": 0}, "how many students"),
        ({"grade": 13}, "6 to 12"),
    ],
)
def test_a_bad_request_is_refused_with_the_reason(
    school_counselor, school, nursing, overrides, words
):
    with pytest.raises(SchoolRequestError, match=words):
        ask(school_counselor, school, nursing, **overrides)


def test_a_pathway_not_offered_at_the_school_is_refused(school_counselor, school, health):
    elsewhere = pathway_at(SchoolFactory(), sector=health, name="Pharmacy")
    with pytest.raises(SchoolRequestError, match="Pharmacy is not offered at Harbor High"):
        ask(school_counselor, school, elsewhere)


def test_volunteer_confirm_and_create_the_opportunity(
    school_counselor, school, nursing, speaker_partner, employer, other_employer, other_org, health
):
    OfferFactory(organization=other_org, sector=health, kind="speaker")
    request = ask(school_counselor, school, nursing)

    mine = services.school_request_volunteer(
        request=request,
        by=employer,
        message="Our head nurse can come.",
        proposed_starts_at=at(10, 10),
        proposed_ends_at=at(10, 11),
    )
    theirs = services.school_request_volunteer(request=request, by=other_employer)
    assert outbox("wbl_request_volunteered") == [school_counselor.email] * 2
    request.refresh_from_db()
    assert request.status == SchoolRequestStatus.MATCHED
    with pytest.raises(SchoolRequestError, match="already offered"):
        services.school_request_volunteer(request=request, by=employer)

    services.school_request_confirm(request=request, volunteer=mine, by=school_counselor)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (VolunteerStatus.CHOSEN, VolunteerStatus.NOT_CHOSEN)
    assert outbox("wbl_request_confirmed") == [employer.email]

    opportunity = services.school_request_create_opportunity(request=request, by=school_counselor)

    request.refresh_from_db()
    assert request.status == SchoolRequestStatus.OPPORTUNITY_CREATED
    assert request.opportunity == opportunity
    # Like any opportunity, it waits for CTE staff's approval.
    assert opportunity.status == OpportunityStatus.SUBMITTED
    assert opportunity.created_by == school_counselor
    assert (opportunity.organization, opportunity.host) == (
        speaker_partner,
        employer.partner_contact,
    )
    assert (opportunity.school, opportunity.seats, opportunity.address) == (
        school,
        28,
        "10 School Lane, Brooklyn",
    )
    assert [p.pk for p in opportunity.pathways.all()] == [nursing.pk]
    assert opportunity.sessions.get().starts_at == at(10, 10)
    assert outbox("wbl_opportunity_decided") == []


def test_a_partner_whose_offers_do_not_match_cannot_volunteer(
    school_counselor, school, nursing, speaker_partner, other_employer, other_org
):
    request = ask(school_counselor, school, nursing)
    with pytest.raises(SchoolRequestError, match="partners who offer guest speaker"):
        services.school_request_volunteer(request=request, by=other_employer)


def test_a_proposal_outside_the_schools_dates_is_refused(
    school_counselor, school, nursing, speaker_partner, employer
):
    request = ask(school_counselor, school, nursing)
    with pytest.raises(SchoolRequestError, match="asked for a date"):
        services.school_request_volunteer(
            request=request, by=employer, proposed_starts_at=at(60, 10), proposed_ends_at=at(60, 11)
        )


def test_the_partner_creating_the_opportunity_sends_it_for_approval(
    school_counselor, school, nursing, speaker_partner, employer, staff
):
    request = ask(school_counselor, school, nursing)
    volunteer = services.school_request_volunteer(request=request, by=employer)
    services.school_request_confirm(request=request, volunteer=volunteer, by=staff)

    with pytest.raises(SchoolRequestError, match="date and times"):
        services.school_request_create_opportunity(request=request, by=employer)
    opportunity = services.school_request_create_opportunity(
        request=request, by=employer, starts_at=at(12, 9), ends_at=at(12, 10), is_virtual=True
    )
    assert opportunity.status == OpportunityStatus.SUBMITTED
    assert outbox("wbl_opportunity_submitted") == [staff.email]


def test_the_visible_requests_of_each_role(
    school_counselor,
    school,
    nursing,
    speaker_partner,
    employer,
    other_employer,
    other_org,
    staff,
    other_counselor,
):
    CounselorProfileFactory(user=other_counselor)
    request = ask(school_counselor, school, nursing)
    SchoolRequestFactory()  # another school's, matching nobody

    assert [r.pk for r in selectors.school_requests_for_partner(user=employer)] == [request.pk]
    assert list(selectors.school_requests_for_partner(user=other_employer)) == []
    assert [r.pk for r in selectors.school_requests_visible_to(school_counselor)] == [request.pk]
    assert list(selectors.school_requests_visible_to(other_counselor)) == []
    assert selectors.school_requests_visible_to(staff).count() == 2


def test_cancel_an_open_request(school_counselor, school, nursing):
    request = ask(school_counselor, school, nursing)
    services.school_request_cancel(request=request, by=school_counselor, reason="Trip moved.")
    request.refresh_from_db()
    assert request.status == SchoolRequestStatus.CANCELLED
    with pytest.raises(SchoolRequestError, match="already cancelled"):
        services.school_request_cancel(request=request, by=school_counselor)


@pytest.fixture
def confirmed(school_counselor, school, nursing, speaker_partner, employer):
    """A request whose one volunteer (the employer, proposing a time) is confirmed."""
    request = ask(school_counselor, school, nursing)
    volunteer = services.school_request_volunteer(
        request=request, by=employer, proposed_starts_at=at(10, 10), proposed_ends_at=at(10, 11)
    )
    services.school_request_confirm(request=request, volunteer=volunteer, by=school_counselor)
    return request


def test_staff_creating_the_opportunity_approve_it_at_once(confirmed, staff, employer):
    opportunity = services.school_request_create_opportunity(request=confirmed, by=staff)

    assert (opportunity.status, opportunity.decided_by) == (OpportunityStatus.PUBLISHED, staff)
    assert outbox("wbl_opportunity_decided") == [employer.email]
    assert outbox("wbl_opportunity_submitted") == []  # nobody is asked to approve it


def test_a_counselors_opportunity_goes_to_staffs_queue(confirmed, school_counselor, staff):
    opportunity = services.school_request_create_opportunity(request=confirmed, by=school_counselor)

    assert [o.pk for o in selectors.approval_queue()] == [opportunity.pk]
    assert outbox("wbl_opportunity_submitted") == [staff.email]
    services.opportunity_publish(opportunity=opportunity, by=staff)
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.PUBLISHED


def test_a_partner_suspended_since_it_was_chosen_gets_no_opportunity(
    confirmed, school_counselor, speaker_partner
):
    speaker_partner.status = "suspended"
    speaker_partner.save()

    with pytest.raises(WorkbasedError, match="Only an approved partner"):
        services.school_request_create_opportunity(request=confirmed, by=school_counselor)

    confirmed.refresh_from_db()
    assert (confirmed.status, confirmed.opportunity) == (SchoolRequestStatus.CONFIRMED, None)
    assert Opportunity.objects.count() == 0


def test_a_host_who_left_the_partner_cannot_host_it(confirmed, school_counselor, host):
    host.status = "removed"
    host.save()

    with pytest.raises(WorkbasedError, match="must be an active contact"):
        services.school_request_create_opportunity(request=confirmed, by=school_counselor)
    assert Opportunity.objects.count() == 0


def test_the_opportunitys_own_rules_apply(confirmed, school_counselor):
    # A visit at the school with no address known: the opportunity rule asks for one.
    confirmed.school.address = ""
    confirmed.school.save()

    with pytest.raises(WorkbasedError, match="Give the address"):
        services.school_request_create_opportunity(request=confirmed, by=school_counselor)
    assert Opportunity.objects.count() == 0


def test_the_partners_not_chosen_are_thanked(
    school_counselor, school, nursing, speaker_partner, employer, other_employer, other_org, health
):
    OfferFactory(organization=other_org, sector=health, kind="speaker")
    request = ask(school_counselor, school, nursing)
    mine = services.school_request_volunteer(request=request, by=employer)
    services.school_request_volunteer(request=request, by=other_employer)

    services.school_request_confirm(request=request, volunteer=mine, by=school_counselor)

    assert outbox("wbl_request_not_chosen") == [other_employer.email]
    row = Notification.objects.get(kind="wbl_request_not_chosen")
    assert "Harbor High chose another partner" in row.body_text
    assert outbox("wbl_request_confirmed") == [employer.email]


def test_cancelling_tells_the_partners_who_volunteered(
    school_counselor, school, nursing, speaker_partner, employer
):
    request = ask(school_counselor, school, nursing)
    services.school_request_volunteer(request=request, by=employer)

    services.school_request_cancel(request=request, by=school_counselor, reason="Exams.")

    row = Notification.objects.get(kind="wbl_request_not_chosen")
    assert (row.email, "Harbor High cancelled its request" in row.body_text) == (
        employer.email,
        True,
    )


def test_cancelling_a_confirmed_request_tells_the_chosen_partner_why(
    confirmed, school_counselor, employer
):
    services.school_request_cancel(request=confirmed, by=school_counselor, reason="Exams moved.")

    row = Notification.objects.get(kind="wbl_request_not_chosen")
    assert row.email == employer.email
    assert "cancelled its request" in row.body_text and "Exams moved." in row.body_text
