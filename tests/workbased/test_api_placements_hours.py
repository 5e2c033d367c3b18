"""/api/v1/placements/ and /api/v1/hours/: each role's placements and hours (with another
student's at another partner present), the supervisor's evaluation, logging hours within the
child-labor limits, and the supervisor's review."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.students import CounselorProfileFactory, StudentProfileFactory
from tests.factories.workbased import HoursLogFactory, PlacementFactory
from tests.workbased.api import errors, ids, post
from workbased.enums import HoursStatus, PlacementStatus
from workbased.models import Evaluation, HoursLog

pytestmark = pytest.mark.django_db

PLACEMENTS = reverse("api:placement-list")
HOURS = reverse("api:hours-list")
RATINGS = {
    "communication": 4,
    "teamwork": 3,
    "problem_solving": 3,
    "professionalism": 4,
    "technical_skill": 2,
    "comments": "A great start.",
}


def monday_weeks_ago(weeks: int) -> date:
    today = timezone.localdate()
    return today - timedelta(days=today.weekday()) - timedelta(weeks=weeks)


@pytest.fixture
def placement(profile, org, host):
    """Ana's internship at the employer's organization, from three Mondays ago."""
    start = monday_weeks_ago(3)
    return PlacementFactory(
        application__student=profile,
        application__opportunity__organization=org,
        application__opportunity__host=host,
        supervisor=host,
        starts_on=start,
        ends_on=start + timedelta(days=60),
    )


@pytest.fixture
def bens(other_student, other_org):
    """Ben's placement at the other partner, with hours."""
    ben = StudentProfileFactory(user=other_student)
    theirs = PlacementFactory(
        application__student=ben,
        application__opportunity__organization=other_org,
        application__opportunity__host=other_org.contacts.get(),
    )
    return {"placement": theirs, "hours": HoursLogFactory(placement=theirs)}


def placement_url(placement, step: str = "") -> str:
    if step:
        return reverse(f"api:placement-{step}", args=[placement.pk])
    return reverse("api:placement-detail", args=[placement.pk])


def hours_url(log, step: str = "") -> str:
    if step:
        return reverse(f"api:hours-{step}", args=[log.pk])
    return reverse("api:hours-detail", args=[log.pk])


# --- Placements ---------------------------------------------------------------------------------


def test_each_role_sees_its_placements(
    client_for, placement, bens, profile, student, other_student, employer, other_employer, staff
):
    theirs = bens["placement"]
    assert ids(client_for(student).get(PLACEMENTS)) == [placement.pk]
    assert ids(client_for(other_student).get(PLACEMENTS)) == [theirs.pk]
    assert ids(client_for(employer).get(PLACEMENTS)) == [placement.pk]
    assert ids(client_for(other_employer).get(PLACEMENTS)) == [theirs.pk]
    assert ids(client_for(staff).get(PLACEMENTS)) == sorted([placement.pk, theirs.pk])
    assert client_for(other_student).get(placement_url(placement)).status_code == 404
    assert client_for(other_employer).get(placement_url(placement)).status_code == 404
    assert client_for().get(PLACEMENTS).status_code == 401


def test_a_counselor_sees_their_caseloads_placements(
    client_for, placement, bens, profile, counselor
):
    CounselorProfileFactory(user=counselor, schools=[profile.school])
    assert ids(client_for(counselor).get(PLACEMENTS)) == [placement.pk]


def test_a_placement_shows_its_hours_summed(client_for, placement, student):
    HoursLogFactory(
        placement=placement,
        hours=Decimal("2.00"),
        status=HoursStatus.APPROVED,
        reviewed_at=timezone.now(),
    )
    HoursLogFactory(
        placement=placement,
        hours=Decimal("1.50"),
        date=timezone.localdate() - timedelta(days=4),
    )

    data = client_for(student).get(placement_url(placement)).json()

    assert (data["hours_approved"], data["hours_pending"]) == ("2.00", "1.50")
    assert (data["supervisor"]["name"], data["evaluation"]) == ("Eve Employer", None)


