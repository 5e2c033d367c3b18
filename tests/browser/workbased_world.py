"""Data for the work-based learning pages in the browser checks.

``build(user)`` gives the signed-in person (student, counselor, staff or employer) a full
scenario to look at and returns the ids the ``PAGES`` paths name: a host organization (the
employer's own when an employer signs in) with a published event the student applied to, an
event that already took place with the student's attendance, a draft and a submitted
opportunity, an internship placement with hours (one approved, one waiting), a placement
that ended and waits for its evaluation, another evaluated, and a school request a partner
volunteered for. The ``*_page`` functions are ``PAGES`` paths for pages reached without
signing in (the board, an opportunity, a guardian's consent, a supervisor's hours link).
"""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cte_portal.users.enums import Role
from partners.enums import OfferKind
from tests.factories.partners import (
    ContactFactory,
    OfferFactory,
    OrganizationFactory,
    partner_of,
)
from tests.factories.pathways import OfferingFactory, SchoolFactory, full_pathway
from tests.factories.students import CounselorProfileFactory, StudentProfileFactory
from tests.factories.users import EmployerUserFactory, StudentUserFactory
from tests.factories.workbased import (
    ApplicationFactory,
    HoursLogFactory,
    InternshipFactory,
    OpportunityFactory,
    PlacementFactory,
    SchoolRequestFactory,
    at,
)
from workbased import tokens
from workbased.enums import (
    ApplicationStatus,
    ConsentState,
    HoursStatus,
    OpportunityKind,
    OpportunityStatus,
    PlacementStatus,
)
from workbased.models import Attendance, Evaluation, GuardianConsent, Reflection, Volunteer
from workbased.services.applications import consent_details


def _years_ago(years: int) -> Any:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=20)


def _host(user: Any) -> Any:
    if user is not None and user.role == Role.EMPLOYER:
        return user.partner_contact
    host_user = EmployerUserFactory(email="host@harbor-health.example", full_name="Hana Host")
    partner_of(host_user, name="Harbor Health Partners")
    return host_user.partner_contact


