"""Writing a checked plan: bulk inserts and updates in dependency order (schools, accounts,
student and counselor records, the schools counselors serve, course records, row dates), so
the number of queries grows with the number of batches, never with the number of rows.
The caller holds the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models

from cte_portal.users.models import User
from pathways.models import School

from .. import services
from ..enums import ACTIVE_STATUSES
from ..models import CounselorProfile, CourseRecord, Enrollment, StudentProfile
from .models import RosterStamp
from .plan import Changes, Plan

BATCH = 1000
Through = CounselorProfile.schools.through


def write_plan(plan: Plan, *, by: Any = None) -> None:
    moved = [counselor.pk for counselor, _schools in plan.counselor_schools if counselor.pk]
    _write(School, plan.schools)
    _write(User, plan.users)
    _write(StudentProfile, plan.students)
    _write(CounselorProfile, plan.counselors)
    _write_counselor_schools(plan.counselor_schools, moved=moved)
    _write(CourseRecord, plan.records)
    RosterStamp.objects.bulk_create(
        plan.stamps,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["file", "sourced_id"],
        update_fields=["modified_at"],
    )
    withdraw_enrollments(plan.withdrawals, by=by)


def withdraw_enrollments(students: Sequence[StudentProfile], *, by: Any) -> None:
    """Students the roster deleted leave their pathway (or their request is cancelled)
    through the enrollment service: the seat goes to the first on the wait list, who is
    told. Only students deactivated by this import: importing the files again does nothing."""
    ids = [student.pk for student in students]
    for start in range(0, len(ids), BATCH):
        active = Enrollment.objects.filter(
            student_id__in=ids[start : start + BATCH], status__in=ACTIVE_STATUSES
        ).order_by("pk")
        for enrollment in active:
            services.enrollment_withdraw(enrollment=enrollment, by=by)


def _write(model: type[models.Model], changes: Changes) -> None:
    """Inserts get their ids back (PostgreSQL and SQLite), so the objects that point to them
    (a profile to its new account) are inserted next with the right keys."""
    if changes.create:
        model.objects.bulk_create(changes.create, batch_size=BATCH)
    if changes.update:
        model.objects.bulk_update(changes.update, sorted(changes.fields), batch_size=BATCH)
    if changes.delete:
        for start in range(0, len(changes.delete), BATCH):
            ids = [obj.pk for obj in changes.delete[start : start + BATCH]]
            model.objects.filter(pk__in=ids).delete()


def _write_counselor_schools(
    serving: Sequence[tuple[models.Model, list[models.Model]]], *, moved: list[int]
) -> None:
    """The schools each new or changed counselor serves, set anew (``moved``: the counselors
    who served schools before)."""
    for start in range(0, len(moved), BATCH):
        Through.objects.filter(counselorprofile_id__in=moved[start : start + BATCH]).delete()
    Through.objects.bulk_create(
        [
            Through(counselorprofile_id=counselor.pk, school_id=school.pk)
            for counselor, schools in serving
            for school in {s.pk: s for s in schools}.values()
        ],
        batch_size=BATCH,
    )
