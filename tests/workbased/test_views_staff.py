"""CTE staff's and counselors' pages: the approval queue, placements, the students' work-based
learning (a counselor sees their schools' students only), and school requests from the ask to
the opportunity it becomes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.enums import BackgroundCheck, OfferKind
from tests.factories.partners import OfferFactory
from tests.factories.pathways import SchoolFactory
from tests.factories.students import CounselorProfileFactory, StudentProfileFactory
from tests.factories.workbased import (
    ApplicationFactory,
    InternshipFactory,
    OpportunityFactory,
    PlacementFactory,
    SchoolRequestFactory,
    at,
    pathway_at,
)
from tests.workbased.conftest import outbox
from workbased import services
from workbased.enums import OpportunityStatus, SchoolRequestStatus, VolunteerStatus
from workbased.models import Opportunity, Reflection, SchoolRequest, Volunteer

pytestmark = pytest.mark.django_db

REVIEW = reverse("workbased:review")
STUDENTS = reverse("workbased:students")
REQUESTS = reverse("workbased:request_list")
NEW_REQUEST = reverse("workbased:request_new")


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def url(name: str, obj) -> str:
    return reverse(f"workbased:{name}", args=[obj.pk])


# --- The approval queue -------------------------------------------------------------------------


@pytest.fixture
def waiting(org, host):
    host.background_check = BackgroundCheck.CLEARED
    host.save()
    return OpportunityFactory(
        organization=org, host=host, title="Waiting Talk", status=OpportunityStatus.SUBMITTED
    )


def test_the_queue_lists_what_waits_oldest_first(client_for, staff, org, waiting):
    older = OpportunityFactory(
        organization=org,
        status=OpportunityStatus.SUBMITTED,
        submitted_at=timezone.now() - timedelta(days=3),
    )
    OpportunityFactory(organization=org, title="Already Published")

    response = client_for(staff).get(REVIEW)

    assert [o.pk for o in response.context["page"].object_list] == [older.pk, waiting.pk]
    assert "Already Published" not in page(response)


def test_staff_publish(client_for, staff, waiting, employer):
    response = client_for(staff).post(url("review_decide", waiting), {"decision": "publish"})

    assert response["Location"] == REVIEW
    waiting.refresh_from_db()
    assert (waiting.status, waiting.decided_by_id) == (OpportunityStatus.PUBLISHED, staff.pk)
    assert outbox("wbl_opportunity_decided") == [employer.email]


def test_returning_needs_a_reason_the_host_reads(client_for, staff, waiting, employer):
    decide = url("review_decide", waiting)

    response = client_for(staff).post(decide, {"decision": "return", "reason": ""})
    assert "Say what to change" in page(response)
    assert response.context["form"]["decision"].value() == "return"
    waiting.refresh_from_db()
    assert waiting.status == OpportunityStatus.SUBMITTED

    client_for(staff).post(decide, {"decision": "return", "reason": "Add the address."})
    waiting.refresh_from_db()
    assert (waiting.status, waiting.return_reason) == ("returned", "Add the address.")
    detail = page(client_for(employer).get(url("opportunity_detail", waiting)))
    assert "Add the address." in detail


def test_publishing_without_a_cleared_background_check_says_why(client_for, staff, waiting):
    waiting.needs_background_check = True
    waiting.save()
    waiting.host.background_check = BackgroundCheck.IN_PROGRESS
    waiting.host.save()

    html = page(client_for(staff).post(url("review_decide", waiting), {"decision": "publish"}))

    assert "background check is not cleared" in html
    waiting.refresh_from_db()
    assert waiting.status == OpportunityStatus.SUBMITTED


def test_review_queue_query_count(query_budget, staff, org):
    def grow(n):
        for _ in range(n):
            OpportunityFactory(organization=org, status=OpportunityStatus.SUBMITTED)

    # session, user, the count, the page (organization, host), its sectors, pathways and
    # sessions, unread count, the calendar feed's key
    query_budget(REVIEW, max_queries=9, grow=grow, user=staff)


def test_the_placements_overview_lists_every_placement(client_for, staff, org, other_org):
    mine = PlacementFactory(application__opportunity=InternshipFactory(organization=org))
    theirs = PlacementFactory(application__opportunity=InternshipFactory(organization=other_org))

    response = client_for(staff).get(reverse("workbased:placements_overview"))

    assert sorted(p.pk for p in response.context["page"].object_list) == sorted(
        [mine.pk, theirs.pk]
    )


def test_placements_overview_query_count(query_budget, staff, org):
    def grow(n):
        for _ in range(n):
            PlacementFactory(application__opportunity=InternshipFactory(organization=org))

    # session, user, the count, the page (student, school, opportunity, supervisor joined;
    # hours summed in SQL), unread count
    query_budget(reverse("workbased:placements_overview"), max_queries=5, grow=grow, user=staff)


# --- The students' work-based learning (counselors read only) -----------------------------------


def test_a_counselor_sees_their_schools_students_only(client_for, counselor, org):
    school = SchoolFactory()
    CounselorProfileFactory(user=counselor, schools=[school])
    mine = ApplicationFactory(
        student=StudentProfileFactory(school=school, user__full_name="My Student"),
        opportunity=OpportunityFactory(organization=org, title="Their Opportunity"),
    )
    ApplicationFactory(student=StudentProfileFactory(user__full_name="Elsewhere Student"))
    placement = PlacementFactory(application__student=mine.student)
    Reflection.objects.create(
        student=mine.student, placement=placement, what_i_did="MY-DID", what_i_learned="MY-LEARNED"
    )
    Reflection.objects.create(
        student=StudentProfileFactory(),
        placement=PlacementFactory(),
        what_i_did="OTHER-DID",
        what_i_learned="x",
    )

    applications = client_for(counselor).get(STUDENTS)
    reflections = client_for(counselor).get(STUDENTS + "?show=reflections")

    assert [a.pk for a in applications.context["page"].object_list] == [
        placement.application_id,
        mine.pk,
    ]
    assert "Elsewhere Student" not in page(applications)
    # Read-only for counselors: no action on the application from this page.
    assert reverse("workbased:application_withdraw", args=[mine.pk]) not in page(applications)
    html = page(reflections)
    assert "MY-DID" in html and "MY-LEARNED" in html and "OTHER-DID" not in html


def test_staff_may_withdraw_from_the_students_page(client_for, staff, org):
    application = ApplicationFactory(opportunity=OpportunityFactory(organization=org))

    html = page(client_for(staff).get(STUDENTS))

    assert reverse("workbased:application_withdraw", args=[application.pk]) in html


def test_students_page_query_count(query_budget, counselor, org):
    school = SchoolFactory()
    CounselorProfileFactory(user=counselor, schools=[school])

    def grow(n):
        for _ in range(n):
            ApplicationFactory(
                student=StudentProfileFactory(school=school),
                opportunity=OpportunityFactory(organization=org),
            )

    # session, user, the count, the page (student, school, opportunity joined), unread count,
    # the calendar feed's key
    query_budget(STUDENTS, max_queries=6, grow=grow, user=counselor)


# --- School requests ----------------------------------------------------------------------------


@pytest.fixture
def school(counselor):
    school = SchoolFactory(name="Harbor View High School", address="1 School Lane")
    CounselorProfileFactory(user=counselor, schools=[school])
    return school


@pytest.fixture
def pathway(school):
    return pathway_at(school, name="Nursing")


def ask(**changes) -> dict:
    data = {
        "kind": "speaker",
        "topic": "A day in the life of a nurse",
        "earliest_date": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "latest_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "audience_size": "28",
        "grade": "10",
    }
    data.update(changes)
    return data


def test_a_counselor_asks_and_the_matching_partners_are_told(
    client_for, counselor, school, pathway, org, employer, other_org, other_employer
):
    OfferFactory(organization=org, sector=pathway.sector, kind=OfferKind.SPEAKER)
    OfferFactory(organization=other_org, sector=pathway.sector, kind=OfferKind.INTERNSHIP)

    form = client_for(counselor).get(NEW_REQUEST).context["form"]
    assert list(form.fields["school"].queryset) == [school]
    assert list(form.fields["pathway"].queryset) == [pathway]
    response = client_for(counselor).post(
        NEW_REQUEST, ask(school=school.pk, pathway=pathway.pk), follow=True
    )

    request = SchoolRequest.objects.get()
    assert (request.school_id, request.requested_by_id, request.partners_notified) == (
        school.pk,
        counselor.pk,
        1,
    )
    assert "sent to 1 matching partners" in page(response)
    assert outbox("wbl_school_request") == [employer.email]


def test_a_counselor_cannot_ask_for_another_school(client_for, counselor, school):
    elsewhere = SchoolFactory()
    other = pathway_at(elsewhere)

    response = client_for(counselor).post(NEW_REQUEST, ask(school=elsewhere.pk, pathway=other.pk))

    assert "Select a valid choice" in page(response)
    assert SchoolRequest.objects.count() == 0


def test_a_request_refusal_keeps_the_input(client_for, counselor, school, pathway):
    response = client_for(counselor).post(
        NEW_REQUEST,
        ask(
            school=school.pk,
            pathway=pathway.pk,
            earliest_date=(timezone.localdate() - timedelta(days=1)).isoformat(),
            topic="Kept topic",
        ),
    )

    assert response.context["form"].errors == {
        "earliest_date": ["The first date must not be in the past."]
    }
    assert 'value="Kept topic"' in page(response)


@pytest.fixture
def request_open(school, pathway, counselor, org):
    OfferFactory(organization=org, sector=pathway.sector, kind=OfferKind.SPEAKER)
    return SchoolRequestFactory(school=school, pathway=pathway, requested_by=counselor)


def test_the_matching_partner_sees_and_volunteers(client_for, employer, request_open, counselor):
    assert [r.pk for r in client_for(employer).get(REQUESTS).context["page"].object_list] == [
        request_open.pk
    ]
    start = at(15, 10).strftime("%Y-%m-%dT%H:%M")
    end = at(15, 11).strftime("%Y-%m-%dT%H:%M")

    response = client_for(employer).post(
        url("request_volunteer", request_open),
        {"message": "Our nurse can come.", "proposed_starts_at": start, "proposed_ends_at": end},
    )

    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert (volunteer.request_id, volunteer.message) == (request_open.pk, "Our nurse can come.")
    assert outbox("wbl_request_volunteered") == [counselor.email]
    html = page(client_for(employer).get(url("school_request", request_open)))
    assert "Your organization offered to help" in html and "Volunteer</button>" not in html


def test_a_volunteer_date_outside_the_request_keeps_the_input(client_for, employer, request_open):
    start = at(90, 10).strftime("%Y-%m-%dT%H:%M")

    response = client_for(employer).post(
        url("request_volunteer", request_open),
        {"message": "Kept message", "proposed_starts_at": start},
    )

    html = page(response)
    assert "The school asked for a date from" in html and "Kept message" in html
    assert Volunteer.objects.count() == 0


def test_a_partner_whose_offers_do_not_match_does_not_see_the_request(
    client_for, other_employer, other_org, request_open
):
    client = client_for(other_employer)
    assert list(client.get(REQUESTS).context["page"].object_list) == []
    assert client.get(url("school_request", request_open)).status_code == 404
    assert client.post(url("request_volunteer", request_open)).status_code == 404


def test_confirm_a_volunteer_then_the_request_becomes_an_opportunity(
    client_for, counselor, employer, request_open, profile, school, staff
):
    profile.school = school
    profile.save()
    volunteer = Volunteer.objects.create(
        request=request_open,
        organization=employer.partner_contact.organization,
        contact=employer.partner_contact,
        proposed_starts_at=at(15, 10),
        proposed_ends_at=at(15, 11),
    )
    request_open.status = SchoolRequestStatus.MATCHED
    request_open.save()
    client = client_for(counselor)

    html = page(client.get(url("school_request", request_open)))
    assert employer.partner_contact.organization.name in html
    client.post(url("request_confirm", request_open), {"volunteer": volunteer.pk})
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.CHOSEN
    assert outbox("wbl_request_confirmed") == [employer.email]

    response = client.post(url("request_opportunity", request_open), {})

    opportunity = Opportunity.objects.get()
    # It waits for staff's approval, so the counselor is taken back to the request.
    assert response["Location"] == url("school_request", request_open)
    assert (opportunity.status, opportunity.school_id, opportunity.address) == (
        OpportunityStatus.SUBMITTED,
        school.pk,
        "1 School Lane",
    )
    assert [s.starts_at for s in opportunity.sessions.all()] == [at(15, 10)]
    html = page(client.get(url("school_request", request_open)))
    assert "waiting for the CTE office" in html
    assert url("opportunity_detail", opportunity) not in html
    student = client_for(profile.user)
    assert student.get(url("opportunity_detail", opportunity)).status_code == 404

    services.opportunity_publish(opportunity=opportunity, by=staff)

    # The school's students see it on the board once it is published.
    assert student.get(url("opportunity_detail", opportunity)).status_code == 200
    assert url("opportunity_detail", opportunity) in page(
        client.get(url("school_request", request_open))
    )


def test_staff_creating_the_opportunity_publish_it(client_for, staff, employer, request_open):
    volunteer = Volunteer.objects.create(
        request=request_open,
        organization=employer.partner_contact.organization,
        contact=employer.partner_contact,
        proposed_starts_at=at(15, 10),
        proposed_ends_at=at(15, 11),
        status=VolunteerStatus.CHOSEN,
    )
    request_open.status = SchoolRequestStatus.CONFIRMED
    request_open.save()

    response = client_for(staff).post(url("request_opportunity", request_open), {})

    opportunity = Opportunity.objects.get(host=volunteer.contact)
    assert response["Location"] == url("opportunity_detail", opportunity)
    assert opportunity.status == OpportunityStatus.PUBLISHED


def test_confirming_without_choosing_says_so(client_for, counselor, request_open):
    Volunteer.objects.create(request=request_open, organization=OfferFactory().organization)
    request_open.status = SchoolRequestStatus.MATCHED
    request_open.save()

    response = client_for(counselor).post(url("request_confirm", request_open), {})

    assert response.context["confirm_form"].errors == {"volunteer": ["This field is required."]}


def test_creating_the_opportunity_before_confirming_is_refused(client_for, counselor, request_open):
    html = page(client_for(counselor).post(url("request_opportunity", request_open), {}))

    assert "Confirm a partner before creating the opportunity." in html
    assert Opportunity.objects.count() == 0


def test_a_counselor_cancels_a_request(client_for, counselor, request_open):
    response = client_for(counselor).post(url("request_cancel", request_open), {"reason": "Exams."})

    assert response["Location"] == REQUESTS
    request_open.refresh_from_db()
    assert (request_open.status, request_open.cancel_reason) == ("cancelled", "Exams.")


def test_another_schools_counselor_does_not_see_the_request(
    client_for, other_counselor, request_open
):
    CounselorProfileFactory(user=other_counselor, schools=[SchoolFactory()])
    client = client_for(other_counselor)

    assert list(client.get(REQUESTS).context["page"].object_list) == []
    assert client.get(url("school_request", request_open)).status_code == 404
    assert client.post(url("request_cancel", request_open)).status_code == 404
    request_open.refresh_from_db()
    assert request_open.status == SchoolRequestStatus.OPEN


def test_request_list_query_count(query_budget, staff, counselor, school, pathway):
    def grow(n):
        for _ in range(n):
            SchoolRequestFactory(school=school, pathway=pathway)

    # session, user, the count, the page (school, pathway, sector, asker, opportunity joined,
    # volunteers counted in SQL), unread count
    query_budget(REQUESTS, max_queries=5, grow=grow, user=staff)
