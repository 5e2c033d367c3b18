"""The students app and panels (see ``cte_portal.panels``).

Its own slot, for apps above it:
- ``STUDENT_DASHBOARD``: the student's ``/me/`` page, after the program of study (object: the
  student's record, or None without one). ``workbased`` fills it (applications, placements).

Its part of the pathway page: the catalogue must not import students (apps depend one way:
pathways <- students), so ``StudentsConfig.ready()`` registers ``enroll_panel`` into the
catalogue's ``PATHWAY_JOIN`` slot; the page renders it inside its "Join this pathway" box.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from cte_portal.panels import declare_slot

from . import selectors

STUDENT_DASHBOARD = declare_slot("students.student_dashboard")


def enroll_panel(request: HttpRequest, pathway: Any) -> str:
    """A student's enroll (or change) buttons, their standing and save / unsave; "" for
    anyone else, so the page shows its general advice."""
    context = selectors.enroll_cta(user=request.user, pathway=pathway)
    if context["cta_student"] is None:
        return ""
    return render_to_string("students/_enroll_cta.html", context, request=request)
