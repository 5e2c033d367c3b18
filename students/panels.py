"""The students app's part of the pathway page (registered into ``pathways.panels``).

The catalogue must not import students (apps depend one way: pathways <- students), so
``StudentsConfig.ready()`` registers ``enroll_panel`` with the pathway page's registry; the
page renders it inside its "Join this pathway" box.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from . import selectors


def enroll_panel(request: HttpRequest, pathway: Any) -> str:
    """A student's enroll (or change) buttons, their standing and save / unsave; "" for
    anyone else, so the page shows its general advice."""
    context = selectors.enroll_cta(user=request.user, pathway=pathway)
    if context["cta_student"] is None:
        return ""
    return render_to_string("students/_enroll_cta.html", context, request=request)
