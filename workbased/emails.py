"""One function per message the workbased app sends. Each writes outbox rows through
``notify`` in the caller's transaction (services call these), so a message is sent only if the
event commits, and exactly once per event and person (the event keys below).

Links carrying a personal token (the guardian's consent, a supervisor's hours) are absolute
and rendered into the message, one ``notify`` call per person; links for the notification
centre are paths (``workbased.links``). A guardian has no account: they are a bare address
(``Recipient(email=..., language=...)``), written in the student's preferred language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from cte_portal.notifications.services import Recipient, notify
from cte_portal.users.enums import Role
from cte_portal.users.models import User
from partners.enums import ContactStatus
from partners.models import Contact

from . import conf, links, tokens
from . import notifications as kinds
from .enums import (
    ApplicationStatus,
    ConsentState,
    GuardianAnswer,
    OpportunityStatus,
    SchoolRequestStatus,
)
from .models import (
    Application,
    Evaluation,
    GuardianConsent,
    HoursLog,
    Opportunity,
    OpportunitySession,
    SchoolRequest,
    Volunteer,
)


def _staff() -> list[User]:
    return list(User.objects.filter(role=Role.STAFF, is_active=True).order_by("pk"))


def _contacts_of(opportunity: Opportunity) -> list[User]:
    return [
        c.user
        for c in Contact.objects.filter(
            organization_id=opportunity.organization_id,
            status=ContactStatus.ACTIVE,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("pk")
    ]


def _hosts_of(opportunity: Opportunity) -> list[User]:
    """The host contact while active; otherwise every active contact of the organization."""
    host = opportunity.host
    if host is not None and host.status == ContactStatus.ACTIVE and host.user.is_active:
        return [host.user]
    return _contacts_of(opportunity)


def _stamp(moment: Any) -> str:
    return moment.isoformat() if moment else ""


def _first_session(opportunity: Opportunity) -> OpportunitySession | None:
    return opportunity.sessions.order_by("starts_at").first()


def opportunity_submitted(*, opportunity: Opportunity) -> None:
    """To CTE staff: an opportunity waits for approval."""
    notify(
        kind=kinds.OPPORTUNITY_SUBMITTED.key,
        event_key=f"opportunity:{opportunity.pk}:submitted:{_stamp(opportunity.submitted_at)}",
        recipients=_staff(),
        context={"opportunity": opportunity, "organization": opportunity.organization},
        about=opportunity,
        link=links.staff_queue(),
    )


def opportunity_decided(*, opportunity: Opportunity) -> None:
    """To the organization's contacts: staff published or returned their opportunity."""
    notify(
        kind=kinds.OPPORTUNITY_DECIDED.key,
        event_key=f"opportunity:{opportunity.pk}:{opportunity.status}:"
        f"{_stamp(opportunity.decided_at)}",
        recipients=_contacts_of(opportunity),
        context={
            "opportunity": opportunity,
            "published": opportunity.status == OpportunityStatus.PUBLISHED,
            "reason": opportunity.return_reason,
        },
        about=opportunity,
        link=links.opportunity(opportunity.pk),
    )


def opportunity_cancelled(*, opportunity: Opportunity, applications: Sequence[Application]) -> None:
    """To the students whose application was still in play."""
    notify(
        kind=kinds.OPPORTUNITY_CANCELLED.key,
        event_key=f"opportunity:{opportunity.pk}:cancelled",
        recipients=[a.student.user for a in applications],
        context={
            "opportunity": opportunity,
            "organization": opportunity.organization,
            "reason": opportunity.cancel_reason,
        },
        about=opportunity,
        link=links.student_home(),
    )


def application_received(*, application: Application) -> None:
    """To the host (or, with no host, the organization's contacts): a student applied. Only
    the FERPA-limited facts: the name and grade, never anything else from the record."""
    opportunity = application.opportunity
    notify(
        kind=kinds.APPLICATION_RECEIVED.key,
        event_key=f"application:{application.pk}:received",
        recipients=_hosts_of(opportunity),
        context={
            "opportunity": opportunity,
            "student_name": application.student.user.full_name,
            "grade": application.student.grade,
            "needs_consent": application.guardian_consent == ConsentState.PENDING,
        },
        about=application,
        link=links.applicants(opportunity.pk),
    )


