"""Counselors and staff complete a pathway and record course records and credentials on the
student's page and through the API; students and other schools' counselors cannot
(fixtures in tests/students/conftest.py)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from pathways.models import current_school_year
from students.models import AccessLog, CourseRecord, CredentialAward, Enrollment
from tests.factories.pathways import CredentialFactory
from tests.factories.students import EnrollmentFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def _page(client, student) -> str:
    return text(client.get(reverse("students:student", args=[student.pk])))


# --- Completing a pathway ----------------------------------------------------------------


def test_counselor_marks_a_pathway_completed_from_the_student_page(
    client_for, counselor, advisors, approved
):
    client = client_for(counselor)
    assert "Mark the pathway completed" in _page(client, approved.student)

    response = client.post(reverse("students:complete", args=[approved.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("students:student", args=[approved.student_id])
    approved.refresh_from_db()
    assert (approved.status, approved.ended_by) == ("completed", counselor)
    page = _page(client, approved.student)
    assert "The pathway is marked completed." in page
    assert f"by {counselor}" in page


def test_completing_a_request_says_why_not(client_for, counselor, advisors, mine, offering):
    request = EnrollmentFactory(student=mine, offering=offering)

    response = client_for(counselor).post(
        reverse("students:complete", args=[request.pk]), follow=True
    )

    assert "Only a student in the pathway (approved) can complete it" in text(response)
    assert Enrollment.objects.get(pk=request.pk).status == "requested"


def test_a_student_cannot_complete_their_own_pathway(client_for, approved):
    page = client_for(approved.student.user).post(reverse("students:complete", args=[approved.pk]))
    api = client_for(approved.student.user).post(
        reverse("api:enrollment-complete", args=[approved.pk])
    )

    assert (page.status_code, api.status_code) == (403, 403)
    assert Enrollment.objects.get(pk=approved.pk).status == "approved"


def test_another_schools_counselor_gets_404_completing(
    client_for, other_counselor, advisors, approved
):
    page = client_for(other_counselor).post(reverse("students:complete", args=[approved.pk]))
    api = client_for(other_counselor).post(reverse("api:enrollment-complete", args=[approved.pk]))

    assert (page.status_code, api.status_code) == (404, 404)
    assert Enrollment.objects.get(pk=approved.pk).status == "approved"


def test_complete_by_api(client_for, staff, approved):
    response = client_for(staff).post(reverse("api:enrollment-complete", args=[approved.pk]))

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "completed"
    assert response.json()["ended_at"] is not None
    assert Enrollment.objects.get(pk=approved.pk).ended_by == staff


def test_complete_a_request_by_api_is_409_with_the_reason(
    client_for, counselor, advisors, mine, offering
):
    request = EnrollmentFactory(student=mine, offering=offering)

    response = client_for(counselor).post(reverse("api:enrollment-complete", args=[request.pk]))

    assert response.status_code == 409
    assert "Only a student in the pathway" in response.json()["detail"]


def test_the_student_page_says_who_withdrew(client_for, counselor, advisors, approved):
    client = client_for(approved.student.user)
    client.post(reverse("students:withdraw", args=[approved.pk]))

    assert f"by {approved.student.user}" in _page(client_for(counselor), approved.student)


# --- Course records ----------------------------------------------------------------------


def _course_record(pathway, **overrides):
    values = {
        "course": pathway.sequence.get(year=2).course.pk,
        "school_year": current_school_year(),
        "term": "fall",
        "status": "completed",
        "mark": "A-",
        "credits_earned": "1.00",
        "college_credits_earned": "3.0",
    }
    return values | overrides


def test_counselor_records_a_course_and_the_record_shows_it(
    client_for, counselor, advisors, mine, pathway
):
    client = client_for(counselor)

    response = client.post(
        reverse("students:course_record_add", args=[mine.pk]), _course_record(pathway)
    )

    assert response.status_code == 302
    record = CourseRecord.objects.get(student=mine)
    assert (
        record.course.code,
        record.school_year,
        record.term,
        record.status,
        record.mark,
        str(record.credits_earned),
        str(record.college_credits_earned),
        record.recorded_by,
    ) == ("CY200", current_school_year(), "fall", "completed", "A-", "1.00", "3.0", counselor)
    page = _page(client, mine)
    assert "Course record saved." in page
    assert "College credits earned: 3.0" in page


def test_course_recorded_twice_is_refused_and_keeps_the_input(
    client_for, counselor, advisors, mine, pathway
):
    client = client_for(counselor)
    url = reverse("students:course_record_add", args=[mine.pk])
    client.post(url, _course_record(pathway))

    response = client.post(url, _course_record(pathway, mark="B+"))

    assert response.status_code == 200
    assert "CY200 is already recorded for this student in that school year and term." in text(
        response
    )
    assert 'value="B+"' in text(response)
    assert CourseRecord.objects.filter(student=mine).count() == 1


def test_course_record_with_bad_values_names_each_field(
    client_for, counselor, advisors, mine, pathway
):
    response = client_for(counselor).post(
        reverse("students:course_record_add", args=[mine.pk]),
        _course_record(pathway, credits_earned="-1", status="passed", school_year="20x5"),
    )

    errors = response.context["course_record_form"].errors
    assert set(errors) == {"credits_earned", "status", "school_year"}
    assert 'value="A-"' in text(response)
    assert not CourseRecord.objects.exists()


def test_course_record_in_a_year_not_started_is_refused(
    client_for, counselor, advisors, mine, pathway
):
    response = client_for(counselor).post(
        reverse("students:course_record_add", args=[mine.pk]),
        _course_record(pathway, school_year=current_school_year() + 1),
    )

    assert "school year has not started yet." in text(response)
    assert not CourseRecord.objects.exists()


# --- Credentials -------------------------------------------------------------------------


def test_staff_records_a_credential_with_its_evidence(client_for, staff, mine):
    credential = CredentialFactory(name="CompTIA Security+")
    client = client_for(staff)

    response = client.post(
        reverse("students:credential_award_add", args=[mine.pk]),
        {"credential": credential.pk, "awarded_on": "2025-05-02", "evidence": "Cert 998877"},
    )

    assert response.status_code == 302
    award = CredentialAward.objects.get(student=mine)
    assert (award.credential, award.awarded_on, award.evidence, award.recorded_by) == (
        credential,
        datetime.date(2025, 5, 2),
        "Cert 998877",
        staff,
    )
    assert "CompTIA Security+" in _page(client, mine)


def test_credential_in_the_future_or_twice_is_refused(client_for, counselor, advisors, mine):
    credential = CredentialFactory(name="OSHA 10")
    client = client_for(counselor)
    url = reverse("students:credential_award_add", args=[mine.pk])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    future = client.post(url, {"credential": credential.pk, "awarded_on": tomorrow})
    client.post(url, {"credential": credential.pk, "awarded_on": "2025-01-10"})
    twice = client.post(url, {"credential": credential.pk, "awarded_on": "2025-02-10"})

    assert "The date earned cannot be in the future." in text(future)
    assert "OSHA 10 is already recorded for this student." in text(twice)
    assert list(CredentialAward.objects.values_list("awarded_on", flat=True)) == [
        datetime.date(2025, 1, 10)
    ]


def test_a_student_cannot_record_courses_or_credentials(client_for, mine, pathway):
    client = client_for(mine.user)
    record = client.post(
        reverse("students:course_record_add", args=[mine.pk]), _course_record(pathway)
    )
    award = client.post(
        reverse("students:credential_award_add", args=[mine.pk]),
        {"credential": CredentialFactory().pk, "awarded_on": "2025-01-10"},
    )

    assert (record.status_code, award.status_code) == (403, 403)
    assert not CourseRecord.objects.exists() and not CredentialAward.objects.exists()


def test_another_schools_counselor_cannot_record_for_my_student(
    client_for, other_counselor, advisors, mine, pathway
):
    client = client_for(other_counselor)
    record = client.post(
        reverse("students:course_record_add", args=[mine.pk]), _course_record(pathway)
    )
    award = client.post(
        reverse("students:credential_award_add", args=[mine.pk]),
        {"credential": CredentialFactory().pk, "awarded_on": "2025-01-10"},
    )

    assert (record.status_code, award.status_code) == (404, 404)
    assert not CourseRecord.objects.exists() and not CredentialAward.objects.exists()
    assert not AccessLog.objects.exists()
