"""Who may do what with the catalogue: everyone reads what is published, CTE staff change it
(and see drafts)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from cte_portal.users.permissions import is_cte_staff

from .models import Pathway


def can_manage_catalogue(user: Any) -> bool:
    return is_cte_staff(user)


def can_view_pathway(user: Any, pathway: Pathway) -> bool:
    return pathway.is_published or can_manage_catalogue(user)


class CatalogueReadStaffWrite(BasePermission):
    """Reads for everyone, anonymous included; writes for CTE staff only.

    Anonymous writes get 401 (DRF answers "not authenticated" when no credentials came, with
    the token scheme's WWW-Authenticate), anyone else who is not staff 403.
    """

    message = _("Only CTE office staff may change the catalogue.")

    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in SAFE_METHODS or can_manage_catalogue(request.user)
