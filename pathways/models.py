"""The catalogue's data and the rules the database itself keeps.

Sector (career cluster) → Pathway → its course sequence (PathwayCourse → Course, with the
Course's CollegeCredit), the Credentials and Occupations a pathway leads to, and the
Offerings of a pathway at a School for a school year.

Full-text search indexes (GIN on the weighted ``SearchVector`` in English and Spanish, and a
trigram index on the name) are created by migration 0002 on PostgreSQL only, so that the
SQLite database of ``make run`` migrates too; see ``pathways.selectors.search_vector``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import (
    GRADES,
    SEQUENCE_YEARS,
    CollegeCreditKind,
    CourseLevel,
    CredentialKind,
    Education,
    Gender,
    PathwayStatus,
    Schedule,
    SchoolLevel,
)

EN_DASH = "\u2013"

# Words under /pathways/ that are pages, so no pathway may take them as its slug.
RESERVED_PATHWAY_SLUGS = ("compare",)

course_code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9.\-]*$",
    _("Use letters, digits, dots and hyphens only (for example 10152A)."),
)
soc_code_validator = RegexValidator(
    r"^\d{2}-\d{4}(\.\d{2})?$", _("Use the SOC format 15-1252 or the O*NET format 15-1252.00.")
)
GRADE_VALIDATORS = [MinValueValidator(GRADES[0]), MaxValueValidator(GRADES[-1])]
cip_code_validator = RegexValidator(r"^\d{2}\.\d{4}$", _("Use the CIP format 11.0201."))


def current_school_year() -> int:
    """The school year under way (or about to start), named by the year it starts in.

    A school year runs July to June: on 1 March 2026 this is 2025 (the 2025-26 year).
    """
    today = timezone.localdate()
    return today.year if today.month >= 7 else today.year - 1


def school_year_label(year: int) -> str:
    """2025 -> "2025-26", with an en dash."""
    return f"{year}{EN_DASH}{(year + 1) % 100:02d}"


def _grade_range_label(low: int, high: int) -> str:
    if low == high:
        return str(_("Grade %(grade)s") % {"grade": low})
    return str(_("Grades %(range)s") % {"range": f"{low}{EN_DASH}{high}"})


class Sector(models.Model):
    """A career cluster (or industry sector): the top of the catalogue. The word shown to
    people is the ``CATALOGUE_SECTOR_LABEL`` setting."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order in lists (smallest first).")
    )

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pathways:sector", args=[self.slug])


