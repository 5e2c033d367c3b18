"""The notification centre, preferences and one-click unsubscribe, as people use them."""

from __future__ import annotations

import time

import pytest
from django.core import mail, signing
from django.urls import reverse

from cte_portal.notifications import delivery, services
from cte_portal.notifications.enums import Delivery, State
from cte_portal.notifications.models import Notification, Preference
from tests.factories.notifications import NotificationFactory

pytestmark = pytest.mark.django_db


def test_notification_centre_lists_only_my_notifications(client_for, student, other_student):
    mine = NotificationFactory(user=student, subject="Your request was approved")
    NotificationFactory(user=other_student, subject="Someone else's news")

    page = client_for(student).get(reverse("notifications:list"))

    assert [n.pk for n in page.context["page"].object_list] == [mine.pk]
    assert "Someone else" not in page.content.decode()


def test_header_shows_the_unread_count(client_for, student):
    NotificationFactory.create_batch(2, user=student)
    NotificationFactory(user=student, read_at="2026-01-01T00:00Z")

    page = client_for(student).get(reverse("notifications:list")).content.decode()

    assert "Notifications (2 unread)" in page


def test_empty_notification_centre_says_so(client_for, student):
    page = client_for(student).get(reverse("notifications:list")).content.decode()

    assert "You have no notifications yet" in page


