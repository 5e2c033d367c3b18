"""users.csv -> students and counselors (and their accounts).

- role ``student``: a User (role student) and a StudentProfile at the first school among the
  user's orgSourcedIds, in the grade of ``grades`` (students outside grades 7-12 are counted
  and skipped); ``identifier`` is the district student ID. Matched by roster ID, else by
  district student ID (linking records made before the first import).
- a role the STUDENTS_ROSTER_COUNSELOR_ROLES setting names: a User (role counselor) and a
  CounselorProfile serving the schools among their orgSourcedIds. Matched by roster ID,
  else by e-mail among the counselors.
- other roles (teachers, parents...) are counted and skipped.

An e-mail or district ID that belongs to someone else is a bad row: the importer never
merges two people on a guess. ``enabledUser=false`` turns the account off; ``tobedeleted``
turns the account and the record off (nothing is deleted: the history stays).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from cte_portal.users.enums import Role
from cte_portal.users.models import User
from pathways.models import School, current_school_year

from .. import conf
from ..enums import STUDENT_GRADES
from ..models import CounselorProfile, StudentProfile
from .export import ORGS, USERS, Export
from .plan import Context, assign, chunked
from .rows import UserRow

NAME_MAX = User._meta.get_field("full_name").max_length
DISTRICT_ID_MAX = StudentProfile._meta.get_field("district_id").max_length
Through = CounselorProfile.schools.through


class PeopleIndex:
    """The people of the portal the export names, loaded in a few chunked queries, one
    Python object per database row (so an object changed twice is saved once)."""

    def __init__(self, export: Export) -> None:
        students = [u for u in export.users.values() if u.role == "student"]
        ids = {*export.users, *export.demographics}
        ids |= {e.user_id for e in export.enrollments.values()}
        emails = {u.email for u in export.users.values() if u.email}
        self.accounts: dict[int, User] = {}
        self.students: dict[int, StudentProfile] = {}
        self.counselors: dict[int, CounselorProfile] = {}
        for chunk in chunked(ids):
            self._students(Q(sourced_id__in=chunk))
            self._counselors(Q(sourced_id__in=chunk))
        for chunk in chunked(u.identifier for u in students):
            self._students(Q(district_id__in=chunk))
        for chunk in chunked(emails):
            self._counselors(Q(user__email__in=chunk))
            for user in User.objects.filter(email__in=chunk):
                self.accounts.setdefault(user.pk, user)
        self.by_email = {u.email: u for u in self.accounts.values()}
        self.student_by_sourced_id = {p.sourced_id: p for p in self.students.values()}
        self.student_by_district_id = {p.district_id: p for p in self.students.values()}
        self.counselor_by_sourced_id = {c.sourced_id: c for c in self.counselors.values()}
        self.counselor_by_user = {c.user_id: c for c in self.counselors.values()}
        self.schools_of = self._counselor_schools()

    def _students(self, where: Q) -> None:
        for profile in StudentProfile.objects.select_related("user").filter(where):
            profile.user = self.accounts.setdefault(profile.user_id, profile.user)
            self.students.setdefault(profile.pk, profile)

    def _counselors(self, where: Q) -> None:
        for profile in CounselorProfile.objects.select_related("user").filter(where):
            profile.user = self.accounts.setdefault(profile.user_id, profile.user)
            self.counselors.setdefault(profile.pk, profile)

    def _counselor_schools(self) -> dict[int, set[int]]:
        schools: dict[int, set[int]] = {pk: set() for pk in self.counselors}
        for chunk in chunked(self.counselors):
            rows = Through.objects.filter(counselorprofile_id__in=chunk)
            for counselor_id, school_id in rows.values_list("counselorprofile_id", "school_id"):
                schools[counselor_id].add(school_id)
        return schools


def plan_people(ctx: Context, index: PeopleIndex) -> None:
    emails: dict[str, int] = {}  # e-mail -> line, to catch two people with one address
    district_ids: dict[str, int] = {}
    for row in ctx.export.users.values():
        ctx.progress.tick()
        if ctx.blocked(USERS, row, [(ORGS, org_id) for org_id in row.org_ids]):
            continue
        if row.role == "student":
            _plan_student(ctx, index, row, emails, district_ids)
        elif row.role in ctx.counselor_roles:
            _plan_counselor(ctx, index, row, emails)
        else:
            ctx.skip(USERS, _("role %(role)s is not imported") % {"role": row.role})


# --- Students --------------------------------------------------------------------------------


def student_grade(row: UserRow) -> tuple[int | None, str]:
    """(grade, problem): the grade the portal keeps, or None for a grade it does not serve
    (kindergarten to 6, 13, ungraded), or a problem when ``grades`` does not say one grade."""
    if not row.grades:
        return None, _("grades is required for a student.")
    if len(set(row.grades)) > 1:
        return None, _("A student is in one grade; grades says %(grades)s.") % {
            "grades": ",".join(row.grades)
        }
    code = row.grades[0]
    grade = int(code) if code.isdigit() else None
    return (grade if grade in STUDENT_GRADES else None), ""


def cohort_for(grade: int) -> int:
    """The year a student in ``grade`` this school year is expected to graduate."""
    return current_school_year() + 1 + (STUDENT_GRADES[-1] - grade)


def first_school(ctx: Context, row: UserRow, problems: list[str]) -> School | None:
    """The first school among the user's orgs; an org nobody knows is a problem."""
    schools = []
    for org_id in row.org_ids:
        if org_id in ctx.schools:
            schools.append(ctx.schools[org_id])
        elif org_id not in ctx.export.orgs:
            problems.append(ctx.unknown(_("org"), org_id, ORGS))
    return schools[0] if schools else None


