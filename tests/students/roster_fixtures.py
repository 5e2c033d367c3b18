"""Fixtures shared by the roster import tests (imported by each test module)."""

from __future__ import annotations

import pytest

from tests.factories.pathways import CourseFactory
from tests.students.oneroster import CTE_CODE, district


@pytest.fixture
def cte_course(db):
    """The catalogue course the generated district's CTE classes teach."""
    return CourseFactory(code=CTE_CODE, title="Web Design I")


@pytest.fixture
def export():
    return district()


def import_export(export, tmp_path, **kwargs):
    """Write the export as a folder and import it; the report."""
    from students.roster.importer import import_roster
    from students.roster.source import RosterSource

    folder = export.write(tmp_path / f"export-{len(list(tmp_path.iterdir()))}")
    return import_roster(RosterSource.from_path(folder), **kwargs)


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table an import writes: equal snapshots mean nothing was written."""
    from cte_portal.users.models import User
    from pathways.models import School
    from students.models import CounselorProfile, CourseRecord, RosterStamp, StudentProfile

    tables = {
        "users": User.objects.values_list("pk", "email", "full_name", "role", "is_active"),
        "schools": School.objects.values_list(),
        "students": StudentProfile.objects.values_list(),
        "counselors": CounselorProfile.objects.values_list("pk", "user_id", "sourced_id"),
        "serves": CounselorProfile.schools.through.objects.values_list(
            "counselorprofile_id", "school_id"
        ),
        "records": CourseRecord.objects.values_list(),
        "stamps": RosterStamp.objects.values_list(),
    }
    return {name: sorted(rows, key=repr) for name, rows in tables.items()}


def counts(report) -> dict[str, dict[str, int]]:
    return {name: dict(counter) for name, counter in report.counts.items()}
