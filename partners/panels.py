"""What the partners app adds to the catalogue's pages (see ``pathways.panels``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from .selectors import advisory_members_for_sector


def sector_advisory_panel(request: HttpRequest, sector: Any) -> str:
    """The sector's advisory board and industry commission members who agreed to be listed
    (one query), with a way for someone from the industry to become a partner."""
    return render_to_string(
        "partners/_sector_advisory.html",
        {"sector": sector, "members": advisory_members_for_sector(sector)},
        request=request,
    )
