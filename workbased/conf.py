"""The workbased app's settings, each with its default (override any in the settings module;
tests override them with pytest-django's ``settings`` fixture)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # How long a guardian's consent link works (seconds).
    "WORKBASED_CONSENT_LINK_MAX_AGE": 21 * 24 * 3600,
    # How long a supervisor's "approve these hours" link works (seconds).
    "WORKBASED_HOURS_LINK_MAX_AGE": 21 * 24 * 3600,
    # Session reminders go out this many days before the session.
    "WORKBASED_REMINDER_DAYS_AHEAD": 2,
    # Below this age on the day worked, the federal child-labor limits apply to hours logged.
    "WORKBASED_CHILD_LABOR_AGE": 16,
    # School breaks (inclusive ISO date pairs, e.g. [("2026-06-27", "2026-09-09")]): days in
    # them are not school days, and a week made only of such days is not a school week. With
    # no calendar known, every Monday to Friday is a school day.
    "WORKBASED_SCHOOL_BREAKS": (),
    # A guardian's consent is asked for students younger than this on the first session.
    "WORKBASED_AGE_OF_MAJORITY": 18,
}


def get(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
