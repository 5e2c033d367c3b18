"""A host's pages: their organization's opportunities (create, edit with sessions, submit,
close, cancel), applicants (only the FERPA-limited fields) and decisions, attendance at
one-day events, placements, hours to approve and evaluations. CTE staff use the same pages
for any opportunity. Another organization's opportunity answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cte_portal.users.permissions import is_employer
from partners.selectors import contact_for_user
from students.models import StudentProfile

from .. import links, permissions, selectors, services
from ..enums import (
    EVALUATION_SKILLS,
    ONE_DAY_KINDS,
    PENDING_APPLICATION_STATUSES,
    ApplicationStatus,
    OpportunityStatus,
    PlacementStatus,
)
from ..errors import WorkbasedError
from ..forms import (
    ApplicationDecisionForm,
    AttendanceForm,
    CancelForm,
    ConfirmForm,
    EvaluationForm,
    HoursDecisionForm,
    OpportunityForm,
    PlacementForm,
    SessionFormSet,
    session_specs,
)
from ..models import Application, Opportunity
from ..selectors import Applicant
from .helpers import add_service_error, allowed, feed_url, is_host_or_staff, paginate, posted

APPLICANTS_PAGE_SIZE = 50


@allowed(is_employer)
@require_safe
def manage(request: HttpRequest) -> HttpResponse:
    """The host's home: opportunities with their applicants, hours waiting, placements,
    evaluations due, and the school requests their offers match."""
    user = request.user
    contact = contact_for_user(user=user)
    if contact is None:
        return render(request, "workbased/manage.html", {"contact": None})
    page = paginate(request, selectors.employer_opportunities(user=user), 20)
    return render(
        request,
        "workbased/manage.html",
        {
            "contact": contact,
            "organization": contact.organization,
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(
                page.number, on_each_side=1, on_ends=1
            ),
            "hours_waiting": selectors.hours_to_approve(user=user).count(),
            "placements": list(
                selectors.placements_visible_to(user).filter(status=PlacementStatus.ACTIVE)[:50]
            ),
            "evaluations_due": list(selectors.evaluations_due(user=user)[:50]),
            "requests": list(selectors.school_requests_for_partner(user=user)[:20]),
            "feed_url": feed_url(user),
            "one_day_kinds": ONE_DAY_KINDS,
        },
    )


def _managed(request: HttpRequest, pk: int) -> Opportunity:
    """An opportunity the person may manage (its host's people, staff); else 404."""
    opportunity = get_object_or_404(
        Opportunity.objects.select_related("organization", "host__user"), pk=pk
    )
    if not permissions.can_manage_opportunity(request.user, opportunity):
        raise Http404
    return opportunity


def _session_initial(opportunity: Opportunity | None) -> list[dict[str, Any]]:
    if opportunity is None:
        return []
    return [
        {"starts_at": s.starts_at, "ends_at": s.ends_at, "note": s.note}
        for s in opportunity.sessions.order_by("starts_at", "pk")
    ]


def _opportunity_form(
    request: HttpRequest, *, organization: Any, opportunity: Opportunity | None
) -> HttpResponse:
    """Create or edit: the opportunity and its sessions in one form, one service call."""
    choices = selectors.opportunity_form_choices(organization=organization)
    initial = OpportunityForm.initial_for(opportunity) if opportunity else {}
    if opportunity is None:
        contact = contact_for_user(user=request.user)
        initial = {"host": contact.pk if contact else None, "seats": 10}
    form = OpportunityForm(posted(request), initial=initial, **choices)
    sessions = SessionFormSet(
        posted(request), initial=_session_initial(opportunity), prefix="sessions"
    )
    session_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and sessions.is_valid():
        details = form.details(session_specs(sessions), school=getattr(opportunity, "school", None))
        try:
            if opportunity is None:
                opportunity = services.opportunity_create(
                    organization=organization,
                    by=request.user,
                    details=details,
                    host=form.cleaned_data["host"],
                )
            else:
                services.opportunity_update(
                    opportunity=opportunity,
                    by=request.user,
                    details=details,
                    host=form.cleaned_data["host"],
                )
        except WorkbasedError as exc:
            if exc.field == "sessions":
                session_errors.append(exc.message)
            else:
                add_service_error(form, exc)
        else:
            if request.POST.get("then") == "submit":
                return _submit(request, opportunity)
            messages.success(request, _("The opportunity is saved."))
            return redirect(links.opportunity(opportunity.pk))
    return render(
        request,
        "workbased/opportunity_form.html",
        {
            "form": form,
            "sessions": sessions,
            "session_errors": session_errors,
            "opportunity": opportunity,
            "organization": organization,
        },
    )


@allowed(is_employer)
@require_http_methods(["GET", "POST"])
def opportunity_new(request: HttpRequest) -> HttpResponse:
    contact = contact_for_user(user=request.user)
    if contact is None:
        raise Http404(_("Only contacts of an approved partner can post opportunities."))
    return _opportunity_form(request, organization=contact.organization, opportunity=None)


@allowed(is_host_or_staff)
@require_http_methods(["GET", "POST"])
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _managed(request, pk)
    if not permissions.can_edit_opportunity(request.user, opportunity):
        messages.error(
            request,
            _("This opportunity is %(status)s: ask the CTE office to change it.")
            % {"status": opportunity.get_status_display().lower()},
        )
        return redirect(links.opportunity(opportunity.pk))
    return _opportunity_form(
        request, organization=opportunity.organization, opportunity=opportunity
    )


def _submit(request: HttpRequest, opportunity: Opportunity) -> HttpResponse:
    try:
        services.opportunity_submit(opportunity=opportunity, by=request.user)
    except WorkbasedError as exc:
        messages.error(
            request,
            _("The opportunity is saved but not submitted: %(reason)s") % {"reason": exc.message},
        )
        return redirect("workbased:opportunity_edit", pk=opportunity.pk)
    messages.success(
        request, _("The opportunity was sent to the CTE office, who will review it soon.")
    )
    return redirect(links.opportunity(opportunity.pk))


@allowed(is_host_or_staff)
@require_POST
def opportunity_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _submit(request, _managed(request, pk))


@allowed(is_host_or_staff)
@require_http_methods(["GET", "POST"])
def opportunity_close(request: HttpRequest, pk: int) -> HttpResponse:
    """No more applications; those in can still be decided, the sessions still happen."""
    opportunity = _managed(request, pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_close(opportunity=opportunity, by=request.user)
        except WorkbasedError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The opportunity is closed to new applications."))
            return redirect(links.opportunity(opportunity.pk))
    return render(
        request,
        "workbased/opportunity_end.html",
        {"opportunity": opportunity, "form": form, "ending": "close"},
    )


@allowed(is_host_or_staff)
@require_http_methods(["GET", "POST"])
def opportunity_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """It will not happen: placements end and every student still in is told."""
    opportunity = _managed(request, pk)
    form = CancelForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_cancel(
                opportunity=opportunity, by=request.user, reason=form.cleaned_data["reason"]
            )
        except WorkbasedError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The opportunity is cancelled; the students were told."))
            return redirect(links.opportunity(opportunity.pk))
    return render(
        request,
        "workbased/opportunity_end.html",
        {"opportunity": opportunity, "form": form, "ending": "cancel"},
    )


# --- Applicants -------------------------------------------------------------------------------


@allowed(is_host_or_staff)
@require_safe
def applicants(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicants, as the host may see them: ``selectors.APPLICANT_FIELDS`` and nothing
    else (one query for the page, whatever its size, and the paginator's count)."""
    opportunity = _managed(request, pk)
    if not permissions.can_view_applicants(request.user, opportunity):
        raise Http404
    page = paginate(
        request,
        selectors.applicants_visible_to(user=request.user, opportunity=opportunity),
        APPLICANTS_PAGE_SIZE,
    )
    return render(
        request,
        "workbased/applicants.html",
        {
            "opportunity": opportunity,
            "page": page,
            "applicants": [Applicant(**row) for row in page],
            "page_numbers": page.paginator.get_elided_page_range(
                page.number, on_each_side=1, on_ends=1
            ),
            "pending": PENDING_APPLICATION_STATUSES,
            "open": opportunity.status in (OpportunityStatus.PUBLISHED, OpportunityStatus.CLOSED),
        },
    )


def _decision_message(application: Application, name: str) -> str:
    if application.status == ApplicationStatus.ACCEPTED:
        return _("%(name)s is accepted and will be told.") % {"name": name}
    if application.status == ApplicationStatus.WAITLISTED:
        return _("%(name)s is number %(position)s on the wait list and will be told.") % {
            "name": name,
            "position": application.waitlist_position,
        }
    return _("%(name)s is declined and will be told why.") % {"name": name}


@allowed(is_host_or_staff)
@require_http_methods(["GET", "POST"])
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept, wait-list or decline (with a reason) one applicant. The page shows the
    FERPA-limited applicant, never the student's record."""
    application = get_object_or_404(
        Application.objects.select_related("opportunity__organization"), pk=pk
    )
    if not permissions.can_decide_application(request.user, application):
        raise Http404
    opportunity = application.opportunity
    row = (
        selectors.applicants_visible_to(user=request.user, opportunity=opportunity)
        .filter(pk=pk)
        .first()
    )
    if row is None:  # withdrawn
        raise Http404
    applicant = Applicant(**row)
    form = ApplicationDecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            if decision == "accept":
                application = services.application_accept(application=application, by=request.user)
            elif decision == "waitlist":
                application = services.application_waitlist(
                    application=application, by=request.user
                )
            else:
                application = services.application_decline(
                    application=application, by=request.user, reason=form.cleaned_data["reason"]
                )
        except WorkbasedError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _decision_message(application, applicant.name))
            return redirect(links.applicants(opportunity.pk))
    return render(
        request,
        "workbased/application_decide.html",
        {
            "opportunity": opportunity,
            "applicant": applicant,
            "form": form,
            "pending": applicant.status in PENDING_APPLICATION_STATUSES,
        },
    )


# --- Attendance at one-day events -------------------------------------------------------------


@allowed(is_host_or_staff)
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Who attended a session of a one-day event (``?session=`` chooses it; the first one
    that started by default): the accepted applicants, ticked when present."""
    opportunity = _managed(request, pk)
    if not permissions.can_record_attendance(request.user, opportunity):
        raise Http404
    sessions = list(opportunity.sessions.order_by("starts_at", "pk"))
    chosen = request.POST.get("session") or request.GET.get("session")
    now = timezone.now()
    session = next((s for s in sessions if str(s.pk) == chosen), None) or next(
        (s for s in reversed(sessions) if s.starts_at <= now), sessions[0] if sessions else None
    )
    context: dict[str, Any] = {
        "opportunity": opportunity,
        "sessions": sessions,
        "session": session,
        "one_day": opportunity.kind in ONE_DAY_KINDS,
        "started": session is not None and session.starts_at <= now,
    }
    if session is None or not context["one_day"]:
        return render(request, "workbased/attendance.html", context)
    roster = selectors.attendance_roster(opportunity=opportunity, session=session)
    form = AttendanceForm(
        posted(request),
        students=[(row.student_id, row.name) for row in roster],
        initial={"present": [row.student_id for row in roster if row.present]},
    )
    if request.method == "POST" and form.is_valid():
        present = StudentProfile.objects.filter(pk__in=form.cleaned_data["present"]).select_related(
            "user"
        )
        try:
            recorded = services.attendance_record(
                session=session, by=request.user, present=list(present)
            )
        except WorkbasedError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("Attendance is saved: %(count)s present.") % {"count": len(recorded)}
            )
            return redirect(
                reverse("workbased:attendance", args=[opportunity.pk]) + f"?session={session.pk}"
            )
    context.update({"roster": roster, "form": form})
    return render(request, "workbased/attendance.html", context)


# --- Placements, hours, evaluations -----------------------------------------------------------


@allowed(is_host_or_staff)
@require_safe
def hours_to_approve(request: HttpRequest) -> HttpResponse:
    """Hours waiting for the person (their own supervisees first), oldest first."""
    page = paginate(request, selectors.hours_to_approve(user=request.user), 50)
    return render(
        request,
        "workbased/hours_to_approve.html",
        {
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(
                page.number, on_each_side=1, on_ends=1
            ),
        },
    )


@allowed(is_host_or_staff)
@require_http_methods(["GET", "POST"])
def hours_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or reject (with a note) one entry; an empty note on a rejection comes back
    with the error and what was typed."""
    log = get_object_or_404(selectors.hours_visible_to(request.user), pk=pk)
    if not permissions.can_approve_hours(request.user, log):
        raise Http404
    form = HoursDecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            if approve:
                services.hours_approve(hours=log, by=request.user, note=form.cleaned_data["note"])
            else:
                services.hours_reject(hours=log, by=request.user, note=form.cleaned_data["note"])
        except WorkbasedError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("The hours are approved.") if approve else _("The hours are rejected."),
            )
            return redirect(links.hours_to_approve())
    return render(request, "workbased/hours_decide.html", {"log": log, "form": form})


def _placement_for(request: HttpRequest, pk: int) -> Any:
    return get_object_or_404(selectors.placements_visible_to(request.user), pk=pk)


@allowed(is_host_or_staff)
@require_http_methods(["GET", "POST"])
def placement_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """A placement as its host sees it: supervisor, dates and target hours (to change), the
    hours logged, the evaluation."""
    placement = _placement_for(request, pk)
    if not permissions.can_edit_placement(request.user, placement):
        raise Http404
    opportunity = placement.application.opportunity
    choices = selectors.opportunity_form_choices(organization=opportunity.organization)
    form = PlacementForm(
        posted(request),
        contacts=choices["contacts"],
        initial={
            "supervisor": placement.supervisor_id,
            "starts_on": placement.starts_on,
            "ends_on": placement.ends_on,
            "target_hours": placement.target_hours,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_update(placement=placement, by=request.user, **form.cleaned_data)
        except WorkbasedError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The placement is saved."))
            return redirect("workbased:placement_manage", pk=placement.pk)
    return render(
        request,
        "workbased/placement_manage.html",
        {
            "placement": placement,
            "opportunity": opportunity,
            "form": form,
            "hours": list(selectors.hours_visible_to(request.user).filter(placement=placement)),
            "evaluation": selectors.evaluations_visible_to(request.user)
            .filter(placement=placement)
            .first(),
            "can_evaluate": permissions.can_evaluate(request.user, placement),
        },
    )


@allowed(is_employer)
@require_http_methods(["GET", "POST"])
def evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    """The supervisor rates the student's employability skills at the end of the placement."""
    placement = _placement_for(request, pk)
    if not permissions.can_evaluate(request.user, placement):
        raise Http404
    given = selectors.evaluations_visible_to(request.user).filter(placement=placement).first()
    form = EvaluationForm(posted(request))
    if request.method == "POST" and given is None and form.is_valid():
        try:
            services.evaluation_submit(
                placement=placement,
                by=request.user,
                ratings=form.ratings(),
                comments=form.cleaned_data["comments"],
            )
        except WorkbasedError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Thank you: the evaluation is saved."))
            return redirect(links.employer_home())
    return render(
        request,
        "workbased/evaluation.html",
        {
            "placement": placement,
            "opportunity": placement.application.opportunity,
            "form": form,
            "given": given,
            "skills": [(label, getattr(given, name)) for name, label in EVALUATION_SKILLS if given],
            "due": placement.ends_on <= timezone.localdate(),
        },
    )
