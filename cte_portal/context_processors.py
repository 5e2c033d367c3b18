from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cte_portal.notifications.selectors import unread_count
from cte_portal.users.enums import Role


def navigation_for(user: Any) -> list[tuple[str, str]]:
    """The header's links for this person: everyone's, then those of their role."""
    items: list[tuple[str, str]] = [
        (str(_("Home")), reverse("home")),
        (str(_("Opportunities")), reverse("workbased:opportunity_list")),
    ]
    if getattr(user, "is_authenticated", False):
        unread = unread_count(user=user)
        label = _("Notifications")
        if unread:
            label = ngettext(
                "Notifications (%(count)d unread)", "Notifications (%(count)d unread)", unread
            ) % {"count": unread}
        items.append((str(label), reverse("notifications:list")))
        if user.role == Role.STUDENT:
            items.append((str(_("My pathway")), reverse("students:me")))
            items.append((str(_("My work-based learning")), reverse("workbased:mine")))
        if user.role in (Role.COUNSELOR, Role.STAFF):
            items.append((str(_("Caseload")), reverse("students:caseload")))
            items.append((str(_("Enrollment requests")), reverse("students:queue")))
        if user.role == Role.COUNSELOR:
            items.append((str(_("Work-based learning")), reverse("workbased:students")))
        if user.role == Role.STAFF:
            items.append((str(_("Back office")), reverse("admin:index")))
        items.append((str(_("API")), reverse("api:docs")))
        if user.role == Role.EMPLOYER:
            items.append((str(_("My organization")), reverse("partners:dashboard")))
            items.append((str(_("Manage opportunities")), reverse("workbased:manage")))
        if user.role == Role.STAFF:
            items.append((str(_("Partners")), reverse("partners:list")))
            items.append((str(_("Roster import")), reverse("roster:upload")))
            items.append((str(_("Review queue")), reverse("workbased:review")))
    return items


def portal(request: HttpRequest) -> dict[str, Any]:
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "nav_items": navigation_for(getattr(request, "user", None)),
    }
