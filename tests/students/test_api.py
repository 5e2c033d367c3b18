"""The students API, for every role, with a second student's data that exists and must never
appear (fixtures in tests/students/conftest.py)."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cte_portal.notifications.models import Notification
from students import services
from students.models import AccessLog, Enrollment
from tests.factories.pathways import OfferingFactory
from tests.factories.students import (
    AdvisingNoteFactory,
    CourseRecordFactory,
    CredentialAwardFactory,
    EnrollmentFactory,
    StudentProfileFactory,
)

pytestmark = pytest.mark.django_db

ME = reverse("api:me")
STUDENTS = reverse("api:student-list")
ENROLLMENTS = reverse("api:enrollment-list")
RECORDS = reverse("api:course-record-list")
AWARDS = reverse("api:credential-award-list")


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- /api/v1/me/ ------------------------------------------------------------------------------


def test_me_gives_a_student_their_record_in_short(client_for, approved, counselor):
    mine = approved.student
    AdvisingNoteFactory(student=mine, author=counselor, body="MY-SECRET-NOTE")

    data = client_for(mine.user).get(ME).json()

    assert data["email"] == "student@example.org" and data["role"] == "student"
    assert data["counselor"] is None
    summary = data["student"]
    assert summary["school"] == {"slug": mine.school.slug, "name": "Harbor Test High School"}
    assert (summary["grade"], summary["cohort"]) == (9, 2030)
    assert summary["pathway"] == {
        "id": approved.offering.pathway_id,
        "slug": approved.offering.pathway.slug,
        "name": "Cyber Defense",
    }
    assert summary["enrollment_status"] == "approved"
    assert summary["cte_status"] == "participant"
    assert summary["progress"] == {
        "courses_completed": 1,
        "is_concentrator": False,
        "pathway_courses_done": 1,
        "pathway_courses_total": 3,
        "completer_done": 0,
        "completer_total": 2,
        "percent": 33,
    }
    assert summary["pending_request"] is None


def test_me_never_carries_demographics_ids_or_notes(client_for, mine, counselor, theirs):
    AdvisingNoteFactory(student=mine, author=counselor, body="MY-SECRET-NOTE")

    body = client_for(mine.user).get(ME).content.decode()

    for leak in (
        "MY-SECRET-NOTE",
        "THEIR-SECRET-NOTE",
        "hispanic",
        "gender",
        "gpa",
        "MINE0001",
        "guardian",
        "english_learner",
    ):
        assert leak not in body


def test_me_shows_a_pending_request_with_its_place(client_for, mine, offering, counselor):
    offering.seats = 0
    offering.save()
    services.enrollment_approve(
        enrollment=services.enrollment_request(student=mine, offering=offering), by=counselor
    )

    summary = client_for(mine.user).get(ME).json()["student"]

    assert summary["pathway"] is None and summary["enrollment_status"] is None
    assert summary["pending_request"]["pathway"] == "Cyber Defense"
    assert (
        summary["pending_request"]["status"],
        summary["pending_request"]["waitlist_position"],
    ) == (
        "waitlisted",
        1,
    )


def test_me_for_a_student_without_a_record(client_for, student):
    data = client_for(student).get(ME).json()
    assert (data["role"], data["student"], data["counselor"]) == ("student", None, None)


def test_me_gives_a_counselor_their_schools(client_for, counselor, advisors, school):
    data = client_for(counselor).get(ME).json()
    assert data["student"] is None
    assert data["counselor"] == {"schools": [{"slug": school.slug, "name": school.name}]}


@pytest.mark.parametrize("role", ["staff", "employer"])
def test_me_for_other_roles_has_no_student_or_counselor_part(request, client_for, role, mine):
    data = client_for(request.getfixturevalue(role)).get(ME).json()
    assert (data["role"], data["student"], data["counselor"]) == (role, None, None)


def test_me_is_described_in_the_schema(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    me = schema["components"]["schemas"]["MyRecord"]["properties"]
    assert {"school", "grade", "pathway", "cte_status", "progress"} <= set(me)
    assert not {"gender", "gpa", "district_id"} & set(me)


# --- /api/v1/students/ ----------------------------------------------------------------------------


def test_students_counselor_sees_the_caseload_only(client_for, counselor, advisors, mine, theirs):
    StudentProfileFactory()  # another school
    assert sorted(ids(client_for(counselor).get(STUDENTS))) == sorted([mine.pk, theirs.pk])


def test_students_staff_sees_the_district(client_for, staff, mine, theirs):
    elsewhere = StudentProfileFactory()
    assert sorted(ids(client_for(staff).get(STUDENTS))) == sorted(
        [mine.pk, theirs.pk, elsewhere.pk]
    )


def test_students_a_student_finds_only_their_own_record(client_for, mine, theirs):
    client = client_for(mine.user)

    assert ids(client.get(STUDENTS)) == [mine.pk]
    assert client.get(reverse("api:student-detail", args=[mine.pk])).json()["id"] == mine.pk
    response = client.get(reverse("api:student-detail", args=[theirs.pk]))
    assert response.status_code == 404
    assert "THEIRS01" not in response.content.decode()


def test_students_employer_is_refused(client_for, employer, mine):
    assert client_for(employer).get(STUDENTS).status_code == 403
    assert (
        client_for(employer).get(reverse("api:student-detail", args=[mine.pk])).status_code == 403
    )


def test_students_other_counselor_gets_404(client_for, other_counselor, advisors, mine):
    response = client_for(other_counselor).get(reverse("api:student-detail", args=[mine.pk]))
    assert response.status_code == 404
    assert not AccessLog.objects.exists()


def test_student_record_opened_by_a_counselor_is_logged(client_for, counselor, advisors, mine):
    response = client_for(counselor).get(reverse("api:student-detail", args=[mine.pk]))

    assert response.json()["district_id"] == "MINE0001"
    assert list(AccessLog.objects.values_list("viewer_id", "student_id", "what")) == [
        (counselor.pk, mine.pk, "API record")
    ]


def test_student_reading_their_own_record_is_not_logged(client_for, mine):
    client_for(mine.user).get(reverse("api:student-detail", args=[mine.pk]))
    assert not AccessLog.objects.exists()


def test_students_never_carry_notes_or_demographics(client_for, counselor, advisors, mine):
    AdvisingNoteFactory(student=mine, author=counselor, body="MY-SECRET-NOTE")
    body = client_for(counselor).get(STUDENTS).content.decode()
    assert "MY-SECRET-NOTE" not in body and "hispanic" not in body


@pytest.fixture
def population(staff, school, offering, pathway):
    """Students the filters tell apart (see test_views' caseload for the same shape)."""
    courses = [step.course for step in pathway.sequence.all()]

    def in_pathway(grade: int, done: int):
        profile = StudentProfileFactory(grade=grade, school=school)
        EnrollmentFactory(student=profile, offering=offering, status="approved")
        for course in courses[:done]:
            CourseRecordFactory(student=profile, course=course)
        return profile

    return {
        "none": StudentProfileFactory(grade=9),
        "participant": in_pathway(10, 1),
        "at_risk": in_pathway(11, 1),
        "concentrator": in_pathway(11, 2),
        "completer": in_pathway(12, 3),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"grade": 11}, ["at_risk", "concentrator"]),
        ({"status": "none"}, ["none"]),
        ({"status": "participant"}, ["participant", "at_risk"]),
        ({"status": "concentrator"}, ["concentrator"]),
        ({"status": "completer"}, ["completer"]),
        ({"at_risk": "true"}, ["at_risk"]),
    ],
)
def test_students_filters(client_for, staff, population, params, expected):
    response = client_for(staff).get(STUDENTS, params)
    assert sorted(ids(response)) == sorted(population[key].pk for key in expected)


