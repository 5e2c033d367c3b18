"""Opportunities: a partner posts one, CTE staff approve it, students see it.

    draft --submit--> submitted --publish (staff)--> published --close--> closed
                          |                              |
                          +--return (reason)--> returned +--cancel--> cancelled
                                  (edit, submit again)

Each step is one transaction, records who acted and when, and tells the people it concerns
through the outbox: a submission tells CTE staff; publishing or returning tells the
organization's contacts; a cancellation tells the students who applied.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.enums import BackgroundCheck, ContactStatus, OrganizationStatus
from partners.models import Contact, Organization
from partners.selectors import contact_for_user

from .. import bounds, emails, permissions
from ..enums import (
    ACTIVE_APPLICATION_STATUSES,
    EDITABLE_STATUSES,
    OpportunityKind,
    OpportunityStatus,
    PlacementStatus,
)
from ..errors import OpportunityError
from ..models import Attendance, Opportunity, OpportunitySession, Placement
from .base import clean_text, one_transaction, require, validated


@dataclass(frozen=True)
class SessionSpec:
    """One meeting: when it starts and ends (aware datetimes)."""

    starts_at: datetime
    ends_at: datetime
    note: str = ""


@dataclass(frozen=True)
class OpportunityDetails:
    """What a host says about an opportunity (the form's and the serializer's cleaned data)."""

    kind: str
    title: str
    description: str
    seats: int
    sessions: Sequence[SessionSpec] = ()
    sectors: Sequence[Any] = ()
    pathways: Sequence[Any] = ()
    is_virtual: bool = False
    address: str = ""
    meeting_url: str = ""
    min_grade: int | None = None
    min_age: int | None = None
    is_paid: bool = False
    hours_per_week: Decimal | None = None
    needs_guardian_consent: bool = False
    needs_background_check: bool = False
    apply_by: date | None = None
    school: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


_SIMPLE_FIELDS = (
    "kind",
    "title",
    "description",
    "seats",
    "is_virtual",
    "address",
    "meeting_url",
    "min_grade",
    "min_age",
    "is_paid",
    "hours_per_week",
    "needs_guardian_consent",
    "needs_background_check",
    "apply_by",
    "school",
)


def _locked(opportunity: Opportunity) -> Opportunity:
    return (
        Opportunity.objects.select_for_update(of=("self",))
        .select_related("organization", "host__user")
        .get(pk=opportunity.pk)
    )


def _check_details(details: OpportunityDetails) -> None:
    if details.kind not in OpportunityKind.values:
        raise OpportunityError(_("Choose the type of opportunity."), field="kind")
    if not clean_text(details.title):
        raise OpportunityError(_("Give the opportunity a title."), field="title")
    if not clean_text(details.description):
        raise OpportunityError(
            _("Describe the opportunity: what students will do and learn."), field="description"
        )
    if details.seats is None or details.seats < 1:
        raise OpportunityError(_("Offer at least one seat."), field="seats")
    _check_bounds(details)
    for spec in details.sessions:
        if not (bounds.in_range(spec.starts_at) and bounds.in_range(spec.ends_at)):
            raise OpportunityError(
                _("Each session must be from %(first)s to %(last)s.")
                % {"first": bounds.FIRST_YEAR, "last": bounds.LAST_YEAR},
                field="sessions",
            )
        if spec.ends_at <= spec.starts_at:
            raise OpportunityError(_("Each session must end after it starts."), field="sessions")
    pathways_outside = [
        p for p in details.pathways if details.sectors and p.sector_id not in _ids(details.sectors)
    ]
    if pathways_outside:
        raise OpportunityError(
            _("%(pathway)s is not in the sectors chosen.") % {"pathway": pathways_outside[0].name},
            field="pathways",
        )


def _check_bounds(details: OpportunityDetails) -> None:
    """Numbers and dates within what a district can mean (``workbased.bounds``)."""
    bounds.check_number(
        OpportunityError,
        details.seats,
        field="seats",
        low=1,
        high=bounds.MAX_SEATS,
        message=_("Offer from 1 to %(max)s seats.") % {"max": bounds.MAX_SEATS},
    )
    bounds.check_number(
        OpportunityError,
        details.min_grade,
        field="min_grade",
        low=bounds.MIN_GRADE,
        high=bounds.MAX_GRADE,
        message=_("The minimum grade goes from 7 to 12."),
    )
    bounds.check_number(
        OpportunityError,
        details.min_age,
        field="min_age",
        low=bounds.MIN_AGE,
        high=bounds.MAX_AGE,
        message=_("The minimum age goes from 10 to 21."),
    )
    bounds.check_number(
        OpportunityError,
        details.hours_per_week,
        field="hours_per_week",
        low=0,
        high=bounds.MAX_HOURS_PER_WEEK,
        above_low=True,
        message=_("Hours per week must be more than 0 and at most 60."),
    )
    bounds.check_dates(OpportunityError, apply_by=details.apply_by)


def _ids(objects: Iterable[Any]) -> set[int]:
    return {o.pk for o in objects}


def _host_for(organization: Organization, host: Contact | None, by: Any) -> Contact | None:
    if host is None:
        contact = contact_for_user(user=by)
        return contact if contact and contact.organization_id == organization.pk else None
    if host.organization_id != organization.pk or host.status != ContactStatus.ACTIVE:
        raise OpportunityError(
            _("The host must be an active contact of %(organization)s.")
            % {"organization": organization.name},
            field="host",
        )
    return host


def _write(opportunity: Opportunity, details: OpportunityDetails) -> Opportunity:
    for name in _SIMPLE_FIELDS:
        value = getattr(details, name)
        setattr(opportunity, name, value.strip() if isinstance(value, str) else value)
    validated(opportunity, exclude=("organization", "host", "created_by", "decided_by", "school"))
    opportunity.save()
    opportunity.sectors.set(details.sectors)
    if not details.sectors and details.pathways:
        opportunity.sectors.set({p.sector_id for p in details.pathways})
    opportunity.pathways.set(details.pathways)
    _set_sessions(opportunity, details.sessions)
    return opportunity


def _set_sessions(opportunity: Opportunity, specs: Sequence[SessionSpec]) -> None:
    """Keep the sessions that did not change (their attendance and reminders with them), add
    the new ones, remove the others unless someone's attendance is recorded at them."""
    wanted = {(s.starts_at, s.ends_at): s for s in specs}
    current = {(s.starts_at, s.ends_at): s for s in opportunity.sessions.all()}
    gone = [s.pk for key, s in current.items() if key not in wanted]
    if gone and Attendance.objects.filter(session_id__in=gone).exists():
        raise OpportunityError(
            _("A session with recorded attendance cannot be removed."), field="sessions"
        )
    OpportunitySession.objects.filter(pk__in=gone).delete()
    for key, spec in wanted.items():
        if key in current:
            if current[key].note != spec.note:
                OpportunitySession.objects.filter(pk=current[key].pk).update(note=spec.note)
        else:
            OpportunitySession.objects.create(
                opportunity=opportunity,
                starts_at=spec.starts_at,
                ends_at=spec.ends_at,
                note=spec.note,
            )


