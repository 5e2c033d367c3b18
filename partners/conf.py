"""The partners app's settings, each with its default (override any in the environment's
settings module; tests override them with pytest-django's ``settings`` fixture)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # An agreement or an insurance certificate ending within this many days is flagged.
    "PARTNERS_EXPIRING_DAYS": 60,
    # The largest agreement file accepted (bytes).
    "PARTNERS_AGREEMENT_MAX_BYTES": 10 * 1024 * 1024,
    # How long the e-mail confirmation link of a partner sign-up works (seconds).
    "PARTNERS_SIGNUP_LINK_MAX_AGE": 3 * 24 * 3600,
    # How long a colleague's invitation link works (seconds).
    "PARTNERS_INVITATION_MAX_AGE": 14 * 24 * 3600,
    # How long a mailing-list confirmation link works (seconds).
    "PARTNERS_MAILING_LIST_LINK_MAX_AGE": 7 * 24 * 3600,
}


def get(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
