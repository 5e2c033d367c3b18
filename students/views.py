"""The students' and counselors' pages. Each view checks who may act (permissions.py), calls
one service or selector, and turns a refusal into a message or a form error."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cte_portal.notifications.selectors import notifications_for
from cte_portal.panels import panels_for
from cte_portal.users.permissions import is_student
from pathways.enums import PathwayStatus
from pathways.models import Offering, Pathway

from . import selectors, services
from .enums import EXPLORATORY_GRADES, EnrollmentStatus
from .forms import (
    AdvisingNoteForm,
    BulkDecisionForm,
    CaseloadFilterForm,
    ChangeRequestForm,
    CourseRecordForm,
    CredentialAwardForm,
    DecisionForm,
    EnrollmentRequestForm,
    ExploratoryWorkshopForm,
    ReadinessForm,
)
from .models import Enrollment, StudentProfile
from .panels import STUDENT_DASHBOARD
from .permissions import can_decide, can_withdraw, is_advisor
from .services import EnrollmentError, RecordError, WorkshopError

PAGE_SIZE = 50
ME_NOTIFICATIONS = 3  # the latest on the dashboard; the rest at /notifications/


def allowed(predicate: Callable[[Any], bool]) -> Callable:
    """Sign-in required (anonymous: to the login page), then the role predicate (403)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST, even an empty one (``request.POST or None`` would leave a
    form with nothing typed unbound: no error, nothing done)."""
    return request.POST if request.method == "POST" else None


def _own_profile(request: HttpRequest) -> StudentProfile:
    profile = selectors.profile_of(request.user)
    if profile is None:
        raise Http404(_("You have no student record yet. Ask your school counselor."))
    return profile


# --- Student pages -----------------------------------------------------------------------------


@allowed(is_student)
@require_safe
def me(request: HttpRequest) -> HttpResponse:
    profile = selectors.profile_of(request.user)
    record = selectors.student_record(student=profile) if profile else None
    latest = list(notifications_for(user=request.user)[:ME_NOTIFICATIONS])
    return render(
        request,
        "students/me.html",
        {
            "record": record,
            "notifications": latest,
            # What other apps add (work-based learning): students/panels.py.
            "dashboard_panels": panels_for(STUDENT_DASHBOARD, request, profile),
        },
    )


@allowed(is_student)
@require_http_methods(["GET", "POST"])
def enroll(request: HttpRequest, offering_id: int) -> HttpResponse:
    profile = _own_profile(request)
    offering = get_object_or_404(  # a draft pathway's offering does not exist for students
        Offering.objects.select_related("pathway", "school").filter(
            pathway__status=PathwayStatus.PUBLISHED
        ),
        pk=offering_id,
    )
    form = EnrollmentRequestForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.enrollment_request(
                student=profile, offering=offering, note=form.cleaned_data["note"]
            )
        except EnrollmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your request was sent to your counselor."))
            return redirect("students:me")
    return render(request, "students/enroll.html", {"form": form, "offering": offering})


@allowed(is_student)
@require_http_methods(["GET", "POST"])
def change(request: HttpRequest) -> HttpResponse:
    """Ask to move to another pathway at the student's school (``?offering=`` preselects
    one, as the pathway page's button does). A student not yet in a pathway is told to
    request one instead."""
    profile = _own_profile(request)
    current = selectors.current_enrollment(student=profile)
    offerings = Offering.objects.filter(
        school_id=profile.school_id,
        open_for_enrollment=True,
        pathway__status=PathwayStatus.PUBLISHED,
    ).select_related("pathway")
    if current is not None:
        offerings = offerings.exclude(pk=current.offering_id)
    initial = {"offering": request.GET.get("offering", "")}
    form = ChangeRequestForm(_posted(request), offerings=offerings, initial=initial)
    if request.method == "POST" and current is not None and form.is_valid():
        try:
            services.pathway_change_request(
                student=profile,
                offering=form.cleaned_data["offering"],
                note=form.cleaned_data["note"],
            )
        except EnrollmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your change request was sent to your counselor."))
            return redirect("students:me")
    return render(request, "students/change.html", {"form": form, "current": current})


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = get_object_or_404(selectors.enrollments_visible_to(request.user), pk=pk)
    if not can_withdraw(request.user, enrollment):
        raise Http404
    back = "students:me" if is_student(request.user) else "students:queue"
    error = ""
    if request.method == "POST":
        try:
            services.enrollment_withdraw(enrollment=enrollment, by=request.user)
        except EnrollmentError as exc:
            error = str(exc)
        else:
            messages.success(request, _("The enrollment is withdrawn."))
            return redirect(back)
    return render(
        request, "students/withdraw.html", {"enrollment": enrollment, "error": error, "back": back}
    )


@allowed(is_student)
@require_POST
def save_pathway(request: HttpRequest, pathway_id: int) -> HttpResponse:
    profile = _own_profile(request)
    pathway = get_object_or_404(Pathway, pk=pathway_id, status=PathwayStatus.PUBLISHED)
    if request.POST.get("remove"):
        services.pathway_unsave(student=profile, pathway=pathway)
        messages.success(request, _("Removed from your saved pathways."))
    else:
        services.pathway_save(student=profile, pathway=pathway)
        messages.success(request, _("Saved to your pathways."))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)  # the page the button was on (the pathway page)
    return redirect("students:me")


# --- Counselor and staff pages -------------------------------------------------------------------


@allowed(is_advisor)
@require_safe
def caseload(request: HttpRequest) -> HttpResponse:
    form = CaseloadFilterForm(
        request.GET or None, choices=selectors.filter_choices(user=request.user)
    )
    students = selectors.caseload_for_counselor(user=request.user, filters=form.filters())
    page = Paginator(students, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)  # the pagination links keep the filters
    return render(
        request,
        "students/caseload.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _decide(enrollment: Enrollment, *, decision: str, reason: str, by: Any) -> Enrollment:
    if decision == "approve":
        return services.enrollment_approve(enrollment=enrollment, by=by)
    if decision == "waitlist":
        return services.enrollment_waitlist(enrollment=enrollment, by=by)
    return services.enrollment_decline(enrollment=enrollment, by=by, reason=reason)


@allowed(is_advisor)
@require_http_methods(["GET", "POST"])
def queue(request: HttpRequest) -> HttpResponse:
    """The requests waiting for a decision; tick several and decide them together."""
    pending = list(selectors.request_queue(user=request.user)[:200])
    choices = [(e.pk, str(e)) for e in pending]
    form = BulkDecisionForm(_posted(request), choices=choices)
    if request.method == "POST" and form.is_valid():
        chosen = [e for e in pending if e.pk in set(form.cleaned_data["enrollments"])]
        done, refused = 0, []
        for enrollment in chosen:  # one transaction each: one refusal does not undo the rest
            try:
                _decide(
                    enrollment,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
                done += 1
            except EnrollmentError as exc:
                refused.append(f"{enrollment.student}: {exc}")
        if done:
            messages.success(
                request,
                ngettext("%(n)d request decided.", "%(n)d requests decided.", done) % {"n": done},
            )
        for line in refused:
            messages.error(request, line)
        return redirect("students:queue")
    return render(request, "students/queue.html", {"form": form, "pending": pending})


@allowed(is_advisor)
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = get_object_or_404(selectors.enrollments_visible_to(request.user), pk=pk)
    if not can_decide(request.user, enrollment):
        raise Http404
    form = DecisionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            _decide(
                enrollment,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except EnrollmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Decision saved; the student is notified."))
            return redirect("students:queue")
    return render(request, "students/decide.html", {"form": form, "enrollment": enrollment})


def _visible_student(request: HttpRequest, pk: int) -> StudentProfile:
    try:
        return selectors.student_for_viewer(user=request.user, student_id=pk)
    except StudentProfile.DoesNotExist:
        raise Http404 from None


@allowed(is_advisor)
@require_safe
def student_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A student's whole record for their counselor or staff. Opening it is logged (FERPA)."""
    return _render_detail(request, _visible_student(request, pk))