@one_transaction
def opportunity_create(
    *,
    organization: Organization,
    by: Any,
    details: OpportunityDetails,
    host: Contact | None = None,
) -> Opportunity:
    """A partner (or CTE staff for it) drafts an opportunity. Nobody else sees it until
    staff publish it. The host defaults to the contact creating it."""
    require(
        permissions.can_create_opportunity(by, organization),
        _("Only the organization's contacts and CTE staff can post its opportunities."),
    )
    return draft_opportunity(organization=organization, by=by, details=details, host=host)


def draft_opportunity(
    *, organization: Organization, by: Any, details: OpportunityDetails, host: Contact | None
) -> Opportunity:
    """The rules of a new draft, whoever may create it: ``opportunity_create`` checks that
    ``by`` acts for the organization; a school request checks that ``by`` serves the school
    (the caller holds the transaction)."""
    if organization.status != OrganizationStatus.APPROVED:
        raise OpportunityError(_("Only an approved partner can post opportunities."))
    _check_details(details)
    opportunity = Opportunity(
        organization=organization,
        host=_host_for(organization, host, by),
        created_by=by,
        status=OpportunityStatus.DRAFT,
    )
    return _write(opportunity, details)


@one_transaction
def opportunity_update(
    *,
    opportunity: Opportunity,
    by: Any,
    details: OpportunityDetails,
    host: Contact | None = None,
) -> Opportunity:
    """Change a draft or returned opportunity (staff: any that is not over). Seats never go
    below the seats already taken."""
    opportunity = _locked(opportunity)
    if not permissions.can_edit_opportunity(by, opportunity):
        if permissions.can_manage_opportunity(by, opportunity):
            raise OpportunityError(
                _("This opportunity is %(status)s: ask the CTE office to change it.")
                % {"status": opportunity.get_status_display().lower()},
                conflict=True,
            )
        require(False, _("Only the organization's contacts and CTE staff can change it."))
    _check_details(details)
    if details.seats < opportunity.seats_filled:
        raise OpportunityError(
            _("%(taken)s seats are already taken: offer at least that many.")
            % {"taken": opportunity.seats_filled},
            field="seats",
        )
    if host is not None:
        opportunity.host = _host_for(opportunity.organization, host, by)
    return _write(opportunity, details)


