"""The workbased app's fixed vocabularies. Importable from anywhere (no model imports here)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.enums import OfferKind


class OpportunityKind(models.TextChoices):
    """The kinds of work-based learning a partner hosts (seed 004's list)."""

    CAREER_DAY = "career_day", _("Career day")
    SPEAKER = "speaker", _("Guest speaker")
    JOB_SHADOW = "job_shadow", _("Job shadow")
    INTERNSHIP = "internship", _("Internship")
    MENTORING = "mentoring", _("Mentoring")
    SITE_VISIT = "site_visit", _("Site visit")
    COMPETITION = "competition", _("Competition")
    SCHOLARSHIP = "scholarship", _("Scholarship")
    TEACHER_EXTERNSHIP = "teacher_externship", _("Teacher externship")


# One-day events: who attended is recorded, and counts as work-based learning participation.
ONE_DAY_KINDS = (
    OpportunityKind.CAREER_DAY,
    OpportunityKind.SPEAKER,
    OpportunityKind.JOB_SHADOW,
    OpportunityKind.SITE_VISIT,
)
# An accepted application of these kinds becomes a placement (supervisor, hours, evaluation).
PLACEMENT_KINDS = (OpportunityKind.INTERNSHIP, OpportunityKind.MENTORING)

# What a partner must offer (partners.Offer.kind) to hear about an opportunity of a kind.
OFFER_FOR_KIND: dict[str, str] = {
    OpportunityKind.CAREER_DAY: OfferKind.CAREER_DAY,
    OpportunityKind.SPEAKER: OfferKind.SPEAKER,
    OpportunityKind.JOB_SHADOW: OfferKind.JOB_SHADOW,
    OpportunityKind.INTERNSHIP: OfferKind.INTERNSHIP,
    OpportunityKind.MENTORING: OfferKind.MENTORING,
    OpportunityKind.SITE_VISIT: OfferKind.SITE_VISIT,
    OpportunityKind.COMPETITION: OfferKind.COMPETITION,
    OpportunityKind.SCHOLARSHIP: OfferKind.SCHOLARSHIP,
    OpportunityKind.TEACHER_EXTERNSHIP: OfferKind.TEACHER_TRAINING,
}


class OpportunityStatus(models.TextChoices):
    """An opportunity's life (see ``services.opportunities``).

    draft --submit--> submitted --publish (staff)--> published --close--> closed
                          |                              |
                          +--return (reason)--> returned +--cancel--> cancelled
    A returned opportunity is edited and submitted again. Only published ones are shown to
    students and take applications.
    """

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for CTE office approval")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned for changes")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# The host may still change these; the others are decided or over.
EDITABLE_STATUSES = (OpportunityStatus.DRAFT, OpportunityStatus.RETURNED)
# Sessions of these still happen (reminders, calendars, attendance).
HAPPENING_STATUSES = (OpportunityStatus.PUBLISHED, OpportunityStatus.CLOSED)


class ApplicationStatus(models.TextChoices):
    """A student's application (see ``services.applications``).

    submitted --accept--> accepted (a seat; full: wait-listed in submission order)
        |  \\--waitlist--> waitlisted --accept (a seat is free)--> accepted
        +--decline (reason)----+--> declined
    The student withdraws at any point before the end; a freed seat goes to the first on the
    wait list.
    """

    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    WAITLISTED = "waitlisted", _("Wait-listed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


PENDING_APPLICATION_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED)
ACTIVE_APPLICATION_STATUSES = (*PENDING_APPLICATION_STATUSES, ApplicationStatus.ACCEPTED)


class ConsentState(models.TextChoices):
    """A guardian's consent, as an application carries it."""

    NOT_NEEDED = "not_needed", _("Not needed")
    PENDING = "pending", _("Waiting for the guardian")
    GIVEN = "given", _("Given")
    REFUSED = "refused", _("Refused")


class GuardianAnswer(models.TextChoices):
    PENDING = "pending", _("Not answered yet")
    CONSENTED = "consented", _("Consented")
    REFUSED = "refused", _("Refused")


class PlacementStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class HoursStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the supervisor")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ReviewedVia(models.TextChoices):
    PORTAL = "portal", _("In the portal")
    LINK = "link", _("From the e-mailed link")


class Rating(models.IntegerChoices):
    """Employability skills, as supervisors rate them."""

    BEGINNING = 1, _("1: Beginning")
    DEVELOPING = 2, _("2: Developing")
    PROFICIENT = 3, _("3: Proficient")
    EXEMPLARY = 4, _("4: Exemplary")


# The skills an evaluation rates (field name, label), in the order the form shows them.
EVALUATION_SKILLS = (
    ("communication", _("Communication")),
    ("teamwork", _("Teamwork")),
    ("problem_solving", _("Problem solving")),
    ("professionalism", _("Professionalism")),
    ("technical_skill", _("Technical skill")),
)


class RequestKind(models.TextChoices):
    """What a school may ask partners for (each is also an opportunity kind)."""

    SPEAKER = "speaker", _("Guest speaker")
    CAREER_DAY = "career_day", _("Career-day guest")
    JOB_SHADOW = "job_shadow", _("Job shadow host")
    SITE_VISIT = "site_visit", _("Site visit")


class SchoolRequestStatus(models.TextChoices):
    """open (partners told) --a partner volunteers--> matched --confirm one--> confirmed
    --create the opportunity--> opportunity_created; cancelled at any point before."""

    OPEN = "open", _("Open: waiting for partners")
    MATCHED = "matched", _("Partners volunteered")
    CONFIRMED = "confirmed", _("Partner confirmed")
    OPPORTUNITY_CREATED = "opportunity_created", _("Opportunity created")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_REQUEST_STATUSES = (SchoolRequestStatus.OPEN, SchoolRequestStatus.MATCHED)


class VolunteerStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    CHOSEN = "chosen", _("Chosen")
    NOT_CHOSEN = "not_chosen", _("Not chosen")
    WITHDRAWN = "withdrawn", _("Withdrawn")