def test_mark_read_and_open_goes_to_the_object(client_for, student):
    item = NotificationFactory(user=student, link="/notifications/preferences/")

    response = client_for(student).post(
        reverse("notifications:read", args=[item.pk]), {"open": "1"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/notifications/preferences/"
    item.refresh_from_db()
    assert item.read_at is not None


def test_cannot_mark_someone_elses_notification(client_for, student, other_student):
    theirs = NotificationFactory(user=other_student)

    response = client_for(student).post(reverse("notifications:read", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(client_for, student, other_student):
    NotificationFactory.create_batch(3, user=student)
    theirs = NotificationFactory(user=other_student)

    client_for(student).post(reverse("notifications:read_all"))

    assert not Notification.objects.filter(user=student, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_notification_centre_query_count_is_constant(query_budget, student):
    # session, user, unread count (header), page count, page of notifications
    query_budget(
        reverse("notifications:list"),
        max_queries=6,
        user=student,
        grow=lambda n: NotificationFactory.create_batch(n, user=student),
    )


def test_preferences_are_saved(client_for, employer):
    response = client_for(employer).post(
        reverse("notifications:preferences"), {"announcement": Delivery.DIGEST}
    )

    assert response.status_code == 302
    assert Preference.objects.get(user=employer, kind="announcement").delivery == "digest"


def test_preferences_refuse_an_unknown_choice_and_keep_the_page(client_for, employer):
    response = client_for(employer).post(
        reverse("notifications:preferences"), {"announcement": "hourly"}
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Preference.objects.exists()


def unsubscribe_url_from_last_mail() -> str:
    header = mail.outbox[-1].extra_headers["List-Unsubscribe"]
    return header.strip("<>").split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def send_announcement(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            kind="announcement",
            event_key="e1",
            recipients=[user],
            context={"title": "Mentors wanted", "message": "..."},
        )


def test_the_unsubscribe_link_is_the_portals_address_for_that_person_and_kind(
    employer, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = "https://cte.example.org"

    send_announcement(employer, django_capture_on_commit_callbacks)

    link = mail.outbox[-1].extra_headers["List-Unsubscribe"].strip("<>")
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert link == "https://cte.example.org" + reverse("notifications:unsubscribe", args=[token])
    assert services.read_unsubscribe_token(token) == (employer.pk, "announcement")
    assert f"Unsubscribe from these e-mails: {link}" in mail.outbox[-1].body


def test_the_html_body_carries_the_same_link_escaped_and_labelled_in_the_persons_language(
    employer, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = "https://cte.example.org/?a=1&b=2#"  # only to prove escaping
    employer.preferred_language = "es"
    employer.save()

    send_announcement(employer, django_capture_on_commit_callbacks)

    message = mail.outbox[-1]
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    html = message.alternatives[0][0]
    label = "Cancelar la suscripción a estos correos electrónicos"
    assert f'<p><a href="{link.replace("&", "&amp;")}">{label}</a></p>' in html
    assert "<!--unsubscribe-->" not in html
    assert message.body.endswith(f"\n--\n{label}: {link}\n")


def test_unsubscribe_link_asks_first_and_a_link_scanner_changes_nothing(
    client, employer, django_capture_on_commit_callbacks
):
    send_announcement(employer, django_capture_on_commit_callbacks)
    url = unsubscribe_url_from_last_mail()
    assert url in mail.outbox[-1].body  # the link is in the text too

    # A mail scanner or a preview opens the link: that alone turns nothing off.
    page = client.get(url)

    assert page.status_code == 200
    content = page.content.decode()
    assert "Unsubscribe from “Announcements from the CTE office”?" in content
    assert 'method="post"' in content
    assert not Preference.objects.exists()


def test_one_click_unsubscribe_from_the_email_without_login(
    client, employer, django_capture_on_commit_callbacks
):
    send_announcement(employer, django_capture_on_commit_callbacks)
    url = unsubscribe_url_from_last_mail()

    page = client.post(url, {"confirm": "1"})

    assert page.status_code == 200
    assert "You are unsubscribed" in page.content.decode()
    assert "Announcements from the CTE office" in page.content.decode()
    assert Preference.objects.get(user=employer, kind="announcement").delivery == Delivery.OFF
    # Idempotent: a second click changes nothing and says so, by POST or by opening the link.
    assert "Nothing changed" in client.post(url, {"confirm": "1"}).content.decode()
    assert "Nothing changed" in client.get(url).content.decode()
    assert Preference.objects.filter(user=employer).count() == 1


def test_unsubscribe_page_speaks_spanish(client, employer):
    token = services.unsubscribe_token(user_id=employer.pk, kind="announcement")

    page = client.get(
        reverse("notifications:unsubscribe", args=[token]), headers={"accept-language": "es"}
    )

    content = page.content.decode()
    assert "¿Cancelar la suscripción a “Anuncios de la oficina de CTE”?" in content
    assert "Cancelar la suscripción</button>" in content


def test_unsubscribe_can_be_undone(client, employer, django_capture_on_commit_callbacks):
    send_announcement(employer, django_capture_on_commit_callbacks)
    url = unsubscribe_url_from_last_mail()
    unsubscribed = client.post(url, {"confirm": "1"})

    page = client.post(url, {"undo": unsubscribed.context["undo_token"]})

    assert "You are subscribed again" in page.content.decode()
    assert Preference.objects.get(user=employer).delivery == Delivery.IMMEDIATE


def test_undo_restores_only_what_that_link_turned_off(client, employer, other_employer):
    # Turned off on purpose in the settings page: no undo may turn it back on.
    services.preference_set(user=employer, kind="partner_approved", delivery=Delivery.OFF)
    token = services.unsubscribe_token(user_id=employer.pk, kind="announcement")
    url = reverse("notifications:unsubscribe", args=[token])
    client.post(url, {"confirm": "1"})
    made_up = [
        {"undo": "1", "kind": "partner_approved", "previous": "immediate"},  # unsigned
        # Signed, but for another link of the same person, or for another person.
        {"undo": services.undo_token(user_id=employer.pk, kind="partner_approved", changed={})},
        {"undo": services.undo_token(user_id=other_employer.pk, kind="announcement", changed={})},
    ]

    for data in made_up:
        assert client.post(url, data).status_code == 400

    assert dict(Preference.objects.filter(user=employer).values_list("kind", "delivery")) == {
        "announcement": Delivery.OFF,
        "partner_approved": Delivery.OFF,
    }


def test_undo_is_held_to_the_links_kind(employer):
    services.preference_set(user=employer, kind="partner_approved", delivery=Delivery.OFF)
    services.unsubscribe(user=employer, kind="announcement")

    restored = services.unsubscribe_undo(
        user=employer,
        kind="announcement",
        previous={"announcement": "digest", "partner_approved": "immediate", "account": "off"},
    )

    assert restored == {"announcement": "digest"}
    assert dict(Preference.objects.filter(user=employer).values_list("kind", "delivery")) == {
        "announcement": Delivery.DIGEST,
        "partner_approved": Delivery.OFF,
    }


def test_undo_of_a_digest_link_puts_back_in_the_digest_what_it_took_out(client, employer):
    services.preference_set(user=employer, kind="announcement", delivery=Delivery.DIGEST)
    services.preference_set(user=employer, kind="partner_approved", delivery=Delivery.OFF)
    token = services.unsubscribe_token(user_id=employer.pk, kind="digest")
    url = reverse("notifications:unsubscribe", args=[token])
    unsubscribed = client.post(url, {"confirm": "1"})

    client.post(url, {"undo": unsubscribed.context["undo_token"]})

    assert dict(Preference.objects.filter(user=employer).values_list("kind", "delivery")) == {
        "announcement": Delivery.DIGEST,
        "partner_approved": Delivery.OFF,  # the digest link never turned it off
    }
    # A digest link's undo can only put a kind back in the digest, never "right away".
    services.unsubscribe(user=employer, kind="digest")
    assert (
        services.unsubscribe_undo(
            user=employer, kind="digest", previous={"announcement": "immediate"}
        )
        == {}
    )


def test_unsubscribing_drops_what_was_waiting_for_the_digest(
    client, employer, django_capture_on_commit_callbacks
):
    services.preference_set(user=employer, kind="announcement", delivery=Delivery.DIGEST)
    send_announcement(employer, django_capture_on_commit_callbacks)
    waiting = Notification.objects.get(kind="announcement")
    token = services.unsubscribe_token(user_id=employer.pk, kind="announcement")

    client.post(reverse("notifications:unsubscribe", args=[token]), {"confirm": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.send_digests() == 0

    waiting.refresh_from_db()
    assert waiting.state == State.SKIPPED
    assert mail.outbox == []


def test_mail_client_one_click_post_unsubscribes(client, employer):
    token = services.unsubscribe_token(user_id=employer.pk, kind="announcement")

    response = client.post(
        reverse("notifications:unsubscribe", args=[token]),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert Preference.objects.get(user=employer).delivery == Delivery.OFF


def test_tampered_unsubscribe_token_is_refused(client, employer, other_employer):
    token = services.unsubscribe_token(user_id=employer.pk, kind="announcement")
    forged = signing.dumps({"u": other_employer.pk, "k": "announcement"}, salt="wrong")

    for bad in (token[:-2] + "xx", forged, "nonsense"):
        for method in (client.get, client.post):
            response = method(reverse("notifications:unsubscribe", args=[bad]))
            assert response.status_code == 400
            assert "does not work" in response.content.decode()
    assert not Preference.objects.exists()


def test_account_mail_has_no_unsubscribe(client, employer):
    token = services.unsubscribe_token(user_id=employer.pk, kind="account")

    response = client.get(reverse("notifications:unsubscribe", args=[token]))

    assert response.status_code == 400
    assert not Preference.objects.exists()


def test_digest_unsubscribe_turns_off_what_was_waiting_for_it(
    client, employer, django_capture_on_commit_callbacks
):
    services.preference_set(user=employer, kind="announcement", delivery=Delivery.DIGEST)
    send_announcement(employer, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        delivery.send_digests()
    url = unsubscribe_url_from_last_mail()

    client.post(url, {"confirm": "1"})

    assert Preference.objects.get(user=employer, kind="announcement").delivery == Delivery.OFF


def test_api_lists_only_my_notifications_and_marks_read(client, student, other_student, token_for):
    mine = NotificationFactory(user=student)
    theirs = NotificationFactory(user=other_student)
    headers = token_for(student)

    listing = client.get("/api/v1/notifications/", headers=headers).json()
    assert [n["id"] for n in listing["results"]] == [mine.pk]

    assert (
        client.post(f"/api/v1/notifications/{theirs.pk}/read/", headers=headers).status_code == 404
    )
    read = client.post(f"/api/v1/notifications/{mine.pk}/read/", headers=headers)
    assert read.status_code == 200
    assert read.json()["read_at"] is not None


def test_api_notifications_query_count_is_constant(
    student, token_for, django_assert_max_num_queries
):
    from django.test import Client

    client = Client(headers=token_for(student))
    for n in (1, 30):
        NotificationFactory.create_batch(n, user=student)
        with django_assert_max_num_queries(3):  # token + user, count, page
            assert client.get("/api/v1/notifications/").status_code == 200


@pytest.mark.parametrize("kind", ["announcement", "digest", "ünïcode-kind"])
def test_the_unsubscribe_token_is_what_django_signing_makes(monkeypatch, settings, kind):
    # The outbox signs every message with a faster path of its own: the same token, read
    # by signing.loads, for whatever secret key the settings hold now.
    monkeypatch.setattr(time, "time", lambda: 1_800_000_123.5)
    for secret in ("first-secret-" + "x" * 40, "second-secret-" + "y" * 40):
        settings.SECRET_KEY = secret
        expected = signing.dumps({"u": 4321, "k": kind}, salt=services.UNSUBSCRIBE_SALT)
        assert services.unsubscribe_token(user_id=4321, kind=kind) == expected
        assert services.read_unsubscribe_token(expected) == (4321, kind)
