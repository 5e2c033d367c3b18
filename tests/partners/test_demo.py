"""``seed_demo`` gives the partners a believable programme, and running it again changes nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from cte_portal.notifications.enums import State
from cte_portal.notifications.models import Notification
from cte_portal.users.demo import DEMO_PASSWORD
from partners import selectors
from partners.enums import OrganizationKind, OrganizationSize, OrganizationStatus
from partners.models import AdvisorySeat, Agreement, Contact, Interaction, Organization

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, object]:
    return {
        "organizations": sorted(Organization.objects.values_list("name", "status")),
        "contacts": sorted(Contact.objects.values_list("user__email", "status")),
        "seats": AdvisorySeat.objects.count(),
        "interactions": Interaction.objects.count(),
        "agreements": sorted(Agreement.objects.values_list("title", "file")),
    }


def test_seed_demo_is_idempotent_and_sends_nothing():
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)

    assert snapshot() == first
    # The partners' demo tells nobody anything (the work-based learning demo, which runs
    # through its services, leaves messages in inboxes but e-mails none).
    assert not Notification.objects.filter(kind__startswith="partner_").exists()
    assert not Notification.objects.filter(kind__startswith="mailing_list").exists()
    assert not Notification.objects.exclude(state=State.SKIPPED).exists()


def test_the_demo_has_every_kind_and_size_and_a_review_queue():
    call_command("seed_demo", verbosity=0)

    organizations = Organization.objects.all()
    assert organizations.count() >= 12
    assert {o.kind for o in organizations} == set(OrganizationKind.values)
    assert {o.size for o in organizations} == set(OrganizationSize.values)
    queue = selectors.review_queue()
    assert len(queue.signups) == 2 and len(queue.join_requests) == 1 and queue.unconfirmed == 1
    assert selectors.agreements_expiring().count() >= 1
    assert AdvisorySeat.objects.filter(listed=True).exists()


def test_the_demo_employer_signs_in_to_an_approved_partner_with_a_colleague(client):
    call_command("seed_demo", verbosity=0)

    client.post(
        reverse("account_login"), {"login": "employer@demo.example", "password": DEMO_PASSWORD}
    )
    response = client.get(reverse("partners:dashboard"))

    organization = response.context["organization"]
    assert organization.status == OrganizationStatus.APPROVED
    assert organization.contacts.count() == 2
    assert b"Expiring soon" in response.content


def test_the_demo_staff_see_the_partner_pages(client):
    call_command("seed_demo", verbosity=0)
    client.post(
        reverse("account_login"), {"login": "staff@demo.example", "password": DEMO_PASSWORD}
    )

    for name in ("partners:list", "partners:review", "partners:not_contacted"):
        assert client.get(reverse(name)).status_code == 200
    assert b"Harbor Health Partners" in client.get(reverse("partners:export")).getvalue()
