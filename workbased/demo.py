"""Demo work-based learning for ``manage.py seed_demo`` (idempotent; runs after the catalogue,
partners and students demos).

Published opportunities of every type from several partners; the demo employer's organization
(Harbor Health Partners, employer@demo.example) hosts some of them, with applications from
demo students (one waiting for a guardian's consent), one opportunity waiting for CTE staff's
approval, and an internship under way whose placement has hours waiting for the supervisor's
approval. The demo counselor has an open request for a guest speaker.

The records are written directly rather than through the services: seeding must not send a
burst of e-mails. Dates are relative to today. The few students needed are created here if
the students demo has not made them (found by e-mail, so both demos can run in any order).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from cte_portal.users.enums import Role
from cte_portal.users.models import User
from partners.enums import ContactStatus, OrganizationStatus
from partners.models import Contact, Organization
from pathways.models import Offering, Pathway, School, Sector
from students.models import CounselorProfile, StudentProfile

from .enums import (
    ApplicationStatus,
    ConsentState,
    GuardianAnswer,
    HoursStatus,
    OpportunityKind,
    OpportunityStatus,
    PlacementStatus,
    RequestKind,
    ReviewedVia,
    SchoolRequestStatus,
)
from .models import (
    Application,
    GuardianConsent,
    HoursLog,
    Opportunity,
    OpportunitySession,
    Placement,
    SchoolRequest,
)
from .services.applications import consent_details

HARBOR = "Harbor Health Partners"
DEMO_STUDENT = "student@demo.example"
DEMO_COUNSELOR = "counselor@demo.example"
DEMO_SCHOOL = "harbor-view-cte"

# e-mail, name, grade, age, guardian, language
STUDENTS = [
    (DEMO_STUDENT, "Sam Student", 11, 16, "Robin Student", "en"),
    ("maya.lopez@wbl-students.example", "Maya López", 10, 15, "Carmen López", "es"),
    ("jordan.kim@wbl-students.example", "Jordan Kim", 12, 17, "Alex Kim", "en"),
    ("amara.okafor@wbl-students.example", "Amara Okafor", 9, 14, "Ngozi Okafor", "en"),
]

# Each: organization, type, title, description, sectors, pathways, sessions as
# (days from today, start hour, end hour) or a range ("range", first day, last day), seats,
# other fields, status.
OPPORTUNITIES: list[dict[str, Any]] = [
    {
        "organization": HARBOR,
        "kind": OpportunityKind.INTERNSHIP,
        "title": "Patient services internship",
        "description": "Work beside our patient services team: greet and check in patients, "
        "keep records and learn how a clinic runs. Supervised by a nurse educator.",
        "sectors": ["health-sciences"],
        "pathways": ["nurse-aide-patient-care", "medical-assisting"],
        "sessions": [("range", -21, 35, 9, 17)],
        "seats": 4,
        "fields": {"is_paid": True, "hours_per_week": Decimal("10"), "min_age": 15},
        "status": OpportunityStatus.PUBLISHED,
    },
    {
        "organization": HARBOR,
        "kind": OpportunityKind.JOB_SHADOW,
        "title": "Shadow a nurse for a morning",
        "description": "Spend a morning on a hospital ward with a registered nurse.",
        "sectors": ["health-sciences"],
        "pathways": [],
        "sessions": [(12, 8, 12)],
        "seats": 6,
        "fields": {"min_grade": 10, "needs_guardian_consent": True, "apply_by_days": 8},
        "status": OpportunityStatus.PUBLISHED,
    },
    {
        "organization": HARBOR,
        "kind": OpportunityKind.SPEAKER,
        "title": "Careers in health IT: a talk by our CIO",
        "description": "How software keeps a hospital running, and the jobs behind it.",
        "sectors": ["health-sciences", "information-technology"],
        "pathways": [],
        "sessions": [(9, 14, 15)],
        "seats": 120,
        "fields": {"is_virtual": True, "meeting_url": "https://meet.example/harbor-health-it"},
        "status": OpportunityStatus.PUBLISHED,
    },
    {
        "organization": HARBOR,
        "kind": OpportunityKind.MENTORING,
        "title": "Health careers mentoring circle",
        "description": "Monthly small-group mentoring with nurses, technicians and managers.",
        "sectors": ["health-sciences"],
        "pathways": [],
        "sessions": [(30, 16, 17), (60, 16, 17), (90, 16, 17)],
        "seats": 12,
        "fields": {"min_grade": 10},
        "status": OpportunityStatus.SUBMITTED,
    },
    {
        "organization": "Five Boroughs Builders",
        "kind": OpportunityKind.SITE_VISIT,
        "title": "Hard-hat tour of a Brooklyn job site",
        "description": "Walk a building under construction with our safety manager.",
        "sectors": ["construction-sustainability"],
        "pathways": [],
        "sessions": [(16, 10, 12)],
        "seats": 20,
        "fields": {"min_age": 16, "needs_guardian_consent": True},
        "status": OpportunityStatus.PUBLISHED,
    },
    {
        "organization": "Skyline Software",
        "kind": OpportunityKind.CAREER_DAY,
        "title": "Skyline open studio career day",
        "description": "Meet our engineers and designers and try pair programming.",
        "sectors": ["information-technology"],
        "pathways": [],
        "sessions": [(20, 9, 14)],
        "seats": 40,
        "fields": {},
        "status": OpportunityStatus.PUBLISHED,
    },
    {
        "organization": "Skyline Software",
        "kind": OpportunityKind.MENTORING,
        "title": "Code mentoring, Tuesdays after school",
        "description": "Weekly one-on-one mentoring on a project of your own, online.",
        "sectors": ["information-technology"],
        "pathways": ["software-engineering"],
        "sessions": [(days, 16, 17) for days in (6, 13, 20, 27)],
        "seats": 8,
        "fields": {"is_virtual": True, "meeting_url": "https://meet.example/skyline-mentors"},
        "status": OpportunityStatus.PUBLISHED,
    },
    {
        "organization": "Queens Culinary Collective",
        "kind": OpportunityKind.COMPETITION,
        "title": "Borough cook-off for CTE culinary students",
        "description": "Teams of three cook a three-course menu for a panel of chefs.",
        "sectors": ["culinary-hospitality"],
        "pathways": [],
        "sessions": [(30, 10, 16)],
        "seats": 30,
        "fields": {},
        "status": OpportunityStatus.PUBLISHED,
    },
    {
        "organization": "Queens Culinary Collective",
        "kind": OpportunityKind.SCHOLARSHIP,
        "title": "Culinary arts scholarship ($2,000)",
        "description": "For a senior going on to a culinary program; awarded at our spring dinner.",
        "sectors": ["culinary-hospitality"],
        "pathways": [],
        "sessions": [(45, 18, 20)],
        "seats": 2,
        "fields": {"min_grade": 12, "apply_by_days": 25},
        "status": OpportunityStatus.PUBLISHED,
    },
    {
        "organization": "Borough Community College",
        "kind": OpportunityKind.TEACHER_EXTERNSHIP,
        "title": "Summer externship for CTE teachers",
        "description": "Two weeks with our faculty and industry partners to refresh your "
        "curriculum.",
        "sectors": ["information-technology", "health-sciences"],
        "pathways": [],
        "sessions": [("range", 40, 51, 9, 15)],
        "seats": 8,
        "fields": {"is_paid": True},
        "status": OpportunityStatus.PUBLISHED,
    },
    {
        "organization": "Metro Transit Authority Workforce Office",
        "kind": OpportunityKind.INTERNSHIP,
        "title": "Transit maintenance internship",
        "description": "Paid internship in a bus depot: diagnostics, safety and teamwork.",
        "sectors": ["transportation"],
        "pathways": [],
        "sessions": [("range", 14, 56, 8, 16)],
        "seats": 6,
        "fields": {"is_paid": True, "hours_per_week": Decimal("12"), "min_age": 16},
        "status": OpportunityStatus.PUBLISHED,
    },
]


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _born(age: int) -> date:
    today = timezone.localdate()
    return date(today.year - age, 1 + age % 12, 1 + age % 27)


def _students(school: School | None) -> list[StudentProfile]:
    profiles = []
    for number, (email, name, grade, age, guardian, language) in enumerate(STUDENTS):
        user, created = User.objects.get_or_create(
            email=email, defaults={"role": Role.STUDENT, "full_name": name}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        profile = StudentProfile.objects.filter(user=user).first()
        if profile is None and school is not None:
            profile = StudentProfile.objects.create(
                user=user,
                school=school,
                grade=grade,
                cohort=timezone.localdate().year + (12 - grade) + 1,
                district_id=f"WBL-DEMO-{number:04d}",
                date_of_birth=_born(age),
                preferred_language=language,
                guardian_name=guardian,
                guardian_email=f"{email.split('@')[0]}.guardian@families.example",
            )
        if profile is not None:
            profiles.append(profile)
    return profiles


def _sessions(opportunity: Opportunity, specs: list[tuple]) -> None:
    """Keep the opportunity's sessions in step with the spec (updated in place, in order)."""
    wanted = []
    for spec in specs:
        if spec[0] == "range":
            _kind, first, last, start, end = spec
            wanted.append((_at(first, start), _at(last, end)))
        else:
            days, start, end = spec
            wanted.append((_at(days, start), _at(days, end)))
    current = list(opportunity.sessions.order_by("starts_at", "pk"))
    for index, (starts_at, ends_at) in enumerate(wanted):
        if index < len(current):
            session = current[index]
            session.starts_at, session.ends_at = starts_at, ends_at
            session.save(update_fields=["starts_at", "ends_at"])
        else:
            OpportunitySession.objects.create(
                opportunity=opportunity, starts_at=starts_at, ends_at=ends_at
            )
    OpportunitySession.objects.filter(pk__in=[s.pk for s in current[len(wanted) :]]).delete()


