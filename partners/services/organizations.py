"""A partner's life: sign-up, e-mail confirmation, staff's decision, later status changes.

    sign-up ──► PENDING (contact UNCONFIRMED) ──confirm e-mail──► in the review queue
        │                                                        (staff notified)
        │            approve ──► APPROVED: contacts ACTIVE, accounts may sign in
        │            decline ──► DECLINED (with a reason): contacts DECLINED
        └─ same name and website as a known organization: no second organization; the person
           becomes a PENDING contact of the known one once confirmed, and staff decide. If the
           known one is a sign-up its person never confirmed, the first to confirm takes it
           over (primary contact, into the queue) so it can never be stuck.

A sign-up whose every confirmation link expired is abandoned: it no longer counts as known,
and a new sign-up of the same organization declines it. Someone declined (or whose sign-up
was) may sign up again with the same address; any other existing account is told to sign in.

An approved partner may be SUSPENDED or ARCHIVED (its contacts can no longer sign in) and
approved again. Every decision records who made it, when and why, and notifies the contacts
through the outbox after commit.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
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
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    history: dict[str, Any] = {}
    if user is not None:
        contact = Contact.objects.select_related("organization").filter(user=user).first()
        if contact is not None and contact.status == ContactStatus.UNCONFIRMED:
            _send_confirmation(contact)
            return SignupResult("resent", contact)
        if not _may_sign_up_again(user, contact):
            emails.signup_existing_account(
                email=email, language=signup.language, organization_name=signup.organization_name
            )
            return SignupResult("existing_account")
        history = _forget_declined(contact)
        _reset_account(user, signup)
    else:
        user = User.objects.create_user(
            email,
            password=None,  # unusable until they choose one with the confirmation link
            role=Role.EMPLOYER,
            full_name=signup.full_name.strip(),
            preferred_language=signup.language,
            is_active=False,  # signs in once staff approve
        )
        EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)

    known = selectors.organization_find_duplicate(
        name=signup.organization_name, website=signup.website
    )
    if known is not None:
        contact = Contact.objects.create(
            user=user,
            organization=known,
            job_title=signup.job_title,
            phone=signup.contact_phone,
            join_request=True,
            signup_details=signup.snapshot() | history,
        )
        _send_confirmation(contact)
        return SignupResult("duplicate", contact)

    _retire_abandoned(name=signup.organization_name, website=signup.website)
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
        signup_details=history,
    )
    _send_confirmation(contact)
    return SignupResult("created", contact)


def _send_confirmation(contact: Contact) -> None:
    """E-mail a fresh confirmation link, and remember when: the sign-up counts as abandoned
    only once its latest link has expired."""
    contact.confirmation_sent_at = timezone.now()
    contact.save(update_fields=["confirmation_sent_at"])
    emails.signup_confirmation(contact=contact)


def _may_sign_up_again(user: User, contact: Contact | None) -> bool:
    """An account that only ever existed for a sign-up staff declined: its owner may sign up
    again with it. Anyone else with an account (a student, staff, an active or removed partner
    contact, someone who has signed in) is told to sign in instead."""
    if contact is None or user.role != Role.EMPLOYER or user.is_staff or user.is_superuser:
        return False
    if user.is_active or user.last_login is not None:
        return False
    declined = contact.status == ContactStatus.DECLINED or (
        contact.organization.status == OrganizationStatus.DECLINED
        and contact.status in (ContactStatus.UNCONFIRMED, ContactStatus.PENDING)
    )
    return declined


def _forget_declined(contact: Contact) -> dict[str, Any]:
    """Let the person go from the sign-up staff declined (an account belongs to one
    organization), keeping what staff decided for whoever reviews the new sign-up."""
    organization = contact.organization
    decided_at = contact.decided_at or organization.status_changed_at
    history = {
        "declined_before": {
            "organization": organization.name,
            "reason": contact.decision_reason or organization.decision_reason,
            "decided_at": decided_at.isoformat() if decided_at else "",
        }
    }
    contact.delete()
    return history


def _reset_account(user: User, signup: Signup) -> None:
    """A declined person's account, ready for a new sign-up: no password until the new link
    is followed, the address unconfirmed, and still unable to sign in until staff approve."""
    user.full_name = signup.full_name.strip()
    user.preferred_language = signup.language
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["full_name", "preferred_language", "is_active", "password"])
    EmailAddress.objects.filter(user=user).update(verified=False)


def _retire_abandoned(*, name: str, website: str, exclude: Organization | None = None) -> None:
    """Abandoned sign-ups of this identity are declined (nobody confirmed them in time), so a
    genuine sign-up or correction can take the name. Their people are declined with them."""
    now = timezone.now()
    # Written for staff, in the portal's language (not that of whoever signed up now).
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("Nobody confirmed the sign-up's e-mail address in time.")
    for twin in selectors.abandoned_twins(name=name, website=website, exclude=exclude):
        twin = _locked(twin)
        twin.status = OrganizationStatus.DECLINED
        twin.status_changed_at = now
        twin.status_changed_by = None
        twin.decision_reason = reason
        twin.save(
            update_fields=[
                "status",
                "status_changed_at",
                "status_changed_by",
                "decision_reason",
                "updated_at",
            ]
        )
        Contact.objects.filter(
            organization=twin, status__in=[ContactStatus.UNCONFIRMED, ContactStatus.PENDING]
        ).update(status=ContactStatus.DECLINED, decided_at=now, decision_reason=reason)


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
    # The organization first, then the person: two people confirming on one sign-up at once
    # take turns, so only one of them can become its primary contact.
    _locked(contact.organization)
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
    if contact.join_request and organization.status == OrganizationStatus.PENDING:
        _take_over_unconfirmed_signup(contact)
    if contact.is_primary and organization.status == OrganizationStatus.PENDING:
        organization.submitted_at = now
        organization.save(update_fields=["submitted_at", "updated_at"])
    emails.signup_submitted(contact=contact)
    return contact


def _take_over_unconfirmed_signup(contact: Contact) -> None:
    """Someone asked to join a sign-up whose own person never confirmed: the sign-up would
    wait forever (it cannot be approved unconfirmed, nor the request before the organization).
    The one who confirmed becomes its primary contact and the sign-up goes to review; the
    first person, should they confirm later, becomes a request to join, decided by staff."""
    primary = Contact.objects.filter(organization=contact.organization, is_primary=True).first()
    if primary is not None and primary.status != ContactStatus.UNCONFIRMED:
        return
    if primary is not None:
        organization = contact.organization
        primary.is_primary = False
        primary.join_request = True
        # What they signed up with, for staff deciding on them (and any history kept).
        primary.signup_details = {
            "organization_name": organization.name,
            "website": organization.website,
            "city": organization.city,
            "sectors": list(organization.sectors.values_list("name", flat=True)),
            "job_title": primary.job_title,
            "contact_phone": primary.phone,
        } | primary.signup_details
        primary.save(update_fields=["is_primary", "join_request", "signup_details"])
    contact.is_primary = True
    contact.join_request = False
    contact.save(update_fields=["is_primary", "join_request"])


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
        _send_confirmation(contact)
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
        _retire_abandoned(name=organization.name, website=organization.website)
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


@dataclass(frozen=True)
class OrganizationUpdate:
    """What a correction changed beyond the fields: the offers that went with the sectors
    staff removed (an organization offers only in its own sectors)."""

    organization: Organization
    removed_offers: list[Offer] = field(default_factory=list)


@one_transaction
def organization_update(
    *, organization: Organization, actor: Any, sectors: list[Any] | None = None, **fields: Any
) -> OrganizationUpdate:
    """Staff correct an organization's details, sectors and compliance dates. Removing a
    sector removes what the organization offered in it, in the same transaction."""
    unknown = set(fields) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise PartnerError(_("These fields cannot be set: %(names)s") % {"names": sorted(unknown)})
    organization = _locked(organization)
    for name, value in fields.items():
        setattr(organization, name, value)
    validated(organization, exclude=("sectors",))
    if organization.status != OrganizationStatus.DECLINED:
        _retire_abandoned(
            name=organization.name, website=organization.website, exclude=organization
        )
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
    removed: list[Offer] = []
    if sectors is not None:
        organization.sectors.set(sectors)
        gone = Offer.objects.filter(organization=organization).exclude(
            sector__in=[getattr(s, "pk", s) for s in sectors]
        )
        removed = list(gone.select_related("sector").order_by("sector__name", "kind"))
        Offer.objects.filter(pk__in=[o.pk for o in removed]).delete()
    return OrganizationUpdate(organization=organization, removed_offers=removed)
