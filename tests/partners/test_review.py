"""CTE staff decide on sign-ups (the review queue, a partner's status) and the contacts are
told through the outbox."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cte_portal.notifications.models import Notification
from partners import services
from partners.enums import ContactStatus, OrganizationStatus
from partners.models import Contact, Organization
from partners.services import PartnerError
from tests.factories.partners import ContactFactory, OrganizationFactory
from tests.factories.users import EmployerUserFactory
from tests.partners.helpers import rows
from tests.partners.structure import check_structure

pytestmark = pytest.mark.django_db


def pending_signup(name="Acme Robotics", email="ada@acme.example", confirmed=True) -> Organization:
    organization = OrganizationFactory(
        name=name,
        status=OrganizationStatus.PENDING,
        submitted_at=timezone.now() if confirmed else None,
    )
    user = EmployerUserFactory(email=email, full_name="Ada Lovelace", is_active=False)
    ContactFactory(
        user=user,
        organization=organization,
        is_primary=True,
        status=ContactStatus.PENDING if confirmed else ContactStatus.UNCONFIRMED,
        confirmed_at=timezone.now() if confirmed else None,
    )
    return organization


def status_post(client, organization, capture, **data):
    with capture(execute=True):
        return client.post(reverse("partners:status", args=[organization.pk]), data)


# --- Approve -------------------------------------------------------------------------------------


def test_staff_approve_from_the_page_and_the_contact_is_told(
    client_for, staff, django_capture_on_commit_callbacks
):
    organization = pending_signup()

    response = status_post(
        client_for(staff), organization, django_capture_on_commit_callbacks, decision="approve"
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("partners:detail", args=[organization.pk])
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.APPROVED
    assert organization.status_changed_by == staff and organization.status_changed_at
    contact = Contact.objects.select_related("user").get()
    assert contact.status == ContactStatus.ACTIVE and contact.decided_by == staff
    assert contact.user.is_active
    assert rows("partner_approved") == ["ada@acme.example"]
    row = Notification.objects.get(kind="partner_approved")
    assert row.user == contact.user and row.link == reverse("partners:dashboard")
    assert [m.subject for m in mail.outbox] == ["Welcome: Acme Robotics is a CTE partner"]
    assert "Unsubscribe" in mail.outbox[0].body  # partner-facing mail keeps one-click unsubscribe


def test_approving_an_unconfirmed_signup_is_refused(staff):
    organization = pending_signup(confirmed=False)

    with pytest.raises(PartnerError, match="not confirmed"):
        services.organization_approve(organization=organization, actor=staff)

    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.PENDING


def test_approving_twice_is_a_conflict_and_notifies_once(staff, django_capture_on_commit_callbacks):
    organization = pending_signup()
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_approve(organization=organization, actor=staff)

    with pytest.raises(PartnerError) as refused:
        services.organization_approve(organization=organization, actor=staff)

    assert refused.value.conflict
    assert rows("partner_approved") == ["ada@acme.example"]


def test_approving_does_not_let_in_someone_who_asked_to_join(staff):
    organization = pending_signup()
    asker = ContactFactory(
        organization=organization, status=ContactStatus.PENDING, join_request=True
    )

    services.organization_approve(organization=organization, actor=staff)

    asker.refresh_from_db()
    assert asker.status == ContactStatus.PENDING


# --- Decline -------------------------------------------------------------------------------------


def test_declining_needs_a_reason_and_keeps_the_form(
    client_for, staff, django_capture_on_commit_callbacks
):
    organization = pending_signup()

    response = status_post(
        client_for(staff), organization, django_capture_on_commit_callbacks, decision="decline"
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["Say why the sign-up is declined."]}
    assert 'value="decline" checked' in response.content.decode()
    check_structure(response.content.decode())
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.PENDING
    assert Notification.objects.count() == 0


def test_staff_decline_with_a_reason_and_the_contact_reads_it(
    client_for, staff, django_capture_on_commit_callbacks
):
    organization = pending_signup()

    status_post(
        client_for(staff),
        organization,
        django_capture_on_commit_callbacks,
        decision="decline",
        reason="We only partner with organizations based in the city.",
    )

    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.DECLINED
    assert organization.decision_reason == "We only partner with organizations based in the city."
    contact = Contact.objects.select_related("user").get()
    assert contact.status == ContactStatus.DECLINED and not contact.user.is_active
    assert rows("partner_declined") == ["ada@acme.example"]
    assert "based in the city" in mail.outbox[0].body
    # The declined person has no account to unsubscribe with: no dead unsubscribe link.
    assert "Unsubscribe" not in mail.outbox[0].body


def test_only_a_pending_signup_can_be_declined(staff):
    approved = OrganizationFactory()

    with pytest.raises(PartnerError) as refused:
        services.organization_decline(organization=approved, actor=staff, reason="No")

    assert refused.value.conflict


# --- Suspend, archive, reinstate -----------------------------------------------------------------


def test_suspending_a_partner_locks_its_contacts_out_until_it_is_approved_again(
    client_for, staff, employer
):
    organization = OrganizationFactory()
    ContactFactory(user=employer, organization=organization, is_primary=True)

    services.organization_suspend(organization=organization, actor=staff, reason="Insurance lapsed")
    employer.refresh_from_db()
    assert not employer.is_active

    services.organization_approve(organization=organization, actor=staff)
    employer.refresh_from_db()
    assert employer.is_active
    assert client_for(employer).get(reverse("partners:dashboard")).status_code == 200


def test_the_status_page_offers_what_fits_the_status(client_for, staff):
    approved = OrganizationFactory()

    response = client_for(staff).get(reverse("partners:status", args=[approved.pk]))

    choices = [value for value, _label in response.context["form"].fields["decision"].choices]
    assert choices == ["suspend", "archive"]
    check_structure(response.content.decode())


# --- The review queue and join requests ----------------------------------------------------------


def test_the_review_queue_lists_confirmed_signups_and_join_requests(client_for, staff):
    ready = pending_signup("Ready Co", "ready@example.org")
    pending_signup("Unconfirmed Co", "unconfirmed@example.org", confirmed=False)
    OrganizationFactory(name="Already Approved")
    asker = ContactFactory(
        organization=OrganizationFactory(name="Known Partner"),
        status=ContactStatus.PENDING,
        join_request=True,
    )

    response = client_for(staff).get(reverse("partners:review"))

    queue = response.context["queue"]
    assert [o.pk for o in queue.signups] == [ready.pk]
    assert [c.pk for c in queue.join_requests] == [asker.pk]
    assert queue.unconfirmed == 1
    check_structure(response.content.decode())


def test_an_empty_review_queue_says_so(client_for, staff):
    page = client_for(staff).get(reverse("partners:review")).content.decode()

    assert "No new organization is waiting for review." in page
    assert "Nobody is asking to join a known organization." in page
    check_structure(page)


def test_staff_approve_a_join_request_and_the_person_is_told(
    client_for, staff, django_capture_on_commit_callbacks
):
    user = EmployerUserFactory(email="kim@known.example", is_active=False)
    asker = ContactFactory(
        user=user,
        organization=OrganizationFactory(name="Known Partner"),
        status=ContactStatus.PENDING,
        join_request=True,
        signup_details={"organization_name": "Known Partner Inc.", "sectors": []},
    )
    url = reverse("partners:contact_decide", args=[asker.pk])
    page = client_for(staff).get(url)
    assert "Known Partner Inc." in page.content.decode()
    check_structure(page.content.decode())

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(url, {"decision": "approve"})

    assert response.status_code == 302
    asker.refresh_from_db()
    user.refresh_from_db()
    assert asker.status == ContactStatus.ACTIVE and user.is_active
    assert rows("partner_approved") == ["kim@known.example"]
    assert "you can now act for Known Partner" in mail.outbox[0].body


def test_staff_decline_a_join_request_with_a_reason(
    client_for, staff, django_capture_on_commit_callbacks
):
    asker = ContactFactory(
        user=EmployerUserFactory(email="kim@known.example", is_active=False),
        status=ContactStatus.PENDING,
        join_request=True,
    )
    url = reverse("partners:contact_decide", args=[asker.pk])

    refused = client_for(staff).post(url, {"decision": "decline"})
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff).post(url, {"decision": "decline", "reason": "Not an employee."})

    assert refused.context["form"].errors == {"reason": ["Say why the request is declined."]}
    asker.refresh_from_db()
    assert asker.status == ContactStatus.DECLINED
    assert rows("partner_declined") == ["kim@known.example"]
    assert "Not an employee." in mail.outbox[0].body


def test_approving_a_declined_signup_after_all_lets_its_person_in(staff):
    organization = pending_signup()
    services.organization_decline(organization=organization, actor=staff, reason="Mistake")

    services.organization_approve(organization=organization, actor=staff, reason="We erred")

    contact = Contact.objects.select_related("user").get()
    assert contact.status == ContactStatus.ACTIVE and contact.user.is_active
    organization.refresh_from_db()
    assert organization.decision_reason == "We erred"
