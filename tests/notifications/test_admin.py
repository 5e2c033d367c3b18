"""Staff see the outbox in the back office: filter, read the error, resend."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from cte_portal.notifications.enums import State
from tests.factories.notifications import NotificationFactory

pytestmark = pytest.mark.django_db


def test_staff_filter_the_outbox_by_state_and_kind(client_for, staff):
    failed = NotificationFactory(state=State.FAILED, last_error="SMTPRecipientsRefused: 550")
    NotificationFactory(state=State.SENT)

    page = client_for(staff).get(
        reverse("admin:notifications_notification_changelist"),
        {"state__exact": "failed", "kind__exact": "announcement"},
    )

    assert page.status_code == 200
    assert [n.pk for n in page.context["cl"].result_list] == [failed.pk]
    assert "SMTPRecipientsRefused: 550" in page.content.decode()


def test_staff_resend_a_failed_notification(client_for, staff, django_capture_on_commit_callbacks):
    failed = NotificationFactory(state=State.FAILED, attempts=5, last_error="550")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(
            reverse("admin:notifications_notification_changelist"),
            {"action": "resend", "_selected_action": [failed.pk]},
        )

    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.state == State.SENT
    assert [m.to for m in mail.outbox] == [[failed.email]]


def test_the_outbox_is_not_for_other_roles(client_for, counselor, employer):
    for person in (counselor, employer):
        response = client_for(person).get(reverse("admin:notifications_notification_changelist"))
        assert response.status_code == 302  # to the admin sign-in: not staff


def resend(client, rows, capture):
    with capture(execute=True):
        return client.post(
            reverse("admin:notifications_notification_changelist"),
            {"action": "resend", "_selected_action": [row.pk for row in rows]},
            follow=True,
        )


@pytest.mark.parametrize("state", [State.SKIPPED, State.SENDING, State.QUEUED, State.DIGEST])
def test_staff_cannot_resend_what_is_turned_off_or_on_its_way(
    client_for, staff, state, django_capture_on_commit_callbacks
):
    row = NotificationFactory(state=state, attempts=0)

    page = resend(client_for(staff), [row], django_capture_on_commit_callbacks)

    assert "1 notification was not sent again" in page.content.decode()
    row.refresh_from_db()
    assert (row.state, row.resends) == (state, 0)
    assert mail.outbox == []


def test_a_resend_is_a_new_message_with_a_message_id_of_its_own(
    client_for, staff, django_capture_on_commit_callbacks
):
    sent = NotificationFactory(state=State.SENT)
    first_message_id = sent.message_id

    page = resend(client_for(staff), [sent], django_capture_on_commit_callbacks)

    assert "1 notification queued again" in page.content.decode()
    sent.refresh_from_db()
    assert (sent.state, sent.resends) == (State.SENT, 1)
    assert mail.outbox[0].extra_headers["Message-ID"] == sent.message_id
    assert sent.message_id != first_message_id


def test_a_sent_account_mail_cannot_be_resent(
    client_for, staff, django_capture_on_commit_callbacks
):
    # Its body (a one-time reset link) was erased once sent: the person asks for a new link.
    sent = NotificationFactory(kind="account", state=State.SENT, body_text="", body_html="")

    resend(client_for(staff), [sent], django_capture_on_commit_callbacks)

    sent.refresh_from_db()
    assert (sent.state, sent.resends) == (State.SENT, 0)
    assert mail.outbox == []


@pytest.mark.parametrize(
    "kind",
    [
        "account",
        "partner_signup_confirm",
        "partner_invitation",
        "wbl_consent_request",
        "wbl_hours_waiting",
    ],
)
def test_staff_never_read_a_link_that_acts_in_someone_elses_name(client_for, staff, kind):
    secret = "https://portal.example/act/abc123-secret-token/"
    row = NotificationFactory(kind=kind, body_text=f"Follow {secret}", body_html=secret)

    page = client_for(staff).get(reverse("admin:notifications_notification_change", args=[row.pk]))

    assert page.status_code == 200
    assert "abc123-secret-token" not in page.content.decode()


def test_a_placeholder_address_reads_as_not_emailed_for_want_of_an_address(client_for, staff):
    # A roster student without e-mail (.invalid) is never mailed; their row is SKIPPED, and
    # the back office must not say that they turned the kind off.
    NotificationFactory(email="stu-9@no-email.invalid", state=State.SKIPPED)

    page = client_for(staff).get(reverse("admin:notifications_notification_changelist"))

    assert "Not e-mailed (turned off, or no real address)" in page.content.decode()
