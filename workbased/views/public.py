"""The opportunity board, an opportunity's page, applying, and an opportunity's calendar file.

Anyone sees the published opportunities open to all (``selectors.opportunities_visible_to``
says who sees what else); another organization's draft answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cte_portal.users.permissions import is_student
from pathways.selectors import sector_label
from students.selectors import profile_of

from .. import ical, links, permissions, selectors, services
from ..enums import EDITABLE_STATUSES, ONE_DAY_KINDS, ConsentState, OpportunityStatus
from ..errors import WorkbasedError
from ..forms import ApplyForm, BoardFilterForm
from ..models import Opportunity
from .helpers import add_service_error, allowed, paginate

BOARD_PAGE_SIZE = 20


@require_safe
def opportunity_list(request: HttpRequest) -> HttpResponse:
    """The board: filters in the address (a GET form, so any result can be shared), soonest
    first, paginated."""
    form = BoardFilterForm(
        request.GET or None,
        choices=selectors.board_filter_choices(),
        sector_label=sector_label(),
    )
    filters = form.filters()
    page = paginate(
        request, selectors.opportunity_board(user=request.user, filters=filters), BOARD_PAGE_SIZE
    )
    filtered = any(request.GET.get(name) for name in BoardFilterForm.FILTERS)
    return render(
        request,
        "workbased/opportunity_list.html",
        {
            "form": form,
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(
                page.number, on_each_side=1, on_ends=1
            ),
            "filtered": filtered,
        },
    )


def _visible(request: HttpRequest, pk: int) -> Opportunity:
    try:
        return selectors.opportunity_for(user=request.user, pk=pk)
    except Opportunity.DoesNotExist as exc:
        raise Http404 from exc


def _detail(
    request: HttpRequest, opportunity: Opportunity, form: ApplyForm | None = None, status=200
) -> HttpResponse:
    """The page of one opportunity, for whoever looks: a student sees whether they can apply
    (or exactly why not) and the form; the host and staff what they can do with it."""
    user = request.user
    context: dict[str, Any] = {
        "opportunity": opportunity,
        "sessions": list(opportunity.sessions.all()),
        "is_one_day": opportunity.kind in ONE_DAY_KINDS,
        "can_manage": permissions.can_manage_opportunity(user, opportunity),
        "can_edit": permissions.can_edit_opportunity(user, opportunity),
        "can_review": permissions.can_review_opportunity(user)
        and opportunity.status == OpportunityStatus.SUBMITTED,
        "editable": opportunity.status in EDITABLE_STATUSES,
        "is_student": is_student(user),
    }
    if is_student(user):
        profile = profile_of(user)
        context["profile"] = profile
        if profile is not None:
            context["application"] = (
                selectors.applications_of(student=profile).filter(opportunity=opportunity).first()
            )
            context["eligibility"] = selectors.application_eligibility(
                student=profile, opportunity=opportunity
            )
            context["form"] = form or ApplyForm()
    return render(request, "workbased/opportunity_detail.html", context, status=status)


@require_safe
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible(request, pk))


@allowed(is_student)
@require_POST
def opportunity_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """A student applies: the service decides (the page shows its refusal on the form and
    keeps the statement)."""
    opportunity = _visible(request, pk)
    profile = profile_of(request.user)
    if profile is None:
        raise Http404(_("You have no student record yet. Ask your school counselor."))
    form = ApplyForm(request.POST)
    if form.is_valid():
        try:
            application = services.application_submit(
                student=profile, opportunity=opportunity, statement=form.cleaned_data["statement"]
            )
        except WorkbasedError as exc:
            add_service_error(form, exc)
        else:
            if application.guardian_consent == ConsentState.PENDING:
                messages.success(
                    request,
                    _(
                        "Your application was sent. We e-mailed your guardian to ask for their "
                        "consent; the host can accept you once they give it."
                    ),
                )
            else:
                messages.success(request, _("Your application was sent to the host."))
            return redirect(links.student_home())
    return _detail(request, opportunity, form)


@require_safe
def opportunity_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The opportunity's sessions as an iCalendar file, for anyone who may see it."""
    opportunity = _visible(request, pk)
    response = HttpResponse(
        ical.opportunity_calendar(opportunity, opportunity.sessions.all()),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="opportunity-{opportunity.pk}.ics"'
    return response
