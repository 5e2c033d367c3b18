"""Demo students and counselors for ``manage.py seed_demo`` (idempotent; after pathways).

- The demo counselor (counselor@demo.example) serves Harbor View CTE high school and East
  Harlem middle school: a caseload of about seventy, with requests waiting for a decision and
  a wait list on Harbor View's smallest offering, which is full.
- The demo student (student@demo.example, Sam Student) is in grade 11 at Harbor View, in
  Software Engineering with two courses done (a concentrator), the third in progress, a
  credential and college credits earned, two saved pathways and a note from the counselor.
- More students across grades 7-12 at two more schools (Bronx River, Sunset Park) that only
  staff see; middle-schoolers with the exploratory workshops they attended; some students at
  risk (grade 11-12, not yet concentrators), a few completers.

Everything is keyed (e-mail, district ID, student and offering, course and year), so a
second run finds what the first made and changes nothing. Past enrollments are written as
the history they are (a grade-12 student was approved three years ago), not replayed through
the services; each offering's filled seats are then counted from its approved enrollments.
Students' accounts have no usable password: only the four demo accounts sign in.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils import timezone

from cte_portal.users.enums import Role
from cte_portal.users.models import User
from pathways.enums import PathwayStatus
from pathways.models import (
    CollegeCredit,
    Credential,
    Offering,
    Pathway,
    PathwayCourse,
    School,
    Sector,
    current_school_year,
)

from .enums import CourseRecordStatus, EnrollmentStatus, RaceEthnicity, StudentGender, Term
from .models import (
    AdvisingNote,
    CounselorProfile,
    CourseRecord,
    CredentialAward,
    Enrollment,
    ExploratoryWorkshop,
    SavedPathway,
    StudentProfile,
)
from .selectors import student_status

DEMO_STUDENT = "student@demo.example"
DEMO_COUNSELOR = "counselor@demo.example"
STUDENT_DOMAIN = "students.demo.example"

# school slug, how many students, grades, served by the demo counselor
SCHOOLS = [
    ("harbor-view-cte", 54, range(9, 13), True),
    ("east-harlem-exploration", 14, range(7, 9), True),
    ("bronx-river-tech", 18, range(9, 13), False),
    ("sunset-park-innovation", 10, range(7, 9), False),
]
WAITLISTED = 3  # grade-9 students waiting for a seat in the counselor's full offering
REQUESTED = 5  # grade-9 requests waiting for the counselor's decision, per high school

FIRST = [
    "Aaliyah", "Bruno", "Camila", "Darnell", "Elena", "Farah", "Gabriel", "Hana", "Isaiah",
    "Jasmine", "Kevin", "Lucía", "Malik", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Samir",
    "Tatiana", "Umar", "Valentina", "Wei", "Ximena", "Yusuf", "Zoe", "Andrés", "Bianca",
    "Chen", "Destiny", "Emeka", "Fatima", "Giovanni", "Imani", "José", "Keisha", "Liam",
    "Mariana", "Nia", "Óscar",
]  # fmt: skip
LAST = [
    "Abreu", "Baptiste", "Chowdhury", "Díaz", "Edwards", "Fernández", "Goldberg", "Hossain",
    "Ibrahim", "Jackson", "Kowalski", "López", "Mensah", "Nguyen", "Okafor", "Petrov",
    "Quiñones", "Rahman", "Santos", "Thompson", "Uddin", "Vásquez", "Williams", "Xu", "Yilmaz",
    "Zhang", "Alvarez", "Brown", "Cruz", "Davis", "Espinal", "Flores", "García", "Haddad",
    "Islam", "Jiménez", "Kim", "Lee", "Martínez", "Núñez",
]  # fmt: skip
GENDERS = [StudentGender.FEMALE, StudentGender.MALE, StudentGender.FEMALE, StudentGender.MALE,
           StudentGender.NONBINARY, StudentGender.UNDISCLOSED]  # fmt: skip
RACES = [RaceEthnicity.HISPANIC, RaceEthnicity.BLACK, RaceEthnicity.ASIAN, RaceEthnicity.WHITE,
         RaceEthnicity.HISPANIC, RaceEthnicity.TWO_OR_MORE, RaceEthnicity.BLACK,
         RaceEthnicity.AMERICAN_INDIAN, RaceEthnicity.PACIFIC_ISLANDER,
         RaceEthnicity.UNDISCLOSED]  # fmt: skip
MARKS = ["A", "B+", "A-", "B", "A", "C+", "B-", "A-"]

# title, sector, pathway (or None), hours: workshops middle-schoolers attend
WORKSHOPS = [
    ("Robotics open lab", "engineering-architecture", None, "3"),
    ("Code your first game", "information-technology", "exploring-computer-science", "2"),
    ("Hospital career day", "health-sciences", "exploring-health-careers", "4"),
    ("Build a birdhouse: carpentry basics", "construction-sustainability", "carpentry", "2.5"),
    ("Junior chef challenge", "culinary-hospitality", "culinary-arts", "3"),
    ("Make a one-minute film", "media-marketing-film", "film-video-production", "2"),
    ("Mock trial", "public-service", "law-public-safety", "1.5"),
    ("Run a pop-up shop", "business-finance", "business-entrepreneurship", "2"),
]


@dataclass
class Counts:
    students: int = 0
    enrollments: int = 0
    records: int = 0
    workshops: int = 0


def seed() -> list[str]:
    """Create the demo students, their counselor's caseload and requests (idempotent)."""
    school_year = current_school_year()
    counselor_user = User.objects.get(email=DEMO_COUNSELOR)
    counselor, _created = CounselorProfile.objects.get_or_create(user=counselor_user)
    counselor.schools.add(*School.objects.filter(slug__in=[s for s, *_, mine in SCHOOLS if mine]))
    counts = Counts()
    number = 0
    for slug, size, grades, mine in SCHOOLS:
        school = School.objects.get(slug=slug)
        decider = counselor_user if mine else None  # elsewhere: decided before the portal
        students = []
        for k in range(size):
            number += 1
            grade = grades[k % len(grades)]
            students.append(_student(number, school=school, grade=grade, school_year=school_year))
        counts.students += len(students)
        if grades[0] >= 9:
            _high_school_enrollments(students, school, school_year, decider, counts)
        else:
            _middle_school(students, school, decider, counts)
    demo = _demo_student(school_year, counselor_user, counts)
    _count_seats()
    demo = student_status(student=demo)
    caseload = StudentProfile.objects.filter(school__counselors=counselor).count()
    pending = Enrollment.objects.filter(
        student__school__counselors=counselor, status=EnrollmentStatus.REQUESTED
    ).count()
    waiting = Enrollment.objects.filter(
        student__school__counselors=counselor, status=EnrollmentStatus.WAITLISTED
    ).count()
    return [
        f"students: {StudentProfile.objects.count()} students at {len(SCHOOLS)} schools, "
        f"{CourseRecord.objects.count()} course records, "
        f"{ExploratoryWorkshop.objects.count()} exploratory workshops",
        f"students: {DEMO_COUNSELOR} has a caseload of {caseload}, {pending} requests "
        f"waiting and {waiting} on a wait list; {DEMO_STUDENT}: grade {demo.grade}, "
        f"{demo.cte_status_label.lower()}",
    ]


