"""Who may do what with partners: small named predicates, combined per page and API action.

CTE staff run the relationships (every partner, the review queue, interactions). An employer
is a contact of at most one organization and acts only for it, and only while it is approved.
Students and counselors have no business here (403). Someone else's organization answers 404,
so its existence is not revealed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from cte_portal.users.enums import Role
from cte_portal.users.permissions import (
    has_role,
    is_authenticated,
    is_cte_staff,
    is_employer,
    role_permission,
)

from .enums import ContactStatus, OrganizationStatus
from .models import Agreement, Contact, Organization


def can_manage_partners(user: Any) -> bool:
    return is_cte_staff(user)


def is_contact_of(user: Any, organization: Organization) -> bool:
    """An active contact of this organization, which is an approved partner."""
    if not is_employer(user) or organization.status != OrganizationStatus.APPROVED:
        return False
    contact = getattr(user, "partner_contact", None)
    return (
        contact is not None
        and contact.organization_id == organization.pk
        and contact.status == ContactStatus.ACTIVE
    )


def can_view_organization(user: Any, organization: Organization) -> bool:
    return can_manage_partners(user) or is_contact_of(user, organization)


# An organization's own people and CTE staff change its offers and invite its colleagues.
can_edit_offers = can_view_organization
can_invite_colleagues = can_view_organization


def can_manage_colleague(user: Any, contact: Contact) -> bool:
    """Who may make a contact primary or remove them: CTE staff, and the active contacts of
    the same organization (only its active and invited people are theirs to see)."""
    if can_manage_partners(user):
        return True
    return contact.status in (ContactStatus.ACTIVE, ContactStatus.INVITED) and is_contact_of(
        user, contact.organization
    )


def can_download_agreement(user: Any, agreement: Agreement) -> bool:
    return can_view_organization(user, agreement.organization)


def may_use_partner_pages(user: Any) -> bool:
    """Roles that have partner pages at all (the rest get 403)."""
    return has_role(user, Role.STAFF, Role.EMPLOYER)


# --- For views -----------------------------------------------------------------------------------

View = Callable[..., HttpResponse]


def _requires(predicate: Callable[[Any], bool]) -> Callable[[View], View]:
    """Anonymous: to the sign-in page. Signed in without the right: 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not is_authenticated(request.user):
                return redirect_to_login(request.get_full_path())
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    return decorator


staff_required = _requires(can_manage_partners)
employer_required = _requires(is_employer)
partner_role_required = _requires(may_use_partner_pages)


# --- For the API ---------------------------------------------------------------------------------

IsStaffOrEmployer = role_permission(Role.STAFF, Role.EMPLOYER)
