"""A host's pages: their opportunities (create with sessions, edit, submit, close, cancel),
the FERPA-limited applicants and decisions, attendance, hours, placements and evaluations.
Another organization's things exist and answer 404."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.pathways import OfferingFactory, PathwayFactory, SectorFactory
from tests.factories.students import AdvisingNoteFactory, EnrollmentFactory, StudentProfileFactory
from tests.factories.workbased import (
    ApplicationFactory,
    HoursLogFactory,
    InternshipFactory,
    OpportunityFactory,
    PlacementFactory,
    at,
)
from tests.workbased.conftest import outbox
from workbased.enums import (
    ApplicationStatus,
    HoursStatus,
    OpportunityKind,
    OpportunityStatus,
    PlacementStatus,
)
from workbased.models import Application, Attendance, Evaluation, HoursLog, Opportunity

pytestmark = pytest.mark.django_db

MANAGE = reverse("workbased:manage")
NEW = reverse("workbased:opportunity_new")


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def url(name: str, obj) -> str:
    return reverse(f"workbased:{name}", args=[obj.pk])


def local(days: int, hour: int) -> str:
    """A datetime-local value ``days`` from today."""
    return at(days, hour).strftime("%Y-%m-%dT%H:%M")


def form_data(host, **changes) -> dict:
    data = {
        "kind": OpportunityKind.JOB_SHADOW,
        "title": "Shadow a pharmacist",
        "description": "A morning behind the counter.",
        "host": host.pk,
        "address": "1 Main Street",
        "seats": "4",
        "sessions-TOTAL_FORMS": "2",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "60",
        "sessions-0-starts_at": local(20, 9),
        "sessions-0-ends_at": local(20, 12),
        "sessions-0-note": "Bring your school ID",
        "sessions-1-starts_at": "",
        "sessions-1-ends_at": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def published(org, host):
    return OpportunityFactory(organization=org, host=host, title="Our Career Day", seats=2)


@pytest.fixture
def theirs(other_org):
    """Another partner's opportunity, with an applicant and a placement with hours."""
    opportunity = OpportunityFactory(organization=other_org, title="Their Talk")
    application = ApplicationFactory(opportunity=opportunity, statement="THEIR-APPLICANT")
    placement = PlacementFactory(
        application__opportunity=InternshipFactory(
            organization=other_org, title="Their Internship", sessions=[(at(-30, 9), at(30, 17))]
        )
    )
    return {
        "opportunity": opportunity,
        "application": application,
        "placement": placement,
        "hours": HoursLogFactory(placement=placement, activities="THEIR-HOURS"),
    }


# --- My opportunities --------------------------------------------------------------------------


def test_manage_lists_my_organizations_opportunities_only(client_for, employer, published, theirs):
    ApplicationFactory.create_batch(2, opportunity=published)
    draft = OpportunityFactory(organization=published.organization, status=OpportunityStatus.DRAFT)

    response = client_for(employer).get(MANAGE)

    html = page(response)
    assert [o.pk for o in response.context["page"].object_list] == [draft.pk, published.pk]
    assert "2 applicants" in html and "2 waiting for a decision" in html
    assert "Their Talk" not in html and "Their Internship" not in html


def test_manage_without_an_approved_organization_says_so(client_for, employer):
    html = page(client_for(employer).get(MANAGE))
    assert "Your organization is not an approved partner yet" in html


def test_manage_query_count(query_budget, employer, org, host):
    def grow(n):
        for _ in range(n):
            opportunity = OpportunityFactory(organization=org, host=host, sectors=[SectorFactory()])
            ApplicationFactory(opportunity=opportunity)
            PlacementFactory(
                application__opportunity=InternshipFactory(
                    organization=org, host=host, sessions=[(at(-9, 9), at(9, 17))]
                )
            )

    # session, user, unread count; the count and page of opportunities (applications counted
    # in SQL) with their sectors, pathways and sessions; hours waiting, active placements,
    # evaluations due, matching requests; and the employer's contact, which each of those
    # six selectors looks up (a primary-key lookup each: constant, whatever the data); the
    # calendar feed's key
    query_budget(MANAGE, max_queries=19, grow=grow, user=employer)


