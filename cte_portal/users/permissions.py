"""Who may do what: small named predicates, combined per view and per API action.

Each predicate takes the user (anonymous included) and answers yes or no. Domain apps add
object-level predicates in their own ``permissions.py`` and combine them with these.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission

from .enums import Role


def is_authenticated(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def has_role(user: Any, *roles: Role) -> bool:
    return is_authenticated(user) and user.role in roles


def is_student(user: Any) -> bool:
    return has_role(user, Role.STUDENT)


def is_counselor(user: Any) -> bool:
    return has_role(user, Role.COUNSELOR)


def is_cte_staff(user: Any) -> bool:
    return has_role(user, Role.STAFF)


def is_employer(user: Any) -> bool:
    return has_role(user, Role.EMPLOYER)


def role_permission(*roles: Role) -> type[BasePermission]:
    """A DRF permission class admitting only the given roles (401 anonymous, 403 others)."""

    class HasRole(BasePermission):
        message = "Your role may not use this endpoint."

        def has_permission(self, request: Any, view: Any) -> bool:
            return has_role(request.user, *roles)

    HasRole.__name__ = "Is" + "Or".join(r.value.title() for r in roles)
    return HasRole


IsCTEStaff = role_permission(Role.STAFF)
