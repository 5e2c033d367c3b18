"""Every write of the students app: enrollment, saved pathways, notes, the access log.

The enrollment lifecycle (each step one transaction, called alike by the pages and the API):

    requested --approve--> approved --withdraw--> withdrawn   (frees the seat: the first on
        |   \\                 ^                               the wait list takes it)
        |    --waitlist--> waitlisted (position by request order)
        |                      |
        +---decline (reason)---+--> declined

``enrollment_approve`` takes the offering's row lock (``select_for_update``) before counting
seats, so approvals of one offering run one after another: with 25 seats, 200 approvals at
once give 25 approved and 175 wait-listed. Wait-list positions follow request order,
whatever order the approvals arrive in. A change of pathway is a request that ``replaces``
the approved enrollment; approving it withdraws the old one in the same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cte_portal.notifications.services import notify
from pathways.enums import PathwayStatus
from pathways.models import (
    Course,
    Credential,
    Offering,
    Pathway,
    Sector,
    current_school_year,
    school_year_label,
)

from . import conf
from .enums import ACTIVE_STATUSES, EXPLORATORY_GRADES, PENDING_STATUSES, EnrollmentStatus
from .models import (
    AccessLog,
    AdvisingNote,
    CourseRecord,
    CredentialAward,
    Enrollment,
    ExploratoryWorkshop,
    ReadinessMeasure,
    SavedPathway,
    StudentProfile,
)


class EnrollmentError(Exception):
    """A rule of enrollment was broken; the message says which, in words for a person."""


# --- Requests -------------------------------------------------------------------------------


def _check_can_request(
    *, student: StudentProfile, offering: Offering, change: bool = False
) -> None:
    pathway = offering.pathway
    if not student.is_active:
        raise EnrollmentError(_("This student record is not active."))
    if pathway.status != PathwayStatus.PUBLISHED:
        raise EnrollmentError(_("This pathway is not open to students."))
    if offering.school_id != student.school_id:
        raise EnrollmentError(_("You can only request a pathway offered at your own school."))
    if not offering.open_for_enrollment:
        raise EnrollmentError(_("This offering is not open for enrollment."))
    if not pathway.entry_grade_min <= student.grade <= pathway.entry_grade_max:
        _refuse_outside_entry_grades(student=student, pathway=pathway, change=change)


def _refuse_outside_entry_grades(
    *, student: StudentProfile, pathway: Pathway, change: bool
) -> None:
    """The student is outside the pathway's entry grades: a first request is refused; a
    change too, unless the district lets students change to it past them (a setting)."""
    past = student.grade > pathway.entry_grade_max
    if change and past and conf.get("STUDENTS_CHANGE_GRADES_PAST_ENTRY"):
        return
    if change:
        raise EnrollmentError(
            _(
                "This pathway takes students entering in %(grades)s and you are in grade "
                "%(grade)s: a change of pathway follows the same entry grades. Ask your "
                "counselor which pathways are open to your grade."
            )
            % {"grades": pathway.entry_grades_label, "grade": student.grade}
        )
    raise EnrollmentError(
        _("This pathway takes students entering in %(grades)s.")
        % {"grades": pathway.entry_grades_label}
    )


def _create_request(**fields: Any) -> Enrollment:
    try:
        with transaction.atomic():
            return Enrollment.objects.create(**fields)
    except IntegrityError as exc:  # a second request raced past the check (double click)
        raise EnrollmentError(_("You already have a request waiting.")) from exc


@transaction.atomic
def enrollment_request(
    *, student: StudentProfile, offering: Offering, note: str = ""
) -> Enrollment:
    """A student asks to join a pathway offering at their school. One active pathway at a
    time: a student who already has one asks for a change (``pathway_change_request``)."""
    _check_can_request(student=student, offering=offering)
    if student.enrollments.filter(status__in=ACTIVE_STATUSES).exists():
        raise EnrollmentError(
            _("You already have a pathway or a request waiting. To change, ask for a change.")
        )
    return _create_request(student=student, offering=offering, note=note)


@transaction.atomic
def pathway_change_request(
    *, student: StudentProfile, offering: Offering, note: str = ""
) -> Enrollment:
    """Ask to move to another pathway. The current one stays until the counselor approves.
    The new pathway's entry grades apply, unless STUDENTS_CHANGE_GRADES_PAST_ENTRY says a
    student may change to a pathway past them (a junior joining another program)."""
    _check_can_request(student=student, offering=offering, change=True)
    current = student.enrollments.filter(status=EnrollmentStatus.APPROVED).first()
    if current is None:
        raise EnrollmentError(_("You have no pathway to change from; request one instead."))
    if current.offering_id == offering.pk:
        raise EnrollmentError(_("You are already in this pathway."))
    if student.enrollments.filter(status__in=PENDING_STATUSES).exists():
        raise EnrollmentError(_("You already have a request waiting."))
    return _create_request(student=student, offering=offering, note=note, replaces=current)


# --- Decisions ------------------------------------------------------------------------------


def _lock(enrollment_id: int) -> tuple[Enrollment, dict[int, Offering]]:
    """Lock the offerings involved (in id order, so two transactions never deadlock), then
    the enrollment. Every seat count happens under these locks."""
    row = Enrollment.objects.values("offering_id", "replaces__offering_id").get(pk=enrollment_id)
    ids = sorted({i for i in row.values() if i is not None})
    offerings = {o.pk: o for o in Offering.objects.select_for_update().filter(pk__in=ids)}
    enrollment = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("offering__pathway", "offering__school", "student__user")
        .get(pk=enrollment_id)
    )
    return enrollment, offerings


def _waitlist_leave(enrollment: Enrollment) -> None:
    position = enrollment.waitlist_position
    Enrollment.objects.filter(
        offering_id=enrollment.offering_id,
        status=EnrollmentStatus.WAITLISTED,
        waitlist_position__gt=position,
    ).update(waitlist_position=F("waitlist_position") - 1)
    enrollment.waitlist_position = None


def _waitlist_join(enrollment: Enrollment) -> None:
    """Take the place that request order gives, moving those requested later back one."""
    earlier = Q(requested_at__lt=enrollment.requested_at) | Q(
        requested_at=enrollment.requested_at, pk__lt=enrollment.pk
    )
    queue = Enrollment.objects.filter(
        offering_id=enrollment.offering_id, status=EnrollmentStatus.WAITLISTED
    ).exclude(pk=enrollment.pk)
    position = queue.filter(earlier).count() + 1
    queue.filter(waitlist_position__gte=position).update(
        waitlist_position=F("waitlist_position") + 1
    )
    enrollment.status = EnrollmentStatus.WAITLISTED
    enrollment.waitlist_position = position


def _take_seat(offering: Offering) -> bool:
    """One more seat filled, if one is left (the caller holds the offering's lock)."""
    if offering.seats_filled >= offering.seats:
        return False
    Offering.objects.filter(pk=offering.pk).update(seats_filled=F("seats_filled") + 1)
    offering.seats_filled += 1
    return True


def _free_seat(offering: Offering) -> list[Enrollment]:
    """A seat was given back: the first on the wait list takes it and is told so."""
    Offering.objects.filter(pk=offering.pk).update(seats_filled=F("seats_filled") - 1)
    offering.seats_filled -= 1
    return _fill_from_waitlist(offering)


def _next_on_waitlist(offering: Offering, *, passed: set[int]) -> Enrollment | None:
    return (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("offering__pathway", "offering__school", "student__user", "replaces")
        .filter(offering=offering, status=EnrollmentStatus.WAITLISTED)
        .exclude(pk__in=passed)
        .order_by("waitlist_position")
        .first()
    )


def _fill_from_waitlist(offering: Offering) -> list[Enrollment]:
    """Give the free seats (the caller holds the offering's lock) to the wait list, first
    in line first, each approved and told so. A promotion stands on the decision that
    wait-listed them, so it keeps that decider (never the student who withdrew and freed
    the seat). One already in another pathway (a race) keeps their place and is passed over.
    Read one at a time: each promotion moves the positions of those behind."""
    promoted: list[Enrollment] = []
    passed: set[int] = set()
    while offering.seats_filled < offering.seats:
        first = _next_on_waitlist(offering, passed=passed)
        if first is None:
            break
        in_another = (
            first.student.enrollments.filter(status=EnrollmentStatus.APPROVED)
            .exclude(pk=first.replaces_id)
            .exists()
        )
        if in_another:
            passed.add(first.pk)
            continue
        _waitlist_leave(first)
        _finish_approval(first, offering=offering, by=first.decided_by)
        promoted.append(first)
    return promoted


def _finish_approval(enrollment: Enrollment, *, offering: Offering, by: Any) -> None:
    old = enrollment.replaces
    if old is not None and old.status == EnrollmentStatus.APPROVED:
        _end(old, status=EnrollmentStatus.WITHDRAWN, by=by)  # frees its seat first
    _take_seat(offering)
    _decided(enrollment, EnrollmentStatus.APPROVED, by=by)


def _decided(enrollment: Enrollment, status: str, *, by: Any, reason: str = "") -> None:
    enrollment.status = status
    enrollment.decided_by = by
    enrollment.decided_at = timezone.now()
    enrollment.decline_reason = reason
    if status != EnrollmentStatus.WAITLISTED:
        enrollment.waitlist_position = None
    enrollment.save()
    _notify_decision(enrollment)


def _end(enrollment: Enrollment, *, status: str, by: Any) -> None:
    was = enrollment.status
    if was == EnrollmentStatus.WAITLISTED:
        _waitlist_leave(enrollment)
    enrollment.status = status
    enrollment.waitlist_position = None
    enrollment.ended_at = timezone.now()
    enrollment.ended_by = by
    enrollment.save()
    if was == EnrollmentStatus.APPROVED:
        offering = Offering.objects.select_for_update().get(pk=enrollment.offering_id)
        _free_seat(offering)


def _notify_decision(enrollment: Enrollment) -> None:
    offering = enrollment.offering
    status = EnrollmentStatus(enrollment.status)
    notify(
        kind="enrollment_decided",
        event_key=f"enrollment:{enrollment.pk}:{status}:{enrollment.waitlist_position or 0}",
        recipients=[enrollment.student.user],
        context={
            "pathway": offering.pathway.name,
            "school": offering.school.name,
            "school_year": offering.school_year_label,
            "outcome": status.label,
            "reason": enrollment.decline_reason,
            "position": enrollment.waitlist_position,
        },
        about=enrollment,
        link=reverse("students:me"),
    )


def _pending(enrollment: Enrollment) -> None:
    if enrollment.status not in PENDING_STATUSES:
        raise EnrollmentError(
            _("This request was already decided (%(status)s).")
            % {"status": enrollment.get_status_display()}
        )


@transaction.atomic
def enrollment_approve(*, enrollment: Enrollment, by: Any) -> Enrollment:
    """Give the student a seat; if none is left, wait-list them in request order."""
    enrollment, offerings = _lock(enrollment.pk)
    _pending(enrollment)
    offering = offerings[enrollment.offering_id]
    if offering.seats_filled >= offering.seats:
        if enrollment.status == EnrollmentStatus.WAITLISTED:
            raise EnrollmentError(_("The offering is still full; the student stays wait-listed."))
        _waitlist_join(enrollment)
        _decided(enrollment, EnrollmentStatus.WAITLISTED, by=by)
        return enrollment
    if enrollment.status == EnrollmentStatus.WAITLISTED:
        _waitlist_leave(enrollment)
    _finish_approval(enrollment, offering=offering, by=by)
    return enrollment


@transaction.atomic
def enrollment_waitlist(*, enrollment: Enrollment, by: Any) -> Enrollment:
    enrollment, _offerings = _lock(enrollment.pk)
    if enrollment.status != EnrollmentStatus.REQUESTED:
        raise EnrollmentError(_("Only a new request can be wait-listed."))
    _waitlist_join(enrollment)
    _decided(enrollment, EnrollmentStatus.WAITLISTED, by=by)
    return enrollment


@transaction.atomic
def enrollment_decline(*, enrollment: Enrollment, by: Any, reason: str) -> Enrollment:
    reason = (reason or "").strip()
    if not reason:
        raise EnrollmentError(_("Say why the request is declined: the student will read it."))
    enrollment, _offerings = _lock(enrollment.pk)
    _pending(enrollment)
    if enrollment.status == EnrollmentStatus.WAITLISTED:
        _waitlist_leave(enrollment)
    _decided(enrollment, EnrollmentStatus.DECLINED, by=by, reason=reason)
    return enrollment


@transaction.atomic
def enrollment_withdraw(*, enrollment: Enrollment, by: Any) -> Enrollment:
    """Leave a pathway (or cancel a request); ``by`` (the student, their counselor, staff, or
    None for the roster import) is recorded. A freed seat goes to the first on the wait
    list, who is approved and notified in this same transaction."""
    enrollment, _offerings = _lock(enrollment.pk)
    if enrollment.status not in ACTIVE_STATUSES:
        raise EnrollmentError(_("This enrollment has already ended."))
    _end(enrollment, status=EnrollmentStatus.WITHDRAWN, by=by)
    return enrollment


@transaction.atomic
def enrollment_complete(*, enrollment: Enrollment, by: Any) -> Enrollment:
    """The student finished the pathway: their counselor or staff (``by``, recorded with the
    time) marks the approved enrollment completed. The seat it held is given back, as on a
    withdrawal; the record (course records, credentials) says the rest."""
    enrollment, _offerings = _lock(enrollment.pk)
    if enrollment.status != EnrollmentStatus.APPROVED:
        raise EnrollmentError(
            _("Only a student in the pathway (approved) can complete it; this one is %(status)s.")
            % {"status": enrollment.get_status_display()}
        )
    _end(enrollment, status=EnrollmentStatus.COMPLETED, by=by)
    return enrollment


complete_enrollment = enrollment_complete  # the name the review uses


@transaction.atomic
def offering_waitlist_fill(*, offering_id: int) -> list[Enrollment]:
    """Seats were raised (staff, in the back office or the API): the wait list takes the new
    seats in order, each promoted and told as after a withdrawal. Called by the receiver of
    the offering's save (``students.receivers``: the catalogue knows nothing of students)."""
    offering = Offering.objects.select_for_update().get(pk=offering_id)
    return _fill_from_waitlist(offering)


# --- Saved pathways, notes, readiness, access log -------------------------------------------


def pathway_save(*, student: StudentProfile, pathway: Pathway) -> SavedPathway:
    saved, _created = SavedPathway.objects.get_or_create(student=student, pathway=pathway)
    return saved


def pathway_unsave(*, student: StudentProfile, pathway: Pathway) -> None:
    SavedPathway.objects.filter(student=student, pathway=pathway).delete()


def advising_note_add(*, student: StudentProfile, author: Any, body: str) -> AdvisingNote:
    body = (body or "").strip()
    if not body:
        raise EnrollmentError(_("Write the note before saving it."))
    return AdvisingNote.objects.create(student=student, author=author, body=body)


def readiness_measure_add(
    *, student: StudentProfile, by: Any, measure: str, note: str = ""
) -> ReadinessMeasure:
    measure = (measure or "").strip()
    if not measure:
        raise EnrollmentError(_("Name the readiness measure."))
    return ReadinessMeasure.objects.create(
        student=student, measure=measure, note=note, recorded_by=by
    )


class WorkshopError(Exception):
    """An exploratory workshop cannot be recorded as given; the message says why."""


@transaction.atomic
def exploratory_workshop_record(
    *,
    student: StudentProfile,
    by: Any,
    title: str,
    sector: Sector,
    attended_on: datetime.date,
    hours: Decimal,
    pathway: Pathway | None = None,
) -> ExploratoryWorkshop:
    """Record a workshop a middle-schooler attended. The student must be in grade 7 or 8
    now (an older record is for CTE staff to enter in the back office), the date must not be
    in the future, and a pathway explored must belong to the sector explored."""
    title = (title or "").strip()
    if not title:
        raise WorkshopError(_("Name the workshop."))
    if student.grade not in EXPLORATORY_GRADES:
        raise WorkshopError(_("Exploratory workshops are recorded for students in grades 7 and 8."))
    if attended_on > timezone.localdate():
        raise WorkshopError(_("The workshop date cannot be in the future."))
    if pathway is not None and pathway.sector_id != sector.pk:
        raise WorkshopError(_("The pathway explored is not in the career cluster explored."))
    try:
        with transaction.atomic():
            return ExploratoryWorkshop.objects.create(
                student=student,
                title=title,
                sector=sector,
                pathway=pathway,
                attended_on=attended_on,
                grade=student.grade,
                hours=hours,
                recorded_by=by,
            )
    except IntegrityError as exc:
        raise WorkshopError(_("This workshop is already recorded for that day.")) from exc


# --- Course records and credentials, recorded by counselors and staff ------------------------


class RecordError(Exception):
    """A course record or credential cannot be recorded; the message says why."""


@transaction.atomic
def course_record_add(
    *,
    student: StudentProfile,
    by: Any,
    course: Course,
    school_year: int,
    term: str,
    status: str,
    mark: str = "",
    credits_earned: Decimal = Decimal("0"),
    college_credits_earned: Decimal = Decimal("0"),
) -> CourseRecord:
    """A counselor or staff member records a course the student took or is taking (the
    roster brings in-progress ones; marks and completion are recorded here). One record per
    course, school year and term: a retake is another year or term."""
    if school_year > current_school_year():
        raise RecordError(
            _("The %(year)s school year has not started yet.")
            % {"year": school_year_label(school_year)}
        )
    if credits_earned < 0 or college_credits_earned < 0:
        raise RecordError(_("Credits cannot be negative."))
    try:
        with transaction.atomic():
            return CourseRecord.objects.create(
                student=student,
                course=course,
                school_year=school_year,
                term=term,
                status=status,
                mark=(mark or "").strip(),
                credits_earned=credits_earned,
                college_credits_earned=college_credits_earned,
                recorded_by=by,
            )
    except IntegrityError as exc:
        raise RecordError(
            _("%(course)s is already recorded for this student in that school year and term.")
            % {"course": course.code}
        ) from exc


@transaction.atomic
def credential_award_add(
    *,
    student: StudentProfile,
    by: Any,
    credential: Credential,
    awarded_on: datetime.date,
    evidence: str = "",
) -> CredentialAward:
    """Record a credential the student earned, with its date and evidence (a certificate
    number or link). A credential is earned once."""
    if awarded_on > timezone.localdate():
        raise RecordError(_("The date earned cannot be in the future."))
    try:
        with transaction.atomic():
            return CredentialAward.objects.create(
                student=student,
                credential=credential,
                awarded_on=awarded_on,
                evidence=(evidence or "").strip(),
                recorded_by=by,
            )
    except IntegrityError as exc:
        raise RecordError(
            _("%(credential)s is already recorded for this student.")
            % {"credential": credential.name}
        ) from exc


def access_log_record(*, viewer: Any, student: StudentProfile, what: str) -> AccessLog:
    return AccessLog.objects.create(viewer=viewer, student=student, what=what[:200])


def access_log_record_many(*, viewer: Any, student_ids: Iterable[int], what: str) -> int:
    """One entry per student whose records a response showed (an API page of course records
    names several): one INSERT, however many. Returns how many were written."""
    entries = [
        AccessLog(viewer=viewer, student_id=pk, what=what[:200]) for pk in sorted(set(student_ids))
    ]
    AccessLog.objects.bulk_create(entries)
    return len(entries)