def test_i_post_an_opportunity_with_its_sessions(client_for, employer, org, host):
    sector = SectorFactory(name="Health Sciences")
    pathway = PathwayFactory(name="Pharmacy Technician", sector=sector)

    response = client_for(employer).post(
        NEW, form_data(host, sectors=[sector.pk], pathways=[pathway.pk])
    )

    opportunity = Opportunity.objects.get()
    assert response.status_code == 302 and response["Location"] == url(
        "opportunity_detail", opportunity
    )
    assert (opportunity.organization_id, opportunity.status, opportunity.title) == (
        org.pk,
        OpportunityStatus.DRAFT,
        "Shadow a pharmacist",
    )
    assert list(opportunity.pathways.values_list("pk", flat=True)) == [pathway.pk]
    assert [(s.starts_at, s.ends_at, s.note) for s in opportunity.sessions.all()] == [
        (at(20, 9), at(20, 12), "Bring your school ID")
    ]


def test_save_and_submit_sends_it_to_the_cte_office(client_for, employer, org, host, staff):
    response = client_for(employer).post(NEW, form_data(host, then="submit"), follow=True)

    assert "sent to the CTE office" in page(response)
    assert Opportunity.objects.get().status == OpportunityStatus.SUBMITTED
    assert outbox("wbl_opportunity_submitted") == [staff.email]


def test_a_refusal_keeps_everything_typed(client_for, employer, org, host):
    pathway = PathwayFactory(name="Out Of Sector")
    sector = SectorFactory(name="Health Sciences")

    response = client_for(employer).post(
        NEW,
        form_data(host, sectors=[sector.pk], pathways=[pathway.pk], title="Kept title"),
    )

    html = page(response)
    assert "Out Of Sector is not in the sectors chosen." in html
    assert 'value="Kept title"' in html and "A morning behind the counter." in html
    assert f'value="{local(20, 9)}"' in html and 'value="Bring your school ID"' in html
    assert Opportunity.objects.count() == 0


def test_a_session_ending_before_it_starts_is_refused_on_the_sessions(
    client_for, employer, org, host
):
    response = client_for(employer).post(
        NEW, form_data(host, **{"sessions-0-ends_at": local(20, 8)})
    )

    assert "Each session must end after it starts." in page(response)
    assert response.context["session_errors"] == ["Each session must end after it starts."]
    assert Opportunity.objects.count() == 0


def test_a_session_needs_both_its_start_and_end(client_for, employer, org, host):
    response = client_for(employer).post(NEW, form_data(host, **{"sessions-0-ends_at": ""}))

    assert "Give both the start and the end." in page(response)


def test_submitting_without_a_session_says_what_is_missing(client_for, employer, org, host):
    response = client_for(employer).post(
        NEW,
        form_data(host, then="submit", **{"sessions-0-starts_at": "", "sessions-0-ends_at": ""}),
        follow=True,
    )

    assert "Add at least one session" in page(response)
    assert Opportunity.objects.get().status == OpportunityStatus.DRAFT


