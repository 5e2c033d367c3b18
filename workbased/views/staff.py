"""CTE staff's and counselors' pages: the approval queue, the placements overview, the
students' work-based learning (read-only for counselors: their schools' students), and school
requests (counselors and staff ask, matching partners volunteer, the school confirms one and
the request becomes an opportunity)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cte_portal.users.permissions import is_cte_staff, is_employer
from partners.models import Organization
from partners.selectors import contact_for_user

from .. import links, permissions, selectors, services
from ..enums import OPEN_REQUEST_STATUSES, OpportunityStatus, SchoolRequestStatus, VolunteerStatus
from ..errors import WorkbasedError
from ..forms import (
    AttendanceFilterForm,
    ConfirmVolunteerForm,
    InvitePartnerForm,
    RequestCancelForm,
    RequestOpportunityForm,
    ReviewForm,
    SchoolRequestForm,
    VolunteerForm,
)
from ..models import Opportunity, SchoolRequest
from .helpers import (
    add_service_error,
    allowed,
    feed_url,
    is_advisor,
    may_see_requests,
    paginate,
    posted,
)


def _numbers(page: Any) -> Any:
    return page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)


# --- The approval queue -----------------------------------------------------------------------


@allowed(is_cte_staff)
@require_safe
def review(request: HttpRequest) -> HttpResponse:
    """Opportunities waiting for approval, oldest submission first."""
    page = paginate(request, selectors.approval_queue())
    return render(
        request,
        "workbased/review.html",
        {"page": page, "page_numbers": _numbers(page), "feed_url": feed_url(request.user)},
    )


@allowed(is_cte_staff)
@require_http_methods(["GET", "POST"])
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish, or return to the host with what to change."""
    try:
        opportunity = selectors.opportunity_for(user=request.user, pk=pk)
    except Opportunity.DoesNotExist as exc:
        raise Http404 from exc
    form = ReviewForm(posted(request))
    if request.method == "POST" and form.is_valid():
        publish = form.cleaned_data["decision"] == "publish"
        try:
            if publish:
                services.opportunity_publish(opportunity=opportunity, by=request.user)
            else:
                services.opportunity_return(
                    opportunity=opportunity, by=request.user, reason=form.cleaned_data["reason"]
                )
        except WorkbasedError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("“%(title)s” is published.") % {"title": opportunity.title}
                if publish
                else _("“%(title)s” was returned to its host.") % {"title": opportunity.title},
            )
            return redirect(links.staff_queue())
    return render(
        request,
        "workbased/review_decide.html",
        {
            "opportunity": opportunity,
            "sessions": list(opportunity.sessions.all()),
            "form": form,
            "waiting": opportunity.status == OpportunityStatus.SUBMITTED,
        },
    )


@allowed(is_cte_staff)
@require_safe
def placements_overview(request: HttpRequest) -> HttpResponse:
    """Every placement: active ones first, soonest ending first, with their hours."""
    page = paginate(request, selectors.placements_overview(), 50)
    return render(
        request,
        "workbased/placements_overview.html",
        {"page": page, "page_numbers": _numbers(page)},
    )


@allowed(is_cte_staff)
@require_safe
def attendance_overview(request: HttpRequest) -> HttpResponse:
    """Staff: the district's one-day events that have started, with who was accepted and who
    is recorded present; each links to the attendance page hosts use (staff record there too,
    through the same ``services.attendance_record``)."""
    form = AttendanceFilterForm(request.GET or None, schools=selectors.school_choices())
    page = paginate(request, selectors.attendance_sessions(**form.filters()), 50)
    return render(
        request,
        "workbased/attendance_overview.html",
        {"page": page, "page_numbers": _numbers(page), "form": form},
    )


@allowed(is_advisor)
@require_safe
def students(request: HttpRequest) -> HttpResponse:
    """The work-based learning of a counselor's students (staff: every student), read-only:
    their applications, or (``?show=reflections``) their reflections."""
    show = "reflections" if request.GET.get("show") == "reflections" else "applications"
    items = (
        selectors.reflections_visible_to(request.user)
        if show == "reflections"
        else selectors.applications_visible_to(request.user)
    )
    page = paginate(request, items, 50)
    return render(
        request,
        "workbased/students.html",
        {
            "show": show,
            "page": page,
            "page_numbers": _numbers(page),
            "feed_url": feed_url(request.user),
        },
    )