def _opportunity(
    spec: dict[str, Any], organization: Organization, staff: User | None
) -> Opportunity:
    now = timezone.now()
    fields = dict(spec["fields"])
    apply_by_days = fields.pop("apply_by_days", None)
    host = (
        Contact.objects.filter(organization=organization, status=ContactStatus.ACTIVE)
        .order_by("-is_primary", "pk")
        .first()
    )
    decided = spec["status"] == OpportunityStatus.PUBLISHED
    opportunity, _created = Opportunity.objects.update_or_create(
        organization=organization,
        title=spec["title"],
        defaults={
            "host": host,
            "kind": spec["kind"],
            "description": spec["description"],
            "seats": spec["seats"],
            "address": "" if fields.get("is_virtual") else ", ".join(organization.address_lines),
            "status": spec["status"],
            "apply_by": timezone.localdate() + timedelta(days=apply_by_days)
            if apply_by_days
            else None,
            "submitted_at": now - timedelta(days=3),
            "decided_at": now - timedelta(days=2) if decided else None,
            "decided_by": staff if decided else None,
            "created_by": host.user if host else None,
            **fields,
        },
    )
    opportunity.sectors.set(Sector.objects.filter(slug__in=spec["sectors"]))
    opportunity.pathways.set(Pathway.objects.filter(slug__in=spec["pathways"]))
    _sessions(opportunity, spec["sessions"])
    return opportunity


