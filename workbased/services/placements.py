"""After the decision: placements (their supervisor, dates and target hours), the supervisor's
evaluation at the end, the student's reflection, and attendance at one-day events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from partners.enums import BackgroundCheck, ContactStatus
from partners.models import Contact
from students.models import StudentProfile

from .. import bounds, emails, permissions
from ..enums import (
    EVALUATION_SKILLS,
    HAPPENING_STATUSES,
    ONE_DAY_KINDS,
    ApplicationStatus,
    PlacementStatus,
)
from ..errors import (
    AttendanceError,
    EvaluationError,
    NotAllowed,
    PlacementError,
    WorkbasedError,
)
from ..models import (
    Application,
    Attendance,
    Evaluation,
    OpportunitySession,
    Placement,
    Reflection,
)
from .base import clean_text, one_transaction, require


def _locked_placement(placement: Placement) -> Placement:
    return (
        Placement.objects.select_for_update(of=("self",))
        .select_related(
            "supervisor__user",
            "application__opportunity__organization",
            "application__student__user",
        )
        .get(pk=placement.pk)
    )


@one_transaction
def placement_update(
    *,
    placement: Placement,
    by: Any,
    supervisor: Contact | None,
    starts_on: date,
    ends_on: date,
    target_hours: Decimal | None,
) -> Placement:
    """The host (or staff) sets who supervises the student, the dates and the hours aimed at.
    A supervisor of an opportunity that needs a background check must be cleared."""
    placement = _locked_placement(placement)
    require(permissions.can_edit_placement(by, placement))
    if placement.status == PlacementStatus.CANCELLED:
        raise PlacementError(_("This placement was cancelled."), conflict=True)
    opportunity = placement.application.opportunity
    if supervisor is not None:
        if (
            supervisor.organization_id != opportunity.organization_id
            or supervisor.status != ContactStatus.ACTIVE
        ):
            raise PlacementError(
                _("The supervisor must be an active contact of %(organization)s.")
                % {"organization": opportunity.organization.name},
                field="supervisor",
            )
        if opportunity.needs_background_check and (
            supervisor.background_check != BackgroundCheck.CLEARED
        ):
            raise PlacementError(
                _("%(name)s's background check is not cleared: choose someone who is cleared.")
                % {"name": supervisor.user.full_name or supervisor.user.email},
                field="supervisor",
            )
    bounds.check_dates(PlacementError, starts_on=starts_on, ends_on=ends_on)
    if ends_on < starts_on:
        raise PlacementError(_("The last day must not be before the first."), field="ends_on")
    if target_hours is not None and target_hours <= 0:
        raise PlacementError(_("Target hours must be more than 0."), field="target_hours")
    bounds.check_number(
        PlacementError,
        target_hours,
        field="target_hours",
        low=0,
        high=bounds.MAX_TARGET_HOURS,
        message=_("Target hours go up to %(max)s.") % {"max": bounds.MAX_TARGET_HOURS},
    )
    placement.supervisor = supervisor
    placement.starts_on = starts_on
    placement.ends_on = ends_on
    placement.target_hours = target_hours
    placement.save(update_fields=["supervisor", "starts_on", "ends_on", "target_hours"])
    return placement


@one_transaction
def evaluation_submit(
    *, placement: Placement, by: Any, ratings: Mapping[str, int], comments: str = ""
) -> Evaluation:
    """The supervisor rates the student's employability skills (1 to 4 each), once, from
    the placement's last day on. The placement is then completed."""
    placement = _locked_placement(placement)
    require(
        permissions.can_evaluate(by, placement),
        _("Only the student's supervisor at the host organization evaluates the placement."),
    )
    if placement.status == PlacementStatus.CANCELLED:
        raise EvaluationError(_("This placement was cancelled."), conflict=True)
    if Evaluation.objects.filter(placement=placement).exists():
        raise EvaluationError(_("This placement has already been evaluated."), conflict=True)
    if timezone.localdate() < placement.ends_on:
        raise EvaluationError(
            _("The evaluation is given at the end of the placement: from %(day)s.")
            % {"day": placement.ends_on.isoformat()},
            conflict=True,
        )
    values = {}
    for name, label in EVALUATION_SKILLS:
        value = ratings.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 4:
            raise EvaluationError(
                _("Rate %(skill)s from 1 to 4.") % {"skill": str(label).lower()}, field=name
            )
        values[name] = value
    evaluation = Evaluation.objects.create(
        placement=placement, evaluator=by, comments=clean_text(comments), **values
    )
    placement.status = PlacementStatus.COMPLETED
    placement.save(update_fields=["status"])
    emails.evaluation_given(evaluation=evaluation)
    return evaluation


