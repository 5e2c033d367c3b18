"""Applications: a student applies, the host decides, seats are settled in PostgreSQL.

    submitted --accept--> accepted  (no seat left: wait-listed, in submission order)
        |  \\--waitlist--> waitlisted --accept (a seat is free)--> accepted
        +--decline (reason)----+--> declined
    any of them --withdraw--> withdrawn  (an accepted one frees its seat: the first on the
                                          wait list whose guardian consented takes it)

Every decision takes the opportunity's row lock (``select_for_update``) before it counts
seats, so decisions about one opportunity run one after another: with 25 seats, 200 accepts
at once give 25 accepted and 175 wait-listed, numbered in the order they applied. The
database refuses a 26th seat whatever happens (``opportunity_seats_filled_within_seats``).

An opportunity that needs a guardian's consent asks for it when the student applies (a signed
link e-mailed to the guardian); the host can accept only once the guardian has consented, and a
refusal withdraws the application. Accepting an internship or a mentorship creates its
placement. The student (and the guardian, where consent is needed) hears of every decision.
"""

from __future__ import annotations

import math
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cte_portal.users.permissions import is_student
from students.models import StudentProfile

from .. import emails, permissions, selectors
from ..enums import (
    ACTIVE_APPLICATION_STATUSES,
    HAPPENING_STATUSES,
    PENDING_APPLICATION_STATUSES,
    PLACEMENT_KINDS,
    ApplicationStatus,
    ConsentState,
    PlacementStatus,
)
from ..errors import ApplicationError, EligibilityError
from ..models import Application, GuardianConsent, Opportunity, Placement
from .base import clean_text, one_transaction, require


@one_transaction
def application_submit(
    *, student: StudentProfile, opportunity: Opportunity, statement: str
) -> Application:
    """A student applies. Refused, with the reason, if they may not (see
    ``selectors.application_eligibility``: the page shows the same reason before they try).
    The host is told; the guardian is asked for consent if the opportunity needs it."""
    statement = clean_text(statement)
    eligibility = selectors.application_eligibility(student=student, opportunity=opportunity)
    if not eligibility.ok:
        raise EligibilityError(eligibility.reason, code=eligibility.code)
    if not statement:
        raise ApplicationError(
            _("Tell the host why you are applying and what you hope to learn."), field="statement"
        )
    try:
        with transaction.atomic():  # a savepoint: a double click must not break the request
            application = Application.objects.create(
                student=student,
                opportunity=opportunity,
                statement=statement,
                guardian_consent=ConsentState.PENDING
                if eligibility.needs_consent
                else ConsentState.NOT_NEEDED,
            )
    except IntegrityError as exc:
        raise EligibilityError(
            _("You have already applied to this opportunity."), code="already_applied"
        ) from exc
    if eligibility.needs_consent:
        consent = GuardianConsent.objects.create(
            application=application,
            guardian_name=student.guardian_name,
            guardian_email=student.guardian_email.strip().lower(),
            language=student.preferred_language or "en",
            details=consent_details(opportunity),
        )
        emails.consent_request(consent=consent)
    emails.application_received(application=application)
    return application


def consent_details(opportunity: Opportunity) -> dict[str, Any]:
    """What the guardian is shown, kept as it was when they were asked. The type is kept as
    its code, so the page words it in the guardian's language."""
    sessions = [
        [timezone.localtime(s.starts_at).isoformat(), timezone.localtime(s.ends_at).isoformat()]
        for s in opportunity.sessions.order_by("starts_at")
    ]
    return {
        "title": opportunity.title,
        "kind": opportunity.kind,
        "organization": opportunity.organization.name,
        "description": opportunity.description,
        "address": "" if opportunity.is_virtual else opportunity.address,
        "virtual": opportunity.is_virtual,
        "paid": opportunity.is_paid,
        "hours_per_week": str(opportunity.hours_per_week or ""),
        "sessions": sessions,
    }


# --- Locks and the wait list -------------------------------------------------------------------


