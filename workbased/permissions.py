"""Who may do what with work-based learning: small named predicates, combined per page, per
API action and inside the services (which refuse with ``NotAllowed``).

- CTE staff see and review everything, but do not evaluate interns (supervisors do).
- An employer acts for their own organization only, while it is an approved partner: its
  opportunities of any status, their applicants (the FERPA-limited view), its placements.
- A student sees their own applications, placements, hours and evaluations, nobody else's.
- A counselor sees the work-based learning of the students of the schools they serve
  (applications, placements, reflections) and asks partners for visits for those schools.
- The public and every role see published opportunities.
"""

from __future__ import annotations

from typing import Any

from cte_portal.users.permissions import is_counselor, is_cte_staff, is_employer, is_student
from partners.enums import ContactStatus
from partners.permissions import is_contact_of
from students.permissions import serves_student

from .enums import EDITABLE_STATUSES, OpportunityStatus

CLOSED_STATUSES = (OpportunityStatus.CLOSED, OpportunityStatus.CANCELLED)


# --- Opportunities ---------------------------------------------------------------------------


def is_host_of(user: Any, opportunity: Any) -> bool:
    """An active contact of the organization that hosts the opportunity (approved partner)."""
    return is_contact_of(user, opportunity.organization)


def can_create_opportunity(user: Any, organization: Any) -> bool:
    return is_cte_staff(user) or is_contact_of(user, organization)


def can_manage_opportunity(user: Any, opportunity: Any) -> bool:
    """Submit, close, cancel, decide on applicants, record attendance."""
    return is_cte_staff(user) or is_host_of(user, opportunity)


def can_edit_opportunity(user: Any, opportunity: Any) -> bool:
    """The host edits a draft or a returned opportunity; staff edit any that is not over."""
    if is_cte_staff(user):
        return opportunity.status not in CLOSED_STATUSES
    return is_host_of(user, opportunity) and opportunity.status in EDITABLE_STATUSES


def can_review_opportunity(user: Any) -> bool:
    """Publish or return a submitted opportunity: CTE staff."""
    return is_cte_staff(user)


def can_view_opportunity(user: Any, opportunity: Any) -> bool:
    """The board's rule (``selectors.opportunities_visible_to``), for one opportunity."""
    from .selectors import opportunities_visible_to

    return opportunities_visible_to(user).filter(pk=opportunity.pk).exists()


def can_view_applicants(user: Any, opportunity: Any) -> bool:
    """The host's people see the FERPA-limited applicant view; staff see it too."""
    return can_manage_opportunity(user, opportunity)


# --- Applications ----------------------------------------------------------------------------


def can_apply(user: Any) -> bool:
    return is_student(user)


def is_applicant(user: Any, application: Any) -> bool:
    return is_student(user) and application.student.user_id == user.pk


def can_decide_application(user: Any, application: Any) -> bool:
    return can_manage_opportunity(user, application.opportunity)


def can_view_application(user: Any, application: Any) -> bool:
    """The applicant, the host (through the FERPA-limited view), staff, and the counselors of
    the student's school."""
    return (
        is_applicant(user, application)
        or can_manage_opportunity(user, application.opportunity)
        or (is_counselor(user) and serves_student(user, application.student))
    )


def can_withdraw_application(user: Any, application: Any) -> bool:
    return (
        is_applicant(user, application)
        or is_cte_staff(user)
        or (is_counselor(user) and serves_student(user, application.student))
    )


def can_request_consent(user: Any, application: Any) -> bool:
    """Send the guardian's consent link again."""
    return can_withdraw_application(user, application)


# --- Placements, hours, evaluations ----------------------------------------------------------


def is_supervisor_of(user: Any, placement: Any) -> bool:
    supervisor = placement.supervisor
    return (
        is_employer(user)
        and supervisor is not None
        and supervisor.user_id == user.pk
        and supervisor.status == ContactStatus.ACTIVE
        and is_contact_of(user, placement.application.opportunity.organization)
    )


def can_supervise(user: Any, placement: Any) -> bool:
    """The supervisor, or another active contact of the host organization (a supervisor who
    is away must not block a student's hours)."""
    return is_supervisor_of(user, placement) or is_host_of(user, placement.application.opportunity)


def is_placed_student(user: Any, placement: Any) -> bool:
    return is_student(user) and placement.application.student.user_id == user.pk


def can_view_placement(user: Any, placement: Any) -> bool:
    return (
        is_placed_student(user, placement)
        or can_supervise(user, placement)
        or is_cte_staff(user)
        or (is_counselor(user) and serves_student(user, placement.application.student))
    )


def can_log_hours(user: Any, placement: Any) -> bool:
    return is_placed_student(user, placement)


def can_approve_hours(user: Any, hours: Any) -> bool:
    return can_supervise(user, hours.placement) or is_cte_staff(user)


def can_evaluate(user: Any, placement: Any) -> bool:
    """Only the host's people evaluate: staff were not there."""
    return can_supervise(user, placement)


def can_edit_placement(user: Any, placement: Any) -> bool:
    """Change the supervisor, dates or target hours."""
    return can_supervise(user, placement) or is_cte_staff(user)


# --- Reflections and attendance --------------------------------------------------------------


def can_view_reflection(user: Any, reflection: Any) -> bool:
    """The student who wrote it, the counselors of their school, and staff (not employers)."""
    student = reflection.student
    return (
        (is_student(user) and student.user_id == user.pk)
        or is_cte_staff(user)
        or (is_counselor(user) and serves_student(user, student))
    )


def can_record_attendance(user: Any, opportunity: Any) -> bool:
    return can_manage_opportunity(user, opportunity)


# --- School requests -------------------------------------------------------------------------


def serves_school(user: Any, school: Any) -> bool:
    if is_cte_staff(user):
        return True
    return is_counselor(user) and school.counselors.filter(user=user).exists()


def can_request_for_school(user: Any, school: Any) -> bool:
    """Counselors of the school and CTE staff ask partners for visits."""
    return serves_school(user, school)


def can_confirm_school_request(user: Any, request: Any) -> bool:
    """Staff or the school (its counselors) confirm a volunteer and cancel the request."""
    return serves_school(user, request.school)


def can_volunteer(user: Any) -> bool:
    """Employers volunteer (the service checks their organization's offers match)."""
    return is_employer(user)
