"""/partners/join/: an organization signs up, confirms its e-mail through a signed link, waits
for staff, and is never created twice."""

from __future__ import annotations

import time
from datetime import timedelta
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

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


# --- Abandoned sign-ups never block an organization ----------------------------------------------


def _other_person(**overrides):
    return {"full_name": "Bo Builder", "email": "bo@omega-tools.example", **overrides}


OMEGA = {"organization_name": "Omega Tools", "website": "https://omega-tools.example"}


def test_a_join_request_on_an_unconfirmed_signup_takes_it_over_and_can_be_approved(
    client, client_for, sectors, staff, django_capture_on_commit_callbacks
):
    # A signs up "Omega Tools" and never confirms; B signs the same organization up.
    sign_up(
        client,
        sectors,
        django_capture_on_commit_callbacks,
        email="al@omega-tools.example",
        full_name="Al Absent",
        **OMEGA,
    )
    sign_up(client, sectors, django_capture_on_commit_callbacks, **_other_person(), **OMEGA)
    organization = Organization.objects.get()
    b = Contact.objects.get(user__email="bo@omega-tools.example")
    assert b.join_request and not b.is_primary

    confirm(client, django_capture_on_commit_callbacks, confirm_path("bo@omega-tools.example"))

    # B now speaks for the sign-up, which waits in the review queue like any other.
    b.refresh_from_db()
    a = Contact.objects.get(user__email="al@omega-tools.example")
    organization.refresh_from_db()
    assert (b.is_primary, b.join_request, b.status) == (True, False, ContactStatus.PENDING)
    assert (a.is_primary, a.join_request, a.status) == (False, True, ContactStatus.UNCONFIRMED)
    assert organization.submitted_at is not None
    queue = client_for(staff).get(reverse("partners:review")).context["queue"]
    assert [o.pk for o in queue.signups] == [organization.pk]
    assert queue.join_requests == []
    assert mail.outbox[-1].subject == "New partner sign-up to review: Omega Tools"
    # ...and staff can approve it: B may sign in; A, who never confirmed, may not.
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_approve(organization=organization, actor=staff)
    b.refresh_from_db()
    a.refresh_from_db()
    assert b.status == ContactStatus.ACTIVE and b.user.is_active
    assert a.status == ContactStatus.UNCONFIRMED and not a.user.is_active
    assert rows("partner_approved") == ["bo@omega-tools.example"]


def test_the_first_person_confirming_late_becomes_a_request_to_join(
    client, sectors, staff, django_capture_on_commit_callbacks
):
    sign_up(
        client, sectors, django_capture_on_commit_callbacks, email="al@omega-tools.example", **OMEGA
    )
    late = confirm_path("al@omega-tools.example")
    sign_up(client, sectors, django_capture_on_commit_callbacks, **_other_person(), **OMEGA)
    confirm(client, django_capture_on_commit_callbacks, confirm_path("bo@omega-tools.example"))

    confirm(client, django_capture_on_commit_callbacks, late)

    a = Contact.objects.get(user__email="al@omega-tools.example")
    assert (a.is_primary, a.join_request, a.status) == (False, True, ContactStatus.PENDING)
    assert a.signup_details["organization_name"] == "Omega Tools"
    primary = Contact.objects.get(is_primary=True)
    assert primary.user.email == "bo@omega-tools.example"


def test_a_join_request_on_a_confirmed_signup_stays_a_request(
    client, sectors, staff, django_capture_on_commit_callbacks
):
    sign_up(
        client, sectors, django_capture_on_commit_callbacks, email="al@omega-tools.example", **OMEGA
    )
    confirm(client, django_capture_on_commit_callbacks, confirm_path("al@omega-tools.example"))
    sign_up(client, sectors, django_capture_on_commit_callbacks, **_other_person(), **OMEGA)

    confirm(client, django_capture_on_commit_callbacks, confirm_path("bo@omega-tools.example"))

    b = Contact.objects.get(user__email="bo@omega-tools.example")
    assert (b.is_primary, b.join_request, b.status) == (False, True, ContactStatus.PENDING)
    assert Contact.objects.get(is_primary=True).user.email == "al@omega-tools.example"


def _age_signup(organization, seconds):
    """Make a sign-up (and the links sent for it) ``seconds`` old."""
    when = timezone.now() - timedelta(seconds=seconds)
    Organization.objects.filter(pk=organization.pk).update(created_at=when)
    Contact.objects.filter(organization=organization).update(
        created_at=when, confirmation_sent_at=when
    )


def test_an_abandoned_signup_does_not_capture_a_new_one(
    client, sectors, settings, django_capture_on_commit_callbacks
):
    settings.PARTNERS_SIGNUP_LINK_MAX_AGE = 3600
    sign_up(
        client, sectors, django_capture_on_commit_callbacks, email="al@omega-tools.example", **OMEGA
    )
    abandoned = Organization.objects.get()
    _age_signup(abandoned, 3601)

    sign_up(client, sectors, django_capture_on_commit_callbacks, **_other_person(), **OMEGA)

    b = Contact.objects.select_related("organization").get(user__email="bo@omega-tools.example")
    assert b.organization != abandoned
    assert (b.is_primary, b.join_request, b.organization.status) == (
        True,
        False,
        OrganizationStatus.PENDING,
    )
    abandoned.refresh_from_db()
    a = Contact.objects.get(user__email="al@omega-tools.example")
    # The database keeps one live organization per identity: the abandoned one is retired.
    assert abandoned.status == OrganizationStatus.DECLINED
    assert abandoned.decision_reason == "Nobody confirmed the sign-up's e-mail address in time."
    assert a.status == ContactStatus.DECLINED


