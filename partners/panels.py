"""The partners app and panels (see ``cte_portal.panels``): the slot its employer dashboard
offers to apps above it, and what it adds to the catalogue's pages.

- ``EMPLOYER_DASHBOARD``: the employer's dashboard, below the organization's details (object:
  the organization). ``workbased`` fills it (their opportunities, applicants waiting).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from cte_portal.panels import declare_slot

from .selectors import advisory_members_for_sector

EMPLOYER_DASHBOARD = declare_slot("partners.employer_dashboard")


def sector_advisory_panel(request: HttpRequest, sector: Any) -> str:
    """The sector's advisory board and industry commission members who agreed to be listed
    (one query), with a way for someone from the industry to become a partner."""
    return render_to_string(
        "partners/_sector_advisory.html",
        {"sector": sector, "members": advisory_members_for_sector(sector)},
        request=request,
    )
