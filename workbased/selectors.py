"""Every read of the workbased app, with its joins, annotations and visibility rule. Pages and
the API's ``get_queryset()`` call these same functions.

Who sees which opportunities (``opportunities_visible_to``): everyone (the public too) sees the
published ones open to all; a student also those a school asked for at their own school; a
counselor those of the schools they serve; an employer their own organization's, whatever
their status; CTE staff everything. Employers see applicants only through the FERPA-limited
view (``APPLICANT_FIELDS``), never a student record.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from cte_portal.users.permissions import (
    is_counselor,
    is_cte_staff,
    is_employer,
    is_student,
)
from partners.enums import OrganizationStatus
from partners.models import Organization
from partners.selectors import contact_for_user
from pathways.enums import PathwayStatus
from pathways.models import Pathway, Sector
from students.enums import EnrollmentStatus
from students.models import CounselorProfile, Enrollment, StudentProfile

from . import conf, labor, permissions
from .enums import (
    HAPPENING_STATUSES,
    ONE_DAY_KINDS,
    OPEN_REQUEST_STATUSES,
    ApplicationStatus,
    ConsentState,
    HoursStatus,
    OpportunityStatus,
    PlacementStatus,
    RequestKind,
    SchoolRequestStatus,
)
from .models import (
    Application,
    Attendance,
    Evaluation,
    HoursLog,
    Opportunity,
    OpportunitySession,
    Placement,
    Reflection,
    SchoolRequest,
    Volunteer,
)

# --- Helpers --------------------------------------------------------------------------------------


def _current_pathway(student_ref: str, value: str = "offering__pathway_id") -> Subquery:
    """A student's pathway: their approved enrollment's (one at most, by a unique index)."""
    return Subquery(
        Enrollment.objects.filter(
            student_id=OuterRef(student_ref), status=EnrollmentStatus.APPROVED
        ).values(value)[:1]
    )


def student_pathway_id(student: StudentProfile) -> int | None:
    return (
        Enrollment.objects.filter(student=student, status=EnrollmentStatus.APPROVED)
        .values_list("offering__pathway_id", flat=True)
        .first()
    )


def _first_start() -> Subquery:
    return Subquery(
        OpportunitySession.objects.filter(opportunity_id=OuterRef("pk"))
        .order_by("starts_at")
        .values("starts_at")[:1]
    )


def _last_end() -> Subquery:
    return Subquery(
        OpportunitySession.objects.filter(opportunity_id=OuterRef("pk"))
        .order_by("-ends_at")
        .values("ends_at")[:1]
    )


def _count(queryset: QuerySet, group_by: str) -> Coalesce:
    counted = queryset.values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _hours_sum(status: str) -> Coalesce:
    total = (
        HoursLog.objects.filter(placement_id=OuterRef("pk"), status=status)
        .values("placement_id")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return Coalesce(
        Subquery(total, output_field=DecimalField(max_digits=8, decimal_places=2)),
        Value(Decimal(0)),
        output_field=DecimalField(max_digits=8, decimal_places=2),
    )


def _counselor_school_ids(user: Any) -> Subquery:
    return CounselorProfile.schools.through.objects.filter(counselorprofile__user=user).values(
        "school_id"
    )


# --- Eligibility ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    """May this student apply? If not, ``reason`` says why, for the student to read (the page
    shows it before they try; ``application_submit`` refuses with the same words)."""

    ok: bool
    reason: str = ""
    code: str = ""
    needs_consent: bool = False


def _no(reason: str, code: str) -> Eligibility:
    return Eligibility(ok=False, reason=reason, code=code)


def application_eligibility(
    *, student: StudentProfile, opportunity: Opportunity, today: date | None = None
) -> Eligibility:
    """Check every rule, in the order a student would want to hear them (a handful of
    queries: the first session, the allowed pathways, the student's pathway, an earlier
    application)."""
    today = today or timezone.localdate()
    if opportunity.status != OpportunityStatus.PUBLISHED:
        return _no(_("This opportunity is not open for applications."), "not_open")
    if not student.is_active:
        return _no(_("Your student record is not active: ask your counselor."), "inactive")
    if opportunity.school_id is not None and opportunity.school_id != student.school_id:
        return _no(
            _("This opportunity is for students of %(school)s.")
            % {"school": opportunity.school.name},
            "other_school",
        )
    if opportunity.apply_by is not None and today > opportunity.apply_by:
        return _no(
            _("The application deadline was %(day)s.") % {"day": opportunity.apply_by.isoformat()},
            "deadline",
        )
    first = opportunity.sessions.order_by("starts_at").values_list("starts_at", flat=True).first()
    if first is not None and first <= timezone.now():
        return _no(_("This opportunity has already started."), "started")
    if opportunity.min_grade is not None and student.grade < opportunity.min_grade:
        return _no(
            _(
                "This opportunity is for students in grade %(min)s and above; you are in "
                "grade %(grade)s."
            )
            % {"min": opportunity.min_grade, "grade": student.grade},
            "grade",
        )
    first_day = timezone.localtime(first).date() if first is not None else today
    born = student.date_of_birth
    if opportunity.min_age is not None:
        if born is None:
            return _no(
                _(
                    "This opportunity has a minimum age and your date of birth is not on your "
                    "record: ask your counselor to add it."
                ),
                "age_unknown",
            )
        age = labor.age_on(born, first_day)
        if age < opportunity.min_age:
            return _no(
                _("You must be at least %(min)s on %(day)s, the first day; you will be %(age)s.")
                % {"min": opportunity.min_age, "day": first_day.isoformat(), "age": age},
                "age",
            )
    allowed = list(opportunity.pathways.order_by("name").values_list("pk", "name"))
    if allowed and student_pathway_id(student) not in {pk for pk, _name in allowed}:
        return _no(
            _("This opportunity is for students in these pathways: %(pathways)s.")
            % {"pathways": ", ".join(name for _pk, name in allowed)},
            "pathway",
        )
    if Application.objects.filter(student=student, opportunity=opportunity).exists():
        return _no(_("You have already applied to this opportunity."), "already_applied")
    needs_consent = opportunity.needs_guardian_consent and (
        born is None or labor.age_on(born, first_day) < conf.get("WORKBASED_AGE_OF_MAJORITY")
    )
    if needs_consent and not student.guardian_email:
        return _no(
            _(
                "This opportunity needs your guardian's consent, and your record has no "
                "guardian e-mail: ask your counselor to add it."
            ),
            "no_guardian_email",
        )
    return Eligibility(ok=True, needs_consent=needs_consent)


# --- The opportunity board ------------------------------------------------------------------------


def opportunities_visible_to(user: Any) -> QuerySet[Opportunity]:
    """The visibility rule alone (see the module docstring)."""
    opportunities = Opportunity.objects.all()
    if is_cte_staff(user):
        return opportunities
    published = Q(status=OpportunityStatus.PUBLISHED)
    open_to_all = Q(school__isnull=True)
    if is_student(user):
        school_id = (
            StudentProfile.objects.filter(user=user).values_list("school_id", flat=True).first()
        )
        return opportunities.filter(published & (open_to_all | Q(school_id=school_id)))
    if is_counselor(user):
        return opportunities.filter(
            published & (open_to_all | Q(school_id__in=_counselor_school_ids(user)))
        )
    if is_employer(user):
        contact = contact_for_user(user=user)
        if contact is not None:
            return opportunities.filter(
                (published & open_to_all) | Q(organization_id=contact.organization_id)
            )
    return opportunities.filter(published & open_to_all)


@dataclass(frozen=True)
class BoardFilters:
    """The board's filters; empty means "any"."""

    kind: str = ""
    sector: int | None = None
    pathway: int | None = None
    starts_from: date | None = None
    starts_until: date | None = None
    virtual: bool | None = None
    paid: bool | None = None
    status: str = ""
    organization: int | None = None
    q: str = ""


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _filtered(opportunities: QuerySet[Opportunity], f: BoardFilters) -> QuerySet[Opportunity]:
    if f.kind:
        opportunities = opportunities.filter(kind=f.kind)
    if f.status:
        opportunities = opportunities.filter(status=f.status)
    if f.organization:
        opportunities = opportunities.filter(organization_id=f.organization)
    if f.sector:
        opportunities = opportunities.filter(
            Exists(
                Opportunity.sectors.through.objects.filter(
                    opportunity_id=OuterRef("pk"), sector_id=f.sector
                )
            )
        )
    if f.pathway:
        # Suits the pathway: chosen for it, or open to any pathway of its sector.
        pathway_sector = Pathway.objects.filter(pk=f.pathway).values("sector_id")[:1]
        chosen = Opportunity.pathways.through.objects.filter(opportunity_id=OuterRef("pk"))
        opportunities = opportunities.filter(
            Exists(chosen.filter(pathway_id=f.pathway))
            | (
                ~Exists(chosen)
                & Exists(
                    Opportunity.sectors.through.objects.filter(
                        opportunity_id=OuterRef("pk"), sector_id=Subquery(pathway_sector)
                    )
                )
            )
        )
    if f.starts_from or f.starts_until:
        sessions = OpportunitySession.objects.filter(opportunity_id=OuterRef("pk"))
        if f.starts_from:
            sessions = sessions.filter(starts_at__gte=_day_start(f.starts_from))
        if f.starts_until:
            sessions = sessions.filter(starts_at__lt=_day_start(f.starts_until + timedelta(days=1)))
        opportunities = opportunities.filter(Exists(sessions))
    if f.virtual is not None:
        opportunities = opportunities.filter(is_virtual=f.virtual)
    if f.paid is not None:
        opportunities = opportunities.filter(is_paid=f.paid)
    if f.q:
        opportunities = opportunities.filter(
            Q(title__icontains=f.q)
            | Q(description__icontains=f.q)
            | Q(organization__name__icontains=f.q)
        )
    return opportunities