def application_decided(*, application: Application) -> None:
    """To the student and, where the opportunity needs consent, the guardian."""
    opportunity = application.opportunity
    status = ApplicationStatus(application.status)
    event_key = f"application:{application.pk}:{status}"
    context = {
        "opportunity": opportunity,
        "organization": opportunity.organization,
        "status": status.value,
        "outcome": status.label,
        "reason": application.decline_reason,
        "position": application.waitlist_position,
        "first_session": _first_session(opportunity),
        "student_name": application.student.user.full_name,
    }
    notify(
        kind=kinds.APPLICATION_DECIDED.key,
        event_key=event_key,
        recipients=[application.student.user],
        context={**context, "to_guardian": False},
        about=application,
        link=links.student_home(),
    )
    if application.guardian_consent == ConsentState.NOT_NEEDED:
        return
    consent = GuardianConsent.objects.filter(application=application).first()
    if consent is None:
        return
    notify(
        kind=kinds.APPLICATION_DECIDED.key,
        event_key=event_key,
        recipients=[Recipient(email=consent.guardian_email.lower(), language=consent.language)],
        context={**context, "to_guardian": True, "guardian_name": consent.guardian_name},
        about=application,
    )


def consent_request(*, consent: GuardianConsent) -> None:
    """To the guardian (no account): the signed link to consent or refuse."""
    application = consent.application
    token = tokens.consent_token(consent_id=consent.pk, nonce=consent.nonce)
    notify(
        kind=kinds.CONSENT_REQUEST.key,
        event_key=f"consent:{consent.pk}:request:{consent.times_requested}",
        recipients=[Recipient(email=consent.guardian_email.lower(), language=consent.language)],
        context={
            "guardian_name": consent.guardian_name,
            "student_name": application.student.user.full_name,
            "opportunity": application.opportunity,
            "organization": application.opportunity.organization,
            "details": consent.details,
            "sessions": list(application.opportunity.sessions.order_by("starts_at")),
            "consent_url": links.absolute(links.consent(token)),
            "max_age_days": max(1, int(conf.get("WORKBASED_CONSENT_LINK_MAX_AGE")) // 86400),
        },
        about=application,
    )


def consent_answered(*, consent: GuardianConsent) -> None:
    """To the student: the guardian consented (the host can now accept) or refused (the
    application is withdrawn). To the host: the same answer, so they can decide (the
    FERPA-limited facts only: the student's name)."""
    application = consent.application
    opportunity = application.opportunity
    event_key = f"consent:{consent.pk}:{consent.answer}"
    consented = consent.answer == GuardianAnswer.CONSENTED
    notify(
        kind=kinds.CONSENT_ANSWERED.key,
        event_key=event_key,
        recipients=[application.student.user],
        context={"opportunity": opportunity, "consented": consented},
        about=application,
        link=links.student_home(),
    )
    notify(
        kind=kinds.CONSENT_ANSWERED_HOST.key,
        event_key=event_key,
        recipients=_hosts_of(opportunity),
        context={
            "opportunity": opportunity,
            "consented": consented,
            "student_name": application.student.user.full_name,
        },
        about=application,
        link=links.applicants(opportunity.pk),
    )


def application_withdrawn(*, application: Application, by_student: bool) -> None:
    """To the host: an applicant withdrew (or their counselor or staff withdrew the
    application); a seat they held may have gone to the wait list."""
    opportunity = application.opportunity
    notify(
        kind=kinds.APPLICATION_WITHDRAWN.key,
        event_key=f"application:{application.pk}:withdrawn",
        recipients=_hosts_of(opportunity),
        context={
            "opportunity": opportunity,
            "student_name": application.student.user.full_name,
            "by_student": by_student,
        },
        about=application,
        link=links.applicants(opportunity.pk),
    )


def hours_rejected(*, hours: HoursLog) -> None:
    """To the student: the supervisor did not approve these hours, and why."""
    placement = hours.placement
    notify(
        kind=kinds.HOURS_REJECTED.key,
        event_key=f"hours:{hours.pk}:rejected",
        recipients=[placement.application.student.user],
        context={
            "opportunity": placement.application.opportunity,
            "date": hours.date,
            "start_time": hours.start_time,
            "end_time": hours.end_time,
            "hours": hours.hours,
            "reason": hours.review_note,
        },
        about=placement,
        link=links.placement(placement.pk),
    )


def evaluation_given(*, evaluation: Evaluation) -> None:
    """To the student: their supervisor evaluated the placement (it is now completed)."""
    placement = evaluation.placement
    notify(
        kind=kinds.EVALUATION_GIVEN.key,
        event_key=f"evaluation:{evaluation.pk}:given",
        recipients=[placement.application.student.user],
        context={
            "opportunity": placement.application.opportunity,
            "organization": placement.application.opportunity.organization,
        },
        about=placement,
        link=links.placement(placement.pk),
    )


def hours_waiting(*, supervisor: Contact, logs: Sequence[HoursLog], week: str) -> None:
    """The weekly list of hours waiting for one supervisor, each with its own signed link."""
    items = [
        {
            "student_name": log.placement.application.student.user.full_name,
            "opportunity": log.placement.application.opportunity.title,
            "date": log.date,
            "start_time": log.start_time,
            "end_time": log.end_time,
            "hours": log.hours,
            "activities": log.activities,
            "review_url": links.absolute(
                links.hours_review(tokens.hours_token(hours_id=log.pk, supervisor_id=supervisor.pk))
            ),
        }
        for log in logs
    ]
    notify(
        kind=kinds.HOURS_WAITING.key,
        event_key=f"hours-waiting:{week}:{supervisor.pk}",
        recipients=[supervisor.user],
        context={
            "items": items,
            "total": sum((log.hours for log in logs), start=0),
            "supervisor_name": supervisor.user.full_name,
        },
        link=links.hours_to_approve(),
    )


def session_reminder(
    *, session: OpportunitySession, students: Sequence[User], hosts: Sequence[User]
) -> None:
    """Two days before: to the accepted students, and to the host (and requesting counselor)."""
    opportunity = session.opportunity
    context = {
        "opportunity": opportunity,
        "organization": opportunity.organization,
        "session": session,
        "starts_at": timezone.localtime(session.starts_at),
        "ends_at": timezone.localtime(session.ends_at),
        "place": opportunity.meeting_url if opportunity.is_virtual else opportunity.address,
    }
    event_key = f"session:{session.pk}:reminder"
    notify(
        kind=kinds.SESSION_REMINDER.key,
        event_key=event_key,
        recipients=students,
        context={**context, "to_host": False},
        about=opportunity,
        link=links.opportunity(opportunity.pk),
    )
    notify(
        kind=kinds.SESSION_REMINDER.key,
        event_key=event_key,
        recipients=[u for u in hosts if u.is_active],
        context={**context, "to_host": True, "attendees": len(students)},
        about=opportunity,
        link=links.opportunity(opportunity.pk),
    )


def school_request_fanout(*, request: SchoolRequest, recipients: Sequence[User]) -> None:
    """To every contact of the matching partners: one ``notify``, rendered once per language."""
    notify(
        kind=kinds.SCHOOL_REQUEST.key,
        event_key=f"school-request:{request.pk}:open",
        recipients=recipients,
        context={"request": request, "school": request.school, "pathway": request.pathway},
        about=request,
        link=links.school_request(request.pk),
    )


def request_volunteered(*, volunteer: Volunteer) -> None:
    """To whoever asked (staff, if that person is gone): a partner offered to help."""
    request = volunteer.request
    recipients = [request.requested_by] if request.requested_by else _staff()
    notify(
        kind=kinds.REQUEST_VOLUNTEERED.key,
        event_key=f"volunteer:{volunteer.pk}:offered",
        recipients=[u for u in recipients if u.is_active],
        context={
            "request": request,
            "volunteer": volunteer,
            "organization": volunteer.organization,
        },
        about=request,
        link=links.school_request(request.pk),
    )


def request_confirmed(*, volunteer: Volunteer) -> None:
    """To the chosen partner's contact who volunteered."""
    request = volunteer.request
    contact = volunteer.contact
    if contact is None:
        return
    notify(
        kind=kinds.REQUEST_CONFIRMED.key,
        event_key=f"volunteer:{volunteer.pk}:chosen",
        recipients=[contact.user],
        context={"request": request, "school": request.school, "pathway": request.pathway},
        about=request,
        link=links.school_request(request.pk),
    )


def request_not_chosen(*, request: SchoolRequest, volunteers: Sequence[Volunteer]) -> None:
    """To the contacts who volunteered and were not chosen (the school chose another
    partner), or to every volunteer, the chosen one included, when the request is cancelled
    (with the school's reason). Thanks them; nothing more to do."""
    cancelled = request.status == SchoolRequestStatus.CANCELLED
    notify(
        kind=kinds.REQUEST_NOT_CHOSEN.key,
        event_key=f"school-request:{request.pk}:{'cancelled' if cancelled else 'not-chosen'}",
        recipients=[
            v.contact.user
            for v in volunteers
            if v.contact is not None
            and v.contact.status == ContactStatus.ACTIVE
            and v.contact.user.is_active
        ],
        context={
            "request": request,
            "school": request.school,
            "pathway": request.pathway,
            "cancelled": cancelled,
            "reason": request.cancel_reason if cancelled else "",
        },
        about=request,
        link=links.school_request(request.pk),
    )


def request_invited(
    *, request: SchoolRequest, recipients: Sequence[User], organization_id: int
) -> None:
    """To one matching partner's contacts, invited by CTE staff: once per request and
    partner (the event key), however many times staff press the button."""
    notify(
        kind=kinds.REQUEST_INVITED.key,
        event_key=f"school-request:{request.pk}:invited:{organization_id}",
        recipients=recipients,
        context={"request": request, "school": request.school, "pathway": request.pathway},
        about=request,
        link=links.school_request(request.pk),
    )
