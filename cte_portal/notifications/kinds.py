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


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.key] = kind
    return kind


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
    )
)
DIGEST = register(
    Kind("digest", _("Daily digest"), can_turn_off=False, unsubscribe_link=True, listed=False)
)
ANNOUNCEMENT = register(Kind("announcement", _("Announcements from the CTE office")))
