"""A partner's people: colleagues invited by e-mail, people who asked to join a known
organization, and the compliance facts staff keep about each (background checks).

    invite ──► INVITED (account created, inactive, no password) ──accept link──► ACTIVE
    duplicate sign-up, confirmed ──► PENDING ──staff approve──► ACTIVE / decline ──► DECLINED
"""

from __future__ import annotations

from datetime import date
from typing import Any

from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.translation import gettext as _

from cte_portal.users.enums import Role
from cte_portal.users.models import User

from .. import emails, tokens
from ..enums import BackgroundCheck, ContactStatus, OrganizationStatus
from ..models import Contact, Organization
from .base import PartnerError, one_transaction, validated


@one_transaction
def colleague_invite(
    *,
    organization: Organization,
    email: str,
    full_name: str,
    actor: Any,
    job_title: str = "",
    language: str = "en",
) -> Contact | None:
    """Invite a colleague to an approved partner: creates their account (employer role,
    inactive until they accept) and e-mails a signed link to choose a password.

    Inviting someone already invited to the same organization sends the link again; a
    colleague removed earlier is invited back. An address that belongs to any other account
    (a student, staff, another partner's contact) is never linked: CTE staff are told, and the
    inviter hears the same as for any invitation, so the form reveals nobody's account.
    Returns the invited contact, or None when the address went to staff.
    """
    email = email.strip().lower()
    if organization.status != OrganizationStatus.APPROVED:
        raise PartnerError(
            _("Colleagues can be invited once the organization is approved."), conflict=True
        )
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        contact = Contact.objects.filter(user=existing, organization=organization).first()
        known = (ContactStatus.INVITED, ContactStatus.ACTIVE, ContactStatus.REMOVED)
        if contact is None or contact.status not in known or existing.role != Role.EMPLOYER:
            emails.invitation_existing_account(
                organization=organization, account=existing, invited_by=actor
            )
            return None
        if contact.status == ContactStatus.REMOVED:
            contact.status = ContactStatus.INVITED
            contact.invited_by = actor if getattr(actor, "pk", None) else None
            contact.decided_at = None
            contact.decided_by = None
            contact.decision_reason = ""
            contact.save(
                update_fields=[
                    "status",
                    "invited_by",
                    "decided_at",
                    "decided_by",
                    "decision_reason",
                ]
            )
        if contact.status == ContactStatus.INVITED:
            emails.invitation(contact=contact, invited_by=actor)
        # Already active, or waiting for staff: nothing to send, and nothing to reveal.
        return contact
    user = User.objects.create_user(
        email,
        password=None,
        role=Role.EMPLOYER,
        full_name=full_name.strip(),
        preferred_language=language,
        is_active=False,
    )
    EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    contact = Contact.objects.create(
        user=user,
        organization=organization,
        job_title=job_title.strip(),
        status=ContactStatus.INVITED,
        invited_by=actor if getattr(actor, "pk", None) else None,
    )
    emails.invitation(contact=contact, invited_by=actor)
    return contact


def invitation_contact_for_token(token: str) -> Contact:
    """The contact an invitation link names (``tokens.TokenInvalid``/``TokenExpired``)."""
    claim = tokens.read_invitation_token(token)
    contact = Contact.objects.select_related("user", "organization").filter(pk=claim.pk).first()
    if contact is None or contact.user.email.lower() != claim.email:
        raise tokens.TokenInvalid("No such invitation.")
    return contact


@one_transaction
def invitation_accept(*, token: str, password: str) -> Contact:
    """The invited colleague chose a password: their account is active and confirmed."""
    contact = invitation_contact_for_token(token)
    contact = (
        Contact.objects.select_for_update()
        .select_related("user", "organization")
        .get(pk=contact.pk)
    )
    if contact.status != ContactStatus.INVITED:
        raise PartnerError(_("This invitation was already used."), conflict=True)
    if contact.organization.status != OrganizationStatus.APPROVED:
        raise PartnerError(
            _("This organization is not an active partner at the moment."), conflict=True
        )
    user = contact.user
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    now = timezone.now()
    contact.status = ContactStatus.ACTIVE
    contact.confirmed_at = now
    contact.decided_at = now
    contact.save(update_fields=["status", "confirmed_at", "decided_at"])
    return contact


def _locked(contact: Contact) -> Contact:
    return (
        Contact.objects.select_for_update()
        .select_related("user", "organization")
        .get(pk=contact.pk)
    )