def test_a_signup_whose_link_was_resent_recently_is_not_abandoned(
    client, sectors, settings, django_capture_on_commit_callbacks
):
    settings.PARTNERS_SIGNUP_LINK_MAX_AGE = 3600
    sign_up(
        client, sectors, django_capture_on_commit_callbacks, email="al@omega-tools.example", **OMEGA
    )
    organization = Organization.objects.get()
    _age_signup(organization, 7200)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("partners:join_resend"), {"email": "al@omega-tools.example"})

    sign_up(client, sectors, django_capture_on_commit_callbacks, **_other_person(), **OMEGA)

    b = Contact.objects.get(user__email="bo@omega-tools.example")
    assert b.organization == organization and b.join_request
    assert list(Organization.objects.all()) == [organization]


def test_a_recent_unconfirmed_signup_is_still_a_duplicate():
    organization = OrganizationFactory(
        name="Omega Tools",
        website="https://omega-tools.example",
        status=OrganizationStatus.PENDING,
        submitted_at=None,
    )

    assert (
        services.organization_signup(
            signup=services.Signup(
                organization_name="Omega Tools",
                kind="employer",
                size="small",
                email="bo@omega-tools.example",
                full_name="Bo",
                website="omega-tools.example",
            )
        ).contact.organization
        == organization
    )


# --- A declined person may sign up again ---------------------------------------------------------


def test_a_declined_signup_can_sign_up_again_with_the_same_address(
    client, client_for, sectors, staff, django_capture_on_commit_callbacks
):
    sign_up(client, sectors, django_capture_on_commit_callbacks)
    confirm(client, django_capture_on_commit_callbacks, confirm_path("ada@acme-robotics.example"))
    first = Organization.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_decline(organization=first, actor=staff, reason="Not local.")
    user = User.objects.get(email="ada@acme-robotics.example")

    sign_up(
        client,
        sectors,
        django_capture_on_commit_callbacks,
        organization_name="Acme Robotics Brooklyn",
        full_name="Ada King",
    )

    # The same account, a new sign-up: confirm the address again, choose a password again.
    assert rows("partner_signup_existing") == []
    contact = Contact.objects.select_related("organization", "user").get(user=user)
    assert contact.organization.name == "Acme Robotics Brooklyn"
    assert contact.organization.status == OrganizationStatus.PENDING
    assert (contact.status, contact.is_primary) == (ContactStatus.UNCONFIRMED, True)
    assert contact.signup_details["declined_before"]["organization"] == "Acme Robotics"
    assert contact.signup_details["declined_before"]["reason"] == "Not local."
    assert contact.user.full_name == "Ada King" and not contact.user.has_usable_password()
    assert not EmailAddress.objects.get(user=user).verified
    assert rows("partner_signup_confirm") == ["ada@acme-robotics.example"] * 2
    confirm(client, django_capture_on_commit_callbacks, confirm_path("ada@acme-robotics.example"))
    contact.refresh_from_db()
    assert contact.status == ContactStatus.PENDING
    page = client_for(staff).get(reverse("partners:detail", args=[contact.organization_id]))
    assert "declined before, for Acme Robotics" in page.content.decode()


def test_a_declined_join_request_can_sign_up_again(
    client, sectors, staff, django_capture_on_commit_callbacks
):
    known = OrganizationFactory(name="Acme Robotics", website="https://acme-robotics.example")
    sign_up(client, sectors, django_capture_on_commit_callbacks)
    confirm(client, django_capture_on_commit_callbacks, confirm_path("ada@acme-robotics.example"))
    request = Contact.objects.get(user__email="ada@acme-robotics.example")
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_decline(contact=request, actor=staff, reason="Unknown to them.")

    sign_up(client, sectors, django_capture_on_commit_callbacks)

    again = Contact.objects.get(user__email="ada@acme-robotics.example")
    assert again.organization == known and again.join_request
    assert again.status == ContactStatus.UNCONFIRMED
    assert again.signup_details["declined_before"]["reason"] == "Unknown to them."


@pytest.mark.parametrize("who", ["active_contact", "removed_contact", "student", "signed_in"])
def test_other_accounts_still_get_the_sign_in_message(
    client, sectors, employer, staff, who, django_capture_on_commit_callbacks
):
    from tests.factories.partners import partner_of

    if who == "student":
        user = StudentUserFactory(email="ada@acme-robotics.example")
    else:
        organization = partner_of(employer)
        user = employer
        contact = employer.partner_contact
        if who == "removed_contact":
            ContactFactory(organization=organization)
            contact.is_primary = False
            contact.save()
            services.contact_remove(contact=contact, actor=staff)
        elif who == "signed_in":
            contact.status = ContactStatus.DECLINED
            contact.save()
            User.objects.filter(pk=user.pk).update(is_active=False, last_login=timezone.now())
    before = Contact.objects.filter(user=user).values_list("pk", "status").first()

    sign_up(client, sectors, django_capture_on_commit_callbacks, email=user.email)

    assert rows("partner_signup_existing") == [user.email]
    assert Contact.objects.filter(user=user).values_list("pk", "status").first() == before


def test_the_review_queue_does_not_count_abandoned_signups_as_waiting(
    client, client_for, sectors, staff, settings, django_capture_on_commit_callbacks
):
    settings.PARTNERS_SIGNUP_LINK_MAX_AGE = 3600
    sign_up(client, sectors, django_capture_on_commit_callbacks)
    sign_up(client, sectors, django_capture_on_commit_callbacks, **_other_person(), **OMEGA)
    _age_signup(Organization.objects.get(name="Acme Robotics"), 3601)

    queue = client_for(staff).get(reverse("partners:review")).context["queue"]

    assert queue.unconfirmed == 1  # Omega Tools; Acme's links have all expired
