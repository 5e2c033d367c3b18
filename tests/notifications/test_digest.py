"""The daily digest against real PostgreSQL locks: each waiting row goes out in one digest,
and one person's trouble does not hold back anyone else's digest."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connection, transaction

from cte_portal.notifications import delivery, services
from cte_portal.notifications.enums import Delivery, State
from cte_portal.notifications.models import Notification
from cte_portal.users.models import User
from tests.factories.users import EmployerUserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def waiting_for_digest(user, n: int = 2) -> list[int]:
    services.preference_set(user=user, kind="announcement", delivery=Delivery.DIGEST)
    for i in range(n):
        with transaction.atomic():
            services.notify(
                kind="announcement",
                event_key=f"{user.pk}:{i}",
                recipients=[user],
                context={"title": f"News {i}", "message": "..."},
            )
    waiting = Notification.objects.filter(user=user, state=State.DIGEST)
    return list(waiting.values_list("pk", flat=True))


def digests_of(user) -> list[int]:
    return list(Notification.objects.filter(user=user, kind="digest").values_list("pk", flat=True))


def test_a_digest_run_leaves_alone_the_rows_another_run_is_sending():
    busy, free = EmployerUserFactory.create_batch(2)
    busy_rows = waiting_for_digest(busy)
    waiting_for_digest(free)
    locked, release = threading.Event(), threading.Event()

    def other_run():  # another digest run, in the middle of this person's digest
        try:
            with transaction.atomic():
                list(Notification.objects.select_for_update().filter(pk__in=busy_rows))
                locked.set()
                release.wait(timeout=5)
        finally:
            connection.close()

    thread = threading.Thread(target=other_run)
    thread.start()
    assert locked.wait(timeout=10)
    try:
        written = delivery.send_digests()
    finally:
        release.set()
        thread.join(timeout=30)

    assert written == 1
    assert digests_of(busy) == []
    assert len(digests_of(free)) == 1
    assert set(Notification.objects.filter(pk__in=busy_rows).values_list("state", flat=True)) == {
        State.DIGEST
    }
    # The next run sends them: nothing is lost, nothing goes out twice.
    assert delivery.send_digests() == 1
    assert len(digests_of(busy)) == 1
    assert len(digests_of(free)) == 1


def test_two_runs_at_once_put_each_row_in_one_digest():
    people = EmployerUserFactory.create_batch(6)
    for person in people:
        waiting_for_digest(person, n=3)
    start = threading.Barrier(2)

    def run():
        try:
            start.wait(timeout=10)
            delivery.send_digests()
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    digests = Notification.objects.filter(kind="digest")
    assert sorted(d.user_id for d in digests) == sorted(p.pk for p in people)
    items = Notification.objects.filter(kind="announcement")
    assert {row.state for row in items} == {State.DIGESTED}
    assert all(row.digest_id is not None for row in items)
    assert len(mail.outbox) == len(people)


def test_an_address_stored_in_mixed_case_gets_its_digest_and_so_does_everyone_after():
    mixed, after = EmployerUserFactory.create_batch(2)
    User.objects.filter(pk=mixed.pk).update(email="Mixed.Case@Partners.Example")
    mixed.refresh_from_db()
    waiting_for_digest(mixed)
    waiting_for_digest(after)

    assert delivery.send_digests() == 2

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["mixed.case@partners.example", after.email]
    )
    assert Notification.objects.filter(kind="announcement", state=State.DIGEST).count() == 0
