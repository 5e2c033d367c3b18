"""Students and counselors: profiles, saved pathways, enrollment in pathway offerings, course
records, credentials earned, dual-enrollment readiness, advising notes and the access log.

What the database keeps by itself: one approved enrollment and one pending request per
student (partial unique indexes, so a double click cannot make two); grades 7-12; a declined
enrollment always has its reason; a wait-listed one always has its position. Seats are kept
on ``pathways.Offering.seats_filled`` (its check constraint refuses a 26th of 25) under a row
lock taken by ``services.enrollment_approve``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pathways.models import Course, Credential, Offering, Pathway, School, Sector

from .enums import (
    EXPLORATORY_GRADES,
    STUDENT_GRADES,
    CourseRecordStatus,
    CTEStatus,
    EnrollmentStatus,
    RaceEthnicity,
    StudentGender,
    Term,
)

GRADE_VALIDATORS = [MinValueValidator(STUDENT_GRADES[0]), MaxValueValidator(STUDENT_GRADES[-1])]
EXPLORATORY_GRADE_VALIDATORS = [
    MinValueValidator(EXPLORATORY_GRADES[0]),
    MaxValueValidator(EXPLORATORY_GRADES[-1]),
]


class StudentProfile(models.Model):
    """A student's record. Demographics and special populations are for counselors, staff
    and the Perkins reports only: never the student's employers, never other students."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="student_profile",
        verbose_name=_("student"),
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="students", verbose_name=_("school")
    )
    grade = models.PositiveSmallIntegerField(_("grade"), validators=GRADE_VALIDATORS)
    cohort = models.PositiveSmallIntegerField(
        _("graduation cohort"), help_text=_("The year the student is expected to graduate.")
    )
    district_id = models.CharField(_("district student ID"), max_length=40, unique=True)
    sourced_id = models.CharField(
        _("roster ID"), max_length=100, blank=True, help_text=_("OneRoster sourcedId.")
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    guardian_name = models.CharField(_("guardian name"), max_length=200, blank=True)
    guardian_email = models.EmailField(_("guardian e-mail"), blank=True)
    gpa = models.DecimalField(
        _("GPA"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("5"))],
    )
    # Demographics and special populations (Perkins V disaggregation).
    gender = models.CharField(_("gender"), max_length=12, choices=StudentGender.choices, blank=True)
    race_ethnicity = models.CharField(
        _("race / ethnicity"), max_length=20, choices=RaceEthnicity.choices, blank=True
    )
    english_learner = models.BooleanField(_("English learner"), default=False)
    disability = models.BooleanField(_("student with a disability"), default=False)
    economically_disadvantaged = models.BooleanField(_("economically disadvantaged"), default=False)
    foster_care = models.BooleanField(_("in foster care"), default=False)
    homeless = models.BooleanField(_("experiencing homelessness"), default=False)
    military_connected = models.BooleanField(_("military-connected"), default=False)
    single_parent = models.BooleanField(_("single parent"), default=False)
    out_of_workforce = models.BooleanField(_("out of the workforce"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    saved_pathways = models.ManyToManyField(
        Pathway, through="SavedPathway", blank=True, related_name="+", verbose_name=_("saved")
    )

    class Meta:
        verbose_name = _("student profile")
        verbose_name_plural = _("student profiles")
        ordering = ["user__full_name", "pk"]
        indexes = [models.Index(fields=["school", "grade"], name="student_school_grade")]
        constraints = [
            models.CheckConstraint(
                condition=Q(grade__gte=STUDENT_GRADES[0], grade__lte=STUDENT_GRADES[-1]),
                name="student_grade_7_to_12",
            ),
            # One record per roster ID: the roster import matches students on it.
            models.UniqueConstraint(
                fields=["sourced_id"], condition=~Q(sourced_id=""), name="student_sourced_id_once"
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def cte_status_label(self) -> str:
        """The words for the ``cte_status`` annotation (see ``selectors.with_status``)."""
        status = getattr(self, "cte_status", None)
        return str(CTEStatus(status).label) if status else ""


class CounselorProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="counselor_profile",
        verbose_name=_("counselor"),
    )
    schools = models.ManyToManyField(
        School, blank=True, related_name="counselors", verbose_name=_("schools served")
    )
    sourced_id = models.CharField(_("roster ID"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("counselor profile")
        verbose_name_plural = _("counselor profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["sourced_id"],
                condition=~Q(sourced_id=""),
                name="counselor_sourced_id_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)


class SavedPathway(models.Model):
    student = models.ForeignKey(StudentProfile, on_delete=models.CASCADE, related_name="saves")
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="saves")
    saved_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved pathway")
        verbose_name_plural = _("saved pathways")
        ordering = ["-saved_at"]
        constraints = [
            models.UniqueConstraint(fields=["student", "pathway"], name="saved_pathway_once")
        ]

    def __str__(self) -> str:
        return f"{self.student}: {self.pathway}"


class Enrollment(models.Model):
    """A student's place (or request for one) in a pathway offering."""

    student = models.ForeignKey(
        StudentProfile,
        on_delete=models.CASCADE,
        related_name="enrollments",
        verbose_name=_("student"),
    )
    offering = models.ForeignKey(
        Offering, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("offering")
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.REQUESTED,
    )
    waitlist_position = models.PositiveIntegerField(_("wait-list position"), null=True, blank=True)
    decline_reason = models.TextField(_("reason"), blank=True)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("change from"),
        help_text=_("A change of pathway: the enrollment this one replaces once approved."),
    )
    note = models.TextField(_("note from the student"), blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    ended_at = models.DateTimeField(_("withdrawn or completed"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn or completed by"),
        help_text=_("The student, counselor or staff member who withdrew or completed it."),
    )

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["requested_at", "pk"]
        indexes = [
            models.Index(fields=["offering", "status"], name="enrollment_offering_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EnrollmentStatus.values), name="enrollment_status_known"
            ),
            models.UniqueConstraint(
                fields=["student"],
                condition=Q(status=EnrollmentStatus.APPROVED),
                name="enrollment_one_approved_per_student",
                violation_error_message=_("A student follows one pathway at a time."),
            ),
            models.UniqueConstraint(
                fields=["student"],
                condition=Q(status__in=[EnrollmentStatus.REQUESTED, EnrollmentStatus.WAITLISTED]),
                name="enrollment_one_pending_per_student",
                violation_error_message=_("A student has one request waiting at a time."),
            ),
            models.CheckConstraint(
                condition=~Q(status=EnrollmentStatus.DECLINED) | ~Q(decline_reason=""),
                name="enrollment_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status=EnrollmentStatus.WAITLISTED, waitlist_position__isnull=False)
                | (~Q(status=EnrollmentStatus.WAITLISTED) & Q(waitlist_position__isnull=True)),
                name="enrollment_waitlist_position_iff_waitlisted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} — {self.offering} ({self.get_status_display()})"


class CourseRecord(models.Model):
    """A course a student took or is taking: the facts participant/concentrator/completer
    status is computed from."""

    student = models.ForeignKey(
        StudentProfile, on_delete=models.CASCADE, related_name="course_records"
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="records", verbose_name=_("course")
    )
    school_year = models.PositiveSmallIntegerField(_("school year"))
    term = models.CharField(_("term"), max_length=12, choices=Term.choices, default=Term.FULL_YEAR)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CourseRecordStatus.choices,
        default=CourseRecordStatus.IN_PROGRESS,
    )
    mark = models.CharField(_("grade earned"), max_length=8, blank=True)
    credits_earned = models.DecimalField(
        _("credits earned"), max_digits=4, decimal_places=2, default=Decimal("0")
    )
    college_credits_earned = models.DecimalField(
        _("college credits earned"), max_digits=4, decimal_places=1, default=Decimal("0")
    )
    sourced_id = models.CharField(_("roster ID"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The counselor or staff member who recorded it (empty: the roster)."),
    )

    class Meta:
        verbose_name = _("course record")
        verbose_name_plural = _("course records")
        ordering = ["school_year", "course__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "course", "school_year", "term"], name="course_record_once"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CourseRecordStatus.values), name="course_record_status"
            ),
            models.CheckConstraint(
                condition=Q(credits_earned__gte=0, college_credits_earned__gte=0),
                name="course_record_credits_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student}: {self.course} ({self.school_year})"


class CredentialAward(models.Model):
    student = models.ForeignKey(
        StudentProfile, on_delete=models.CASCADE, related_name="credential_awards"
    )
    credential = models.ForeignKey(
        Credential, on_delete=models.PROTECT, related_name="awards", verbose_name=_("credential")
    )
    awarded_on = models.DateField(_("date earned"))
    evidence = models.CharField(
        _("evidence"), max_length=300, blank=True, help_text=_("Certificate number or link.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("credential earned")
        verbose_name_plural = _("credentials earned")
        ordering = ["-awarded_on"]
        constraints = [
            models.UniqueConstraint(fields=["student", "credential"], name="credential_award_once")
        ]

    def __str__(self) -> str:
        return f"{self.student}: {self.credential}"


class ExploratoryWorkshop(models.Model):
    """A career-exploration workshop a middle-schooler (grades 7-8) attended: a taste of a
    sector or a pathway before choosing one in high school (seed 001). Recorded by a
    counselor (``services.exploratory_workshop_record``) or by CTE staff in the back office."""

    student = models.ForeignKey(
        StudentProfile,
        on_delete=models.CASCADE,
        related_name="exploratory_workshops",
        verbose_name=_("student"),
    )
    title = models.CharField(_("workshop"), max_length=200)
    sector = models.ForeignKey(
        Sector,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("career cluster explored"),
    )
    pathway = models.ForeignKey(
        Pathway,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pathway explored"),
    )
    attended_on = models.DateField(_("date attended"))
    grade = models.PositiveSmallIntegerField(
        _("grade at the time"), validators=EXPLORATORY_GRADE_VALIDATORS
    )
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("40"))],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("exploratory workshop")
        verbose_name_plural = _("exploratory workshops")
        ordering = ["-attended_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(grade__gte=EXPLORATORY_GRADES[0], grade__lte=EXPLORATORY_GRADES[-1]),
                name="workshop_grade_7_to_8",
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=40), name="workshop_hours_0_to_40"
            ),
            models.UniqueConstraint(
                fields=["student", "title", "attended_on"], name="workshop_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student}: {self.title} ({self.attended_on})"


class ReadinessMeasure(models.Model):
    """Another sign a student is ready for college courses (seed 003), recorded by a
    counselor: a placement test, a teacher's recommendation, a portfolio..."""

    student = models.ForeignKey(
        StudentProfile, on_delete=models.CASCADE, related_name="readiness_measures"
    )
    measure = models.CharField(_("measure"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("readiness measure")
        verbose_name_plural = _("readiness measures")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.student}: {self.measure}"


class AdvisingNote(models.Model):
    """A counselor's note. Counselors and staff only: never the student, never an employer."""

    student = models.ForeignKey(
        StudentProfile, on_delete=models.CASCADE, related_name="advising_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("advising note")
        verbose_name_plural = _("advising notes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.student} ({self.created_at:%Y-%m-%d})"


class AccessLog(models.Model):
    """Who opened which student's record, when (FERPA accountability). Append-only."""

    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(StudentProfile, on_delete=models.CASCADE, related_name="+")
    what = models.CharField(_("what"), max_length=200)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.viewer} opened {self.student} ({self.what})"


# The roster import's tables (students/roster/models.py) belong to this app.
from .roster.models import ImportRun, RosterStamp  # noqa: E402, F401
