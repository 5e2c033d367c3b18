"""The student's dashboard keeps the history (declined with the reason, withdrawn), and the
program of study counts a course passed twice once (fixtures in tests/students/conftest.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from students import selectors, services
from tests.factories.pathways import OfferingFactory, PathwayFactory
from tests.factories.students import CourseRecordFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db

ME = reverse("students:me")


def test_me_shows_declined_and_withdrawn_enrollments_as_history(
    client_for, mine, offering, counselor, theirs
):
    culinary = OfferingFactory(school=mine.school, pathway=PathwayFactory(name="Culinary Arts"))
    declined = services.enrollment_request(student=mine, offering=culinary)
    services.enrollment_decline(enrollment=declined, by=counselor, reason="Kitchen is full")
    first = services.enrollment_request(student=mine, offering=offering)
    services.enrollment_approve(enrollment=first, by=counselor)
    services.enrollment_withdraw(enrollment=first, by=mine.user)
    EnrollmentFactory(
        student=theirs, offering=culinary, status="declined", decline_reason="THEIR-REASON"
    )

    page = client_for(mine.user).get(ME).content.decode()

    assert "My earlier requests and pathways" in page
    assert "Culinary Arts" in page and "Declined" in page
    assert "Reason: Kitchen is full" in page
    assert "Cyber Defense" in page and "Withdrawn" in page
    assert "THEIR-REASON" not in page
    record = selectors.student_record(student=mine)
    assert [(e.pk, e.status) for e in record.history] == [
        (first.pk, "withdrawn"),
        (declined.pk, "declined"),
    ]


def test_me_history_is_empty_with_only_a_current_pathway(client_for, approved):
    page = client_for(approved.student.user).get(ME).content.decode()
    assert "My earlier requests and pathways" not in page


def test_a_retake_in_progress_does_not_undo_a_pass_in_the_program(approved):
    mine = approved.student
    intro = approved.offering.pathway.sequence.get(year=1).course  # passed in 2024 (fixture)
    CourseRecordFactory(student=mine, course=intro, school_year=2025, status="in_progress")

    record = selectors.student_record(student=mine)

    states = [(row["step"].course.code, row["state"]) for y in record.years for row in y.rows]
    assert states == [("CY100", "Completed"), ("CY200", "To come"), ("CY300", "To come")]
    assert (record.student.pathway_courses_done, record.student.pathway_courses_total) == (1, 3)


def test_a_course_passed_twice_counts_once_with_its_college_credit(approved):
    mine = approved.student
    concentrator = approved.offering.pathway.sequence.get(year=2).course
    for year in (2024, 2025):
        CourseRecordFactory(
            student=mine,
            course=concentrator,
            school_year=year,
            college_credits_earned=Decimal("3"),
        )

    record = selectors.student_record(student=mine)

    states = [row["state"] for y in record.years for row in y.rows]
    assert states == ["Completed", "Completed", "To come"]
    assert record.student.pathway_courses_done == 2
    assert record.college_credits == Decimal("3")
    assert record.progress_percent == 67


def test_year_by_year_done_in_progress_and_to_come(approved):
    mine = approved.student
    concentrator = approved.offering.pathway.sequence.get(year=2).course
    CourseRecordFactory(student=mine, course=concentrator, school_year=2025, status="in_progress")

    record = selectors.student_record(student=mine)

    assert [(y.year, [row["state"] for row in y.rows]) for y in record.years] == [
        (1, ["Completed"]),
        (2, ["In progress"]),
        (3, ["To come"]),
    ]
