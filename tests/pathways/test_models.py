"""The rules the database keeps by itself, whatever writes to it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from pathways.enums import PathwayStatus
from pathways.models import Offering, current_school_year, school_year_label
from tests.factories.pathways import (
    CourseFactory,
    CredentialFactory,
    OccupationFactory,
    OfferingFactory,
    PathwayCourseFactory,
    PathwayFactory,
    SchoolFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db


def refused(make) -> bool:
    """True if the database refuses what ``make`` writes."""
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize(
    ("factory", "field"),
    [
        (SectorFactory, "slug"),
        (PathwayFactory, "slug"),
        (SchoolFactory, "slug"),
        (SchoolFactory, "code"),
        (CourseFactory, "code"),
        (CredentialFactory, "slug"),
        (OccupationFactory, "soc_code"),
    ],
)
def test_slugs_and_codes_are_unique(factory, field):
    first = factory()

    assert refused(lambda: factory(**{field: getattr(first, field)}))


def test_offering_seats_cannot_be_negative():
    assert refused(lambda: OfferingFactory(seats=-1))


def test_offering_never_fills_more_seats_than_it_has():
    offering = OfferingFactory(seats=25)

    assert refused(lambda: Offering.objects.filter(pk=offering.pk).update(seats_filled=26))
    Offering.objects.filter(pk=offering.pk).update(seats_filled=25)
    offering.refresh_from_db()
    assert offering.seats_left == 0


def test_offering_once_per_school_year_and_schedule():
    offering = OfferingFactory()

    assert refused(
        lambda: OfferingFactory(
            pathway=offering.pathway, school=offering.school, school_year=offering.school_year
        )
    )


def test_a_course_appears_once_per_pathway_sequence():
    entry = PathwayCourseFactory(year=1, position=1)

    assert refused(lambda: PathwayCourseFactory(pathway=entry.pathway, course=entry.course, year=2))


def test_the_same_course_may_be_in_two_pathways():
    entry = PathwayCourseFactory()

    assert not refused(lambda: PathwayCourseFactory(course=entry.course))


def test_two_courses_cannot_share_a_year_and_position():
    entry = PathwayCourseFactory(year=1, position=1)

    assert refused(lambda: PathwayCourseFactory(pathway=entry.pathway, year=1, position=1))


@pytest.mark.parametrize("year", [0, 7])
def test_sequence_years_stay_in_range(year):
    assert refused(lambda: PathwayCourseFactory(year=year))


def test_entry_grades_must_be_in_order():
    assert refused(lambda: PathwayFactory(entry_grade_min=11, entry_grade_max=9))


def test_course_grades_must_be_in_order_and_range():
    assert refused(lambda: CourseFactory(grade_min=12, grade_max=10))
    assert refused(lambda: CourseFactory(grade_min=5, grade_max=10))


def test_course_credits_cannot_be_negative():
    assert refused(lambda: CourseFactory(credits=Decimal("-1")))


def test_pathway_status_must_be_known():
    assert refused(lambda: PathwayFactory(status="secret"))


def test_a_pathway_cannot_take_a_page_s_slug():
    assert refused(lambda: PathwayFactory(slug="compare"))


def test_sector_with_pathways_cannot_be_deleted():
    pathway = PathwayFactory()

    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        pathway.sector.delete()


@pytest.mark.parametrize(
    ("growth", "outlook"),
    [
        ("33", "Much faster than average"),
        ("6", "Faster than average"),
        ("3", "About as fast as average"),
        ("2", "Slower than average"),
        ("0", "Little or no change"),
        ("-6", "Declining"),
    ],
)
def test_occupation_outlook_in_words(growth, outlook):
    assert OccupationFactory.build(projected_growth=Decimal(growth)).outlook == outlook


def test_occupation_without_growth_has_no_outlook():
    assert OccupationFactory.build(projected_growth=None).outlook == ""


@pytest.mark.parametrize(
    ("today", "year"),
    [(datetime.date(2026, 3, 1), 2025), (datetime.date(2026, 7, 1), 2026)],
)
def test_current_school_year_starts_in_july(monkeypatch, today, year):
    monkeypatch.setattr(timezone, "localdate", lambda: today)

    assert current_school_year() == year


def test_school_year_label():
    assert school_year_label(2025) == "2025\u201326"
    assert school_year_label(2099) == "2099\u201300"


def test_pathway_labels():
    pathway = PathwayFactory.build(entry_grade_min=9, entry_grade_max=10)

    assert pathway.entry_grades_label == "Grades 9\u201310"
    assert PathwayFactory.build(entry_grade_min=9, entry_grade_max=9).entry_grades_label == (
        "Grade 9"
    )
    assert pathway.get_absolute_url() == f"/pathways/{pathway.slug}/"
    assert PathwayFactory.build(status=PathwayStatus.DRAFT).is_published is False
