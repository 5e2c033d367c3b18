"""Fixtures for the workbased tests: the employer's organization (Eve is its active primary
contact), another partner (Fay's), and Ana's student record (grade 10, 15 years old, with a
guardian's address)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from cte_portal.notifications.models import Notification
from tests.factories.partners import partner_of
from tests.factories.students import StudentProfileFactory


def years_ago(years: int, *, days: int = 0) -> date:
    today = timezone.localdate()
    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born = today.replace(year=today.year - years, day=28)
    return born.fromordinal(born.toordinal() - days)


def outbox(kind: str) -> list[str]:
    """The recipients of the outbox rows of a kind, sorted."""
    return sorted(Notification.objects.filter(kind=kind).values_list("email", flat=True))


@pytest.fixture
def org(employer):
    return partner_of(employer, name="Harbor Health")


@pytest.fixture
def host(org, employer):
    return employer.partner_contact


@pytest.fixture
def other_org(other_employer):
    return partner_of(other_employer, name="Skyline Software")


@pytest.fixture
def profile(student):
    return StudentProfileFactory(
        user=student,
        grade=10,
        date_of_birth=years_ago(15, days=10),
        guardian_name="Gloria Student",
        guardian_email="Gloria.Guardian@family.example",
        preferred_language="es",
    )
