"""Delivery through a real Redis and a real Celery worker (no eager mode)."""

from __future__ import annotations

import base64
import errno
import json
import re
import smtplib
import socket
import ssl
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta

import pytest
import redis
from django.core import mail
from django.db import connection, transaction
from django.db.backends.signals import connection_created
from django.utils import timezone

from cte_portal.notifications import delivery, services
from cte_portal.notifications.enums import Delivery, State
from cte_portal.notifications.models import Notification
from cte_portal.users.enums import Role
from cte_portal.users.models import User
from tests.conftest import TEST_REDIS_URL, celery_on_redis
from tests.factories.users import EmployerUserFactory
from tests.support.mail import FlakyBackend, GatedBackend, ScriptedBackend, read_mailbox
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


def row_for(contact, key: str, state: State = State.QUEUED, **fields) -> Notification:
    """A bare outbox row, not dispatched: the test decides who sends it."""
    return Notification.objects.create(
        user=contact,
        email=contact.email,
        kind="announcement",
        event_key=key,
        subject=key,
        body_text="x",
        state=state,
        **fields,
    )


def delivered_after(marker_contact) -> None:
    """Send one more notification and wait for it: the worker has then taken every task
    that was sent before it (one solo worker, one queue, in order)."""
    announce([marker_contact], key="marker")
    wait_for(lambda: Notification.objects.filter(event_key="marker", state=State.SENT).exists())


def test_a_rolled_back_notification_is_never_sent(celery_worker):
    contact, marker = EmployerUserFactory.create_batch(2)

    class EventFailed(Exception):
        pass

    with pytest.raises(EventFailed), transaction.atomic():
        services.notify(
            kind="announcement",
            event_key="rolled-back",
            recipients=[contact],
            context={"title": "Never", "message": "Rolled back."},
        )
        raise EventFailed

    delivered_after(marker)
    assert list(Notification.objects.values_list("event_key", flat=True)) == ["marker"]
    assert [m.to for m in mail.outbox] == [[marker.email]]


def test_the_same_event_twice_makes_one_row_and_one_email(celery_worker):
    contact, marker = EmployerUserFactory.create_batch(2)

    announce([contact], key="approved:42")
    announce([contact], key="approved:42")

    delivered_after(marker)
    assert Notification.objects.filter(event_key="approved:42").count() == 1
    assert [m.to for m in mail.outbox].count([contact.email]) == 1


def test_digest_sends_one_email_listing_three_notifications(celery_worker):
    contact = EmployerUserFactory()
    services.preference_set(user=contact, kind="announcement", delivery=Delivery.DIGEST)
    for n in range(3):
        with transaction.atomic():
            services.notify(
                kind="announcement",
                event_key=f"e{n}",
                recipients=[contact],
                context={"title": f"Event {n}", "message": "..."},
            )

    assert delivery.send_digests() == 1

    wait_for(lambda: Notification.objects.filter(kind="digest", state=State.SENT).exists())
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Your CTE Portal digest: 3 notifications"
    for n in range(3):
        assert f"CTE office: Event {n}" in mail.outbox[0].body
    assert delivery.send_digests() == 0  # nothing is waiting any more


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


def test_a_worker_keeps_its_database_connection_from_batch_to_batch(celery_worker, settings):
    settings.NOTIFICATIONS_BATCH_SIZE = 2
    contacts = EmployerUserFactory.create_batch(6)
    opened = []

    def count(sender, connection, **kwargs):
        if threading.current_thread() is not threading.main_thread():  # the worker's
            opened.append(connection.alias)

    connection_created.connect(count)
    try:
        announce(contacts)  # three batches: three tasks

        wait_for(lambda: states() == [State.SENT] * 6)
    finally:
        connection_created.disconnect(count)
    # One PostgreSQL session for the three tasks, not a new one (a forked server process,
    # authentication) for every batch.
    assert len(opened) <= 1


