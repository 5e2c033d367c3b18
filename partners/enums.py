"""The partners app's fixed vocabularies. Importable from anywhere (no model imports here)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    NONPROFIT = "nonprofit", _("Nonprofit")
    GOVERNMENT = "government", _("Government agency")
    COLLEGE = "college", _("College or university")
    UNION = "union", _("Trade union")
    OTHER = "other", _("Other")


class OrganizationSize(models.TextChoices):
    SMALL = "small", _("Small (fewer than 50 people)")
    MEDIUM = "medium", _("Medium (50 to 249 people)")
    LARGE = "large", _("Large (250 people or more)")


class OrganizationStatus(models.TextChoices):
    """Where a partner is in its life. Only an approved partner's contacts may sign in.

    PENDING: signed up, waiting for CTE staff (the review queue once the e-mail is confirmed).
    DECLINED: staff said no at review, with a reason; never a partner.
    APPROVED: an active partner. SUSPENDED: paused by staff. ARCHIVED: a former partner.
    """

    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    SUSPENDED = "suspended", _("Suspended")
    ARCHIVED = "archived", _("Archived")


class ContactStatus(models.TextChoices):
    """A partner contact's life: a sign-up confirms its e-mail, staff approve it (with its
    organization, or on its own when it asked to join an existing one); a colleague is invited
    and accepts."""

    UNCONFIRMED = "unconfirmed", _("E-mail not confirmed")
    PENDING = "pending", _("Waiting for CTE staff")
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Active")
    DECLINED = "declined", _("Declined")
    REMOVED = "removed", _("Removed")


class BackgroundCheck(models.TextChoices):
    """Background check of a contact who will be with students."""

    NOT_REQUIRED = "not_required", _("Not required")
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    CLEARED = "cleared", _("Cleared")
    NOT_CLEARED = "not_cleared", _("Not cleared")
    EXPIRED = "expired", _("Expired")


class OfferKind(models.TextChoices):
    """What a partner is willing to offer students and schools (seed 004's list)."""

    CAREER_DAY = "career_day", _("Career day")
    SPEAKER = "speaker", _("Speaker")
    JOB_SHADOW = "job_shadow", _("Job shadowing")
    INTERNSHIP = "internship", _("Internship")
    MENTORING = "mentoring", _("Mentoring")
    SITE_VISIT = "site_visit", _("Site visit")
    CURRICULUM_REVIEW = "curriculum_review", _("Curriculum review")
    CREDENTIAL_REVIEW = "credential_review", _("Credential review")
    TEACHER_TRAINING = "teacher_training", _("Teacher training or externship")
    COMPETITION = "competition", _("Competition judging or hosting")
    SCHOLARSHIP = "scholarship", _("Scholarship")


class AdvisoryBody(models.TextChoices):
    ADVISORY_BOARD = "advisory_board", _("Advisory board")
    INDUSTRY_COMMISSION = "industry_commission", _("Industry commission")


class InteractionKind(models.TextChoices):
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    EMAIL = "email", _("E-mail")
    EVENT = "event", _("Event")
    SITE_VISIT = "site_visit", _("Site visit")
    FOLLOW_UP = "follow_up", _("Follow-up")


class AgreementKind(models.TextChoices):
    MOU = "mou", _("Memorandum of understanding (MOU)")
    ARTICULATION = "articulation", _("Articulation agreement")
    INTERNSHIP = "internship", _("Internship agreement")


class SubscriberStatus(models.TextChoices):
    """Mailing-list double opt-in: nobody gets the list's mail before confirming."""

    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Subscribed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


# The "last interaction" filter of the staff list: months, and what each choice means.
CONTACTED_WITHIN_MONTHS = (1, 3, 6, 12)
NOT_CONTACTED_MONTHS = (3, 6, 12, 24)
