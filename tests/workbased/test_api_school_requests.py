"""/api/v1/school-requests/: a counselor asks, the matching partners see the request and
volunteer (a partner whose offers do not match never sees it), the school's side confirms one
and the request becomes an opportunity; what each side reads of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.partners import OfferFactory, partner_of
from tests.factories.pathways import SchoolFactory, SectorFactory
from tests.factories.students import CounselorProfileFactory
from tests.factories.users import EmployerUserFactory
from tests.factories.workbased import SchoolRequestFactory, at, pathway_at
from tests.workbased.api import errors, ids, post
from tests.workbased.conftest import outbox
from workbased import notifications as kinds
from workbased.enums import SchoolRequestStatus, VolunteerStatus
from workbased.models import Opportunity, SchoolRequest, Volunteer

pytestmark = pytest.mark.django_db

REQUESTS = reverse("api:school-request-list")


def url(school_request, step: str = "") -> str:
    if step:
        return reverse(f"api:school-request-{step}", args=[school_request.pk])
    return reverse("api:school-request-detail", args=[school_request.pk])


@pytest.fixture
def school():
    return SchoolFactory(name="Harbor High", slug="harbor-high", address="10 School Lane")


@pytest.fixture
def health():
    return SectorFactory(name="Health Sciences")


@pytest.fixture
def nursing(school, health):
    return pathway_at(school, sector=health, name="Nursing", slug="nursing")


@pytest.fixture
def school_counselor(counselor, school):
    CounselorProfileFactory(user=counselor, schools=[school])
    return counselor


@pytest.fixture
def speaker_partner(org, health):
    """The employer's organization offers speakers in health; the other partner does not."""
    OfferFactory(organization=org, sector=health, kind="speaker")
    return org


@pytest.fixture
def open_request(school, nursing, school_counselor, speaker_partner, other_org):
    return SchoolRequestFactory(school=school, pathway=nursing, requested_by=school_counselor)


def asking(**overrides):
    return {
        "school": "harbor-high",
        "pathway": "nursing",
        "kind": "speaker",
        "topic": "Careers in nursing",
        "earliest_date": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "latest_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "audience_size": 28,
        "grade": 10,
        **overrides,
    }


# --- Asking -------------------------------------------------------------------------------------


def test_a_counselor_asks_and_the_matching_partners_are_told(
    client_for, school_counselor, nursing, speaker_partner, other_org, employer
):
    response = post(client_for(school_counselor), REQUESTS, asking())

    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["partners_notified"], data["school"]["slug"]) == (
        "open",
        1,
        "harbor-high",
    )
    assert SchoolRequest.objects.get().pk == data["id"]
    assert outbox(kinds.SCHOOL_REQUEST.key) == [employer.email]


def test_a_counselor_of_another_school_may_not_ask_for_it(
    client_for, nursing, other_counselor, speaker_partner
):
    CounselorProfileFactory(user=other_counselor, schools=[SchoolFactory()])
    assert post(client_for(other_counselor), REQUESTS, asking()).status_code == 403
    assert SchoolRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"latest_date": timezone.localdate().isoformat()}, "latest_date", "not be before"),
        ({"topic": " "}, "topic", "hear about"),
        ({"grade": 3}, "grade", "6 to 12"),
        ({"pathway": "no-such-pathway"}, "pathway", "does not exist"),
    ],
)
def test_a_bad_request_is_refused_by_field_and_nothing_is_written(
    client_for, school_counselor, nursing, overrides, field, words
):
    body = errors(post(client_for(school_counselor), REQUESTS, asking(**overrides)))
    assert list(body["errors"]) == [field]
    assert words in str(body["errors"][field])
    assert SchoolRequest.objects.count() == 0


@pytest.mark.parametrize("role", ["student", "employer"])
def test_students_and_partners_do_not_ask(client_for, nursing, role, request):
    assert post(client_for(request.getfixturevalue(role)), REQUESTS, asking()).status_code == 403


# --- Who sees what ------------------------------------------------------------------------------