def lock(application_id: int) -> tuple[Application, Opportunity]:
    """Lock the opportunity, then the application: every seat count happens under the
    opportunity's lock, always taken first so two decisions never deadlock."""
    opportunity_id = Application.objects.values_list("opportunity_id", flat=True).get(
        pk=application_id
    )
    opportunity = (
        Opportunity.objects.select_for_update(of=("self",))
        .select_related("organization", "host__user")
        .get(pk=opportunity_id)
    )
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("student__user", "student__school")
        .get(pk=application_id)
    )
    application.opportunity = opportunity
    return application, opportunity


def _earlier_than(application: Application) -> Q:
    return Q(submitted_at__lt=application.submitted_at) | Q(
        submitted_at=application.submitted_at, pk__lt=application.pk
    )


def _waitlist_join(application: Application) -> None:
    """Take the place that submission order gives, moving those who applied later back."""
    queue = Application.objects.filter(
        opportunity_id=application.opportunity_id, status=ApplicationStatus.WAITLISTED
    ).exclude(pk=application.pk)
    position = queue.filter(_earlier_than(application)).count() + 1
    queue.filter(waitlist_position__gte=position).update(
        waitlist_position=F("waitlist_position") + 1
    )
    application.status = ApplicationStatus.WAITLISTED
    application.waitlist_position = position


def _waitlist_leave(application: Application) -> None:
    Application.objects.filter(
        opportunity_id=application.opportunity_id,
        status=ApplicationStatus.WAITLISTED,
        waitlist_position__gt=application.waitlist_position,
    ).update(waitlist_position=F("waitlist_position") - 1)
    application.waitlist_position = None


def _decided(application: Application, status: str, *, by: Any, reason: str = "") -> None:
    application.status = status
    application.decided_by = by
    application.decided_at = timezone.now()
    application.decline_reason = reason
    if status != ApplicationStatus.WAITLISTED:
        application.waitlist_position = None
    application.save()
    emails.application_decided(application=application)


def _take_seat(opportunity: Opportunity) -> None:
    Opportunity.objects.filter(pk=opportunity.pk).update(seats_filled=F("seats_filled") + 1)
    opportunity.seats_filled += 1


def _accept(application: Application, opportunity: Opportunity, *, by: Any) -> None:
    """Seat the application (the caller holds the lock and checked a seat is left)."""
    if application.status == ApplicationStatus.WAITLISTED:
        _waitlist_leave(application)
    _take_seat(opportunity)
    _decided(application, ApplicationStatus.ACCEPTED, by=by)
    if opportunity.kind in PLACEMENT_KINDS:
        _create_placement(application, opportunity)


def _create_placement(application: Application, opportunity: Opportunity) -> Placement:
    """From the first session's day to the last one's; target hours from hours per week."""
    span = opportunity.sessions.aggregate(first=Min("starts_at"), last=Max("ends_at"))
    starts_on = timezone.localtime(span["first"]).date() if span["first"] else timezone.localdate()
    ends_on = timezone.localtime(span["last"]).date() if span["last"] else starts_on
    target = None
    if opportunity.hours_per_week:
        weeks = math.ceil(((ends_on - starts_on).days + 1) / 7)
        target = opportunity.hours_per_week * weeks
    placement, _created = Placement.objects.update_or_create(
        application=application,
        defaults={
            "supervisor": opportunity.host,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "target_hours": target,
            "status": PlacementStatus.ACTIVE,
        },
    )
    return placement


def _free_seat(opportunity: Opportunity, *, by: Any) -> Application | None:
    """A seat was given back: the first on the wait list who may take it does (a student
    whose guardian has not consented yet keeps their place and waits)."""
    Opportunity.objects.filter(pk=opportunity.pk).update(seats_filled=F("seats_filled") - 1)
    opportunity.seats_filled -= 1
    if opportunity.status not in HAPPENING_STATUSES:
        return None
    first = (
        Application.objects.select_for_update(of=("self",))
        .select_related("student__user", "student__school")
        .filter(
            opportunity=opportunity,
            status=ApplicationStatus.WAITLISTED,
            guardian_consent__in=[ConsentState.NOT_NEEDED, ConsentState.GIVEN],
        )
        .order_by("waitlist_position")
        .first()
    )
    if first is None:
        return None
    first.opportunity = opportunity
    _accept(first, opportunity, by=by)
    return first