class School(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    code = models.CharField(
        _("school code"), max_length=20, unique=True, help_text=_("The district's code (DBN).")
    )
    level = models.CharField(_("level"), max_length=8, choices=SchoolLevel.choices)
    sourced_id = models.CharField(
        _("roster ID"), max_length=100, blank=True, help_text=_("OneRoster sourcedId.")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=SchoolLevel.values), name="school_level_is_known"
            ),
            # The roster import matches schools on it (see students.roster.schools).
            models.UniqueConstraint(
                fields=["sourced_id"], condition=~Q(sourced_id=""), name="school_sourced_id_once"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pathways:school", args=[self.slug])


class Course(models.Model):
    code = models.CharField(
        _("state course code"), max_length=20, unique=True, validators=[course_code_validator]
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    credits = models.DecimalField(
        _("credits"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    level = models.CharField(_("level"), max_length=16, choices=CourseLevel.choices)
    grade_min = models.PositiveSmallIntegerField(_("lowest grade"), validators=GRADE_VALIDATORS)
    grade_max = models.PositiveSmallIntegerField(_("highest grade"), validators=GRADE_VALIDATORS)
    requirement_met = models.CharField(
        _("requirement it satisfies"),
        max_length=200,
        blank=True,
        help_text=_("A graduation or college-entrance requirement, e.g. “Math credit”."),
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(credits__gte=0), name="course_credits_not_negative"),
            models.CheckConstraint(
                condition=Q(level__in=CourseLevel.values), name="course_level_is_known"
            ),
            models.CheckConstraint(
                condition=Q(grade_min__gte=GRADES[0], grade_max__lte=GRADES[-1])
                & Q(grade_min__lte=F("grade_max")),
                name="course_grades_in_order",
                violation_error_message=_("The lowest grade must not be above the highest."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def grades_label(self) -> str:
        return _grade_range_label(self.grade_min, self.grade_max)


class CollegeCredit(models.Model):
    """College credit a course can earn: dual or concurrent enrollment, or articulation."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="college_credits", verbose_name=_("course")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CollegeCreditKind.choices)
    college = models.CharField(_("college"), max_length=200)
    college_course = models.CharField(
        _("college course"), max_length=200, help_text=_("Code and title, e.g. “CST 1100”.")
    )
    credits = models.DecimalField(
        _("college credits"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )

    class Meta:
        verbose_name = _("college credit")
        verbose_name_plural = _("college credit")
        ordering = ["college", "college_course"]
        constraints = [
            models.CheckConstraint(condition=Q(credits__gt=0), name="college_credit_positive"),
            models.CheckConstraint(
                condition=Q(kind__in=CollegeCreditKind.values), name="college_credit_kind_is_known"
            ),
            models.UniqueConstraint(
                fields=["course", "college", "college_course"], name="college_credit_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.college}: {self.college_course}"


class Credential(models.Model):
    """An industry-recognized certification, license or certificate."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    issuer = models.CharField(_("issued by"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=CredentialKind.choices)
    how_earned = models.TextField(_("how it is earned"), blank=True)
    state_approved = models.BooleanField(
        _("on the state's approved list"), default=False, db_default=False
    )

    class Meta:
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CredentialKind.values), name="credential_kind_is_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Occupation(models.Model):
    """A career a pathway leads to, with employment prospects and where they come from."""

    soc_code = models.CharField(
        _("SOC code"), max_length=10, unique=True, validators=[soc_code_validator]
    )
    title = models.CharField(_("title"), max_length=200)
    median_annual_wage = models.PositiveIntegerField(
        _("median annual wage (USD)"), null=True, blank=True
    )
    projected_growth = models.DecimalField(
        _("projected growth over ten years (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
    )
    annual_openings = models.PositiveIntegerField(_("openings a year"), null=True, blank=True)
    typical_education = models.CharField(
        _("typical education to enter"), max_length=32, choices=Education.choices, blank=True
    )
    data_source = models.CharField(_("data source"), max_length=200)
    data_year = models.PositiveSmallIntegerField(
        _("data year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )

    class Meta:
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(typical_education__in=[*Education.values, ""]),
                name="occupation_education_is_known",
            ),
            models.CheckConstraint(
                condition=Q(data_year__gte=1990, data_year__lte=2100),
                name="occupation_data_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.soc_code})"

    @property
    def outlook(self) -> str:
        """Growth in words, against the average for all occupations (BLS's bands)."""
        growth = self.projected_growth
        if growth is None:
            return ""
        if growth >= 8:
            return str(_("Much faster than average"))
        if growth >= 5:
            return str(_("Faster than average"))
        if growth >= 3:
            return str(_("About as fast as average"))
        if growth >= Decimal("1.5"):
            return str(_("Slower than average"))
        if growth > Decimal("-1.5"):
            return str(_("Little or no change"))
        return str(_("Declining"))


class Pathway(models.Model):
    """A career pathway (program of study): a sequence of courses in a sector."""

    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="pathways", verbose_name=_("sector")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    cip_code = models.CharField(
        _("CIP code"), max_length=7, blank=True, validators=[cip_code_validator]
    )
    entry_grade_min = models.PositiveSmallIntegerField(
        _("earliest entry grade"), validators=GRADE_VALIDATORS, default=9
    )
    entry_grade_max = models.PositiveSmallIntegerField(
        _("latest entry grade"), validators=GRADE_VALIDATORS, default=10
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PathwayStatus.choices, default=PathwayStatus.DRAFT
    )
    non_traditional_for = models.CharField(
        _("non-traditional for"),
        max_length=8,
        choices=Gender.choices,
        blank=True,
        help_text=_("The gender under-represented in this field (Perkins V), if any."),
    )
    courses = models.ManyToManyField(
        Course, through="PathwayCourse", related_name="pathways", verbose_name=_("courses")
    )
    credentials = models.ManyToManyField(
        Credential, blank=True, related_name="pathways", verbose_name=_("credentials")
    )
    occupations = models.ManyToManyField(
        Occupation, blank=True, related_name="pathways", verbose_name=_("careers")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("pathway")
        verbose_name_plural = _("pathways")
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "sector"], name="pathway_status_sector")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PathwayStatus.values), name="pathway_status_is_known"
            ),
            models.CheckConstraint(
                condition=Q(non_traditional_for__in=[*Gender.values, ""]),
                name="pathway_non_traditional_is_known",
            ),
            models.CheckConstraint(
                condition=Q(entry_grade_min__gte=GRADES[0], entry_grade_max__lte=GRADES[-1])
                & Q(entry_grade_min__lte=F("entry_grade_max")),
                name="pathway_entry_grades_in_order",
                violation_error_message=_("The earliest entry grade must not be after the latest."),
            ),
            models.CheckConstraint(
                condition=~Q(slug__in=RESERVED_PATHWAY_SLUGS),
                name="pathway_slug_not_reserved",
                violation_error_message=_("This slug is reserved for a page; choose another."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pathways:detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == PathwayStatus.PUBLISHED

    @property
    def entry_grades_label(self) -> str:
        return _grade_range_label(self.entry_grade_min, self.entry_grade_max)


class PathwayCourse(models.Model):
    """One course's place in a pathway's sequence: which year, in what order."""

    pathway = models.ForeignKey(
        Pathway, on_delete=models.CASCADE, related_name="sequence", verbose_name=_("pathway")
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="placements", verbose_name=_("course")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), choices=[(y, y) for y in SEQUENCE_YEARS], help_text=_("1 is the entry year.")
    )
    position = models.PositiveSmallIntegerField(
        _("order in the year"), default=1, validators=[MinValueValidator(1)]
    )
    required = models.BooleanField(_("required"), default=True, db_default=True)

    class Meta:
        verbose_name = _("course in the sequence")
        verbose_name_plural = _("course sequence")
        ordering = ["year", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["pathway", "course"],
                name="pathway_course_once_per_sequence",
                violation_error_message=_("A course appears only once in a pathway's sequence."),
            ),
            models.UniqueConstraint(
                fields=["pathway", "year", "position"],
                name="pathway_course_one_per_slot",
                violation_error_message=_("Two courses cannot share the same year and order."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=SEQUENCE_YEARS[0], year__lte=SEQUENCE_YEARS[-1]),
                name="pathway_course_year_in_range",
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="pathway_course_position_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pathway}: {_('year')} {self.year}, {self.course}"


class Offering(models.Model):
    """A pathway at a school for a school year, during the day or in the extended day.

    ``seats_filled`` is kept by the enrollment service (students app) with a conditional
    update, and the database refuses more than ``seats``: an offering with 25 seats never
    gets a 26th, whatever arrives at once.
    """

    pathway = models.ForeignKey(
        Pathway, on_delete=models.CASCADE, related_name="offerings", verbose_name=_("pathway")
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="offerings", verbose_name=_("school")
    )
    school_year = models.PositiveSmallIntegerField(
        _("school year"), help_text=_("The year it starts in: 2025 for 2025-26.")
    )
    schedule = models.CharField(
        _("schedule"), max_length=16, choices=Schedule.choices, default=Schedule.DAY
    )
    schedule_note = models.CharField(
        _("when it meets"),
        max_length=200,
        blank=True,
        help_text=_("For example: Tuesday and Thursday, 3:30 to 5:30 pm."),
    )
    seats = models.PositiveIntegerField(_("seats"))
    seats_filled = models.PositiveIntegerField(_("seats filled"), default=0, db_default=0)
    open_for_enrollment = models.BooleanField(
        _("open for enrollment"), default=True, db_default=True
    )

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ["-school_year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pathway", "school", "school_year", "schedule"],
                name="offering_once_per_school_year_and_schedule",
            ),
            models.CheckConstraint(condition=Q(seats__gte=0), name="offering_seats_not_negative"),
            models.CheckConstraint(
                condition=Q(seats_filled__gte=0) & Q(seats_filled__lte=F("seats")),
                name="offering_never_over_capacity",
                violation_error_message=_("An offering cannot fill more seats than it has."),
            ),
            models.CheckConstraint(
                condition=Q(schedule__in=Schedule.values), name="offering_schedule_is_known"
            ),
            models.CheckConstraint(
                condition=Q(school_year__gte=2000, school_year__lte=2100),
                name="offering_school_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pathway} — {self.school} ({self.school_year_label})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """``seats_filled`` moves only by the enrollment service's conditional updates: saving
        an offering's other fields (the back office, ``services.offering_update``) never
        writes back a count read before an approval or a withdrawal changed it."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "seats_filled"
            ]
        super().save(*args, **kwargs)

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)

    @property
    def seats_left(self) -> int:
        return max(self.seats - self.seats_filled, 0)

    @property
    def is_extended_day(self) -> bool:
        return self.schedule == Schedule.EXTENDED_DAY