# --- Reflections ---------------------------------------------------------------------------------


def _experience_happened(
    student: StudentProfile,
    *,
    application: Application | None,
    placement: Placement | None,
    attendance: Attendance | None,
) -> None:
    subjects = [s for s in (application, placement, attendance) if s is not None]
    if len(subjects) != 1:
        raise WorkbasedError(_("A reflection is about one experience."))
    now = timezone.now()
    if application is not None:
        if application.student_id != student.pk:
            raise NotAllowed(_("You can only reflect on your own experiences."))
        started = application.opportunity.sessions.filter(starts_at__lte=now).exists()
        if application.status != ApplicationStatus.ACCEPTED or not started:
            raise WorkbasedError(_("Write your reflection once the experience has started."))
    if placement is not None:
        if placement.application.student_id != student.pk:
            raise NotAllowed(_("You can only reflect on your own experiences."))
        if placement.starts_on > timezone.localdate():
            raise WorkbasedError(_("Write your reflection once the placement has started."))
    if attendance is not None and attendance.student_id != student.pk:
        raise NotAllowed(_("You can only reflect on your own experiences."))


@one_transaction
def reflection_write(
    *,
    student: StudentProfile,
    what_i_did: str,
    what_i_learned: str,
    application: Application | None = None,
    placement: Placement | None = None,
    attendance: Attendance | None = None,
) -> Reflection:
    """After an experience the student writes what they did and learned (their counselor
    reads it). Writing again about the same experience replaces the earlier text."""
    _experience_happened(
        student, application=application, placement=placement, attendance=attendance
    )
    what_i_did, what_i_learned = clean_text(what_i_did), clean_text(what_i_learned)
    if not what_i_did:
        raise WorkbasedError(_("Say what you did."), field="what_i_did")
    if not what_i_learned:
        raise WorkbasedError(_("Say what you learned."), field="what_i_learned")
    subject = {"application": application, "placement": placement, "attendance": attendance}
    reflection, _created = Reflection.objects.update_or_create(
        student=student,
        **{k: v for k, v in subject.items() if v is not None},
        defaults={"what_i_did": what_i_did, "what_i_learned": what_i_learned},
    )
    return reflection


# --- Attendance ----------------------------------------------------------------------------------


@one_transaction
def attendance_record(
    *, session: OpportunitySession, by: Any, present: Iterable[StudentProfile]
) -> list[Attendance]:
    """Record who attended a session of a one-day event (replacing what was recorded): the
    accepted applicants, or, for an event a school asked for, that school's students."""
    session = OpportunitySession.objects.select_related("opportunity__organization").get(
        pk=session.pk
    )
    opportunity = session.opportunity
    require(permissions.can_record_attendance(by, opportunity))
    if opportunity.kind not in ONE_DAY_KINDS:
        raise AttendanceError(
            _("Attendance is recorded for one-day events; placements log hours instead.")
        )
    if opportunity.status not in HAPPENING_STATUSES:
        raise AttendanceError(
            _("This opportunity is %(status)s.")
            % {"status": opportunity.get_status_display().lower()},
            conflict=True,
        )
    if session.starts_at > timezone.now():
        raise AttendanceError(_("Record attendance once the session has started."))
    students = {s.pk: s for s in present}
    accepted = set(
        opportunity.applications.filter(
            status=ApplicationStatus.ACCEPTED, student_id__in=students
        ).values_list("student_id", flat=True)
    )
    for pk, student in students.items():
        at_school = opportunity.school_id is not None and student.school_id == opportunity.school_id
        if pk not in accepted and not at_school:
            raise AttendanceError(
                _("%(name)s was not accepted for this opportunity.")
                % {"name": student.user.full_name or student.district_id}
            )
    Attendance.objects.filter(session=session).exclude(student_id__in=students).delete()
    recorded = set(Attendance.objects.filter(session=session).values_list("student_id", flat=True))
    Attendance.objects.bulk_create(
        Attendance(session=session, student_id=pk, recorded_by=by)
        for pk in sorted(set(students) - recorded)
    )
    return list(Attendance.objects.filter(session=session).select_related("student__user"))
