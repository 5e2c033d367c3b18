"""Thin Celery wrappers around ``delivery``. Ids only, never objects."""

from __future__ import annotations

from celery import shared_task

from . import delivery


@shared_task(bind=True, name="notifications.deliver", max_retries=None, acks_late=True)
def deliver_notifications(self, ids: list[int]) -> int:
    retry = delivery.deliver_batch(ids)
    if retry:
        # Rows count their own attempts and turn FAILED at the limit, which bounds this.
        raise self.retry(args=[retry], countdown=delivery.retry_delay(self.request.retries + 1))
    return len(ids)


@shared_task(name="notifications.sweep")
def sweep_outbox() -> int:
    return delivery.sweep()


@shared_task(name="notifications.send_digests")
def send_daily_digests() -> int:
    return delivery.send_digests()
