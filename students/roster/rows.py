"""One dataclass per kind of OneRoster row, and how each is read from a CSV record.

Only the columns the portal uses are read (and checked); a file's other columns may hold
anything. ``FILES`` says, per file, its columns, the ones that must be in the header, and the
function that reads a record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from ..enums import RaceEthnicity, StudentGender
from .enums import ONEROSTER_ROLES
from .fields import (
    BadValue,
    Fields,
    to_bool,
    to_date,
    to_datetime,
    to_deleted,
    to_email,
    to_grades,
    to_list,
    to_year,
)

SOURCED_ID_MAX = 100  # the roster ID columns of the portal's models
ORG_TYPES = ("department", "district", "local", "national", "school", "state")
SESSION_TYPES = ("gradingPeriod", "semester", "schoolYear", "term")
ENROLLMENT_ROLES = ("administrator", "proctor", "student", "teacher")
SEXES = {
    "female": StudentGender.FEMALE,
    "male": StudentGender.MALE,
    "other": StudentGender.NONBINARY,  # OneRoster 1.2's values, sent early by some systems
    "unspecified": StudentGender.UNDISCLOSED,
}
RACE_COLUMNS = {
    "americanIndianOrAlaskaNative": RaceEthnicity.AMERICAN_INDIAN,
    "asian": RaceEthnicity.ASIAN,
    "blackOrAfricanAmerican": RaceEthnicity.BLACK,
    "nativeHawaiianOrOtherPacificIslander": RaceEthnicity.PACIFIC_ISLANDER,
    "white": RaceEthnicity.WHITE,
}


@dataclass(frozen=True)
class RosterRow:
    """What every row has: where it is, its sourcedId, and its status and date."""

    line: int
    sourced_id: str
    deleted: bool
    modified: dt.datetime | None


@dataclass(frozen=True)
class OrgRow(RosterRow):
    name: str
    type: str
    identifier: str
    parent_id: str

    @property
    def is_school(self) -> bool:
        return self.type == "school"


@dataclass(frozen=True)
class UserRow(RosterRow):
    role: str
    org_ids: tuple[str, ...]
    given_name: str
    family_name: str
    identifier: str
    email: str
    grades: tuple[str, ...]
    enabled: bool

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


@dataclass(frozen=True)
class SessionRow(RosterRow):
    type: str
    start: dt.date
    end: dt.date
    school_year: int  # OneRoster names a school year by the year it ends in


@dataclass(frozen=True)
class CourseRow(RosterRow):
    course_code: str
    title: str


@dataclass(frozen=True)
class ClassRow(RosterRow):
    course_id: str
    school_id: str
    term_ids: tuple[str, ...]


@dataclass(frozen=True)
class EnrollmentRow(RosterRow):
    class_id: str
    user_id: str
    school_id: str
    role: str


@dataclass(frozen=True)
class DemographicRow(RosterRow):
    birth_date: dt.date | None
    gender: str
    race_ethnicity: str


def _choice(choices: Any, what: str) -> Callable[[str], str]:
    """A parser for one of ``choices`` (matched in any case, returned as spelled there)."""
    by_lower = {c.lower(): c for c in choices}

    def parse(value: str) -> str:
        if value.lower() not in by_lower:
            raise BadValue(
                _("%(value)s is not %(what)s (%(allowed)s).")
                % {"value": value, "what": what, "allowed": ", ".join(sorted(choices))}
            )
        return by_lower[value.lower()]

    return parse


def _common(f: Fields) -> dict[str, Any]:
    return {
        "line": f.record.line,
        "sourced_id": f.text("sourcedId", required=True, max_length=SOURCED_ID_MAX),
        "deleted": f.read("status", to_deleted),
        "modified": f.read("dateLastModified", to_datetime),
    }


def read_org(f: Fields) -> OrgRow:
    return OrgRow(
        **_common(f),
        name=f.text("name", required=True),
        type=f.read("type", _choice(ORG_TYPES, _("an org type")), required=True),
        identifier=f.text("identifier"),
        parent_id=f.text("parentSourcedId"),
    )


def read_user(f: Fields) -> UserRow:
    return UserRow(
        **_common(f),
        role=f.read("role", _choice(ONEROSTER_ROLES, _("a OneRoster role")), required=True),
        org_ids=to_list(f.text("orgSourcedIds", required=True)),
        given_name=f.text("givenName", required=True),
        family_name=f.text("familyName", required=True),
        identifier=f.text("identifier"),
        email=f.read("email", lambda v: to_email(v) if v else ""),
        grades=f.read("grades", to_grades) or (),
        enabled=f.read("enabledUser", to_bool) is not False,
    )


def read_session(f: Fields) -> SessionRow:
    return SessionRow(
        **_common(f),
        type=f.read("type", _choice(SESSION_TYPES, _("a session type")), required=True),
        start=f.read("startDate", to_date, required=True),
        end=f.read("endDate", to_date, required=True),
        school_year=f.read("schoolYear", to_year, required=True),
    )


def read_course(f: Fields) -> CourseRow:
    return CourseRow(**_common(f), course_code=f.text("courseCode"), title=f.text("title"))


def read_class(f: Fields) -> ClassRow:
    return ClassRow(
        **_common(f),
        course_id=f.text("courseSourcedId", required=True),
        school_id=f.text("schoolSourcedId", required=True),
        term_ids=to_list(f.text("termSourcedIds", required=True)),
    )


def read_enrollment(f: Fields) -> EnrollmentRow:
    f.read("beginDate", to_date)
    f.read("endDate", to_date)
    return EnrollmentRow(
        **_common(f),
        class_id=f.text("classSourcedId", required=True),
        user_id=f.text("userSourcedId", required=True),
        school_id=f.text("schoolSourcedId"),
        role=f.read("role", _choice(ENROLLMENT_ROLES, _("an enrollment role")), required=True),
    )


def read_demographic(f: Fields) -> DemographicRow:
    races = {race for column, race in RACE_COLUMNS.items() if f.read(column, to_bool)}
    several = f.read("demographicRaceTwoOrMoreRaces", to_bool)
    hispanic = f.read("hispanicOrLatinoEthnicity", to_bool)
    sex = f.read("sex", lambda v: _choice(SEXES, _("a sex"))(v) if v else "")
    birth_date = f.read("birthDate", to_date)
    if birth_date and birth_date > dt.date.today():
        f.errors.append(_("birthDate: %(date)s is in the future.") % {"date": birth_date})
    return DemographicRow(
        **_common(f),
        birth_date=birth_date,
        gender=SEXES[sex] if sex else "",
        race_ethnicity=race_ethnicity(races, several=bool(several), hispanic=bool(hispanic)),
    )


def race_ethnicity(races: set[str], *, several: bool, hispanic: bool) -> str:
    """The federal rule: Hispanic or Latino whatever the race; else two or more races when
    more than one is marked; else the one race; blank when nothing is marked."""
    if hispanic:
        return RaceEthnicity.HISPANIC
    if several or len(races) > 1:
        return RaceEthnicity.TWO_OR_MORE
    return next(iter(races), "")


@dataclass(frozen=True)
class FileSpec:
    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    read: Callable[[Fields], RosterRow]


# Each file's columns in OneRoster 1.1 (a column not listed here, and not ext_*, is noticed).
COMMON = ("sourcedId", "status", "dateLastModified")
ORG_COLUMNS = (*COMMON, "name", "type", "identifier", "parentSourcedId")
USER_COLUMNS = (
    *COMMON,
    *("enabledUser", "orgSourcedIds", "role", "username", "userIds", "givenName", "familyName"),
    *("middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades"),
    "password",
)
SESSION_COLUMNS = (
    *COMMON,
    *("title", "type", "startDate", "endDate", "parentSourcedId", "schoolYear"),
)
COURSE_COLUMNS = (
    *COMMON,
    *("schoolYearSourcedId", "title", "courseCode", "grades", "orgSourcedId", "subjects"),
    "subjectCodes",
)
CLASS_COLUMNS = (
    *COMMON,
    *("title", "grades", "courseSourcedId", "classCode", "classType", "location"),
    *("schoolSourcedId", "termSourcedIds", "subjects", "subjectCodes", "periods"),
)
ENROLLMENT_COLUMNS = (
    *COMMON,
    *("classSourcedId", "schoolSourcedId", "userSourcedId", "role", "primary", "beginDate"),
    "endDate",
)
DEMOGRAPHIC_COLUMNS = (
    *COMMON,
    *("birthDate", "sex", *RACE_COLUMNS, "demographicRaceTwoOrMoreRaces"),
    *("hispanicOrLatinoEthnicity", "countryOfBirthCode", "stateOfBirthAbbreviation"),
    *("cityOfBirth", "publicSchoolResidenceStatus"),
)

FILES = {
    spec.name: spec
    for spec in (
        FileSpec("orgs.csv", ORG_COLUMNS, ("sourcedId", "name", "type"), read_org),
        FileSpec(
            "users.csv",
            USER_COLUMNS,
            (
                "sourcedId",
                "orgSourcedIds",
                "role",
                "givenName",
                "familyName",
                "identifier",
                "grades",
            ),
            read_user,
        ),
        FileSpec(
            "academicSessions.csv",
            SESSION_COLUMNS,
            ("sourcedId", "type", "startDate", "endDate", "schoolYear"),
            read_session,
        ),
        FileSpec("courses.csv", COURSE_COLUMNS, ("sourcedId", "courseCode"), read_course),
        FileSpec(
            "classes.csv",
            CLASS_COLUMNS,
            ("sourcedId", "courseSourcedId", "schoolSourcedId", "termSourcedIds"),
            read_class,
        ),
        FileSpec(
            "enrollments.csv",
            ENROLLMENT_COLUMNS,
            ("sourcedId", "classSourcedId", "userSourcedId", "role"),
            read_enrollment,
        ),
        FileSpec("demographics.csv", DEMOGRAPHIC_COLUMNS, ("sourcedId",), read_demographic),
    )
}
