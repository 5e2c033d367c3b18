"""/api/v1/opportunities/: the board for every role (with drafts and other partners'
opportunities present that must not leak), its filters, writes by the host and by staff, the
review actions, and the board's query count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.pathways import PathwayFactory, SchoolFactory, SectorFactory
from tests.factories.workbased import OpportunityFactory, at
from tests.workbased.api import errors, ids, post
from tests.workbased.conftest import outbox
from workbased import notifications as kinds
from workbased.enums import OpportunityKind, OpportunityStatus
from workbased.models import Opportunity, OpportunitySession

pytestmark = pytest.mark.django_db

BOARD = reverse("api:opportunity-list")


def detail(opportunity, step: str = "") -> str:
    if step:
        return reverse(f"api:opportunity-{step}", args=[opportunity.pk])
    return reverse("api:opportunity-detail", args=[opportunity.pk])


@pytest.fixture
def board(org, host, other_org, profile):
    """The employer's published, draft and submitted; the other partner's published and draft;
    one for Ana's school only and one for another school only."""
    other_host = other_org.contacts.get()
    return {
        "mine": OpportunityFactory(organization=org, host=host, title="Nursing talk"),
        "my_draft": OpportunityFactory(organization=org, host=host, status="draft"),
        "my_submitted": OpportunityFactory(organization=org, host=host, status="submitted"),
        "theirs": OpportunityFactory(organization=other_org, host=other_host),
        "their_draft": OpportunityFactory(organization=other_org, host=other_host, status="draft"),
        "anas_school": OpportunityFactory(organization=org, host=host, school=profile.school),
        "other_school": OpportunityFactory(organization=org, host=host, school=SchoolFactory()),
    }


def pks(board, *names) -> list[int]:
    return sorted(board[name].pk for name in names)


# --- Who sees what ------------------------------------------------------------------------------


def test_the_public_sees_published_opportunities_open_to_all(client_for, board):
    assert ids(client_for().get(BOARD)) == pks(board, "mine", "theirs")


def test_a_student_also_sees_their_own_schools(client_for, board, student, other_student):
    assert ids(client_for(student).get(BOARD)) == pks(board, "mine", "theirs", "anas_school")
    # A student without a record at that school does not.
    assert ids(client_for(other_student).get(BOARD)) == pks(board, "mine", "theirs")


def test_a_partner_also_sees_every_status_of_its_own(client_for, board, employer, other_employer):
    assert ids(client_for(employer).get(BOARD)) == pks(
        board, "mine", "my_draft", "my_submitted", "theirs", "anas_school", "other_school"
    )
    assert ids(client_for(other_employer).get(BOARD)) == pks(board, "mine", "theirs", "their_draft")


def test_staff_see_everything(client_for, board, staff):
    assert ids(client_for(staff).get(BOARD)) == pks(board, *board)


@pytest.mark.parametrize("role", ["anonymous", "student", "other_employer", "counselor"])
def test_a_draft_out_of_reach_is_404(client_for, board, role, request):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    assert client_for(user).get(detail(board["my_draft"])).status_code == 404


def test_only_the_host_and_staff_read_the_hosts_fields(client_for, board, employer, staff):
    board["mine"].meeting_url = "https://meet.example/secret"
    board["mine"].save()
    hidden = {"host", "meeting_url", "seats_filled", "return_reason", "submitted_at"}

    public = client_for().get(detail(board["mine"])).json()
    own = client_for(employer).get(detail(board["mine"])).json()
    by_staff = client_for(staff).get(detail(board["mine"])).json()

    assert hidden.isdisjoint(public) and "secret" not in str(public)
    assert own["meeting_url"] == by_staff["meeting_url"] == "https://meet.example/secret"
    assert own["host"]["id"] == board["mine"].host_id
    assert public["seats_left"] == 10 and public["organization"]["name"] == "Harbor Health"


def test_another_partner_reads_a_published_one_as_the_public_does(
    client_for, board, other_employer
):
    data = client_for(other_employer).get(detail(board["mine"])).json()
    assert "meeting_url" not in data and "host" not in data


# --- Filters ------------------------------------------------------------------------------------


