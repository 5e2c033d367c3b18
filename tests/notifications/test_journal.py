"""The delivery journal: what a dead batch sent is marked SENT by the sweep, never sent again;
a live batch's journal is left to its batch."""

from __future__ import annotations

import os
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail

from cte_portal.notifications import delivery, journal
from cte_portal.notifications.enums import State
from cte_portal.notifications.models import Notification
from tests.factories.users import EmployerUserFactory
from tests.support.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def rows(n: int) -> list[Notification]:
    """Bare outbox rows, not dispatched: the test decides who sends them."""
    return [
        Notification.objects.create(
            user=contact,
            email=contact.email,
            kind="announcement",
            event_key="journal",
            subject="Career day",
            body_text="Host a table.",
        )
        for contact in EmployerUserFactory.create_batch(n)
    ]


def journals() -> list[Path]:
    return sorted(journal.directory().glob("*.journal"))


@pytest.mark.celery_worker
def test_the_sweep_marks_what_a_dead_batch_sent_and_sends_only_the_rest(celery_worker):
    first, second, in_flight, untried = rows(4)
    token = uuid.uuid4()
    log = journal.Journal(token)
    assert len(delivery.claim([r.pk for r in (first, second, in_flight, untried)], token)) == 4
    delivery.strict_commits()
    sent_at = {}
    for row in (first, second):
        log.handing(row.pk)
        sent_at[row.pk] = log.sent(row.pk)
    log.handing(in_flight.pk)  # ... and the worker was killed here
    log.release()

    # The beat sweep, minutes later: the two sent are SENT, the other two go out again.
    assert delivery.sweep(older_than=timedelta(0)) == 2
    wait_for(lambda: Notification.objects.filter(state=State.SENT).count() == 4)

    assert sorted(m.extra_headers["Message-ID"] for m in mail.outbox) == sorted(
        [in_flight.message_id, untried.message_id]
    )
    for row in (first, second):
        row.refresh_from_db()
        assert row.sent_at == sent_at[row.pk]
        assert row.attempts == 1
    in_flight.refresh_from_db()
    untried.refresh_from_db()
    assert in_flight.attempts == 2  # the send the kill interrupted counts
    assert untried.attempts == 1
    assert journals() == []


def test_a_live_batchs_journal_and_rows_are_left_to_it():
    first, second = rows(2)
    token = uuid.uuid4()
    log = journal.Journal(token)
    delivery.claim([first.pk, second.pk], token)
    delivery.strict_commits()
    log.handing(first.pk)
    log.sent(first.pk)

    assert delivery.sweep() == 0  # the batch is alive and within its lease

    assert set(Notification.objects.values_list("state", flat=True)) == {State.SENDING}
    assert journals() == [log.path]
    log.remove()
    assert journals() == []


def test_a_line_still_being_written_is_not_read():
    token = uuid.uuid4()
    entries = journal.parse("T 1\nS 1 1767225600.250000\nT 2\nS 2 17672", token)
    assert list(entries.sent) == [1]
    assert entries.sent[1].timestamp() == 1767225600.25
    assert entries.unfinished == [2]


def test_a_journal_abandoned_before_its_lock_is_removed_once_old():
    folder = journal.directory()
    old, young = folder / f".{uuid.uuid4().hex}.tmp", folder / f".{uuid.uuid4().hex}.tmp"
    old.touch()
    young.touch()
    os.utime(old, (time.time() - 120, time.time() - 120))

    journal.read_all()

    assert not old.exists()
    assert young.exists()  # it may be between its creation and its lock
    young.unlink()


def test_a_journal_folder_that_cannot_be_written_is_reported(settings, tmp_path, caplog):
    from django.core import checks

    from cte_portal.celery import report_an_unwritable_journal

    assert checks.run_checks(tags=["notifications"]) == []
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.NOTIFICATIONS_JOURNAL_DIR = str(blocker / "journal")

    [error] = checks.run_checks(tags=["notifications"])
    assert error.id == "notifications.W001"
    assert str(blocker / "journal") in error.msg
    report_an_unwritable_journal()  # as a worker starts
    assert "The outbox cannot send" in caplog.text
    assert list(tmp_path.iterdir()) == [blocker]  # the probe leaves nothing behind