def _render_detail(request: HttpRequest, student: StudentProfile, **forms: Any) -> HttpResponse:
    """The record page, also shown again with a rejected form's errors: each showing is an
    opening of the record, so each is logged (FERPA)."""
    services.access_log_record(viewer=request.user, student=student, what="student page")
    return render(
        request,
        "students/student_detail.html",
        {
            "record": selectors.student_record(student=student),
            "eligibility": selectors.dual_enrollment_eligibility(student=student),
            "notes": selectors.advising_notes_for(student=student),
            "enrollments": selectors.enrollments_visible_to(request.user).filter(student=student),
            "note_form": forms.get("note_form") or AdvisingNoteForm(),
            "readiness_form": forms.get("readiness_form") or ReadinessForm(),
            "workshop_form": forms.get("workshop_form") or ExploratoryWorkshopForm(),
            "course_record_form": forms.get("course_record_form") or CourseRecordForm(),
            "award_form": forms.get("award_form") or CredentialAwardForm(),
            "can_record_workshop": student.grade in EXPLORATORY_GRADES,
            "EnrollmentStatus": EnrollmentStatus,
        },
    )


@allowed(is_advisor)
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    student = _visible_student(request, pk)
    form = AdvisingNoteForm(request.POST)
    if form.is_valid():
        services.advising_note_add(student=student, author=request.user, **form.cleaned_data)
        messages.success(request, _("Note saved."))
        return redirect("students:student", pk=student.pk)
    return _render_detail(request, student, note_form=form)