def test_a_claim_reads_each_row_as_it_is_sent_and_a_claimed_row_is_nobody_elses():
    contact = EmployerUserFactory(preferred_language="es")
    row = row_for(
        contact, "claim", resends=2, language="es", body_html="<p>Hola</p><!--unsubscribe-->"
    )
    other = row_for(EmployerUserFactory(), "claim", state=State.SENT)
    token = uuid.uuid4()

    [claimed] = delivery.claim([other.pk, row.pk, row.pk + 1000], token)

    def sent(message) -> tuple:
        # The token's timestamp may tick between the two builds: the link's place is compared.
        html = re.sub(r"unsubscribe/[^/]+/", "unsubscribe/TOKEN/", message.alternatives[0][0])
        return message.to, message.subject, message.extra_headers["Message-ID"], html

    assert sent(delivery.build_message(claimed)) == sent(delivery.build_message(row))
    assert claimed.message_id == row.message_id  # the row's third: a staff resend's own
    html = sent(delivery.build_message(claimed))[3]
    assert "<p>Hola</p>" in html and 'unsubscribe/TOKEN/">' in html
    assert delivery.claim([row.pk], uuid.uuid4()) == []  # taken: a second batch gets nothing
    row.refresh_from_db()
    assert (row.state, row.claim) == (State.SENDING, token)


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


def test_two_workers_given_the_same_batch_send_each_row_once(settings, tmp_path, monkeypatch):
    settings.EMAIL_BACKEND = "tests.support.mail.FileLogBackend"
    monkeypatch.setenv("MAILBOX_PATH", str(tmp_path / "mailbox.log"))
    monkeypatch.setenv("MAILBOX_DELAY", "0.005")  # a real server's pace: the two interleave
    contacts = EmployerUserFactory.create_batch(40)
    ids = [row_for(contact, f"same-batch-{n}").pk for n, contact in enumerate(contacts)]
    start = threading.Barrier(2)

    def worker():
        try:
            start.wait(timeout=10)
            delivery.deliver_batch(ids)  # the same batch, e.g. a redelivered task message
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert states() == [State.SENT] * 40
    received = read_mailbox(str(tmp_path / "mailbox.log"))
    assert sorted(received) == sorted(row.message_id for row in Notification.objects.all())


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


def test_an_smtp_451_is_retried_with_the_same_message_id(celery_worker, settings):
    settings.EMAIL_BACKEND = "tests.support.mail.ScriptedBackend"
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 1
    ScriptedBackend.reset([smtplib.SMTPResponseException(451, b"4.3.0 Try again later")])
    contact = EmployerUserFactory()

    announce([contact])

    wait_for(lambda: states() == [State.SENT], timeout=30)
    row = Notification.objects.get()
    assert row.attempts == 2
    assert row.last_error == ""
    # An automatic retry is the same message: a server that got the first can drop the second.
    assert [message_id for _, message_id in ScriptedBackend.handed] == [row.message_id] * 2
    assert len(mail.outbox) == 1


def test_the_retry_waits_the_backoff_of_the_rows_own_attempts(celery_worker, settings):
    # Tried twice before (then swept and dispatched afresh): the third failure waits
    # 4 x base, not the 1 x base that the new task's own retry count would give.
    settings.EMAIL_BACKEND = "tests.support.mail.ScriptedBackend"
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 1
    ScriptedBackend.reset([smtplib.SMTPResponseException(451, b"4.3.0 Try again later")])
    row = row_for(EmployerUserFactory(), "third-try", attempts=2)

    services.dispatch([row.pk])

    wait_for(lambda: Notification.objects.filter(pk=row.pk, retry_at__isnull=False).exists())
    waiting = Notification.objects.get(pk=row.pk)
    assert waiting.state == State.QUEUED
    assert waiting.attempts == 3
    backoff = (waiting.retry_at - waiting.state_changed_at).total_seconds()
    assert backoff == pytest.approx(4, abs=0.5)
    wait_for(lambda: states() == [State.SENT], timeout=30)
    (failed_at, _), (retried_at, _) = ScriptedBackend.handed
    assert retried_at - failed_at >= 3.9
    assert Notification.objects.get().attempts == 4


