"""/api/v1/applications/: each role's list and detail (with a second student's and a second
partner's applications present), the exact fields a partner reads (FERPA), applying, the
host's decisions, a full opportunity, withdrawing, and the applicant list's query count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories.pathways import OfferingFactory, PathwayFactory
from tests.factories.students import (
    CounselorProfileFactory,
    EnrollmentFactory,
    StudentProfileFactory,
)
from tests.factories.workbased import ApplicationFactory, OpportunityFactory
from tests.workbased.api import errors, ids, post
from tests.workbased.conftest import outbox
from workbased import notifications as kinds
from workbased.enums import ApplicationStatus
from workbased.models import Application, Opportunity
from workbased.selectors import APPLICANT_FIELDS

pytestmark = pytest.mark.django_db

APPLICATIONS = reverse("api:application-list")


def url(application, step: str = "") -> str:
    if step:
        return reverse(f"api:application-{step}", args=[application.pk])
    return reverse("api:application-detail", args=[application.pk])


@pytest.fixture
def ben(other_student, profile):
    """Ben, another student at Ana's school."""
    return StudentProfileFactory(user=other_student, school=profile.school, grade=11)


@pytest.fixture
def talk(org, host):
    return OpportunityFactory(organization=org, host=host, title="Nursing talk")


@pytest.fixture
def theirs(other_org):
    return OpportunityFactory(organization=other_org, host=other_org.contacts.get())


@pytest.fixture
def apps(profile, ben, talk, theirs):
    """Ana and Ben applied to the employer's talk; Ana also to the other partner's."""
    return {
        "ana": ApplicationFactory(student=profile, opportunity=talk, statement="I love it."),
        "ben": ApplicationFactory(student=ben, opportunity=talk),
        "ana_elsewhere": ApplicationFactory(student=profile, opportunity=theirs),
    }


def pks(apps, *names) -> list[int]:
    return sorted(apps[name].pk for name in names)


# --- Who sees what ------------------------------------------------------------------------------


def test_a_student_sees_only_their_own(client_for, apps, student, other_student):
    assert ids(client_for(student).get(APPLICATIONS)) == pks(apps, "ana", "ana_elsewhere")
    assert ids(client_for(other_student).get(APPLICATIONS)) == pks(apps, "ben")
    assert client_for(other_student).get(url(apps["ana"])).status_code == 404
    mine = client_for(student).get(url(apps["ana"])).json()
    assert (mine["statement"], mine["opportunity"]["title"]) == ("I love it.", "Nursing talk")


def test_a_partner_sees_its_applicants_with_exactly_the_ferpa_fields(
    client_for, apps, profile, employer
):
    nursing = PathwayFactory(name="Nursing")
    EnrollmentFactory(
        student=profile,
        offering=OfferingFactory(pathway=nursing, school=profile.school),
        status="approved",
    )
    profile.gpa = "3.90"
    profile.save()

    response = client_for(employer).get(APPLICATIONS)

    assert ids(response, key="application_id") == pks(apps, "ana", "ben")
    rows = response.json()["results"]
    assert {tuple(row) for row in rows} == {APPLICANT_FIELDS}
    ana = next(row for row in rows if row["application_id"] == apps["ana"].pk)
    assert {k: ana[k] for k in ("name", "grade", "school", "pathway", "statement")} == {
        "name": "Ana Student",
        "grade": 10,
        "school": profile.school.name,
        "pathway": "Nursing",
        "statement": "I love it.",
    }
    body = response.content.decode()
    for secret in (
        "3.90",
        profile.district_id,
        "gloria.guardian",
        "hispanic",
        "female",
        str(profile.date_of_birth),
    ):
        assert secret.lower() not in body.lower()


def test_a_partners_detail_is_the_applicant_view_and_others_are_404(
    client_for, apps, employer, other_employer
):
    data = client_for(employer).get(url(apps["ana"])).json()
    assert tuple(data) == APPLICANT_FIELDS and data["application_id"] == apps["ana"].pk
    assert client_for(employer).get(url(apps["ana_elsewhere"])).status_code == 404
    assert client_for(other_employer).get(url(apps["ana"])).status_code == 404
    assert ids(client_for(other_employer).get(APPLICATIONS), "application_id") == pks(
        apps, "ana_elsewhere"
    )