def no_email_address(row: UserRow) -> str:
    """Where a student with no e-mail in users.csv is "reached": a reserved, undeliverable
    domain, so the record exists and the address can be replaced when the district sends one."""
    return f"{row.sourced_id}@{conf.get('STUDENTS_ROSTER_NO_EMAIL_DOMAIN')}".lower()


def _plan_student(ctx, index, row: UserRow, emails, district_ids) -> None:
    if row.deleted:
        profile = index.student_by_sourced_id.get(row.sourced_id)
        _deactivate(ctx, row, profile, record_changes=ctx.plan.students)
        if profile is not None:
            ctx.students[row.sourced_id] = profile
        return
    grade, problem = student_grade(row)
    problems = [problem] if problem else []
    school = first_school(ctx, row, problems)
    if grade is None and not problems:
        ctx.left_out[row.sourced_id] = _("grade %(grade)s is not served") % {"grade": row.grades[0]}
        ctx.skip(USERS, ctx.left_out[row.sourced_id])
        return
    if school is None and not problems:
        problems.append(_("None of the orgs in orgSourcedIds is a school."))
    profile = index.student_by_sourced_id.get(row.sourced_id)
    if profile is None:  # a record made before the first import
        profile = index.student_by_district_id.get(row.identifier)
    email = row.email or no_email_address(row)
    problems += _student_problems(row, profile, index, district_ids)
    problems += _email_problems(row, email, profile.user_id if profile else None, index, emails)
    if ctx.bad(USERS, row, problems):
        return
    user_values = {"email": email, "full_name": row.full_name, "is_active": row.enabled}
    values = {"school": school, "grade": grade, "district_id": row.identifier}
    values |= {"sourced_id": row.sourced_id, "is_active": True}
    if profile is None:
        profile = _new_student(ctx, user_values, values)
        ctx.settle(USERS, row, created=True)
    elif ctx.is_stale(USERS, row):
        ctx.settle(USERS, row)
    else:
        changed = _assign_student(ctx, profile, user_values, values)
        ctx.settle(USERS, row, changed=changed)
    ctx.students[row.sourced_id] = profile


def _student_problems(row: UserRow, profile, index: PeopleIndex, district_ids) -> list[str]:
    problems = []
    if not row.identifier:
        problems.append(_("identifier (the district student ID) is required for a student."))
    if len(row.identifier) > DISTRICT_ID_MAX:
        problems.append(_("identifier is longer than %(n)d characters.") % {"n": DISTRICT_ID_MAX})
    if len(row.full_name) > NAME_MAX:
        problems.append(_("The name is longer than %(n)d characters.") % {"n": NAME_MAX})
    holder = index.student_by_district_id.get(row.identifier)
    if holder is not None and (
        holder is not profile or holder.sourced_id not in ("", row.sourced_id)
    ):
        problems.append(
            _("District student ID %(id)s belongs to another student (%(name)s).")
            % {"id": row.identifier, "name": holder.user.full_name or holder.user.email}
        )
    if row.identifier and row.identifier in district_ids:
        problems.append(
            _("District student ID %(id)s is also on line %(line)d.")
            % {"id": row.identifier, "line": district_ids[row.identifier]}
        )
    district_ids.setdefault(row.identifier, row.line)
    return problems


def _email_problems(row: UserRow, email: str, owner_id, index: PeopleIndex, emails) -> list[str]:
    """The address must be free, or be the one of the account the row is matched to."""
    problems = []
    holder = index.by_email.get(email)
    if holder is not None and holder.pk != owner_id:
        problems.append(
            _("The e-mail %(email)s belongs to another account (%(role)s).")
            % {"email": email, "role": holder.get_role_display()}
        )
    if email in emails:
        problems.append(
            _("The e-mail %(email)s is also on line %(line)d.")
            % {"email": email, "line": emails[email]}
        )
    emails.setdefault(email, row.line)
    return problems


