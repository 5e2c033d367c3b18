"""Demo work-based learning for ``manage.py seed_demo`` (idempotent; runs after the catalogue,
partners and students demos).

Published opportunities of every type from several partners; the demo employer's organization
(Harbor Health Partners, employer@demo.example) hosts some of them, with applications from
demo students (one waiting for a guardian's consent), one opportunity waiting for CTE staff's
approval, and an internship under way whose placement has hours waiting for the supervisor's
approval. The demo counselor has an open request for a guest speaker.

Everything goes through the services, so the demo obeys the rules a real district would:
partners draft and submit, CTE staff publish, students apply (and are refused if they may not),
the host accepts, the student logs hours and the supervisor approves them, a counselor asks
for a speaker. What already exists is found (an opportunity by its organization and title, an
application by student and opportunity, hours by day and time) and left alone, so a second
run changes nothing. The messages the services write stay in people's notifications but are
never e-mailed (``_not_emailed``): seeding must not send a burst of mail to demo addresses.
Dates are relative to today. The few students needed are created here if the students demo
has not made them (found by e-mail, so both demos can run in any order).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cte_portal.notifications.enums import State
from cte_portal.notifications.models import Notification
from cte_portal.users.enums import Role
from cte_portal.users.models import User
from partners.enums import ContactStatus, OrganizationStatus
from partners.models import Contact, Organization
from pathways.models import Offering, Pathway, School, Sector
from students.models import CounselorProfile, StudentProfile

from . import services, tokens
from .enums import (
    ApplicationStatus,
    HoursStatus,
    OpportunityKind,
    OpportunityStatus,
    RequestKind,
)
from .models import (
    Application,
    GuardianConsent,
    HoursLog,
    Opportunity,
    Placement,
    SchoolRequest,
)
from .services import OpportunityDetails, SessionSpec

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
        "pathways": [],
        # Under way for three weeks; it was published (and applied to) before it started.
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


@contextmanager
def _not_emailed() -> Iterator[None]:
    """The services write their messages as they would for real (the demo's people find them
    in their notifications), but none is e-mailed: the workers send only queued rows, and
    those written while seeding are marked as not to be e-mailed before the seed commits."""
    last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        yield
    finally:
        Notification.objects.filter(pk__gt=last, state__in=[State.QUEUED, State.DIGEST]).update(
            state=State.SKIPPED
        )


def _sessions(specs: list[tuple]) -> list[SessionSpec]:
    wanted = []
    for spec in specs:
        if spec[0] == "range":
            _kind, first, last, start, end = spec
            wanted.append(SessionSpec(_at(first, start), _at(last, end)))
        else:
            days, start, end = spec
            wanted.append(SessionSpec(_at(days, start), _at(days, end)))
    return wanted


def _ahead(sessions: list[SessionSpec]) -> list[SessionSpec]:
    """The sessions as they were announced: one under way was published before it began, so
    it is posted as starting tomorrow and moved to its real dates once students applied."""
    first = min(s.starts_at for s in sessions)
    if first > timezone.now():
        return sessions
    shift = _at(1, timezone.localtime(first).hour) - first
    return [SessionSpec(s.starts_at + shift, s.ends_at + shift, s.note) for s in sessions]


def _details(
    spec: dict[str, Any], organization: Organization, sessions: list[SessionSpec]
) -> OpportunityDetails:
    fields = dict(spec["fields"])
    apply_by_days = fields.pop("apply_by_days", None)
    return OpportunityDetails(
        kind=spec["kind"],
        title=spec["title"],
        description=spec["description"],
        seats=spec["seats"],
        sessions=sessions,
        sectors=list(Sector.objects.filter(slug__in=spec["sectors"])),
        pathways=list(Pathway.objects.filter(slug__in=spec["pathways"])),
        address="" if fields.get("is_virtual") else ", ".join(organization.address_lines),
        apply_by=timezone.localdate() + timedelta(days=apply_by_days) if apply_by_days else None,
        **fields,
    )


def _host(organization: Organization) -> Contact | None:
    return (
        Contact.objects.filter(organization=organization, status=ContactStatus.ACTIVE)
        .select_related("user")
        .order_by("-is_primary", "pk")
        .first()
    )


def _opportunity(
    spec: dict[str, Any], organization: Organization, staff: User | None
) -> Opportunity | None:
    """The host's contact drafts and submits it; CTE staff publish it (or leave it waiting)."""
    found = Opportunity.objects.filter(organization=organization, title=spec["title"]).first()
    if found is not None:
        return found
    host = _host(organization)
    if host is None:
        return None
    details = _details(spec, organization, _ahead(_sessions(spec["sessions"])))
    opportunity = services.opportunity_create(
        organization=organization, by=host.user, details=details, host=host
    )
    opportunity = services.opportunity_submit(opportunity=opportunity, by=host.user)
    if spec["status"] == OpportunityStatus.PUBLISHED and staff is not None:
        opportunity = services.opportunity_publish(opportunity=opportunity, by=staff)
    return opportunity


def _as_planned(opportunity: Opportunity, spec: dict[str, Any], staff: User | None) -> None:
    """CTE staff put the sessions on their real dates (relative to today), if they moved."""
    wanted = _sessions(spec["sessions"])
    current = [(s.starts_at, s.ends_at) for s in opportunity.sessions.order_by("starts_at")]
    if staff is None or current == [(s.starts_at, s.ends_at) for s in wanted]:
        return
    services.opportunity_update(
        opportunity=opportunity,
        by=staff,
        details=_details(spec, opportunity.organization, wanted),
    )


