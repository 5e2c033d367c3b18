"""Reading a whole export into typed rows (no database): the manifest first, then each file
it lists that the portal uses. A row with a bad value, or a sourcedId already used in its
file, is reported and left out; what remains is what the planner works on."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .fields import Fields
from .manifest import Manifest, read_manifest
from .report import Report
from .rows import (
    FILES,
    ClassRow,
    CourseRow,
    DemographicRow,
    EnrollmentRow,
    OrgRow,
    RosterRow,
    SessionRow,
    UserRow,
)
from .source import RosterSource
from .tables import decode, read_table

ORGS, USERS, SESSIONS = "orgs.csv", "users.csv", "academicSessions.csv"
COURSES, CLASSES = "courses.csv", "classes.csv"
ENROLLMENTS, DEMOGRAPHICS = "enrollments.csv", "demographics.csv"


@dataclass
class Export:
    """The rows of each file by sourcedId (a file the manifest calls absent is empty)."""

    manifest: Manifest
    orgs: dict[str, OrgRow] = field(default_factory=dict)
    users: dict[str, UserRow] = field(default_factory=dict)
    sessions: dict[str, SessionRow] = field(default_factory=dict)
    courses: dict[str, CourseRow] = field(default_factory=dict)
    classes: dict[str, ClassRow] = field(default_factory=dict)
    enrollments: dict[str, EnrollmentRow] = field(default_factory=dict)
    demographics: dict[str, DemographicRow] = field(default_factory=dict)
    # sourcedIds of rows already reported bad, per file, and files that could not be read
    # at all: rows that name them are not reported again (one mistake, one line).
    rejected: dict[str, set[str]] = field(default_factory=dict)
    unreadable: set[str] = field(default_factory=set)

    def present(self, name: str) -> bool:
        return self.manifest.present(name)

    @property
    def row_count(self) -> int:
        return sum(
            len(rows)
            for rows in (
                self.orgs,
                self.users,
                self.sessions,
                self.courses,
                self.classes,
                self.enrollments,
                self.demographics,
            )
        )


def read_export(source: RosterSource, report: Report) -> Export:
    export = Export(manifest=read_manifest(source, report))
    for name, target in (
        (ORGS, export.orgs),
        (USERS, export.users),
        (SESSIONS, export.sessions),
        (COURSES, export.courses),
        (CLASSES, export.classes),
        (ENROLLMENTS, export.enrollments),
        (DEMOGRAPHICS, export.demographics),
    ):
        if export.present(name) and name in source:
            rows = read_file(source, name, report, export.rejected.setdefault(name, set()))
            if rows is None:
                export.unreadable.add(name)
            target.update(rows or {})
    return export


def read_file(
    source: RosterSource, name: str, report: Report, rejected: set[str]
) -> dict[str, RosterRow] | None:
    """The file's good rows by sourcedId (every bad one is reported), or None when the file
    cannot be read at all."""
    spec = FILES[name]
    text = decode(name, source.read(name), report)
    if text is None:
        return None
    records = read_table(name, text, columns=spec.columns, required=spec.required, report=report)
    if records is None:
        return None
    rows: dict[str, RosterRow] = {}
    for record in records:
        fields = Fields(record)
        row = spec.read(fields)
        if fields.errors:
            report.problem(name, record.line, " ".join(fields.errors))
            rejected.add(record["sourcedId"])
        elif row.sourced_id in rows:
            report.problem(
                name,
                record.line,
                _("sourcedId %(id)s is also on line %(line)d.")
                % {"id": row.sourced_id, "line": rows[row.sourced_id].line},
            )
        else:
            rows[row.sourced_id] = row
    return rows
