"""Failures that must delay mail but never lose it: a worker SIGKILLed mid-batch, and Redis
restarted in the middle of a burst. Real worker processes, real Redis servers."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.db import connection, transaction
from django.urls import reverse

from cte_portal.notifications import delivery, services
from cte_portal.notifications.enums import State
from cte_portal.notifications.models import Notification
from cte_portal.users.enums import Role
from cte_portal.users.models import User
from tests.conftest import TEST_REDIS_URL, celery_on_redis
from tests.support.mail import read_mailbox
from tests.support.waiting import wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).parent / "celery")


def test_database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


@contextmanager
def worker_process(
    broker_url: str,
    mailbox: Path,
    name: str,
    *,
    delay: float = 0.0,
    pool: str = "solo",
    env_extra: dict[str, str] | None = None,
):
    """``celery worker`` in a process group of its own, killable with SIGKILL."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": test_database_url(),
        "CELERY_BROKER_URL": broker_url,
        "EMAIL_BACKEND": "tests.support.mail.FileLogBackend",
        "MAILBOX_PATH": str(mailbox),
        "MAILBOX_DELAY": str(delay),
        "NOTIFICATIONS_BATCH_SIZE": "50",
        **(env_extra or {}),
    }
    process = subprocess.Popen(
        [
            CELERY,
            "-A",
            "cte_portal",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "-l",
            "warning",
            "--without-mingle",
            "--without-gossip",
            "-n",
            f"{name}@%h",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def sent_count() -> int:
    return Notification.objects.filter(state=State.SENT).count()


def unfinished() -> int:
    return Notification.objects.filter(state__in=[State.QUEUED, State.SENDING]).count()


def make_contacts(n: int) -> list[User]:
    User.objects.bulk_create(
        [User(email=f"contact{i}@partners.example", role=Role.EMPLOYER) for i in range(n)]
    )
    return list(User.objects.filter(role=Role.EMPLOYER).order_by("pk"))


def test_worker_killed_mid_batch_of_500_loses_nothing(tmp_path, settings):
    settings.NOTIFICATIONS_BATCH_SIZE = 50
    mailbox = tmp_path / "mailbox.log"
    redis.Redis.from_url(TEST_REDIS_URL).flushdb()
    contacts = make_contacts(500)

    with celery_on_redis(TEST_REDIS_URL):
        with transaction.atomic():
            services.notify(
                kind="announcement",
                event_key="career-day",
                recipients=contacts,
                context={"title": "Career day", "message": "Host a table."},
            )
        with worker_process(TEST_REDIS_URL, mailbox, "doomed", delay=0.01) as doomed:
            wait_for(lambda: len(read_mailbox(str(mailbox))) >= 120, timeout=60)
            os.killpg(doomed.pid, signal.SIGKILL)  # the whole worker, mid-batch
            doomed.wait(timeout=30)
        assert sent_count() < 500
        # Only rows handed to the mail server were charged an attempt: at most the one in
        # flight is still SENDING with one (the rest of its batch waited, uncharged).
        in_flight = Notification.objects.filter(state=State.SENDING, attempts__gt=0).count()
        assert in_flight <= 1

        # The beat sweep, as it would run minutes later: rows the dead worker held go back.
        delivery.sweep(older_than=timedelta(0))
        with worker_process(TEST_REDIS_URL, mailbox, "rescuer"):
            wait_for(lambda: sent_count() == 500, timeout=120)

    received = Counter(read_mailbox(str(mailbox)))
    expected = {row.message_id for row in Notification.objects.all()}
    assert set(received) == expected  # every one of the 500 reached the mail server
    repeats = sum(count - 1 for count in received.values())
    # At-least-once: only the message in flight at the kill may go out twice (one worker
    # process was killed), and it carries the same Message-ID for the server to drop.
    assert repeats <= 1
    redis.Redis.from_url(TEST_REDIS_URL).flushdb()


def test_a_batch_over_its_soft_time_limit_puts_the_rest_back_and_loses_nothing(tmp_path):
    """Prefork (the production pool) enforces Celery's time limits; the solo pool does not."""
    mailbox = tmp_path / "mailbox.log"
    redis.Redis.from_url(TEST_REDIS_URL).flushdb()
    contacts = make_contacts(12)
    limits = {"CELERY_TASK_SOFT_TIME_LIMIT": "1", "CELERY_TASK_TIME_LIMIT": "30"}

    with celery_on_redis(TEST_REDIS_URL) as app:
        # The publisher puts its time limits in each task message: the worker obeys those.
        saved = (app.conf.task_soft_time_limit, app.conf.task_time_limit)
        app.conf.update(task_soft_time_limit=1, task_time_limit=30)
        try:
            with transaction.atomic():
                services.notify(
                    kind="announcement",
                    event_key="slow-server",
                    recipients=contacts,
                    context={"title": "Career day", "message": "Host a table."},
                )
            # Each send takes 0.3 s: one batch of 12 cannot finish within its 1 s soft limit.
            with worker_process(
                TEST_REDIS_URL, mailbox, "slow", delay=0.3, pool="prefork", env_extra=limits
            ):
                wait_for(lambda: not unfinished(), timeout=90)
        finally:
            app.conf.update(task_soft_time_limit=saved[0], task_time_limit=saved[1])

    assert sorted(Notification.objects.values_list("state", flat=True)) == [State.SENT] * 12
    received = Counter(read_mailbox(str(mailbox)))
    assert set(received) == {row.message_id for row in Notification.objects.all()}
    # At-least-once: a message in flight when the limit struck may go out again; the limit
    # strikes during the 0.3 s wait before a write almost always, so repeats are rare.
    assert sum(count - 1 for count in received.values()) <= 2
    # The rows that went back were not charged for the interruption: each was tried at most
    # once before the send that reached the server.
    assert set(Notification.objects.values_list("attempts", flat=True)) <= {1, 2}
    redis.Redis.from_url(TEST_REDIS_URL).flushdb()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def redis_server(port: int):
    process = subprocess.Popen(
        [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    wait_for(lambda: _pings(client), timeout=10)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server to restart")
def test_redis_restarted_mid_burst_delays_mail_but_loses_none(client, tmp_path):
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    mailbox = tmp_path / "mailbox.log"
    people = make_contacts(12)

    def request_password_reset(user: User) -> None:
        response = client.post(reverse("account_reset_password"), {"email": user.email})
        assert response.status_code == 302  # the person's request succeeds either way

    with celery_on_redis(broker), worker_process(broker, mailbox, "steady"):
        with redis_server(port):
            for user in people[:6]:
                request_password_reset(user)
            wait_for(lambda: sent_count() == 6, timeout=60)
        # Redis is down: the requests still succeed and their mail waits, QUEUED.
        for user in people[6:]:
            request_password_reset(user)
        assert Notification.objects.filter(state=State.QUEUED).count() == 6

        with redis_server(port):
            delivery.sweep(older_than=timedelta(0))
            # The same worker reconnects to the restarted Redis and delivers the rest.
            wait_for(lambda: sent_count() == 12, timeout=90)

    received = Counter(read_mailbox(str(mailbox)))
    assert sorted(received.values()) == [1] * 12
    assert {row.message_id for row in Notification.objects.all()} == set(received)