def test_rows_behind_a_transient_failure_are_not_charged_for_it(celery_worker, settings):
    settings.EMAIL_BACKEND = "tests.support.mail.ScriptedBackend"
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 1
    ScriptedBackend.reset([smtplib.SMTPServerDisconnected("Connection unexpectedly closed")])
    first, second, third = EmployerUserFactory.create_batch(3)

    announce([first, second, third])  # one batch, sent in this order

    wait_for(lambda: not Notification.objects.filter(state__in=[State.QUEUED, State.SENDING]))
    rows = {row.email: row for row in Notification.objects.all()}
    assert rows[first.email].state == State.FAILED
    assert rows[first.email].last_error.startswith("Gave up after 1 attempts: SMTPServer")
    # The two behind it were never tried with that error: they go out, each on its 1st try.
    for contact in (second, third):
        assert (rows[contact.email].state, rows[contact.email].attempts) == (State.SENT, 1)
        assert rows[contact.email].last_error == ""
    assert sorted(m.to[0] for m in mail.outbox) == sorted([second.email, third.email])


@pytest.mark.parametrize(
    "error",
    [
        socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution"),
        OSError(errno.ENETUNREACH, "Network is unreachable"),
        OSError(errno.EHOSTUNREACH, "No route to host"),
        ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number"),
        ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"),
        TimeoutError("timed out"),
    ],
    ids=lambda e: type(e).__name__ + (f"-{e.errno}" if getattr(e, "errno", None) else ""),
)
def test_connection_errors_are_retried_not_failed(settings, error):
    settings.EMAIL_BACKEND = "tests.support.mail.ScriptedBackend"
    ScriptedBackend.reset([error])
    row = row_for(EmployerUserFactory(), "unreachable")

    assert delivery.deliver_batch([row.pk]) == [row.pk]

    row.refresh_from_db()
    assert (row.state, row.attempts) == (State.QUEUED, 1)
    assert row.retry_at is not None
    assert row.last_error.startswith(type(error).__name__)


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPAuthenticationError(535, b"5.7.8 Authentication credentials invalid"),
        smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server."),
        smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"5.1.1 No such user")}),
    ],
    ids=lambda e: type(e).__name__,
)
def test_smtp_refusals_fail_for_good(settings, error):
    settings.EMAIL_BACKEND = "tests.support.mail.ScriptedBackend"
    ScriptedBackend.reset([error])
    row = row_for(EmployerUserFactory(), "refused")

    assert delivery.deliver_batch([row.pk]) == []

    row.refresh_from_db()
    assert (row.state, row.attempts) == (State.FAILED, 1)
    assert row.last_error.startswith(type(error).__name__)


def test_fan_out_dispatches_in_batches(settings):
    settings.NOTIFICATIONS_BATCH_SIZE = 100
    contacts = make_contacts(250)
    broker = redis.Redis.from_url(TEST_REDIS_URL)
    broker.flushdb()
    try:
        with celery_on_redis():  # a real broker, and no worker: the task messages stay queued
            announce(contacts)
        messages = [json.loads(raw) for raw in broker.lrange("celery", 0, -1)]
    finally:
        broker.flushdb()

    assert {m["headers"]["task"] for m in messages} == {"notifications.deliver"}
    batches = [json.loads(base64.b64decode(m["body"]))[0][0] for m in messages]
    assert sorted(len(batch) for batch in batches) == [50, 100, 100]
    assert sorted(pk for batch in batches for pk in batch) == sorted(
        Notification.objects.values_list("pk", flat=True)
    )


def make_contacts(n: int) -> list[User]:
    User.objects.bulk_create(
        [User(email=f"contact{i}@partners.example", role=Role.EMPLOYER) for i in range(n)]
    )
    return list(User.objects.filter(role=Role.EMPLOYER).order_by("pk"))


