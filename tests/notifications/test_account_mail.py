"""allauth's account mail through the outbox: rendered like allauth renders it, in the
recipient's language, kept out of the notification centre, and its links hidden from staff."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from cte_portal.notifications.enums import State
from cte_portal.notifications.models import Notification
from tests.factories.notifications import NotificationFactory

pytestmark = pytest.mark.django_db

RESET_LINK = re.compile(r"https?://\S+/accounts/password/reset/key/\S+")


def verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def request_reset(client, user, *, language: str = "en", send: bool, capture) -> Notification:
    with capture(execute=send):
        response = client.post(
            reverse("account_reset_password"),
            {"email": user.email},
            headers={"accept-language": language},
        )
    assert response.status_code == 302
    return Notification.objects.get(user=user, kind="account")


def test_password_reset_mail_keeps_allauths_greeting_and_link(
    client, student, django_capture_on_commit_callbacks
):
    verified(student)

    row = request_reset(client, student, send=False, capture=django_capture_on_commit_callbacks)

    assert "Hello from testserver!" in row.body_text  # the request's site, as allauth greets
    assert "Hello from !" not in row.body_text
    assert RESET_LINK.search(row.body_text)
    assert row.subject == "[CTE Portal] Password Reset Email"


def test_password_reset_mail_is_in_the_recipients_language(
    client, student, django_capture_on_commit_callbacks
):
    student.preferred_language = "es"
    student.save(update_fields=["preferred_language"])
    verified(student)

    # Asked for from an English browser: the family reads Spanish.
    row = request_reset(client, student, send=True, capture=django_capture_on_commit_callbacks)

    assert row.language == "es"
    assert row.subject == "[CTE Portal] Correo electrónico para restablecer contraseña"
    assert "¡Hola de parte de testserver!" in mail.outbox[0].body


def test_account_mail_is_not_in_the_notification_centre(
    client, student, django_capture_on_commit_callbacks
):
    verified(student)
    news = NotificationFactory(user=student, read_at=None)
    request_reset(client, student, send=True, capture=django_capture_on_commit_callbacks)
    client.force_login(student)

    page = client.get(reverse("notifications:list"))
    api = client.get("/api/v1/notifications/").json()

    assert [n.pk for n in page.context["page"].object_list] == [news.pk]
    assert [n["id"] for n in api["results"]] == [news.pk]
    assert "Notifications (1 unread)" in page.content.decode()


def test_staff_cannot_read_a_password_reset_link_in_the_outbox(
    client, client_for, student, staff, django_capture_on_commit_callbacks
):
    verified(student)
    row = request_reset(client, student, send=False, capture=django_capture_on_commit_callbacks)
    link = RESET_LINK.search(row.body_text).group(0)
    back_office = client_for(staff)

    detail = back_office.get(reverse("admin:notifications_notification_change", args=[row.pk]))
    listing = back_office.get(reverse("admin:notifications_notification_changelist"))

    assert detail.status_code == 200
    assert row.subject in detail.content.decode()  # the row itself is there for staff
    for page in (detail, listing):
        assert link not in page.content.decode()
        assert "/accounts/password/reset/key/" not in page.content.decode()
    assert "Hidden: account e-mails hold sign-in links" in detail.content.decode()


def test_a_sent_account_mail_keeps_no_body(client, student, django_capture_on_commit_callbacks):
    verified(student)

    row = request_reset(client, student, send=True, capture=django_capture_on_commit_callbacks)

    assert row.state == State.SENT
    assert RESET_LINK.search(mail.outbox[0].body)  # the person got the link...
    assert (row.body_text, row.body_html) == ("", "")  # ...and the outbox no longer holds it


def test_ordinary_notifications_keep_their_body_for_staff(client_for, staff):
    row = NotificationFactory(body_text="Career day is on 12 May.")

    detail = client_for(staff).get(
        reverse("admin:notifications_notification_change", args=[row.pk])
    )

    assert "Career day is on 12 May." in detail.content.decode()
