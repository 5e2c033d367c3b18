"""What the workbased app adds to pages owned by the apps below it (``cte_portal.panels``;
registered from ``WorkbasedConfig.ready()``): the student's ``/me/`` dashboard shows their
latest applications and active placements, the employer's dashboard their organization's
opportunities and the applicants waiting. Each costs two queries (rendered without the
request: they need no form token, and the header's context would be computed again)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from . import selectors
from .enums import PlacementStatus

LATEST = 5


def student_dashboard_panel(request: HttpRequest, profile: Any) -> str:
    """A student's latest applications and active placements ("" without a record)."""
    if profile is None:
        return ""
    return render_to_string(
        "workbased/_student_panel.html",
        {
            "applications": list(selectors.applications_of(student=profile)[:LATEST]),
            "placements": list(
                selectors.placements_of(student=profile).filter(status=PlacementStatus.ACTIVE)[
                    :LATEST
                ]
            ),
        },
    )


def employer_dashboard_panel(request: HttpRequest, organization: Any) -> str:
    """The organization's opportunities still in play, with the applicants waiting."""
    return render_to_string(
        "workbased/_employer_panel.html",
        {"summary": selectors.host_summary(organization=organization, limit=LATEST)},
    )
