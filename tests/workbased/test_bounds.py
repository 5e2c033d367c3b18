"""Sane bounds on what people type (``workbased.bounds``), on the pages and in the API alike:
a value PostgreSQL or Python's dates could not hold (seats = 10**12, the year 9999 or 99999)
is a clear refusal on its field, never a server error, and nothing is written."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.partners import OfferFactory
from tests.factories.pathways import SchoolFactory, SectorFactory
from tests.factories.students import CounselorProfileFactory, StudentProfileFactory
from tests.factories.workbased import (
    InternshipFactory,
    OpportunityFactory,
    PlacementFactory,
    SchoolRequestFactory,
    at,
    pathway_at,
)
from tests.workbased.api import errors, post
from tests.workbased.test_api_opportunities import payload
from tests.workbased.test_api_school_requests import asking
from tests.workbased.test_views_employer import form_data
from tests.workbased.test_views_staff import ask
from workbased import services
from workbased.enums import SchoolRequestStatus, VolunteerStatus
from workbased.errors import SchoolRequestError
from workbased.models import (
    Opportunity,
    OpportunitySession,
    Placement,
    SchoolRequest,
    Volunteer,
)

pytestmark = pytest.mark.django_db

BOARD_API = reverse("api:opportunity-list")
BOARD_PAGE = reverse("workbased:opportunity_list")
NEW_OPPORTUNITY = reverse("workbased:opportunity_new")
REQUESTS_API = reverse("api:school-request-list")
NEW_REQUEST = reverse("workbased:request_new")

YEAR_9999 = "9999-12-31T23:00"  # stored, it would be year 10000 in UTC: unreadable


def nothing_written() -> bool:
    return Opportunity.objects.count() == 0 and OpportunitySession.objects.count() == 0


# --- Opportunities ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"seats": 10**12}, "seats", "less than or equal to"),
        ({"seats": 2_000_000_000}, "seats", "from 1 to 10000 seats"),
        ({"min_age": 40000}, "min_age", "less than or equal to"),
        ({"min_age": 99}, "min_age", "10 to 21"),
        ({"hours_per_week": "999.9"}, "hours_per_week", "at most 60"),
        ({"hours_per_week": "0"}, "hours_per_week", "more than 0"),
        ({"apply_by": "9999-12-31"}, "apply_by", "from 2000 to 2100"),
        ({"apply_by": "0001-01-01"}, "apply_by", "from 2000 to 2100"),
        ({"apply_by": "99999-01-01"}, "apply_by", "wrong format"),
        (
            {"sessions": [{"starts_at": f"{YEAR_9999}:00", "ends_at": "9999-12-31T23:30:00"}]},
            "sessions",
            "Datetime value out of range",
        ),
        (
            {"sessions": [{"starts_at": "9999-06-01T09:00:00", "ends_at": "9999-06-01T12:00:00"}]},
            "sessions",
            "from 2000 to 2100",
        ),
        (
            {"sessions": [{"starts_at": "1999-12-31T09:00:00", "ends_at": "2030-01-01T09:00:00"}]},
            "sessions",
            "from 2000 to 2100",
        ),
    ],
)
def test_the_api_refuses_an_opportunity_out_of_bounds(
    client_for, org, employer, overrides, field, words
):
    body = errors(post(client_for(employer), BOARD_API, payload(**overrides)))

    assert list(body["errors"]) == [field]
    assert words in str(body["errors"][field])
    assert nothing_written()
    assert client_for(employer).get(BOARD_API).status_code == 200


def test_the_api_refuses_a_change_out_of_bounds_and_keeps_the_opportunity(
    client_for, org, host, employer
):
    draft = OpportunityFactory(organization=org, host=host, status="draft", seats=4)
    response = client_for(employer).patch(
        reverse("api:opportunity-detail", args=[draft.pk]),
        {"seats": 2_000_000_000, "apply_by": "2026-01-01"},
        content_type="application/json",
    )

    assert list(errors(response)["errors"]) == ["seats"]
    draft.refresh_from_db()
    assert (draft.seats, draft.apply_by) == (4, None)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"seats": str(10**12)}, "seats", "less than or equal to 10000"),
        ({"hours_per_week": "99.9"}, "hours_per_week", "at most 60"),
        ({"apply_by": "99999-01-01"}, "apply_by", "valid date"),
        ({"apply_by": "9999-12-31"}, "apply_by", "from 2000 to 2100"),
    ],
)
def test_the_page_refuses_an_opportunity_out_of_bounds_on_its_field(
    client_for, employer, org, host, changes, field, words
):
    response = client_for(employer).post(NEW_OPPORTUNITY, form_data(host, **changes))

    assert response.status_code == 200
    assert words in str(response.context["form"].errors[field])
    assert nothing_written()


def test_the_page_refuses_a_session_in_the_year_9999(client_for, employer, org, host):
    response = client_for(employer).post(
        NEW_OPPORTUNITY,
        form_data(host, **{"sessions-0-starts_at": YEAR_9999, "sessions-0-ends_at": YEAR_9999}),
    )

    assert response.status_code == 200
    assert response.context["session_errors"] == ["Each session must be from 2000 to 2100."]
    assert 'value="9999-12-31T23:00"' in response.content.decode()  # kept as typed
    assert nothing_written()


# --- The board's date filters -------------------------------------------------------------------


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_board_date_out_of_bounds_is_a_400_in_the_api(client_for, org, day):
    OpportunityFactory(organization=org)
    for name in ("from", "to"):
        response = client_for().get(BOARD_API, {name: day})
        assert response.status_code == 400, response.content
        assert "from 2000 to 2100" in str(response.json())


def test_a_board_date_out_of_bounds_is_a_filter_error_on_the_page(client_for, org):
    shown = OpportunityFactory(organization=org)

    response = client_for().get(BOARD_PAGE, {"starts_until": "9999-12-31"})

    assert response.status_code == 200
    assert "Choose a date from 2000 to 2100." in response.content.decode()
    assert [o.pk for o in response.context["page"].object_list] == [shown.pk]  # ignored


# --- Placements ---------------------------------------------------------------------------------


@pytest.fixture
def placement(org, host):
    return PlacementFactory(
        application__student=StudentProfileFactory(),
        application__opportunity=InternshipFactory(
            organization=org, host=host, sessions=[(at(-30, 9), at(30, 17))]
        ),
        supervisor=host,
    )


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"ends_on": "9999-12-31"}, "ends_on", "from 2000 to 2100"),
        ({"target_hours": "99999.9"}, "target_hours", "up to 2000"),
        ({"target_hours": str(10**12)}, "target_hours", "digits"),
    ],
)
def test_the_placement_page_refuses_out_of_bounds(
    client_for, employer, placement, changes, field, words
):
    before = (placement.starts_on, placement.ends_on, placement.target_hours)
    data = {
        "supervisor": placement.supervisor_id,
        "starts_on": placement.starts_on.isoformat(),
        "ends_on": placement.ends_on.isoformat(),
        "target_hours": "60",
        **changes,
    }

    response = client_for(employer).post(
        reverse("workbased:placement_manage", args=[placement.pk]), data
    )

    assert response.status_code == 200
    assert words in str(response.context["form"].errors[field])
    after = Placement.objects.get(pk=placement.pk)
    assert (after.starts_on, after.ends_on, after.target_hours) == before


# --- School requests ----------------------------------------------------------------------------


@pytest.fixture
def asking_school(counselor):
    school = SchoolFactory(name="Harbor High", slug="harbor-high", address="10 School Lane")
    CounselorProfileFactory(user=counselor, schools=[school])
    pathway = pathway_at(school, sector=SectorFactory(), name="Nursing", slug="nursing")
    OfferFactory(sector=pathway.sector, kind="speaker")
    return school, pathway


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"audience_size": 10**12}, "audience_size", "less than or equal to"),
        ({"audience_size": 2_000_000_000}, "audience_size", "at most 5000 students"),
        ({"latest_date": "9999-12-31"}, "latest_date", "from 2000 to 2100"),
        ({"earliest_date": "99999-01-01"}, "earliest_date", "wrong format"),
    ],
)
def test_the_api_refuses_a_school_request_out_of_bounds(
    client_for, counselor, asking_school, overrides, field, words
):
    body = errors(post(client_for(counselor), REQUESTS_API, asking(**overrides)))

    assert list(body["errors"]) == [field]
    assert words in str(body["errors"][field])
    assert SchoolRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"audience_size": str(10**12)}, "audience_size", "at most 5000 students"),
        ({"latest_date": "9999-12-31"}, "latest_date", "from 2000 to 2100"),
    ],
)
def test_the_request_page_refuses_out_of_bounds(
    client_for, counselor, asking_school, changes, field, words
):
    school, pathway = asking_school
    response = client_for(counselor).post(
        NEW_REQUEST, ask(school=school.pk, pathway=pathway.pk, **changes)
    )

    assert response.status_code == 200
    assert words in str(response.context["form"].errors[field])
    assert SchoolRequest.objects.count() == 0


def test_a_visit_ending_in_the_year_9999_is_refused(client_for, counselor):
    """The confirmed request's opportunity: its end is bounded like any session's."""
    school = SchoolFactory()
    CounselorProfileFactory(user=counselor, schools=[school])
    request = SchoolRequestFactory(
        school=school,
        pathway=pathway_at(school),
        requested_by=counselor,
        status=SchoolRequestStatus.CONFIRMED,
        latest_date=timezone.localdate() + timedelta(days=30),
    )
    partner = OfferFactory(sector=request.pathway.sector, kind="speaker").organization
    Volunteer.objects.create(request=request, organization=partner, status=VolunteerStatus.CHOSEN)
    far = timezone.make_aware(datetime(9999, 12, 31, 23, 0))

    with pytest.raises(SchoolRequestError, match="from 2000 to 2100") as refused:
        services.school_request_create_opportunity(
            request=request, by=counselor, starts_at=at(20, 9), ends_at=far
        )
    assert refused.value.field == "ends_at"
    assert Opportunity.objects.count() == 0
