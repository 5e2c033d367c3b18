"""The students app's fixed vocabularies. Importable from anywhere (no model imports here)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# Students the portal serves: middle-schoolers explore (7-8), high-schoolers enroll (9-12).
STUDENT_GRADES = range(7, 13)
# The grades whose students attend exploratory workshops (``models.ExploratoryWorkshop``).
EXPLORATORY_GRADES = range(7, 9)


class EnrollmentStatus(models.TextChoices):
    """The life of a request to join a pathway offering (see ``services.enrollment_*``)."""

    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    WAITLISTED = "waitlisted", _("Wait-listed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Completed")


# A student holds at most one of these at a time (a change request is the one exception:
# it waits beside the approved enrollment it would replace).
PENDING_STATUSES = (EnrollmentStatus.REQUESTED, EnrollmentStatus.WAITLISTED)
ACTIVE_STATUSES = (*PENDING_STATUSES, EnrollmentStatus.APPROVED)


class CourseRecordStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class Term(models.TextChoices):
    FULL_YEAR = "full_year", _("Full year")
    FALL = "fall", _("Fall")
    SPRING = "spring", _("Spring")
    SUMMER = "summer", _("Summer")


class CTEStatus(models.TextChoices):
    """Perkins V progress (PRODUCT.md): computed in SQL, never stored."""

    NONE = "none", _("Not yet a participant")
    PARTICIPANT = "participant", _("Participant")
    CONCENTRATOR = "concentrator", _("Concentrator")
    COMPLETER = "completer", _("Completer")


class StudentGender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    NONBINARY = "nonbinary", _("Non-binary")
    UNDISCLOSED = "undisclosed", _("Not disclosed")


class RaceEthnicity(models.TextChoices):
    """The federal reporting categories (as OneRoster's demographics carries them)."""

    AMERICAN_INDIAN = "american_indian", _("American Indian or Alaska Native")
    ASIAN = "asian", _("Asian")
    BLACK = "black", _("Black or African American")
    HISPANIC = "hispanic", _("Hispanic or Latino")
    PACIFIC_ISLANDER = "pacific_islander", _("Native Hawaiian or Other Pacific Islander")
    WHITE = "white", _("White")
    TWO_OR_MORE = "two_or_more", _("Two or more races")
    UNDISCLOSED = "undisclosed", _("Not disclosed")
