"""Signed links sent by e-mail: a sign-up's confirmation, a colleague's invitation, and the
mailing list's confirmation and unsubscribe.

Each is signed with the project's SECRET_KEY and a salt of its own, so a token made for one
purpose never works for another; the first three expire. A token names the address it was
sent to: if the record's address changed since, the token no longer matches.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

from . import conf

SIGNUP_SALT = "partners.signup-confirm"
INVITATION_SALT = "partners.invitation"
LIST_CONFIRM_SALT = "partners.mailing-list.confirm"
LIST_UNSUBSCRIBE_SALT = "partners.mailing-list.unsubscribe"


class TokenInvalid(Exception):
    """Tampered with, malformed, or made for something else."""


class TokenExpired(TokenInvalid):
    """Genuine, but too old: the person may ask for a new link."""


@dataclass(frozen=True)
class Claim:
    pk: int
    email: str


def _make(salt: str, pk: int, email: str) -> str:
    return signing.dumps({"i": pk, "e": email.lower()}, salt=salt, compress=True)


def _read(salt: str, token: str, max_age: int | None) -> Claim:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise TokenExpired(str(exc)) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise TokenInvalid(str(exc)) from exc
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("i"), int)
        or not isinstance(data.get("e"), str)
    ):
        raise TokenInvalid("Malformed token.")
    return Claim(pk=data["i"], email=data["e"])


def signup_token(*, contact_id: int, email: str) -> str:
    return _make(SIGNUP_SALT, contact_id, email)


def read_signup_token(token: str) -> Claim:
    return _read(SIGNUP_SALT, token, conf.get("PARTNERS_SIGNUP_LINK_MAX_AGE"))


def invitation_token(*, contact_id: int, email: str) -> str:
    return _make(INVITATION_SALT, contact_id, email)


def read_invitation_token(token: str) -> Claim:
    return _read(INVITATION_SALT, token, conf.get("PARTNERS_INVITATION_MAX_AGE"))


def list_confirm_token(*, subscriber_id: int, email: str) -> str:
    return _make(LIST_CONFIRM_SALT, subscriber_id, email)


def read_list_confirm_token(token: str) -> Claim:
    return _read(LIST_CONFIRM_SALT, token, conf.get("PARTNERS_MAILING_LIST_LINK_MAX_AGE"))


def list_unsubscribe_token(*, subscriber_id: int, email: str) -> str:
    return _make(LIST_UNSUBSCRIBE_SALT, subscriber_id, email)


def read_list_unsubscribe_token(token: str) -> Claim:
    # Never expires: an old newsletter's unsubscribe link must still work.
    return _read(LIST_UNSUBSCRIBE_SALT, token, None)
