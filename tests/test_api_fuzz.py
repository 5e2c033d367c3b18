"""Fuzz every operation of the OpenAPI schema in-process (schemathesis), as anonymous and as
CTE staff: no 5xx, and every documented response matches the schema.

New endpoints are picked up from the schema automatically; nothing to register here. With an
empty database, though, an operation on one object only ever answers 404: the work-based
learning operations are fuzzed again on real records (``wbl_world``), as a student, a partner's
contact and CTE staff, with each ``{id}`` and each reference in a body aimed at one of them.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from cte_portal.wsgi import application
from tests.factories.users import (
    CounselorUserFactory,
    EmployerUserFactory,
    StaffUserFactory,
    StudentUserFactory,
)

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
WORKBASED = schema.include(
    path_regex=r"^/api/v1/(opportunities|applications|placements|hours|school-requests)/"
)

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


# --- Work-based learning, on real records -----------------------------------------------------


@pytest.fixture
def wbl_world(db) -> dict:
    """A partner (its contact supervises an internship that ends today, with hours waiting,
    and volunteered for a school's request), a student who applied to one of its published
    opportunities and may apply to another, a draft and a submitted one, a counselor, staff;
    and each person's token."""
    from partners.enums import OfferKind
    from tests.factories.partners import OfferFactory, partner_of
    from tests.factories.pathways import OfferingFactory, PathwayFactory
    from tests.factories.students import CounselorProfileFactory, StudentProfileFactory
    from tests.factories.workbased import (
        ApplicationFactory,
        HoursLogFactory,
        InternshipFactory,
        OpportunityFactory,
        PlacementFactory,
        SchoolRequestFactory,
        at,
    )
    from workbased.enums import ApplicationStatus, OpportunityStatus
    from workbased.models import Volunteer

    people = {
        "student": StudentUserFactory(email="fuzz.student@example.org"),
        "employer": EmployerUserFactory(email="fuzz.employer@example.org"),
        "staff": StaffUserFactory(email="fuzz.staff@example.org"),
    }
    org = partner_of(people["employer"], name="Fuzz Health")
    host = people["employer"].partner_contact
    pathway = PathwayFactory()
    school = OfferingFactory(pathway=pathway).school
    student = StudentProfileFactory(user=people["student"], school=school, grade=11)
    CounselorProfileFactory(user=CounselorUserFactory(), schools=[school])
    OfferFactory(organization=org, sector=pathway.sector, kind=OfferKind.SPEAKER)
    published = OpportunityFactory(organization=org, host=host)
    today = timezone.localdate()
    placement = PlacementFactory(
        application=ApplicationFactory(
            student=student,
            status=ApplicationStatus.ACCEPTED,
            opportunity=InternshipFactory(
                organization=org, host=host, sessions=[(at(-30, 9), at(0, 8))]
            ),
        ),
        starts_on=today - timedelta(days=30),
        ends_on=today,
    )
    request = SchoolRequestFactory(school=school, pathway=pathway, status="matched")
    volunteer = Volunteer.objects.create(request=request, organization=org, contact=host)
    records = {
        "published": published,
        "draft": OpportunityFactory(organization=org, host=host, status=OpportunityStatus.DRAFT),
        "submitted": OpportunityFactory(
            organization=org, host=host, status=OpportunityStatus.SUBMITTED
        ),
        "applications": ApplicationFactory(student=student, opportunity=published),
        "placements": placement,
        "hours": HoursLogFactory(placement=placement),
        "school-requests": request,
    }
    references = {
        "organization": org.pk,
        "host": host.pk,
        "opportunity": OpportunityFactory(organization=org, host=host).pk,  # not applied to
        "placement": placement.pk,
        "volunteer": volunteer.pk,
        "school": school.slug,
        "pathway": pathway.slug,
        "sectors": [pathway.sector.slug],
        "pathways": [pathway.slug],
    }
    tokens = {
        role: {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}
        for role, user in people.items()
    }
    return {"records": records, "references": references, "tokens": tokens}


def _record_for(case, records: dict):
    """The seeded record an operation on one object is aimed at."""
    parts = case.operation.path.strip("/").split("/")  # api, v1, resource, {id}, action?
    resource, action = parts[2], (parts[4] if len(parts) > 4 else None)
    if resource != "opportunities":
        return records[resource]
    if action in ("publish", "return"):
        return records["submitted"]
    if action == "submit" or case.method.upper() in ("PUT", "PATCH"):
        return records["draft"]
    return records["published"]


def _aim(case, world: dict) -> None:
    if case.path_parameters and "id" in case.path_parameters:
        case.path_parameters["id"] = _record_for(case, world["records"]).pk
    if isinstance(case.body, dict):
        for name, value in world["references"].items():
            if name in case.body:
                case.body[name] = value


@pytest.mark.django_db
@WORKBASED.parametrize()
@FUZZ
def test_workbased_api_on_real_records_as_a_student(case, wbl_world):
    _aim(case, wbl_world)
    case.call_and_validate(headers=wbl_world["tokens"]["student"], checks=CHECKS)


@pytest.mark.django_db
@WORKBASED.parametrize()
@FUZZ
def test_workbased_api_on_real_records_as_a_partner(case, wbl_world):
    _aim(case, wbl_world)
    case.call_and_validate(headers=wbl_world["tokens"]["employer"], checks=CHECKS)


@pytest.mark.django_db
@WORKBASED.parametrize()
@FUZZ
def test_workbased_api_on_real_records_as_staff(case, wbl_world):
    _aim(case, wbl_world)
    case.call_and_validate(headers=wbl_world["tokens"]["staff"], checks=CHECKS)
