"""Hours on a placement: the student logs them, the supervisor approves or rejects them, from
the portal or from the e-mailed link without signing in.

    pending --approve--> approved
        \\----reject----> rejected  (does not count toward any total)

A student under 16 on the day worked cannot log hours beyond the federal child-labor limits
(``workbased.labor``); the refusal says which limit and why. Logs of one student are written
one at a time (a row lock on the student), so two entries at once cannot pass a limit
together. Supervisors get one e-mail a week listing the hours waiting for them, each with its
own signed approve-or-reject link (``hours_waiting_digest``, a Celery beat task).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.enums import ContactStatus
from students.models import StudentProfile

from .. import emails, labor, permissions, tokens
from ..enums import HoursStatus, PlacementStatus, ReviewedVia
from ..errors import HoursError
from ..models import HoursLog, Placement
from .base import clean_text, one_transaction, require

COUNTED = ~Q(status=HoursStatus.REJECTED)


def _span(start: time, end: time) -> Decimal:
    minutes = (datetime.combine(date.min, end) - datetime.combine(date.min, start)).seconds // 60
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def _logged(student: StudentProfile, *, start: date, end: date) -> Decimal:
    total = HoursLog.objects.filter(
        COUNTED, placement__application__student=student, date__gte=start, date__lte=end
    ).aggregate(total=Sum("hours"))["total"]
    return total or Decimal(0)


def is_minor_on(student: StudentProfile, day: date) -> bool:
    """Under 16 on the day (an unknown birth date counts as under 16: the safe side)."""
    born = student.date_of_birth
    return born is None or labor.age_on(born, day) < labor_age()


def labor_age() -> int:
    from .. import conf

    return int(conf.get("WORKBASED_CHILD_LABOR_AGE"))


@one_transaction
def hours_log(
    *,
    placement: Placement,
    by: Any,
    date: date,
    start_time: time,
    end_time: time,
    activities: str,
    hours: Decimal | None = None,
) -> HoursLog:
    """The student logs a shift on their placement, for the supervisor to approve."""
    placement = Placement.objects.select_related(
        "application__student__user", "application__opportunity__organization", "supervisor"
    ).get(pk=placement.pk)
    require(permissions.can_log_hours(by, placement), _("Only the student logs their hours."))
    student = StudentProfile.objects.select_for_update().get(pk=placement.application.student_id)
    activities = clean_text(activities)
    if placement.status != PlacementStatus.ACTIVE:
        raise HoursError(_("This placement is not active: hours can no longer be logged."))
    if not placement.starts_on <= date <= placement.ends_on:
        raise HoursError(
            _("The placement runs from %(start)s to %(end)s: log hours on those days.")
            % {"start": placement.starts_on.isoformat(), "end": placement.ends_on.isoformat()},
            field="date",
        )
    if date > timezone.localdate():
        raise HoursError(_("Hours are logged after they are worked, not before."), field="date")
    if end_time <= start_time:
        raise HoursError(_("The end time must be after the start time."), field="end_time")
    span = _span(start_time, end_time)
    hours = span if hours is None else Decimal(hours).quantize(Decimal("0.01"))
    if hours <= 0:
        raise HoursError(_("Hours must be more than 0."), field="hours")
    if hours > span:
        raise HoursError(
            _("From %(start)s to %(end)s is %(span)s hours: log at most that.")
            % {
                "start": start_time.strftime("%H:%M"),
                "end": end_time.strftime("%H:%M"),
                "span": span,
            },
            field="hours",
        )
    if not activities:
        raise HoursError(_("Say what you did during these hours."), field="activities")
    overlapping = HoursLog.objects.filter(
        COUNTED,
        placement__application__student=student,
        date=date,
        start_time__lt=end_time,
        end_time__gt=start_time,
    ).first()
    if overlapping is not None:
        raise HoursError(
            _("You already logged %(start)s to %(end)s that day; entries cannot overlap.")
            % {
                "start": overlapping.start_time.strftime("%H:%M"),
                "end": overlapping.end_time.strftime("%H:%M"),
            },
            field="start_time",
        )
    if is_minor_on(student, date):
        monday, sunday = labor.week_of(date)
        labor.check_minor_shift(
            day=date,
            start=start_time,
            end=end_time,
            hours=hours,
            already=labor.Totals(
                day=_logged(student, start=date, end=date),
                week=_logged(student, start=monday, end=sunday),
            ),
        )
    return HoursLog.objects.create(
        placement=placement,
        date=date,
        start_time=start_time,
        end_time=end_time,
        hours=hours,
        activities=activities,
    )


def _review(log: HoursLog, *, approve: bool, by: Any, via: str, note: str) -> HoursLog:
    note = clean_text(note)
    if not approve and not note:
        raise HoursError(
            _("Say why these hours are rejected: the student will read it."), field="note"
        )
    log.status = HoursStatus.APPROVED if approve else HoursStatus.REJECTED
    log.reviewed_by = by
    log.reviewed_at = timezone.now()
    log.reviewed_via = via
    log.review_note = note
    log.save(update_fields=["status", "reviewed_by", "reviewed_at", "reviewed_via", "review_note"])
    if not approve:
        emails.hours_rejected(hours=log)
    return log


def _locked_log(pk: int) -> HoursLog:
    return (
        HoursLog.objects.select_for_update(of=("self",))
        .select_related(
            "placement__supervisor__user",
            "placement__application__opportunity__organization",
            "placement__application__student__user",
        )
        .get(pk=pk)
    )


def _still_pending(log: HoursLog) -> None:
    if log.status != HoursStatus.PENDING:
        raise HoursError(
            _("These hours were already reviewed (%(status)s).")
            % {"status": log.get_status_display().lower()},
            conflict=True,
        )


@one_transaction
def hours_approve(*, hours: HoursLog, by: Any, note: str = "") -> HoursLog:
    """The supervisor (or another of the host's contacts, or staff) approves, in the portal."""
    log = _locked_log(hours.pk)
    require(permissions.can_approve_hours(by, log), _("Only the supervisor approves these hours."))
    _still_pending(log)
    return _review(log, approve=True, by=by, via=ReviewedVia.PORTAL, note=note)


@one_transaction
def hours_reject(*, hours: HoursLog, by: Any, note: str) -> HoursLog:
    log = _locked_log(hours.pk)
    require(permissions.can_approve_hours(by, log), _("Only the supervisor reviews these hours."))
    _still_pending(log)
    return _review(log, approve=False, by=by, via=ReviewedVia.PORTAL, note=note)


def hours_for_token(token: str) -> HoursLog:
    """The hours a supervisor's link stands for (TokenInvalid if tampered with, too old, or
    sent to a supervisor who no longer supervises the placement)."""
    claim = tokens.read_hours_token(token)
    log = (
        HoursLog.objects.select_related(
            "placement__supervisor__user",
            "placement__application__opportunity__organization",
            "placement__application__student__user",
        )
        .filter(pk=claim.pk)
        .first()
    )
    supervisor = log.placement.supervisor if log else None
    if (
        supervisor is None
        or str(supervisor.pk) != claim.check
        or supervisor.status != ContactStatus.ACTIVE
    ):
        raise tokens.TokenInvalid(
            _("This link no longer works: sign in to the portal to review these hours.")
        )
    return log


@one_transaction
def hours_review_by_token(*, token: str, approve: bool, note: str = "") -> HoursLog:
    """Approve or reject from the e-mailed link, without signing in. The same answer twice
    changes nothing; the other answer after a review is refused."""
    log = _locked_log(hours_for_token(token).pk)
    wanted = HoursStatus.APPROVED if approve else HoursStatus.REJECTED
    if log.status == wanted:
        return log
    _still_pending(log)
    return _review(
        log, approve=approve, by=log.placement.supervisor.user, via=ReviewedVia.LINK, note=note
    )


def week_key(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def hours_waiting_digest(*, today: date | None = None) -> int:
    """Once a week: each supervisor with hours waiting gets one e-mail listing them, each with
    its signed link. Running it twice in a week sends nothing more. Returns how many
    supervisors were written to."""
    today = today or timezone.localdate()
    waiting: dict[int, list[HoursLog]] = defaultdict(list)
    supervisors = {}
    logs = (
        HoursLog.objects.filter(
            status=HoursStatus.PENDING,
            placement__status=PlacementStatus.ACTIVE,
            placement__supervisor__status=ContactStatus.ACTIVE,
            placement__supervisor__user__is_active=True,
            date__lte=today,
        )
        .select_related(
            "placement__supervisor__user",
            "placement__application__student__user",
            "placement__application__opportunity",
        )
        .order_by("placement__supervisor_id", "date", "start_time", "pk")
    )
    for log in logs:
        supervisor = log.placement.supervisor
        supervisors[supervisor.pk] = supervisor
        waiting[supervisor.pk].append(log)
    key = week_key(today)
    for supervisor_id, items in waiting.items():
        with transaction.atomic():
            emails.hours_waiting(supervisor=supervisors[supervisor_id], logs=items, week=key)
    return len(waiting)
