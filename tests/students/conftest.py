"""The students tests' world: one school with a pathway offering, ``student``'s record
(``mine``) and ``other_student``'s (``theirs``) at that school, ``counselor`` serving it and
``other_counselor`` serving another school. ``theirs`` carries data that could leak: a
course, a credential, an enrollment and an advising note of its own."""

from __future__ import annotations

import pytest

from pathways.models import Offering
from tests.factories.pathways import (
    CourseFactory,
    CredentialFactory,
    OfferingFactory,
    PathwayCourseFactory,
    PathwayFactory,
    SchoolFactory,
)
from tests.factories.students import (
    AdvisingNoteFactory,
    CounselorProfileFactory,
    CourseRecordFactory,
    CredentialAwardFactory,
    EnrollmentFactory,
    StudentProfileFactory,
)


@pytest.fixture
def school(db):
    return SchoolFactory(name="Harbor Test High School")


@pytest.fixture
def pathway(db):
    """Intro (year 1), two concentrator courses (year 2) and a capstone (year 3)."""
    pathway = PathwayFactory(name="Cyber Defense")
    for year, (code, level) in enumerate(
        [("CY100", "introductory"), ("CY200", "concentrator"), ("CY300", "capstone")], start=1
    ):
        course = CourseFactory(code=code, title=f"Cyber course {code}", level=level)
        PathwayCourseFactory(pathway=pathway, course=course, year=year, position=1)
    return pathway


@pytest.fixture
def offering(pathway, school):
    return OfferingFactory(pathway=pathway, school=school, seats=2)


@pytest.fixture
def other_offering(school):
    """Another pathway at the same school (to change to)."""
    return OfferingFactory(pathway=PathwayFactory(name="Culinary Arts"), school=school)


@pytest.fixture
def mine(student, school):
    return StudentProfileFactory(user=student, school=school, grade=9, district_id="MINE0001")


@pytest.fixture
def theirs(other_student, school):
    """Another student at the same school, with everything that must never leak to
    ``student``."""
    profile = StudentProfileFactory(
        user=other_student, school=school, grade=9, district_id="THEIRS01"
    )
    CourseRecordFactory(
        student=profile, course=CourseFactory(code="ZZ999", title="Their Secret Course")
    )
    CredentialAwardFactory(student=profile, credential=CredentialFactory(name="Their Credential"))
    AdvisingNoteFactory(student=profile, body="THEIR-SECRET-NOTE")
    return profile


@pytest.fixture
def advisors(counselor, other_counselor, school):
    """``counselor`` serves the school; ``other_counselor`` serves another one."""
    return (
        CounselorProfileFactory(user=counselor, schools=[school]),
        CounselorProfileFactory(user=other_counselor, schools=[SchoolFactory()]),
    )


@pytest.fixture
def approved(mine, offering):
    """``student`` in the pathway (the seat counted), with the intro course done."""
    enrollment = EnrollmentFactory(student=mine, offering=offering, status="approved")
    Offering.objects.filter(pk=offering.pk).update(seats_filled=1)  # as the service counts
    offering.seats_filled = 1
    CourseRecordFactory(student=mine, course=offering.pathway.sequence.first().course)
    return enrollment
