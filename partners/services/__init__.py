"""Every write of the partners app. Pages and the API call these same functions.

Each service takes keyword-only arguments, runs in one transaction, checks its rule (a
refusal raises ``PartnerError``: the page shows it on the form, the API answers 400 or 409),
writes, records who acted, and queues its e-mails through the outbox, sent after commit.
"""

from __future__ import annotations

from .base import PartnerError
from .contacts import (
    colleague_invite,
    contact_approve,
    contact_decline,
    contact_update,
    invitation_accept,
    invitation_contact_for_token,
)
from .engagement import advisory_seat_add, agreement_add, interaction_log, offers_set
from .mailing_list import (
    mailing_list_confirm,
    mailing_list_subscribe,
    mailing_list_unsubscribe,
)
from .organizations import (
    Signup,
    SignupResult,
    organization_approve,
    organization_archive,
    organization_decline,
    organization_signup,
    organization_signup_confirm,
    organization_suspend,
    organization_update,
    signup_contact_for_token,
    signup_resend,
)

__all__ = [
    "PartnerError",
    "Signup",
    "SignupResult",
    "advisory_seat_add",
    "agreement_add",
    "colleague_invite",
    "contact_approve",
    "contact_decline",
    "contact_update",
    "interaction_log",
    "invitation_accept",
    "invitation_contact_for_token",
    "mailing_list_confirm",
    "mailing_list_subscribe",
    "mailing_list_unsubscribe",
    "offers_set",
    "organization_approve",
    "organization_archive",
    "organization_decline",
    "organization_signup",
    "organization_signup_confirm",
    "organization_suspend",
    "organization_update",
    "signup_contact_for_token",
    "signup_resend",
]
