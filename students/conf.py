"""The students app's settings, each with its default (override any in the settings module;
tests override them with pytest-django's ``settings`` fixture)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Dual enrollment: the lowest GPA admitted, and the course levels of the student's pathway
    # of which at least one must be completed first (seed 003).
    "STUDENTS_DUAL_ENROLLMENT_MIN_GPA": Decimal("3.00"),
    "STUDENTS_DUAL_ENROLLMENT_PREREQUISITE_LEVELS": ("introductory",),
    # From this grade on, a student in a pathway who is not yet a concentrator is at risk.
    "STUDENTS_AT_RISK_FROM_GRADE": 11,
}


def get(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