# --- School requests --------------------------------------------------------------------------


@allowed(may_see_requests)
@require_safe
def request_list(request: HttpRequest) -> HttpResponse:
    """Staff: every request. Counselors: their schools'. Partners: those their offers match
    (and those they volunteered for)."""
    page = paginate(request, selectors.school_requests_visible_to(request.user))
    return render(
        request,
        "workbased/request_list.html",
        {
            "page": page,
            "page_numbers": _numbers(page),
            "can_ask": is_advisor(request.user),
        },
    )


@allowed(is_advisor)
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    """A counselor (or staff) asks partners for a visit; the matching partners are told."""
    choices = selectors.request_form_choices(user=request.user)
    form = SchoolRequestForm(posted(request), **choices)
    if request.method == "POST" and form.is_valid():
        try:
            school_request = services.school_request_create(by=request.user, **form.cleaned_data)
        except WorkbasedError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Your request was sent to %(count)s matching partners.")
                % {"count": school_request.partners_notified},
            )
            return redirect(links.school_request(school_request.pk))
    return render(request, "workbased/request_new.html", {"form": form})


def _request_for(request: HttpRequest, pk: int) -> SchoolRequest:
    return get_object_or_404(selectors.school_requests_visible_to(request.user), pk=pk)


def _request_page(
    request: HttpRequest, school_request: SchoolRequest, status: int = 200, **forms: Any
) -> HttpResponse:
    """The request's page, with the forms this person may use (bound ones passed in keep
    what was typed)."""
    user = request.user
    school_side = permissions.can_confirm_school_request(user, school_request)
    volunteers = list(selectors.volunteers_for(request=school_request))
    contact = contact_for_user(user=user)
    mine = next(
        (v for v in volunteers if contact and v.organization_id == contact.organization_id), None
    )
    chosen = next((v for v in volunteers if v.status == VolunteerStatus.CHOSEN), None)
    is_open = school_request.status in OPEN_REQUEST_STATUSES
    offered = [v for v in volunteers if v.status == VolunteerStatus.OFFERED]
    confirmed = school_request.status == SchoolRequestStatus.CONFIRMED
    chosen_partner = bool(chosen and mine and chosen.pk == mine.pk)
    context: dict[str, Any] = {
        "school_request": school_request,
        "school_side": school_side,
        # Partners see their own offer only; the school sees every volunteer.
        "volunteers": volunteers if school_side else [],
        "mine": mine,
        "chosen": chosen,
        "can_volunteer": is_employer(user) and is_open and mine is None,
        "can_confirm": school_side
        and school_request.status == SchoolRequestStatus.MATCHED
        and bool(offered),
        "can_create": confirmed and (school_side or chosen_partner),
        "opportunity_visible": school_request.opportunity is not None
        and permissions.can_view_opportunity(user, school_request.opportunity),
        "can_cancel": school_side
        and school_request.status
        not in (SchoolRequestStatus.OPPORTUNITY_CREATED, SchoolRequestStatus.CANCELLED),
    }
    # A refusal about a form this person no longer sees (the request moved on) goes on top.
    shown = {
        "volunteer_form": context["can_volunteer"],
        "confirm_form": context["can_confirm"],
        "opportunity_form": context["can_create"],
    }
    context["errors"] = [
        error
        for name, form in forms.items()
        if not shown.get(name)
        for error in form.non_field_errors()
    ]
    context["volunteer_form"] = forms.get("volunteer_form") or VolunteerForm()
    context["confirm_form"] = forms.get("confirm_form") or ConfirmVolunteerForm(
        volunteers=[(v.pk, v.organization.name) for v in offered]
    )
    context["opportunity_form"] = forms.get("opportunity_form") or RequestOpportunityForm()
    return render(request, "workbased/school_request.html", context, status=status)


