"""/partners/join/: an organization signs up, confirms its e-mail through a signed link, waits
for staff, and is never created twice."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from cte_portal.users.enums import Role
from cte_portal.users.models import User
from partners import services, tokens
from partners.enums import ContactStatus, OfferKind, OrganizationStatus
from partners.models import (
    Contact,
    Offer,
    Organization,
    normalize_organization_name,
    website_domain,
)
from tests.factories.partners import ContactFactory, OrganizationFactory
from tests.factories.pathways import SectorFactory
from tests.factories.users import StudentUserFactory
from tests.partners.helpers import STRONG_PASSWORD, confirm_path, rows, signup_data
from tests.partners.structure import check_structure

pytestmark = pytest.mark.django_db

JOIN = reverse("partners:join")


@pytest.fixture
def sectors():
    return [SectorFactory(name="Health Sciences"), SectorFactory(name="Information Technology")]


def sign_up(client, sectors, capture, **overrides):
    with capture(execute=True):
        return client.post(JOIN, signup_data(sectors, **overrides))


def confirm(client, capture, path, password=STRONG_PASSWORD):
    with capture(execute=True):
        return client.post(path, {"new_password1": password, "new_password2": password})


# --- Identity: what counts as the same organization ----------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Acme Robotics, Inc.", "ACME robotics"),
        ("The Acme Company", "acme co."),
        ("Ñandú & Sons LLC", "Nandu and Sons"),
    ],
)
def test_names_that_differ_only_in_form_normalize_alike(a, b):
    assert normalize_organization_name(a) == normalize_organization_name(b)


def test_different_names_stay_different():
    assert normalize_organization_name("Acme Robotics") != normalize_organization_name("Acme")


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://WWW.Acme.com/jobs?x=1", "acme.com"),
        ("acme.com", "acme.com"),
        ("http://careers.acme.com:8080", "careers.acme.com"),
        ("", ""),
    ],
)
def test_website_domain(url, domain):
    assert website_domain(url) == domain


# --- The form ------------------------------------------------------------------------------------


def test_join_page_is_an_accessible_form(client, sectors):
    response = client.get(JOIN)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Health Sciences" in page and "Competition judging or hosting" in page
    check_structure(page)


def test_signup_creates_a_pending_organization_and_an_inactive_account(
    client, sectors, staff, django_capture_on_commit_callbacks
):
    response = sign_up(client, sectors, django_capture_on_commit_callbacks)

    assert response.status_code == 302 and response["Location"] == reverse("partners:join_sent")
    organization = Organization.objects.get()
    assert organization.name == "Acme Robotics"
    assert organization.status == OrganizationStatus.PENDING
    assert organization.submitted_at is None  # not in the queue before the e-mail is confirmed
    assert organization.website_domain == "acme-robotics.example"
    assert set(organization.sectors.all()) == set(sectors)
    assert sorted(Offer.objects.values_list("sector__name", "kind")) == [
        ("Health Sciences", OfferKind.INTERNSHIP),
        ("Health Sciences", OfferKind.SPEAKER),
        ("Information Technology", OfferKind.INTERNSHIP),
        ("Information Technology", OfferKind.SPEAKER),
    ]
    contact = Contact.objects.get()
    assert (contact.organization, contact.is_primary, contact.status) == (
        organization,
        True,
        ContactStatus.UNCONFIRMED,
    )
    user = contact.user
    assert (user.email, user.role, user.is_active) == (
        "ada@acme-robotics.example",
        Role.EMPLOYER,
        False,
    )
    assert not user.has_usable_password()
    assert not EmailAddress.objects.get(user=user).verified
    # The confirmation goes through the outbox; staff hear of it only once it is confirmed.
    assert rows("partner_signup_confirm") == ["ada@acme-robotics.example"]
    assert rows("partner_signup_submitted") == []
    assert confirm_path("ada@acme-robotics.example").startswith("/partners/join/confirm/")


def test_signup_with_errors_keeps_everything_typed(client, sectors):
    data = signup_data(sectors, full_name="", email="not-an-address", offers=["mentoring"])

    response = client.post(JOIN, data)

    page = response.content.decode()
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"full_name", "email"}
    assert 'value="Acme Robotics"' in page
    assert 'value="not-an-address"' in page
    assert 'value="https://www.acme-robotics.example"' in page
    assert "We build robots." in page
    assert f'value="{sectors[0].slug}" checked' in page
    assert 'value="mentoring" checked' in page and 'value="internship" checked' not in page
    assert 'href="#id_full_name"' in page  # the error summary links to the field
    assert Organization.objects.count() == 0 and User.objects.count() == 0
    check_structure(page)


def test_signup_needs_a_sector(client, sectors):
    data = signup_data(sectors)
    data["sectors"] = []

    response = client.post(JOIN, data)

    assert response.context["form"].errors == {"sectors": ["Choose at least one sector."]}


# --- E-mail confirmation -------------------------------------------------------------------------


def test_confirming_with_a_password_sends_the_signup_to_staff(
    client, sectors, staff, django_capture_on_commit_callbacks
):
    sign_up(client, sectors, django_capture_on_commit_callbacks)
    path = confirm_path("ada@acme-robotics.example")

    form_page = client.get(path)
    assert form_page.status_code == 200
    check_structure(form_page.content.decode())
    response = confirm(client, django_capture_on_commit_callbacks, path)

    assert response.status_code == 302 and response["Location"] == reverse("partners:join_done")
    contact = Contact.objects.select_related("user", "organization").get()
    assert contact.status == ContactStatus.PENDING and contact.confirmed_at is not None
    assert contact.organization.submitted_at is not None
    assert contact.user.check_password(STRONG_PASSWORD)
    assert contact.user.is_active is False  # until staff approve
    assert EmailAddress.objects.get(user=contact.user).verified
    assert rows("partner_signup_submitted") == [staff.email]
    staff_mail = [m for m in mail.outbox if m.to == [staff.email]]
    assert staff_mail[0].subject == "New partner sign-up to review: Acme Robotics"
    assert f"/partners/{contact.organization.pk}/" in staff_mail[0].body


def test_a_tampered_link_is_refused(client, sectors, django_capture_on_commit_callbacks):
    sign_up(client, sectors, django_capture_on_commit_callbacks)
    path = confirm_path("ada@acme-robotics.example")
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = reverse(
        "partners:join_confirm", args=[token[:-2] + ("AA" if token[-2:] != "AA" else "BB")]
    )

    assert client.get(tampered).status_code == 400
    response = confirm(client, django_capture_on_commit_callbacks, tampered)

    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert Contact.objects.get().status == ContactStatus.UNCONFIRMED


def test_a_link_made_for_something_else_is_refused(
    client, sectors, django_capture_on_commit_callbacks
):
    sign_up(client, sectors, django_capture_on_commit_callbacks)
    contact = Contact.objects.get()
    invitation = tokens.invitation_token(contact_id=contact.pk, email=contact.user.email)

    response = client.get(reverse("partners:join_confirm", args=[invitation]))

    assert response.status_code == 400


def test_an_expired_link_is_refused_and_offers_a_new_one(
    client, sectors, settings, django_capture_on_commit_callbacks
):
    sign_up(client, sectors, django_capture_on_commit_callbacks)
    contact = Contact.objects.get()
    four_days_ago = time.time() - 4 * 24 * 3600
    with mock.patch("time.time", return_value=four_days_ago):
        old = tokens.signup_token(contact_id=contact.pk, email=contact.user.email)

    response = confirm(
        client, django_capture_on_commit_callbacks, reverse("partners:join_confirm", args=[old])
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "This link has expired" in page and reverse("partners:join_resend") in page
    contact.refresh_from_db()
    assert contact.status == ContactStatus.UNCONFIRMED
    assert not contact.user.has_usable_password()


def test_a_link_for_an_address_that_changed_is_refused(
    client, sectors, django_capture_on_commit_callbacks
):
    sign_up(client, sectors, django_capture_on_commit_callbacks)
    path = confirm_path("ada@acme-robotics.example")
    User.objects.filter(email="ada@acme-robotics.example").update(email="someone@else.example")

    assert client.get(path).status_code == 400


def test_a_weak_password_is_refused_and_nothing_is_confirmed(
    client, sectors, django_capture_on_commit_callbacks
):
    sign_up(client, sectors, django_capture_on_commit_callbacks)
    path = confirm_path("ada@acme-robotics.example")

    response = confirm(client, django_capture_on_commit_callbacks, path, password="12345678")

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    assert Contact.objects.get().status == ContactStatus.UNCONFIRMED


def test_confirming_twice_changes_nothing(
    client, sectors, staff, django_capture_on_commit_callbacks
):
    sign_up(client, sectors, django_capture_on_commit_callbacks)
    path = confirm_path("ada@acme-robotics.example")
    confirm(client, django_capture_on_commit_callbacks, path)

    again = confirm(
        client, django_capture_on_commit_callbacks, path, password="another-long-passphrase-9"
    )

    assert again.status_code == 200 and "Already confirmed" in again.content.decode()
    assert Contact.objects.get().user.check_password(STRONG_PASSWORD)
    assert rows("partner_signup_submitted") == [staff.email]


def test_resend_sends_a_new_link_to_an_unconfirmed_signup_only(
    client, sectors, django_capture_on_commit_callbacks
):
    sign_up(client, sectors, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("partners:join_resend"), {"email": "ADA@acme-robotics.example"})
        response = client.post(reverse("partners:join_resend"), {"email": "nobody@example.org"})

    assert response.status_code == 302  # the same answer either way
    assert rows("partner_signup_confirm") == ["ada@acme-robotics.example"] * 2


# --- Signing in: not before approval -------------------------------------------------------------


def test_a_pending_contact_cannot_sign_in_or_see_the_dashboard(
    client, sectors, django_capture_on_commit_callbacks
):
    sign_up(client, sectors, django_capture_on_commit_callbacks)
    confirm(client, django_capture_on_commit_callbacks, confirm_path("ada@acme-robotics.example"))

    login = client.post(
        reverse("account_login"),
        {"login": "ada@acme-robotics.example", "password": STRONG_PASSWORD},
    )
    dashboard = client.get(reverse("partners:dashboard"))

    assert "_auth_user_id" not in client.session
    assert login.status_code == 302 and login["Location"] == reverse("account_inactive")
    assert "The CTE office is reviewing it" in client.get(login["Location"]).content.decode()
    assert dashboard.status_code == 302 and dashboard["Location"].startswith(
        reverse("account_login")
    )


def test_once_approved_the_contact_signs_in_to_their_dashboard(
    client, sectors, staff, django_capture_on_commit_callbacks
):
    sign_up(client, sectors, django_capture_on_commit_callbacks)
    confirm(client, django_capture_on_commit_callbacks, confirm_path("ada@acme-robotics.example"))
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_approve(organization=Organization.objects.get(), actor=staff)

    login = client.post(
        reverse("account_login"),
        {"login": "ada@acme-robotics.example", "password": STRONG_PASSWORD},
    )
    dashboard = client.get(reverse("partners:dashboard"))

    assert login.status_code == 302
    assert dashboard.status_code == 200
    assert dashboard.context["organization"].name == "Acme Robotics"


# --- Duplicates and addresses already known ------------------------------------------------------


def test_a_second_signup_of_a_known_organization_is_routed_to_staff(
    client, sectors, staff, django_capture_on_commit_callbacks
):
    known = OrganizationFactory(
        name="Acme Robotics, Inc.", website="https://acme-robotics.example/about"
    )

    sign_up(
        client,
        sectors,
        django_capture_on_commit_callbacks,
        organization_name="ACME robotics",
        website="www.acme-robotics.example",
    )
    confirm(client, django_capture_on_commit_callbacks, confirm_path("ada@acme-robotics.example"))

    assert list(Organization.objects.all()) == [known]
    request = Contact.objects.get(user__email="ada@acme-robotics.example")
    assert request.organization == known
    assert request.join_request and not request.is_primary
    assert request.status == ContactStatus.PENDING
    assert request.signup_details["organization_name"] == "ACME robotics"
    assert request.user.is_active is False
    assert Offer.objects.filter(organization=known).count() == 0  # nothing changed on it
    queue = client_for_staff(staff).get(reverse("partners:review"))
    assert [c.pk for c in queue.context["queue"].join_requests] == [request.pk]
    assert mail.outbox[-1].subject == "Ada Lovelace asks to join Acme Robotics, Inc."


def client_for_staff(staff):
    from django.test import Client

    client = Client()
    client.force_login(staff)
    return client


def test_same_name_on_another_website_is_another_organization(
    client, sectors, django_capture_on_commit_callbacks
):
    OrganizationFactory(name="Acme Robotics", website="https://acme.example")

    sign_up(client, sectors, django_capture_on_commit_callbacks)

    assert Organization.objects.count() == 2


def test_a_declined_signup_does_not_block_a_new_one(
    client, sectors, django_capture_on_commit_callbacks
):
    OrganizationFactory(
        name="Acme Robotics",
        website="https://acme-robotics.example",
        status=OrganizationStatus.DECLINED,
    )

    sign_up(client, sectors, django_capture_on_commit_callbacks)

    assert Organization.objects.filter(status=OrganizationStatus.PENDING).count() == 1


def test_the_database_refuses_two_live_organizations_with_one_identity():
    from django.db import IntegrityError, transaction

    OrganizationFactory(name="Acme", website="https://acme.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationFactory(name="ACME Inc.", website="http://www.acme.example/")


def test_an_address_with_an_account_creates_nothing_and_tells_its_owner(
    client, sectors, django_capture_on_commit_callbacks
):
    StudentUserFactory(email="ada@acme-robotics.example")

    response = sign_up(client, sectors, django_capture_on_commit_callbacks)

    # The same answer as a new sign-up: the page does not reveal who has an account.
    assert response.status_code == 302 and response["Location"] == reverse("partners:join_sent")
    assert Organization.objects.count() == 0 and Contact.objects.count() == 0
    assert rows("partner_signup_existing") == ["ada@acme-robotics.example"]
    assert "already has an account" in mail.outbox[-1].body


def test_signing_up_again_before_confirming_resends_the_link(
    client, sectors, django_capture_on_commit_callbacks
):
    sign_up(client, sectors, django_capture_on_commit_callbacks)
    sign_up(client, sectors, django_capture_on_commit_callbacks)

    assert Organization.objects.count() == 1
    assert rows("partner_signup_confirm") == ["ada@acme-robotics.example"] * 2


def test_signup_service_for_an_approved_partners_colleague_is_a_join_request(employer):
    known = OrganizationFactory(name="Harbor Health", website="https://harbor.example")
    ContactFactory(user=employer, organization=known, is_primary=True)

    result = services.organization_signup(
        signup=services.Signup(
            organization_name="Harbor Health",
            kind="employer",
            size="large",
            email="new.person@harbor.example",
            full_name="New Person",
            website="https://harbor.example",
        )
    )

    assert result.outcome == "duplicate"
    assert result.contact.organization == known
