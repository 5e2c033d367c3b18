"""The roster import pages (CTE staff only): upload an export, then watch its run and read
its report. A running import's page refreshes its status itself (static/js/roster-run.js;
without JavaScript, a Refresh link)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cte_portal.users.permissions import is_cte_staff

from .. import conf
from ..views import allowed
from . import selectors, services
from .enums import ImportPhase, ImportState, Outcome
from .forms import RosterUploadForm
from .models import ImportRun
from .report import Report

PROBLEMS_PER_PAGE = 100
REFRESH_SECONDS = 3


@allowed(is_cte_staff)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = RosterUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        run = services.import_run_queue(upload=form.cleaned_data["export"], by=request.user)
        return redirect("roster:run", pk=run.pk)
    return render(
        request,
        "students/roster/upload.html",
        {
            "form": form,
            "runs": selectors.import_runs_recent(),
            "counselor_roles": conf.get("STUDENTS_ROSTER_COUNSELOR_ROLES"),
        },
    )


@allowed(is_cte_staff)
@require_safe
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        run = selectors.import_run_get(pk=pk)
    except ImportRun.DoesNotExist:
        raise Http404 from None
    report = Report.from_dict(run.report)
    problems = Paginator(report.sorted_problems(), PROBLEMS_PER_PAGE)
    return render(
        request,
        "students/roster/run.html",
        {
            "run": run,
            "report": report,
            "files": report.rows(),
            "outcomes": list(Outcome),
            "problems": problems.get_page(request.GET.get("page")),
            "ImportState": ImportState,
            "counting": run.phase == ImportPhase.CHECKING and run.rows_total,
            "refresh_seconds": REFRESH_SECONDS,
            "crumbs": [(_("Roster import"), reverse("roster:upload"))],
        },
    )
