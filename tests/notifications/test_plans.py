"""How PostgreSQL finds the outbox's rows: a batch's claim stays the same small piece of work
however many rows a fan-out has just queued, and the index by state holds only rows that
will leave it again (it is written on every change of state)."""

from __future__ import annotations

import json
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from cte_portal.notifications import delivery
from cte_portal.notifications.enums import State
from cte_portal.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("query plans are PostgreSQL's")


def outbox(n: int, state: State, event_key: str) -> list[int]:
    rows = Notification.objects.bulk_create(
        Notification(
            email=f"contact{i}@partner.example",
            kind="announcement",
            event_key=event_key,
            subject="Career day",
            body_text="Host a table.",
            state=state,
        )
        for i in range(n)
    )
    return [row.pk for row in rows]


def plan(sql: str, params: list) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        answer = cursor.fetchone()[0]  # psycopg decodes the JSON already
        return (json.loads(answer) if isinstance(answer, str) else answer)[0]["Plan"]


def indexes_used(node: dict) -> set[str]:
    found = {node["Index Name"]} if "Index Name" in node else set()
    for child in node.get("Plans", []):
        found |= indexes_used(child)
    return found


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE notifications_notification")


def test_a_batch_claims_its_rows_by_primary_key_right_after_a_big_fan_out():
    # The statistics were taken while the outbox was quiet (everything sent)...
    outbox(500, State.SENT, "yesterday")
    analyze()
    # ... then an announcement queued 3,000 rows: a batch reads its 100, not all 3,000.
    queued = outbox(3000, State.QUEUED, "announcement")
    sql, params = delivery.claim_statement(queued[:100], uuid.uuid4())

    assert indexes_used(plan(sql, params)) == {"notifications_notification_pkey"}
    assert [row.pk for row in delivery.claim(queued[:100], uuid.uuid4())] == queued[:100]
    assert Notification.objects.filter(state=State.SENDING).count() == 100


def test_a_batch_records_its_sends_by_primary_key_right_after_a_big_fan_out():
    outbox(500, State.SENT, "yesterday")
    analyze()
    queued = outbox(3000, State.QUEUED, "announcement")
    token = uuid.uuid4()
    claimed = [row.pk for row in delivery.claim(queued[:100], token)]
    sent = {pk: timezone.now() for pk in claimed}
    sql, params = delivery.record_statement(token, sent)

    assert indexes_used(plan(sql, params)) == {"notifications_notification_pkey"}
    assert delivery.record_sent(token, sent) == 100
    assert (
        dict(
            Notification.objects.filter(state=State.SENT, pk__in=claimed).values_list(
                "pk", "sent_at"
            )
        )
        == sent
    )


def test_the_sweep_and_the_digest_find_their_rows_through_the_index_by_state():
    outbox(3000, State.SENT, "sent")
    outbox(20, State.SENDING, "stuck")
    outbox(20, State.DIGEST, "digest")
    analyze()
    for queryset in (
        Notification.objects.filter(delivery._stuck(cutoff=timezone.now())).values("pk"),
        Notification.objects.filter(state=State.DIGEST).values("user_id"),
        Notification.objects.filter(state=State.FAILED).values("pk"),  # the back office
    ):
        sql, params = queryset.query.sql_with_params()
        assert "notification_sweep" in indexes_used(plan(sql, list(params))), sql


def test_a_sent_row_leaves_the_index_by_state():
    # The index by state covers only the states a row leaves again: a SENT row (nearly all
    # of them, in time) is never written in it, nor read by the sweep.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indexrelid = 'notification_sweep'::regclass"
        )
        definition = cursor.fetchone()[0]
    for state in (State.QUEUED, State.SENDING, State.FAILED, State.DIGEST):
        assert f"'{state.value}'" in definition
    for state in (State.SENT, State.DIGESTED, State.SKIPPED):
        assert f"'{state.value}'" not in definition