def build(user: Any) -> dict[str, Any]:
    host = _host(user)
    org = host.organization
    school = SchoolFactory(name="Harbor View Career and Technical High School")
    pathway = full_pathway(name="Nurse Aide and Patient Care")
    OfferingFactory(pathway=pathway, school=school)
    OfferFactory(organization=org, sector=pathway.sector, kind=OfferKind.SPEAKER)
    if user is not None and user.role == Role.STUDENT:
        student = StudentProfileFactory(
            user=user, school=school, grade=10, date_of_birth=_years_ago(15)
        )
    else:
        student = StudentProfileFactory(
            user=StudentUserFactory(full_name="Maya López"),
            school=school,
            grade=10,
            date_of_birth=_years_ago(15),
        )
    if user is not None and user.role == Role.COUNSELOR:
        CounselorProfileFactory(user=user, schools=[school])
    classmate = StudentProfileFactory(
        user=StudentUserFactory(full_name="Jordan Kim"), school=school, grade=11
    )

    talk = OpportunityFactory(
        organization=org,
        host=host,
        title="Careers in health IT: a talk by our CIO",
        sectors=[pathway.sector],
        is_virtual=True,
        address="",
        meeting_url="https://meet.example/health-it",
    )
    open_event = OpportunityFactory(
        organization=org,
        host=host,
        kind=OpportunityKind.JOB_SHADOW,
        title="Shadow a nurse for a morning",
        sectors=[pathway.sector],
        needs_guardian_consent=True,
        min_grade=9,
        sessions=[(at(12, 8), at(12, 12))],
    )
    application = ApplicationFactory(
        student=student, opportunity=talk, statement="I want to see how hospitals use software."
    )
    ApplicationFactory(student=classmate, opportunity=talk, statement="I like computers.")
    past_event = OpportunityFactory(
        organization=org,
        host=host,
        kind=OpportunityKind.SITE_VISIT,
        title="Tour of the emergency department",
        sessions=[(at(-3, 10), at(-3, 12))],
    )
    ApplicationFactory(student=student, opportunity=past_event, status=ApplicationStatus.ACCEPTED)
    ApplicationFactory(student=classmate, opportunity=past_event, status=ApplicationStatus.ACCEPTED)
    attendance = Attendance.objects.create(
        session=past_event.sessions.get(), student=student, recorded_by=host.user
    )
    Reflection.objects.create(
        student=student,
        attendance=attendance,
        what_i_did="Walked the emergency department with a charge nurse.",
        what_i_learned="How triage decides who is seen first.",
    )
    draft = OpportunityFactory(
        organization=org,
        host=host,
        title="Summer patient services internship",
        kind=OpportunityKind.INTERNSHIP,
        status=OpportunityStatus.DRAFT,
        sectors=[pathway.sector],
        pathways=[pathway],
    )
    submitted = OpportunityFactory(
        organization=org,
        host=host,
        title="Health careers mentoring circle",
        kind=OpportunityKind.MENTORING,
        status=OpportunityStatus.SUBMITTED,
    )

    internship = InternshipFactory(
        organization=org,
        host=host,
        title="Patient services internship",
        sessions=[(at(-30, 9), at(30, 17))],
    )
    placement = PlacementFactory(
        application=ApplicationFactory(
            student=student, opportunity=internship, status=ApplicationStatus.ACCEPTED
        ),
        supervisor=host,
    )
    HoursLogFactory(
        placement=placement,
        date=timezone.localdate() - timedelta(days=8),
        status=HoursStatus.APPROVED,
        reviewed_at=timezone.now(),
        reviewed_by=host.user,
    )
    hours = HoursLogFactory(placement=placement, start_time=time(15, 0), end_time=time(17, 0))

    ended = InternshipFactory(
        organization=org, host=host, title="Spring clinic internship", sessions=[]
    )
    ended_placement = PlacementFactory(
        application=ApplicationFactory(
            student=classmate, opportunity=ended, status=ApplicationStatus.ACCEPTED
        ),
        supervisor=host,
        starts_on=timezone.localdate() - timedelta(days=60),
        ends_on=timezone.localdate() - timedelta(days=1),
    )
    done = InternshipFactory(
        organization=org, host=host, title="Winter lab internship", sessions=[]
    )
    done_placement = PlacementFactory(
        application=ApplicationFactory(
            student=student, opportunity=done, status=ApplicationStatus.ACCEPTED
        ),
        supervisor=host,
        starts_on=timezone.localdate() - timedelta(days=120),
        ends_on=timezone.localdate() - timedelta(days=60),
        status=PlacementStatus.COMPLETED,
        target_hours=Decimal("40"),
    )
    Evaluation.objects.create(
        placement=done_placement,
        evaluator=host.user,
        communication=3,
        teamwork=4,
        problem_solving=3,
        professionalism=4,
        technical_skill=2,
        comments="Reliable and curious; keep practising lab technique.",
    )

    request = SchoolRequestFactory(
        school=school, pathway=pathway, topic="A day in the life of a nurse", details="Two classes."
    )
    Volunteer.objects.create(
        request=request, organization=org, contact=host, message="Our nurse educator can come."
    )
    request.status = "matched"
    request.save(update_fields=["status"])
    # Another matching partner, not told yet: staff's matching page offers to invite it.
    clinic = OrganizationFactory(name="Bay Community Clinic")
    OfferFactory(organization=clinic, sector=pathway.sector, kind=OfferKind.SPEAKER)
    ContactFactory(organization=clinic)
    return {
        "opportunity": talk.pk,
        "open_opportunity": open_event.pk,
        "past_event": past_event.pk,
        "draft": draft.pk,
        "submitted": submitted.pk,
        "application": application.pk,
        "placement": placement.pk,
        "ended_placement": ended_placement.pk,
        "hours": hours.pk,
        "request": request.pk,
        "attendance": attendance.pk,
    }


def board_page() -> str:
    """The board with a few opportunities on it."""
    build(None)
    return "/opportunities/"


def detail_page() -> str:
    return f"/opportunities/{build(None)['open_opportunity']}/"


def consent_page() -> str:
    """A guardian's consent page, from the e-mailed link."""
    opportunity = OpportunityFactory(
        title="Shadow a paramedic", needs_guardian_consent=True, sessions=[(at(9, 9), at(9, 13))]
    )
    application = ApplicationFactory(
        opportunity=opportunity,
        student=StudentProfileFactory(user=StudentUserFactory(full_name="Amara Okafor")),
        guardian_consent=ConsentState.PENDING,
    )
    consent = GuardianConsent.objects.create(
        application=application,
        guardian_name="Ngozi Okafor",
        guardian_email="ngozi@family.example",
        details=consent_details(opportunity),
    )
    token = tokens.consent_token(consent_id=consent.pk, nonce=consent.nonce)
    return f"/opportunities/consent/{token}/"


def hours_review_page() -> str:
    """A supervisor's page for one hours entry, from the weekly e-mail."""
    hours = HoursLogFactory()
    token = tokens.hours_token(hours_id=hours.pk, supervisor_id=hours.placement.supervisor_id)
    return f"/opportunities/hours/review/{token}/"