@allowed(is_advisor)
@require_POST
def readiness_add(request: HttpRequest, pk: int) -> HttpResponse:
    student = _visible_student(request, pk)
    form = ReadinessForm(request.POST)
    if form.is_valid():
        services.readiness_measure_add(student=student, by=request.user, **form.cleaned_data)
        messages.success(request, _("Readiness measure recorded."))
        return redirect("students:student", pk=student.pk)
    return _render_detail(request, student, readiness_form=form)


def _record_for_student(
    request: HttpRequest,
    pk: int,
    *,
    form_class: type[forms.Form],
    record: Callable[..., Any],
    refusal: type[Exception],
    done: str,
    form_name: str,
) -> HttpResponse:
    """A counselor or staff member records something about a student from their page: the
    service ``record`` decides; a refusal shows on the form, which keeps what was typed."""
    student = _visible_student(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            record(student=student, by=request.user, **form.cleaned_data)
        except refusal as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect("students:student", pk=student.pk)
    return _render_detail(request, student, **{form_name: form})


@allowed(is_advisor)
@require_POST
def workshop_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A counselor records an exploratory workshop a middle-schooler attended."""
    return _record_for_student(
        request,
        pk,
        form_class=ExploratoryWorkshopForm,
        record=services.exploratory_workshop_record,
        refusal=WorkshopError,
        done=_("Workshop recorded."),
        form_name="workshop_form",
    )


@allowed(is_advisor)
@require_POST
def course_record_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A counselor or staff member records a course taken (with its mark and credits)."""
    return _record_for_student(
        request,
        pk,
        form_class=CourseRecordForm,
        record=services.course_record_add,
        refusal=RecordError,
        done=_("Course record saved."),
        form_name="course_record_form",
    )


@allowed(is_advisor)
@require_POST
def credential_award_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A counselor or staff member records a credential the student earned."""
    return _record_for_student(
        request,
        pk,
        form_class=CredentialAwardForm,
        record=services.credential_award_add,
        refusal=RecordError,
        done=_("Credential recorded."),
        form_name="award_form",
    )


@allowed(is_advisor)
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    """The student's counselor (or staff) marks their pathway completed."""
    enrollment = get_object_or_404(selectors.enrollments_visible_to(request.user), pk=pk)
    if not can_decide(request.user, enrollment):
        raise Http404
    try:
        services.enrollment_complete(enrollment=enrollment, by=request.user)
    except EnrollmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The pathway is marked completed."))
    return redirect("students:student", pk=enrollment.student_id)