def _apply(
    student: StudentProfile,
    opportunity: Opportunity,
    statement: str,
    *,
    status: str = ApplicationStatus.SUBMITTED,
    consent: str = ConsentState.NOT_NEEDED,
    by: User | None = None,
) -> Application:
    now = timezone.now()
    application, _created = Application.objects.update_or_create(
        student=student,
        opportunity=opportunity,
        defaults={
            "statement": statement,
            "status": status,
            "guardian_consent": consent,
            "waitlist_position": None,
            "decided_at": now - timedelta(days=25)
            if status != ApplicationStatus.SUBMITTED
            else None,
            "decided_by": by if status != ApplicationStatus.SUBMITTED else None,
        },
    )
    if consent != ConsentState.NOT_NEEDED:
        answered = consent == ConsentState.GIVEN
        GuardianConsent.objects.update_or_create(
            application=application,
            defaults={
                "guardian_name": student.guardian_name,
                "guardian_email": student.guardian_email or "guardian@families.example",
                "language": student.preferred_language,
                "answer": GuardianAnswer.CONSENTED if answered else GuardianAnswer.PENDING,
                "answered_at": now - timedelta(days=1) if answered else None,
                # What the consent page shows the guardian, as the service keeps it.
                "details": consent_details(opportunity),
            },
        )
    return application


def _placement(application: Application, supervisor: Contact | None) -> Placement:
    today = timezone.localdate()
    placement, _created = Placement.objects.update_or_create(
        application=application,
        defaults={
            "supervisor": supervisor,
            "starts_on": today - timedelta(days=21),
            "ends_on": today + timedelta(days=35),
            "target_hours": Decimal("80"),
            "status": PlacementStatus.ACTIVE,
        },
    )
    # Two weeks ago (approved), and last week (waiting for the supervisor): 3:30 to 5:30 p.m.
    monday = today - timedelta(days=today.weekday())
    approved_by = supervisor.user if supervisor else None
    for weeks_back, status in ((2, HoursStatus.APPROVED), (1, HoursStatus.PENDING)):
        for weekday, what in (
            (1, "Checked in patients and updated charts."),
            (3, "Restocked exam rooms and shadowed triage."),
        ):
            day = monday - timedelta(weeks=weeks_back) + timedelta(days=weekday)
            if not placement.starts_on <= day <= today:
                continue
            HoursLog.objects.update_or_create(
                placement=placement,
                date=day,
                start_time=time(15, 30),
                defaults={
                    "end_time": time(17, 30),
                    "hours": Decimal("2.00"),
                    "activities": what,
                    "status": status,
                    "reviewed_by": approved_by if status == HoursStatus.APPROVED else None,
                    "reviewed_at": timezone.now() if status == HoursStatus.APPROVED else None,
                    "reviewed_via": ReviewedVia.PORTAL if status == HoursStatus.APPROVED else "",
                },
            )
    return placement


