"""Template tags other apps' pages use to show partner information."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors import advisory_members_for_sector

register = template.Library()


@register.inclusion_tag("partners/_sector_advisory.html")
def sector_advisory(sector: Any) -> dict[str, Any]:
    """The sector's listed advisory board and industry commission members (one query):
    ``{% load partners %}{% sector_advisory sector %}`` on the sector page."""
    return {"sector": sector, "members": advisory_members_for_sector(sector)}