def _check_ready(opportunity: Opportunity) -> None:
    """What an opportunity needs before staff can review it."""
    sessions = list(opportunity.sessions.order_by("starts_at"))
    if not sessions:
        raise OpportunityError(
            _("Add at least one session (its date and times)."), field="sessions"
        )
    now = timezone.now()
    if sessions[0].starts_at <= now:
        raise OpportunityError(_("The first session must be in the future."), field="sessions")
    first_day = timezone.localtime(sessions[0].starts_at).date()
    if opportunity.apply_by is not None:
        if opportunity.apply_by < timezone.localdate():
            raise OpportunityError(_("The application deadline has passed."), field="apply_by")
        if opportunity.apply_by > first_day:
            raise OpportunityError(
                _("The application deadline must be on or before the first session (%(day)s).")
                % {"day": first_day.isoformat()},
                field="apply_by",
            )
    if not opportunity.is_virtual and not opportunity.address:
        raise OpportunityError(
            _("Give the address where students go, or mark the opportunity as virtual."),
            field="address",
        )
    if opportunity.host_id is None:
        raise OpportunityError(_("Choose the contact who hosts the students."), field="host")


@one_transaction
def opportunity_submit(*, opportunity: Opportunity, by: Any) -> Opportunity:
    """Send a draft (or a returned opportunity, changed) to CTE staff for approval."""
    opportunity = _locked(opportunity)
    require(permissions.can_manage_opportunity(by, opportunity))
    return submit_locked(opportunity)


def submit_locked(opportunity: Opportunity, *, tell_staff: bool = True) -> Opportunity:
    """The rules of a submission, whoever may submit (the caller holds the row lock and
    checked who acts). ``tell_staff=False`` when staff publish it in the same transaction:
    nobody needs to be asked to approve what is already approved."""
    if opportunity.status not in EDITABLE_STATUSES:
        raise OpportunityError(
            _("Only a draft or a returned opportunity can be submitted."), conflict=True
        )
    _check_ready(opportunity)
    opportunity.status = OpportunityStatus.SUBMITTED
    opportunity.submitted_at = timezone.now()
    opportunity.save(update_fields=["status", "submitted_at", "updated_at"])
    if tell_staff:
        emails.opportunity_submitted(opportunity=opportunity)
    return opportunity


