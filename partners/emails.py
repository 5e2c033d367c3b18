"""One function per message the partners app sends. Each writes outbox rows through
``notify`` in the caller's transaction (services call these), so a message is sent only if
the event commits, and exactly once per event and person.

Links that carry a personal token are absolute (``PORTAL_BASE_URL``) and rendered into the
message, one ``notify`` call per person; links in the notification centre are paths.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.urls import reverse

from cte_portal.notifications.services import Recipient, notify
from cte_portal.users.enums import Role
from cte_portal.users.models import User

from . import notifications as kinds
from . import tokens
from .enums import ContactStatus
from .models import Contact, Interaction, MailingListSubscriber, Organization


def _absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL + path


def _staff() -> list[User]:
    return list(User.objects.filter(role=Role.STAFF, is_active=True).order_by("pk"))


def signup_confirmation(*, contact: Contact) -> None:
    """ "Confirm your e-mail" with the signed link, to a person who just signed up."""
    token = tokens.signup_token(contact_id=contact.pk, email=contact.user.email)
    notify(
        kind=kinds.SIGNUP_CONFIRM.key,
        event_key=f"contact:{contact.pk}:confirm:{uuid.uuid4()}",
        recipients=[contact.user],
        context={
            "contact": contact,
            "organization": contact.organization,
            "confirm_url": _absolute(reverse("partners:join_confirm", args=[token])),
            "max_age_days": _days("PARTNERS_SIGNUP_LINK_MAX_AGE"),
        },
        about=contact,
    )


def signup_existing_account(*, email: str, language: str, organization_name: str) -> None:
    """Someone signed up with an address that already has an account: tell its owner (the
    sign-up page says the same thing whoever owns the address, so it reveals nothing)."""
    notify(
        kind=kinds.SIGNUP_EXISTING_ACCOUNT.key,
        event_key=f"existing:{uuid.uuid4()}",
        recipients=[Recipient(email=email.lower(), language=language)],
        context={
            "organization_name": organization_name,
            "login_url": _absolute(reverse("account_login")),
            "reset_url": _absolute(reverse("account_reset_password")),
        },
    )


def signup_submitted(*, contact: Contact) -> None:
    """To CTE staff: a confirmed sign-up waits in the review queue (a new organization, or a
    person asking to join one already known)."""
    organization = contact.organization
    notify(
        kind=kinds.SIGNUP_SUBMITTED.key,
        event_key=f"contact:{contact.pk}:submitted",
        recipients=_staff(),
        context={
            "contact": contact,
            "organization": organization,
            "join_request": contact.join_request,
        },
        about=organization,
        # A request to join is decided on its own page; a new organization on its page.
        link=reverse("partners:contact_decide", args=[contact.pk])
        if contact.join_request
        else reverse("partners:detail", args=[organization.pk]),
    )


def organization_decided(
    *, organization: Organization, approved: bool, contacts: list[Contact]
) -> None:
    """To the organization's contacts: staff approved or declined their sign-up."""
    if not contacts:
        return
    stamp = organization.status_changed_at.isoformat() if organization.status_changed_at else ""
    kind = kinds.APPROVED if approved else kinds.DECLINED
    notify(
        kind=kind.key,
        event_key=f"organization:{organization.pk}:{organization.status}:{stamp}",
        recipients=[c.user for c in contacts],
        context={
            "organization": organization,
            "reason": organization.decision_reason,
            "login_url": _absolute(reverse("account_login")),
            "join_request": False,
        },
        about=organization,
        link=reverse("partners:dashboard") if approved else "",
    )


def contact_decided(*, contact: Contact) -> None:
    """To a person who asked to join a known organization: staff's answer."""
    approved = contact.status == ContactStatus.ACTIVE
    kind = kinds.APPROVED if approved else kinds.DECLINED
    notify(
        kind=kind.key,
        event_key=f"contact:{contact.pk}:{contact.status}",
        recipients=[contact.user],
        context={
            "organization": contact.organization,
            "reason": contact.decision_reason,
            "login_url": _absolute(reverse("account_login")),
            "join_request": True,
        },
        about=contact.organization,
        link=reverse("partners:dashboard") if approved else "",
    )


def contact_removed(*, contact: Contact) -> None:
    """To a person removed from their organization: they can no longer sign in for it, and
    who to ask if that is a mistake. An invitation cancelled before it was accepted tells
    nobody: that person never acted for the organization."""
    notify(
        kind=kinds.CONTACT_REMOVED.key,
        event_key=f"contact:{contact.pk}:removed:{contact.decided_at.isoformat()}",
        recipients=[contact.user],
        context={
            "organization": contact.organization,
            "reason": contact.decision_reason,
            "removed_by_staff": getattr(contact.decided_by, "role", "") == Role.STAFF,
        },
        about=contact.organization,
    )


