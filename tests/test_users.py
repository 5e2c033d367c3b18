"""The user model, roles, and signing in and out with e-mail (django-allauth)."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse

from cte_portal.users import permissions
from cte_portal.users.enums import Role
from cte_portal.users.models import User
from tests.factories.users import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def verified(user: User) -> User:
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_email_is_the_login_and_is_stored_lower_case():
    user = User.objects.create_user("Ana.Student@Example.ORG", "pw-123456789")

    assert user.email == "ana.student@example.org"
    assert User.USERNAME_FIELD == "email"
    assert User.objects.get_by_natural_key("ANA.student@example.org") == user


def test_the_same_email_cannot_make_two_accounts():
    User.objects.create_user("dup@example.org", "x")
    with pytest.raises(IntegrityError):
        User.objects.create_user("DUP@example.org", "y")


def test_only_cte_staff_may_enter_the_back_office():
    staff = UserFactory(role=Role.STAFF)
    others = [UserFactory(role=role) for role in (Role.STUDENT, Role.COUNSELOR, Role.EMPLOYER)]

    assert staff.is_staff is True
    assert [u.is_staff for u in others] == [False, False, False]


def test_an_unknown_role_is_refused_by_the_database():
    user = UserFactory()
    with pytest.raises(IntegrityError):
        User.objects.filter(pk=user.pk).update(role="wizard")


def test_role_predicates(student, counselor, staff, employer):
    from django.contrib.auth.models import AnonymousUser

    assert permissions.is_student(student) and not permissions.is_student(counselor)
    assert permissions.is_counselor(counselor) and not permissions.is_counselor(staff)
    assert permissions.is_cte_staff(staff) and not permissions.is_cte_staff(employer)
    assert permissions.is_employer(employer) and not permissions.is_employer(student)
    assert not permissions.is_student(AnonymousUser())
    student.is_active = False
    assert not permissions.is_student(student)


def test_sign_in_with_email_and_password(client, student):
    verified(student)

    response = client.post(
        reverse("account_login"), {"login": "Student@Example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == student


def test_wrong_password_says_so_and_keeps_the_email(client, student):
    verified(student)

    response = client.post(reverse("account_login"), {"login": student.email, "password": "nope"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "not correct" in page
    assert f'value="{student.email}"' in page
    assert "_auth_user_id" not in client.session


def test_sign_out_ends_the_session(client, student):
    client.force_login(student)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_mails_a_link_that_sets_a_new_password(
    client, student, django_capture_on_commit_callbacks
):
    verified(student)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": student.email})

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [student.email]
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    new = "a-brand-new-passphrase-42"
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": new, "password2": new},
    )
    assert done.status_code == 302
    student.refresh_from_db()
    assert student.check_password(new)


def test_an_unconfirmed_email_is_sent_a_confirmation_and_cannot_sign_in(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email="new.partner@example.org", role=Role.EMPLOYER)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": PASSWORD}
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    client.post(link.group(1))
    assert EmailAddress.objects.get(user=user).verified is True


def test_self_service_sign_up_is_closed(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "walk.in@example.org",
            "password1": "x-long-pass-1",
            "password2": "x-long-pass-1",
        },
    )

    assert response.status_code == 200
    assert not User.objects.filter(email="walk.in@example.org").exists()


def test_page_titles_name_the_page_then_the_portal(client, settings):
    settings.PORTAL_NAME = "Harbor CTE"

    sign_in = client.get(reverse("account_login")).content.decode()
    home = client.get(reverse("home")).content.decode()

    assert "<title>Sign in · Harbor CTE</title>" in sign_in
    assert re.search(r"<title>[^<]+ · Harbor CTE</title>|<title>Harbor CTE</title>", home)


def test_sign_in_page_uses_the_portal_layout(client):
    page = client.get(reverse("account_login")).content.decode()

    assert 'href="#main-content"' in page
    assert '<main id="main-content"' in page
    assert "usa-header" in page


def test_cte_staff_manage_the_portal_models_but_cannot_make_superusers(client_for, staff, student):
    client = client_for(staff)

    change = client.get(reverse("admin:users_user_change", args=[student.pk]))
    assert change.status_code == 200
    client.post(
        reverse("admin:users_user_change", args=[staff.pk]),
        {
            "email": staff.email,
            "full_name": staff.full_name,
            "role": "staff",
            "preferred_language": "en",
            "is_active": "on",
            "is_superuser": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    staff.refresh_from_db()
    assert staff.is_superuser is False
    assert staff.has_perm("users.change_user")
    assert not student.has_perm("users.change_user")
    assert not staff.has_perm("auth.change_group")


def test_account_mail_goes_through_the_outbox(client, student, django_capture_on_commit_callbacks):
    from cte_portal.notifications.models import Notification

    verified(student)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": student.email})

    row = Notification.objects.get(user=student)
    assert row.kind == "account"
    assert row.state == "sent"
    assert mail.outbox[0].extra_headers["Message-ID"] == row.message_id
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers  # account mail: never off
