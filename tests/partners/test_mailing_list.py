"""The CTE mailing list: anyone joins, with double opt-in and a one-click unsubscribe. The
subscribers have no account: their mail goes through the outbox to a bare address."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from cte_portal.notifications.models import Notification
from partners import services, tokens
from partners.enums import SubscriberStatus
from partners.models import MailingListSubscriber
from tests.partners.helpers import link_in_mail, rows
from tests.partners.structure import check_structure

pytestmark = pytest.mark.django_db

JOIN = reverse("partners:mailing_list")


def subscribe(client, capture, email="reader@example.org", language="en"):
    with capture(execute=True):
        return client.post(JOIN, {"email": email, "full_name": "Rea Der", "language": language})


def test_the_mailing_list_page_is_an_accessible_form(client):
    response = client.get(JOIN)

    assert response.status_code == 200
    check_structure(response.content.decode())


def test_joining_sends_only_a_confirmation(client, django_capture_on_commit_callbacks):
    response = subscribe(client, django_capture_on_commit_callbacks, email="Reader@Example.org")

    assert response.status_code == 302
    subscriber = MailingListSubscriber.objects.get()
    assert (subscriber.email, subscriber.status) == ("reader@example.org", SubscriberStatus.PENDING)
    row = Notification.objects.get()
    assert (row.kind, row.email, row.user) == ("mailing_list_confirm", "reader@example.org", None)
    assert [m.subject for m in mail.outbox] == ["Confirm your subscription to the CTE mailing list"]


def test_the_confirmation_link_asks_before_it_confirms(client, django_capture_on_commit_callbacks):
    subscribe(client, django_capture_on_commit_callbacks)
    path = link_in_mail(r"/partners/mailing-list/confirm/[^/\s]+/", "reader@example.org")

    shown = client.get(path)  # a mail scanner following the link subscribes nobody

    assert shown.status_code == 200 and "Yes, subscribe me" in shown.content.decode()
    check_structure(shown.content.decode())
    assert MailingListSubscriber.objects.get().status == SubscriberStatus.PENDING


def test_confirming_subscribes_and_welcomes_with_an_unsubscribe_link(
    client, django_capture_on_commit_callbacks
):
    subscribe(client, django_capture_on_commit_callbacks, language="es")
    path = link_in_mail(r"/partners/mailing-list/confirm/[^/\s]+/", "reader@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path)

    assert response.status_code == 200
    subscriber = MailingListSubscriber.objects.get()
    assert subscriber.status == SubscriberStatus.CONFIRMED and subscriber.confirmed_at
    assert rows("mailing_list_welcome") == ["reader@example.org"]
    assert Notification.objects.get(kind="mailing_list_welcome").language == "es"
    assert link_in_mail(r"/partners/mailing-list/unsubscribe/[^/\s]+/", "reader@example.org")


def test_one_click_unsubscribes_without_signing_in(client, django_capture_on_commit_callbacks):
    subscriber = MailingListSubscriber.objects.create(
        email="reader@example.org", status=SubscriberStatus.CONFIRMED
    )
    url = reverse(
        "partners:mailing_list_unsubscribe",
        args=[tokens.list_unsubscribe_token(subscriber_id=subscriber.pk, email=subscriber.email)],
    )

    first = client.post(url)
    again = client.post(url)

    assert first.status_code == again.status_code == 200
    assert "You are unsubscribed" in first.content.decode()
    check_structure(first.content.decode())
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED and subscriber.unsubscribed_at


def test_the_unsubscribe_link_asks_before_it_unsubscribes(client):
    # A mail scanner following every link of a message must not take the reader off the list.
    subscriber = MailingListSubscriber.objects.create(
        email="reader@example.org", status=SubscriberStatus.CONFIRMED
    )
    url = reverse(
        "partners:mailing_list_unsubscribe",
        args=[tokens.list_unsubscribe_token(subscriber_id=subscriber.pk, email=subscriber.email)],
    )

    response = client.get(url)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Yes, unsubscribe me" in page and 'method="post"' in page
    check_structure(page)
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED and subscriber.unsubscribed_at is None


def test_mail_clients_can_unsubscribe_with_a_post_and_no_csrf_token():
    subscriber = MailingListSubscriber.objects.create(
        email="reader@example.org", status=SubscriberStatus.CONFIRMED
    )
    token = tokens.list_unsubscribe_token(subscriber_id=subscriber.pk, email=subscriber.email)

    response = Client(enforce_csrf_checks=True).post(
        reverse("partners:mailing_list_unsubscribe", args=[token]),
        {"List-Unsubscribe": "One-Click"},
    )

    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED


@pytest.mark.parametrize(
    "name", ["partners:mailing_list_confirm", "partners:mailing_list_unsubscribe"]
)
def test_tampered_links_are_refused(client, name):
    subscriber = MailingListSubscriber.objects.create(
        email="reader@example.org", status=SubscriberStatus.CONFIRMED
    )
    good = tokens.list_unsubscribe_token(subscriber_id=subscriber.pk, email=subscriber.email)

    response = client.post(reverse(name, args=[good[:-1] + ("A" if good[-1] != "A" else "B")]))

    assert response.status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED


def test_a_confirmation_link_cannot_unsubscribe_and_vice_versa(client):
    subscriber = MailingListSubscriber.objects.create(email="reader@example.org")
    confirm = tokens.list_confirm_token(subscriber_id=subscriber.pk, email=subscriber.email)
    unsubscribe = tokens.list_unsubscribe_token(subscriber_id=subscriber.pk, email=subscriber.email)

    assert (
        client.get(reverse("partners:mailing_list_unsubscribe", args=[confirm])).status_code == 400
    )
    assert (
        client.post(reverse("partners:mailing_list_confirm", args=[unsubscribe])).status_code == 400
    )


def test_an_expired_confirmation_is_refused(client):
    subscriber = MailingListSubscriber.objects.create(email="reader@example.org")
    with mock.patch("time.time", return_value=time.time() - 8 * 24 * 3600):
        old = tokens.list_confirm_token(subscriber_id=subscriber.pk, email=subscriber.email)

    response = client.post(reverse("partners:mailing_list_confirm", args=[old]))

    assert response.status_code == 400 and "expired" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING


def test_joining_again_does_not_flood_the_address(client, django_capture_on_commit_callbacks):
    subscribe(client, django_capture_on_commit_callbacks)
    subscribe(client, django_capture_on_commit_callbacks)

    assert rows("mailing_list_confirm") == ["reader@example.org"]


def test_a_subscribed_address_gets_nothing_more_and_the_page_says_the_same(
    client, django_capture_on_commit_callbacks
):
    MailingListSubscriber.objects.create(
        email="reader@example.org", status=SubscriberStatus.CONFIRMED
    )

    response = subscribe(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302 and response["Location"] == reverse(
        "partners:mailing_list_sent"
    )
    assert Notification.objects.count() == 0


def test_an_unsubscribed_address_can_opt_in_again(django_capture_on_commit_callbacks):
    subscriber = MailingListSubscriber.objects.create(
        email="reader@example.org", status=SubscriberStatus.UNSUBSCRIBED
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.mailing_list_subscribe(email="reader@example.org")

    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING
    assert rows("mailing_list_confirm") == ["reader@example.org"]


def test_a_confirmation_after_unsubscribing_does_not_resubscribe(client):
    subscriber = MailingListSubscriber.objects.create(
        email="reader@example.org", status=SubscriberStatus.UNSUBSCRIBED
    )
    token = tokens.list_confirm_token(subscriber_id=subscriber.pk, email=subscriber.email)

    response = client.post(reverse("partners:mailing_list_confirm", args=[token]))

    assert "unsubscribed after the link was sent" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED


def test_a_bad_address_keeps_the_form(client):
    response = client.post(JOIN, {"email": "nope", "full_name": "Rea", "language": "en"})

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert 'value="Rea"' in response.content.decode()
