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
    # A change of pathway follows the new pathway's entry grades too (a grade-11 student
    # cannot change to a pathway that takes grades 9-10), unless this says otherwise.
    "STUDENTS_CHANGE_GRADES_PAST_ENTRY": False,
    # From this grade on, a student in a pathway who is not yet a concentrator is at risk.
    "STUDENTS_AT_RISK_FROM_GRADE": 11,
    # Roster import (OneRoster 1.1 CSV). OneRoster has no counselor role: districts send
    # counselors as administrators or teachers; users with these roles become counselors of
    # the schools in their orgSourcedIds.
    "STUDENTS_ROSTER_COUNSELOR_ROLES": ("administrator",),
    "STUDENTS_ROSTER_MAX_UPLOAD_BYTES": 100 * 1024 * 1024,
    "STUDENTS_ROSTER_MAX_UNZIPPED_BYTES": 2 * 1024 * 1024 * 1024,
    # orgs carry no grade span: a school the portal does not know yet gets this level.
    "STUDENTS_ROSTER_NEW_SCHOOL_LEVEL": "high",
    # A student with no e-mail in users.csv gets <sourcedId>@this (a reserved, undeliverable
    # domain): the record exists, the student signs in once the district sends an address.
    "STUDENTS_ROSTER_NO_EMAIL_DOMAIN": "no-email.invalid",
    # Below the broker's visibility timeout (an hour), so a long import is never handed to a
    # second worker while the first still runs.
    "STUDENTS_ROSTER_TASK_TIME_LIMIT": 1800,
}


def get(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
