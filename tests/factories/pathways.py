from __future__ import annotations

from decimal import Decimal

import factory

from pathways.enums import (
    CollegeCreditKind,
    CourseLevel,
    CredentialKind,
    Education,
    PathwayStatus,
    Schedule,
    SchoolLevel,
)
from pathways.models import (
    CollegeCredit,
    Course,
    Credential,
    Occupation,
    Offering,
    Pathway,
    PathwayCourse,
    School,
    Sector,
    current_school_year,
)


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector

    name = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.Sequence(lambda n: f"sector-{n}")
    position = factory.Sequence(lambda n: n)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"School {n} High School")
    slug = factory.Sequence(lambda n: f"school-{n}")
    code = factory.Sequence(lambda n: f"99X{n:03d}")
    level = SchoolLevel.HIGH


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    code = factory.Sequence(lambda n: f"T{n:05d}")
    title = factory.Sequence(lambda n: f"Course {n}")
    level = CourseLevel.CONCENTRATOR
    credits = Decimal("1.00")
    grade_min = 9
    grade_max = 12


class CollegeCreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollegeCredit

    course = factory.SubFactory(CourseFactory)
    kind = CollegeCreditKind.DUAL
    college = "Example Community College"
    college_course = factory.Sequence(lambda n: f"EX {100 + n} Example Course")
    credits = Decimal("3.0")


class CredentialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credential

    name = factory.Sequence(lambda n: f"Credential {n}")
    slug = factory.Sequence(lambda n: f"credential-{n}")
    issuer = "Example Certification Board"
    kind = CredentialKind.CERTIFICATION
    state_approved = True


class OccupationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Occupation

    soc_code = factory.Sequence(lambda n: f"{11 + n // 10000 % 80:02d}-{n % 10000:04d}")
    title = factory.Sequence(lambda n: f"Occupation {n}")
    median_annual_wage = 61590
    projected_growth = Decimal("11.0")
    annual_openings = 80200
    typical_education = Education.HIGH_SCHOOL
    data_source = "U.S. Bureau of Labor Statistics"
    data_year = 2023


class PathwayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pathway

    sector = factory.SubFactory(SectorFactory)
    name = factory.Sequence(lambda n: f"Pathway {n}")
    slug = factory.Sequence(lambda n: f"pathway-{n}")
    summary = "A pathway for testing."
    status = PathwayStatus.PUBLISHED
    entry_grade_min = 9
    entry_grade_max = 10


class PathwayCourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PathwayCourse

    pathway = factory.SubFactory(PathwayFactory)
    course = factory.SubFactory(CourseFactory)
    year = 1
    position = factory.Sequence(lambda n: n + 1)


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering

    pathway = factory.SubFactory(PathwayFactory)
    school = factory.SubFactory(SchoolFactory)
    school_year = factory.LazyFunction(current_school_year)
    schedule = Schedule.DAY
    seats = 25


def full_pathway(**fields) -> Pathway:
    """A pathway with everything its pages show: three courses over three years (one
    earning college credit), a credential, a career, and a day and an after-school offering
    at two schools. What list pages must not query for one by one."""
    pathway = PathwayFactory(**fields)
    for year in (1, 2, 3):
        PathwayCourseFactory(pathway=pathway, year=year, position=1)
    CollegeCreditFactory(course=pathway.sequence.first().course)
    pathway.credentials.add(CredentialFactory())
    pathway.occupations.add(OccupationFactory())
    OfferingFactory(pathway=pathway)
    OfferingFactory(pathway=pathway, schedule=Schedule.EXTENDED_DAY, seats=15)
    return pathway


def full_pathways(n: int) -> list[Pathway]:
    return [full_pathway() for _ in range(n)]
