"""A student's own work-based learning: applications (withdraw, ask the guardian again),
placements with their hours log, reflections, evaluations received, and their calendar
feed. Another student's record answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cte_portal.users.permissions import is_student
from students.models import StudentProfile
from students.selectors import profile_of

from .. import labor, links, permissions, selectors, services
from ..enums import HoursStatus, PlacementStatus
from ..errors import WorkbasedError
from ..forms import ConfirmForm, HoursLogForm, ReflectionForm
from ..models import Application
from ..services.hours import is_minor_on
from .helpers import add_service_error, allowed, feed_url, may_withdraw, posted


def _own_profile(request: HttpRequest) -> StudentProfile:
    profile = profile_of(request.user)
    if profile is None:
        raise Http404(_("You have no student record yet. Ask your school counselor."))
    return profile


@allowed(is_student)
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """Everything of the student's own, in one page (``selectors.student_wbl``)."""
    profile = profile_of(request.user)
    return render(
        request,
        "workbased/mine.html",
        {
            "profile": profile,
            "wbl": selectors.student_wbl(student=profile) if profile else None,
            "feed_url": feed_url(request.user),
        },
    )


def _application_for(request: HttpRequest, pk: int) -> Application:
    application = get_object_or_404(selectors.applications_visible_to(request.user), pk=pk)
    if not permissions.can_withdraw_application(request.user, application):
        raise Http404
    return application


def _back(request: HttpRequest) -> str:
    return links.student_home() if is_student(request.user) else reverse("workbased:students")


@allowed(may_withdraw)
@require_http_methods(["GET", "POST"])
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw an application (the student, their counselor or staff): a freed seat goes to
    the first on the wait list."""
    application = _application_for(request, pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(application=application, by=request.user)
        except WorkbasedError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The application is withdrawn."))
            return redirect(_back(request))
    return render(
        request,
        "workbased/application_withdraw.html",
        {"application": application, "form": form, "back": _back(request)},
    )


@allowed(may_withdraw)
@require_POST
def consent_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """E-mail the guardian a new consent link (older links stop working)."""
    application = _application_for(request, pk)
    try:
        consent = services.consent_resend(application=application, by=request.user)
    except WorkbasedError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("A new consent link is on its way to %(email)s.") % {"email": consent.guardian_email},
        )
    return redirect(_back(request))


@allowed(is_student)
@require_http_methods(["GET", "POST"])
def placement(request: HttpRequest, pk: int) -> HttpResponse:
    """A placement: its hours (approved, waiting, rejected with the supervisor's note), the
    form to log more (a refusal, child-labor limits included, is shown on the form with what
    was typed), the evaluation once given."""
    profile = _own_profile(request)
    placement = get_object_or_404(selectors.placements_of(student=profile), pk=pk)
    form = HoursLogForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.hours_log(placement=placement, by=request.user, **form.cleaned_data)
        except WorkbasedError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Your hours were logged for your supervisor to approve."))
            return redirect("workbased:placement", pk=placement.pk)
    hours = list(selectors.hours_of(student=profile).filter(placement=placement))
    evaluation = selectors.evaluations_visible_to(request.user).filter(placement=placement).first()
    return render(
        request,
        "workbased/placement.html",
        {
            "placement": placement,
            "opportunity": placement.application.opportunity,
            "hours": hours,
            "evaluation": evaluation,
            "form": form,
            "can_log": placement.status == PlacementStatus.ACTIVE,
            "limited": is_minor_on(profile, timezone.localdate()),
            "limits": labor,
            "statuses": HoursStatus,
        },
    )


ABOUT = ("application", "placement", "attendance")


@allowed(is_student)
@require_http_methods(["GET", "POST"])
def reflection(request: HttpRequest, about: str, pk: int) -> HttpResponse:
    """Write (or rewrite) a reflection on one experience: what I did, what I learned."""
    profile = _own_profile(request)
    if about not in ABOUT:
        raise Http404
    experience = next(
        (
            e
            for e in selectors.student_wbl(student=profile).to_reflect
            if (e.about, e.pk) == (about, pk)
        ),
        None,
    )
    if experience is None:
        raise Http404
    initial = {}
    if experience.reflection is not None:
        initial = {
            "what_i_did": experience.reflection.what_i_did,
            "what_i_learned": experience.reflection.what_i_learned,
        }
    form = ReflectionForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        subject = {
            "application": selectors.applications_of(student=profile),
            "placement": selectors.placements_of(student=profile),
            "attendance": selectors.attendance_of(student=profile),
        }[about].get(pk=pk)
        try:
            services.reflection_write(student=profile, **{about: subject}, **form.cleaned_data)
        except WorkbasedError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Your reflection is saved. Your counselor can read it."))
            return redirect(links.student_home())
    return render(request, "workbased/reflection.html", {"form": form, "experience": experience})
