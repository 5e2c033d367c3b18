"""Work-based learning: opportunities and their sessions, applications with the guardian's
consent, placements with their hours and evaluation, reflections, attendance at one-day
events, and schools' requests for partners.

What the database keeps by itself: seats are never negative and never overfilled
(``seats_filled`` is kept under the opportunity's row lock by ``services.applications``, and
a check constraint refuses one more than ``seats``); one application per student per
opportunity; a wait-listed application always has its position and a declined one its reason;
sessions and hours end after they start; hours are positive; ratings are 1 to 4; one
evaluation per placement; a returned opportunity always says why.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
    VolunteerStatus,
)


def _rating(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 4}),
        name=f"evaluation_{name}_1_to_4",
        violation_error_message=_("Ratings go from 1 to 4."),
    )


class Opportunity(models.Model):
    """A career day, speaker, job shadow, internship... hosted by a partner organization."""

    organization = models.ForeignKey(
        "partners.Organization",
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("organization"),
    )
    host = models.ForeignKey(
        "partners.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_opportunities",
        verbose_name=_("host contact"),
    )
    kind = models.CharField(_("type"), max_length=24, choices=OpportunityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    sectors = models.ManyToManyField(
        "pathways.Sector", blank=True, related_name="opportunities", verbose_name=_("sectors")
    )
    pathways = models.ManyToManyField(
        "pathways.Pathway",
        blank=True,
        related_name="opportunities",
        verbose_name=_("pathways"),
        help_text=_("If any are chosen, only students in these pathways may apply."),
    )
    school = models.ForeignKey(
        "pathways.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opportunities",
        verbose_name=_("only for students of"),
        help_text=_("An event a school asked for: only its students may apply."),
    )
    is_virtual = models.BooleanField(_("virtual"), default=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    meeting_url = models.URLField(
        _("meeting link"), max_length=500, blank=True, help_text=_("For virtual opportunities.")
    )
    seats = models.PositiveIntegerField(_("seats"))
    seats_filled = models.PositiveIntegerField(_("seats filled"), default=0, db_default=0)
    min_grade = models.PositiveSmallIntegerField(_("minimum grade"), null=True, blank=True)
    min_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, help_text=_("On the day of the first session.")
    )
    is_paid = models.BooleanField(_("paid"), default=False)
    hours_per_week = models.DecimalField(
        _("hours per week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    needs_guardian_consent = models.BooleanField(_("needs a guardian's consent"), default=False)
    needs_background_check = models.BooleanField(
        _("adults with students need a background check"), default=False
    )
    apply_by = models.DateField(_("application deadline"), null=True, blank=True)

    status = models.CharField(
        _("status"),
        max_length=12,
        choices=OpportunityStatus.choices,
        default=OpportunityStatus.DRAFT,
    )
    return_reason = models.TextField(_("why it was returned"), blank=True)
    cancel_reason = models.TextField(_("why it was cancelled"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    closed_at = models.DateTimeField(_("closed or cancelled"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "kind"], name="opportunity_status_kind"),
            models.Index(fields=["organization", "status"], name="opportunity_org_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OpportunityKind.values), name="opportunity_kind_is_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=OpportunityStatus.values),
                name="opportunity_status_is_known",
            ),
            models.CheckConstraint(
                condition=Q(seats__gte=0), name="opportunity_seats_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(seats_filled__gte=0) & Q(seats_filled__lte=F("seats")),
                name="opportunity_seats_filled_within_seats",
                violation_error_message=_("An opportunity cannot fill more seats than it has."),
            ),
            models.CheckConstraint(
                condition=Q(min_grade__isnull=True) | Q(min_grade__gte=6, min_grade__lte=12),
                name="opportunity_min_grade_6_to_12",
                violation_error_message=_("The minimum grade goes from 6 to 12."),
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(min_age__gte=10, min_age__lte=21),
                name="opportunity_min_age_10_to_21",
                violation_error_message=_("The minimum age goes from 10 to 21."),
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True)
                | Q(hours_per_week__gt=0, hours_per_week__lte=60),
                name="opportunity_hours_per_week_0_to_60",
                violation_error_message=_("Hours per week must be more than 0 and at most 60."),
            ),
            models.CheckConstraint(
                condition=~Q(status=OpportunityStatus.RETURNED) | ~Q(return_reason=""),
                name="opportunity_returned_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from . import links

        return links.opportunity(self.pk)

    @property
    def is_published(self) -> bool:
        return self.status == OpportunityStatus.PUBLISHED

    @property
    def seats_left(self) -> int:
        return max(self.seats - self.seats_filled, 0)


class OpportunitySession(models.Model):
    """One meeting of an opportunity: a career day has one, an internship many (or one long
    one from its first to its last day)."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Set when the two-days-ahead reminder was written, so the daily task never repeats it.
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at"], name="session_starts")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity}: {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class Application(models.Model):
    """A student's application to an opportunity."""

    student = models.ForeignKey(
        "students.StudentProfile",
        on_delete=models.CASCADE,
        related_name="wbl_applications",
        verbose_name=_("student"),
    )
    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("opportunity"),
    )
    statement = models.TextField(_("why I am applying"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    waitlist_position = models.PositiveIntegerField(_("wait-list position"), null=True, blank=True)
    decline_reason = models.TextField(_("reason"), blank=True)
    guardian_consent = models.CharField(
        _("guardian's consent"),
        max_length=12,
        choices=ConsentState.choices,
        default=ConsentState.NOT_NEEDED,
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["submitted_at", "pk"]
        indexes = [
            models.Index(fields=["opportunity", "status"], name="application_opportunity"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "opportunity"],
                name="application_once_per_student",
                violation_error_message=_("You have already applied to this opportunity."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values),
                name="application_status_is_known",
            ),
            models.CheckConstraint(
                condition=Q(guardian_consent__in=ConsentState.values),
                name="application_consent_is_known",
            ),
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.DECLINED) | ~Q(decline_reason=""),
                name="application_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status=ApplicationStatus.WAITLISTED, waitlist_position__isnull=False)
                | (~Q(status=ApplicationStatus.WAITLISTED) & Q(waitlist_position__isnull=True)),
                name="application_waitlist_position_iff_waitlisted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} → {self.opportunity} ({self.get_status_display()})"


class GuardianConsent(models.Model):
    """A guardian's answer to "may my child take part?", given through a signed link sent to
    their e-mail (no account). The answer, its time and the address it came from are kept;
    ``details`` is what the guardian was shown, as it was when they were asked."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="consent"
    )
    guardian_name = models.CharField(_("guardian's name"), max_length=200, blank=True)
    guardian_email = models.EmailField(_("guardian's e-mail"))
    language = models.CharField(_("language"), max_length=8, default="en")
    answer = models.CharField(
        _("answer"), max_length=12, choices=GuardianAnswer.choices, default=GuardianAnswer.PENDING
    )
    # Part of every link; a new request (resend) changes it, so older links stop working.
    nonce = models.UUIDField(default=uuid.uuid4, editable=False)
    details = models.JSONField(_("what the guardian was shown"), default=dict, blank=True)
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)
    times_requested = models.PositiveSmallIntegerField(default=1)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_ip = models.GenericIPAddressField(_("answered from"), null=True, blank=True)
    answered_user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("guardian's consent")
        verbose_name_plural = _("guardians' consents")
        constraints = [
            models.CheckConstraint(
                condition=Q(answer__in=GuardianAnswer.values), name="consent_answer_is_known"
            ),
            models.CheckConstraint(
                condition=Q(answer=GuardianAnswer.PENDING, answered_at__isnull=True)
                | (~Q(answer=GuardianAnswer.PENDING) & Q(answered_at__isnull=False)),
                name="consent_answered_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guardian_email}: {self.get_answer_display()}"


class Placement(models.Model):
    """An accepted internship or mentorship: who supervises it, when, and the hours aimed at."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="placement"
    )
    supervisor = models.ForeignKey(
        "partners.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_placements",
        verbose_name=_("supervisor"),
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    target_hours = models.DecimalField(
        _("target hours"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PlacementStatus.choices,
        default=PlacementStatus.ACTIVE,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="placement_ends_after_start",
                violation_error_message=_("A placement must end on or after its first day."),
            ),
            models.CheckConstraint(
                condition=Q(target_hours__isnull=True) | Q(target_hours__gt=0),
                name="placement_target_hours_positive",
                violation_error_message=_("Target hours must be more than 0."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=PlacementStatus.values), name="placement_status_is_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.student} at {self.application.opportunity}"


class HoursLog(models.Model):
    """Hours a student worked on a placement, for the supervisor to approve."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="hours")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("started"))
    end_time = models.TimeField(_("ended"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    activities = models.TextField(_("what I did"))
    status = models.CharField(
        _("status"), max_length=12, choices=HoursStatus.choices, default=HoursStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_via = models.CharField(
        _("reviewed"), max_length=8, choices=ReviewedVia.choices, blank=True
    )
    review_note = models.TextField(_("supervisor's note"), blank=True)
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)

    class Meta:
        verbose_name = _("hours log")
        verbose_name_plural = _("hours logs")
        ordering = ["-date", "-start_time", "-pk"]
        indexes = [
            models.Index(fields=["placement", "status"], name="hours_placement_status"),
            models.Index(fields=["status", "date"], name="hours_status_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=24),
                name="hours_positive",
                violation_error_message=_("Hours must be more than 0."),
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="hours_end_after_start",
                violation_error_message=_("The end time must be after the start time."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=HoursStatus.values), name="hours_status_is_known"
            ),
            models.CheckConstraint(
                condition=Q(status=HoursStatus.PENDING, reviewed_at__isnull=True)
                | (~Q(status=HoursStatus.PENDING) & Q(reviewed_at__isnull=False)),
                name="hours_reviewed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement}: {self.date} {self.hours} h"


class Attendance(models.Model):
    """A student attended a session of a one-day event: work-based learning participation."""

    session = models.ForeignKey(
        OpportunitySession, on_delete=models.CASCADE, related_name="attendance"
    )
    student = models.ForeignKey(
        "students.StudentProfile", on_delete=models.CASCADE, related_name="wbl_attendance"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "student"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.student} at {self.session}"


class Reflection(models.Model):
    """After an experience the student writes what they did and learned; their counselor
    reads it (a common requirement for work-based learning credit). About exactly one thing:
    an application, a placement or an attendance."""

    student = models.ForeignKey(
        "students.StudentProfile", on_delete=models.CASCADE, related_name="wbl_reflections"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="reflections"
    )
    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, null=True, blank=True, related_name="reflections"
    )
    attendance = models.ForeignKey(
        Attendance, on_delete=models.CASCADE, null=True, blank=True, related_name="reflections"
    )
    what_i_did = models.TextField(_("what I did"))
    what_i_learned = models.TextField(_("what I learned"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    application__isnull=False, placement__isnull=True, attendance__isnull=True
                )
                | Q(application__isnull=True, placement__isnull=False, attendance__isnull=True)
                | Q(application__isnull=True, placement__isnull=True, attendance__isnull=False),
                name="reflection_about_one_thing",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(application__isnull=False),
                name="reflection_once_per_application",
            ),
            models.UniqueConstraint(
                fields=["placement"],
                condition=Q(placement__isnull=False),
                name="reflection_once_per_placement",
            ),
            models.UniqueConstraint(
                fields=["attendance"],
                condition=Q(attendance__isnull=False),
                name="reflection_once_per_attendance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} ({self.created_at:%Y-%m-%d})"


class Evaluation(models.Model):
    """The supervisor's rating of a student's employability skills at the end of a placement."""

    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="evaluation")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    communication = models.PositiveSmallIntegerField(_("communication"))
    teamwork = models.PositiveSmallIntegerField(_("teamwork"))
    problem_solving = models.PositiveSmallIntegerField(_("problem solving"))
    professionalism = models.PositiveSmallIntegerField(_("professionalism"))
    technical_skill = models.PositiveSmallIntegerField(_("technical skill"))
    comments = models.TextField(_("comments"), blank=True)
    created_at = models.DateTimeField(_("evaluated"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-created_at"]
        constraints = [
            _rating("communication"),
            _rating("teamwork"),
            _rating("problem_solving"),
            _rating("professionalism"),
            _rating("technical_skill"),
        ]

    def __str__(self) -> str:
        return f"{self.placement}: evaluation"


class SchoolRequest(models.Model):
    """A school asks partners for a speaker, a career-day guest, a job-shadow host or a site
    visit for a pathway class. Matching partners are told; one of those who volunteer is
    confirmed, and the request becomes an opportunity for that school's students."""

    school = models.ForeignKey(
        "pathways.School",
        on_delete=models.PROTECT,
        related_name="wbl_requests",
        verbose_name=_("school"),
    )
    pathway = models.ForeignKey(
        "pathways.Pathway",
        on_delete=models.PROTECT,
        related_name="wbl_requests",
        verbose_name=_("pathway"),
    )
    kind = models.CharField(_("asking for"), max_length=16, choices=RequestKind.choices)
    topic = models.CharField(_("topic"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    earliest_date = models.DateField(_("from"))
    latest_date = models.DateField(_("until"))
    audience_size = models.PositiveIntegerField(_("number of students"))
    grade = models.PositiveSmallIntegerField(_("grade"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="wbl_requests",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SchoolRequestStatus.choices,
        default=SchoolRequestStatus.OPEN,
    )
    partners_notified = models.PositiveIntegerField(_("partners told"), default=0)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    opportunity = models.OneToOneField(
        Opportunity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="school_request",
        verbose_name=_("opportunity"),
    )
    cancel_reason = models.TextField(_("why it was cancelled"), blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)

    class Meta:
        verbose_name = _("school request")
        verbose_name_plural = _("school requests")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "kind"], name="school_request_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RequestKind.values), name="school_request_kind_is_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SchoolRequestStatus.values),
                name="school_request_status_is_known",
            ),
            models.CheckConstraint(
                condition=Q(latest_date__gte=F("earliest_date")),
                name="school_request_dates_in_order",
                violation_error_message=_("The last date must not be before the first."),
            ),
            models.CheckConstraint(
                condition=Q(audience_size__gte=1), name="school_request_audience_positive"
            ),
            models.CheckConstraint(
                condition=Q(grade__gte=6, grade__lte=12), name="school_request_grade_6_to_12"
            ),
            models.CheckConstraint(
                condition=~Q(status=SchoolRequestStatus.OPPORTUNITY_CREATED)
                | Q(opportunity__isnull=False),
                name="school_request_created_has_opportunity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school}: {self.get_kind_display()} — {self.topic}"


class Volunteer(models.Model):
    """A partner organization's offer to answer a school request."""

    request = models.ForeignKey(SchoolRequest, on_delete=models.CASCADE, related_name="volunteers")
    organization = models.ForeignKey(
        "partners.Organization", on_delete=models.CASCADE, related_name="wbl_volunteering"
    )
    contact = models.ForeignKey(
        "partners.Contact",
        on_delete=models.SET_NULL,
        null=True,
        related_name="wbl_volunteering",
        verbose_name=_("offered by"),
    )
    message = models.TextField(_("message"), blank=True)
    proposed_starts_at = models.DateTimeField(_("proposed start"), null=True, blank=True)
    proposed_ends_at = models.DateTimeField(_("proposed end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=VolunteerStatus.choices, default=VolunteerStatus.OFFERED
    )
    created_at = models.DateTimeField(_("offered"), auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "organization"],
                name="volunteer_once_per_request",
                violation_error_message=_("Your organization has already offered to help."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=VolunteerStatus.values), name="volunteer_status_is_known"
            ),
            models.CheckConstraint(
                condition=Q(proposed_starts_at__isnull=True)
                | Q(proposed_ends_at__isnull=True)
                | Q(proposed_ends_at__gt=F("proposed_starts_at")),
                name="volunteer_proposal_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status=VolunteerStatus.CHOSEN),
                name="volunteer_one_chosen_per_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} for {self.request}"


class CalendarFeed(models.Model):
    """The secret in a person's calendar-feed link. Without a row, the first link (made before
    any reset) works; resetting writes a new key, and every older link stops working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    key = models.UUIDField(default=uuid.uuid4)
    reset_at = models.DateTimeField(_("reset"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user}: calendar feed"