def test_the_boards_filters(client_for, org, host):
    health = SectorFactory(slug="health-sci")
    nursing = PathwayFactory(sector=health, slug="nursing")
    talk = OpportunityFactory(organization=org, host=host, sectors=[health])
    internship = OpportunityFactory(
        organization=org,
        host=host,
        kind=OpportunityKind.INTERNSHIP,
        is_paid=True,
        pathways=[nursing],
        sectors=[health],
        sessions=[(at(40, 9), at(40, 17))],
    )
    online = OpportunityFactory(organization=org, host=host, is_virtual=True, title="Web chat")
    in_three_weeks = (timezone.localdate() + timedelta(days=21)).isoformat()
    client = client_for()

    def found(query: str) -> list[int]:
        return ids(client.get(f"{BOARD}?{query}"))

    assert found("kind=internship") == [internship.pk]
    assert found("sector=health-sci") == sorted([talk.pk, internship.pk])
    assert found("pathway=nursing") == sorted([talk.pk, internship.pk])  # open to its sector
    assert found("sector=no-such-sector") == []
    assert found("paid=true") == [internship.pk]
    assert found("virtual=true") == [online.pk]
    assert found(f"from={in_three_weeks}") == [internship.pk]
    assert found(f"to={in_three_weeks}") == sorted([talk.pk, online.pk])
    assert found("q=web") == [online.pk]
    assert found("status=draft") == []


def test_staff_filter_by_status(client_for, board, staff):
    assert ids(client_for(staff).get(f"{BOARD}?status=submitted")) == pks(board, "my_submitted")


# --- Writes -------------------------------------------------------------------------------------


def payload(**overrides):
    return {
        "kind": "job_shadow",
        "title": "Shadow a nurse",
        "description": "Follow a nurse on the ward from 9 to 1.",
        "seats": 4,
        "address": "100 Pearl Street, New York, NY",
        "sessions": [{"starts_at": at(20, 9).isoformat(), "ends_at": at(20, 13).isoformat()}],
        **overrides,
    }


def test_a_partner_drafts_an_opportunity_with_its_sessions(client_for, org, host, employer):
    health = SectorFactory(slug="health")
    response = post(client_for(employer), BOARD, payload(sectors=["health"]))

    assert response.status_code == 201, response.content
    data = response.json()
    opportunity = Opportunity.objects.get()
    assert data["id"] == opportunity.pk
    assert (data["status"], data["organization"]["id"], data["host"]["id"]) == (
        "draft",
        org.pk,
        host.pk,
    )
    assert [s["starts_at"] for s in data["sessions"]] == [timezone.localtime(at(20, 9)).isoformat()]
    assert [s.pk for s in opportunity.sectors.all()] == [health.pk]
    assert opportunity.created_by == employer


def test_staff_post_for_a_partner_and_must_name_it(client_for, org, staff):
    refused = errors(post(client_for(staff), BOARD, payload()))
    assert list(refused["errors"]) == ["organization"]
    assert Opportunity.objects.count() == 0

    response = post(client_for(staff), BOARD, payload(organization=org.pk))
    assert response.status_code == 201
    assert Opportunity.objects.get().organization == org


def test_a_partner_cannot_post_for_another_organization(client_for, org, other_org, employer):
    response = post(client_for(employer), BOARD, payload(organization=other_org.pk))
    assert response.status_code == 403
    assert Opportunity.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"seats": 0}, "seats", "at least one seat"),
        ({"title": "  "}, "title", "title"),
        ({"min_grade": 5}, "min_grade", "7 to 12"),
        (
            {"sessions": [{"starts_at": at(20, 13).isoformat(), "ends_at": at(20, 9).isoformat()}]},
            "sessions",
            "end after it starts",
        ),
        ({"sessions": [{"starts_at": at(20, 9).isoformat()}]}, "sessions", "required"),
        ({"kind": "party"}, "kind", "not a valid choice"),
    ],
)
def test_a_bad_opportunity_is_refused_by_field_and_nothing_is_written(
    client_for, org, employer, overrides, field, words
):
    body = errors(post(client_for(employer), BOARD, payload(**overrides)))
    assert list(body["errors"]) == [field]
    assert words in str(body["errors"][field])
    assert Opportunity.objects.count() == 0
    assert OpportunitySession.objects.count() == 0


@pytest.mark.parametrize("role", ["student", "counselor"])
def test_students_and_counselors_cannot_post(client_for, org, role, request):
    response = post(client_for(request.getfixturevalue(role)), BOARD, payload())
    assert response.status_code == 403
    assert post(client_for(), BOARD, payload()).status_code == 401
    assert Opportunity.objects.count() == 0


def test_patch_changes_what_it_sends_and_keeps_the_rest(client_for, board, employer):
    draft = board["my_draft"]
    sessions_before = list(draft.sessions.values_list("pk", flat=True))

    client = client_for(employer)
    response = client.patch(detail(draft), {"seats": 3}, content_type="application/json")

    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert (draft.seats, draft.title) == (3, board["my_draft"].title)
    assert list(draft.sessions.values_list("pk", flat=True)) == sessions_before


