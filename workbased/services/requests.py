"""School requests: a school asks partners for a speaker, a career-day guest, a job-shadow
host or a site visit for a pathway class.

    open --a partner volunteers--> matched --confirm one--> confirmed
        --create the opportunity--> opportunity_created      (cancel: any step before)

Creating a request tells, through the outbox, every active contact of the approved partners
that offer that kind of help in the pathway's sector (one ``notify`` call: a fixed number of
queries however many partners match). Volunteers come only from those partners. Staff or the
school's counselors confirm one (the volunteers not chosen are told); the request then becomes
an opportunity for that school's students through the opportunity services' rules: published
at once when CTE staff create it, waiting for staff's approval when the school's counselor or
the partner does.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cte_portal.users.models import User
from cte_portal.users.permissions import is_cte_staff
from partners.enums import ContactStatus
from partners.models import Organization
from partners.selectors import contact_for_user
from pathways.enums import PathwayStatus
from pathways.models import Offering, Pathway, School

from .. import bounds, emails, permissions, selectors
from ..enums import (
    OPEN_REQUEST_STATUSES,
    OpportunityKind,
    RequestKind,
    SchoolRequestStatus,
    VolunteerStatus,
)
from ..errors import SchoolRequestError
from ..models import Opportunity, SchoolRequest, Volunteer
from .base import clean_text, one_transaction, require
from .opportunities import (
    OpportunityDetails,
    SessionSpec,
    draft_opportunity,
    opportunity_publish,
    submit_locked,
)


def matching_organizations(*, kind: str, sector_id: int) -> QuerySet[Organization]:
    """Approved partners that offer this kind of help in this sector (``selectors``' rule)."""
    return selectors.organizations_matching(kind=kind, sector_id=sector_id)


def _recipients(request: SchoolRequest) -> list[User]:
    """Every active contact of the matching partners, in one query."""
    organizations = matching_organizations(kind=request.kind, sector_id=request.pathway.sector_id)
    return list(
        User.objects.filter(
            is_active=True,
            partner_contact__status=ContactStatus.ACTIVE,
            partner_contact__organization__in=organizations.values("pk"),
        ).order_by("pk")
    )


def _locked(request: SchoolRequest) -> SchoolRequest:
    return (
        SchoolRequest.objects.select_for_update(of=("self",))
        .select_related("school", "pathway__sector", "requested_by")
        .get(pk=request.pk)
    )


@one_transaction
def school_request_create(
    *,
    by: Any,
    school: School,
    pathway: Pathway,
    kind: str,
    topic: str,
    earliest_date: date,
    latest_date: date,
    audience_size: int,
    grade: int,
    details: str = "",
) -> SchoolRequest:
    """A counselor of the school (or CTE staff) asks; the matching partners are told."""
    require(
        permissions.can_request_for_school(by, school),
        _("Only the school's counselors and CTE staff ask partners for visits."),
    )
    topic = clean_text(topic)
    if kind not in RequestKind.values:
        raise SchoolRequestError(_("Choose what the class needs."), field="kind")
    if not topic:
        raise SchoolRequestError(_("Say what the class would like to hear about."), field="topic")
    if pathway.status != PathwayStatus.PUBLISHED:
        raise SchoolRequestError(_("Choose a published pathway."), field="pathway")
    if not Offering.objects.filter(pathway=pathway, school=school).exists():
        raise SchoolRequestError(
            _("%(pathway)s is not offered at %(school)s.")
            % {"pathway": pathway.name, "school": school.name},
            field="pathway",
        )
    bounds.check_dates(SchoolRequestError, earliest_date=earliest_date, latest_date=latest_date)
    if earliest_date < timezone.localdate():
        raise SchoolRequestError(
            _("The first date must not be in the past."), field="earliest_date"
        )
    if latest_date < earliest_date:
        raise SchoolRequestError(
            _("The last date must not be before the first."), field="latest_date"
        )
    if audience_size is None or audience_size < 1:
        raise SchoolRequestError(_("Say how many students will attend."), field="audience_size")
    bounds.check_number(
        SchoolRequestError,
        audience_size,
        field="audience_size",
        low=1,
        high=bounds.MAX_AUDIENCE,
        message=_("A request is for at most %(max)s students.") % {"max": bounds.MAX_AUDIENCE},
    )
    if grade is None or not 6 <= grade <= 12:
        raise SchoolRequestError(_("The grade goes from 6 to 12."), field="grade")
    request = SchoolRequest.objects.create(
        school=school,
        pathway=pathway,
        kind=kind,
        topic=topic,
        details=clean_text(details),
        earliest_date=earliest_date,
        latest_date=latest_date,
        audience_size=audience_size,
        grade=grade,
        requested_by=by,
    )
    request.partners_notified = matching_organizations(
        kind=kind, sector_id=pathway.sector_id
    ).count()
    request.save(update_fields=["partners_notified"])
    emails.school_request_fanout(request=request, recipients=_recipients(request))
    return request


def _matches(request: SchoolRequest, organization: Organization) -> bool:
    return (
        matching_organizations(kind=request.kind, sector_id=request.pathway.sector_id)
        .filter(pk=organization.pk)
        .exists()
    )


def _within_dates(request: SchoolRequest, moment: datetime | None) -> bool:
    if moment is None:
        return True
    return request.earliest_date <= timezone.localtime(moment).date() <= request.latest_date


@one_transaction
def school_request_volunteer(
    *,
    request: SchoolRequest,
    by: Any,
    message: str = "",
    proposed_starts_at: datetime | None = None,
    proposed_ends_at: datetime | None = None,
) -> Volunteer:
    """A matching partner's contact offers to help; the school is told."""
    require(permissions.can_volunteer(by), _("Partners volunteer for school requests."))
    contact = contact_for_user(user=by)
    require(contact is not None, _("Only contacts of an approved partner can volunteer."))
    request = _locked(request)
    if request.status not in OPEN_REQUEST_STATUSES:
        raise SchoolRequestError(_("This request is no longer open."), conflict=True)
    if not _matches(request, contact.organization):
        raise SchoolRequestError(
            _("This request is for partners who offer %(kind)s in %(sector)s.")
            % {
                "kind": OpportunityKind(request.kind).label.lower(),
                "sector": request.pathway.sector.name,
            }
        )
    if Volunteer.objects.filter(request=request, organization=contact.organization).exists():
        raise SchoolRequestError(_("Your organization has already offered to help."), conflict=True)
    if proposed_starts_at and proposed_ends_at and proposed_ends_at <= proposed_starts_at:
        raise SchoolRequestError(
            _("The proposed end must be after the start."), field="proposed_ends_at"
        )
    if not (
        _within_dates(request, proposed_starts_at) and _within_dates(request, proposed_ends_at)
    ):
        raise SchoolRequestError(
            _("The school asked for a date from %(start)s to %(end)s.")
            % {"start": request.earliest_date.isoformat(), "end": request.latest_date.isoformat()},
            field="proposed_starts_at",
        )
    volunteer = Volunteer.objects.create(
        request=request,
        organization=contact.organization,
        contact=contact,
        message=clean_text(message),
        proposed_starts_at=proposed_starts_at,
        proposed_ends_at=proposed_ends_at,
    )
    if request.status == SchoolRequestStatus.OPEN:
        request.status = SchoolRequestStatus.MATCHED
        request.save(update_fields=["status"])
    volunteer.request = request
    emails.request_volunteered(volunteer=volunteer)
    return volunteer


@one_transaction
def school_request_confirm(
    *, request: SchoolRequest, volunteer: Volunteer, by: Any
) -> SchoolRequest:
    """The school (or staff) choose one volunteer; the partner is told."""
    request = _locked(request)
    require(
        permissions.can_confirm_school_request(by, request),
        _("Only the school's counselors and CTE staff confirm a partner."),
    )
    if request.status != SchoolRequestStatus.MATCHED:
        raise SchoolRequestError(
            _("Only a request with volunteers waiting can be confirmed."), conflict=True
        )
    volunteer = (
        Volunteer.objects.select_for_update(of=("self",))
        .select_related("organization", "contact__user")
        .filter(pk=volunteer.pk, request=request)
        .first()
    )
    if volunteer is None or volunteer.status != VolunteerStatus.OFFERED:
        raise SchoolRequestError(_("Choose one of the partners who volunteered."))
    others = list(
        Volunteer.objects.filter(request=request, status=VolunteerStatus.OFFERED)
        .exclude(pk=volunteer.pk)
        .select_related("contact__user")
        .order_by("pk")
    )
    Volunteer.objects.filter(pk__in=[v.pk for v in others]).update(
        status=VolunteerStatus.NOT_CHOSEN
    )
    volunteer.status = VolunteerStatus.CHOSEN
    volunteer.save(update_fields=["status"])
    request.status = SchoolRequestStatus.CONFIRMED
    request.confirmed_at = timezone.now()
    request.confirmed_by = by
    request.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    volunteer.request = request
    emails.request_confirmed(volunteer=volunteer)
    emails.request_not_chosen(request=request, volunteers=others)
    return request


def _default_address(request: SchoolRequest, organization: Organization) -> str:
    # A speaker or a career-day guest comes to the school; a class visits the partner.
    if request.kind in (RequestKind.SPEAKER, RequestKind.CAREER_DAY):
        return request.school.address
    return ", ".join(organization.address_lines)


@one_transaction
def school_request_create_opportunity(
    *,
    request: SchoolRequest,
    by: Any,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    title: str = "",
    description: str = "",
    address: str = "",
    is_virtual: bool = False,
) -> Opportunity:
    """The confirmed request becomes an opportunity for the school's students, hosted by the
    chosen partner's contact who volunteered, and linked to the request.

    It goes through the opportunity services' own rules (``draft_opportunity``,
    ``submit_locked``, ``opportunity_publish``): an approved partner, an active host, a valid
    title, seats and session, a place, and staff approval. When CTE staff create it, they
    approve it at once (published); when the school's counselor or the chosen partner
    create it, it waits in staff's review queue like any other opportunity."""
    request = _locked(request)
    volunteer = (
        request.volunteers.select_related("organization", "contact")
        .filter(status=VolunteerStatus.CHOSEN)
        .first()
    )
    chosen_contact = (
        volunteer is not None
        and getattr(contact_for_user(user=by), "organization_id", None) == volunteer.organization_id
    )
    school_side = permissions.can_confirm_school_request(by, request)
    require(school_side or chosen_contact)
    if request.status != SchoolRequestStatus.CONFIRMED or volunteer is None:
        raise SchoolRequestError(
            _("Confirm a partner before creating the opportunity."), conflict=True
        )
    starts_at = starts_at or volunteer.proposed_starts_at
    ends_at = ends_at or volunteer.proposed_ends_at
    if starts_at is None or ends_at is None:
        raise SchoolRequestError(_("Give the date and times of the visit."), field="starts_at")
    bounds.check_dates(SchoolRequestError, starts_at=starts_at, ends_at=ends_at)
    if ends_at <= starts_at:
        raise SchoolRequestError(_("The visit must end after it starts."), field="ends_at")
    if starts_at <= timezone.now():
        raise SchoolRequestError(_("The visit must be in the future."), field="starts_at")
    if not _within_dates(request, starts_at):
        raise SchoolRequestError(
            _("The school asked for a date from %(start)s to %(end)s.")
            % {"start": request.earliest_date.isoformat(), "end": request.latest_date.isoformat()},
            field="starts_at",
        )
    details = OpportunityDetails(
        kind=request.kind,
        title=clean_text(title) or f"{RequestKind(request.kind).label}: {request.topic}"[:200],
        description=clean_text(description) or request.details or request.topic,
        seats=request.audience_size,
        sessions=[SessionSpec(starts_at=starts_at, ends_at=ends_at)],
        sectors=[request.pathway.sector],
        pathways=[request.pathway],
        is_virtual=is_virtual,
        address=""
        if is_virtual
        else (clean_text(address) or _default_address(request, volunteer.organization)),
        school=request.school,
    )
    opportunity = draft_opportunity(
        organization=volunteer.organization, by=by, details=details, host=volunteer.contact
    )
    # The draft is this transaction's own row: nobody else can see it yet, so no lock.
    publish = is_cte_staff(by)
    submit_locked(opportunity, tell_staff=not publish)
    request.opportunity = opportunity
    request.status = SchoolRequestStatus.OPPORTUNITY_CREATED
    request.save(update_fields=["opportunity", "status"])
    if publish:
        opportunity = opportunity_publish(opportunity=opportunity, by=by)
    return opportunity


@one_transaction
def school_request_cancel(*, request: SchoolRequest, by: Any, reason: str = "") -> SchoolRequest:
    """The class no longer needs it: the partners who volunteered, the chosen one included,
    are told (with the reason, if given). An opportunity already created is cancelled on its
    own."""
    request = _locked(request)
    require(permissions.can_confirm_school_request(by, request) or is_cte_staff(by))
    if request.status in (SchoolRequestStatus.OPPORTUNITY_CREATED, SchoolRequestStatus.CANCELLED):
        raise SchoolRequestError(
            _("This request is already %(status)s.")
            % {"status": request.get_status_display().lower()},
            conflict=True,
        )
    request.status = SchoolRequestStatus.CANCELLED
    request.cancel_reason = clean_text(reason)
    request.save(update_fields=["status", "cancel_reason"])
    volunteers = list(
        request.volunteers.filter(status__in=[VolunteerStatus.OFFERED, VolunteerStatus.CHOSEN])
        .select_related("contact__user")
        .order_by("pk")
    )
    request.volunteers.filter(status=VolunteerStatus.OFFERED).update(
        status=VolunteerStatus.NOT_CHOSEN
    )
    emails.request_not_chosen(request=request, volunteers=volunteers)
    return request


@one_transaction
def school_request_invite(*, request: SchoolRequest, organization: Organization, by: Any) -> bool:
    """CTE staff invite one matching partner to a request still open: its active contacts are
    told once (the outbox's event key per request and partner: pressing again, or two staff
    at once, tells nobody twice). Returns whether this call told anyone new. A partner that
    was not told before (it matched only later) now counts among the partners told."""
    require(is_cte_staff(by), _("Only CTE staff invite partners to a school request."))
    request = _locked(request)
    if request.status not in OPEN_REQUEST_STATUSES:
        raise SchoolRequestError(_("This request is no longer open."), conflict=True)
    partner = (
        selectors.request_matching_partners(request=request).filter(pk=organization.pk).first()
    )
    if partner is None:
        raise SchoolRequestError(
            _("%(organization)s does not offer %(kind)s in %(sector)s.")
            % {
                "organization": organization.name,
                "kind": OpportunityKind(request.kind).label.lower(),
                "sector": request.pathway.sector.name,
            }
        )
    if partner.volunteer_status:
        raise SchoolRequestError(
            _("%(organization)s has already volunteered.") % {"organization": partner.name},
            conflict=True,
        )
    if partner.invited:
        return False
    recipients = list(
        User.objects.filter(
            is_active=True,
            partner_contact__status=ContactStatus.ACTIVE,
            partner_contact__organization=partner,
        ).order_by("pk")
    )
    if not recipients:
        raise SchoolRequestError(
            _("%(organization)s has no active contact to tell.") % {"organization": partner.name}
        )
    if not partner.notified:
        request.partners_notified += 1
        request.save(update_fields=["partners_notified"])
    emails.request_invited(request=request, recipients=recipients, organization_id=partner.pk)
    return True