def end_application(application: Application, opportunity: Opportunity, *, by: Any) -> None:
    """Withdraw (the caller holds the locks): leave the wait list or give back the seat."""
    was = application.status
    if was == ApplicationStatus.WAITLISTED:
        _waitlist_leave(application)
    application.status = ApplicationStatus.WITHDRAWN
    application.waitlist_position = None
    application.withdrawn_at = timezone.now()
    application.save()
    if was == ApplicationStatus.ACCEPTED:
        Placement.objects.filter(application=application, status=PlacementStatus.ACTIVE).update(
            status=PlacementStatus.CANCELLED
        )
        _free_seat(opportunity, by=by)


def _pending(application: Application) -> None:
    if application.status not in PENDING_APPLICATION_STATUSES:
        raise ApplicationError(
            _("This application was already decided (%(status)s).")
            % {"status": application.get_status_display().lower()},
            conflict=True,
        )


def _consent_allows(application: Application) -> None:
    name = application.student.user.full_name or _("The student")
    if application.guardian_consent == ConsentState.PENDING:
        raise ApplicationError(
            _(
                "%(name)s's guardian has not consented yet. You can accept once they do, or "
                "wait-list the application now."
            )
            % {"name": name},
            conflict=True,
        )
    if application.guardian_consent == ConsentState.REFUSED:
        raise ApplicationError(
            _("%(name)s's guardian did not consent.") % {"name": name}, conflict=True
        )


# --- Decisions ----------------------------------------------------------------------------------


@one_transaction
def application_accept(*, application: Application, by: Any) -> Application:
    """Give the student a seat; if none is left, wait-list them in submission order."""
    application, opportunity = lock(application.pk)
    require(
        permissions.can_decide_application(by, application),
        _("Only the host organization and CTE staff decide on applications."),
    )
    _pending(application)
    if opportunity.status not in HAPPENING_STATUSES:
        raise ApplicationError(
            _("This opportunity is %(status)s: its applications can no longer be accepted.")
            % {"status": opportunity.get_status_display().lower()},
            conflict=True,
        )
    _consent_allows(application)
    if opportunity.seats_filled >= opportunity.seats:
        if application.status == ApplicationStatus.WAITLISTED:
            raise ApplicationError(
                _("Every seat is taken; the student stays wait-listed."), conflict=True
            )
        _waitlist_join(application)
        _decided(application, ApplicationStatus.WAITLISTED, by=by)
        return application
    _accept(application, opportunity, by=by)
    return application


@one_transaction
def application_waitlist(*, application: Application, by: Any) -> Application:
    """Keep the student in line for a seat, in the order they applied."""
    application, _opportunity = lock(application.pk)
    require(permissions.can_decide_application(by, application))
    if application.status != ApplicationStatus.SUBMITTED:
        raise ApplicationError(_("Only a new application can be wait-listed."), conflict=True)
    _waitlist_join(application)
    _decided(application, ApplicationStatus.WAITLISTED, by=by)
    return application


@one_transaction
def application_decline(*, application: Application, by: Any, reason: str) -> Application:
    """Say no, and why: the student (and guardian) read the reason."""
    reason = clean_text(reason)
    if not reason:
        raise ApplicationError(
            _("Say why the application is declined: the student will read it."), field="reason"
        )
    application, _opportunity = lock(application.pk)
    require(permissions.can_decide_application(by, application))
    _pending(application)
    if application.status == ApplicationStatus.WAITLISTED:
        _waitlist_leave(application)
    _decided(application, ApplicationStatus.DECLINED, by=by, reason=reason)
    return application


@one_transaction
def application_withdraw(*, application: Application, by: Any) -> Application:
    """The student (or their counselor, or staff) withdraws. A freed seat goes to the first
    on the wait list who may take it, who is accepted and told in this same transaction."""
    application, opportunity = lock(application.pk)
    require(permissions.can_withdraw_application(by, application))
    if application.status not in ACTIVE_APPLICATION_STATUSES:
        raise ApplicationError(_("This application has already ended."), conflict=True)
    end_application(application, opportunity, by=by)
    emails.application_withdrawn(application=application, by_student=is_student(by))
    return application


def refuse_by_guardian(consent: GuardianConsent) -> None:
    """The guardian refused: the application is withdrawn (caller holds the locks)."""
    application = consent.application
    if application.status in ACTIVE_APPLICATION_STATUSES:
        end_application(application, application.opportunity, by=None)
