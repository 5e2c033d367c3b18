"""The catalogue's fixed vocabularies. Importable from anywhere (no model imports here)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# Grades a course or an entry point can name: middle school explores (6-8), high school
# enrolls (9-12).
GRADES = range(6, 13)

# Years a pathway's course sequence may span (year 1 is the entry year).
SEQUENCE_YEARS = range(1, 7)


class PathwayStatus(models.TextChoices):
    """Only published pathways are shown to the public; staff see every status."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Gender(models.TextChoices):
    """The gender a pathway is non-traditional for (Perkins V indicator 4S1), if any."""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class CourseLevel(models.TextChoices):
    """Where a course sits in a program of study, in the order a student meets them."""

    EXPLORATORY = "exploratory", _("Exploratory")
    INTRODUCTORY = "introductory", _("Introductory")
    CONCENTRATOR = "concentrator", _("Concentrator")
    CAPSTONE = "capstone", _("Capstone")


class CredentialKind(models.TextChoices):
    CERTIFICATION = "certification", _("Industry certification")
    LICENSE = "license", _("License")
    CERTIFICATE = "certificate", _("Certificate")


class CollegeCreditKind(models.TextChoices):
    DUAL = "dual", _("Dual enrollment")
    CONCURRENT = "concurrent", _("Concurrent enrollment")
    ARTICULATED = "articulated", _("Articulated credit")


class Education(models.TextChoices):
    """Typical education needed to enter an occupation (the BLS categories)."""

    NONE = "none", _("No formal educational credential")
    HIGH_SCHOOL = "high_school", _("High school diploma or equivalent")
    POSTSECONDARY_NONDEGREE = "postsecondary_nondegree", _("Postsecondary nondegree award")
    SOME_COLLEGE = "some_college", _("Some college, no degree")
    ASSOCIATE = "associate", _("Associate's degree")
    BACHELOR = "bachelor", _("Bachelor's degree")
    MASTER = "master", _("Master's degree")
    DOCTORAL = "doctoral", _("Doctoral or professional degree")


class SchoolLevel(models.TextChoices):
    MIDDLE = "middle", _("Middle school")
    HIGH = "high", _("High school")


class Schedule(models.TextChoices):
    """When an offering meets: in the school day, or in the extended-day (after-school)
    program (seed 001)."""

    DAY = "day", _("During the school day")
    EXTENDED_DAY = "extended_day", _("Extended day (after school)")
