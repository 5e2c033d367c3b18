"""Signed links sent by e-mail, used without signing in: a guardian's consent, a supervisor's
review of logged hours, and a person's calendar feed.

Each is signed with the project's SECRET_KEY and a salt of its own, so a token made for one
purpose never works for another. A token names the record and a value that changes when the
link should stop working: the consent request's nonce (a new request replaces old links), the
supervisor the hours were sent to (a new supervisor's links replace the old one's), the
person's calendar-feed key (a reset replaces the old feed link).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.utils.translation import gettext as _

from . import conf
from .errors import WorkbasedError

CONSENT_SALT = "workbased.guardian-consent"
HOURS_SALT = "workbased.hours-review"
FEED_SALT = "workbased.calendar-feed"


class TokenInvalid(WorkbasedError):
    """Tampered with, malformed, or made for something else."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("This link is not valid. Check that it was copied whole."))


class TokenExpired(TokenInvalid):
    """Genuine, but too old: the person may ask for a new link."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("This link has expired. Ask for a new one."))


@dataclass(frozen=True)
class Claim:
    pk: int
    check: str


def _make(salt: str, pk: int, check: str) -> str:
    return signing.dumps({"i": pk, "c": check}, salt=salt, compress=True)


def _read(salt: str, token: Any, max_age: int | None) -> Claim:
    if not isinstance(token, str) or not token or len(token) > 500:
        raise TokenInvalid
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise TokenExpired from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise TokenInvalid from exc
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("i"), int)
        or not isinstance(data.get("c"), str)
    ):
        raise TokenInvalid
    return Claim(pk=data["i"], check=data["c"])


def consent_token(*, consent_id: int, nonce: Any) -> str:
    return _make(CONSENT_SALT, consent_id, str(nonce))


def read_consent_token(token: str) -> Claim:
    return _read(CONSENT_SALT, token, conf.get("WORKBASED_CONSENT_LINK_MAX_AGE"))


def hours_token(*, hours_id: int, supervisor_id: int) -> str:
    return _make(HOURS_SALT, hours_id, str(supervisor_id))


def read_hours_token(token: str) -> Claim:
    return _read(HOURS_SALT, token, conf.get("WORKBASED_HOURS_LINK_MAX_AGE"))


# The check of a feed link made before its person ever reset it.
FIRST_FEED_KEY = "feed"


class TokenRevoked(TokenInvalid):
    """Genuine, but its person replaced it with a new one (a reset calendar feed)."""


def feed_token(*, user_id: int, key: Any = None) -> str:
    # The password hash is not in it on purpose: a calendar app keeps the link for years.
    # ``key`` is the person's ``CalendarFeed.key`` once they reset their link.
    return _make(FEED_SALT, user_id, str(key) if key else FIRST_FEED_KEY)


def read_feed_token(token: str) -> Claim:
    return _read(FEED_SALT, token, None)
