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
