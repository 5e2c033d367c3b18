"""academicSessions.csv, courses.csv, classes.csv and enrollments.csv -> course records.

A class whose course's ``courseCode`` is a catalogue course code (any case) gives each
student enrolled in it (role ``student``) a course record: that course, the school year and
term of the class's terms, in progress. Other classes (English, math...) are counted and
skipped. Roster files carry no marks: completion is recorded in the portal, and an import
never touches a completed record. ``tobedeleted`` on the enrollment or its class removes an
in-progress record (a schedule change), and keeps a completed one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from pathways.models import Course

from ..enums import CourseRecordStatus, Term
from ..models import CourseRecord
from .enums import Outcome
from .export import CLASSES, COURSES, ENROLLMENTS, ORGS, SESSIONS, USERS
from .people import PeopleIndex
from .plan import Context, assign, chunked
from .rows import ClassRow, EnrollmentRow, SessionRow


@dataclass(frozen=True)
class ClassTarget:
    """The course record a catalogue class gives its students."""

    course: Course
    school_year: int  # named by the year it starts in, as the portal does
    term: str
    deleted: bool


def school_year_and_term(sessions: list[SessionRow]) -> tuple[int, str] | str:
    """The class's school year and term from its sessions, or a problem. One semester or
    term gives fall (starting August-December), spring (January-May) or summer; a school
    year, several terms or a session longer than seven months give the full year."""
    years = {s.school_year for s in sessions}
    if len(years) > 1:
        return _("Its terms are in different school years (%(years)s).") % {
            "years": ", ".join(str(y) for y in sorted(years))
        }
    first = sessions[0]
    if len(sessions) > 1 or first.type == "schoolYear" or (first.end - first.start).days > 213:
        term = Term.FULL_YEAR
    elif first.start.month >= 8:
        term = Term.FALL
    elif first.start.month <= 5:
        term = Term.SPRING
    else:
        term = Term.SUMMER
    return years.pop() - 1, term


def plan_sessions(ctx: Context) -> None:
    for row in ctx.export.sessions.values():
        ctx.progress.tick()
        if row.end < row.start:
            ctx.bad(SESSIONS, row, [_("endDate is before startDate.")])
        else:
            ctx.report.count(SESSIONS, Outcome.USED)


def plan_courses(ctx: Context) -> None:
    codes = {row.course_code.upper() for row in ctx.export.courses.values() if row.course_code}
    catalogue = {}
    for chunk in chunked(codes):
        for course in Course.objects.annotate(upper=Upper("code")).filter(upper__in=chunk):
            catalogue[course.upper] = course
    for row in ctx.export.courses.values():
        ctx.progress.tick()
        course = catalogue.get(row.course_code.upper())
        if course is None:
            ctx.skip(COURSES, _("course not in the catalogue"))
        else:
            ctx.courses[row.sourced_id] = course
            ctx.report.count(COURSES, Outcome.USED)


def plan_classes(ctx: Context) -> None:
    for row in ctx.export.classes.values():
        ctx.progress.tick()
        references = [(COURSES, row.course_id), (ORGS, row.school_id)]
        if ctx.blocked(CLASSES, row, references + [(SESSIONS, t) for t in row.term_ids]):
            continue
        problems = _class_problems(ctx, row)
        course = ctx.courses.get(row.course_id)
        if course is not None and not problems:
            when = school_year_and_term([ctx.export.sessions[t] for t in row.term_ids])
            problems += [when] if isinstance(when, str) else []
        if ctx.bad(CLASSES, row, problems):
            continue
        if course is None:
            ctx.skip(CLASSES, _("course not in the catalogue"))
        else:
            year, term = when
            ctx.targets[row.sourced_id] = ClassTarget(course, year, term, row.deleted)
            ctx.report.count(CLASSES, Outcome.USED)


def _class_problems(ctx: Context, row: ClassRow) -> list[str]:
    problems = []
    if row.course_id not in ctx.export.courses:
        problems.append(ctx.unknown(_("course"), row.course_id, COURSES, in_portal=False))
    if not _org_known(ctx, row.school_id):
        problems.append(ctx.unknown(_("school"), row.school_id, ORGS))
    if row.course_id in ctx.courses and not ctx.export.present(SESSIONS):
        problems.append(_("academicSessions.csv is needed for the school year of this class."))
    elif ctx.export.present(SESSIONS):
        for term_id in row.term_ids:
            if term_id not in ctx.export.sessions:
                what = _("academic session")
                problems.append(ctx.unknown(what, term_id, SESSIONS, in_portal=False))
    return problems


def _org_known(ctx: Context, org_id: str) -> bool:
    return org_id in ctx.schools or org_id in ctx.export.orgs


# --- Enrollments -----------------------------------------------------------------------------


class RecordIndex:
    """The course records of the students the export names, by roster ID and by their
    natural key (student, course, school year, term)."""

    def __init__(self, student_ids: set[int]) -> None:
        self.by_sourced_id: dict[str, CourseRecord] = {}
        self.by_key: dict[tuple, CourseRecord] = {}
        for chunk in chunked(student_ids):
            for record in CourseRecord.objects.filter(student_id__in=chunk):
                if record.sourced_id:
                    self.by_sourced_id[record.sourced_id] = record
                key = (record.student_id, record.course_id, record.school_year, record.term)
                self.by_key[key] = record

    def find(self, sourced_id: str, student: Any, target: ClassTarget) -> CourseRecord | None:
        found = self.by_sourced_id.get(sourced_id)
        if found is None and student.pk is not None:
            found = self.by_key.get(_key(student.pk, target))
        return found


def _key(student_id: Any, target: ClassTarget) -> tuple:
    return (student_id, target.course.pk, target.school_year, target.term)


def plan_enrollments(ctx: Context, people: PeopleIndex) -> None:
    records = RecordIndex({p.pk for p in people.students.values()})
    seen: dict[tuple, int] = {}  # (student, course, year, term) -> line
    for row in ctx.export.enrollments.values():
        ctx.progress.tick()
        references = [(CLASSES, row.class_id), (USERS, row.user_id), (ORGS, row.school_id)]
        if ctx.blocked(ENROLLMENTS, row, references):
            continue
        if ctx.bad(ENROLLMENTS, row, _enrollment_problems(ctx, people, row)):
            continue
        student, reason = _student_of(ctx, people, row)
        if reason:
            ctx.skip(ENROLLMENTS, reason)
        elif student is None:
            ctx.bad(ENROLLMENTS, row, [_not_a_student(ctx, row)])
        else:
            _plan_record(ctx, records, row, student, seen)


def _enrollment_problems(ctx: Context, people: PeopleIndex, row: EnrollmentRow) -> list[str]:
    problems = []
    if row.class_id not in ctx.export.classes:
        problems.append(ctx.unknown(_("class"), row.class_id, CLASSES, in_portal=False))
    if row.school_id and not _org_known(ctx, row.school_id):
        problems.append(ctx.unknown(_("school"), row.school_id, ORGS))
    known = (
        row.user_id in ctx.export.users
        or row.user_id in people.student_by_sourced_id
        or row.user_id in people.counselor_by_sourced_id
    )
    if not known:
        problems.append(ctx.unknown(_("user"), row.user_id, USERS))
    return problems


def _student_of(ctx: Context, people: PeopleIndex, row: EnrollmentRow) -> tuple[Any, str]:
    """(the student record, or why the row is skipped)."""
    if row.role != "student":
        return None, _("role %(role)s is not imported") % {"role": row.role}
    if row.class_id not in ctx.targets:
        return None, _("course not in the catalogue")
    if row.user_id in ctx.left_out:
        return None, ctx.left_out[row.user_id]
    return ctx.students.get(row.user_id) or people.student_by_sourced_id.get(row.user_id), ""


def _not_a_student(ctx: Context, row: EnrollmentRow) -> str:
    user = ctx.export.users.get(row.user_id)
    role = user.role if user is not None else _("counselor")
    return _("User %(id)s is enrolled as a student but is a %(role)s.") % {
        "id": row.user_id,
        "role": role,
    }


def _plan_record(ctx: Context, records: RecordIndex, row: EnrollmentRow, student, seen) -> None:
    target = ctx.targets[row.class_id]
    record = records.find(row.sourced_id, student, target)
    if row.deleted or target.deleted:
        _remove_record(ctx, row, record)
        return
    key = _key(id(student), target)
    if not student.is_active:
        ctx.skip(ENROLLMENTS, _("the student is not active"))
    elif key in seen:
        ctx.skip(ENROLLMENTS, _("same course, school year and term as another enrollment"))
    elif record is None and ctx.is_stale(ENROLLMENTS, row):
        # An older export than the last one: the record it names was removed since (a newer
        # tobedeleted row, or by hand); an old row never brings it back.
        ctx.settle(ENROLLMENTS, row)
    elif record is None:
        seen[key] = row.line
        ctx.plan.records.add(
            CourseRecord(
                student=student,
                course=target.course,
                school_year=target.school_year,
                term=target.term,
                status=CourseRecordStatus.IN_PROGRESS,
                sourced_id=row.sourced_id,
            )
        )
        ctx.settle(ENROLLMENTS, row, created=True)
    else:
        seen[key] = row.line
        _update_record(ctx, records, row, record, student, target)


def _update_record(ctx, records: RecordIndex, row, record: CourseRecord, student, target) -> None:
    other = records.by_key.get(_key(student.pk, target))
    if ctx.is_stale(ENROLLMENTS, row) or record.status == CourseRecordStatus.COMPLETED:
        ctx.settle(ENROLLMENTS, row)
    elif other is not None and other is not record:
        ctx.skip(ENROLLMENTS, _("another record has this course, school year and term"))
    else:
        values = {
            "course": target.course,
            "school_year": target.school_year,
            "term": target.term,
        }
        if not record.sourced_id:
            values["sourced_id"] = row.sourced_id
        changed = assign(record, values)
        ctx.plan.records.changed(record, changed)
        ctx.settle(ENROLLMENTS, row, changed=bool(changed))


def _remove_record(ctx: Context, row: EnrollmentRow, record: CourseRecord | None) -> None:
    if record is None:
        ctx.skip(ENROLLMENTS, _("marked tobedeleted and not in the portal"))
    elif record.status == CourseRecordStatus.COMPLETED:
        ctx.skip(ENROLLMENTS, _("a completed course record is kept"))
    elif ctx.is_stale(ENROLLMENTS, row):
        ctx.settle(ENROLLMENTS, row)
    else:
        ctx.plan.records.delete.append(record)
        ctx.settle(ENROLLMENTS, row, changed=True, deactivated=True)