# --- People ------------------------------------------------------------------------------------


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _student(number: int, *, school: School, grade: int, school_year: int) -> StudentProfile:
    first = FIRST[number % len(FIRST)]
    last = LAST[(number * 7 + number // len(FIRST)) % len(LAST)]  # no two alike
    email = f"{_ascii(first)}.{_ascii(last)}.{number}@{STUDENT_DOMAIN}"
    user, created = User.objects.get_or_create(
        email=email, defaults={"role": Role.STUDENT, "full_name": f"{first} {last}"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    profile, _created = StudentProfile.objects.get_or_create(
        user=user, defaults=_profile_fields(number, school, grade, school_year, last)
    )
    return profile


def _profile_fields(
    number: int, school: School, grade: int, school_year: int, last: str
) -> dict[str, object]:
    return {
        "school": school,
        "grade": grade,
        "cohort": school_year + 1 + (12 - grade),
        "district_id": f"DEMO{number:05d}",
        "date_of_birth": datetime.date(school_year - grade - 5, 1 + number % 12, 1 + number % 28),
        "preferred_language": "es" if number % 4 == 0 else "en",
        "guardian_name": f"{FIRST[(number * 3) % len(FIRST)]} {last}",
        "guardian_email": f"guardian.{number}@families.demo.example",
        "gpa": Decimal("2.00") + Decimal(number * 37 % 200) / 100,
        "gender": GENDERS[number % len(GENDERS)],
        "race_ethnicity": RACES[number % len(RACES)],
        "english_learner": number % 6 == 0,
        "disability": number % 8 == 0,
        "economically_disadvantaged": number % 3 == 0,
        "foster_care": number % 29 == 0,
        "homeless": number % 31 == 0,
        "military_connected": number % 23 == 0,
    }


# --- Enrollments and records ---------------------------------------------------------------------


def _open_offerings(school: School, school_year: int, grade: int) -> list[Offering]:
    """The school's open offerings this year that take students entering in ``grade``,
    smallest first (the smallest is the one the demo fills)."""
    return list(
        Offering.objects.filter(
            school=school,
            school_year=school_year,
            open_for_enrollment=True,
            pathway__status=PathwayStatus.PUBLISHED,
            pathway__entry_grade_min__lte=grade,
            pathway__entry_grade_max__gte=grade,
        )
        .select_related("pathway")
        .order_by("seats", "pk")
    )


def _high_school_enrollments(
    students: list[StudentProfile],
    school: School,
    school_year: int,
    counselor: User | None,
    counts: Counts,
) -> None:
    """Grades 10-12 are in a pathway (the smallest offering filled to its last seat, the
    rest spread over the others); grade 9 asks: a few wait-listed, a few requested."""
    offerings = _open_offerings(school, school_year, 9)
    if not offerings:
        return
    full, others = offerings[0], offerings[1:] or offerings
    older = [s for s in students if s.grade >= 10]
    freshmen = [s for s in students if s.grade == 9]
    for k, student in enumerate(older):
        offering = full if k < full.seats else others[k % len(others)]
        if _enroll(student, offering, EnrollmentStatus.APPROVED, counselor, days_ago=400 + k):
            counts.enrollments += 1
            counts.records += _records(student, offering.pathway, school_year, k)
    waiting = freshmen[:WAITLISTED] if len(older) >= full.seats else []
    for position, student in enumerate(waiting, start=1):
        if _enroll(student, full, EnrollmentStatus.WAITLISTED, counselor, 20 - position, position):
            counts.enrollments += 1
    for k, student in enumerate(freshmen[len(waiting) : len(waiting) + REQUESTED]):
        offering = others[k % len(others)]
        if _enroll(student, offering, EnrollmentStatus.REQUESTED, None, days_ago=5 - k):
            counts.enrollments += 1
    for k, student in enumerate(freshmen):
        SavedPathway.objects.get_or_create(student=student, pathway=others[k % len(others)].pathway)


def _enroll(
    student: StudentProfile,
    offering: Offering,
    status: str,
    decided_by: User | None,
    days_ago: int,
    position: int | None = None,
) -> bool:
    """Write one enrollment as history, unless the student already has one (a second run,
    or the demo's people acted since)."""
    if student.enrollments.exists():
        return False
    when = timezone.now() - timedelta(days=days_ago)
    enrollment = Enrollment.objects.create(
        student=student,
        offering=offering,
        status=status,
        waitlist_position=position,
        decided_by=decided_by,
        decided_at=when + timedelta(days=2) if decided_by else None,
    )
    Enrollment.objects.filter(pk=enrollment.pk).update(requested_at=when)
    return True


def _records(student: StudentProfile, pathway: Pathway, school_year: int, k: int) -> int:
    """The pathway's required courses year by year: the years before this one completed,
    this year's in progress. Every fifth student of grade 11-12 fell behind (one course done:
    at risk); every seventh in grade 12 has finished the capstone this fall (a completer)."""
    years_done = student.grade - 9
    behind = student.grade >= 11 and k % 5 == 0
    completer = student.grade == 12 and k % 7 == 3 and not behind
    made = 0
    steps = PathwayCourse.objects.filter(pathway=pathway, required=True).select_related("course")
    for step in steps.order_by("year", "position"):
        year = school_year - years_done + step.year - 1
        if year > school_year:
            continue
        done = step.year <= years_done and not (behind and step.year > 1)
        if completer and step.year == years_done + 1:
            done, term = True, Term.FALL
        else:
            term = Term.FULL_YEAR
        if year == school_year or done:
            made += _record(student, step.course, year, term, done, MARKS[(k + step.year) % 8])
    return made


def _record(student, course, year: int, term: str, done: bool, mark: str) -> int:
    credit = CollegeCredit.objects.filter(course=course).first()
    _record_obj, created = CourseRecord.objects.get_or_create(
        student=student,
        course=course,
        school_year=year,
        term=term,
        defaults={
            "status": CourseRecordStatus.COMPLETED if done else CourseRecordStatus.IN_PROGRESS,
            "mark": mark if done else "",
            "credits_earned": course.credits if done else Decimal("0"),
            "college_credits_earned": credit.credits if done and credit else Decimal("0"),
        },
    )
    return int(created)


def _middle_school(
    students: list[StudentProfile], school: School, counselor: User | None, counts: Counts
) -> None:
    """Middle-schoolers explore: one to three workshops each; two ask for the school's
    exploratory pathway (the counselor decides); each saved something."""
    sectors = {s.slug: s for s in Sector.objects.all()}
    pathways = {p.slug: p for p in Pathway.objects.filter(status=PathwayStatus.PUBLISHED)}
    today = timezone.localdate()
    for k, student in enumerate(students):
        for j in range(1 + k % 3):
            title, sector, pathway, hours = WORKSHOPS[(k + 3 * j) % len(WORKSHOPS)]
            _workshop, created = ExploratoryWorkshop.objects.get_or_create(
                student=student,
                title=title,
                defaults={
                    "sector": sectors[sector],
                    "pathway": pathways.get(pathway) if pathway else None,
                    "attended_on": today - timedelta(days=10 + 17 * j + k),
                    "grade": student.grade,
                    "hours": Decimal(hours),
                    "recorded_by": counselor,
                },
            )
            counts.workshops += int(created)
        first_pathway = WORKSHOPS[k % len(WORKSHOPS)][2]
        if first_pathway in pathways:
            SavedPathway.objects.get_or_create(student=student, pathway=pathways[first_pathway])
    offerings = _open_offerings(school, current_school_year(), students[0].grade)
    for k, student in enumerate(students[:2] if offerings else []):
        if _enroll(student, offerings[0], EnrollmentStatus.REQUESTED, None, days_ago=3 + k):
            counts.enrollments += 1


def _demo_student(school_year: int, counselor: User, counts: Counts) -> StudentProfile:
    """Sam Student: grade 11 in Software Engineering, a concentrator in progress."""
    user = User.objects.get(email=DEMO_STUDENT)
    school = School.objects.get(slug="harbor-view-cte")
    fields = _profile_fields(0, school, 11, school_year, "Student")
    fields.update(gpa=Decimal("3.40"), guardian_name="Alex Student")
    student, _created = StudentProfile.objects.get_or_create(user=user, defaults=fields)
    counts.students += 1
    pathway = Pathway.objects.get(slug="software-engineering")
    offering = Offering.objects.get(pathway=pathway, school=school, school_year=school_year)
    _enroll(student, offering, EnrollmentStatus.APPROVED, counselor, days_ago=800)
    courses = {s.course.code: s.course for s in pathway.sequence.select_related("course")}
    for code, year, done, mark in (
        ("10011", school_year - 2, True, "A"),
        ("10152", school_year - 1, True, "A-"),
        ("10153", school_year, False, ""),
    ):
        counts.records += _record(student, courses[code], year, Term.FULL_YEAR, done, mark)
    CredentialAward.objects.get_or_create(
        student=student,
        credential=Credential.objects.get(slug="comptia-itf"),
        defaults={
            "awarded_on": datetime.date(school_year - 1, 5, 14),
            "evidence": "CompTIA verification code ITF-DEMO-0001",
            "recorded_by": counselor,
        },
    )
    for slug in ("cybersecurity-networking", "digital-media-design"):
        SavedPathway.objects.get_or_create(student=student, pathway=Pathway.objects.get(slug=slug))
    AdvisingNote.objects.get_or_create(
        student=student,
        author=counselor,
        defaults={
            "body": "Sam is thinking about cybersecurity for the capstone year. Talked about "
            "the Security+ route and the summer internship at Skyline Software."
        },
    )
    return student


def _count_seats() -> None:
    """Each offering's filled seats are its approved enrollments (the demo wrote them as
    history, not through the services that keep the count)."""
    approved = Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.APPROVED))
    for offering in Offering.objects.annotate(n=approved).exclude(seats_filled=F("n")):
        Offering.objects.filter(pk=offering.pk).update(seats_filled=offering.n)
