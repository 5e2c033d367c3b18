from __future__ import annotations

import pytest
from django.core.management import call_command

from cte_portal.users.models import User
from pathways.models import Offering
from students import selectors
from students.enums import CTEStatus, EnrollmentStatus
from students.models import (
    AdvisingNote,
    CourseRecord,
    CredentialAward,
    Enrollment,
    ExploratoryWorkshop,
    SavedPathway,
    StudentProfile,
)

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, object]:
    return {
        "students": sorted(
            StudentProfile.objects.values_list("district_id", "school__slug", "grade")
        ),
        "enrollments": sorted(
            Enrollment.objects.values_list(
                "student__district_id", "offering_id", "status", "waitlist_position"
            )
        ),
        "records": CourseRecord.objects.count(),
        "awards": CredentialAward.objects.count(),
        "workshops": ExploratoryWorkshop.objects.count(),
        "saved": SavedPathway.objects.count(),
        "notes": AdvisingNote.objects.count(),
        "seats": sorted(Offering.objects.values_list("pk", "seats_filled")),
    }


@pytest.fixture
def seeded():
    call_command("seed_demo", verbosity=0)
    return {
        "student": User.objects.get(email="student@demo.example"),
        "counselor": User.objects.get(email="counselor@demo.example"),
    }


def test_seed_demo_students_are_idempotent(seeded):
    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first


def test_seed_demo_spreads_students_over_grades_and_schools(seeded):
    grades = set(StudentProfile.objects.values_list("grade", flat=True))
    schools = set(StudentProfile.objects.values_list("school_id", flat=True))
    assert grades == {7, 8, 9, 10, 11, 12}
    assert len(schools) >= 3
    # Only the four demo accounts can sign in: the students have no usable password.
    generated = User.objects.filter(student_profile__isnull=False).exclude(
        email="student@demo.example"
    )
    assert not any(u.has_usable_password() for u in generated)


def test_seed_demo_student_is_a_concentrator_in_progress(seeded):
    profile = selectors.profile_of(seeded["student"])
    record = selectors.student_record(student=profile)

    assert record.student.cte_status == CTEStatus.CONCENTRATOR
    assert record.enrollment.status == EnrollmentStatus.APPROVED
    assert record.enrollment.offering.pathway.slug == "software-engineering"
    rows = [row for year in record.years for row in year.rows]
    states = [row["record"].status if row["record"] else None for row in rows]
    assert "in_progress" in states and None in states  # a course in progress, some to come
    assert record.awards and record.college_credits > 0
    # The counselor serves the demo student's school.
    assert profile.school.counselors.filter(user=seeded["counselor"]).exists()


def test_seed_demo_counselor_has_a_caseload_of_dozens_with_requests_and_a_wait_list(seeded):
    counselor = seeded["counselor"]
    caseload = selectors.caseload_for_counselor(user=counselor)
    queue = list(selectors.request_queue(user=counselor))

    assert caseload.count() >= 24
    assert {e.status for e in queue} == {"requested", "waitlisted"}
    waitlist = [e for e in queue if e.status == "waitlisted"]
    full = waitlist[0].offering
    full.refresh_from_db()
    assert full.seats_filled == full.seats  # the wait list waits for a full offering
    assert sorted(e.waitlist_position for e in waitlist) == list(range(1, len(waitlist) + 1))
    assert caseload.filter(at_risk=True).exists()
    assert ExploratoryWorkshop.objects.filter(student__in=caseload).exists()


def test_seed_demo_seats_match_approved_enrollments(seeded):
    for offering in Offering.objects.all():
        approved = offering.enrollments.filter(status="approved").count()
        assert offering.seats_filled == approved <= offering.seats, offering
