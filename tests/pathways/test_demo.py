from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count

from pathways.enums import PathwayStatus, Schedule
from pathways.models import (
    CollegeCredit,
    Course,
    Offering,
    Pathway,
    PathwayCourse,
    School,
    Sector,
)

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, object]:
    return {
        "sectors": Sector.objects.count(),
        "pathways": Pathway.objects.count(),
        "courses": Course.objects.count(),
        "sequence": sorted(
            PathwayCourse.objects.values_list("pathway__slug", "course__code", "year")
        ),
        "college_credit": CollegeCredit.objects.count(),
        "schools": School.objects.count(),
        "offerings": Offering.objects.count(),
    }


def test_seed_demo_builds_a_believable_catalogue_and_is_idempotent():
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)

    assert snapshot() == first
    assert first["sectors"] == 9
    assert first["schools"] >= 12
    published = Pathway.objects.filter(status=PathwayStatus.PUBLISHED).annotate(
        n_courses=Count("sequence", distinct=True),
        n_careers=Count("occupations", distinct=True),
        n_offered=Count("offerings", distinct=True),
    )
    assert published.count() >= 20
    assert all(p.n_courses and p.n_careers and p.n_offered for p in published)
    assert published.filter(credentials__isnull=False).distinct().count() >= 20
    assert Offering.objects.filter(schedule=Schedule.EXTENDED_DAY).count() >= 5
    assert first["college_credit"] >= 10
    assert School.objects.filter(level="middle").exists()
    assert Pathway.objects.exclude(status=PathwayStatus.PUBLISHED).exists()