def invitation(*, contact: Contact, invited_by: Any) -> None:
    """A colleague's invitation, with the signed link to choose a password and accept."""
    token = tokens.invitation_token(contact_id=contact.pk, email=contact.user.email)
    notify(
        kind=kinds.INVITATION.key,
        event_key=f"contact:{contact.pk}:invitation:{uuid.uuid4()}",
        recipients=[contact.user],
        context={
            "contact": contact,
            "organization": contact.organization,
            "invited_by": invited_by,
            "accept_url": _absolute(reverse("partners:invitation_accept", args=[token])),
            "max_age_days": _days("PARTNERS_INVITATION_MAX_AGE"),
        },
        about=contact,
    )


def invitation_existing_account(
    *, organization: Organization, account: User, invited_by: Any
) -> None:
    """To CTE staff: a partner's contact invited an address that belongs to an account the
    portal already has. Nothing was linked; staff decide (and never link a student's or a
    staff member's account). Once per organization and account, however often it is tried."""
    notify(
        kind=kinds.INVITATION_EXISTING_ACCOUNT.key,
        event_key=f"organization:{organization.pk}:invite-existing:{account.pk}",
        recipients=_staff(),
        context={
            "organization": organization,
            "account": account,
            "role": account.get_role_display(),
            "invited_by": invited_by,
        },
        about=organization,
        link=reverse("partners:detail", args=[organization.pk]),
    )


def compliance_reminder(*, period: str, agreements: list, insurance: list) -> int:
    """To CTE staff, once per ``period``: agreements and insurance certificates that expired
    or expire soon, with a link to the page that lists them."""
    from . import conf

    return notify(
        kind=kinds.EXPIRING.key,
        event_key=f"compliance:{period}",
        recipients=_staff(),
        context={
            "agreements": agreements[:REMINDER_ITEMS],
            "agreements_more": max(0, len(agreements) - REMINDER_ITEMS),
            "insurance": insurance[:REMINDER_ITEMS],
            "insurance_more": max(0, len(insurance) - REMINDER_ITEMS),
            "days": conf.get("PARTNERS_EXPIRING_DAYS"),
        },
        link=reverse("partners:expiring"),
    )


# A reminder names this many of each; the page lists them all.
REMINDER_ITEMS = 20


def next_step_assigned(*, interaction: Interaction, by: Any = None) -> None:
    """To the staff member who owns an interaction's next step, unless they gave it to
    themselves (``by``: who set the owner; the person who logged it by default)."""
    owner = interaction.owner
    by = by if by is not None else interaction.recorded_by
    if owner is None or owner.pk == getattr(by, "pk", None):
        return
    notify(
        kind=kinds.NEXT_STEP.key,
        event_key=f"interaction:{interaction.pk}:owner:{owner.pk}",
        recipients=[owner],
        context={
            "interaction": interaction,
            "organization": interaction.organization,
            "giver": by,
        },
        about=interaction.organization,
        link=reverse("partners:detail", args=[interaction.organization_id]),
    )


def mailing_list_confirmation(*, subscriber: MailingListSubscriber) -> None:
    token = tokens.list_confirm_token(subscriber_id=subscriber.pk, email=subscriber.email)
    notify(
        kind=kinds.MAILING_LIST_CONFIRM.key,
        event_key=f"subscriber:{subscriber.pk}:confirm:{uuid.uuid4()}",
        recipients=[Recipient(email=subscriber.email, language=subscriber.language)],
        context={
            "subscriber": subscriber,
            "confirm_url": _absolute(reverse("partners:mailing_list_confirm", args=[token])),
            "max_age_days": _days("PARTNERS_MAILING_LIST_LINK_MAX_AGE"),
        },
        about=subscriber,
    )


def mailing_list_welcome(*, subscriber: MailingListSubscriber) -> None:
    notify(
        kind=kinds.MAILING_LIST_WELCOME.key,
        event_key=f"subscriber:{subscriber.pk}:welcome:{subscriber.confirmed_at.isoformat()}",
        recipients=[Recipient(email=subscriber.email, language=subscriber.language)],
        context={
            "subscriber": subscriber,
            "unsubscribe_url": mailing_list_unsubscribe_url(subscriber),
        },
        about=subscriber,
    )


def mailing_list_unsubscribe_url(subscriber: MailingListSubscriber) -> str:
    """The list's one-click unsubscribe link for this subscriber (every list message has it)."""
    token = tokens.list_unsubscribe_token(subscriber_id=subscriber.pk, email=subscriber.email)
    return _absolute(reverse("partners:mailing_list_unsubscribe", args=[token]))


def _days(setting: str) -> int:
    from . import conf

    return max(1, int(conf.get(setting)) // 86400)