def test_students_filter_by_school_and_pathway(client_for, staff, population, school, pathway):
    client = client_for(staff)
    everyone_here = ["participant", "at_risk", "concentrator", "completer"]
    assert sorted(ids(client.get(STUDENTS, {"school": school.slug}))) == sorted(
        population[k].pk for k in everyone_here
    )
    assert sorted(ids(client.get(STUDENTS, {"pathway": pathway.pk}))) == sorted(
        population[k].pk for k in everyone_here
    )


def test_students_list_status_fields(client_for, staff, population):
    rows = {row["id"]: row for row in client_for(staff).get(STUDENTS).json()["results"]}
    at_risk = rows[population["at_risk"].pk]
    assert (at_risk["cte_status"], at_risk["at_risk"], at_risk["courses_completed"]) == (
        "participant",
        True,
        1,
    )


@pytest.mark.parametrize("n", [1, 200])
def test_students_list_query_count(client_for, counselor, advisors, school, offering, n):
    for student in StudentProfileFactory.create_batch(n, school=school, grade=10):
        EnrollmentFactory(student=student, offering=offering, status="approved")
    client = client_for(counselor)
    client.get(STUDENTS)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(STUDENTS, {"page_size": 200})

    # session, user, the count, the page of students (status in SQL, school joined)
    assert len(response.json()["results"]) == n
    assert len(queries) <= 4, "\n".join(q["sql"] for q in queries.captured_queries)