def _pending_review(opportunity: Opportunity) -> None:
    if opportunity.status != OpportunityStatus.SUBMITTED:
        raise OpportunityError(
            _("Only an opportunity waiting for approval can be decided (this one is %(status)s).")
            % {"status": opportunity.get_status_display().lower()},
            conflict=True,
        )


def _decided(opportunity: Opportunity, status: str, by: Any, reason: str = "") -> None:
    opportunity.status = status
    opportunity.return_reason = reason
    opportunity.decided_by = by
    opportunity.decided_at = timezone.now()
    opportunity.save(
        update_fields=["status", "return_reason", "decided_by", "decided_at", "updated_at"]
    )
    emails.opportunity_decided(opportunity=opportunity)


@one_transaction
def opportunity_publish(*, opportunity: Opportunity, by: Any) -> Opportunity:
    """CTE staff approve: students see the opportunity and may apply."""
    require(permissions.can_review_opportunity(by), _("Only CTE staff approve opportunities."))
    opportunity = _locked(opportunity)
    _pending_review(opportunity)
    _check_ready(opportunity)
    host = opportunity.host
    if opportunity.needs_background_check and (
        host is None or host.background_check != BackgroundCheck.CLEARED
    ):
        raise OpportunityError(
            _("The host's background check is not cleared (%(state)s); it must be first.")
            % {"state": host.get_background_check_display().lower() if host else "—"},
            conflict=True,
        )
    _decided(opportunity, OpportunityStatus.PUBLISHED, by)
    return opportunity


@one_transaction
def opportunity_return(*, opportunity: Opportunity, by: Any, reason: str) -> Opportunity:
    """CTE staff send it back to the host, saying what to change."""
    require(permissions.can_review_opportunity(by), _("Only CTE staff review opportunities."))
    reason = clean_text(reason)
    if not reason:
        raise OpportunityError(_("Say what to change: the host will read it."), field="reason")
    opportunity = _locked(opportunity)
    _pending_review(opportunity)
    _decided(opportunity, OpportunityStatus.RETURNED, by, reason)
    return opportunity


@one_transaction
def opportunity_close(*, opportunity: Opportunity, by: Any) -> Opportunity:
    """No more applications; those already in can still be decided, sessions still happen."""
    opportunity = _locked(opportunity)
    require(permissions.can_manage_opportunity(by, opportunity))
    if opportunity.status != OpportunityStatus.PUBLISHED:
        raise OpportunityError(_("Only a published opportunity can be closed."), conflict=True)
    opportunity.status = OpportunityStatus.CLOSED
    opportunity.closed_at = timezone.now()
    opportunity.save(update_fields=["status", "closed_at", "updated_at"])
    return opportunity


@one_transaction
def opportunity_cancel(*, opportunity: Opportunity, by: Any, reason: str = "") -> Opportunity:
    """It will not happen: its placements end, and every student with an application that
    was still in play is told (with the reason, if one is given)."""
    opportunity = _locked(opportunity)
    require(permissions.can_manage_opportunity(by, opportunity))
    if opportunity.status in (OpportunityStatus.CANCELLED, OpportunityStatus.CLOSED):
        raise OpportunityError(
            _("This opportunity is already %(status)s.")
            % {"status": opportunity.get_status_display().lower()},
            conflict=True,
        )
    opportunity.status = OpportunityStatus.CANCELLED
    opportunity.cancel_reason = clean_text(reason)
    opportunity.closed_at = timezone.now()
    opportunity.save(update_fields=["status", "cancel_reason", "closed_at", "updated_at"])
    Placement.objects.filter(
        Q(application__opportunity=opportunity), status=PlacementStatus.ACTIVE
    ).update(status=PlacementStatus.CANCELLED)
    applications = list(
        opportunity.applications.filter(status__in=ACTIVE_APPLICATION_STATUSES)
        .select_related("student__user")
        .order_by("pk")
    )
    emails.opportunity_cancelled(opportunity=opportunity, applications=applications)
    return opportunity
