"""The partners app's kinds of notification (imported by ``PartnersConfig.ready``).

Each has its templates under ``templates/emails/<key>/``. Messages about an account or a
request the person just made (confirm your e-mail, your invitation, your sign-up was declined)
cannot be turned off and carry no unsubscribe link: the person may have no working account
for that link to act on. Everything else partner-facing keeps the one-click unsubscribe.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cte_portal.notifications.kinds import Kind, register

SIGNUP_CONFIRM = register(
    Kind(
        "partner_signup_confirm",
        _("Partner sign-up: confirm your e-mail"),
        can_turn_off=False,
        unsubscribe_link=False,
        listed=False,
        confidential=True,  # the link sets the account's password
    )
)
SIGNUP_EXISTING_ACCOUNT = register(
    Kind(
        "partner_signup_existing",
        _("Partner sign-up with an address that already has an account"),
        can_turn_off=False,
        unsubscribe_link=False,
        listed=False,
    )
)
SIGNUP_SUBMITTED = register(
    Kind("partner_signup_submitted", _("Partner sign-ups waiting for review (CTE staff)"))
)
APPROVED = register(Kind("partner_approved", _("Your organization or account was approved")))
DECLINED = register(
    Kind(
        "partner_declined",
        _("Your partner sign-up was declined"),
        can_turn_off=False,
        unsubscribe_link=False,
        listed=False,
    )
)
INVITATION = register(
    Kind(
        "partner_invitation",
        _("Invitation to join a partner organization"),
        can_turn_off=False,
        unsubscribe_link=False,
        listed=False,
        confidential=True,  # the link sets the account's password
    )
)
# About their own account: it stops working, so there is nothing left to unsubscribe from.
CONTACT_REMOVED = register(
    Kind(
        "partner_contact_removed",
        _("You no longer act for a partner organization"),
        can_turn_off=False,
        unsubscribe_link=False,
        listed=False,
    )
)
INVITATION_EXISTING_ACCOUNT = register(
    Kind(
        "partner_invite_existing",
        _("Partner invitations to an address that already has an account (CTE staff)"),
    )
)
EXPIRING = register(
    Kind(
        "partner_expiring",
        _("Partner agreements and insurance expiring (CTE staff, weekly)"),
    )
)
NEXT_STEP = register(Kind("partner_next_step", _("Partner follow-ups given to you (CTE staff)")))
MAILING_LIST_CONFIRM = register(
    Kind(
        "mailing_list_confirm",
        _("Mailing list: confirm your subscription"),
        can_turn_off=False,
        unsubscribe_link=False,
        listed=False,
    )
)
# Subscribers have no account: the list's own signed unsubscribe link is in the body.
MAILING_LIST_WELCOME = register(
    Kind(
        "mailing_list_welcome",
        _("Mailing list: welcome"),
        can_turn_off=False,
        unsubscribe_link=False,
        listed=False,
    )
)
