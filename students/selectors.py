"""Every read of the students app, with its joins, annotations and visibility rule.

Visibility: a student sees their own record; a counselor sees the students of the schools
they serve (their caseload); CTE staff see the whole district; employers see none of this.
Participant / concentrator / completer status is annotated in SQL (``with_status``), so a
caseload of any size costs the same few queries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from cte_portal.users.permissions import is_counselor, is_cte_staff, is_student
from pathways.enums import CourseLevel
from pathways.models import Offering, Pathway, PathwayCourse

from . import conf
from .enums import (
    ACTIVE_STATUSES,
    PENDING_STATUSES,
    CourseRecordStatus,
    CTEStatus,
    EnrollmentStatus,
)
from .models import (
    AdvisingNote,
    CourseRecord,
    CredentialAward,
    Enrollment,
    ExploratoryWorkshop,
    ReadinessMeasure,
    StudentProfile,
)

COMPLETED = CourseRecordStatus.COMPLETED
COMPLETER_LEVELS = (CourseLevel.CONCENTRATOR, CourseLevel.CAPSTONE)


def _count(queryset: QuerySet, group_by: str, *, of: str = "pk") -> Subquery:
    """A correlated COUNT(DISTINCT of) as an integer subquery (0 when nothing matches)."""
    counted = queryset.order_by().values(group_by).annotate(n=Count(of, distinct=True)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_status(students: QuerySet[StudentProfile]) -> QuerySet[StudentProfile]:
    """Annotate each student's pathway and Perkins V progress, all in SQL:

    - ``pathway_id``: of the approved (or else completed) enrollment, the newest;
    - ``courses_completed``: completed CTE course records (participant: at least one);
    - ``is_concentrator``: two or more completed courses in one pathway's sequence;
    - ``pathway_courses_done`` / ``pathway_courses_total``: the required courses of the
      pathway's sequence (electives are choices, not conditions);
    - ``completer_done`` / ``completer_total``: its required concentrator and capstone
      courses (completer: all of them, PRODUCT.md's default rule);
    - ``cte_status`` and ``at_risk`` (in a pathway, in the at-risk grades, not a concentrator).
    """
    current = (
        Enrollment.objects.filter(
            student=OuterRef("pk"),
            status__in=[EnrollmentStatus.APPROVED, EnrollmentStatus.COMPLETED],
        )
        .order_by("status", "-requested_at")  # "approved" sorts before "completed"
        .values("offering__pathway_id")[:1]
    )
    done = CourseRecord.objects.filter(student=OuterRef(OuterRef("pk")), status=COMPLETED)
    in_one_pathway = (
        PathwayCourse.objects.filter(course__in=done.values("course_id"))
        .order_by()
        .values("pathway_id")
        .annotate(n=Count("course_id", distinct=True))
        .filter(n__gte=2)
    )
    # Progress and completion count the pathway's required courses: an elective (say AP
    # Computer Science beside the web course) is a choice, never a condition of completing.
    sequence = PathwayCourse.objects.filter(pathway_id=OuterRef("pathway_id"), required=True)
    required_here = PathwayCourse.objects.filter(
        pathway_id=OuterRef(OuterRef("pathway_id")), required=True
    ).values("course_id")
    completed_here = CourseRecord.objects.filter(student=OuterRef("pk"), status=COMPLETED)
    return (
        students.annotate(pathway_id=Subquery(current, output_field=IntegerField()))
        .annotate(
            courses_completed=_count(
                CourseRecord.objects.filter(student=OuterRef("pk"), status=COMPLETED),
                "student",
                of="course_id",
            ),
            is_concentrator=Exists(in_one_pathway),
            pathway_courses_total=_count(sequence, "pathway", of="course_id"),
            # Distinct courses: a course passed twice (repeated, or two terms) counts once.
            pathway_courses_done=_count(
                completed_here.filter(course__in=required_here), "student", of="course_id"
            ),
            completer_total=_count(
                sequence.filter(course__level__in=COMPLETER_LEVELS), "pathway", of="course_id"
            ),
            completer_done=_count(
                completed_here.filter(course__level__in=COMPLETER_LEVELS, course__in=required_here),
                "student",
                of="course_id",
            ),
        )
        .annotate(
            cte_status=Case(
                When(
                    Q(completer_total__gt=0, is_concentrator=True)
                    & Q(completer_done__gte=F("completer_total")),
                    then=Value(CTEStatus.COMPLETER),
                ),
                When(is_concentrator=True, then=Value(CTEStatus.CONCENTRATOR)),
                When(courses_completed__gte=1, then=Value(CTEStatus.PARTICIPANT)),
                default=Value(CTEStatus.NONE),
                output_field=CharField(),
            ),
            at_risk=Case(
                When(
                    Q(pathway_id__isnull=False, is_concentrator=False)
                    & Q(grade__gte=conf.get("STUDENTS_AT_RISK_FROM_GRADE")),
                    then=Value(True),
                ),
                default=Value(False),
            ),
        )
    )


# --- Who sees whom ---------------------------------------------------------------------------


def profile_of(user: Any) -> StudentProfile | None:
    """The signed-in student's own record (None for anyone else or a student without one)."""
    if not is_student(user):
        return None
    return StudentProfile.objects.select_related("school", "user").filter(user=user).first()


def _served_schools(user: Any) -> QuerySet:
    from pathways.models import School

    return School.objects.filter(counselors__user=user).values("pk")


def current_enrollment(*, student: StudentProfile) -> Enrollment | None:
    """The student's approved enrollment (the pathway they are in), if any."""
    return (
        student.enrollments.filter(status=EnrollmentStatus.APPROVED)
        .select_related("offering__pathway", "offering__school")
        .first()
    )


def students_visible_to(user: Any) -> QuerySet[StudentProfile]:
    """A student: their own record; counselors: the students of the schools they serve;
    staff: everyone; others (employers included): no one. The counselor's schools are a
    subquery, not a join, so no row repeats and no DISTINCT is needed over a whole district."""
    students = StudentProfile.objects.all()
    if is_cte_staff(user):
        return students
    if is_counselor(user):
        return students.filter(school__in=_served_schools(user))
    if is_student(user):
        return students.filter(user=user)
    return students.none()


@dataclass(frozen=True)
class CaseloadFilters:
    q: str = ""
    school: int | None = None
    grade: int | None = None
    pathway: int | None = None
    status: str = ""
    at_risk: bool = False


def caseload_for_counselor(
    *, user: Any, filters: CaseloadFilters | None = None
) -> QuerySet[StudentProfile]:
    """The caseload (the district, for staff) with status in SQL, filtered. Two queries for a
    page of any size: the rows (with user, school and pathway joined) and the count."""
    f = filters or CaseloadFilters()
    students = students_visible_to(user)
    if f.q:
        students = students.filter(
            Q(user__full_name__icontains=f.q)
            | Q(user__email__icontains=f.q)
            | Q(district_id__iexact=f.q)
        )
    if f.school:
        students = students.filter(school_id=f.school)
    if f.grade:
        students = students.filter(grade=f.grade)
    students = with_status(students.select_related("user", "school"))
    pathway_name = Pathway.objects.filter(pk=OuterRef("pathway_id")).values("name")[:1]
    students = students.annotate(pathway_name=Subquery(pathway_name))
    if f.pathway:
        students = students.filter(pathway_id=f.pathway)
    if f.status:
        students = students.filter(cte_status=f.status)
    if f.at_risk:
        students = students.filter(at_risk=True)
    return students.order_by("user__full_name", "pk")


def student_status(*, student: StudentProfile) -> StudentProfile:
    """One student with the annotations of ``with_status`` (one query)."""
    return with_status(
        StudentProfile.objects.select_related("user", "school").filter(pk=student.pk)
    ).get()


def student_for_viewer(*, user: Any, student_id: int) -> StudentProfile:
    """A student record the viewer may open (``DoesNotExist`` otherwise: the page says 404)."""
    return with_status(
        students_visible_to(user).select_related("user", "school").filter(pk=student_id)
    ).get()


def enrollments_visible_to(user: Any) -> QuerySet[Enrollment]:
    enrollments = Enrollment.objects.select_related(
        "student__user",
        "student__school",
        "offering__pathway",
        "offering__school",
        "decided_by",
        "ended_by",
    )
    if is_student(user):
        return enrollments.filter(student__user=user)
    if is_cte_staff(user):
        return enrollments
    if is_counselor(user):
        return enrollments.filter(student__school__in=_served_schools(user))
    return enrollments.none()


def request_queue(*, user: Any) -> QuerySet[Enrollment]:
    """Requests waiting for a decision in the viewer's caseload, oldest first."""
    return (
        enrollments_visible_to(user)
        .filter(status__in=[EnrollmentStatus.REQUESTED, EnrollmentStatus.WAITLISTED])
        .select_related("replaces__offering__pathway")
        .order_by("status", "requested_at", "pk")
    )


def course_records_visible_to(user: Any) -> QuerySet[CourseRecord]:
    records = CourseRecord.objects.select_related("course", "student__user")
    return records.filter(student__in=students_visible_to(user).values("pk"))


def credential_awards_visible_to(user: Any) -> QuerySet[CredentialAward]:
    awards = CredentialAward.objects.select_related("credential", "student__user")
    return awards.filter(student__in=students_visible_to(user).values("pk"))


def advising_notes_for(*, student: StudentProfile) -> QuerySet[AdvisingNote]:
    """Only ever called on a counselor's or staff member's page: never the student's."""
    return AdvisingNote.objects.filter(student=student).select_related("author")


# --- The program of study ----------------------------------------------------------------------


@dataclass
class StudyYear:
    year: int
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class StudentRecord:
    """Everything the student's dashboard (and the counselor's student page) shows."""

    student: StudentProfile
    enrollment: Enrollment | None
    pending: Enrollment | None
    history: list[Enrollment]  # declined, withdrawn, completed (not the current), newest first
    years: list[StudyYear]
    records: list[CourseRecord]
    awards: list[CredentialAward]
    college_credits: Decimal
    saved: list[Pathway]
    workshops: list[ExploratoryWorkshop]

    @property
    def progress_percent(self) -> int:
        total = self.student.pathway_courses_total
        return round(100 * self.student.pathway_courses_done / total) if total else 0


def _best_records(records: list[CourseRecord]) -> dict[int, CourseRecord]:
    """Each course's record that counts: a completed one before one in progress (a retake in
    progress does not undo a pass), then the latest. A course taken twice counts once."""
    best: dict[int, CourseRecord] = {}
    for record in records:  # oldest first
        kept = best.get(record.course_id)
        if kept is None or record.status == COMPLETED or kept.status != COMPLETED:
            best[record.course_id] = record
    return best


def student_record(*, student: StudentProfile) -> StudentRecord:
    """The program of study year by year (done / in progress / to come), the earlier
    requests and enrollments (declined with their reason, withdrawn, completed) and the rest
    of the record. A fixed number of queries, however long the record."""
    student = student_status(student=student)
    enrollments = list(
        student.enrollments.select_related(
            "offering__pathway", "offering__school", "ended_by"
        ).order_by("-requested_at", "-pk")
    )
    current = next((e for e in enrollments if e.status == EnrollmentStatus.APPROVED), None)
    current = current or next(
        (e for e in enrollments if e.status == EnrollmentStatus.COMPLETED), None
    )
    pending = next((e for e in enrollments if e.status in PENDING_STATUSES), None)
    history = [e for e in enrollments if e.status not in ACTIVE_STATUSES and e is not current]
    records = list(
        student.course_records.select_related("course").order_by("school_year", "term", "pk")
    )
    best = _best_records(records)
    years: dict[int, StudyYear] = {}
    if current is not None:
        sequence = PathwayCourse.objects.filter(pathway_id=current.offering.pathway_id)
        for step in sequence.select_related("course").order_by("year", "position"):
            record = best.get(step.course_id)
            state = record.get_status_display() if record else _("To come")
            years.setdefault(step.year, StudyYear(step.year)).rows.append(
                {"step": step, "record": record, "state": state}
            )
    awards = list(student.credential_awards.select_related("credential"))
    # College credit is earned once per course, however often it was passed.
    credits = sum(
        (r.college_credits_earned for r in best.values() if r.status == COMPLETED), Decimal("0")
    )
    return StudentRecord(
        student=student,
        enrollment=current,
        pending=pending,
        history=history,
        years=list(years.values()),
        records=records,
        awards=awards,
        college_credits=credits,
        saved=list(Pathway.objects.filter(saves__student=student).select_related("sector")),
        workshops=list(student.exploratory_workshops.select_related("sector", "pathway")),
    )


# --- Dual enrollment ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    rule: str  # "gpa_and_prerequisites", "readiness_measure" or "not_eligible"
    reasons: tuple[str, ...]


def _pathway_of(student: StudentProfile) -> QuerySet:
    """The pathway the student is in (approved, or else completed), newest first."""
    return (
        Enrollment.objects.filter(
            student=student, status__in=[EnrollmentStatus.APPROVED, EnrollmentStatus.COMPLETED]
        )
        .order_by("status", "-requested_at")  # "approved" sorts before "completed"
        .values("offering__pathway_id")[:1]
    )


def dual_enrollment_eligibility(*, student: StudentProfile) -> Eligibility:
    """GPA at or above the threshold *and* a prerequisite done: a course of the student's own
    pathway, at a level the settings name, completed by the student. Or else a readiness
    measure a counselor recorded (seed 003). Says which rule admitted or blocked. A GPA of
    0.00 is a GPA (below the threshold), not a missing one. Three queries."""
    min_gpa = Decimal(str(conf.get("STUDENTS_DUAL_ENROLLMENT_MIN_GPA")))
    levels = tuple(conf.get("STUDENTS_DUAL_ENROLLMENT_PREREQUISITE_LEVELS"))
    reasons: list[str] = []
    gpa_ok = student.gpa is not None and student.gpa >= min_gpa
    if student.gpa is None:
        reasons.append(_("No GPA recorded yet (%(min)s needed).") % {"min": min_gpa})
    elif not gpa_ok:
        reasons.append(_("GPA %(gpa)s is below %(min)s.") % {"gpa": student.gpa, "min": min_gpa})
    prerequisites = PathwayCourse.objects.filter(
        pathway_id__in=Subquery(_pathway_of(student)), course__level__in=levels
    ).values("course_id")
    prereq_ok = CourseRecord.objects.filter(
        student=student, status=COMPLETED, course__in=prerequisites
    ).exists()
    if not prereq_ok:
        reasons.append(_("No prerequisite course of the student's pathway completed yet."))
    if gpa_ok and prereq_ok:
        return Eligibility(True, "gpa_and_prerequisites", (_("GPA and prerequisites met."),))
    measure = ReadinessMeasure.objects.filter(student=student).first()
    if measure is not None:
        reasons.append(_("Ready by another measure: %(m)s.") % {"m": measure.measure})
        return Eligibility(True, "readiness_measure", tuple(reasons))
    return Eligibility(False, "not_eligible", tuple(reasons))


# --- Enrolling from the pathway page -------------------------------------------------------------


def enroll_cta(*, user: Any, pathway: Pathway) -> dict[str, Any]:
    """The context of ``templates/students/_enroll_cta.html`` for one pathway's page: the
    offerings at the student's school they may request, where they stand (their active
    enrollment or request, here or in another pathway) and whether they saved this pathway.
    Four queries for a student; none for anyone else."""
    student = profile_of(user)
    if student is None:
        return {"cta_student": None}
    offerings = list(
        Offering.objects.filter(
            pathway=pathway, school_id=student.school_id, open_for_enrollment=True
        )
        .select_related("school")
        .order_by("school_year", "schedule", "pk")
    )
    active = list(
        student.enrollments.filter(status__in=ACTIVE_STATUSES)
        .select_related("offering__pathway")
        .order_by("-requested_at")
    )
    here = next((e for e in active if e.offering.pathway_id == pathway.pk), None)
    approved = next((e for e in active if e.status == EnrollmentStatus.APPROVED), None)
    pending = next((e for e in active if e.status != EnrollmentStatus.APPROVED), None)
    in_grades = pathway.entry_grade_min <= student.grade <= pathway.entry_grade_max
    if approved is not None and student.grade > pathway.entry_grade_max:
        # A change past the entry grades, if the district allows it (services' same rule).
        in_grades = in_grades or bool(conf.get("STUDENTS_CHANGE_GRADES_PAST_ENTRY"))
    return {
        "cta_student": student,
        "cta_pathway": pathway,
        "cta_offerings": offerings if in_grades and pathway.is_published else [],
        "cta_in_grades": in_grades,
        "cta_here": here,
        "cta_approved": approved,
        "cta_pending": pending,
        "cta_saved": student.saves.filter(pathway=pathway).exists(),
    }


def filter_choices(*, user: Any) -> Mapping[str, list[tuple[Any, str]]]:
    """Schools and pathways for the caseload filters (two small queries)."""
    from pathways.models import School

    if is_cte_staff(user):
        schools = School.objects.all()
    else:
        schools = School.objects.filter(counselors__user=user)
    pathways = Pathway.objects.filter(offerings__school__in=schools).distinct()
    return {
        "schools": list(schools.order_by("name").values_list("pk", "name")),
        "pathways": list(pathways.order_by("name").values_list("pk", "name")),
    }