def _school_request(counselor_user: User | None) -> SchoolRequest | None:
    if counselor_user is None:
        return None
    counselor, _created = CounselorProfile.objects.get_or_create(user=counselor_user)
    school = counselor.schools.order_by("name").first()
    if school is None:
        school = School.objects.filter(slug=DEMO_SCHOOL).first()
        if school is None:
            return None
        counselor.schools.add(school)
    offering = (
        Offering.objects.filter(school=school, pathway__status="published")
        .select_related("pathway")
        .order_by("pathway__name")
        .first()
    )
    if offering is None:
        return None
    today = timezone.localdate()
    request, _created = SchoolRequest.objects.update_or_create(
        school=school,
        topic="What does a day at work look like in this field?",
        defaults={
            "pathway": offering.pathway,
            "kind": RequestKind.SPEAKER,
            "details": "A 45-minute talk with questions for our pathway class, in our library.",
            "earliest_date": today + timedelta(days=14),
            "latest_date": today + timedelta(days=45),
            "audience_size": 30,
            "grade": 10,
            "requested_by": counselor_user,
            "status": SchoolRequestStatus.OPEN,
        },
    )
    return request


def seed() -> list[str]:
    """Create or refresh the demo work-based learning (idempotent). Returns what it did."""
    staff = User.objects.filter(email="staff@demo.example").first()
    organizations = {
        o.name: o
        for o in Organization.objects.filter(
            name__in={s["organization"] for s in OPPORTUNITIES},
            status=OrganizationStatus.APPROVED,
        )
    }
    opportunities = {
        spec["title"]: _opportunity(spec, organizations[spec["organization"]], staff)
        for spec in OPPORTUNITIES
        if spec["organization"] in organizations
    }
    school = (
        School.objects.filter(slug=DEMO_SCHOOL).first() or School.objects.order_by("pk").first()
    )
    students = _students(school)
    internship = opportunities.get("Patient services internship")
    shadow = opportunities.get("Shadow a nurse for a morning")
    speaker = opportunities.get("Careers in health IT: a talk by our CIO")
    if students and internship is not None:
        host = internship.host
        sam = students[0]
        placed = _apply(
            sam,
            internship,
            "I want to become a nurse and I am in the patient care pathway.",
            status=ApplicationStatus.ACCEPTED,
            by=host.user if host else None,
        )
        _placement(placed, host)
        for other, words in zip(
            students[1:3],
            ("I volunteer at a clinic on weekends.", "I want to study health administration."),
            strict=False,
        ):
            _apply(other, internship, words)
        if shadow is not None:
            _apply(
                students[1],
                shadow,
                "I would like to see what nurses do on a ward.",
                consent=ConsentState.PENDING,
            )
            if len(students) > 2:
                _apply(
                    students[2],
                    shadow,
                    "I am choosing between nursing and pharmacy.",
                    consent=ConsentState.GIVEN,
                )
        if speaker is not None and len(students) > 3:
            _apply(students[3], speaker, "I like computers and medicine.")
    # Seats taken follow the accepted applications.
    for opportunity in Opportunity.objects.annotate(
        accepted=Count("applications", filter=Q(applications__status=ApplicationStatus.ACCEPTED))
    ).filter(pk__in=[o.pk for o in opportunities.values()]):
        if opportunity.seats_filled != opportunity.accepted:
            Opportunity.objects.filter(pk=opportunity.pk).update(seats_filled=opportunity.accepted)
    request = _school_request(User.objects.filter(email=DEMO_COUNSELOR).first())

    published = Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED).count()
    waiting = HoursLog.objects.filter(status=HoursStatus.PENDING).count()
    return [
        f"work-based learning: {published} published opportunities "
        f"({Opportunity.objects.filter(status=OpportunityStatus.SUBMITTED).count()} awaiting "
        f"approval), {Application.objects.count()} applications, "
        f"{Placement.objects.count()} placements ({waiting} hour logs to approve)",
        "work-based learning: "
        + (f"open school request at {request.school}" if request else "no school request"),
    ]
