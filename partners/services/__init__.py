"""Every write of the partners app. Pages and the API call these same functions.

Each service takes keyword-only arguments, runs in one transaction, checks its rule (a
refusal raises ``PartnerError``: the page shows it on the form, the API answers 400 or 409),
writes, records who acted, and queues its e-mails through the outbox, sent after commit.
"""

from __future__ import annotations

from .base import PartnerError
from .compliance import compliance_reminder_send
from .contacts import (
    colleague_invite,
    contact_approve,
    contact_decline,
    contact_make_primary,
    contact_remove,
    contact_update,
    invitation_accept,
    invitation_contact_for_token,
)
from .engagement import (
    advisory_seat_add,
    advisory_seat_end,
    agreement_add,
    agreement_update,
    interaction_log,
    interaction_update,
    offers_set,
)
from .mailing_list import (
    mailing_list_confirm,
    mailing_list_subscribe,
    mailing_list_unsubscribe,
)
from .organizations import (
    OrganizationUpdate,
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
    "OrganizationUpdate",
    "PartnerError",
    "Signup",
    "SignupResult",
    "advisory_seat_add",
    "advisory_seat_end",
    "agreement_add",
    "agreement_update",
    "colleague_invite",
    "compliance_reminder_send",
    "contact_approve",
    "contact_decline",
    "contact_make_primary",
    "contact_remove",
    "contact_update",
    "interaction_log",
    "interaction_update",
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