@one_transaction
def contact_approve(*, contact: Contact, actor: Any) -> Contact:
    """Staff let a person who asked to join a known organization in."""
    contact = _locked(contact)
    if contact.status != ContactStatus.PENDING:
        raise PartnerError(_("Only a request waiting for review can be approved."), conflict=True)
    if contact.organization.status != OrganizationStatus.APPROVED:
        raise PartnerError(
            _("Approve the organization first: its contacts are approved with it."),
            conflict=True,
        )
    contact.status = ContactStatus.ACTIVE
    contact.decided_at = timezone.now()
    contact.decided_by = actor
    contact.save(update_fields=["status", "decided_at", "decided_by"])
    User.objects.filter(pk=contact.user_id).update(is_active=True)
    emails.contact_decided(contact=contact)
    return contact


@one_transaction
def contact_decline(*, contact: Contact, actor: Any, reason: str) -> Contact:
    """Staff refuse a person's request to join a known organization, saying why."""
    if not reason.strip():
        raise PartnerError(_("Say why the request is declined."), field="reason")
    contact = _locked(contact)
    if contact.status != ContactStatus.PENDING:
        raise PartnerError(_("Only a request waiting for review can be declined."), conflict=True)
    contact.status = ContactStatus.DECLINED
    contact.decided_at = timezone.now()
    contact.decided_by = actor
    contact.decision_reason = reason.strip()
    contact.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    emails.contact_decided(contact=contact)
    return contact


@one_transaction
def contact_update(
    *,
    contact: Contact,
    actor: Any,
    job_title: str,
    phone: str,
    works_with_students: bool,
    background_check: str,
    background_checked_on: date | None,
) -> Contact:
    """Staff keep a contact's details and background check (for those with students)."""
    contact = _locked(contact)
    if background_check == BackgroundCheck.CLEARED and background_checked_on is None:
        raise PartnerError(
            _("Give the date the background check cleared."), field="background_checked_on"
        )
    contact.job_title = job_title.strip()
    contact.phone = phone.strip()
    contact.works_with_students = works_with_students
    contact.background_check = background_check
    contact.background_checked_on = background_checked_on
    validated(contact, exclude=("user", "organization"))
    contact.save()
    return contact


@one_transaction
def contact_make_primary(*, contact: Contact, actor: Any) -> Contact:
    """Make an active contact their organization's primary contact (the one CTE staff call
    first); the previous primary stays a contact."""
    organization = Organization.objects.select_for_update().get(pk=contact.organization_id)
    contact = _locked(contact)
    if contact.status != ContactStatus.ACTIVE:
        raise PartnerError(_("Only an active contact can be the primary contact."), conflict=True)
    if contact.is_primary:
        raise PartnerError(_("This person is already the primary contact."), conflict=True)
    # Unset the old primary first: the database allows one primary per organization.
    Contact.objects.filter(organization=organization, is_primary=True).update(is_primary=False)
    contact.is_primary = True
    contact.save(update_fields=["is_primary"])
    return contact


@one_transaction
def contact_remove(*, contact: Contact, actor: Any, reason: str = "") -> Contact:
    """Remove a person from their organization (they left, or should no longer act for it),
    or cancel their invitation. They can no longer sign in as its contact. The organization
    keeps at least one active contact, and its primary contact is changed before removing."""
    organization = Organization.objects.select_for_update().get(pk=contact.organization_id)
    contact = _locked(contact)
    if contact.status not in (ContactStatus.ACTIVE, ContactStatus.INVITED):
        raise PartnerError(_("Only an active or invited contact can be removed."), conflict=True)
    if contact.is_primary:
        raise PartnerError(
            _("Make another contact primary before removing the primary contact."),
            conflict=True,
        )
    others = Contact.objects.filter(organization=organization, status=ContactStatus.ACTIVE)
    if contact.status == ContactStatus.ACTIVE and not others.exclude(pk=contact.pk).exists():
        raise PartnerError(
            _("An organization keeps at least one active contact: this is its last one."),
            conflict=True,
        )
    was_active = contact.status == ContactStatus.ACTIVE
    contact.status = ContactStatus.REMOVED
    contact.decided_at = timezone.now()
    contact.decided_by = actor if getattr(actor, "pk", None) else None
    contact.decision_reason = reason.strip()
    contact.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    # Their account exists only to act for this organization: it can no longer sign in (the
    # session they may have open ends at their next request).
    User.objects.filter(pk=contact.user_id, role=Role.EMPLOYER).update(is_active=False)
    if was_active:
        emails.contact_removed(contact=contact)
    return contact
