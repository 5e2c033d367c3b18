"""A partner contact's pages: their own organization only, colleagues invited by e-mail,
offers per sector, agreements' files. Another employer's data exists and never leaks."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from cte_portal.notifications.models import Notification
from cte_portal.users.enums import Role
from cte_portal.users.models import User
from partners import services, tokens
from partners.enums import ContactStatus, OfferKind, OrganizationStatus
from partners.models import Contact, Offer
from partners.services import PartnerError
from tests.factories.partners import (
    PDF_BYTES,
    AgreementFactory,
    ContactFactory,
    OfferFactory,
    partner_of,
)
from tests.factories.pathways import SectorFactory
from tests.factories.users import EmployerUserFactory
from tests.partners.helpers import STRONG_PASSWORD, link_in_mail, rows
from tests.partners.structure import check_structure

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("partners:dashboard")


@pytest.fixture
def health():
    return SectorFactory(name="Health Sciences")


@pytest.fixture
def mine(employer, health):
    organization = partner_of(employer, name="Harbor Health", sectors=[health])
    OfferFactory(organization=organization, sector=health, kind=OfferKind.INTERNSHIP)
    ContactFactory(
        organization=organization,
        user=EmployerUserFactory(email="colleague@harbor.example", full_name="Cal Colleague"),
    )
    AgreementFactory(organization=organization, title="Harbor internship agreement")
    return organization


@pytest.fixture
def theirs(other_employer, health):
    organization = partner_of(other_employer, name="Rival Robotics", sectors=[health])
    OfferFactory(organization=organization, sector=health, kind=OfferKind.MENTORING)
    AgreementFactory(organization=organization, title="Rival secret MOU")
    return organization


# --- The dashboard -------------------------------------------------------------------------------


def test_the_dashboard_shows_my_organization_and_nothing_of_anyone_else(
    client_for, employer, mine, theirs
):
    response = client_for(employer).get(DASHBOARD)

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["organization"] == mine
    assert "Harbor Health" in page and "Cal Colleague" in page
    assert "Internship" in page and "Harbor internship agreement" in page
    assert "Rival" not in page and "Mentoring" not in page
    check_structure(page)


def test_an_employer_without_an_organization_sees_an_empty_state(client_for, employer, theirs):
    response = client_for(employer).get(DASHBOARD)

    page = response.content.decode()
    assert response.status_code == 200
    assert "not linked to a partner organization" in page and "Rival" not in page
    check_structure(page)


@pytest.mark.parametrize("role", ["student", "counselor", "staff"])
def test_other_roles_have_no_dashboard(client_for, request, role):
    assert client_for(request.getfixturevalue(role)).get(DASHBOARD).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(DASHBOARD)

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- Someone else's organization: 404 ------------------------------------------------------------


@pytest.mark.parametrize("name", ["partners:offers", "partners:invite"])
def test_another_employer_gets_404_on_my_organization(
    client_for, other_employer, mine, theirs, name
):
    response = client_for(other_employer).get(reverse(name, args=[mine.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("role", ["student", "counselor"])
@pytest.mark.parametrize("name", ["partners:offers", "partners:invite"])
def test_students_and_counselors_get_403(client_for, request, mine, role, name):
    response = client_for(request.getfixturevalue(role)).get(reverse(name, args=[mine.pk]))

    assert response.status_code == 403


def test_another_employer_cannot_download_my_agreement(client_for, employer, other_employer, mine):
    agreement = mine.agreements.get()
    url = reverse("partners:agreement_file", args=[agreement.pk])

    mine_response = client_for(employer).get(url)
    theirs_response = client_for(other_employer).get(url)

    assert mine_response.status_code == 200
    assert b"".join(mine_response.streaming_content) == PDF_BYTES
    assert mine_response["Content-Disposition"].startswith("attachment;")
    assert theirs_response.status_code == 404


def test_posting_offers_to_another_employers_organization_changes_nothing(
    client_for, other_employer, mine, health
):
    response = client_for(other_employer).post(
        reverse("partners:offers", args=[mine.pk]), {f"sector_{health.pk}": ["scholarship"]}
    )

    assert response.status_code == 404
    assert list(mine.offers.values_list("kind", flat=True)) == [OfferKind.INTERNSHIP]


# --- Offers --------------------------------------------------------------------------------------


def test_an_employer_sets_what_they_offer_per_sector(client_for, employer, mine, health):
    it = SectorFactory(name="Information Technology")
    mine.sectors.add(it)
    url = reverse("partners:offers", args=[mine.pk])
    page = client_for(employer).get(url).content.decode()
    check_structure(page)

    response = client_for(employer).post(
        url,
        {f"sector_{health.pk}": ["internship", "speaker"], f"sector_{it.pk}": ["mentoring"]},
    )

    assert response.status_code == 302 and response["Location"] == DASHBOARD
    assert sorted(Offer.objects.filter(organization=mine).values_list("sector__name", "kind")) == [
        ("Health Sciences", "internship"),
        ("Health Sciences", "speaker"),
        ("Information Technology", "mentoring"),
    ]


def test_offers_outside_the_organizations_sectors_are_refused(employer, mine):
    elsewhere = SectorFactory(name="Culinary")

    with pytest.raises(PartnerError):
        services.offers_set(organization=mine, offers={elsewhere.pk: ["speaker"]}, actor=employer)


# --- Inviting colleagues -------------------------------------------------------------------------


def test_an_employer_invites_a_colleague_who_accepts_and_signs_in(
    client, client_for, employer, mine, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(employer).post(
            reverse("partners:invite", args=[mine.pk]),
            {"full_name": "Nia New", "email": "Nia@Harbor.example", "job_title": "Recruiter"},
        )

    assert response.status_code == 302
    invited = Contact.objects.select_related("user").get(user__email="nia@harbor.example")
    assert invited.status == ContactStatus.INVITED and invited.organization == mine
    assert invited.invited_by == employer
    assert invited.user.role == Role.EMPLOYER and not invited.user.is_active
    assert rows("partner_invitation") == ["nia@harbor.example"]
    accept = link_in_mail(r"/partners/invitation/[^/\s]+/", "nia@harbor.example")
    assert "Eve Employer invited you to act for Harbor Health" in mail.outbox[-1].body

    page = client.get(accept)
    check_structure(page.content.decode())
    done = client.post(accept, {"new_password1": STRONG_PASSWORD, "new_password2": STRONG_PASSWORD})

    assert done.status_code == 200 and "Welcome" in done.content.decode()
    invited.refresh_from_db()
    invited.user.refresh_from_db()
    assert invited.status == ContactStatus.ACTIVE and invited.user.is_active
    assert EmailAddress.objects.get(user=invited.user).verified
    client.post(
        reverse("account_login"), {"login": "nia@harbor.example", "password": STRONG_PASSWORD}
    )
    assert client.get(DASHBOARD).context["organization"] == mine
    again = client.get(accept)
    assert "already used" in again.content.decode()


def test_a_tampered_invitation_is_refused(
    client, employer, mine, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contact = services.colleague_invite(
            organization=mine, email="nia@harbor.example", full_name="Nia", actor=employer
        )
    token = tokens.invitation_token(contact_id=contact.pk, email="nia@harbor.example")

    response = client.post(
        reverse("partners:invitation_accept", args=[token + "x"]),
        {"new_password1": STRONG_PASSWORD, "new_password2": STRONG_PASSWORD},
    )

    assert response.status_code == 400
    contact.refresh_from_db()
    assert contact.status == ContactStatus.INVITED


def invite(client, organization, email, capture, **extra):
    with capture(execute=True):
        return client.post(
            reverse("partners:invite", args=[organization.pk]),
            {"full_name": "Ana", "email": email, "job_title": "Intern", **extra},
        )


def test_inviting_a_students_address_answers_like_any_invitation_and_tells_staff(
    client_for, employer, mine, student, staff, django_capture_on_commit_callbacks
):
    client = client_for(employer)
    probe = invite(client, mine, student.email, django_capture_on_commit_callbacks)
    fresh = invite(client, mine, "nobody.yet@harbor.example", django_capture_on_commit_callbacks)

    # The inviter cannot tell an address with an account from one without.
    said = [str(m) for m in client.get(DASHBOARD).context["messages"]]
    assert probe.status_code == fresh.status_code == 302
    assert probe["Location"] == fresh["Location"] == DASHBOARD
    assert said == [
        f"An invitation is on its way to {student.email}.",
        "An invitation is on its way to nobody.yet@harbor.example.",
    ]
    # Nothing was linked or sent to the student; CTE staff are told.
    assert not Contact.objects.filter(user=student).exists()
    assert User.objects.get(email=student.email).role == Role.STUDENT
    assert rows("partner_invitation") == ["nobody.yet@harbor.example"]
    assert rows("partner_invite_existing") == [staff.email]
    staff_mail = next(m for m in mail.outbox if m.to == [staff.email])
    assert staff_mail.subject == "Harbor Health invited an address that already has an account"
    assert f"invited {student.email} as a colleague" in staff_mail.body
    assert "(Student)" in staff_mail.body


def test_probing_the_same_address_again_tells_staff_once(
    client_for, employer, mine, student, staff, django_capture_on_commit_callbacks
):
    client = client_for(employer)
    for _ in range(3):
        invite(client, mine, student.email, django_capture_on_commit_callbacks)

    assert rows("partner_invite_existing") == [staff.email]


def test_another_partners_contact_is_never_linked(
    client_for, employer, mine, theirs, other_employer, staff, django_capture_on_commit_callbacks
):
    invite(client_for(employer), mine, other_employer.email, django_capture_on_commit_callbacks)

    contact = Contact.objects.get(user=other_employer)
    assert (contact.organization, contact.status) == (theirs, ContactStatus.ACTIVE)
    assert rows("partner_invite_existing") == [staff.email]


def test_a_removed_colleague_can_be_invited_back(
    client, client_for, employer, mine, django_capture_on_commit_callbacks
):
    colleague = Contact.objects.get(user__email="colleague@harbor.example")
    services.contact_remove(contact=colleague, actor=employer)

    invite(
        client_for(employer), mine, "colleague@harbor.example", django_capture_on_commit_callbacks
    )

    colleague.refresh_from_db()
    assert colleague.status == ContactStatus.INVITED
    assert rows("partner_invitation") == ["colleague@harbor.example"]
    accept = link_in_mail(r"/partners/invitation/[^/\s]+/", "colleague@harbor.example")
    client.post(accept, {"new_password1": STRONG_PASSWORD, "new_password2": STRONG_PASSWORD})
    colleague.refresh_from_db()
    colleague.user.refresh_from_db()
    assert colleague.status == ContactStatus.ACTIVE and colleague.user.is_active


def test_only_an_approved_partner_can_invite(staff, mine):
    mine.status = OrganizationStatus.SUSPENDED
    mine.save()

    with pytest.raises(PartnerError):
        services.colleague_invite(
            organization=mine, email="x@harbor.example", full_name="X", actor=staff
        )


# --- Navigation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "label", "url"),
    [
        ("employer", "My organization", "/partners/dashboard/"),
        ("staff", "Partners", "/partners/"),
    ],
)
def test_the_header_links_to_the_partner_pages(client_for, request, role, label, url):
    from cte_portal.context_processors import navigation_for

    assert (label, url) in navigation_for(request.getfixturevalue(role))


@pytest.mark.parametrize("role", ["student", "counselor"])
def test_other_roles_have_no_partner_links(request, role):
    from cte_portal.context_processors import navigation_for

    links = [url for _label, url in navigation_for(request.getfixturevalue(role))]
    assert not [url for url in links if url.startswith("/partners/")]


# --- The primary contact and removing colleagues -------------------------------------------------


def colleague_of(organization, email="colleague@harbor.example") -> Contact:
    return Contact.objects.select_related("user").get(organization=organization, user__email=email)


def test_a_contact_makes_a_colleague_primary(client_for, employer, mine):
    colleague = colleague_of(mine)
    url = reverse("partners:contact_primary", args=[colleague.pk])
    client = client_for(employer)

    page = client.get(url)
    response = client.post(url)

    assert page.status_code == 200
    check_structure(page.content.decode())
    assert response.status_code == 302 and response["Location"] == DASHBOARD
    assert list(Contact.objects.filter(organization=mine, is_primary=True)) == [colleague]
    employer.partner_contact.refresh_from_db()
    assert employer.partner_contact.status == ContactStatus.ACTIVE  # still a contact


def test_only_an_active_contact_can_be_primary(client_for, employer, mine):
    invited = ContactFactory(organization=mine, status=ContactStatus.INVITED)

    response = client_for(employer).post(reverse("partners:contact_primary", args=[invited.pk]))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Only an active contact can be the primary contact."
    ]
    assert Contact.objects.get(organization=mine, is_primary=True).user == employer


def test_a_contact_removes_a_colleague_who_can_no_longer_sign_in(
    client, client_for, employer, mine
):
    colleague = colleague_of(mine)
    colleague_client = client_for(colleague.user)
    assert colleague_client.get(DASHBOARD).status_code == 200

    response = client_for(employer).post(
        reverse("partners:contact_remove", args=[colleague.pk]), {"reason": "Left the company."}
    )

    assert response.status_code == 302 and response["Location"] == DASHBOARD
    colleague.refresh_from_db()
    colleague.user.refresh_from_db()
    assert colleague.status == ContactStatus.REMOVED
    assert (colleague.decided_by, colleague.decision_reason) == (employer, "Left the company.")
    assert not colleague.user.is_active
    assert rows("partner_contact_removed") == [colleague.user.email]
    notice = Notification.objects.get(kind="partner_contact_removed")
    assert mine.name in notice.subject
    assert "A colleague at" in notice.body_text and "Left the company." in notice.body_text
    # Their open session ends, and they cannot sign in again.
    assert colleague_client.get(DASHBOARD).status_code == 302
    colleague.user.set_password(STRONG_PASSWORD)
    colleague.user.save()
    client.post(
        reverse("account_login"), {"login": colleague.user.email, "password": STRONG_PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert colleague.pk not in [
        c.pk for c in client_for(employer).get(DASHBOARD).context["organization"].contacts.all()
    ]


def test_a_colleague_removed_by_staff_is_told_in_their_language(client_for, staff, mine):
    colleague = colleague_of(mine)
    User.objects.filter(pk=colleague.user_id).update(preferred_language="es")

    client_for(staff).post(reverse("partners:contact_remove", args=[colleague.pk]))

    notice = Notification.objects.get(kind="partner_contact_removed")
    assert notice.email == colleague.user.email
    assert notice.subject == f"Ya no actúa en nombre de {mine.name} en el Portal CTE"
    assert "La oficina de CTE le retiró de los contactos" in notice.body_text
    assert "The reason given" not in notice.body_text and "razón" not in notice.body_text


def test_the_last_active_contact_cannot_be_removed(client_for, staff, other_employer, theirs):
    contact = other_employer.partner_contact
    ContactFactory(organization=theirs, status=ContactStatus.INVITED)
    contact.is_primary = False
    contact.save()

    response = client_for(staff).post(reverse("partners:contact_remove", args=[contact.pk]))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "An organization keeps at least one active contact: this is its last one."
    ]
    contact.refresh_from_db()
    assert contact.status == ContactStatus.ACTIVE


def test_the_primary_contact_is_changed_before_being_removed(client_for, employer, mine):
    response = client_for(employer).post(
        reverse("partners:contact_remove", args=[employer.partner_contact.pk])
    )

    assert response.context["form"].non_field_errors() == [
        "Make another contact primary before removing the primary contact."
    ]


def test_removing_an_invited_colleague_cancels_the_invitation(
    client, client_for, employer, mine, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invited = services.colleague_invite(
            organization=mine, email="nia@harbor.example", full_name="Nia", actor=employer
        )
    accept = link_in_mail(r"/partners/invitation/[^/\s]+/", "nia@harbor.example")

    client_for(employer).post(reverse("partners:contact_remove", args=[invited.pk]))

    response = client.post(
        accept, {"new_password1": STRONG_PASSWORD, "new_password2": STRONG_PASSWORD}
    )
    assert "already used" in response.content.decode()
    invited.refresh_from_db()
    assert invited.status == ContactStatus.REMOVED and not invited.user.is_active
    # They never acted for the organization: no "you were removed" mail.
    assert rows("partner_contact_removed") == []


@pytest.mark.parametrize("action", ["partners:contact_primary", "partners:contact_remove"])
def test_another_employer_cannot_touch_my_colleagues(
    client_for, other_employer, mine, theirs, action
):
    colleague = colleague_of(mine)

    page = client_for(other_employer).get(reverse(action, args=[colleague.pk]))
    posted = client_for(other_employer).post(reverse(action, args=[colleague.pk]))

    assert page.status_code == posted.status_code == 404
    colleague.refresh_from_db()
    assert (colleague.status, colleague.is_primary) == (ContactStatus.ACTIVE, False)


def test_a_contact_cannot_act_on_a_declined_request_of_their_organization(
    client_for, employer, mine
):
    declined = ContactFactory(organization=mine, status=ContactStatus.DECLINED, join_request=True)

    response = client_for(employer).get(reverse("partners:contact_remove", args=[declined.pk]))

    assert response.status_code == 404


def test_the_dashboard_offers_the_colleague_actions(client_for, employer, mine):
    colleague = colleague_of(mine)

    page = client_for(employer).get(DASHBOARD).content.decode()

    assert reverse("partners:contact_primary", args=[colleague.pk]) in page
    assert reverse("partners:contact_remove", args=[colleague.pk]) in page
    assert reverse("partners:contact_remove", args=[employer.partner_contact.pk]) not in page