def _new_account(ctx: Context, values: dict, role: Role) -> User:
    user = User(**values, role=role)
    user.set_unusable_password()  # they choose one through "forgot password" (or SSO later)
    ctx.plan.users.add(user)
    return user


def _new_student(ctx: Context, user_values: dict, values: dict) -> StudentProfile:
    user = _new_account(ctx, user_values, Role.STUDENT)
    profile = StudentProfile(**values, user=user, cohort=cohort_for(values["grade"]))
    ctx.plan.students.add(profile)
    return profile


def _assign_student(ctx: Context, profile: StudentProfile, user_values, values) -> bool:
    if values["grade"] != profile.grade:
        values = {**values, "cohort": cohort_for(values["grade"])}
    user_changed = assign(profile.user, user_values)
    changed = assign(profile, values)
    ctx.plan.users.changed(profile.user, user_changed)
    ctx.plan.students.changed(profile, changed)
    return bool(user_changed or changed)


def _deactivate(ctx: Context, row: UserRow, profile, *, record_changes=None) -> None:
    """``tobedeleted``: the account (and the student record) are turned off, never deleted,
    so the history (course records, enrollments) stays."""
    if profile is None:
        ctx.left_out[row.sourced_id] = _("marked tobedeleted and not in the portal")
        ctx.skip(USERS, ctx.left_out[row.sourced_id])
        return
    if ctx.is_stale(USERS, row):
        ctx.settle(USERS, row)
        return
    user_changed = assign(profile.user, {"is_active": False})
    ctx.plan.users.changed(profile.user, user_changed)
    changed: set[str] = set()
    if record_changes is not None:
        changed = assign(profile, {"is_active": False})
        record_changes.changed(profile, changed)
        if changed:  # their seat or request goes too (write.withdraw_enrollments)
            ctx.plan.withdrawals.append(profile)
    ctx.settle(USERS, row, changed=bool(user_changed or changed))


# --- Counselors ------------------------------------------------------------------------------


def _plan_counselor(ctx: Context, index: PeopleIndex, row: UserRow, emails) -> None:
    holder = index.by_email.get(row.email) if row.email else None
    profile = index.counselor_by_sourced_id.get(row.sourced_id)
    if profile is None and holder is not None and holder.role == Role.COUNSELOR:
        profile = index.counselor_by_user.get(holder.pk)
    if row.deleted:
        _deactivate(ctx, row, profile)
        return
    problems: list[str] = []
    first_school(ctx, row, problems)  # reports orgs nobody knows
    schools = [ctx.schools[o] for o in row.org_ids if o in ctx.schools]
    if not problems and not (row.email and schools):
        reason = _("a counselor with no school") if row.email else _("a counselor with no e-mail")
        ctx.skip(USERS, reason)
        return
    account = profile.user if profile is not None else _counselor_account(holder)
    problems += _email_problems(row, row.email, account.pk if account else None, index, emails)
    if profile is not None and profile.sourced_id not in ("", row.sourced_id):
        problems.append(
            _("The counselor %(email)s is already linked to sourcedId %(id)s.")
            % {"email": row.email, "id": profile.sourced_id}
        )
    if len(row.full_name) > NAME_MAX:
        problems.append(_("The name is longer than %(n)d characters.") % {"n": NAME_MAX})
    if not ctx.bad(USERS, row, problems):
        _settle_counselor(ctx, index, row, profile, account, schools)


def _counselor_account(holder: User | None) -> User | None:
    """A counselor account with the row's e-mail, made before the first import."""
    return holder if holder is not None and holder.role == Role.COUNSELOR else None


def _settle_counselor(ctx, index, row: UserRow, profile, account, schools) -> None:
    user_values = {"email": row.email, "full_name": row.full_name, "is_active": row.enabled}
    if profile is None:
        if account is None:
            account = _new_account(ctx, user_values, Role.COUNSELOR)
        else:
            ctx.plan.users.changed(account, assign(account, user_values))
        profile = CounselorProfile(user=account, sourced_id=row.sourced_id)
        ctx.plan.counselors.add(profile)
        ctx.plan.counselor_schools.append((profile, schools))
        ctx.settle(USERS, row, created=True)
    elif ctx.is_stale(USERS, row):
        ctx.settle(USERS, row)
    else:
        user_changed = assign(profile.user, user_values)
        ctx.plan.users.changed(profile.user, user_changed)
        changed = assign(profile, {"sourced_id": row.sourced_id})
        ctx.plan.counselors.changed(profile, changed)
        serves = {s.pk for s in schools}
        moved = None in serves or serves != index.schools_of.get(profile.pk, set())
        if moved:
            ctx.plan.counselor_schools.append((profile, schools))
        ctx.settle(USERS, row, changed=bool(user_changed or changed or moved))
    ctx.counselors[row.sourced_id] = profile