def test_a_counselor_reads_their_caseloads_and_cannot_decide(
    client_for, apps, profile, counselor, other_counselor
):
    CounselorProfileFactory(user=counselor, schools=[profile.school])
    assert ids(client_for(counselor).get(APPLICATIONS)) == pks(apps, *apps)
    assert ids(client_for(other_counselor).get(APPLICATIONS)) == []
    assert client_for(other_counselor).get(url(apps["ana"])).status_code == 404
    assert post(client_for(counselor), url(apps["ana"], "accept")).status_code == 403
    assert Application.objects.get(pk=apps["ana"].pk).status == ApplicationStatus.SUBMITTED


def test_staff_see_every_application_whole(client_for, apps, staff):
    response = client_for(staff).get(APPLICATIONS)
    assert ids(response) == pks(apps, *apps)
    assert response.json()["results"][0]["student"]["name"]


def test_filters_by_opportunity_and_status(client_for, apps, talk, staff):
    assert ids(client_for(staff).get(f"{APPLICATIONS}?opportunity={talk.pk}")) == pks(
        apps, "ana", "ben"
    )
    assert ids(client_for(staff).get(f"{APPLICATIONS}?status=accepted")) == []


def test_anonymous_is_401(client_for, apps):
    assert client_for().get(APPLICATIONS).status_code == 401


# --- Applying -----------------------------------------------------------------------------------


def test_a_student_applies(client_for, talk, profile, student, employer):
    response = post(
        client_for(student), APPLICATIONS, {"opportunity": talk.pk, "statement": "Teach me."}
    )

    assert response.status_code == 201, response.content
    application = Application.objects.get()
    assert (response.json()["id"], application.student, application.statement) == (
        application.pk,
        profile,
        "Teach me.",
    )
    assert outbox(kinds.APPLICATION_RECEIVED.key) == [employer.email]


@pytest.mark.parametrize(
    ("setup", "body", "field", "words"),
    [
        (lambda o: setattr(o, "min_grade", 12), {"statement": "Hi"}, "detail", "grade 12"),
        (lambda o: None, {"statement": "  "}, "statement", "why you are applying"),
        (lambda o: setattr(o, "status", "draft"), {"statement": "Hi"}, "opportunity", "Invalid"),
    ],
)
def test_a_refused_application_says_why_and_writes_nothing(
    client_for, talk, profile, student, setup, body, field, words
):
    setup(talk)
    talk.save()

    refused = errors(post(client_for(student), APPLICATIONS, {"opportunity": talk.pk, **body}))

    reason = refused["detail"] if field == "detail" else str(refused["errors"][field])
    assert words in reason
    assert Application.objects.count() == 0


def test_applying_twice_is_refused(client_for, apps, talk, student):
    refused = errors(
        post(client_for(student), APPLICATIONS, {"opportunity": talk.pk, "statement": "x"})
    )
    assert refused["detail"] == "You have already applied to this opportunity."
    assert Application.objects.filter(opportunity=talk).count() == 2


def test_a_student_without_a_record_gets_409(client_for, talk, student):
    response = post(client_for(student), APPLICATIONS, {"opportunity": talk.pk, "statement": "x"})
    assert response.status_code == 409
    assert Application.objects.count() == 0


@pytest.mark.parametrize("role", ["counselor", "staff", "employer"])
def test_only_students_apply(client_for, talk, role, request):
    user = request.getfixturevalue(role)
    assert post(client_for(user), APPLICATIONS, {"opportunity": talk.pk}).status_code == 403


# --- Deciding -----------------------------------------------------------------------------------


