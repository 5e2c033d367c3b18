from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cte_portal.users.enums import Role


def navigation_for(user: Any) -> list[tuple[str, str]]:
    """The header's links for this person: everyone's, then those of their role."""
    items: list[tuple[str, str]] = [(str(_("Home")), reverse("home"))]
    if getattr(user, "is_authenticated", False):
        if user.role == Role.STAFF:
            items.append((str(_("Back office")), reverse("admin:index")))
        items.append((str(_("API")), reverse("api:docs")))
    return items


def portal(request: HttpRequest) -> dict[str, Any]:
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "nav_items": navigation_for(getattr(request, "user", None)),
    }
