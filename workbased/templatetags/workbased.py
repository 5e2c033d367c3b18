"""Template helpers of the work-based learning pages."""

from __future__ import annotations

from typing import Any

from django import template

from ..enums import EVALUATION_SKILLS, Rating, VolunteerStatus

register = template.Library()


@register.filter
def ratings(evaluation: Any) -> list[tuple[str, int, str]]:
    """An evaluation's ratings in the form's order: (skill, 1 to 4, what the number means)."""
    return [
        (str(label), getattr(evaluation, name), str(Rating(getattr(evaluation, name)).label))
        for name, label in EVALUATION_SKILLS
    ]


@register.filter
def volunteer_status(value: str | None) -> str:
    """A volunteer's status, as people read it (empty when nobody volunteered)."""
    return str(VolunteerStatus(value).label) if value else ""
