"""Writing notifications: one row per event and person, after commit, in their language."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cte_portal.notifications import delivery, services
from cte_portal.notifications.enums import Delivery, State
from cte_portal.notifications.models import Notification
from cte_portal.notifications.selectors import notifications_for
from cte_portal.users.enums import Role
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def announce(recipients, *, key="event-1", title="Career day", message="Join us."):
    return services.notify(
        kind="announcement",
        event_key=key,
        recipients=recipients,
        context={"title": title, "message": message},
        link="/notifications/",
    )


def test_notification_is_sent_after_commit(employer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        announce([employer])

    row = Notification.objects.get()
    assert row.state == State.SENT
    assert [m.to for m in mail.outbox] == [[employer.email]]
    assert mail.outbox[0].subject == "CTE office: Career day"
    assert "Join us." in mail.outbox[0].body


def test_plain_text_reads_as_typed_and_only_the_html_is_escaped(employer):
    announce([employer], title="O'Brien & Sons <Day>", message='Bring "boots" & gloves.')

    row = Notification.objects.get()
    assert row.subject == "CTE office: O'Brien & Sons <Day>"
    assert "O'Brien & Sons <Day>" in row.body_text
    assert 'Bring "boots" & gloves.' in row.body_text
    assert "O&#x27;Brien &amp; Sons &lt;Day&gt;" in row.body_html
    assert "<Day>" not in row.body_html


def test_each_recipient_reads_it_in_their_language(django_capture_on_commit_callbacks):
    english = UserFactory(email="en@example.org", preferred_language="en")
    spanish = UserFactory(email="es@example.org", preferred_language="es")

    with django_capture_on_commit_callbacks(execute=True):
        announce([english, spanish])

    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["en@example.org"] == "CTE office: Career day"
    assert subjects["es@example.org"] == "Oficina de CTE: Career day"


def test_a_kind_turned_off_is_not_emailed_but_shows_in_the_portal(
    employer, django_capture_on_commit_callbacks
):
    services.preference_set(user=employer, kind="announcement", delivery=Delivery.OFF)

    with django_capture_on_commit_callbacks(execute=True):
        announce([employer])

    assert mail.outbox == []
    assert Notification.objects.get().state == State.SKIPPED
    assert Notification.objects.get().user == employer


def test_each_persons_address_and_choice_reach_their_row_whatever_the_address_holds(
    django_capture_on_commit_callbacks,
):
    # Characters the statement's arrays must carry as they are (quotes, a backslash, a
    # comma, braces; "NULL" is an address, not a missing one).
    odd = ['"a,b"@example.org', "back\\slash@example.org", "{x}@example.org", "o'brien@example.org"]
    people = [UserFactory(email=email) for email in odd]
    off, digest = UserFactory(email="off@example.org"), UserFactory(email="digest@example.org")
    services.preference_set(user=off, kind="announcement", delivery=Delivery.OFF)
    services.preference_set(user=digest, kind="announcement", delivery=Delivery.DIGEST)
    bare = services.Recipient(email="null")

    with django_capture_on_commit_callbacks(execute=True):
        announce([*people, off, digest, bare])

    rows = dict(Notification.objects.values_list("email", "state"))
    assert rows == {
        **dict.fromkeys(odd, State.SENT),
        "off@example.org": State.SKIPPED,
        "digest@example.org": State.DIGEST,
        "null": State.SENT,
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted([*odd, "null"])
    assert Notification.objects.get(email="null").user is None


def test_account_mail_cannot_be_turned_off(employer):
    with pytest.raises(services.NotificationError):
        services.preference_set(user=employer, kind="account", delivery=Delivery.OFF)


def test_fan_out_to_5000_partner_contacts_costs_a_fixed_number_of_queries(
    django_capture_on_commit_callbacks,
):
    contacts = UserFactory.build_batch(5000, role=Role.EMPLOYER)
    for n, contact in enumerate(contacts):
        contact.email = f"contact{n}@partners.example"
    from cte_portal.users.models import User

    User.objects.bulk_create(contacts, batch_size=1000)
    recipients = list(User.objects.filter(role=Role.EMPLOYER))

    with CaptureQueriesContext(connection) as queries:
        # Nothing dispatched yet (on_commit): these are the queries that write the rows.
        queued = announce(recipients, key="career-day-2027")

    assert queued == 5000
    assert Notification.objects.filter(state=State.QUEUED).count() == 5000
    # preferences, one statement that inserts every row and returns the ids queued,
    # savepoint + release
    assert len(queries) <= 4, [q["sql"][:80] for q in queries]
    # The rendered bodies travel once, not once per person: what is sent for 5,000 people
    # is a few dozen bytes each (their ids, addresses and languages), not 5,000 bodies.
    body = Notification.objects.first().body_html
    sent = sum(len(q["sql"]) for q in queries)
    assert sent < 5000 * 100 < 5000 * len(body), sent


def test_the_sweep_and_the_digest_are_in_the_beat_schedule(settings):
    from cte_portal.celery import app

    app.loader.import_default_modules()  # what a worker does: registers every app's tasks
    scheduled = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}

    assert {"notifications.sweep", "notifications.send_digests"} <= set(scheduled)
    assert {"notifications.sweep", "notifications.send_digests"} <= set(app.tasks)
    # The sweep runs far more often than a row counts as stuck, and a batch within Celery's
    # time limit never counts as stuck.
    assert scheduled["notifications.sweep"] * 5 <= settings.NOTIFICATIONS_STUCK_AFTER_SECONDS
    assert settings.NOTIFICATIONS_STUCK_AFTER_SECONDS > settings.CELERY_TASK_TIME_LIMIT


def test_the_default_retries_ride_out_a_few_hours_of_mail_server_outage(settings):
    waits = [delivery.retry_delay(n) for n in range(1, settings.NOTIFICATIONS_MAX_ATTEMPTS)]

    assert waits[:6] == [60, 120, 240, 480, 960, 1800]  # then capped at half an hour
    assert max(waits) <= delivery.RETRY_CAP_SECONDS < 3600  # Redis' visibility timeout
    assert sum(waits) / 3600 == pytest.approx(5.0, abs=0.1)  # hours from 1st to last try


def test_turning_a_kind_off_drops_what_waits_for_the_digest(
    employer, django_capture_on_commit_callbacks
):
    services.preference_set(user=employer, kind="announcement", delivery=Delivery.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        announce([employer])

    services.preference_set(user=employer, kind="announcement", delivery=Delivery.OFF)

    assert Notification.objects.get().state == State.SKIPPED
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.send_digests() == 0
    assert mail.outbox == []


# --- Placeholder addresses (the reserved .invalid domain) ---------------------------------


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("stu-9@no-email.invalid", True),
        ("x@INVALID", True),
        ("x@school.invalid.", True),
        ("x@invalid.example.org", False),
        ("x@example.org", False),
    ],
)
def test_is_undeliverable(email, expected):
    assert services.is_undeliverable(email) is expected


def test_an_account_with_a_placeholder_address_is_not_emailed_but_sees_it_in_the_portal(
    employer, django_capture_on_commit_callbacks
):
    placeholder = UserFactory(email="stu-9@no-email.invalid")

    with django_capture_on_commit_callbacks(execute=True):
        queued = announce([placeholder, employer])

    assert queued == 1
    assert sorted(Notification.objects.values_list("email", "state")) == [
        ("employer@example.org", State.SENT),
        ("stu-9@no-email.invalid", State.SKIPPED),
    ]
    assert [m.to for m in mail.outbox] == [["employer@example.org"]]
    assert [n.subject for n in notifications_for(user=placeholder)] == ["CTE office: Career day"]


def test_a_placeholder_row_is_never_sent_nor_failed(django_capture_on_commit_callbacks):
    placeholder = UserFactory(email="stu-9@no-email.invalid")

    with django_capture_on_commit_callbacks(execute=True):
        announce([placeholder])
    delivery.deliver_batch([Notification.objects.get().pk])  # even if a worker is handed it

    row = Notification.objects.get()
    assert (row.state, row.attempts, row.last_error) == (State.SKIPPED, 0, "")
    assert mail.outbox == []


def test_a_bare_placeholder_address_gets_no_row():
    services.notify(
        kind="announcement",
        event_key="list-1",
        recipients=[services.Recipient(email="someone@list.invalid")],
        context={"title": "T", "message": "M"},
    )

    assert not Notification.objects.exists()