def test_put_replaces_the_sessions(client_for, board, employer):
    draft = board["my_draft"]
    new = {"starts_at": at(30, 14).isoformat(), "ends_at": at(30, 16).isoformat(), "note": "B"}

    response = client_for(employer).put(
        detail(draft), payload(sessions=[new]), content_type="application/json"
    )

    assert response.status_code == 200, response.content
    assert [(s.starts_at, s.note) for s in draft.sessions.all()] == [(at(30, 14), "B")]
    assert Opportunity.objects.get(pk=draft.pk).title == "Shadow a nurse"


def test_a_host_cannot_change_a_published_one(client_for, board, employer):
    response = client_for(employer).patch(
        detail(board["mine"]), {"seats": 2}, content_type="application/json"
    )
    assert response.status_code == 409
    assert "ask the CTE office" in response.json()["detail"]
    assert Opportunity.objects.get(pk=board["mine"].pk).seats == 10


def test_another_partner_cannot_change_a_draft_it_cannot_see(client_for, board, other_employer):
    response = client_for(other_employer).patch(
        detail(board["my_draft"]), {"seats": 2}, content_type="application/json"
    )
    assert response.status_code == 404
    assert Opportunity.objects.get(pk=board["my_draft"].pk).seats == 10


def test_another_partner_cannot_change_a_published_one(client_for, board, other_employer):
    response = client_for(other_employer).patch(
        detail(board["mine"]), {"seats": 2}, content_type="application/json"
    )
    assert response.status_code == 403


# --- Review and the end of an opportunity -------------------------------------------------------


def test_submit_then_publish(client_for, board, employer, staff):
    draft = board["my_draft"]

    submitted = post(client_for(employer), detail(draft, "submit"))
    assert (submitted.status_code, submitted.json()["status"]) == (200, "submitted")
    assert outbox(kinds.OPPORTUNITY_SUBMITTED.key) == [staff.email]
    assert post(client_for(employer), detail(draft, "submit")).status_code == 409
    assert post(client_for(employer), detail(draft, "publish")).status_code == 403

    published = post(client_for(staff), detail(draft, "publish"))
    assert (published.status_code, published.json()["status"]) == (200, "published")
    assert ids(client_for().get(BOARD)).count(draft.pk) == 1


def test_a_draft_without_sessions_is_not_submitted(client_for, org, host, employer):
    draft = OpportunityFactory(organization=org, host=host, status="draft", sessions=[])
    body = errors(post(client_for(employer), detail(draft, "submit")))
    assert "session" in str(body["errors"]["sessions"])
    assert Opportunity.objects.get(pk=draft.pk).status == OpportunityStatus.DRAFT


def test_return_needs_a_reason_the_host_reads(client_for, board, staff, employer):
    submitted = board["my_submitted"]

    body = errors(post(client_for(staff), detail(submitted, "return")))
    assert body["errors"] == {"reason": ["Say what to change: the host will read it."]}
    assert Opportunity.objects.get(pk=submitted.pk).status == OpportunityStatus.SUBMITTED

    post(client_for(staff), detail(submitted, "return"), {"reason": "Add the address."})
    seen = client_for(employer).get(detail(submitted)).json()
    assert (seen["status"], seen["return_reason"]) == ("returned", "Add the address.")


def test_the_host_closes_and_cancels(client_for, board, employer, other_employer):
    assert post(client_for(other_employer), detail(board["mine"], "close")).status_code == 403

    closed = post(client_for(employer), detail(board["mine"], "close"))
    assert closed.json()["status"] == "closed"
    assert post(client_for(employer), detail(board["mine"], "cancel")).status_code == 409

    cancelled = post(
        client_for(employer), detail(board["anas_school"], "cancel"), {"reason": "Flooded."}
    )
    assert (cancelled.json()["status"], cancelled.json()["cancel_reason"]) == (
        "cancelled",
        "Flooded.",
    )


# --- Query count --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "employer", "staff"])
def test_the_board_costs_the_same_queries_for_1_or_20(query_budget, org, host, role, request):
    sector = SectorFactory()
    pathway = PathwayFactory(sector=sector)

    def grow(n: int) -> None:
        for _ in range(n):
            OpportunityFactory(
                organization=org,
                host=host,
                sectors=[sector],
                pathways=[pathway],
                sessions=[(at(10, 9), at(10, 11)), (at(11, 9), at(11, 11))],
            )

    user = None if role == "anonymous" else request.getfixturevalue(role)
    # session and user (signed in); the partner's contact (employer: for the board's rule,
    # then once more for who reads the host's fields); count; rows with organization, host
    # and school; sectors; pathways; sessions
    query_budget(BOARD, max_queries=9, grow=grow, user=user)
