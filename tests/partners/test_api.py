"""The partners API for every role: staff see and act on all, an employer reads their own,
anonymous callers get 401 and students and counselors 403. Approve and decline call the same
services as the staff pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.enums import ContactStatus, OrganizationStatus
from partners.models import Interaction
from tests.factories.partners import (
    AgreementFactory,
    ContactFactory,
    InteractionFactory,
    OrganizationFactory,
    partner_of,
)
from tests.factories.users import EmployerUserFactory, StaffUserFactory
from tests.partners.helpers import rows

pytestmark = pytest.mark.django_db

ORGS = reverse("api:organization-list")
CONTACTS = reverse("api:contact-list")
INTERACTIONS = reverse("api:interaction-list")
AGREEMENTS = reverse("api:agreement-list")


@pytest.fixture
def world(employer, other_employer):
    mine = partner_of(employer, name="Mine Co")
    theirs = partner_of(other_employer, name="Theirs Co")
    colleague = ContactFactory(
        organization=mine, user=EmployerUserFactory(email="col@mine.example")
    )
    pending = OrganizationFactory(name="Pending Co", status=OrganizationStatus.PENDING)
    ContactFactory(
        organization=pending,
        is_primary=True,
        status=ContactStatus.PENDING,
        user=EmployerUserFactory(email="ada@pending.example", is_active=False),
    )
    InteractionFactory(organization=theirs)
    return {
        "mine": mine,
        "theirs": theirs,
        "pending": pending,
        "colleague": colleague,
        "my_agreement": AgreementFactory(organization=mine, title="Mine MOU"),
        "their_agreement": AgreementFactory(organization=theirs, title="Theirs MOU"),
    }


def get(client, url, headers=None, **params):
    return client.get(url, params, headers=headers or {})


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


# --- Organizations -------------------------------------------------------------------------------


def test_staff_list_every_organization(client, token_for, staff, world):
    response = get(client, ORGS, token_for(staff))

    assert ids(response) == [world["mine"].pk, world["pending"].pk, world["theirs"].pk]


def test_an_employer_lists_only_their_own(client, token_for, employer, other_employer, world):
    assert ids(get(client, ORGS, token_for(employer))) == [world["mine"].pk]
    assert ids(get(client, ORGS, token_for(other_employer))) == [world["theirs"].pk]


def test_an_employer_gets_404_on_another_organization(client, token_for, employer, world):
    url = reverse("api:organization-detail", args=[world["theirs"].pk])

    assert get(client, url, token_for(employer)).status_code == 404


def test_anonymous_gets_401_and_other_roles_403(client, token_for, student, counselor, world):
    assert get(client, ORGS).status_code == 401
    assert get(client, ORGS, token_for(student)).status_code == 403
    assert get(client, ORGS, token_for(counselor)).status_code == 403


def test_staff_filter_organizations_like_the_page(client, token_for, staff, world):
    response = get(client, ORGS, token_for(staff), status="pending")

    assert ids(response) == [world["pending"].pk]
    assert ids(get(client, ORGS, token_for(staff), q="theirs")) == [world["theirs"].pk]


def test_an_organization_reads_with_its_sectors_and_offers(client, token_for, employer, world):
    data = get(
        client, reverse("api:organization-detail", args=[world["mine"].pk]), token_for(employer)
    ).json()

    assert data["name"] == "Mine Co" and data["status"] == "approved"
    assert data["sectors"] == [] and data["offers"] == []
    assert data["current_seat_count"] == 0


# --- Approve and decline -------------------------------------------------------------------------


def approve_url(org):
    return reverse("api:organization-approve", args=[org.pk])


def decline_url(org):
    return reverse("api:organization-decline", args=[org.pk])


def test_staff_approve_through_the_api_and_the_contact_is_told(
    client, token_for, staff, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            approve_url(world["pending"]),
            {},
            content_type="application/json",
            headers=token_for(staff),
        )

    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert rows("partner_approved") == ["ada@pending.example"]


def test_approving_an_approved_organization_is_409(client, token_for, staff, world):
    response = client.post(
        approve_url(world["mine"]), {}, content_type="application/json", headers=token_for(staff)
    )

    assert response.status_code == 409
    assert response.json() == {"detail": "This organization is already approved."}


def test_declining_without_a_reason_is_400_and_with_one_declines(
    client, token_for, staff, world, django_capture_on_commit_callbacks
):
    refused = client.post(
        decline_url(world["pending"]), {}, content_type="application/json", headers=token_for(staff)
    )
    with django_capture_on_commit_callbacks(execute=True):
        declined = client.post(
            decline_url(world["pending"]),
            {"reason": "Outside the district."},
            content_type="application/json",
            headers=token_for(staff),
        )

    assert refused.status_code == 400
    assert refused.json()["errors"] == {"reason": ["Say why the sign-up is declined."]}
    assert (
        declined.status_code == 200
        and declined.json()["decision_reason"] == "Outside the district."
    )
    assert rows("partner_declined") == ["ada@pending.example"]


@pytest.mark.parametrize(
    ("role", "status"), [("employer", 403), ("student", 403), ("counselor", 403)]
)
def test_only_staff_decide(client, token_for, request, world, role, status):
    response = client.post(
        approve_url(world["pending"]),
        {},
        content_type="application/json",
        headers=token_for(request.getfixturevalue(role)),
    )

    assert response.status_code == status
    world["pending"].refresh_from_db()
    assert world["pending"].status == OrganizationStatus.PENDING


def test_anonymous_cannot_decide(client, world):
    assert (
        client.post(approve_url(world["pending"]), {}, content_type="application/json").status_code
        == 401
    )


def test_deciding_on_an_unknown_organization_is_404(client, token_for, staff):
    response = client.post(
        reverse("api:organization-approve", args=[999999]),
        {},
        content_type="application/json",
        headers=token_for(staff),
    )

    assert response.status_code == 404


# --- Contacts ------------------------------------------------------------------------------------


def test_an_employer_lists_their_colleagues_only(client, token_for, employer, world):
    mine = world["mine"].contacts.order_by("-is_primary", "pk").values_list("pk", flat=True)

    assert ids(get(client, CONTACTS, token_for(employer))) == list(mine)


def test_staff_list_every_contact(client, token_for, staff, world):
    assert len(ids(get(client, CONTACTS, token_for(staff)))) == 4


def test_contacts_for_other_roles(client, token_for, student, world):
    assert get(client, CONTACTS).status_code == 401
    assert get(client, CONTACTS, token_for(student)).status_code == 403


# --- Interactions (staff only) -------------------------------------------------------------------


def test_interactions_are_staff_only(client, token_for, staff, employer, counselor, world):
    assert len(ids(get(client, INTERACTIONS, token_for(staff)))) == 1
    assert get(client, INTERACTIONS, token_for(employer)).status_code == 403
    assert get(client, INTERACTIONS, token_for(counselor)).status_code == 403
    assert get(client, INTERACTIONS).status_code == 401


def test_staff_log_an_interaction_through_the_api(
    client, token_for, staff, world, django_capture_on_commit_callbacks
):
    owner = StaffUserFactory(email="owner@cte.example")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            INTERACTIONS,
            {
                "organization": world["mine"].pk,
                "occurred_on": timezone.localdate().isoformat(),
                "kind": "call",
                "summary": "Called about mentors.",
                "next_step": "Send dates",
                "owner": owner.pk,
            },
            content_type="application/json",
            headers=token_for(staff),
        )

    assert response.status_code == 201, response.content
    interaction = Interaction.objects.get(pk=response.json()["id"])
    assert interaction.recorded_by == staff and response.json()["recorded_by"] == staff.pk
    assert rows("partner_next_step") == ["owner@cte.example"]


def test_an_interaction_in_the_future_or_owned_by_a_non_staff_is_400(
    client, token_for, staff, employer, world
):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    future = client.post(
        INTERACTIONS,
        {"organization": world["mine"].pk, "occurred_on": tomorrow, "kind": "call", "summary": "x"},
        content_type="application/json",
        headers=token_for(staff),
    )
    not_staff = client.post(
        INTERACTIONS,
        {
            "organization": world["mine"].pk,
            "occurred_on": timezone.localdate().isoformat(),
            "kind": "call",
            "summary": "x",
            "owner": employer.pk,
        },
        content_type="application/json",
        headers=token_for(staff),
    )

    assert future.status_code == 400 and "occurred_on" in future.json()["errors"]
    assert not_staff.status_code == 400 and "owner" in not_staff.json()["errors"]


# --- Agreements ----------------------------------------------------------------------------------


def test_an_employer_reads_their_agreements_only(client, token_for, employer, world):
    response = get(client, AGREEMENTS, token_for(employer))

    assert ids(response) == [world["my_agreement"].pk]
    item = response.json()["results"][0]
    assert item["file_url"].endswith(
        reverse("partners:agreement_file", args=[world["my_agreement"].pk])
    )
    assert item["expiring_soon"] is False and item["is_expired"] is False
    assert "notes" not in item  # staff's own record of the relationship
    other = reverse("api:agreement-detail", args=[world["their_agreement"].pk])
    assert get(client, other, token_for(employer)).status_code == 404


def test_staff_see_every_agreement_with_the_expiring_flag(client, token_for, staff, world):
    soon = AgreementFactory(
        organization=world["mine"], ends_on=timezone.localdate() + timedelta(days=5)
    )

    data = {a["id"]: a for a in get(client, AGREEMENTS, token_for(staff)).json()["results"]}

    assert set(data) == {world["my_agreement"].pk, world["their_agreement"].pk, soon.pk}
    assert data[soon.pk]["expiring_soon"] is True
    assert "notes" in data[soon.pk]


def test_agreements_for_other_roles(client, token_for, counselor, world):
    assert get(client, AGREEMENTS).status_code == 401
    assert get(client, AGREEMENTS, token_for(counselor)).status_code == 403


# --- What each role reads: staff's own records stay staff's --------------------------------------

ORGANIZATION_FIELDS = {
    "id",
    "name",
    "kind",
    "size",
    "status",
    "sectors",
    "offers",
    "website",
    "street_address",
    "city",
    "state",
    "postal_code",
    "phone",
    "description",
    "insurance_expires_on",
    "status_changed_at",
    "decision_reason",
    "submitted_at",
    "current_seat_count",
    "created_at",
}
CONTACT_FIELDS = {
    "id",
    "organization",
    "organization_name",
    "full_name",
    "email",
    "job_title",
    "phone",
    "is_primary",
    "status",
    "works_with_students",
}


def test_an_employer_reads_their_organization_without_staffs_records(
    client, token_for, employer, world
):
    InteractionFactory(organization=world["mine"], summary="They were slow to call back.")
    detail = reverse("api:organization-detail", args=[world["mine"].pk])

    listed = get(client, ORGS, token_for(employer)).json()["results"]
    one = get(client, detail, token_for(employer)).json()

    assert set(listed[0]) == set(one) == ORGANIZATION_FIELDS


def test_staff_read_the_last_interaction_and_who_decided(client, token_for, staff, world):
    from partners import services

    InteractionFactory(organization=world["pending"], occurred_on=timezone.localdate())
    services.organization_approve(organization=world["pending"], actor=staff)
    detail = reverse("api:organization-detail", args=[world["pending"].pk])

    one = get(client, detail, token_for(staff)).json()
    listed = get(client, ORGS, token_for(staff)).json()["results"]

    staff_fields = ORGANIZATION_FIELDS | {"last_interaction_on", "status_changed_by"}
    assert set(one) == staff_fields and {frozenset(o) for o in listed} == {frozenset(staff_fields)}
    assert one["status_changed_by"] == staff.pk
    assert one["last_interaction_on"] == timezone.localdate().isoformat()


def test_an_employer_reads_colleagues_without_their_background_checks(
    client, token_for, employer, staff, world
):
    colleague = world["colleague"]
    colleague.works_with_students = True
    colleague.background_check = "not_cleared"
    colleague.save()

    mine = get(client, CONTACTS, token_for(employer)).json()["results"]
    theirs = get(client, CONTACTS, token_for(staff), organization=world["mine"].pk).json()

    assert {frozenset(c) for c in mine} == {frozenset(CONTACT_FIELDS)}
    staff_fields = CONTACT_FIELDS | {"background_check", "background_checked_on", "decided_by"}
    assert {frozenset(c) for c in theirs["results"]} == {frozenset(staff_fields)}
    assert {c["id"]: c["background_check"] for c in theirs["results"]}[colleague.pk] == (
        "not_cleared"
    )


def test_an_employer_cannot_probe_background_checks_through_the_filter(
    client, token_for, employer, staff, world
):
    colleague = world["colleague"]
    colleague.background_check = "not_cleared"
    colleague.save()
    everyone = ids(get(client, CONTACTS, token_for(employer)))

    probed = ids(get(client, CONTACTS, token_for(employer), background_check="not_cleared"))
    by_staff = ids(get(client, CONTACTS, token_for(staff), background_check="not_cleared"))

    assert probed == everyone  # ignored: the answer says nothing about anyone's check
    assert by_staff == [colleague.pk]


@pytest.mark.parametrize("param", ["contacted_within", "not_contacted_in"])
def test_an_employer_cannot_probe_staffs_log_through_the_filters(
    client, token_for, employer, staff, world, param
):
    InteractionFactory(organization=world["mine"], occurred_on=timezone.localdate())
    answer = {
        months: ids(get(client, ORGS, token_for(employer), **{param: months})) for months in (1, 6)
    }

    assert answer == {1: [world["mine"].pk], 6: [world["mine"].pk]}
    # Staff's filter works: only the pending sign-up has had no interaction this month.
    assert ids(get(client, ORGS, token_for(staff), not_contacted_in=1)) == [world["pending"].pk]
