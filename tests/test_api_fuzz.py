"""Fuzz every operation of the OpenAPI schema in-process (schemathesis), as anonymous and as
CTE staff: no 5xx, and every documented response matches the schema.

New endpoints are picked up from the schema automatically; nothing to register here.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from cte_portal.wsgi import application
from tests.factories.users import StaffUserFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open():
    # Calling the WSGI app directly fires request_started/finished, whose handler closes the
    # database connection, and with it the test's transaction. Django's test Client unhooks
    # it the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def staff_headers(db) -> dict[str, str]:
    staff = StaffUserFactory(email="fuzz.staff@example.org")
    token, _ = Token.objects.get_or_create(user=staff)
    return {"Authorization": f"Token {token.key}"}


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_api_as_anonymous(case):
    case.call_and_validate(checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_api_as_staff(case, staff_headers):
    case.call_and_validate(headers=staff_headers, checks=CHECKS)


def test_the_fuzzer_sees_every_operation():
    operations = {
        f"{result.ok().method.upper()} {result.ok().path}" for result in schema.get_all_operations()
    }
    assert {"POST /api/v1/auth/token/", "GET /api/v1/me/"} <= operations