def test_i_edit_a_draft_and_remove_a_session(client_for, employer, org, host):
    draft = OpportunityFactory(
        organization=org,
        host=host,
        status=OpportunityStatus.DRAFT,
        sessions=[(at(10, 9), at(10, 11)), (at(11, 9), at(11, 11))],
    )
    edit = url("opportunity_edit", draft)
    form = client_for(employer).get(edit).context["sessions"]
    assert [f.initial["starts_at"] for f in form.forms[:2]] == [at(10, 9), at(11, 9)]

    data = form_data(
        host,
        title="Renamed",
        **{
            "sessions-TOTAL_FORMS": "3",
            "sessions-INITIAL_FORMS": "2",
            "sessions-0-starts_at": local(10, 9),
            "sessions-0-ends_at": local(10, 11),
            "sessions-0-note": "",
            "sessions-1-starts_at": local(11, 9),
            "sessions-1-ends_at": local(11, 11),
            "sessions-1-DELETE": "on",
            "sessions-2-starts_at": "",
            "sessions-2-ends_at": "",
        },
    )
    response = client_for(employer).post(edit, data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Renamed"
    assert [s.starts_at for s in draft.sessions.all()] == [at(10, 9)]


def test_a_published_opportunity_cannot_be_edited_by_its_host(client_for, employer, published):
    response = client_for(employer).get(url("opportunity_edit", published), follow=True)

    assert "ask the CTE office to change it" in page(response)


def test_another_organizations_opportunity_is_not_found(client_for, employer, theirs):
    opportunity = theirs["opportunity"]
    client = client_for(employer)
    for name in (
        "opportunity_edit",
        "opportunity_close",
        "opportunity_cancel",
        "applicants",
        "attendance",
    ):
        assert client.get(url(name, opportunity)).status_code == 404, name
    assert client.post(url("opportunity_submit", opportunity)).status_code == 404
    assert client.post(url("opportunity_cancel", opportunity)).status_code == 404
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.PUBLISHED


def test_i_close_then_cancel_with_a_reason(client_for, employer, published):
    ApplicationFactory(
        opportunity=published, student=StudentProfileFactory(user__email="s1@example.org")
    )
    client = client_for(employer)

    client.post(url("opportunity_close", published))
    published.refresh_from_db()
    assert published.status == OpportunityStatus.CLOSED
    response = client.post(
        url("opportunity_cancel", published), {"reason": "Flooded."}, follow=True
    )

    # A closed opportunity is over: cancelling it is refused, with the reason on the form.
    assert "This opportunity is already closed." in page(response)

    other = OpportunityFactory(organization=published.organization)
    ApplicationFactory(
        opportunity=other, student=StudentProfileFactory(user__email="s2@example.org")
    )
    client.post(url("opportunity_cancel", other), {"reason": "Flooded."})
    other.refresh_from_db()
    assert (other.status, other.cancel_reason) == (OpportunityStatus.CANCELLED, "Flooded.")
    assert outbox("wbl_opportunity_cancelled") == ["s2@example.org"]


# --- Applicants (FERPA) ---------------------------------------------------------------------------


@pytest.fixture
def applicant(published, org):
    """Ana, with everything a school record holds that the host must never see."""
    pathway = PathwayFactory(name="Health Careers")
    student = StudentProfileFactory(
        user__full_name="Ana Applicant",
        grade=11,
        district_id="DISTRICT-ID-7731",
        date_of_birth=date(2009, 4, 17),
        gpa=Decimal("3.71"),
        gender="female",
        race_ethnicity="hispanic",
        english_learner=True,
        disability=True,
        guardian_name="GUARDIAN-NAME",
        guardian_email="guardian-secret@example.org",
    )
    EnrollmentFactory(
        student=student,
        offering=OfferingFactory(pathway=pathway, school=student.school),
        status="approved",
    )
    AdvisingNoteFactory(student=student, body="COUNSELOR-SECRET-NOTE")
    return ApplicationFactory(student=student, opportunity=published, statement="I love health.")


def test_applicants_show_exactly_the_ferpa_fields(client_for, employer, published, applicant):
    response = client_for(employer).get(url("applicants", published))

    html = page(response)
    [row] = response.context["applicants"]
    assert row.application_id == applicant.pk
    assert (row.name, row.grade, row.school, row.pathway, row.statement) == (
        "Ana Applicant",
        11,
        applicant.student.school.name,
        "Health Careers",
        "I love health.",
    )
    for shown in (
        "Ana Applicant",
        applicant.student.school.name,
        "Health Careers",
        "I love health.",
    ):
        assert shown in html
    student = applicant.student
    for secret in (
        "DISTRICT-ID-7731",
        "2009",
        "3.71",
        "ispanic",
        "emale",
        "English learner",
        "disabilit",
        "GUARDIAN-NAME",
        "guardian-secret@example.org",
        student.user.email,
        "COUNSELOR-SECRET-NOTE",
        f"/counselor/students/{student.pk}/",
    ):
        assert secret not in html, secret


def test_the_decision_page_shows_the_same_fields_only(client_for, employer, applicant):
    response = client_for(employer).get(url("application_decide", applicant))

    html = page(response)
    assert "application" not in response.context or response.context.get("application") is None
    assert "Ana Applicant" in html and "I love health." in html
    for secret in (
        "DISTRICT-ID-7731",
        "3.71",
        "guardian-secret@example.org",
        applicant.student.user.email,
    ):
        assert secret not in html


def test_another_organization_sees_no_applicants(client_for, other_employer, published, applicant):
    client = client_for(other_employer)
    assert client.get(url("applicants", published)).status_code == 404
    assert client.get(url("application_decide", applicant)).status_code == 404
    assert (
        client.post(url("application_decide", applicant), {"decision": "accept"}).status_code == 404
    )
    applicant.refresh_from_db()
    assert applicant.status == ApplicationStatus.SUBMITTED


def test_accept_then_the_next_is_wait_listed_when_seats_run_out(client_for, employer, published):
    first, second, third = (
        ApplicationFactory(opportunity=published, student=StudentProfileFactory(user__full_name=n))
        for n in ("First", "Second", "Third")
    )
    client = client_for(employer)

    for application in (first, second):
        client.post(url("application_decide", application), {"decision": "accept"})
    response = client.post(url("application_decide", third), {"decision": "accept"}, follow=True)

    assert "Third is number 1 on the wait list and will be told." in page(response)
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "accepted", second.pk: "accepted", third.pk: "waitlisted"}


