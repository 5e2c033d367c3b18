"""Thin Celery wrappers around ``delivery``. Ids only, never objects."""

from __future__ import annotations

from celery import shared_task

from . import delivery


@shared_task(bind=True, name="notifications.deliver", max_retries=None, acks_late=True)
def deliver_notifications(self, ids: list[int]) -> int:
    retry = delivery.deliver_batch(ids)
    if retry:
        # The backoff comes from the rows (their own attempts, kept in the database), not from
        # this task's retry count, which starts again at 0 whenever the sweep re-dispatches.
        # Rows turn FAILED at their attempt limit, which bounds these retries.
        raise self.retry(args=[retry], countdown=delivery.retry_countdown(retry))
    return len(ids)


@shared_task(name="notifications.sweep")
def sweep_outbox() -> int:
    return delivery.sweep()


@shared_task(name="notifications.send_digests")
def send_daily_digests() -> int:
    return delivery.send_digests()