def test_each_role_sees_its_requests(
    client_for,
    open_request,
    school_counselor,
    other_counselor,
    employer,
    other_employer,
    staff,
    student,
):
    elsewhere = SchoolRequestFactory()  # another school, a sector nobody offers
    assert ids(client_for(school_counselor).get(REQUESTS)) == [open_request.pk]
    assert ids(client_for(other_counselor).get(REQUESTS)) == []
    assert ids(client_for(employer).get(REQUESTS)) == [open_request.pk]
    assert ids(client_for(other_employer).get(REQUESTS)) == []
    assert ids(client_for(staff).get(REQUESTS)) == sorted([open_request.pk, elsewhere.pk])
    assert client_for(other_employer).get(url(open_request)).status_code == 404
    assert client_for(student).get(REQUESTS).status_code == 403
    assert client_for().get(REQUESTS).status_code == 401


def test_a_partner_reads_only_its_own_offer_and_not_the_schools_bookkeeping(
    client_for, open_request, health, employer, school_counselor
):
    rival = partner_of(EmployerUserFactory(email="rival@example.org"), name="Rival Care")
    OfferFactory(organization=rival, sector=health, kind="speaker")
    post(client_for(employer), url(open_request, "volunteer"), {"message": "Our nurse."})
    post(client_for(rival.contacts.get().user), url(open_request, "volunteer"), {"message": "Us!"})

    seen = client_for(employer).get(url(open_request)).json()
    by_school = client_for(school_counselor).get(url(open_request)).json()

    assert [v["organization"]["name"] for v in seen["volunteers"]] == ["Harbor Health"]
    assert "Us!" not in str(seen)
    assert {"partners_notified", "volunteer_count", "requested_by"}.isdisjoint(seen)
    assert [v["organization"]["name"] for v in by_school["volunteers"]] == [
        "Harbor Health",
        "Rival Care",
    ]
    assert (by_school["volunteer_count"], by_school["requested_by"]) == (2, "Cora Counselor")


# --- Volunteer, confirm, the opportunity --------------------------------------------------------


def test_volunteer_confirm_and_create_the_opportunity(
    client_for, open_request, school, nursing, employer, school_counselor
):
    offered = post(
        client_for(employer),
        url(open_request, "volunteer"),
        {
            "message": "Our head nurse can come.",
            "proposed_starts_at": at(12, 10).isoformat(),
            "proposed_ends_at": at(12, 11).isoformat(),
        },
    )
    assert offered.status_code == 201, offered.content
    volunteer = Volunteer.objects.get()
    assert offered.json()["id"] == volunteer.pk
    assert post(client_for(employer), url(open_request, "volunteer")).status_code == 409
    assert post(client_for(employer), url(open_request, "confirm")).status_code == 403

    confirmed = post(
        client_for(school_counselor), url(open_request, "confirm"), {"volunteer": volunteer.pk}
    )
    assert confirmed.json()["status"] == "confirmed"
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.CHOSEN

    created = post(client_for(school_counselor), url(open_request, "opportunity"))
    assert created.status_code == 201, created.content
    opportunity = Opportunity.objects.get()
    # Like any opportunity, it waits for CTE staff's approval.
    assert (created.json()["id"], created.json()["status"]) == (opportunity.pk, "submitted")
    assert "host" not in created.json()  # a counselor does not read the host-only fields
    assert (opportunity.school, opportunity.organization) == (
        school,
        employer.partner_contact.organization,
    )
    open_request.refresh_from_db()
    assert open_request.status == SchoolRequestStatus.OPPORTUNITY_CREATED
    assert client_for(employer).get(url(open_request)).json()["opportunity"] == opportunity.pk


def test_confirming_someone_who_did_not_volunteer_here_is_refused(
    client_for, open_request, employer, school_counselor, nursing
):
    post(client_for(employer), url(open_request, "volunteer"))
    other_request = SchoolRequestFactory(school=open_request.school, pathway=nursing)
    post(client_for(employer), url(other_request, "volunteer"))
    elsewhere = Volunteer.objects.get(request=other_request)

    body = errors(
        post(
            client_for(school_counselor), url(open_request, "confirm"), {"volunteer": elsewhere.pk}
        )
    )

    assert body["detail"] == "Choose one of the partners who volunteered."
    open_request.refresh_from_db()
    assert open_request.status == SchoolRequestStatus.MATCHED


