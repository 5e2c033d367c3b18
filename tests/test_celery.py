"""A real Celery worker, fed through a real Redis (TIPS.md: no eager mode, no mocks)."""

from __future__ import annotations

import pytest

from cte_portal.celery import app

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@app.task(name="tests.add_to_ledger", ignore_result=False)
def add_to_ledger(a: int, b: int) -> dict[str, int]:
    return {"sum": a + b}


def test_task_sent_through_redis_runs_on_worker_and_result_comes_back(celery_worker):
    result = add_to_ledger.delay(2, 40)

    assert result.get(timeout=20) == {"sum": 42}
    assert result.status == "SUCCESS"
    # It really crossed Redis: the eager path would not have a Redis result backend.
    assert type(result.backend).__name__ == "RedisBackend"


def test_worker_config_acknowledges_late_and_rejects_lost_tasks(celery_worker):
    # A worker killed mid-task must give the message back, never swallow it.
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_time_limit > app.conf.task_soft_time_limit > 0