@allowed(may_see_requests)
@require_safe
def school_request(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_page(request, _request_for(request, pk))


@allowed(is_employer)
@require_POST
def request_volunteer(request: HttpRequest, pk: int) -> HttpResponse:
    school_request = _request_for(request, pk)
    form = VolunteerForm(request.POST)
    if form.is_valid():
        try:
            services.school_request_volunteer(
                request=school_request, by=request.user, **form.cleaned_data
            )
        except WorkbasedError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Thank you: the school was told you can help."))
            return redirect(links.school_request(school_request.pk))
    return _request_page(request, school_request, volunteer_form=form)


@allowed(is_advisor)
@require_POST
def request_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    school_request = _request_for(request, pk)
    if not permissions.can_confirm_school_request(request.user, school_request):
        raise Http404
    offered = [
        v
        for v in selectors.volunteers_for(request=school_request)
        if v.status == VolunteerStatus.OFFERED
    ]
    form = ConfirmVolunteerForm(
        request.POST, volunteers=[(v.pk, v.organization.name) for v in offered]
    )
    if form.is_valid():
        volunteer = next(v for v in offered if v.pk == form.cleaned_data["volunteer"])
        try:
            services.school_request_confirm(
                request=school_request, volunteer=volunteer, by=request.user
            )
        except WorkbasedError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("%(organization)s is confirmed and was told.")
                % {"organization": volunteer.organization.name},
            )
            return redirect(links.school_request(school_request.pk))
    return _request_page(request, school_request, confirm_form=form)


@allowed(may_see_requests)
@require_POST
def request_opportunity(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmed request becomes an opportunity for the school's students."""
    school_request = _request_for(request, pk)
    form = RequestOpportunityForm(request.POST)
    if form.is_valid():
        try:
            opportunity = services.school_request_create_opportunity(
                request=school_request, by=request.user, **form.cleaned_data
            )
        except WorkbasedError as exc:
            if exc.forbidden:
                raise Http404 from exc
            add_service_error(form, exc)
        else:
            if opportunity.status == OpportunityStatus.PUBLISHED:
                messages.success(
                    request, _("The opportunity is published for the school's students.")
                )
                return redirect(links.opportunity(opportunity.pk))
            # A counselor cannot open an opportunity before it is published: back to the request.
            messages.success(request, _("The opportunity was sent to the CTE office for approval."))
            return redirect(links.school_request(school_request.pk))
    return _request_page(request, school_request, opportunity_form=form)


def _matching_page(
    request: HttpRequest, school_request: SchoolRequest, *, error: str = ""
) -> HttpResponse:
    page = paginate(request, selectors.request_matching_partners(request=school_request), 50)
    return render(
        request,
        "workbased/request_matching.html",
        {
            "school_request": school_request,
            "page": page,
            "page_numbers": _numbers(page),
            "is_open": school_request.status in OPEN_REQUEST_STATUSES,
            "error": error,
        },
    )


@allowed(is_cte_staff)
@require_safe
def request_matching(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: the partners whose sectors and offers match the request, whether each was told
    and whether it volunteered, with "invite this partner" for those not yet invited."""
    return _matching_page(request, _request_for(request, pk))


@allowed(is_cte_staff)
@require_POST
def request_invite(request: HttpRequest, pk: int) -> HttpResponse:
    school_request = _request_for(request, pk)
    form = InvitePartnerForm(request.POST)
    if not form.is_valid():
        return _matching_page(request, school_request, error=_("Choose a partner to invite."))
    organization = get_object_or_404(Organization, pk=form.cleaned_data["organization"])
    try:
        told = services.school_request_invite(
            request=school_request, organization=organization, by=request.user
        )
    except WorkbasedError as exc:
        return _matching_page(request, school_request, error=exc.message)
    if told:
        messages.success(
            request,
            _("%(organization)s was invited: its contacts were told of the request.")
            % {"organization": organization.name},
        )
    else:
        messages.info(
            request,
            _("%(organization)s was already invited: nobody was told twice.")
            % {"organization": organization.name},
        )
    return redirect(links.request_matching(school_request.pk))


@allowed(is_advisor)
@require_http_methods(["GET", "POST"])
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    school_request = _request_for(request, pk)
    if not permissions.can_confirm_school_request(request.user, school_request):
        raise Http404
    form = RequestCancelForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.school_request_cancel(
                request=school_request, by=request.user, reason=form.cleaned_data["reason"]
            )
        except WorkbasedError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The request is cancelled."))
            return redirect("workbased:request_list")
    return render(
        request, "workbased/request_cancel.html", {"school_request": school_request, "form": form}
    )
