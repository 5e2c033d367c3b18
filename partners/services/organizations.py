"""A partner's life: sign-up, e-mail confirmation, staff's decision, later status changes.

    sign-up ──► PENDING (contact UNCONFIRMED) ──confirm e-mail──► in the review queue
        │                                                        (staff notified)
        │            approve ──► APPROVED: contacts ACTIVE, accounts may sign in
        │            decline ──► DECLINED (with a reason): contacts DECLINED
        └─ same name and website as a known organization: no second organization; the person
           becomes a PENDING contact of the known one once confirmed, and staff decide.

An approved partner may be SUSPENDED or ARCHIVED (its contacts can no longer sign in) and
approved again. Every decision records who made it, when and why, and notifies the contacts
through the outbox after commit.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cte_portal.users.enums import Role
from cte_portal.users.models import User

from .. import emails, selectors, tokens
from ..enums import ContactStatus, OrganizationStatus
from ..models import Contact, Offer, Organization
from .base import PartnerError, one_transaction, validated


@dataclass(frozen=True)
class Signup:
    """Everything the /partners/join/ form asks for: the organization, its first contact, and
    what it can offer (each offer kind in each of its sectors)."""

    organization_name: str
    kind: str
    size: str
    email: str
    full_name: str
    sectors: list[Any] = field(default_factory=list)
    offers: list[str] = field(default_factory=list)
    website: str = ""
    street_address: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    phone: str = ""
    description: str = ""
    job_title: str = ""
    contact_phone: str = ""
    language: str = "en"

    def snapshot(self) -> dict[str, Any]:
        """What the person typed, kept for staff when it matched a known organization."""
        data = asdict(self)
        data["sectors"] = [s.name for s in self.sectors]
        return data


@dataclass(frozen=True)
class SignupResult:
    """What happened. The page says the same for every outcome ("check your e-mail"), so it
    never reveals whether an address has an account or an organization is known."""

    outcome: str  # "created", "duplicate", "resent" or "existing_account"
    contact: Contact | None = None


def organization_signup(*, signup: Signup) -> SignupResult:
    """Sign an organization up, or route a second sign-up of a known one to staff.

    Creates the contact's account (employer role, inactive until staff approve, no password
    until the e-mail is confirmed) and sends the signed confirmation link.
    """
    email = signup.email.strip().lower()
    try:
        with transaction.atomic():
            return _signup(signup, email)
    except IntegrityError:
        # Someone signed the same organization (or address) up at the same instant: the
        # database refused the second; the retry sees the first and routes accordingly.
        with transaction.atomic():
            return _signup(signup, email)


def _signup(signup: Signup, email: str) -> SignupResult:
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        contact = Contact.objects.filter(user=existing).first()
        if contact is not None and contact.status == ContactStatus.UNCONFIRMED:
            emails.signup_confirmation(contact=contact)
            return SignupResult("resent", contact)
        emails.signup_existing_account(
            email=email, language=signup.language, organization_name=signup.organization_name
        )
        return SignupResult("existing_account")

    known = selectors.organization_find_duplicate(
        name=signup.organization_name, website=signup.website
    )
    user = User.objects.create_user(
        email,
        password=None,  # unusable until they choose one with the confirmation link
        role=Role.EMPLOYER,
        full_name=signup.full_name.strip(),
        preferred_language=signup.language,
        is_active=False,  # signs in once staff approve
    )
    EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)

    if known is not None:
        contact = Contact.objects.create(
            user=user,
            organization=known,
            job_title=signup.job_title,
            phone=signup.contact_phone,
            join_request=True,
            signup_details=signup.snapshot(),
        )
        emails.signup_confirmation(contact=contact)
        return SignupResult("duplicate", contact)

    organization = Organization(
        name=signup.organization_name.strip(),
        kind=signup.kind,
        size=signup.size,
        website=signup.website,
        street_address=signup.street_address,
        city=signup.city,
        state=signup.state,
        postal_code=signup.postal_code,
        phone=signup.phone,
        description=signup.description,
    )
    validated(organization, exclude=("sectors",))
    organization.save()
    organization.sectors.set(signup.sectors)
    Offer.objects.bulk_create(
        Offer(organization=organization, sector=sector, kind=kind)
        for sector in signup.sectors
        for kind in dict.fromkeys(signup.offers)
    )
    contact = Contact.objects.create(
        user=user,
        organization=organization,
        is_primary=True,
        job_title=signup.job_title,
        phone=signup.contact_phone,
    )
    emails.signup_confirmation(contact=contact)
    return SignupResult("created", contact)


def signup_contact_for_token(token: str) -> Contact:
    """The contact a confirmation link names (``tokens.TokenInvalid``/``TokenExpired`` if the
    link was tampered with, is too old, or its address changed since)."""
    claim = tokens.read_signup_token(token)
    contact = Contact.objects.select_related("user", "organization").filter(pk=claim.pk).first()
    if contact is None or contact.user.email.lower() != claim.email:
        raise tokens.TokenInvalid("No such sign-up.")
    return contact


@one_transaction
def organization_signup_confirm(*, token: str, password: str) -> Contact:
    """The person followed the signed link and chose a password: their e-mail is confirmed,
    the sign-up enters the review queue and staff are notified.

    Confirming twice changes nothing (PartnerError with ``conflict``).
    """
    contact = signup_contact_for_token(token)
    contact = (
        Contact.objects.select_for_update()
        .select_related("user", "organization")
        .get(pk=contact.pk)
    )
    if contact.status != ContactStatus.UNCONFIRMED:
        raise PartnerError(_("This e-mail address is already confirmed."), conflict=True)
    now = timezone.now()
    user = contact.user
    user.set_password(password)
    user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    contact.status = ContactStatus.PENDING
    contact.confirmed_at = now
    contact.save(update_fields=["status", "confirmed_at"])
    organization = contact.organization
    if contact.is_primary and organization.status == OrganizationStatus.PENDING:
        organization.submitted_at = now
        organization.save(update_fields=["submitted_at", "updated_at"])
    emails.signup_submitted(contact=contact)
    return contact


def signup_resend(*, email: str) -> bool:
    """Send a fresh confirmation link to an unconfirmed sign-up's address. Returns whether
    one was sent; the page says the same either way."""
    contact = (
        Contact.objects.select_related("user", "organization")
        .filter(user__email__iexact=email.strip(), status=ContactStatus.UNCONFIRMED)
        .first()
    )
    if contact is None:
        return False
    with transaction.atomic():
        emails.signup_confirmation(contact=contact)
    return True


def _locked(organization: Organization) -> Organization:
    return Organization.objects.select_for_update().get(pk=organization.pk)


def _set_status(organization: Organization, status: str, actor: Any, reason: str) -> None:
    organization.status = status
    organization.status_changed_at = timezone.now()
    organization.status_changed_by = actor
    organization.decision_reason = reason.strip()
    organization.save(
        update_fields=[
            "status",
            "status_changed_at",
            "status_changed_by",
            "decision_reason",
            "updated_at",
        ]
    )


@one_transaction
def organization_approve(
    *, organization: Organization, actor: Any, reason: str = ""
) -> Organization:
    """Approve a sign-up (or reinstate a suspended or archived partner): its waiting contacts
    become active, every active contact may sign in, and they are told by e-mail."""
    organization = _locked(organization)
    if organization.status == OrganizationStatus.APPROVED:
        raise PartnerError(_("This organization is already approved."), conflict=True)
    if organization.status == OrganizationStatus.PENDING and organization.submitted_at is None:
        raise PartnerError(
            _("The person who signed up has not confirmed their e-mail address yet."),
            conflict=True,
        )
    if organization.status == OrganizationStatus.DECLINED:
        twin = selectors.organization_find_duplicate(
            name=organization.name, website=organization.website, exclude=organization
        )
        if twin is not None:
            raise PartnerError(
                _("Another organization with this name and website exists: %(name)s.")
                % {"name": twin.name},
                conflict=True,
            )
    was_declined = organization.status == OrganizationStatus.DECLINED
    _set_status(organization, OrganizationStatus.APPROVED, actor, reason)
    now = timezone.now()
    # Those who signed up with it and confirmed their address (not someone asking to join
    # through a duplicate sign-up: staff decide on each of those separately). Approving a
    # declined sign-up after all lets its declined people in too.
    waiting = Q(status=ContactStatus.PENDING)
    if was_declined:
        waiting |= Q(status=ContactStatus.DECLINED, confirmed_at__isnull=False)
    Contact.objects.filter(waiting, organization=organization, join_request=False).update(
        status=ContactStatus.ACTIVE, decided_at=now, decided_by=actor, decision_reason=""
    )
    active = list(
        Contact.objects.filter(organization=organization, status=ContactStatus.ACTIVE)
        .select_related("user")
        .order_by("pk")
    )
    User.objects.filter(pk__in=[c.user_id for c in active]).update(is_active=True)
    emails.organization_decided(organization=organization, approved=True, contacts=active)
    return organization


@one_transaction
def organization_decline(*, organization: Organization, actor: Any, reason: str) -> Organization:
    """Decline a sign-up, saying why. Its contacts stay unable to sign in and those who
    confirmed their address are told, with the reason."""
    if not reason.strip():
        raise PartnerError(_("Say why the sign-up is declined."), field="reason")
    organization = _locked(organization)
    if organization.status != OrganizationStatus.PENDING:
        raise PartnerError(_("Only a sign-up waiting for review can be declined."), conflict=True)
    _set_status(organization, OrganizationStatus.DECLINED, actor, reason)
    waiting = list(
        Contact.objects.filter(
            organization=organization,
            status__in=[ContactStatus.UNCONFIRMED, ContactStatus.PENDING],
        )
        .select_related("user")
        .order_by("pk")
    )
    told = [c for c in waiting if c.status == ContactStatus.PENDING]
    Contact.objects.filter(pk__in=[c.pk for c in waiting]).update(
        status=ContactStatus.DECLINED,
        decided_at=timezone.now(),
        decided_by=actor,
        decision_reason=reason.strip(),
    )
    emails.organization_decided(organization=organization, approved=False, contacts=told)
    return organization


def _pause(organization: Organization, status: str, actor: Any, reason: str) -> Organization:
    organization = _locked(organization)
    if organization.status not in (OrganizationStatus.APPROVED, OrganizationStatus.SUSPENDED):
        raise PartnerError(
            _("Only an approved or suspended partner can be suspended or archived."),
            conflict=True,
        )
    if organization.status == status:
        raise PartnerError(_("Nothing to change."), conflict=True)
    _set_status(organization, status, actor, reason)
    # Its people can no longer sign in (their contact records stay active for a reinstatement).
    User.objects.filter(partner_contact__organization=organization, role=Role.EMPLOYER).update(
        is_active=False
    )
    return organization


@one_transaction
def organization_suspend(
    *, organization: Organization, actor: Any, reason: str = ""
) -> Organization:
    return _pause(organization, OrganizationStatus.SUSPENDED, actor, reason)


@one_transaction
def organization_archive(
    *, organization: Organization, actor: Any, reason: str = ""
) -> Organization:
    return _pause(organization, OrganizationStatus.ARCHIVED, actor, reason)


ORGANIZATION_FIELDS = (
    "name",
    "kind",
    "size",
    "website",
    "street_address",
    "city",
    "state",
    "postal_code",
    "phone",
    "description",
    "insurance_expires_on",
)


@one_transaction
def organization_update(
    *, organization: Organization, actor: Any, sectors: list[Any] | None = None, **fields: Any
) -> Organization:
    """Staff correct an organization's details, sectors and compliance dates."""
    unknown = set(fields) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise PartnerError(_("These fields cannot be set: %(names)s") % {"names": sorted(unknown)})
    organization = _locked(organization)
    for name, value in fields.items():
        setattr(organization, name, value)
    validated(organization, exclude=("sectors",))
    twin = selectors.organization_find_duplicate(
        name=organization.name, website=organization.website, exclude=organization
    )
    if twin is not None and organization.status != OrganizationStatus.DECLINED:
        raise PartnerError(
            _("Another organization with this name and website exists: %(name)s.")
            % {"name": twin.name},
            field="name",
        )
    organization.save()
    if sectors is not None:
        organization.sectors.set(sectors)
    return organization
