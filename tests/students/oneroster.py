"""A generator of realistic OneRoster 1.1 CSV exports for the roster import's tests.

``district()`` builds a small district in memory: the district org and its schools, a
school year with two semesters, a catalogue CTE course and an English course, a CTE class
and an English class per school, students with demographics, a counselor (role
administrator) serving every school, and a teacher per school. Tests change rows through
``Export.row``/``touch`` and the knobs, then ``write`` a folder or ``zip`` a file.

Knobs for the awkward cases real exports have: ``bom`` (UTF-8 byte-order mark), ``newline``
("\\r\\n" for CRLF), ``final_newline`` (False: none at the end), ``ext_columns`` (vendor
``ext_*`` columns), ``absent`` (files the manifest calls absent and the export leaves out).
List values ("09,10", "sch-1,sch-2") are written quoted, as exports do.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from students.roster.rows import (
    CLASS_COLUMNS,
    COURSE_COLUMNS,
    DEMOGRAPHIC_COLUMNS,
    ENROLLMENT_COLUMNS,
    ORG_COLUMNS,
    SESSION_COLUMNS,
    USER_COLUMNS,
)

MODIFIED = "2025-08-01T12:00:00.000Z"
NEWER = "2025-09-15T08:30:00.000Z"
CTE_CODE = "CTE101"
COLUMNS = {
    "orgs.csv": ORG_COLUMNS,
    "users.csv": USER_COLUMNS,
    "academicSessions.csv": SESSION_COLUMNS,
    "courses.csv": COURSE_COLUMNS,
    "classes.csv": CLASS_COLUMNS,
    "enrollments.csv": ENROLLMENT_COLUMNS,
    "demographics.csv": DEMOGRAPHIC_COLUMNS,
}
OTHER_FILES = (
    "categories.csv",
    "classResources.csv",
    "courseResources.csv",
    "lineItems.csv",
    "resources.csv",
    "results.csv",
)
# Accents, apostrophes, hyphens, non-Latin letters: real names.
NAMES = [
    ("José", "Martínez"),
    ("Zoë", "O'Brien"),
    ("Nguyễn", "Thị Minh"),
    ("Anne-Marie", "Ñúñez"),
    ("Björn", "Ørsted"),
    ("Aaliyah", "Çelik"),
    ("Dmitri", "Волков"),
    ("Mei", "陈"),
]


@dataclass
class Export:
    files: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    modes: dict[str, str] = field(default_factory=dict)
    bom: bool = False
    newline: str = "\n"
    final_newline: bool = True
    ext_columns: bool = False
    absent: set[str] = field(default_factory=set)
    extra_header: dict[str, list[str]] = field(default_factory=dict)
    drop_columns: dict[str, set[str]] = field(default_factory=dict)
    oneroster_version: str = "1.1"

    def row(self, file: str, sourced_id: str) -> dict[str, str]:
        return next(r for r in self.files[file] if r["sourcedId"] == sourced_id)

    def touch(self, file: str, sourced_id: str, **values: str) -> dict[str, str]:
        """Change a row as a newer export would: the values and a later dateLastModified."""
        row = self.row(file, sourced_id)
        row.update(values, dateLastModified=values.get("dateLastModified", NEWER))
        return row

    def add(self, file: str, **values: str) -> dict[str, str]:
        row = {"status": "active", "dateLastModified": MODIFIED, **values}
        self.files[file].append(row)
        return row

    def students(self) -> list[dict[str, str]]:
        return [u for u in self.files["users.csv"] if u["role"] == "student"]

    # --- Writing -------------------------------------------------------------------------

    def text(self, file: str) -> str:
        columns = [c for c in COLUMNS[file] if c not in self.drop_columns.get(file, set())]
        columns += self.extra_header.get(file, [])
        if self.ext_columns:
            columns += ["ext_district_code", "ext_notes"]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator=self.newline)
        writer.writerow(columns)
        for row in self.files[file]:
            extras = {"ext_district_code": "NYC-DOE", "ext_notes": "a, b; c"}
            writer.writerow([row.get(c, extras.get(c, "")) for c in columns])
        return _ending(out.getvalue(), self)

    def manifest(self) -> str:
        rows = [
            ("manifest.version", "1.0"),
            ("oneroster.version", self.oneroster_version),
            *((f"file.{name[:-4]}", self.mode(name)) for name in (*COLUMNS, *OTHER_FILES)),
            ("source.systemName", "Example SIS"),
            ("source.systemCode", "example-sis"),
        ]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator=self.newline)
        writer.writerow(["propertyName", "value"])
        writer.writerows(rows)
        return _ending(out.getvalue(), self)

    def mode(self, name: str) -> str:
        if name in self.modes:
            return self.modes[name]
        return "absent" if name in self.absent or name not in COLUMNS else "bulk"

    def contents(self) -> dict[str, bytes]:
        prefix = "\ufeff" if self.bom else ""
        files = {"manifest.csv": self.manifest()}
        files |= {name: self.text(name) for name in COLUMNS if name not in self.absent}
        return {name: (prefix + text).encode("utf-8") for name, text in files.items()}

    def write(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        for name, data in self.contents().items():
            (directory / name).write_bytes(data)
        return directory

    def zip(self, path: Path, *, folder: str = "") -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.contents().items():
                archive.writestr(f"{folder}{name}", data)
        return path

    def zip_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.contents().items():
                archive.writestr(name, data)
        return buffer.getvalue()


def _ending(text: str, export: Export) -> str:
    return text if export.final_newline else text.removesuffix(export.newline)


def _row(**values: str) -> dict[str, str]:
    return {"status": "active", "dateLastModified": MODIFIED, **values}


def district(*, schools: int = 2, students_per_school: int = 3, cte_code: str = CTE_CODE) -> Export:
    """A small, clean district: every row good, every reference resolved."""
    school_ids = [f"sch-{n}" for n in range(1, schools + 1)]
    export = Export(files={name: [] for name in COLUMNS})
    files = export.files
    files["orgs.csv"] = [_row(sourcedId="dist-1", name="Example City Schools", type="district")]
    files["orgs.csv"] += [
        _row(
            sourcedId=sid,
            name=f"High School {n} for Careers",
            type="school",
            identifier=f"0{n}M{400 + n}",
            parentSourcedId="dist-1",
        )
        for n, sid in enumerate(school_ids, start=1)
    ]
    files["academicSessions.csv"] = _sessions()
    files["courses.csv"] = [
        _row(sourcedId="crs-cte", title="Intro to Web Design", courseCode=cte_code,
             schoolYearSourcedId="sy-2026", grades="09,10,11,12", orgSourcedId="dist-1"),
        _row(sourcedId="crs-eng", title="English 9", courseCode="EES81",
             schoolYearSourcedId="sy-2026", grades="09", orgSourcedId="dist-1"),
    ]  # fmt: skip
    for sid in school_ids:
        _school(export, sid, students_per_school)
    files["users.csv"].append(
        _row(sourcedId="cns-1", enabledUser="true", orgSourcedIds=",".join(school_ids),
             role="administrator", username="rgarcia", givenName="Rosa", familyName="García",
             identifier="E1001", email="Rosa.Garcia@schools.example", grades="09,10,11,12")
    )  # fmt: skip
    return export


def _sessions() -> list[dict[str, str]]:
    return [
        _row(sourcedId="sy-2026", title="2025-2026", type="schoolYear", startDate="2025-09-04",
             endDate="2026-06-26", schoolYear="2026"),
        _row(sourcedId="fall-2025", title="Fall 2025", type="semester", startDate="2025-09-04",
             endDate="2026-01-28", parentSourcedId="sy-2026", schoolYear="2026"),
        _row(sourcedId="spring-2026", title="Spring 2026", type="semester",
             startDate="2026-02-02", endDate="2026-06-26", parentSourcedId="sy-2026",
             schoolYear="2026"),
    ]  # fmt: skip


def _school(export: Export, school: str, students: int) -> None:
    files = export.files
    cte, eng, teacher = f"cls-{school}-cte", f"cls-{school}-eng", f"tch-{school}"
    files["classes.csv"] += [
        _row(sourcedId=cte, title="Web Design 1", grades="09,10", courseSourcedId="crs-cte",
             classCode="WD1-01", classType="scheduled", schoolSourcedId=school,
             termSourcedIds="sy-2026", periods="3"),
        _row(sourcedId=eng, title="English 9", grades="09", courseSourcedId="crs-eng",
             classCode="E9-02", classType="scheduled", schoolSourcedId=school,
             termSourcedIds="fall-2025,spring-2026", periods="1,2"),
    ]  # fmt: skip
    files["users.csv"].append(
        _row(sourcedId=teacher, enabledUser="true", orgSourcedIds=school, role="teacher",
             givenName="Terry", familyName=f"Teacher {school}", identifier=f"T-{school}",
             email=f"teacher.{school}@schools.example", grades="09,10")
    )  # fmt: skip
    for cls in (cte, eng):
        files["enrollments.csv"].append(
            _row(sourcedId=f"enr-{teacher}-{cls}", classSourcedId=cls, schoolSourcedId=school,
                 userSourcedId=teacher, role="teacher", primary="true")
        )  # fmt: skip
    for _ in range(students):
        _student(export, school, cte, eng)


def _student(export: Export, school: str, cte: str, eng: str) -> None:
    files = export.files
    n = len(export.students()) + 1
    given, family = NAMES[(n - 1) % len(NAMES)]
    sid = f"stu-{n}"
    files["users.csv"].append(
        _row(sourcedId=sid, enabledUser="true", orgSourcedIds=school, role="student",
             username=f"s{n:05d}", userIds=f"{{SIS:{200000 + n}}}", givenName=given,
             familyName=family, identifier=f"{200000 + n}", email=f"s{n:05d}@students.example",
             grades="09" if n % 2 else "10", agentSourcedIds="")
    )  # fmt: skip
    for cls in (cte, eng):
        files["enrollments.csv"].append(
            _row(sourcedId=f"enr-{sid}-{cls}", classSourcedId=cls, schoolSourcedId=school,
                 userSourcedId=sid, role="student", primary="false", beginDate="2025-09-04",
                 endDate="2026-06-26")
        )  # fmt: skip
    files["demographics.csv"].append(
        _row(sourcedId=sid, birthDate=f"20{10 - n % 3:02d}-0{1 + n % 9}-15",
             sex="female" if n % 2 else "male", americanIndianOrAlaskaNative="false",
             asian="true" if n % 4 == 0 else "false", blackOrAfricanAmerican="false",
             nativeHawaiianOrOtherPacificIslander="false", white="false",
             demographicRaceTwoOrMoreRaces="false",
             hispanicOrLatinoEthnicity="true" if n % 4 == 1 else "false",
             countryOfBirthCode="US", stateOfBirthAbbreviation="NY", cityOfBirth="New York")
    )  # fmt: skip