def test_declining_needs_a_reason_and_keeps_the_choice(client_for, employer, applicant):
    decide = url("application_decide", applicant)
    client = client_for(employer)

    response = client.post(decide, {"decision": "decline", "reason": ""})

    assert "Say why the application is declined" in page(response)
    assert response.context["form"]["decision"].value() == "decline"
    applicant.refresh_from_db()
    assert applicant.status == ApplicationStatus.SUBMITTED

    client.post(decide, {"decision": "decline", "reason": "We chose seniors."})
    applicant.refresh_from_db()
    assert (applicant.status, applicant.decline_reason) == ("declined", "We chose seniors.")


def test_waitlist_button(client_for, employer, applicant):
    client_for(employer).post(url("application_decide", applicant), {"decision": "waitlist"})

    applicant.refresh_from_db()
    assert (applicant.status, applicant.waitlist_position) == ("waitlisted", 1)


@pytest.mark.parametrize("sizes", [(1, 20)])
def test_applicant_list_query_count(query_budget, employer, published, sizes):
    def grow(n):
        for _ in range(n):
            student = StudentProfileFactory()
            EnrollmentFactory(
                student=student, offering=OfferingFactory(school=student.school), status="approved"
            )
            ApplicationFactory(opportunity=published, student=student)

    # session, user, opportunity (organization, host), the contact (for the permission, then
    # for the visibility rule), the count, the page of applicants (name, grade, school,
    # pathway in one query), unread count
    query_budget(url("applicants", published), max_queries=8, grow=grow, user=employer, sizes=sizes)


# --- Attendance --------------------------------------------------------------------------------


def test_i_record_who_attended_a_past_session(client_for, employer, org, host):
    event = OpportunityFactory(organization=org, host=host, sessions=[(at(-1, 9), at(-1, 11))])
    came, absent = (
        ApplicationFactory(
            opportunity=event,
            status=ApplicationStatus.ACCEPTED,
            student=StudentProfileFactory(user__full_name=n),
        ).student
        for n in ("Came Student", "Absent Student")
    )
    ApplicationFactory(
        opportunity=event, student=StudentProfileFactory(user__full_name="Not Accepted")
    )
    attendance = url("attendance", event)

    html = page(client_for(employer).get(attendance))
    assert "Came Student" in html and "Absent Student" in html and "Not Accepted" not in html
    response = client_for(employer).post(attendance, {"present": [came.pk]})

    assert response.status_code == 302
    assert list(Attendance.objects.values_list("student_id", flat=True)) == [came.pk]
    assert absent.pk not in Attendance.objects.values_list("student_id", flat=True)


def test_attendance_before_the_session_is_refused(client_for, employer, published):
    student = ApplicationFactory(opportunity=published, status=ApplicationStatus.ACCEPTED).student

    response = client_for(employer).post(url("attendance", published), {"present": [student.pk]})

    assert "Record attendance once the session has started." in page(response)
    assert Attendance.objects.count() == 0


def test_attendance_for_a_placement_says_hours_are_logged_instead(client_for, employer, org, host):
    internship = InternshipFactory(organization=org, host=host)
    assert "placements log hours instead" in page(
        client_for(employer).get(url("attendance", internship))
    )


# --- Placements, hours, evaluations -----------------------------------------------------------


@pytest.fixture
def placement(org, host):
    return PlacementFactory(
        application__student=StudentProfileFactory(user__full_name="Ian Intern"),
        application__opportunity=InternshipFactory(
            organization=org, host=host, title="Lab internship", sessions=[(at(-30, 9), at(30, 17))]
        ),
        supervisor=host,
    )


def test_hours_to_approve_lists_mine_and_not_theirs(client_for, employer, placement, theirs):
    log = HoursLogFactory(placement=placement, activities="Cleaned the lab.")

    response = client_for(employer).get(reverse("workbased:hours_to_approve"))

    html = page(response)
    assert [h.pk for h in response.context["page"].object_list] == [log.pk]
    assert "Cleaned the lab." in html and "THEIR-HOURS" not in html


def test_i_approve_hours(client_for, employer, placement):
    log = HoursLogFactory(placement=placement)

    response = client_for(employer).post(url("hours_decide", log), {"decision": "approve"})

    assert response["Location"] == reverse("workbased:hours_to_approve")
    log.refresh_from_db()
    assert (log.status, log.reviewed_by_id, log.reviewed_via) == ("approved", employer.pk, "portal")


