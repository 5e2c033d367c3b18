"""orgs.csv -> the portal's schools.

An org of type ``school`` is matched to a school by its roster ID (``School.sourced_id``),
else by its identifier as the school code (the DBN), which links the catalogue's schools to
the roster on the first import. A school the portal does not know is created (its identifier
becomes its code; its level is the STUDENTS_ROSTER_NEW_SCHOOL_LEVEL setting: orgs carry no
grades). Other orgs (the district, departments) are counted and skipped, but stay known so
users may name them in orgSourcedIds. A school is never removed by an import.
"""

from __future__ import annotations

from django.utils.text import slugify
from django.utils.translation import gettext as _

from pathways.models import School

from .. import conf
from .export import ORGS
from .plan import Context, assign
from .rows import OrgRow

CODE_MAX = School._meta.get_field("code").max_length
NAME_MAX = School._meta.get_field("name").max_length


class SchoolIndex:
    """Every school of the portal (a district has a few hundred), by roster ID and code."""

    def __init__(self) -> None:
        schools = list(School.objects.all())
        self.by_sourced_id = {s.sourced_id: s for s in schools if s.sourced_id}
        self.by_code = {s.code.upper(): s for s in schools}
        self.slugs = {s.slug for s in schools}

    def match(self, org: OrgRow) -> School | None:
        found = self.by_sourced_id.get(org.sourced_id)
        if found is None and org.identifier:
            found = self.by_code.get(org.identifier.upper())
        return found

    def new_slug(self, name: str) -> str:
        base = slugify(name)[:70] or "school"
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add(slug)
        return slug


def plan_schools(ctx: Context) -> None:
    index = SchoolIndex()
    ctx.schools.update(index.by_sourced_id)
    codes: dict[str, int] = {}  # code -> line, to catch two orgs with one code
    for org in ctx.export.orgs.values():
        ctx.progress.tick()
        if org.parent_id and org.parent_id not in ctx.export.orgs:
            ctx.bad(ORGS, org, [ctx.unknown(_("parent org"), org.parent_id, ORGS, in_portal=False)])
        elif not org.is_school:
            ctx.skip(ORGS, _("%(type)s orgs are not imported") % {"type": org.type})
        elif org.deleted:
            ctx.skip(ORGS, _("schools are never removed by an import"))
        else:
            _plan_school(ctx, org, index, codes)


def _plan_school(ctx: Context, org: OrgRow, index: SchoolIndex, codes: dict[str, int]) -> None:
    school = index.match(org)
    if ctx.bad(ORGS, org, _school_problems(org, school, index, codes)):
        return
    values = {"name": org.name, "sourced_id": org.sourced_id}
    if org.identifier:
        values["code"] = org.identifier
    if school is None:
        school = School(
            **values,
            slug=index.new_slug(org.name),
            level=conf.get("STUDENTS_ROSTER_NEW_SCHOOL_LEVEL"),
        )
        ctx.plan.schools.add(school)
        ctx.settle(ORGS, org, created=True)
    elif ctx.is_stale(ORGS, org):
        ctx.settle(ORGS, org)
    else:
        changed = assign(school, values)
        ctx.plan.schools.changed(school, changed)
        ctx.settle(ORGS, org, changed=bool(changed))
    ctx.schools[org.sourced_id] = school


def _school_problems(
    org: OrgRow, school: School | None, index: SchoolIndex, codes: dict[str, int]
) -> list[str]:
    code = org.identifier.upper()
    problems = []
    if len(org.name) > NAME_MAX:
        problems.append(_("name is longer than %(n)d characters.") % {"n": NAME_MAX})
    if school is None and not code:
        problems.append(_("identifier (the school code) is required for a new school."))
    if len(code) > CODE_MAX:
        problems.append(_("identifier is longer than %(n)d characters.") % {"n": CODE_MAX})
    if code in codes:
        problems.append(
            _("School code %(code)s is also on line %(line)d.")
            % {"code": org.identifier, "line": codes[code]}
        )
    holder = index.by_code.get(code) if code else None
    if holder is not None and school is not None and holder.pk != school.pk:
        problems.append(
            _("School code %(code)s belongs to %(school)s.")
            % {"code": org.identifier, "school": holder.name}
        )
    if school is not None and school.sourced_id and school.sourced_id != org.sourced_id:
        problems.append(
            _("School code %(code)s is already linked to sourcedId %(id)s.")
            % {"code": school.code, "id": school.sourced_id}
        )
    if code:
        codes[code] = org.line
    return problems