# --- /api/v1/enrollments/ -------------------------------------------------------------------------


def test_enrollments_student_sees_their_own_only(client_for, mine, theirs, offering):
    mine_request = EnrollmentFactory(student=mine, offering=offering)
    their_request = EnrollmentFactory(student=theirs, offering=offering)
    client = client_for(mine.user)

    assert ids(client.get(ENROLLMENTS)) == [mine_request.pk]
    assert client.get(reverse("api:enrollment-detail", args=[their_request.pk])).status_code == 404


def test_enrollments_counselor_sees_the_caseloads(client_for, counselor, advisors, mine, offering):
    here = EnrollmentFactory(student=mine, offering=offering)
    EnrollmentFactory()  # another school
    assert ids(client_for(counselor).get(ENROLLMENTS)) == [here.pk]


def test_enrollment_request_by_api(client_for, mine, offering):
    response = client_for(mine.user).post(
        ENROLLMENTS, {"offering": offering.pk, "note": "Me please"}, content_type="application/json"
    )

    assert response.status_code == 201
    data = response.json()
    assert (data["offering"], data["status"], data["note"], data["student"]) == (
        offering.pk,
        "requested",
        "Me please",
        mine.pk,
    )


def test_enrollment_request_refused_is_409_with_the_reason(client_for, mine):
    response = client_for(mine.user).post(
        ENROLLMENTS, {"offering": OfferingFactory().pk}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "You can only request a pathway offered at your own school."
    assert not Enrollment.objects.exists()


def test_enrollment_request_for_an_unknown_offering_is_404(client_for, mine):
    response = client_for(mine.user).post(
        ENROLLMENTS, {"offering": 999999}, content_type="application/json"
    )
    assert response.status_code == 404


def test_enrollment_change_by_api_replaces_only_when_approved(
    client_for, approved, other_offering, counselor, advisors
):
    response = client_for(approved.student.user).post(
        ENROLLMENTS,
        {"offering": other_offering.pk, "change": True},
        content_type="application/json",
    )
    change = response.json()
    assert (response.status_code, change["replaces"], change["status"]) == (
        201,
        approved.pk,
        "requested",
    )

    client_for(counselor).post(reverse("api:enrollment-approve", args=[change["id"]]))

    approved.refresh_from_db()
    assert approved.status == "withdrawn"
    assert Enrollment.objects.get(pk=change["id"]).status == "approved"


def test_counselor_decides_by_api(client_for, counselor, advisors, mine, theirs, offering):
    a = EnrollmentFactory(student=mine, offering=offering)
    b = EnrollmentFactory(student=theirs, offering=offering)
    client = client_for(counselor)

    approved = client.post(reverse("api:enrollment-approve", args=[a.pk])).json()
    waitlisted = client.post(reverse("api:enrollment-waitlist", args=[b.pk])).json()

    assert approved["status"] == "approved"
    assert (waitlisted["status"], waitlisted["waitlist_position"]) == ("waitlisted", 1)
    assert sorted(Notification.objects.values_list("user_id", flat=True)) == sorted(
        [mine.user_id, theirs.user_id]
    )


def test_decline_by_api_needs_a_reason(client_for, counselor, advisors, mine, offering):
    enrollment = EnrollmentFactory(student=mine, offering=offering)
    url = reverse("api:enrollment-decline", args=[enrollment.pk])
    client = client_for(counselor)

    refused = client.post(url, {}, content_type="application/json")
    declined = client.post(url, {"reason": "Full this year"}, content_type="application/json")

    assert refused.status_code == 400 and "reason" in refused.json()["errors"]
    assert (declined.json()["status"], declined.json()["decline_reason"]) == (
        "declined",
        "Full this year",
    )


def test_decide_twice_by_api_is_409(client_for, counselor, advisors, mine, offering):
    enrollment = EnrollmentFactory(student=mine, offering=offering)
    client = client_for(counselor)
    client.post(reverse("api:enrollment-approve", args=[enrollment.pk]))

    response = client.post(reverse("api:enrollment-approve", args=[enrollment.pk]))

    assert response.status_code == 409
    assert response.json()["detail"] == "This request was already decided (Approved)."


def test_a_student_cannot_decide_their_own_request(client_for, mine, offering):
    enrollment = EnrollmentFactory(student=mine, offering=offering)
    response = client_for(mine.user).post(reverse("api:enrollment-approve", args=[enrollment.pk]))
    assert response.status_code == 403
    enrollment.refresh_from_db()
    assert enrollment.status == "requested"


def test_another_counselor_cannot_decide(client_for, other_counselor, advisors, mine, offering):
    enrollment = EnrollmentFactory(student=mine, offering=offering)
    url = reverse("api:enrollment-approve", args=[enrollment.pk])
    assert client_for(other_counselor).post(url).status_code == 404


def test_withdraw_by_api_promotes_the_next(client_for, counselor, advisors, mine, theirs, offering):
    offering.seats = 1
    offering.save()
    a = services.enrollment_request(student=mine, offering=offering)
    b = services.enrollment_request(student=theirs, offering=offering)
    services.enrollment_approve(enrollment=a, by=counselor)
    services.enrollment_approve(enrollment=b, by=counselor)

    response = client_for(mine.user).post(reverse("api:enrollment-withdraw", args=[a.pk]))

    assert response.json()["status"] == "withdrawn"
    b.refresh_from_db()
    assert (b.status, b.waitlist_position, b.decided_by) == ("approved", None, counselor)


def test_another_student_cannot_withdraw_mine(client_for, mine, theirs, offering):
    enrollment = EnrollmentFactory(student=mine, offering=offering)
    response = client_for(theirs.user).post(
        reverse("api:enrollment-withdraw", args=[enrollment.pk])
    )
    assert response.status_code == 404
    enrollment.refresh_from_db()
    assert enrollment.status == "requested"


# --- Course records and credentials -----------------------------------------------------------


def test_course_records_student_sees_their_own_only(client_for, mine, theirs):
    record = CourseRecordFactory(student=mine)
    theirs_record = theirs.course_records.get()
    client = client_for(mine.user)

    assert ids(client.get(RECORDS)) == [record.pk]
    assert (
        client.get(reverse("api:course-record-detail", args=[theirs_record.pk])).status_code == 404
    )


def test_course_records_counselor_sees_the_caseloads(client_for, counselor, advisors, mine, theirs):
    record = CourseRecordFactory(student=mine)
    CourseRecordFactory()  # another school
    assert sorted(ids(client_for(counselor).get(RECORDS))) == sorted(
        [record.pk, theirs.course_records.get().pk]
    )


def test_credential_awards_student_sees_their_own_only(client_for, mine, theirs):
    award = CredentialAwardFactory(student=mine)
    client = client_for(mine.user)

    assert ids(client.get(AWARDS)) == [award.pk]
    their_award = theirs.credential_awards.get()
    assert (
        client.get(reverse("api:credential-award-detail", args=[their_award.pk])).status_code == 404
    )


def test_credential_awards_other_counselor_sees_none(client_for, other_counselor, advisors, theirs):
    assert ids(client_for(other_counselor).get(AWARDS)) == []


@pytest.mark.parametrize("url", [ME, STUDENTS, ENROLLMENTS, RECORDS, AWARDS])
def test_no_student_endpoint_ever_carries_advising_notes(client_for, url, mine, theirs, counselor):
    AdvisingNoteFactory(student=mine, author=counselor, body="MY-SECRET-NOTE")
    EnrollmentFactory(student=mine, offering=OfferingFactory(school=mine.school))
    CourseRecordFactory(student=mine)

    body = json.dumps(client_for(mine.user).get(url).json())

    assert "SECRET-NOTE" not in body


@pytest.mark.parametrize(
    ("url", "grow", "budget"),
    [
        (
            ENROLLMENTS,
            lambda mine, n: EnrollmentFactory.create_batch(n, student__school=mine.school),
            4,
        ),
        (
            RECORDS,
            lambda mine, n: CourseRecordFactory.create_batch(n, student__school=mine.school),
            5,
        ),
        (
            AWARDS,
            lambda mine, n: CredentialAwardFactory.create_batch(n, student__school=mine.school),
            5,
        ),
    ],
    ids=["enrollments", "course-records", "credential-awards"],
)
def test_records_lists_query_count(query_budget, counselor, advisors, mine, url, grow, budget):
    # session, user, the count, the page (student, course or credential joined), and for
    # course records and credentials the access log of the students shown (one INSERT)
    query_budget(
        url + "?page_size=200", max_queries=budget, grow=lambda n: grow(mine, n), user=counselor
    )


# --- Reading records through the API is logged (FERPA); ?student= filters ------------------


def _log() -> list[tuple]:
    return sorted(AccessLog.objects.values_list("viewer_id", "student_id", "what"))


def test_course_records_read_by_a_counselor_are_logged_per_student(
    client_for, counselor, advisors, mine, theirs
):
    record = CourseRecordFactory(student=mine)
    client = client_for(counselor)

    assert ids(client.get(RECORDS, {"student": mine.pk})) == [record.pk]
    client.get(reverse("api:course-record-detail", args=[record.pk]))
    client.get(RECORDS)  # the caseload's records: mine and theirs

    assert _log() == sorted(
        [
            (counselor.pk, mine.pk, "API course records"),
            (counselor.pk, mine.pk, "API course records"),
            (counselor.pk, mine.pk, "API course records"),
            (counselor.pk, theirs.pk, "API course records"),
        ]
    )


def test_credential_awards_read_by_staff_are_logged(client_for, staff, mine, theirs):
    award = CredentialAwardFactory(student=mine)

    assert ids(client_for(staff).get(AWARDS, {"student": mine.pk})) == [award.pk]
    client_for(staff).get(reverse("api:credential-award-detail", args=[award.pk]))

    assert _log() == [(staff.pk, mine.pk, "API credentials")] * 2


def test_enrollments_filtered_to_a_student_are_logged_the_queue_is_not(
    client_for, counselor, advisors, mine, theirs, offering
):
    mine_request = EnrollmentFactory(student=mine, offering=offering)
    EnrollmentFactory(student=theirs, offering=offering)
    client = client_for(counselor)

    assert ids(client.get(ENROLLMENTS, {"student": mine.pk})) == [mine_request.pk]
    assert _log() == [(counselor.pk, mine.pk, "API enrollments")]
    client.get(ENROLLMENTS)  # the request queue
    assert len(_log()) == 1
    client.get(reverse("api:enrollment-detail", args=[mine_request.pk]))
    assert len(_log()) == 2


def test_a_student_reading_their_own_records_is_not_logged(client_for, mine, offering):
    CourseRecordFactory(student=mine)
    CredentialAwardFactory(student=mine)
    EnrollmentFactory(student=mine, offering=offering)
    client = client_for(mine.user)

    for url in (RECORDS, AWARDS, ENROLLMENTS):
        assert len(ids(client.get(url, {"student": mine.pk}))) == 1

    assert _log() == []


def test_student_filter_of_another_counselors_student_finds_nothing_and_logs_nothing(
    client_for, other_counselor, advisors, mine
):
    CourseRecordFactory(student=mine)

    assert ids(client_for(other_counselor).get(RECORDS, {"student": mine.pk})) == []
    assert _log() == []


@pytest.mark.parametrize("url", [RECORDS, AWARDS, ENROLLMENTS, STUDENTS])
@pytest.mark.parametrize("value", ["abc", "1.5", "99999999999999999999", "0", "-3"])
def test_id_filters_refuse_what_is_not_an_id_with_400(client_for, staff, mine, url, value):
    name = "pathway" if url == STUDENTS else "student"

    response = client_for(staff).get(url, {name: value})

    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [name]
    assert _log() == []


def test_offering_filter_refuses_a_huge_number_with_400(client_for, staff):
    response = client_for(staff).get(ENROLLMENTS, {"offering": "9" * 30})
    assert response.status_code == 400
