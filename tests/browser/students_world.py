"""Data for the students' and counselors' pages in the browser checks: ``build(user)`` gives
the signed-in student (or counselor) a full record to look at and returns the ids the
``PAGES`` paths name (``{offering}``, ``{enrollment}``, ``{student}``...)."""

from __future__ import annotations

import datetime
from typing import Any

from cte_portal.users.enums import Role
from students import services
from tests.factories.pathways import (
    CredentialFactory,
    OfferingFactory,
    SchoolFactory,
    full_pathway,
)
from tests.factories.students import (
    AdvisingNoteFactory,
    CounselorProfileFactory,
    CourseRecordFactory,
    CredentialAwardFactory,
    EnrollmentFactory,
    StudentProfileFactory,
)


def build(user: Any) -> dict[str, Any]:
    school = SchoolFactory(name="Harbor View Career and Technical High School")
    pathway = full_pathway(name="Software Engineering")
    offering = OfferingFactory(pathway=pathway, school=school, seats=2)
    other = OfferingFactory(pathway=full_pathway(name="Culinary Arts"), school=school)
    if user.role == Role.STUDENT:
        me = _in_pathway(StudentProfileFactory(user=user, school=school, grade=10), offering)
        return {
            "offering": other.pk,
            "enrollment": me.enrollments.get().pk,
            "pathway": pathway.slug,
        }
    CounselorProfileFactory(user=user, schools=[school])
    senior = _in_pathway(StudentProfileFactory(school=school, grade=11), offering)
    AdvisingNoteFactory(student=senior, author=user, body="Thinking about the capstone.")
    middle = StudentProfileFactory(school=school, grade=8)
    services.exploratory_workshop_record(
        student=middle,
        by=user,
        title="Robotics open lab",
        sector=pathway.sector,
        attended_on=datetime.date(2024, 10, 2),
        hours=3,
    )
    requests = [
        EnrollmentFactory(student=StudentProfileFactory(school=school), offering=other)
        for _ in range(2)
    ]
    services.enrollment_waitlist(enrollment=requests[1], by=user)
    return {"enrollment": requests[0].pk, "student": senior.pk, "middle": middle.pk}


def _in_pathway(student, offering):
    """Approved, the first year done, the second in progress, a credential earned."""
    EnrollmentFactory(student=student, offering=offering, status="approved")
    steps = list(offering.pathway.sequence.select_related("course"))
    CourseRecordFactory(student=student, course=steps[0].course, school_year=2024)
    CourseRecordFactory(
        student=student, course=steps[1].course, school_year=2025, status="in_progress", mark=""
    )
    CredentialAwardFactory(student=student, credential=CredentialFactory(name="CompTIA ITF+"))
    return student