def test_the_supervisor_evaluates_at_the_end(client_for, placement, employer, student):
    early = post(client_for(employer), placement_url(placement, "evaluation"), RATINGS)
    assert early.status_code == 409 and "end of the placement" in early.json()["detail"]

    placement.ends_on = timezone.localdate()
    placement.save()
    response = post(client_for(employer), placement_url(placement, "evaluation"), RATINGS)

    assert response.status_code == 201, response.content
    assert (response.json()["communication"], response.json()["evaluator"]) == (4, "Eve Employer")
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.COMPLETED
    seen = client_for(student).get(placement_url(placement)).json()["evaluation"]
    assert (seen["technical_skill"], seen["comments"]) == (2, "A great start.")
    again = post(client_for(employer), placement_url(placement, "evaluation"), RATINGS)
    assert again.status_code == 409


def test_a_bad_rating_is_refused_and_nothing_is_written(client_for, placement, employer):
    placement.ends_on = timezone.localdate()
    placement.save()

    body = errors(
        post(
            client_for(employer), placement_url(placement, "evaluation"), {**RATINGS, "teamwork": 5}
        )
    )

    assert body["errors"] == {"teamwork": ["Rate teamwork from 1 to 4."]}
    assert Evaluation.objects.count() == 0
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.ACTIVE


@pytest.mark.parametrize(
    ("role", "status"), [("staff", 403), ("student", 403), ("other_employer", 404)]
)
def test_only_the_supervisor_evaluates(client_for, placement, bens, role, status, request):
    placement.ends_on = timezone.localdate()
    placement.save()
    user = request.getfixturevalue(role)
    assert (
        post(client_for(user), placement_url(placement, "evaluation"), RATINGS).status_code
        == status
    )
    assert Evaluation.objects.count() == 0


# --- Hours --------------------------------------------------------------------------------------


def shift(placement, day: date, start: str, end: str, **extra) -> dict:
    return {
        "placement": placement.pk,
        "date": day.isoformat(),
        "start_time": start,
        "end_time": end,
        "activities": "Helped at the front desk.",
        **extra,
    }


def test_a_student_logs_hours(client_for, placement, student, employer):
    response = post(
        client_for(student), HOURS, shift(placement, monday_weeks_ago(1), "15:00", "17:30")
    )

    assert response.status_code == 201, response.content
    data = response.json()
    log = HoursLog.objects.get()
    assert (data["id"], data["hours"], data["status"], data["start_time"]) == (
        log.pk,
        "2.50",
        "pending",
        "15:00:00",
    )
    assert ids(client_for(employer).get(HOURS)) == [log.pk]


def test_the_child_labor_limit_refuses_with_the_reason_and_writes_nothing(
    client_for, placement, student
):
    # Ana is 15: at most 3 hours on a school day.
    response = post(
        client_for(student), HOURS, shift(placement, monday_weeks_ago(1), "14:00", "18:00")
    )

    body = errors(response)
    assert "3" in body["detail"] and "school day" in body["detail"]
    assert HoursLog.objects.count() == 0


def test_a_student_of_16_may_work_longer(client_for, placement, profile, student):
    profile.date_of_birth = timezone.localdate().replace(year=timezone.localdate().year - 17)
    profile.save()
    response = post(
        client_for(student), HOURS, shift(placement, monday_weeks_ago(1), "14:00", "18:00")
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"end_time": "14:00"}, "end_time", "after the start time"),
        ({"activities": ""}, "activities", "what you did"),
        ({"start_time": "25:00"}, "start_time", "format"),
        ({"hours": "9.5"}, "hours", "at most that"),
    ],
)
def test_a_bad_log_is_refused_by_field(client_for, placement, student, overrides, field, words):
    body = shift(placement, monday_weeks_ago(1), "15:00", "16:00", **overrides)
    refused = errors(post(client_for(student), HOURS, body))
    assert list(refused["errors"]) == [field]
    assert words in str(refused["errors"][field])
    assert HoursLog.objects.count() == 0