def test_rejecting_hours_needs_a_note(client_for, employer, placement):
    log = HoursLogFactory(placement=placement)
    client = client_for(employer)

    response = client.post(url("hours_decide", log), {"decision": "reject", "note": ""})
    assert "Say why these hours are rejected" in page(response)
    log.refresh_from_db()
    assert log.status == HoursStatus.PENDING

    client.post(url("hours_decide", log), {"decision": "reject", "note": "Not your shift."})
    log.refresh_from_db()
    assert (log.status, log.review_note) == ("rejected", "Not your shift.")


def test_another_organizations_hours_and_placements_are_not_found(client_for, employer, theirs):
    client = client_for(employer)
    assert client.get(url("hours_decide", theirs["hours"])).status_code == 404
    assert (
        client.post(url("hours_decide", theirs["hours"]), {"decision": "approve"}).status_code
        == 404
    )
    assert client.get(url("placement_manage", theirs["placement"])).status_code == 404
    assert client.get(url("evaluation", theirs["placement"])).status_code == 404
    assert HoursLog.objects.get(pk=theirs["hours"].pk).status == HoursStatus.PENDING


def test_hours_to_approve_query_count(query_budget, employer, placement):
    def grow(n):
        for i in range(n):
            HoursLogFactory(placement=placement, date=timezone.localdate() - timedelta(days=i + 1))

    # session, user, the contact, the count, the page (placement, student, opportunity joined),
    # unread count
    query_budget(reverse("workbased:hours_to_approve"), max_queries=6, grow=grow, user=employer)


def test_i_change_the_placements_dates_and_a_bad_change_keeps_the_input(
    client_for, employer, placement
):
    edit = url("placement_manage", placement)
    start = placement.starts_on

    response = client_for(employer).post(
        edit,
        {
            "supervisor": placement.supervisor_id,
            "starts_on": start.isoformat(),
            "ends_on": (start - timedelta(days=1)).isoformat(),
            "target_hours": "60",
        },
    )
    assert response.context["form"].errors == {
        "ends_on": ["The last day must not be before the first."]
    }
    assert 'value="60"' in page(response)

    client_for(employer).post(
        edit,
        {
            "supervisor": placement.supervisor_id,
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=90)).isoformat(),
            "target_hours": "60",
        },
    )
    placement.refresh_from_db()
    assert (placement.ends_on, placement.target_hours) == (
        start + timedelta(days=90),
        Decimal("60"),
    )


def test_i_evaluate_at_the_end_of_the_placement(client_for, employer, placement):
    placement.ends_on = timezone.localdate()
    placement.save()
    evaluate = url("evaluation", placement)
    ratings = {
        "communication": "4",
        "teamwork": "3",
        "problem_solving": "2",
        "professionalism": "4",
    }

    response = client_for(employer).post(evaluate, {**ratings, "comments": "Curious."})
    assert response.context["form"].errors == {
        "technical_skill": ["Rate technical skill from 1 to 4."]
    }
    assert "Curious." in page(response)

    client_for(employer).post(evaluate, {**ratings, "technical_skill": "3", "comments": "Curious."})
    evaluation = Evaluation.objects.get()
    assert (evaluation.placement_id, evaluation.communication, evaluation.technical_skill) == (
        placement.pk,
        4,
        3,
    )
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.COMPLETED
    assert "This placement is evaluated" in page(client_for(employer).get(evaluate))


def test_an_evaluation_before_the_last_day_is_refused(client_for, employer, placement):
    ratings = dict.fromkeys(
        ("communication", "teamwork", "problem_solving", "professionalism", "technical_skill"), "3"
    )

    html = page(client_for(employer).post(url("evaluation", placement), ratings))

    assert "The evaluation is given at the end of the placement" in html
    assert Evaluation.objects.count() == 0


def test_the_manage_page_lists_placements_and_evaluations_due(
    client_for, employer, placement, org, host
):
    ended = PlacementFactory(
        application__student=StudentProfileFactory(user__full_name="Ended Intern"),
        application__opportunity=InternshipFactory(organization=org, host=host, sessions=[]),
        supervisor=host,
        ends_on=timezone.localdate() - timedelta(days=1),
    )

    html = page(client_for(employer).get(MANAGE))

    assert "Ian Intern" in html and url("placement_manage", placement) in html
    assert url("evaluation", ended) in html and "Evaluate Ended Intern" in html
