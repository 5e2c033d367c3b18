"""Delivery through a real Redis and a real Celery worker (no eager mode)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from cte_portal.notifications import delivery, services
from cte_portal.notifications.enums import State
from cte_portal.notifications.models import Notification
from tests.factories.users import EmployerUserFactory
from tests.support.mail import FlakyBackend
from tests.support.waiting import wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def announce(recipients, key="event"):
    with transaction.atomic():
        services.notify(
            kind="announcement",
            event_key=key,
            recipients=recipients,
            context={"title": "Speakers wanted", "message": "Grade 10 health class."},
        )


def states() -> list[str]:
    return sorted(Notification.objects.values_list("state", flat=True))


def test_a_real_worker_delivers_it_with_a_stable_message_id(celery_worker):
    contact = EmployerUserFactory()

    announce([contact])

    wait_for(lambda: states() == [State.SENT])
    row = Notification.objects.get()
    assert row.sent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == row.message_id
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/unsubscribe/" in mail.outbox[0].extra_headers["List-Unsubscribe"]


def test_many_rows_share_one_mail_connection_per_batch(celery_worker, settings):
    settings.EMAIL_BACKEND = "tests.support.mail.FlakyBackend"
    settings.NOTIFICATIONS_BATCH_SIZE = 50
    FlakyBackend.failures = 0
    FlakyBackend.opened = 0
    contacts = EmployerUserFactory.create_batch(50)

    announce(contacts)

    wait_for(lambda: states() == [State.SENT] * 50)
    assert len(mail.outbox) == 50
    assert FlakyBackend.opened == 1


def test_two_workers_racing_on_one_row_send_it_once(transactional_db):
    contacts = EmployerUserFactory.create_batch(20)
    for n, contact in enumerate(contacts):
        # Rows only, no dispatch: the two "workers" below are the only senders.
        Notification.objects.create(
            user=contact,
            email=contact.email,
            kind="announcement",
            event_key=f"race-{n}",
            subject="Race",
            body_text="x",
            state=State.QUEUED,
        )
    ids = list(Notification.objects.values_list("pk", flat=True))
    start = threading.Barrier(2)

    def worker():
        try:
            for pk in ids:
                start.wait(timeout=10)
                delivery.deliver_batch([pk])
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert states() == [State.SENT] * 20
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.email for c in contacts)


def test_transient_smtp_error_retries_with_backoff_then_succeeds(celery_worker, settings):
    settings.EMAIL_BACKEND = "tests.support.mail.FlakyBackend"
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 1
    FlakyBackend.failures = 2
    contact = EmployerUserFactory()

    announce([contact])

    wait_for(lambda: states() == [State.SENT], timeout=30)
    row = Notification.objects.get()
    assert row.attempts == 3
    assert len(mail.outbox) == 1
    assert delivery.retry_delay(1) == 1
    assert delivery.retry_delay(3) == 4


def test_transient_errors_give_up_after_the_limit(celery_worker, settings):
    settings.EMAIL_BACKEND = "tests.support.mail.FlakyBackend"
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 0
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    FlakyBackend.failures = 100
    contact = EmployerUserFactory()

    announce([contact])

    wait_for(lambda: states() == [State.FAILED])
    row = Notification.objects.get()
    assert row.attempts == 3
    assert "SMTPServerDisconnected" in row.last_error
    FlakyBackend.failures = 0


def test_permanent_smtp_error_marks_failed_and_keeps_the_error(celery_worker, settings):
    settings.EMAIL_BACKEND = "tests.support.mail.RejectingBackend"
    contact = EmployerUserFactory()

    announce([contact])

    wait_for(lambda: states() == [State.FAILED])
    row = Notification.objects.get()
    assert row.attempts == 1
    assert "No such user" in row.last_error
    assert row.sent_at is None


def test_sweep_resends_rows_whose_task_or_worker_was_lost(celery_worker):
    contact, other = EmployerUserFactory.create_batch(2)
    long_ago = timezone.now() - timedelta(minutes=10)
    lost_task = Notification.objects.create(
        user=contact,
        email=contact.email,
        kind="announcement",
        event_key="lost",
        subject="Lost task",
        body_text="x",
        state=State.QUEUED,
    )
    dead_worker = Notification.objects.create(
        user=other,
        email=other.email,
        kind="announcement",
        event_key="dead",
        subject="Dead worker",
        body_text="x",
        state=State.SENDING,
    )
    recent = Notification.objects.create(
        user=other,
        email=other.email,
        kind="announcement",
        event_key="recent",
        subject="Being sent right now",
        body_text="x",
        state=State.SENDING,
    )
    Notification.objects.filter(pk__in=[lost_task.pk, dead_worker.pk]).update(
        state_changed_at=long_ago
    )

    assert delivery.sweep() == 2

    wait_for(lambda: Notification.objects.filter(state=State.SENT).count() == 2)
    assert sorted(m.subject for m in mail.outbox) == ["Dead worker", "Lost task"]
    recent.refresh_from_db()
    assert recent.state == State.SENDING  # a live worker's row is left alone
