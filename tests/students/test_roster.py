"""The OneRoster 1.1 roster import: what a clean export creates, what re-importing,
updating and deleting rows do, the awkward exports that must import, and every kind of bad
row (reported with file, line and reason, and nothing written)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cte_portal.users.enums import Role
from cte_portal.users.models import User
from pathways.models import School, current_school_year
from students.enums import CourseRecordStatus, RaceEthnicity, StudentGender, Term
from students.models import CounselorProfile, CourseRecord, StudentProfile
from students.roster.importer import import_roster
from students.roster.records import school_year_and_term
from students.roster.rows import SessionRow
from students.roster.source import RosterSource
from tests.factories.pathways import CourseFactory, SchoolFactory
from tests.factories.students import CourseRecordFactory, StudentProfileFactory
from tests.factories.users import EmployerUserFactory, StaffUserFactory
from tests.students.oneroster import CTE_CODE, district
from tests.students.roster_fixtures import counts, cte_course, export, import_export, snapshot

__all__ = ["cte_course", "export"]  # fixtures

pytestmark = pytest.mark.django_db

# The generated district: 2 schools of 3 students, a counselor, a teacher per school, a CTE
# class (catalogue) and an English class (not) per school.
CLEAN = {
    "orgs.csv": {"created": 2, "skipped": 1},
    "users.csv": {"created": 7, "skipped": 2},
    "demographics.csv": {"created": 6},
    "academicSessions.csv": {"used": 3},
    "courses.csv": {"used": 1, "skipped": 1},
    "classes.csv": {"used": 2, "skipped": 2},
    "enrollments.csv": {"created": 6, "skipped": 10},
}
UNCHANGED = {
    "orgs.csv": {"unchanged": 2, "skipped": 1},
    "users.csv": {"unchanged": 7, "skipped": 2},
    "demographics.csv": {"unchanged": 6},
    "academicSessions.csv": {"used": 3},
    "courses.csv": {"used": 1, "skipped": 1},
    "classes.csv": {"used": 2, "skipped": 2},
    "enrollments.csv": {"unchanged": 6, "skipped": 10},
}


def student(sourced_id: str) -> StudentProfile:
    return StudentProfile.objects.select_related("user", "school").get(sourced_id=sourced_id)


# --- A clean export ------------------------------------------------------------------------


def test_clean_import_counts_every_file(cte_course, export, tmp_path):
    report = import_export(export, tmp_path)

    assert report.problems == []
    assert report.written is True
    assert counts(report) == CLEAN
    assert report.skipped["enrollments.csv"] == {
        "course not in the catalogue": 6,
        "role teacher is not imported": 4,
    }
    assert report.skipped["classes.csv"] == {"course not in the catalogue": 2}


def test_clean_import_creates_schools_students_and_accounts(cte_course, export, tmp_path):
    import_export(export, tmp_path)

    assert sorted(School.objects.values_list("sourced_id", "code", "name")) == [
        ("sch-1", "01M401", "High School 1 for Careers"),
        ("sch-2", "02M402", "High School 2 for Careers"),
    ]
    assert sorted(StudentProfile.objects.values_list("sourced_id", "district_id")) == [
        (f"stu-{n}", f"{200000 + n}") for n in range(1, 7)
    ]
    first = student("stu-1")
    assert (first.user.full_name, first.user.email) == ("José Martínez", "s00001@students.example")
    assert (first.user.role, first.school.sourced_id, first.grade) == (Role.STUDENT, "sch-1", 9)
    assert first.cohort == current_school_year() + 1 + 3
    assert first.is_active and first.user.is_active
    assert not first.user.has_usable_password()
    # Accented and non-Latin names arrive intact.
    assert student("stu-3").user.full_name == "Nguyễn Thị Minh"
    assert student("stu-4").school.sourced_id == "sch-2"


def test_clean_import_fills_demographics(cte_course, export, tmp_path):
    import_export(export, tmp_path)

    first, fourth = student("stu-1"), student("stu-4")
    assert (first.date_of_birth, first.gender) == (dt.date(2009, 2, 15), StudentGender.FEMALE)
    assert first.race_ethnicity == RaceEthnicity.HISPANIC
    assert (fourth.gender, fourth.race_ethnicity) == (StudentGender.MALE, RaceEthnicity.ASIAN)
    assert student("stu-2").race_ethnicity == ""  # nothing marked: unknown, not a guess


def test_clean_import_makes_counselor_of_their_schools(cte_course, export, tmp_path):
    assert '"sch-1,sch-2"' in export.text("users.csv")  # a quoted list, as exports write it

    import_export(export, tmp_path)

    counselor = CounselorProfile.objects.select_related("user").get()
    assert (counselor.sourced_id, counselor.user.role) == ("cns-1", Role.COUNSELOR)
    assert counselor.user.email == "rosa.garcia@schools.example"
    assert sorted(counselor.schools.values_list("sourced_id", flat=True)) == ["sch-1", "sch-2"]
    assert not User.objects.filter(email__startswith="teacher.").exists()


def test_clean_import_gives_course_records_for_catalogue_classes_only(cte_course, export, tmp_path):
    import_export(export, tmp_path)

    records = CourseRecord.objects.order_by("sourced_id")
    assert [r.student.sourced_id for r in records] == [f"stu-{n}" for n in range(1, 7)]
    assert {(r.course_id, r.school_year, r.term, r.status) for r in records} == {
        (cte_course.pk, 2025, Term.FULL_YEAR, CourseRecordStatus.IN_PROGRESS)
    }
    assert records[0].sourced_id == "enr-stu-1-cls-sch-1-cte"


def test_import_matches_catalogue_course_codes_in_any_case(export, tmp_path):
    CourseFactory(code=CTE_CODE.lower())

    report = import_export(export, tmp_path)

    assert report.counts["enrollments.csv"]["created"] == 6


def test_import_links_existing_school_by_code_and_student_by_district_id(
    cte_course, export, tmp_path
):
    school = SchoolFactory(code="01M401", name="Careers HS")
    known = StudentProfileFactory(school=school, district_id="200001", grade=10)

    report = import_export(export, tmp_path)

    assert report.counts["orgs.csv"] == {"updated": 1, "created": 1, "skipped": 1}
    school.refresh_from_db()
    known.refresh_from_db()
    assert (school.sourced_id, school.name) == ("sch-1", "High School 1 for Careers")
    assert (known.sourced_id, known.grade, known.user.full_name) == ("stu-1", 9, "José Martínez")
    assert StudentProfile.objects.count() == 6


# --- Re-import, update, deletion -------------------------------------------------------------


def test_reimporting_the_same_files_changes_and_writes_nothing(cte_course, export, tmp_path):
    import_export(export, tmp_path)
    before = snapshot()

    with CaptureQueriesContext(connection) as queries:
        report = import_export(export, tmp_path)

    assert counts(report) == UNCHANGED
    assert snapshot() == before
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []


def test_newer_date_last_modified_updates_the_record(cte_course, export, tmp_path):
    import_export(export, tmp_path)
    export.touch("users.csv", "stu-1", grades="10", familyName="Martínez-Ruiz")
    export.touch("demographics.csv", "stu-2", white="true")
    export.touch("orgs.csv", "sch-2", name="Careers Academy")

    report = import_export(export, tmp_path)

    assert report.counts["users.csv"] == {"updated": 1, "unchanged": 6, "skipped": 2}
    assert report.counts["demographics.csv"] == {"updated": 1, "unchanged": 5}
    assert report.counts["orgs.csv"] == {"updated": 1, "unchanged": 1, "skipped": 1}
    first = student("stu-1")
    assert (first.grade, first.user.full_name) == (10, "José Martínez-Ruiz")
    assert first.cohort == current_school_year() + 1 + 2
    assert student("stu-2").race_ethnicity == RaceEthnicity.WHITE
    assert School.objects.get(sourced_id="sch-2").name == "Careers Academy"


def test_row_not_newer_than_last_import_changes_nothing(cte_course, export, tmp_path):
    import_export(export, tmp_path)
    before = snapshot()
    export.row("users.csv", "stu-1")["grades"] = "11"  # same dateLastModified
    export.touch("users.csv", "stu-2", grades="11", dateLastModified="2024-01-01T00:00:00Z")

    report = import_export(export, tmp_path)

    assert report.counts["users.csv"] == {"unchanged": 7, "skipped": 2}
    assert snapshot() == before


def test_row_without_dates_updates_when_values_differ(cte_course, export, tmp_path):
    for row in export.files["users.csv"]:
        row["dateLastModified"] = ""  # allowed in bulk files
    import_export(export, tmp_path)
    export.row("users.csv", "stu-1")["grades"] = "11"

    report = import_export(export, tmp_path)

    assert report.counts["users.csv"] == {"updated": 1, "unchanged": 6, "skipped": 2}
    assert student("stu-1").grade == 11


def test_tobedeleted_student_is_deactivated_not_deleted(cte_course, export, tmp_path):
    import_export(export, tmp_path)
    export.touch("users.csv", "stu-2", status="tobedeleted")

    report = import_export(export, tmp_path)

    assert report.counts["users.csv"] == {"deactivated": 1, "unchanged": 6, "skipped": 2}
    gone = student("stu-2")
    assert (gone.is_active, gone.user.is_active) == (False, False)
    assert CourseRecord.objects.filter(student=gone).count() == 1  # history stays
    # Importing the deletion again changes nothing more.
    again = import_export(export, tmp_path)
    assert again.counts["users.csv"] == {"unchanged": 7, "skipped": 2}


def test_tobedeleted_student_never_imported_is_skipped_with_their_rows(
    cte_course, export, tmp_path
):
    export.touch("users.csv", "stu-2", status="tobedeleted")

    report = import_export(export, tmp_path)

    assert report.problems == []
    assert report.skipped["users.csv"]["marked tobedeleted and not in the portal"] == 1
    assert report.skipped["enrollments.csv"]["marked tobedeleted and not in the portal"] == 1
    assert not StudentProfile.objects.filter(sourced_id="stu-2").exists()


def test_a_deactivated_student_comes_back_when_active_again(cte_course, export, tmp_path):
    import_export(export, tmp_path)
    export.touch("users.csv", "stu-2", status="tobedeleted")
    import_export(export, tmp_path)
    export.touch("users.csv", "stu-2", status="active", dateLastModified="2025-10-01T00:00:00Z")

    report = import_export(export, tmp_path)

    assert report.counts["users.csv"]["updated"] == 1
    assert (student("stu-2").is_active, student("stu-2").user.is_active) == (True, True)


def test_tobedeleted_counselor_loses_their_sign_in(cte_course, export, tmp_path):
    import_export(export, tmp_path)
    export.touch("users.csv", "cns-1", status="tobedeleted")

    report = import_export(export, tmp_path)

    assert report.counts["users.csv"]["deactivated"] == 1
    assert User.objects.get(email="rosa.garcia@schools.example").is_active is False


def test_counselor_moving_school_is_updated(cte_course, export, tmp_path):
    import_export(export, tmp_path)
    export.touch("users.csv", "cns-1", orgSourcedIds="dist-1,sch-2")

    report = import_export(export, tmp_path)

    assert report.counts["users.csv"]["updated"] == 1
    counselor = CounselorProfile.objects.get(sourced_id="cns-1")
    assert list(counselor.schools.values_list("sourced_id", flat=True)) == ["sch-2"]


def test_tobedeleted_enrollment_removes_an_in_progress_record_and_keeps_a_completed_one(
    cte_course, export, tmp_path
):
    import_export(export, tmp_path)
    CourseRecord.objects.filter(sourced_id="enr-stu-2-cls-sch-1-cte").update(
        status=CourseRecordStatus.COMPLETED
    )
    export.touch("enrollments.csv", "enr-stu-1-cls-sch-1-cte", status="tobedeleted")
    export.touch("enrollments.csv", "enr-stu-2-cls-sch-1-cte", status="tobedeleted")

    report = import_export(export, tmp_path)

    assert report.counts["enrollments.csv"]["deactivated"] == 1
    assert report.skipped["enrollments.csv"]["a completed course record is kept"] == 1
    assert sorted(CourseRecord.objects.values_list("student__sourced_id", flat=True)) == [
        "stu-2",
        "stu-3",
        "stu-4",
        "stu-5",
        "stu-6",
    ]


def test_import_never_touches_records_it_did_not_make(cte_course, export, tmp_path):
    import_export(export, tmp_path)
    mine = student("stu-1")
    other = CourseRecordFactory(student=mine, course=CourseFactory(), school_year=2024)

    import_export(export, tmp_path)

    assert CourseRecord.objects.filter(pk=other.pk).exists()


# --- Awkward exports that must import ------------------------------------------------------


@pytest.mark.parametrize(
    "knobs",
    [
        {"bom": True},
        {"newline": "\r\n"},
        {"final_newline": False},
        {"newline": "\r\n", "final_newline": False, "bom": True},
        {"ext_columns": True},
    ],
    ids=["bom", "crlf", "no-final-newline", "all-three", "ext-columns"],
)
def test_awkward_but_valid_export_imports_like_a_clean_one(cte_course, tmp_path, knobs):
    export = district()
    for name, value in knobs.items():
        setattr(export, name, value)

    report = import_export(export, tmp_path)

    assert (report.problems, counts(report)) == ([], CLEAN)
    assert student("stu-3").user.full_name == "Nguyễn Thị Minh"


def test_columns_in_another_order_and_case_import(cte_course, tmp_path):
    export = district()
    text = export.text

    def shuffled(name: str) -> str:
        lines = text(name).splitlines()
        header = [h.upper() if h == "role" else h for h in lines[0].split(",")]
        return "\n".join([",".join(header), *lines[1:]]) + "\n"

    export.text = shuffled  # header "ROLE": the same column

    report = import_export(export, tmp_path)

    assert (report.problems, counts(report)) == ([], CLEAN)


def test_unknown_columns_are_noticed_not_refused(cte_course, export, tmp_path):
    export.extra_header["users.csv"] = ["nickname"]

    report = import_export(export, tmp_path)

    assert report.problems == []
    assert report.notices == ["users.csv: columns ignored (not OneRoster 1.1): nickname."]


def test_optional_files_absent_per_manifest_import(cte_course, export, tmp_path):
    export.absent = {"demographics.csv", "academicSessions.csv", "courses.csv", "classes.csv"}
    export.absent |= {"enrollments.csv"}

    report = import_export(export, tmp_path)

    assert report.problems == []
    assert counts(report) == {
        "orgs.csv": {"created": 2, "skipped": 1},
        "users.csv": {"created": 7, "skipped": 2},
    }
    assert student("stu-1").race_ethnicity == ""


def test_file_the_manifest_calls_absent_is_not_read(cte_course, export, tmp_path):
    export.modes["demographics.csv"] = "absent"  # but the file is in the export

    report = import_export(export, tmp_path)

    assert "demographics.csv" not in report.counts
    assert report.notices == [
        "demographics.csv is in the export but the manifest says it is absent: not read."
    ]


def test_orgs_absent_users_name_schools_already_in_the_portal(cte_course, export, tmp_path):
    import_export(export, tmp_path)
    export.absent = {"orgs.csv"}
    export.touch("users.csv", "stu-1", orgSourcedIds="sch-2")

    report = import_export(export, tmp_path)

    assert report.problems == []
    assert student("stu-1").school.sourced_id == "sch-2"


def test_student_without_email_gets_an_undeliverable_address(cte_course, export, tmp_path):
    export.row("users.csv", "stu-1")["email"] = ""

    report = import_export(export, tmp_path)

    assert report.problems == []
    assert student("stu-1").user.email == "stu-1@no-email.invalid"


def test_students_outside_grades_7_to_12_are_skipped_with_their_rows(cte_course, export, tmp_path):
    export.row("users.csv", "stu-1")["grades"] = "05"
    export.row("users.csv", "stu-2")["grades"] = "KG"

    report = import_export(export, tmp_path)

    assert report.problems == []
    assert report.skipped["users.csv"]["grade 05 is not served"] == 1
    assert report.skipped["users.csv"]["grade KG is not served"] == 1
    assert report.counts["demographics.csv"] == {"created": 4, "skipped": 2}
    assert not StudentProfile.objects.filter(sourced_id__in=["stu-1", "stu-2"]).exists()


def test_unpadded_grade_is_read(cte_course, export, tmp_path):
    export.row("users.csv", "stu-1")["grades"] = "9"

    import_export(export, tmp_path)

    assert student("stu-1").grade == 9


def test_zip_with_its_files_in_a_folder_imports(cte_course, export, tmp_path):
    path = export.zip(tmp_path / "export.zip", folder="oneroster-2025-09-01/")

    report = import_roster(RosterSource.from_path(path))

    assert (report.problems, counts(report)) == ([], CLEAN)


def test_a_second_section_of_the_same_course_makes_no_second_record(cte_course, export, tmp_path):
    export.add(
        "classes.csv",
        sourcedId="cls-sch-1-cte-b",
        courseSourcedId="crs-cte",
        schoolSourcedId="sch-1",
        termSourcedIds="sy-2026",
    )
    export.add(
        "enrollments.csv",
        sourcedId="enr-stu-1-b",
        classSourcedId="cls-sch-1-cte-b",
        userSourcedId="stu-1",
        role="student",
    )

    report = import_export(export, tmp_path)

    assert (
        report.skipped["enrollments.csv"]["same course, school year and term as another enrollment"]
        == 1
    )
    assert CourseRecord.objects.filter(student__sourced_id="stu-1").count() == 1


@pytest.mark.parametrize(
    ("sessions", "expected"),
    [
        ([("schoolYear", "2025-09-04", "2026-06-26")], (2025, Term.FULL_YEAR)),
        ([("semester", "2025-09-04", "2026-01-28")], (2025, Term.FALL)),
        ([("semester", "2026-02-02", "2026-06-26")], (2025, Term.SPRING)),
        ([("term", "2026-07-01", "2026-08-10")], (2025, Term.SUMMER)),
        (
            [("semester", "2025-09-04", "2026-01-28"), ("semester", "2026-02-02", "2026-06-26")],
            (2025, Term.FULL_YEAR),
        ),
    ],
)
def test_school_year_and_term_of_a_class(sessions, expected):
    rows = [
        SessionRow(1, f"s{i}", False, None, kind, dt.date.fromisoformat(start),
                   dt.date.fromisoformat(end), 2026)
        for i, (kind, start, end) in enumerate(sessions)
    ]  # fmt: skip
    assert school_year_and_term(rows) == expected


# --- Counselor roles from the settings ------------------------------------------------------


def test_counselor_roles_come_from_the_settings(cte_course, export, tmp_path, settings):
    settings.STUDENTS_ROSTER_COUNSELOR_ROLES = ("teacher",)

    report = import_export(export, tmp_path)

    assert report.skipped["users.csv"] == {"role administrator is not imported": 1}
    assert sorted(CounselorProfile.objects.values_list("sourced_id", "schools__sourced_id")) == [
        ("tch-sch-1", "sch-1"),
        ("tch-sch-2", "sch-2"),
    ]
    assert not CounselorProfile.objects.filter(sourced_id="cns-1").exists()


def test_existing_counselor_account_is_linked_by_email(cte_course, export, tmp_path):
    from tests.factories.users import CounselorUserFactory

    account = CounselorUserFactory(email="rosa.garcia@schools.example")

    report = import_export(export, tmp_path)

    assert report.problems == []
    assert CounselorProfile.objects.get(sourced_id="cns-1").user_id == account.pk


# --- Bad rows: reported with file, line and reason; nothing written ------------------------


def _line(export, file: str, sourced_id: str) -> int:
    return 2 + [r["sourcedId"] for r in export.files[file]].index(sourced_id)


def _set(file, sourced_id, **values):
    return lambda e: e.row(file, sourced_id).update(values)


BAD_ROWS = {
    "missing-column": (
        lambda e: e.drop_columns.setdefault("users.csv", set()).add("role"),
        ("users.csv", 1, "Required columns missing: role."),
    ),
    "unknown-org": (
        _set("users.csv", "stu-2", orgSourcedIds="sch-9"),
        ("users.csv", "stu-2", "No org with sourcedId sch-9"),
    ),
    "unknown-class": (
        _set("enrollments.csv", "enr-stu-1-cls-sch-1-cte", classSourcedId="cls-x"),
        ("enrollments.csv", "enr-stu-1-cls-sch-1-cte", "No class with sourcedId cls-x"),
    ),
    "unknown-user": (
        _set("enrollments.csv", "enr-stu-1-cls-sch-1-cte", userSourcedId="stu-99"),
        ("enrollments.csv", "enr-stu-1-cls-sch-1-cte", "No user with sourcedId stu-99"),
    ),
    "unknown-term": (
        _set("classes.csv", "cls-sch-1-cte", termSourcedIds="sy-1999"),
        ("classes.csv", "cls-sch-1-cte", "No academic session with sourcedId sy-1999"),
    ),
    "unknown-demographics-user": (
        _set("demographics.csv", "stu-3", sourcedId="stu-77"),
        ("demographics.csv", "stu-3", "No student with sourcedId stu-77"),
    ),
    "bad-date-last-modified": (
        _set("users.csv", "stu-1", dateLastModified="yesterday"),
        ("users.csv", "stu-1", "dateLastModified: yesterday is not a date and time"),
    ),
    "bad-birth-date": (
        _set("demographics.csv", "stu-2", birthDate="2009-13-01"),
        ("demographics.csv", "stu-2", "birthDate: 2009-13-01 is not a date"),
    ),
    "future-birth-date": (
        _set("demographics.csv", "stu-2", birthDate="2999-01-01"),
        ("demographics.csv", "stu-2", "birthDate: 2999-01-01 is in the future."),
    ),
    "bad-grade": (
        _set("users.csv", "stu-1", grades="9th"),
        ("users.csv", "stu-1", "grades: 9th is not a grade"),
    ),
    "two-grades": (
        _set("users.csv", "stu-1", grades="09,10"),
        ("users.csv", "stu-1", "A student is in one grade; grades says 09,10."),
    ),
    "no-grade": (
        _set("users.csv", "stu-1", grades=""),
        ("users.csv", "stu-1", "grades is required for a student."),
    ),
    "bad-status": (
        _set("users.csv", "stu-1", status="deleted"),
        ("users.csv", "stu-1", "status: deleted is not a status"),
    ),
    "bad-role": (
        _set("users.csv", "stu-1", role="pupil"),
        ("users.csv", "stu-1", "role: pupil is not a OneRoster role"),
    ),
    "bad-boolean": (
        _set("demographics.csv", "stu-1", white="yes"),
        ("demographics.csv", "stu-1", "white: yes is not true or false."),
    ),
    "bad-email": (
        _set("users.csv", "stu-1", email="not-an-address"),
        ("users.csv", "stu-1", "email: not-an-address is not an e-mail address."),
    ),
    "no-district-id": (
        _set("users.csv", "stu-1", identifier=""),
        ("users.csv", "stu-1", "identifier (the district student ID) is required"),
    ),
    "no-given-name": (
        _set("users.csv", "stu-1", givenName=""),
        ("users.csv", "stu-1", "givenName is required."),
    ),
    "same-email-twice": (
        _set("users.csv", "stu-2", email="s00001@students.example"),
        ("users.csv", "stu-2", "The e-mail s00001@students.example is also on line 3."),
    ),
    "same-district-id-twice": (
        _set("users.csv", "stu-2", identifier="200001"),
        ("users.csv", "stu-2", "District student ID 200001 is also on line 3."),
    ),
    "same-sourced-id-twice": (
        lambda e: e.add("users.csv", **{**e.row("users.csv", "stu-1"), "identifier": "9"}),
        ("users.csv", 11, "sourcedId stu-1 is also on line 3."),
    ),
    "new-school-without-code": (
        _set("orgs.csv", "sch-2", identifier=""),
        ("orgs.csv", "sch-2", "identifier (the school code) is required for a new school."),
    ),
    "unknown-parent-org": (
        _set("orgs.csv", "sch-2", parentSourcedId="dist-9"),
        ("orgs.csv", "sch-2", "No parent org with sourcedId dist-9"),
    ),
    "bad-org-type": (
        _set("orgs.csv", "sch-2", type="campus"),
        ("orgs.csv", "sch-2", "type: campus is not an org type"),
    ),
    "session-ends-before-it-starts": (
        _set("academicSessions.csv", "sy-2026", endDate="2025-01-01"),
        ("academicSessions.csv", "sy-2026", "endDate is before startDate."),
    ),
    "enrolled-teacher-as-student": (
        _set("enrollments.csv", "enr-tch-sch-1-cls-sch-1-cte", role="student"),
        ("enrollments.csv", "enr-tch-sch-1-cls-sch-1-cte", "is a teacher"),
    ),
    "file-listed-but-missing": (
        lambda e: (e.absent.add("demographics.csv"), e.modes.update({"demographics.csv": "bulk"})),
        ("demographics.csv", 0, "The manifest lists demographics.csv as bulk"),
    ),
    "wrong-oneroster-version": (
        lambda e: setattr(e, "oneroster_version", "1.2"),
        ("manifest.csv", 3, "This importer reads OneRoster 1.1; the manifest says 1.2."),
    ),
    "bad-manifest-mode": (
        lambda e: e.modes.update({"orgs.csv": "full"}),
        ("manifest.csv", None, "full is not bulk, delta or absent."),
    ),
}


@pytest.mark.parametrize("case", BAD_ROWS, ids=list(BAD_ROWS))
def test_bad_row_is_reported_and_nothing_is_written(cte_course, export, tmp_path, case):
    break_export, (file, where, reason) = BAD_ROWS[case]
    line = _line(export, file, where) if isinstance(where, str) else where
    break_export(export)
    before = snapshot()

    report = import_export(export, tmp_path)

    assert report.written is False
    assert snapshot() == before
    assert [p.file for p in report.problems] == [file], report.problems
    problem = report.problems[0]
    assert reason in problem.reason
    if line is not None:
        assert problem.line == line


def test_bad_row_after_a_good_import_leaves_the_portal_as_it_was(cte_course, export, tmp_path):
    import_export(export, tmp_path)
    export.touch("users.csv", "stu-1", grades="11")  # a good change...
    export.touch("users.csv", "stu-2", grades="eleven")  # ...beside a bad one
    before = snapshot()

    report = import_export(export, tmp_path)

    assert [(p.file, p.line) for p in report.problems] == [("users.csv", 4)]
    assert snapshot() == before
    assert student("stu-1").grade == 9


def test_every_bad_row_in_every_file_is_reported(cte_course, export, tmp_path):
    export.row("users.csv", "stu-1")["grades"] = "14"
    export.row("users.csv", "stu-5")["orgSourcedIds"] = "nowhere"
    export.row("demographics.csv", "stu-3")["sex"] = "x"
    export.row("enrollments.csv", "enr-stu-6-cls-sch-2-eng")["beginDate"] = "2025-02-30"

    report = import_export(export, tmp_path)

    assert [(p.file, p.line) for p in report.sorted_problems()] == [
        ("users.csv", _line(export, "users.csv", "stu-1")),
        ("users.csv", _line(export, "users.csv", "stu-5")),
        ("demographics.csv", _line(export, "demographics.csv", "stu-3")),
        ("enrollments.csv", _line(export, "enrollments.csv", "enr-stu-6-cls-sch-2-eng")),
    ]
    assert User.objects.count() == 0


def test_email_of_another_account_is_a_bad_row(cte_course, export, tmp_path):
    EmployerUserFactory(email="s00002@students.example")
    before = snapshot()

    report = import_export(export, tmp_path)

    assert [(p.file, p.line, p.reason) for p in report.problems] == [
        (
            "users.csv",
            _line(export, "users.csv", "stu-2"),
            "The e-mail s00002@students.example belongs to another account "
            "(Employer / partner contact).",
        )
    ]
    assert snapshot() == before


def test_district_id_of_another_linked_student_is_a_bad_row(cte_course, export, tmp_path):
    StudentProfileFactory(district_id="200001", sourced_id="someone-else")

    report = import_export(export, tmp_path)

    assert [p.line for p in report.problems] == [_line(export, "users.csv", "stu-1")]
    assert "belongs to another student" in report.problems[0].reason


def test_row_with_too_few_values_is_a_bad_row(cte_course, export, tmp_path):
    text = export.text
    export.text = lambda name: text(name) + ("stu-x,active\n" if name == "users.csv" else "")

    report = import_export(export, tmp_path)

    assert [(p.file, p.line) for p in report.problems] == [("users.csv", 11)]
    assert "2 values; the header has" in report.problems[0].reason


def test_broken_quoting_is_a_bad_row(cte_course, export, tmp_path):
    text = export.text
    export.text = lambda name: text(name) + ('stu-x,"unclosed\n' if name == "users.csv" else "")

    report = import_export(export, tmp_path)

    assert [(p.file, p.line) for p in report.problems] == [("users.csv", 11)]  # where it starts
    assert report.problems[0].reason == "Broken CSV: unexpected end of data."
    assert User.objects.count() == 0


def test_file_not_in_utf8_is_reported_with_its_line(cte_course, export, tmp_path):
    folder = export.write(tmp_path / "latin1")
    users = (folder / "users.csv").read_text(encoding="utf-8")
    (folder / "users.csv").write_bytes(users.encode("latin-1", errors="replace"))

    report = import_roster(RosterSource.from_path(folder))

    assert [(p.file, p.line) for p in report.problems] == [("users.csv", 3)]
    assert "not UTF-8" in report.problems[0].reason
    assert User.objects.count() == 0


def test_export_without_manifest_is_refused(cte_course, export, tmp_path):
    folder = export.write(tmp_path / "no-manifest")
    (folder / "manifest.csv").unlink()

    report = import_roster(RosterSource.from_path(folder))

    assert (report.problems[0].file, report.problems[0].line) == ("manifest.csv", 0)
    assert User.objects.count() == 0


def test_dry_run_counts_and_writes_nothing(cte_course, export, tmp_path):
    report = import_export(export, tmp_path, dry_run=True)

    assert (counts(report), report.written) == (CLEAN, False)
    assert snapshot()["users"] == []


def test_progress_is_told_each_phase_and_the_rows_to_check(cte_course, export, tmp_path):
    from students.roster.plan import Progress

    told: list[tuple[str, int, int]] = []

    report = import_export(export, tmp_path, progress=Progress(lambda *t: told.append(t)))

    assert report.written
    phases = [t[0] for i, t in enumerate(told) if i == 0 or told[i - 1][0] != t[0]]
    assert phases == ["reading", "checking", "saving"]
    assert told[1] == ("checking", 0, 43)  # every row of every file read, none checked yet
    assert told[-1] == ("saving", 43, 43)


# --- Cost: queries do not grow with rows ----------------------------------------------------


def _queries_to_import(tmp_path, students: int) -> int:
    export = district(schools=2, students_per_school=students // 2)
    with CaptureQueriesContext(connection) as queries:
        report = import_export(export, tmp_path)
    assert report.written and report.counts["users.csv"]["created"] == students + 1
    return len(queries)


def test_import_query_count_does_not_grow_with_rows(cte_course, tmp_path):
    (tmp_path / "small").mkdir()
    (tmp_path / "large").mkdir()
    small = _queries_to_import(tmp_path / "small", 50)
    CourseRecord.objects.all().delete()
    StudentProfile.objects.all().delete()
    CounselorProfile.objects.all().delete()
    User.objects.all().delete()
    School.objects.all().delete()
    from students.models import RosterStamp

    RosterStamp.objects.all().delete()
    large = _queries_to_import(tmp_path / "large", 500)

    # The lock; schools, catalogue courses, people by roster ID / district ID / e-mail, row
    # dates per file: the same lookups; then one INSERT per table and batch of 1000 rows
    # (the 500-student district has 1,500 row dates: one batch more).
    assert small <= 25
    assert small <= large <= small + 1


# --- Two imports at once ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_imports_at_once_create_each_student_once(tmp_path):
    CourseFactory(code=CTE_CODE)
    folder = district().write(tmp_path / "export")
    reports = []

    def run() -> None:
        try:
            reports.append(import_roster(RosterSource.from_path(folder)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert StudentProfile.objects.count() == 6
    assert sorted(r.counts["users.csv"].get("created", 0) for r in reports) == [0, 7]
    assert all(r.written and r.ok for r in reports)


# --- tobedeleted and older exports against enrollments and newer data ----------------------


def _seat_taken_by(profile, *, waiting):
    """An offering of one seat at ``profile``'s school: ``profile`` approved in it, ``waiting``
    (another student there) first on its wait list."""
    from students import services
    from tests.factories.pathways import OfferingFactory
    from tests.factories.students import EnrollmentFactory

    offering = OfferingFactory(school=profile.school, seats=1)
    staff = StaffUserFactory()
    seated = EnrollmentFactory(student=profile, offering=offering)
    services.enrollment_approve(enrollment=seated, by=staff)
    queued = EnrollmentFactory(student=waiting, offering=offering)
    assert services.enrollment_approve(enrollment=queued, by=staff).status == "waitlisted"
    return offering, seated, queued


def test_tobedeleted_student_leaves_their_pathway_and_the_wait_list_moves_up(
    cte_course, export, tmp_path
):
    from cte_portal.notifications.models import Notification
    from students.models import Enrollment

    import_export(export, tmp_path)
    gone = student("stu-2")
    waiting = StudentProfileFactory(school=gone.school, grade=gone.grade)
    offering, seated, queued = _seat_taken_by(gone, waiting=waiting)
    Notification.objects.all().delete()
    export.touch("users.csv", "stu-2", status="tobedeleted")

    report = import_export(export, tmp_path)

    assert report.counts["users.csv"]["deactivated"] == 1
    seated.refresh_from_db()
    queued.refresh_from_db()
    assert (seated.status, seated.ended_at is not None) == ("withdrawn", True)
    assert (queued.status, queued.waitlist_position) == ("approved", None)
    offering.refresh_from_db()
    assert offering.seats_filled == 1
    assert list(Notification.objects.values_list("user_id", "kind")) == [
        (waiting.user_id, "enrollment_decided")
    ]
    # Importing the same files again changes nothing more and tells nobody again.
    again = import_export(export, tmp_path)
    assert again.counts["users.csv"] == {"unchanged": 7, "skipped": 2}
    assert Enrollment.objects.filter(student=gone).values_list("status", flat=True).get() == (
        "withdrawn"
    )
    assert Notification.objects.count() == 1


def test_tobedeleted_student_request_is_cancelled(cte_course, export, tmp_path):
    from students import services
    from tests.factories.pathways import OfferingFactory

    import_export(export, tmp_path)
    gone = student("stu-2")
    request = services.enrollment_request(
        student=gone, offering=OfferingFactory(school=gone.school)
    )
    export.touch("users.csv", "stu-2", status="tobedeleted")

    import_export(export, tmp_path)

    request.refresh_from_db()
    assert request.status == "withdrawn"


def test_older_export_does_not_bring_back_a_deleted_student(cte_course, export, tmp_path):
    import_export(export, tmp_path)
    old = district()  # the same district, dated before the deletion
    export.touch("users.csv", "stu-2", status="tobedeleted")
    import_export(export, tmp_path)
    before = snapshot()

    report = import_export(old, tmp_path)

    assert report.counts["users.csv"] == {"unchanged": 7, "skipped": 2}
    assert (student("stu-2").is_active, student("stu-2").user.is_active) == (False, False)
    assert snapshot() == before


def test_older_export_does_not_recreate_a_removed_course_record(cte_course, export, tmp_path):
    import_export(export, tmp_path)
    old = district()
    export.touch("enrollments.csv", "enr-stu-1-cls-sch-1-cte", status="tobedeleted")
    import_export(export, tmp_path)
    assert not CourseRecord.objects.filter(student__sourced_id="stu-1").exists()
    before = snapshot()

    report = import_export(old, tmp_path)

    assert report.problems == []
    assert report.counts["enrollments.csv"] == {"unchanged": 6, "skipped": 10}
    assert not CourseRecord.objects.filter(student__sourced_id="stu-1").exists()
    assert snapshot() == before


def test_older_export_does_not_overwrite_newer_values(cte_course, export, tmp_path):
    import_export(export, tmp_path)
    old = district()
    export.touch("users.csv", "stu-1", grades="10", familyName="Martínez-Ruiz")
    export.touch("demographics.csv", "stu-2", white="true")
    export.touch("orgs.csv", "sch-2", name="Careers Academy")
    import_export(export, tmp_path)
    before = snapshot()

    report = import_export(old, tmp_path)

    assert counts(report) == UNCHANGED
    assert snapshot() == before
    assert student("stu-1").user.full_name == "José Martínez-Ruiz"