def test_no_logging_on_someone_elses_placement(client_for, placement, bens, student, employer):
    theirs = shift(bens["placement"], monday_weeks_ago(1), "15:00", "16:00")
    refused = errors(post(client_for(student), HOURS, theirs))
    assert list(refused["errors"]) == ["placement"]
    assert (
        post(
            client_for(employer), HOURS, shift(placement, monday_weeks_ago(1), "15:00", "16:00")
        ).status_code
        == 403
    )
    assert HoursLog.objects.filter(placement=placement).count() == 0


def test_each_role_sees_its_hours(
    client_for, placement, bens, student, other_student, employer, other_employer, staff
):
    mine = HoursLogFactory(placement=placement)
    theirs = bens["hours"]
    assert ids(client_for(student).get(HOURS)) == [mine.pk]
    assert ids(client_for(other_student).get(HOURS)) == [theirs.pk]
    assert ids(client_for(employer).get(HOURS)) == [mine.pk]
    assert ids(client_for(staff).get(HOURS)) == sorted([mine.pk, theirs.pk])
    assert client_for(other_student).get(hours_url(mine)).status_code == 404
    assert client_for(other_employer).get(hours_url(mine)).status_code == 404
    assert ids(client_for(staff).get(f"{HOURS}?placement={placement.pk}")) == [mine.pk]


def test_the_supervisor_approves_and_rejects(client_for, placement, employer, student):
    one, two = (
        HoursLogFactory(placement=placement),
        HoursLogFactory(placement=placement, date=timezone.localdate() - timedelta(days=5)),
    )

    approved = post(client_for(employer), hours_url(one, "approve"))
    assert (approved.status_code, approved.json()["status"]) == (200, "approved")
    assert approved.json()["reviewed_by"] == "Eve Employer"
    assert post(client_for(employer), hours_url(one, "reject"), {"note": "No"}).status_code == 409

    no_note = errors(post(client_for(employer), hours_url(two, "reject")))
    assert no_note["errors"] == {
        "note": ["Say why these hours are rejected: the student will read it."]
    }
    rejected = post(client_for(employer), hours_url(two, "reject"), {"note": "Not that day."})
    assert (rejected.json()["status"], rejected.json()["review_note"]) == (
        "rejected",
        "Not that day.",
    )
    assert post(client_for(student), hours_url(two, "approve")).status_code == 403


def test_another_partner_cannot_review(client_for, placement, bens, other_employer):
    mine = HoursLogFactory(placement=placement)
    assert post(client_for(other_employer), hours_url(mine, "approve")).status_code == 404
    assert HoursLog.objects.get(pk=mine.pk).status == HoursStatus.PENDING


def test_staff_review_too(client_for, placement, staff):
    log = HoursLogFactory(placement=placement)
    assert post(client_for(staff), hours_url(log, "approve")).json()["status"] == "approved"


def test_the_hours_list_costs_the_same_queries_for_1_or_20(query_budget, placement, employer):
    day = iter(range(1, 200))

    def grow(n: int) -> None:
        for _ in range(n):
            HoursLogFactory(
                placement=placement,
                date=placement.starts_on + timedelta(days=next(day)),
                start_time=time(15),
                end_time=time(16),
            )

    # session, user, the partner's contact, count, rows (placement, student, opportunity,
    # organization, reviewer joined)
    query_budget(HOURS, max_queries=5, grow=grow, user=employer)


def test_the_placement_list_costs_the_same_queries_for_1_or_20(query_budget, org, host, staff):
    def grow(n: int) -> None:
        for _ in range(n):
            PlacementFactory(
                application__opportunity__organization=org, application__opportunity__host=host
            )

    # session, user, count, rows (hours summed, evaluation and people joined)
    query_budget(PLACEMENTS, max_queries=4, grow=grow, user=staff)