def test_the_host_accepts_waitlists_and_declines(client_for, apps, employer, student):
    client = client_for(employer)

    accepted = post(client, url(apps["ana"], "accept"))
    assert accepted.status_code == 200
    assert tuple(accepted.json()) == APPLICANT_FIELDS  # the answer is the FERPA view too
    assert accepted.json()["status"] == "accepted"
    assert outbox(kinds.APPLICATION_DECIDED.key) == [student.email]

    assert post(client, url(apps["ben"], "waitlist")).json()["waitlist_position"] == 1
    refused = errors(post(client, url(apps["ben"], "decline")))
    assert refused["errors"] == {
        "reason": ["Say why the application is declined: the student will read it."]
    }
    declined = post(client, url(apps["ben"], "decline"), {"reason": "We filled the room."})
    assert declined.json()["status"] == "declined"
    assert Application.objects.get(pk=apps["ben"].pk).decline_reason == "We filled the room."

    again = post(client, url(apps["ana"], "accept"))
    assert again.status_code == 409 and "already decided" in again.json()["detail"]


def test_another_partner_cannot_decide(client_for, apps, other_employer):
    assert post(client_for(other_employer), url(apps["ana"], "accept")).status_code == 404
    assert Application.objects.get(pk=apps["ana"].pk).status == ApplicationStatus.SUBMITTED


def test_a_student_cannot_decide_their_own(client_for, apps, student):
    assert post(client_for(student), url(apps["ana"], "accept")).status_code == 403


def test_staff_decide_and_read_the_whole_application(client_for, apps, staff):
    accepted = post(client_for(staff), url(apps["ana"], "accept")).json()
    assert (accepted["id"], accepted["status"]) == (apps["ana"].pk, "accepted")


def test_a_full_opportunity_wait_lists_then_refuses_with_409(client_for, apps, talk, employer):
    Opportunity.objects.filter(pk=talk.pk).update(seats=1)
    client = client_for(employer)

    assert post(client, url(apps["ana"], "accept")).json()["status"] == "accepted"
    second = post(client, url(apps["ben"], "accept")).json()
    assert (second["status"], second["waitlist_position"]) == ("waitlisted", 1)

    full = post(client, url(apps["ben"], "accept"))
    assert full.status_code == 409
    assert full.json() == {"detail": "Every seat is taken; the student stays wait-listed."}
    talk.refresh_from_db()
    assert talk.seats_filled == 1


# --- Withdrawing --------------------------------------------------------------------------------


def test_a_student_withdraws_their_own_only(client_for, apps, student, other_student, employer):
    assert post(client_for(other_student), url(apps["ana"], "withdraw")).status_code == 404
    assert post(client_for(employer), url(apps["ana"], "withdraw")).status_code == 403

    withdrawn = post(client_for(student), url(apps["ana"], "withdraw"))
    assert withdrawn.json()["status"] == "withdrawn"
    assert post(client_for(student), url(apps["ana"], "withdraw")).status_code == 409
    # The host no longer sees a withdrawn application.
    assert ids(client_for(employer).get(APPLICATIONS), "application_id") == pks(apps, "ben")


def test_a_freed_seat_goes_to_the_first_on_the_wait_list(client_for, apps, talk, employer, student):
    Opportunity.objects.filter(pk=talk.pk).update(seats=1)
    post(client_for(employer), url(apps["ana"], "accept"))
    post(client_for(employer), url(apps["ben"], "accept"))

    post(client_for(student), url(apps["ana"], "withdraw"))

    assert Application.objects.get(pk=apps["ben"].pk).status == ApplicationStatus.ACCEPTED


# --- Query count --------------------------------------------------------------------------------


def test_the_applicant_list_costs_the_same_queries_for_1_or_20(query_budget, talk, employer):
    def grow(n: int) -> None:
        for _ in range(n):
            ApplicationFactory(opportunity=talk)

    # session, user, the partner's contact, count, rows (name, grade, school, pathway in SQL)
    query_budget(APPLICATIONS, max_queries=5, grow=grow, user=employer)


def test_a_students_list_costs_the_same_queries_for_1_or_20(query_budget, profile, student, org):
    def grow(n: int) -> None:
        for _ in range(n):
            ApplicationFactory(student=profile, opportunity=OpportunityFactory(organization=org))

    # session, user, count, rows (opportunity, organization, student, school, placement joined)
    query_budget(APPLICATIONS, max_queries=4, grow=grow, user=student)