def test_a_partner_whose_offers_do_not_match_cannot_volunteer(
    client_for, open_request, other_employer
):
    assert post(client_for(other_employer), url(open_request, "volunteer")).status_code == 404
    assert Volunteer.objects.count() == 0


def test_the_school_cancels_a_request(client_for, open_request, school_counselor, other_counselor):
    CounselorProfileFactory(user=other_counselor, schools=[SchoolFactory()])
    assert post(client_for(other_counselor), url(open_request, "cancel")).status_code == 404

    cancelled = post(
        client_for(school_counselor), url(open_request, "cancel"), {"reason": "Trip moved."}
    )
    assert (cancelled.json()["status"], cancelled.json()["cancel_reason"]) == (
        "cancelled",
        "Trip moved.",
    )
    assert post(client_for(school_counselor), url(open_request, "cancel")).status_code == 409


def test_the_request_list_costs_the_same_queries_for_1_or_20(
    query_budget, school, nursing, school_counselor, speaker_partner, employer
):
    def grow(n: int) -> None:
        for _ in range(n):
            request = SchoolRequestFactory(school=school, pathway=nursing)
            Volunteer.objects.create(request=request, organization=speaker_partner)

    # session, user, the partner's contact (requests, then volunteers), count, rows,
    # volunteers
    query_budget(REQUESTS, max_queries=7, grow=grow, user=employer)


# --- Staff: the matching partners, and inviting one -------------------------------------------


def test_staff_read_the_matching_partners_and_invite_one_once(
    client_for, staff, school, nursing, speaker_partner, employer, other_org, health
):
    request = SchoolRequestFactory(school=school, pathway=nursing)  # nobody told yet
    OfferFactory(organization=other_org, sector=health, kind="internship")  # no match
    client = client_for(staff)

    listed = client.get(url(request, "matching"))

    assert listed.json()["results"] == [
        {
            "id": speaker_partner.pk,
            "name": "Harbor Health",
            "active_contacts": 1,
            "notified": False,
            "invited": False,
            "volunteer_status": None,
        }
    ]
    first = post(client, url(request, "invite"), {"organization": speaker_partner.pk})
    again = post(client, url(request, "invite"), {"organization": speaker_partner.pk})
    assert (first.json(), again.json()) == (
        {"organization": speaker_partner.pk, "told": True},
        {"organization": speaker_partner.pk, "told": False},
    )
    assert outbox(kinds.REQUEST_INVITED.key) == [employer.email]
    [partner] = client.get(url(request, "matching")).json()["results"]
    assert (partner["notified"], partner["invited"]) == (True, True)
    refused = errors(post(client, url(request, "invite"), {"organization": other_org.pk}))
    assert "does not offer guest speaker" in refused["detail"]


def test_only_staff_read_the_matching_partners_or_invite(
    client_for, school_counselor, employer, school, nursing, speaker_partner
):
    request = SchoolRequestFactory(school=school, pathway=nursing)
    for someone in (school_counselor, employer):
        client = client_for(someone)
        assert client.get(url(request, "matching")).status_code == 403
        invite = post(client, url(request, "invite"), {"organization": speaker_partner.pk})
        assert invite.status_code == 403
    assert outbox(kinds.REQUEST_INVITED.key) == []


@pytest.mark.parametrize("n", (1, 20))
def test_matching_partners_query_count(
    client_for, staff, school, nursing, health, n, django_assert_max_num_queries
):
    from tests.factories.partners import ContactFactory, OrganizationFactory

    request = SchoolRequestFactory(school=school, pathway=nursing)
    for _ in range(n):
        organization = OrganizationFactory()
        OfferFactory(organization=organization, sector=health, kind="speaker")
        ContactFactory(organization=organization)
    client = client_for(staff)
    client.get(url(request, "matching"))
    # session, user, the request (joined, volunteers counted), the count, the partners
    # (contacts counted, told, invited and volunteered in SQL)
    with django_assert_max_num_queries(6):
        response = client.get(url(request, "matching"))
    assert len(response.json()["results"]) == n