def lock_waits() -> int:
    """Queries of this test database waiting for a row lock right now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_the_sweep_never_takes_a_row_back_from_the_worker_that_just_claimed_it():
    row = row_for(EmployerUserFactory(), "lost-task")
    long_ago = timezone.now() - timedelta(minutes=30)
    Notification.objects.filter(pk=row.pk).update(state_changed_at=long_ago)
    claimed, release, claims, swept = threading.Event(), threading.Event(), [], []

    def worker():  # a redelivered task takes the row just as the sweep looks at it
        try:
            with transaction.atomic():
                # The take every worker runs right before a send (here held open a moment).
                token = uuid.uuid4()
                if Notification.objects.filter(pk=row.pk, state=State.QUEUED).update(
                    state=State.SENDING, claim=token, state_changed_at=timezone.now()
                ):
                    claims.append(token)
                claimed.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    def sweeper():
        try:
            swept.append(delivery.sweep())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker), threading.Thread(target=sweeper)]
    threads[0].start()
    assert claimed.wait(timeout=10)
    threads[1].start()
    # The claim commits once the sweep has decided, or is waiting for the claim's lock.
    wait_for(lambda: not threads[1].is_alive() or lock_waits())
    release.set()
    for thread in threads:
        thread.join(timeout=30)

    row.refresh_from_db()
    assert (row.state, row.claim) == (State.SENDING, claims[0])
    assert swept == [0]
    assert mail.outbox == []  # the sweep sent nothing: the worker that claimed it will


def test_a_slow_batch_stops_at_the_end_of_its_lease_and_the_sweep_leaves_it_alone(
    celery_worker, settings
):
    settings.NOTIFICATIONS_STUCK_AFTER_SECONDS = 2  # a lease of one second
    settings.EMAIL_BACKEND = "tests.support.mail.GatedBackend"
    GatedBackend.reset(first_delay=1.2, gate_at=-1)  # the first send outlasts the lease
    contacts = EmployerUserFactory.create_batch(5)

    announce(contacts)  # one batch of five
    wait_for(lambda: Notification.objects.filter(state=State.SENDING).count() == 5)
    # The beat sweep while the batch is slow but within its lease: it takes nothing.
    assert delivery.sweep() == 0

    wait_for(lambda: states() == [State.SENT] * 5, timeout=30)
    sent_ids = sorted(m.extra_headers["Message-ID"] for m in mail.outbox)
    assert sent_ids == sorted(row.message_id for row in Notification.objects.all())  # once each
    # The four the batch put back when its lease ran out were tried once, by the retry.
    assert sorted(Notification.objects.values_list("attempts", flat=True)) == [1] * 5


def test_a_send_that_hangs_past_the_sweep_repeats_only_that_message(celery_worker, settings):
    settings.NOTIFICATIONS_STUCK_AFTER_SECONDS = 2
    settings.EMAIL_BACKEND = "tests.support.mail.GatedBackend"
    GatedBackend.reset(first_delay=0, gate_at=1)  # the 2nd send hangs until released
    contacts = EmployerUserFactory.create_batch(5)

    announce(contacts)
    assert GatedBackend.entered.wait(timeout=30)
    time.sleep(2.2)  # the batch's rows are now older than the sweep's threshold
    first, in_flight = Notification.objects.order_by("pk")[:2]
    # The sweep marks SENT what the live batch's journal says went out (the first), and
    # takes back the row in flight and the three never tried.
    assert delivery.sweep() == 4
    first.refresh_from_db()
    assert first.state == State.SENT
    GatedBackend.release.set()  # the hung send finishes; the batch's lease is long over

    wait_for(lambda: states() == [State.SENT] * 5, timeout=30)
    received = Counter(m.extra_headers["Message-ID"] for m in mail.outbox)
    assert set(received) == {row.message_id for row in Notification.objects.all()}
    assert {mid: n for mid, n in received.items() if n > 1} == {in_flight.message_id: 2}


def test_the_sweep_gives_up_on_a_row_whose_send_never_finishes(settings):
    # Each attempt was counted as the row was handed over, then the worker died mid-send.
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    row = row_for(
        EmployerUserFactory(),
        "kills-its-worker",
        State.SENDING,
        attempts=3,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )
    long_ago = timezone.now() - timedelta(hours=1)
    Notification.objects.filter(pk=row.pk).update(state_changed_at=long_ago)

    assert delivery.sweep() == 0

    row.refresh_from_db()
    assert row.state == State.FAILED
    assert row.last_error.startswith("Gave up after 3 attempts")
    assert row.last_error.endswith("SMTPServerDisconnected: Connection unexpectedly closed")
    assert mail.outbox == []


def test_the_sweep_leaves_a_row_waiting_for_its_retry(settings):
    now = timezone.now()
    row = row_for(EmployerUserFactory(), "backing-off", attempts=6)
    Notification.objects.filter(pk=row.pk).update(
        state_changed_at=now - timedelta(minutes=15), retry_at=now + timedelta(minutes=15)
    )

    assert delivery.sweep() == 0

    row.refresh_from_db()
    assert (row.state, row.attempts) == (State.QUEUED, 6)
    assert mail.outbox == []