def _apply(student: StudentProfile, opportunity: Opportunity | None, statement: str) -> Any:
    if opportunity is None:
        return None
    found = Application.objects.filter(student=student, opportunity=opportunity).first()
    if found is not None:
        return found
    return services.application_submit(
        student=student, opportunity=opportunity, statement=statement
    )


def _guardian_consents(application: Application | None) -> None:
    """The guardian answers yes through the e-mailed link, as a guardian would."""
    consent = GuardianConsent.objects.filter(application=application).first()
    if consent is not None and consent.answered_at is None:
        services.consent_answer(
            token=tokens.consent_token(consent_id=consent.pk, nonce=consent.nonce),
            consent=True,
            user_agent="seed_demo",
        )


def _accept(application: Application | None, host: Contact | None) -> None:
    if (
        application is not None
        and host is not None
        and application.status == ApplicationStatus.SUBMITTED
    ):
        services.application_accept(application=application, by=host.user)


def _placement(application: Application, supervisor: Contact) -> Placement | None:
    """Three weeks in: the host set the dates and the hours aimed at; the student logged two
    afternoons a week, the supervisor approved those of two weeks ago and not yet last week's."""
    placement = Placement.objects.filter(application=application).first()
    if placement is None:
        return None
    today = timezone.localdate()
    starts_on, ends_on = today - timedelta(days=21), today + timedelta(days=35)
    wanted = (supervisor.pk, starts_on, ends_on, Decimal("80"))
    if (
        placement.supervisor_id,
        placement.starts_on,
        placement.ends_on,
        placement.target_hours,
    ) != wanted:
        placement = services.placement_update(
            placement=placement,
            by=supervisor.user,
            supervisor=supervisor,
            starts_on=starts_on,
            ends_on=ends_on,
            target_hours=Decimal("80"),
        )
    student = application.student.user
    monday = today - timedelta(days=today.weekday())
    for weeks_back, approve in ((2, True), (1, False)):
        for weekday, what in (
            (1, "Checked in patients and updated charts."),
            (3, "Restocked exam rooms and shadowed triage."),
        ):
            day = monday - timedelta(weeks=weeks_back) + timedelta(days=weekday)
            if not placement.starts_on <= day <= today:
                continue
            log = HoursLog.objects.filter(placement=placement, date=day, start_time=time(15, 30))
            entry = log.first() or services.hours_log(
                placement=placement,
                by=student,
                date=day,
                start_time=time(15, 30),
                end_time=time(17, 30),
                activities=what,
            )
            if approve and entry.status == HoursStatus.PENDING:
                services.hours_approve(hours=entry, by=supervisor.user)
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
    topic = "What does a day at work look like in this field?"
    found = SchoolRequest.objects.filter(school=school, topic=topic).first()
    if found is not None:
        return found
    offering = (
        Offering.objects.filter(school=school, pathway__status="published")
        .select_related("pathway")
        .order_by("pathway__name")
        .first()
    )
    if offering is None:
        return None
    today = timezone.localdate()
    return services.school_request_create(
        by=counselor_user,
        school=school,
        pathway=offering.pathway,
        kind=RequestKind.SPEAKER,
        topic=topic,
        details="A 45-minute talk with questions for our pathway class, in our library.",
        earliest_date=today + timedelta(days=14),
        latest_date=today + timedelta(days=45),
        audience_size=30,
        grade=10,
    )


def seed() -> list[str]:
    """Create or refresh the demo work-based learning (idempotent). Returns what it did."""
    with _not_emailed():
        request = _seed()
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


def _seed() -> SchoolRequest | None:
    staff = User.objects.filter(email="staff@demo.example").first()
    organizations = {
        o.name: o
        for o in Organization.objects.filter(
            name__in={s["organization"] for s in OPPORTUNITIES},
            status=OrganizationStatus.APPROVED,
        )
    }
    specs = {spec["title"]: spec for spec in OPPORTUNITIES if spec["organization"] in organizations}
    opportunities = {
        title: opportunity
        for title, spec in specs.items()
        if (opportunity := _opportunity(spec, organizations[spec["organization"]], staff))
    }
    school = (
        School.objects.filter(slug=DEMO_SCHOOL).first() or School.objects.order_by("pk").first()
    )
    students = _students(school)
    internship = opportunities.get("Patient services internship")
    if len(students) == len(STUDENTS) and internship is not None:
        sam, maya, jordan, amara = students
        placed = _apply(sam, internship, "I want to see how a clinic runs, from the front desk.")
        _apply(maya, internship, "I volunteer at a clinic on weekends.")
        _apply(jordan, internship, "I want to study health administration.")
        shadow = opportunities.get("Shadow a nurse for a morning")
        _apply(maya, shadow, "I would like to see what nurses do on a ward.")
        _guardian_consents(_apply(jordan, shadow, "I am choosing between nursing and pharmacy."))
        _apply(
            amara,
            opportunities.get("Careers in health IT: a talk by our CIO"),
            "I like computers and medicine.",
        )
        _accept(placed, internship.host)
    # Every application is in: sessions go to their real dates (the internship is under way).
    for title, opportunity in opportunities.items():
        if opportunity.status == OpportunityStatus.PUBLISHED:
            _as_planned(opportunity, specs[title], staff)
    if internship is not None and internship.host is not None and students:
        accepted = Application.objects.filter(
            opportunity=internship, student=students[0], status=ApplicationStatus.ACCEPTED
        ).first()
        if accepted is not None:
            _placement(accepted, internship.host)
    return _school_request(User.objects.filter(email=DEMO_COUNSELOR).first())
