"""The kinds of notification, each with its templates under ``templates/emails/<key>/``.

Apps register their kinds at import time (``register(Kind(...))`` in their ``notifications``
module, imported from their AppConfig.ready) so preferences can list every kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .enums import Delivery


@dataclass(frozen=True)
class Kind:
    key: str
    label: str | Promise
    default: Delivery = Delivery.IMMEDIATE
    # Account mail (password reset, e-mail confirmation) can never be turned off.
    can_turn_off: bool = True
    # Partner-facing mail carries a one-click unsubscribe link and List-Unsubscribe headers.
    unsubscribe_link: bool = True
    # Shown in the preferences page; internal kinds (the digest itself) are not.
    listed: bool = True
    # The body holds a secret (a password-reset or confirmation link): staff never see it in
    # the back office, it is erased once the message is SENT, and a SENT row is not resent.
    confidential: bool = False
    # Shown in the person's notification centre (and counted in the header's unread badge).
    in_centre: bool = True


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.key] = kind
    return kind


def is_confidential(key: str) -> bool:
    """Unknown kinds (a row left by a removed app) are treated as ordinary mail."""
    kind = KINDS.get(key)
    return kind is not None and kind.confidential


def hidden_from_centre() -> list[str]:
    """The kinds that never appear in the notification centre (account mail)."""
    return [kind.key for kind in KINDS.values() if not kind.in_centre]


def confidential() -> list[str]:
    """The kinds whose bodies hold a secret (erased once SENT)."""
    return [kind.key for kind in KINDS.values() if kind.confidential]


def get(key: str) -> Kind:
    try:
        return KINDS[key]
    except KeyError:
        raise LookupError(f"Unknown notification kind {key!r}; register it first.") from None


ACCOUNT = register(
    Kind(
        "account",
        _("Account and sign-in e-mails"),
        can_turn_off=False,
        unsubscribe_link=False,
        listed=False,
        confidential=True,
        in_centre=False,
    )
)
DIGEST = register(
    Kind("digest", _("Daily digest"), can_turn_off=False, unsubscribe_link=True, listed=False)
)
ANNOUNCEMENT = register(Kind("announcement", _("Announcements from the CTE office")))