def opportunity_apply_filters(
    opportunities: QuerySet[Opportunity], *, filters: BoardFilters
) -> QuerySet[Opportunity]:
    """The board's filters on opportunities already limited to what the person may see (the
    API's filter set hands its query parameters here, as the board page does)."""
    return _filtered(opportunities, filters)


def with_board_facts(opportunities: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    """What each board row shows, joined and annotated in SQL: the organization and host, the
    first start and last end, seats left, and (prefetched) sectors, pathways and sessions."""
    return (
        opportunities.select_related("organization", "host__user", "school")
        .annotate(
            first_starts_at=_first_start(),
            last_ends_at=_last_end(),
            seats_open=F("seats") - F("seats_filled"),
        )
        .prefetch_related(
            Prefetch("sectors", queryset=Sector.objects.order_by("position", "name")),
            Prefetch("pathways", queryset=Pathway.objects.order_by("name")),
            Prefetch("sessions", queryset=OpportunitySession.objects.order_by("starts_at")),
        )
    )


def opportunity_board(*, user: Any, filters: BoardFilters | None = None) -> QuerySet[Opportunity]:
    """The board: what the person may see, filtered, soonest first. Four queries for a page of
    any size: the rows (with organization, host, first start, seats left), then sectors,
    pathways and sessions for the page (plus the paginator's count)."""
    f = filters or BoardFilters()
    opportunities = _filtered(opportunities_visible_to(user), f)
    return with_board_facts(opportunities).order_by(
        F("first_starts_at").asc(nulls_last=True), "title", "pk"
    )


def board_filter_choices() -> dict[str, list[tuple[int, str]]]:
    """The board's sector and pathway choices (id, name): every sector, and the published
    pathways (two queries, whatever the page shows)."""
    return {
        "sectors": list(Sector.objects.order_by("position", "name").values_list("pk", "name")),
        "pathways": list(
            Pathway.objects.filter(status=PathwayStatus.PUBLISHED)
            .order_by("name", "pk")
            .values_list("pk", "name")
        ),
    }


def opportunity_for(*, user: Any, pk: int) -> Opportunity:
    """One opportunity the person may see, with its board facts (DoesNotExist otherwise: the
    page answers 404, so someone else's draft is not revealed)."""
    return with_board_facts(opportunities_visible_to(user).filter(pk=pk)).get()


def opportunity_just_created(*, pk: int) -> Opportunity:
    """The opportunity a service has just created for the person, with its board facts,
    whatever its status: a counselor whose school request became an opportunity reads it
    back before staff publish it (the board would not show it to them yet)."""
    return with_board_facts(Opportunity.objects.filter(pk=pk)).get()


def employer_opportunities(*, user: Any) -> QuerySet[Opportunity]:
    """An employer's own organization's opportunities, every status, with how many applied,
    how many wait for a decision and how many were accepted (in SQL)."""
    contact = contact_for_user(user=user)
    if contact is None:
        return Opportunity.objects.none()
    applications = Application.objects.filter(opportunity_id=OuterRef("pk"))
    return (
        with_board_facts(Opportunity.objects.filter(organization_id=contact.organization_id))
        .annotate(
            applications_total=_count(
                applications.exclude(status=ApplicationStatus.WITHDRAWN), "opportunity_id"
            ),
            applications_waiting=_count(
                applications.filter(status=ApplicationStatus.SUBMITTED), "opportunity_id"
            ),
            applications_accepted=_count(
                applications.filter(status=ApplicationStatus.ACCEPTED), "opportunity_id"
            ),
        )
        .order_by("-created_at", "-pk")
    )


def opportunity_form_choices(*, organization: Any) -> dict[str, QuerySet]:
    """What a host chooses from on the opportunity form: the organization's active contacts
    (the host), every sector, and the published pathways."""
    from partners.enums import ContactStatus
    from partners.models import Contact

    return {
        "contacts": Contact.objects.filter(organization=organization, status=ContactStatus.ACTIVE)
        .select_related("user")
        .order_by("user__full_name", "pk"),
        "sectors": Sector.objects.order_by("position", "name"),
        "pathways": Pathway.objects.filter(status=PathwayStatus.PUBLISHED).order_by("name", "pk"),
    }


@dataclass(frozen=True)
class HostSummary:
    """What the employer dashboard shows of an organization's work-based learning."""

    opportunities: list[Opportunity]
    applications_waiting: int


def host_summary(*, organization: Any, limit: int = 5) -> HostSummary:
    """The organization's opportunities still in play (soonest first, each with how many
    applications wait for a decision) and the total waiting: two queries."""
    from .permissions import CLOSED_STATUSES

    waiting = Application.objects.filter(
        opportunity__organization=organization, status=ApplicationStatus.SUBMITTED
    )
    opportunities = (
        Opportunity.objects.filter(organization=organization)
        .exclude(status__in=CLOSED_STATUSES)
        .annotate(
            first_starts_at=_first_start(),
            applications_waiting=_count(
                Application.objects.filter(
                    opportunity_id=OuterRef("pk"), status=ApplicationStatus.SUBMITTED
                ),
                "opportunity_id",
            ),
        )
        .order_by(F("first_starts_at").asc(nulls_last=True), "title", "pk")
    )
    return HostSummary(
        opportunities=list(opportunities[:limit]), applications_waiting=waiting.count()
    )


def approval_queue() -> QuerySet[Opportunity]:
    """Staff: opportunities waiting for approval, oldest submission first."""
    return with_board_facts(
        Opportunity.objects.filter(status=OpportunityStatus.SUBMITTED)
    ).order_by("submitted_at", "pk")


# --- Applicants, as employers may see them (FERPA) ------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    """An applicant as the host sees them: the application, and of the student only their
    name, grade, school and pathway. Never demographics, GPA, IDs, date of birth, contact
    details, guardian or notes. Pages and the API show exactly these fields."""

    application_id: int
    opportunity_id: int
    status: str
    waitlist_position: int | None
    guardian_consent: str
    submitted_at: datetime
    name: str
    grade: int
    school: str
    pathway: str | None
    statement: str

    @property
    def status_label(self) -> str:
        return str(ApplicationStatus(self.status).label)

    @property
    def consent_label(self) -> str:
        return str(ConsentState(self.guardian_consent).label)


APPLICANT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Applicant))
# Of those, the facts about the student (the rest are about the application).
APPLICANT_STUDENT_FIELDS = ("name", "grade", "school", "pathway")


def _applicant_values(applications: QuerySet[Application]) -> QuerySet[dict[str, Any]]:
    return (
        applications.annotate(
            application_id=F("pk"),
            name=F("student__user__full_name"),
            grade=F("student__grade"),
            school=F("student__school__name"),
            pathway=_current_pathway("student_id", "offering__pathway__name"),
        )
        .order_by("opportunity_id", "submitted_at", "pk")
        .values(*APPLICANT_FIELDS)
    )


def applicants_visible_to(
    *, user: Any, opportunity: Opportunity | None = None
) -> QuerySet[dict[str, Any]]:
    """The FERPA-limited rows (dicts with exactly ``APPLICANT_FIELDS``) of the applications
    the person may decide on: an employer's organization's (one opportunity's if given),
    staff's all. Others: none. One query for any number of applicants."""
    applications = Application.objects.exclude(status=ApplicationStatus.WITHDRAWN)
    if opportunity is not None:
        applications = applications.filter(opportunity=opportunity)
    if is_cte_staff(user):
        return _applicant_values(applications)
    contact = contact_for_user(user=user)
    if contact is None:
        return _applicant_values(applications.none())
    return _applicant_values(
        applications.filter(opportunity__organization_id=contact.organization_id)
    )


def applicants_for(*, user: Any, opportunity: Opportunity) -> list[Applicant]:
    """One opportunity's applicants for its host (or staff); anyone else: PermissionDenied."""
    if not permissions.can_view_applicants(user, opportunity):
        raise PermissionDenied
    return [Applicant(**row) for row in applicants_visible_to(user=user, opportunity=opportunity)]


# --- A student's own ------------------------------------------------------------------------------


def applications_visible_to(user: Any) -> QuerySet[Application]:
    """Whole applications (the student record behind them included): the student's own, the
    counselor's schools', staff's all. Employers use ``applicants_visible_to`` instead."""
    applications = Application.objects.select_related(
        "opportunity__organization", "student__user", "student__school", "placement"
    ).annotate(
        first_starts_at=Subquery(
            OpportunitySession.objects.filter(opportunity_id=OuterRef("opportunity_id"))
            .order_by("starts_at")
            .values("starts_at")[:1]
        )
    )
    if is_student(user):
        return applications.filter(student__user=user).order_by("-submitted_at", "-pk")
    if is_cte_staff(user):
        return applications.order_by("-submitted_at", "-pk")
    if is_counselor(user):
        return applications.filter(student__school_id__in=_counselor_school_ids(user)).order_by(
            "-submitted_at", "-pk"
        )
    return applications.none()


def applications_of(*, student: StudentProfile) -> QuerySet[Application]:
    return applications_visible_to(student.user).filter(student=student)


def _with_hours(placements: QuerySet[Placement]) -> QuerySet[Placement]:
    return placements.select_related(
        "application__opportunity__organization",
        "application__student__user",
        "application__student__school",
        "supervisor__user",
    ).annotate(
        hours_approved=_hours_sum(HoursStatus.APPROVED),
        hours_pending=_hours_sum(HoursStatus.PENDING),
        has_evaluation=Exists(Evaluation.objects.filter(placement_id=OuterRef("pk"))),
    )


def _host_org_id(user: Any) -> int | None:
    contact = contact_for_user(user=user)
    return contact.organization_id if contact else None


def placements_visible_to(user: Any) -> QuerySet[Placement]:
    """Placements with hours approved and pending summed in SQL: the student's own, the host
    organization's, the counselor's schools', staff's all."""
    placements = _with_hours(Placement.objects.all()).order_by("-starts_on", "pk")
    if is_student(user):
        return placements.filter(application__student__user=user)
    if is_cte_staff(user):
        return placements
    if is_counselor(user):
        return placements.filter(application__student__school_id__in=_counselor_school_ids(user))
    org_id = _host_org_id(user)
    if org_id is not None:
        return placements.filter(application__opportunity__organization_id=org_id)
    return placements.none()


def placements_of(*, student: StudentProfile) -> QuerySet[Placement]:
    return placements_visible_to(student.user).filter(application__student=student)


def placements_overview() -> QuerySet[Placement]:
    """Staff: active placements first, with their hours, soonest ending first."""
    return _with_hours(Placement.objects.all()).order_by("status", "ends_on", "pk")


def hours_visible_to(user: Any) -> QuerySet[HoursLog]:
    logs = HoursLog.objects.select_related(
        "placement__application__student__user",
        "placement__application__opportunity__organization",
        "reviewed_by",
    )
    if is_student(user):
        return logs.filter(placement__application__student__user=user)
    if is_cte_staff(user):
        return logs
    if is_counselor(user):
        return logs.filter(
            placement__application__student__school_id__in=_counselor_school_ids(user)
        )
    org_id = _host_org_id(user)
    if org_id is not None:
        return logs.filter(placement__application__opportunity__organization_id=org_id)
    return logs.none()


def hours_of(*, student: StudentProfile) -> QuerySet[HoursLog]:
    return hours_visible_to(student.user).filter(placement__application__student=student)


@dataclass(frozen=True)
class Experience:
    """Something a student may reflect on: ``about`` is "application", "placement" or
    "attendance" (what ``services.reflection_write`` takes), with the reflection if written."""

    about: str
    pk: int
    title: str
    organization: str
    reflection: Reflection | None


@dataclass(frozen=True)
class StudentWBL:
    """A student's own work-based learning, as their page shows it."""

    applications: list[Application]
    placements: list[Placement]
    attendance: list[Attendance]
    reflections: list[Reflection]
    evaluations: list[Evaluation]
    to_reflect: list[Experience]


def student_wbl(*, student: StudentProfile, today: date | None = None) -> StudentWBL:
    """Everything of the student's own (five queries, however much there is): applications
    (with consent state and placement), placements with their hours, attendance,
    reflections, evaluations received, and the experiences they may reflect on: placements
    that started, events attended, and accepted applications that started (others)."""
    today = today or timezone.localdate()
    now = timezone.now()
    user = student.user
    applications = list(applications_of(student=student))
    placements = list(placements_of(student=student))
    attendance = list(attendance_of(student=student))
    reflections = list(reflections_visible_to(user).filter(student=student))
    evaluations = list(evaluations_visible_to(user).order_by("-created_at", "-pk"))
    written = {}
    for reflection in reflections:
        for about in ("application", "placement", "attendance"):
            if getattr(reflection, f"{about}_id") is not None:
                written[(about, getattr(reflection, f"{about}_id"))] = reflection
    to_reflect: list[Experience] = []
    covered: set[int] = set()  # opportunities reflected on through a placement or attendance
    for placement in placements:
        opportunity = placement.application.opportunity
        if placement.status != PlacementStatus.CANCELLED and placement.starts_on <= today:
            covered.add(opportunity.pk)
            to_reflect.append(
                Experience(
                    "placement",
                    placement.pk,
                    opportunity.title,
                    opportunity.organization.name,
                    written.get(("placement", placement.pk)),
                )
            )
    for record in attendance:
        opportunity = record.session.opportunity
        covered.add(opportunity.pk)
        to_reflect.append(
            Experience(
                "attendance",
                record.pk,
                opportunity.title,
                opportunity.organization.name,
                written.get(("attendance", record.pk)),
            )
        )
    for application in applications:
        opportunity = application.opportunity
        started = application.first_starts_at is not None and application.first_starts_at <= now
        if (
            application.status == ApplicationStatus.ACCEPTED
            and started
            and opportunity.pk not in covered
        ):
            to_reflect.append(
                Experience(
                    "application",
                    application.pk,
                    opportunity.title,
                    opportunity.organization.name,
                    written.get(("application", application.pk)),
                )
            )
    return StudentWBL(
        applications=applications,
        placements=placements,
        attendance=attendance,
        reflections=reflections,
        evaluations=evaluations,
        to_reflect=to_reflect,
    )


def hours_to_approve(*, user: Any) -> QuerySet[HoursLog]:
    """Hours waiting for the person: for a host's contact, their organization's (their own
    supervisees first); for staff, all. Oldest first."""
    pending = hours_visible_to(user).filter(status=HoursStatus.PENDING)
    if is_employer(user):
        mine = Q(placement__supervisor__user=user)
        pending = pending.annotate(mine=Exists(HoursLog.objects.filter(mine, pk=OuterRef("pk"))))
        return pending.order_by("-mine", "date", "start_time", "pk")
    if is_cte_staff(user):
        return pending.order_by("date", "start_time", "pk")
    return pending.none()


def evaluations_visible_to(user: Any) -> QuerySet[Evaluation]:
    evaluations = Evaluation.objects.select_related(
        "placement__application__opportunity__organization",
        "placement__application__student__user",
        "evaluator",
    )
    if is_student(user):
        return evaluations.filter(placement__application__student__user=user)
    if is_cte_staff(user):
        return evaluations
    if is_counselor(user):
        return evaluations.filter(
            placement__application__student__school_id__in=_counselor_school_ids(user)
        )
    org_id = _host_org_id(user)
    if org_id is not None:
        return evaluations.filter(placement__application__opportunity__organization_id=org_id)
    return evaluations.none()


def evaluations_due(*, user: Any, today: date | None = None) -> QuerySet[Placement]:
    """A host's placements that have reached their last day and wait for an evaluation."""
    today = today or timezone.localdate()
    org_id = _host_org_id(user)
    if org_id is None:
        return Placement.objects.none()
    return (
        _with_hours(Placement.objects.filter(application__opportunity__organization_id=org_id))
        .filter(status=PlacementStatus.ACTIVE, ends_on__lte=today, evaluation__isnull=True)
        .order_by("ends_on", "pk")
    )


def reflections_visible_to(user: Any) -> QuerySet[Reflection]:
    """The student's own; the counselor's schools'; staff's all. Never employers."""
    reflections = Reflection.objects.select_related(
        "student__user",
        "application__opportunity",
        "placement__application__opportunity",
        "attendance__session__opportunity",
    )
    if is_student(user):
        return reflections.filter(student__user=user)
    if is_cte_staff(user):
        return reflections
    if is_counselor(user):
        return reflections.filter(student__school_id__in=_counselor_school_ids(user))
    return reflections.none()


# --- Attendance and participation -----------------------------------------------------------------


def attendance_for(*, opportunity: Opportunity) -> QuerySet[Attendance]:
    return (
        Attendance.objects.filter(session__opportunity=opportunity)
        .select_related("student__user", "student__school", "session")
        .order_by("session__starts_at", "student__user__full_name", "pk")
    )


@dataclass(frozen=True)
class RosterRow:
    """A student who may be marked present at a session: what the host sees of them (name,
    grade, school: no more, as for applicants) and whether they are recorded."""

    student_id: int
    name: str
    grade: int
    school: str
    present: bool


def attendance_roster(*, opportunity: Opportunity, session: OpportunitySession) -> list[RosterRow]:
    """Who the host may mark present at a session of a one-day event: the accepted applicants,
    and anyone already recorded at it (one query), by name."""
    accepted = Application.objects.filter(
        opportunity=opportunity, status=ApplicationStatus.ACCEPTED, student_id=OuterRef("pk")
    )
    recorded = Attendance.objects.filter(session=session, student_id=OuterRef("pk"))
    rows = (
        StudentProfile.objects.filter(Exists(accepted) | Exists(recorded))
        .annotate(present=Exists(recorded))
        .order_by("user__full_name", "pk")
        .values_list("pk", "user__full_name", "grade", "school__name", "present")
    )
    return [RosterRow(*row) for row in rows]


def attendance_sessions(
    *, kind: str = "", school_id: int | None = None, now: datetime | None = None
) -> QuerySet[OpportunitySession]:
    """Staff's district-wide attendance page: every session of a one-day event (career day,
    speaker, job shadow, site visit) that has started, latest first, with its opportunity,
    host organization and school joined, and how many students were accepted and how many
    are recorded present counted in SQL. Optionally one type of event, or the events a
    school asked for (or its students were accepted to)."""
    now = now or timezone.now()
    accepted = Application.objects.filter(
        opportunity_id=OuterRef("opportunity_id"), status=ApplicationStatus.ACCEPTED
    )
    present = Attendance.objects.filter(session_id=OuterRef("pk"))
    sessions = (
        OpportunitySession.objects.filter(
            opportunity__kind__in=ONE_DAY_KINDS,
            opportunity__status__in=HAPPENING_STATUSES,
            starts_at__lte=now,
        )
        .select_related("opportunity__organization", "opportunity__school")
        .annotate(
            accepted_count=_count(accepted, "opportunity_id"),
            present_count=_count(present, "session_id"),
        )
        .order_by("-starts_at", "-pk")
    )
    if kind:
        sessions = sessions.filter(opportunity__kind=kind)
    if school_id:
        at_school = Application.objects.filter(
            opportunity_id=OuterRef("opportunity_id"),
            status=ApplicationStatus.ACCEPTED,
            student__school_id=school_id,
        )
        sessions = sessions.filter(Q(opportunity__school_id=school_id) | Exists(at_school))
    return sessions


def school_choices() -> list[tuple[int, str]]:
    """Every school, by name, for a filter (one query)."""
    from pathways.models import School

    return list(School.objects.order_by("name", "pk").values_list("pk", "name"))


def attendance_of(*, student: StudentProfile) -> QuerySet[Attendance]:
    """The one-day events a student attended, latest first."""
    return (
        Attendance.objects.filter(student=student)
        .select_related("session__opportunity__organization")
        .order_by("-session__starts_at", "-pk")
    )


def wbl_participants(students: QuerySet[StudentProfile] | None = None) -> QuerySet[StudentProfile]:
    """Students who took part in work-based learning (Perkins V 5S3): attended a one-day
    event, or had a placement with approved hours. In SQL, for any number of students."""
    students = StudentProfile.objects.all() if students is None else students
    attended = Attendance.objects.filter(
        student_id=OuterRef("pk"), session__opportunity__kind__in=ONE_DAY_KINDS
    )
    worked = HoursLog.objects.filter(
        placement__application__student_id=OuterRef("pk"), status=HoursStatus.APPROVED
    )
    return students.filter(Exists(attended) | Exists(worked))


# --- School requests ------------------------------------------------------------------------------


def _requests() -> QuerySet[SchoolRequest]:
    return (
        SchoolRequest.objects.select_related(
            "school", "pathway__sector", "requested_by", "opportunity"
        )
        .annotate(
            volunteer_count=_count(
                Volunteer.objects.filter(request_id=OuterRef("pk")), "request_id"
            )
        )
        .order_by("earliest_date", "pk")
    )


def school_requests_visible_to(user: Any) -> QuerySet[SchoolRequest]:
    """Staff: all. Counselors: their schools'. Employers: the open requests their
    organization's offers match, and those it volunteered for."""
    requests = _requests()
    if is_cte_staff(user):
        return requests
    if is_counselor(user):
        return requests.filter(school_id__in=_counselor_school_ids(user))
    org_id = _host_org_id(user)
    if org_id is None:
        return requests.none()
    from partners.models import Offer

    from .enums import OFFER_FOR_KIND

    offers = Offer.objects.filter(
        organization_id=org_id,
        organization__status=OrganizationStatus.APPROVED,
        sector_id=OuterRef("pathway__sector_id"),
    )
    matching = Q()
    for request_kind in RequestKind.values:
        matching |= Q(kind=request_kind) & Exists(offers.filter(kind=OFFER_FOR_KIND[request_kind]))
    volunteered = Volunteer.objects.filter(request_id=OuterRef("pk"), organization_id=org_id)
    return requests.filter((Q(status__in=OPEN_REQUEST_STATUSES) & matching) | Exists(volunteered))


def organizations_matching(*, kind: str, sector_id: int) -> QuerySet[Organization]:
    """The partners a school request is for: approved, offering this kind of help in the
    pathway's sector (the fan-out's rule, the volunteers' and staff's matching page's)."""
    from partners.models import Offer

    from .enums import OFFER_FOR_KIND

    offers = Offer.objects.filter(kind=OFFER_FOR_KIND[kind], sector_id=sector_id)
    return Organization.objects.filter(
        status=OrganizationStatus.APPROVED, pk__in=offers.values("organization_id")
    )


def request_matching_partners(*, request: SchoolRequest) -> QuerySet[Organization]:
    """Staff's matching page: every partner the request matches, by name, each with its
    active contacts counted, whether any of them was told of the request (the fan-out when
    it was made, or staff's invitation), whether staff invited it, and its volunteer's status
    (empty if it did not volunteer). One query however many partners match."""
    from django.contrib.contenttypes.models import ContentType

    from cte_portal.notifications.models import Notification
    from partners.enums import ContactStatus
    from partners.models import Contact

    from .notifications import REQUEST_INVITED, SCHOOL_REQUEST

    told = Notification.objects.filter(
        kind__in=[SCHOOL_REQUEST.key, REQUEST_INVITED.key],
        content_type=ContentType.objects.get_for_model(SchoolRequest),
        object_id=str(request.pk),
        user__partner_contact__organization_id=OuterRef("pk"),
    )
    volunteer = Volunteer.objects.filter(request_id=request.pk, organization_id=OuterRef("pk"))
    contacts = Contact.objects.filter(
        organization_id=OuterRef("pk"), status=ContactStatus.ACTIVE, user__is_active=True
    )
    return (
        organizations_matching(kind=request.kind, sector_id=request.pathway.sector_id)
        .annotate(
            active_contacts=_count(contacts, "organization_id"),
            notified=Exists(told),
            invited=Exists(told.filter(kind=REQUEST_INVITED.key)),
            volunteer_status=Subquery(volunteer.values("status")[:1]),
        )
        .order_by("name", "pk")
    )


def request_form_choices(*, user: Any) -> dict[str, QuerySet]:
    """What a school request is made for: the schools the person serves (staff: all) and the
    published pathways offered at them."""
    from pathways.models import Offering, School

    schools = School.objects.order_by("name", "pk")
    if not is_cte_staff(user):
        schools = schools.filter(pk__in=_counselor_school_ids(user))
    pathways = Pathway.objects.filter(
        status=PathwayStatus.PUBLISHED,
        pk__in=Offering.objects.filter(school__in=schools).values("pathway_id"),
    ).order_by("name", "pk")
    return {"schools": schools, "pathways": pathways}


def school_requests_for_partner(*, user: Any) -> QuerySet[SchoolRequest]:
    """An employer's open requests matching their offers (the dashboard's list)."""
    return school_requests_visible_to(user).filter(status__in=OPEN_REQUEST_STATUSES)


def school_requests_open() -> QuerySet[SchoolRequest]:
    """Staff: requests still waiting for a partner or a confirmation."""
    return _requests().filter(status__in=[*OPEN_REQUEST_STATUSES, SchoolRequestStatus.CONFIRMED])


def volunteers_visible_to(user: Any) -> QuerySet[Volunteer]:
    """Who offered to answer school requests: the school's side (staff, the school's
    counselors) sees every partner's offer; a partner only its own organization's, never its
    competitors'. Others: none."""
    volunteers = Volunteer.objects.select_related("organization", "contact__user").order_by(
        "created_at", "pk"
    )
    if is_cte_staff(user):
        return volunteers
    if is_counselor(user):
        return volunteers.filter(request__school_id__in=_counselor_school_ids(user))
    org_id = _host_org_id(user)
    if org_id is not None:
        return volunteers.filter(organization_id=org_id)
    return volunteers.none()


def volunteers_for(*, request: SchoolRequest) -> QuerySet[Volunteer]:
    return request.volunteers.select_related("organization", "contact__user").order_by(
        "created_at", "pk"
    )


# --- Calendars ------------------------------------------------------------------------------------


def sessions_for_feed(*, user: Any, today: date | None = None) -> QuerySet[OpportunitySession]:
    """The sessions in a person's calendar feed, from 30 days back: a student's accepted
    applications', an employer's organization's, a counselor's schools' requested visits,
    staff's every published one. Cancelled ones stay, so calendars drop them."""
    today = today or timezone.localdate()
    since = _day_start(today - timedelta(days=30))
    sessions = OpportunitySession.objects.filter(starts_at__gte=since).select_related(
        "opportunity__organization"
    )
    happening_or_cancelled = [
        OpportunityStatus.PUBLISHED,
        OpportunityStatus.CLOSED,
        OpportunityStatus.CANCELLED,
    ]
    sessions = sessions.filter(opportunity__status__in=happening_or_cancelled)
    if is_student(user):
        accepted = Application.objects.filter(
            opportunity_id=OuterRef("opportunity_id"),
            student__user=user,
            status=ApplicationStatus.ACCEPTED,
        )
        sessions = sessions.filter(Exists(accepted))
    elif is_employer(user):
        org_id = _host_org_id(user)
        sessions = (
            sessions.filter(opportunity__organization_id=org_id) if org_id else sessions.none()
        )
    elif is_counselor(user):
        sessions = sessions.filter(opportunity__school_id__in=_counselor_school_ids(user))
    elif not is_cte_staff(user):
        sessions = sessions.none()
    return sessions.order_by("starts_at", "pk")


def feed_owner(*, token: str) -> Any:
    """The person a calendar-feed link belongs to (``tokens.TokenInvalid`` if tampered with,
    or if the account is gone or inactive; ``tokens.TokenRevoked`` if the person reset their
    link since): calendar apps cannot sign in."""
    from cte_portal.users.models import User

    from . import tokens

    claim = tokens.read_feed_token(token)
    user = User.objects.filter(pk=claim.pk, is_active=True).select_related("calendar_feed").first()
    if user is None:
        raise tokens.TokenInvalid
    if claim.check != feed_key(user):
        raise tokens.TokenRevoked
    return user


def feed_key(user: Any) -> str:
    """The check a person's current feed link carries (``tokens.feed_token``)."""
    from . import tokens
    from .models import CalendarFeed

    try:
        return str(user.calendar_feed.key)
    except CalendarFeed.DoesNotExist:
        return tokens.FIRST_FEED_KEY
