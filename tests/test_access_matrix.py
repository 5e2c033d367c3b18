"""Who may use every route: one table, checked for every role.

The test walks Django's URL resolver. A route of ours that is missing from ``MATRIX`` fails
``test_every_route_is_in_the_matrix``, so no feature lands without saying who may use it.
Third-party route groups (Django admin, allauth, i18n) are checked through representative
rows instead of route by route; see ``THIRD_PARTY``.

To add a route: add a ``Route`` with the expected status for each role. ``url`` receives the
``world`` (the people below, and whatever objects a feature adds to it) and returns the path,
so object routes can point at, say, ``student``'s record and prove ``other_student`` is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories.users import (
    CounselorUserFactory,
    EmployerUserFactory,
    StaffUserFactory,
    StudentUserFactory,
)

ROLES = (
    "anonymous",
    "student",
    "other_student",
    "counselor",
    "staff",
    "employer",
    "other_employer",
)

# Groups of expectations, to keep the table readable.
EVERYONE_200 = dict.fromkeys(ROLES, 200)


def signed_in(status: int = 200, *, anonymous: int = 302) -> dict[str, int]:
    return {**dict.fromkeys(ROLES, status), "anonymous": anonymous}


def only(roles: set[str], status: int = 200, *, anonymous: int, others: int) -> dict[str, int]:
    return {
        role: anonymous if role == "anonymous" else (status if role in roles else others)
        for role in ROLES
    }


@dataclass(frozen=True)
class Route:
    name: str
    expect: dict[str, int]
    url: Callable[[dict[str, Any]], str] | None = None
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)

    def path(self, world: dict[str, Any]) -> str:
        return self.url(world) if self.url else reverse(self.name)


MATRIX: list[Route] = [
    # Portal pages
    Route("home", EVERYONE_200),
    Route("healthz", EVERYONE_200),
    Route("robots", EVERYONE_200),
    # API
    Route("api:root", EVERYONE_200),
    Route("api:token", dict.fromkeys(ROLES, 400), method="post"),  # public; empty body is refused
    Route("api:me", signed_in(anonymous=401)),
    Route("api:schema", EVERYONE_200),
    Route("api:docs", EVERYONE_200),
    # Representatives of third-party groups (see THIRD_PARTY)
    Route("admin:index", only({"staff"}, anonymous=302, others=302)),
    Route("admin:users_user_changelist", only({"staff"}, anonymous=302, others=302)),
    Route("account_login", {**dict.fromkeys(ROLES, 302), "anonymous": 200}),
    Route("account_logout", signed_in(200, anonymous=302)),
    Route("account_reset_password", EVERYONE_200),
    Route("account_signup", {**dict.fromkeys(ROLES, 302), "anonymous": 200}),  # "closed" page
    Route("account_email", signed_in(200)),
    Route("account_change_password", signed_in(200)),
    Route("set_language", dict.fromkeys(ROLES, 302), method="post", data={"language": "es"}),
]

# Route groups owned by libraries, with the reason they are not listed route by route.
THIRD_PARTY = {
    "admin/": "Django admin: staff only, enforced by admin.site; rows above sample it",
    "accounts/": "django-allauth: sign-in pages; rows above sample them",
    "i18n/": "Django's set_language; sampled above",
}


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield prefix + str(entry.pattern), name


def all_routes() -> list[tuple[str, str | None]]:
    return list(_walk(get_resolver().url_patterns))


def test_every_route_is_in_the_matrix():
    listed = {route.name for route in MATRIX}
    missing = [
        f"{pattern} (name={name})"
        for pattern, name in all_routes()
        if not pattern.startswith(tuple(THIRD_PARTY)) and name not in listed
    ]
    assert missing == [], "Routes with no row in tests/test_access_matrix.py MATRIX:\n" + "\n".join(
        missing
    )


def test_every_matrix_row_names_a_real_route_and_every_role():
    names = {name for _, name in all_routes()}
    for route in MATRIX:
        assert route.name in names, f"{route.name} is not a route any more"
        assert set(route.expect) == set(ROLES), f"{route.name} does not say who may use it"


@pytest.fixture
def world(db) -> dict[str, Any]:
    """One person per role; features add their objects here (e.g. each student's record)."""
    return {
        "anonymous": None,
        "student": StudentUserFactory(email="m.student@example.org"),
        "other_student": StudentUserFactory(email="m.other.student@example.org"),
        "counselor": CounselorUserFactory(email="m.counselor@example.org"),
        "staff": StaffUserFactory(email="m.staff@example.org"),
        "employer": EmployerUserFactory(email="m.employer@example.org"),
        "other_employer": EmployerUserFactory(email="m.other.employer@example.org"),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", MATRIX, ids=lambda r: r.name)
def test_route_answers_each_role_as_the_matrix_says(route: Route, role: str, world):
    client = Client()
    if world[role] is not None:
        client.force_login(world[role])

    response = getattr(client, route.method)(route.path(world), route.data)

    assert response.status_code == route.expect[role], (
        f"{route.method.upper()} {route.path(world)} as {role}: "
        f"{response.status_code}, expected {route.expect[role]}"
    )
