"""demographics.csv -> the demographic fields of student records (date of birth, gender,
race / ethnicity; ``rows.race_ethnicity`` has the federal rule). A row's sourcedId is its
user's. ``tobedeleted`` clears the fields. OneRoster 1.1 carries no special-population flags
(English learner, disability...): those stay as counselors and staff record them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .export import DEMOGRAPHICS, USERS
from .people import PeopleIndex
from .plan import Context, assign
from .rows import DemographicRow

CLEARED = {"date_of_birth": None, "gender": "", "race_ethnicity": ""}


def plan_demographics(ctx: Context, index: PeopleIndex) -> None:
    for row in ctx.export.demographics.values():
        ctx.progress.tick()
        if ctx.blocked(DEMOGRAPHICS, row, [(USERS, row.sourced_id)]):
            continue
        reason = _left_out(ctx, row)
        if reason:
            ctx.skip(DEMOGRAPHICS, reason)
            continue
        profile = ctx.students.get(row.sourced_id) or index.student_by_sourced_id.get(
            row.sourced_id
        )
        if profile is None:
            ctx.bad(DEMOGRAPHICS, row, [ctx.unknown(_("student"), row.sourced_id, USERS)])
            continue
        values = CLEARED if row.deleted else _values(row)
        if profile.pk is None:  # created by this import, with these values
            assign(profile, values)
            ctx.settle(DEMOGRAPHICS, row, created=True)
        elif ctx.is_stale(DEMOGRAPHICS, row):
            ctx.settle(DEMOGRAPHICS, row)
        else:
            changed = assign(profile, values)
            ctx.plan.students.changed(profile, changed)
            ctx.settle(DEMOGRAPHICS, row, changed=bool(changed))


def _left_out(ctx: Context, row: DemographicRow) -> str:
    user = ctx.export.users.get(row.sourced_id)
    if user is not None and user.role != "student":
        return _("not a student")
    return ctx.left_out.get(row.sourced_id, "")


def _values(row: DemographicRow) -> dict:
    return {
        "date_of_birth": row.birth_date,
        "gender": row.gender,
        "race_ethnicity": row.race_ethnicity,
    }
