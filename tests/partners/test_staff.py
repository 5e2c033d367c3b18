"""CTE staff run the relationships: the partner list with its filters and CSV export, the
"not contacted in N months" view, a partner's page, interactions and agreements."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from partners import services
from partners.enums import (
    BackgroundCheck,
    ContactStatus,
    OfferKind,
    OrganizationKind,
    OrganizationSize,
    OrganizationStatus,
)
from partners.models import Agreement, Interaction
from partners.services import PartnerError
from partners.views.staff import csv_safe
from tests.factories.partners import (
    PDF_BYTES,
    AdvisorySeatFactory,
    AgreementFactory,
    ContactFactory,
    InteractionFactory,
    OfferFactory,
    OrganizationFactory,
)
from tests.factories.pathways import SectorFactory
from tests.factories.users import EmployerUserFactory, StaffUserFactory
from tests.partners.helpers import rows
from tests.partners.structure import check_structure

pytestmark = pytest.mark.django_db

LIST = reverse("partners:list")


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


@pytest.fixture
def three(db):
    """Alpha, Beta and Gamma differ in every filter."""
    health, tech = SectorFactory(slug="health"), SectorFactory(slug="tech")
    alpha = OrganizationFactory(
        name="Alpha Clinic",
        kind=OrganizationKind.EMPLOYER,
        size=OrganizationSize.SMALL,
        sectors=[health],
    )
    beta = OrganizationFactory(
        name="Beta Foundation",
        kind=OrganizationKind.NONPROFIT,
        size=OrganizationSize.LARGE,
        status=OrganizationStatus.PENDING,
        sectors=[tech],
    )
    gamma = OrganizationFactory(
        name="Gamma College",
        kind=OrganizationKind.COLLEGE,
        size=OrganizationSize.MEDIUM,
        status=OrganizationStatus.SUSPENDED,
        sectors=[health, tech],
    )
    OfferFactory(organization=alpha, sector=health, kind=OfferKind.INTERNSHIP)
    OfferFactory(organization=beta, sector=tech, kind=OfferKind.SPEAKER)
    AdvisorySeatFactory(organization=alpha, sector=health)
    AdvisorySeatFactory(  # a term that ended: not a current seat
        organization=gamma, sector=health, starts_on=days_ago(800), ends_on=days_ago(30)
    )
    InteractionFactory(organization=alpha, occurred_on=days_ago(10))
    InteractionFactory(organization=beta, occurred_on=days_ago(400))
    InteractionFactory(organization=beta, occurred_on=days_ago(200))
    ContactFactory(
        organization=gamma,
        is_primary=True,
        user=EmployerUserFactory(email="dean@gamma.example", full_name="Dana Dean"),
    )
    return {"health": health, "tech": tech}


def listed(client, **params) -> list[str]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [o.name for o in response.context["page"]]


# --- Filters, each alone and combined ------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Alpha Clinic", "Beta Foundation", "Gamma College"]),
        ({"q": "alpha"}, ["Alpha Clinic"]),
        ({"q": "dean@gamma"}, ["Gamma College"]),  # a contact's address
        ({"sector": "health"}, ["Alpha Clinic", "Gamma College"]),
        ({"kind": "nonprofit"}, ["Beta Foundation"]),
        ({"size": "small"}, ["Alpha Clinic"]),
        ({"status": "pending"}, ["Beta Foundation"]),
        ({"offer": "internship"}, ["Alpha Clinic"]),
        ({"advisory": "yes"}, ["Alpha Clinic"]),
        ({"advisory": "no"}, ["Beta Foundation", "Gamma College"]),
        ({"contacted_within": "3"}, ["Alpha Clinic"]),
        ({"contacted_within": "12"}, ["Alpha Clinic", "Beta Foundation"]),
        ({"not_contacted_in": "6"}, ["Beta Foundation", "Gamma College"]),
        ({"not_contacted_in": "12"}, ["Gamma College"]),
    ],
)
def test_each_filter_alone(client_for, staff, three, params, expected):
    assert listed(client_for(staff), **params) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sector": "health", "advisory": "no"}, ["Gamma College"]),
        ({"sector": "health", "status": "approved", "offer": "internship"}, ["Alpha Clinic"]),
        ({"sector": "tech", "not_contacted_in": "3", "kind": "nonprofit"}, ["Beta Foundation"]),
        ({"q": "college", "sector": "tech", "size": "medium"}, ["Gamma College"]),
        ({"sector": "tech", "offer": "internship"}, []),
    ],
)
def test_filters_combine(client_for, staff, three, params, expected):
    assert listed(client_for(staff), **params) == expected


def test_a_bad_filter_is_shown_and_ignored(client_for, staff, three):
    response = client_for(staff).get(LIST, {"kind": "spaceship", "sector": "health"})

    assert response.context["form"].errors["kind"]
    assert [o.name for o in response.context["page"]] == ["Alpha Clinic", "Gamma College"]


def test_the_list_page_shows_active_filters_and_is_accessible(client_for, staff, three):
    response = client_for(staff).get(LIST, {"sector": "health", "offer": "internship"})

    page = response.content.decode()
    assert [a["text"] for a in response.context["active_filters"]] == [
        f"Career cluster: {three['health'].name}",
        "Offers: Internship",
    ]
    assert "/partners/export.csv?sector=health&amp;offer=internship" in page
    check_structure(page)


def test_the_empty_list_says_what_to_do(client_for, staff):
    page = client_for(staff).get(LIST).content.decode()

    assert "No partners yet" in page and reverse("partners:join") in page
    check_structure(page)


@pytest.mark.parametrize("role", ["employer", "student", "counselor"])
def test_only_staff_see_the_partner_list(client_for, request, role, three):
    assert client_for(request.getfixturevalue(role)).get(LIST).status_code == 403


# --- CSV export ----------------------------------------------------------------------------------


def export(client, **params) -> list[list[str]]:
    response = client.get(reverse("partners:export"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="partners-')
    text = b"".join(response.streaming_content).decode()
    assert text.startswith("\ufeff")  # the byte-order mark, so Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_export_has_the_filtered_partners_with_their_details(client_for, staff, three):
    table = export(client_for(staff), sector="health")

    header, *body = table
    assert header[:6] == ["Name", "Kind", "Size", "Status", "Sectors", "Offers"]
    assert [row[0] for row in body] == ["Alpha Clinic", "Gamma College"]
    alpha = dict(zip(header, body[0], strict=True))
    assert alpha["Kind"] == "Employer" and alpha["Status"] == "Approved"
    assert alpha["Offers"] == "Internship"
    assert alpha["Current advisory seats"] == "1"
    assert alpha["Last interaction"] == days_ago(10).isoformat()
    gamma = dict(zip(header, body[1], strict=True))
    assert gamma["Primary contact e-mail"] == "dean@gamma.example"
    assert gamma["Last interaction"] == ""


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tcmd", "'\tcmd"),
        ("Acme = good", "Acme = good"),
        (None, ""),
        (3, "3"),
    ],
)
def test_csv_cells_are_defused(value, safe):
    assert csv_safe(value) == safe


def test_the_export_defuses_formulas_typed_by_partners(client_for, staff):
    organization = OrganizationFactory(name="=cmd|' /C calc'!A0", city="@evil")
    ContactFactory(
        organization=organization,
        is_primary=True,
        phone="+1 212 555 0100",
        user=EmployerUserFactory(email="x@evil.example", full_name="-Mallory"),
    )

    header, row = export(client_for(staff))

    cells = dict(zip(header, row, strict=True))
    assert cells["Name"] == "'=cmd|' /C calc'!A0"
    assert cells["City"] == "'@evil"
    assert cells["Primary contact"] == "'-Mallory"
    assert cells["Primary contact phone"] == "'+1 212 555 0100"


def test_only_staff_export(client_for, employer):
    assert client_for(employer).get(reverse("partners:export")).status_code == 403


# --- Not contacted in N months -------------------------------------------------------------------


def test_not_contacted_lists_approved_partners_longest_silence_first(client_for, staff):
    never = OrganizationFactory(name="Never Called")
    old = OrganizationFactory(name="Old Friend")
    InteractionFactory(organization=old, occurred_on=days_ago(300))
    older = OrganizationFactory(name="Older Friend")
    InteractionFactory(organization=older, occurred_on=days_ago(500))
    recent = OrganizationFactory(name="Recent")
    InteractionFactory(organization=recent, occurred_on=days_ago(5))
    OrganizationFactory(name="Pending Co", status=OrganizationStatus.PENDING)

    response = client_for(staff).get(reverse("partners:not_contacted"), {"months": 6})

    assert [o.pk for o in response.context["page"]] == [never.pk, older.pk, old.pk]
    check_structure(response.content.decode())
    twelve = client_for(staff).get(reverse("partners:not_contacted"), {"months": 12})
    assert [o.name for o in twelve.context["page"]] == ["Never Called", "Older Friend"]


def test_not_contacted_with_a_bad_number_falls_back_to_six_months(client_for, staff):
    response = client_for(staff).get(reverse("partners:not_contacted"), {"months": "0"})

    assert response.context["months"] == 6
    assert response.context["form"].errors["months"]


# --- A partner's page ----------------------------------------------------------------------------


def test_the_partner_page_shows_everything(client_for, staff, three):
    alpha = three["health"].partner_organizations.get(name="Alpha Clinic")
    AgreementFactory(
        organization=alpha, title="Clinic MOU", ends_on=timezone.localdate() + timedelta(days=10)
    )

    response = client_for(staff).get(reverse("partners:detail", args=[alpha.pk]))

    page = response.content.decode()
    assert "Alpha Clinic" in page and "Internship" in page and "Clinic MOU" in page
    assert "Expiring soon" in page
    assert "Log an interaction" in page and 'name="summary"' in page
    check_structure(page)


def test_an_unknown_partner_is_404(client_for, staff):
    assert client_for(staff).get(reverse("partners:detail", args=[999999])).status_code == 404


# --- Interactions --------------------------------------------------------------------------------


def test_logging_an_interaction_in_one_form_notifies_the_owner(
    client_for, staff, django_capture_on_commit_callbacks
):
    organization = OrganizationFactory(name="Alpha Clinic")
    colleague = StaffUserFactory(email="owner@cte.example", full_name="Owen Owner")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(
            reverse("partners:interaction_new", args=[organization.pk]),
            {
                "occurred_on": days_ago(1).isoformat(),
                "kind": "meeting",
                "summary": "Planned the spring career day.",
                "next_step": "Send the school list",
                "next_step_due": (timezone.localdate() + timedelta(days=7)).isoformat(),
                "owner": colleague.pk,
            },
        )

    assert response.status_code == 302
    interaction = Interaction.objects.get()
    assert (interaction.recorded_by, interaction.owner) == (staff, colleague)
    assert interaction.next_step == "Send the school list"
    assert rows("partner_next_step") == ["owner@cte.example"]
    assert "Send the school list" in mail.outbox[0].body


def test_owning_your_own_next_step_sends_nothing(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.interaction_log(
            organization=OrganizationFactory(),
            actor=staff,
            occurred_on=timezone.localdate(),
            kind="call",
            summary="Called.",
            next_step="Call again",
            owner=staff,
        )

    assert rows("partner_next_step") == []


def test_a_refused_interaction_keeps_what_was_typed(client_for, staff):
    organization = OrganizationFactory()

    response = client_for(staff).post(
        reverse("partners:interaction_new", args=[organization.pk]),
        {
            "occurred_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "kind": "call",
            "summary": "A call from the future",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "occurred_on": ["An interaction cannot be in the future."]
    }
    assert "A call from the future" in response.content.decode()
    check_structure(response.content.decode())
    assert Interaction.objects.count() == 0


def test_the_owner_must_be_staff(staff, employer):
    with pytest.raises(PartnerError, match="CTE office"):
        services.interaction_log(
            organization=OrganizationFactory(),
            actor=staff,
            occurred_on=timezone.localdate(),
            kind="call",
            summary="x",
            next_step="y",
            owner=employer,
        )


# --- Agreements ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ends_in", "expiring", "expired"),
    [(-1, False, True), (0, True, False), (10, True, False), (60, True, False), (61, False, False)],
)
def test_agreements_ending_soon_are_flagged(ends_in, expiring, expired):
    agreement = AgreementFactory(ends_on=timezone.localdate() + timedelta(days=ends_in))

    assert agreement.is_expiring_soon() is expiring
    assert agreement.is_expired() is expired


def test_the_warning_window_is_a_setting(settings):
    settings.PARTNERS_EXPIRING_DAYS = 5
    agreement = AgreementFactory(ends_on=timezone.localdate() + timedelta(days=10))

    assert not agreement.is_expiring_soon()


def test_staff_add_an_agreement_with_its_file(client_for, staff, settings):
    organization = OrganizationFactory()

    response = client_for(staff).post(
        reverse("partners:agreement_new", args=[organization.pk]),
        {
            "kind": "mou",
            "title": "Career day MOU",
            "starts_on": days_ago(10).isoformat(),
            "ends_on": (timezone.localdate() + timedelta(days=365)).isoformat(),
            "file": SimpleUploadedFile("Signed MOU.pdf", PDF_BYTES, "application/pdf"),
        },
    )

    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.file.name.startswith("partners/agreements/")
    assert "Signed" not in agreement.file.name  # a random name, never the uploader's
    assert (settings.MEDIA_ROOT / agreement.file.name).read_bytes() == PDF_BYTES


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("virus.exe", b"MZ\x90\x00", "Upload a PDF"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "does not match"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_a_bad_agreement_file_is_refused_with_the_input_kept(
    client_for, staff, name, content, error
):
    organization = OrganizationFactory()

    response = client_for(staff).post(
        reverse("partners:agreement_new", args=[organization.pk]),
        {
            "kind": "mou",
            "title": "Keep this title",
            "starts_on": days_ago(10).isoformat(),
            "ends_on": days_ago(-10).isoformat(),
            "file": SimpleUploadedFile(name, content),
        },
    )

    assert response.status_code == 200
    assert error in response.context["form"].errors["file"][0]
    assert 'value="Keep this title"' in response.content.decode()
    assert Agreement.objects.count() == 0


def test_a_file_too_large_is_refused(client_for, staff, settings):
    settings.PARTNERS_AGREEMENT_MAX_BYTES = 20
    organization = OrganizationFactory()

    response = client_for(staff).post(
        reverse("partners:agreement_new", args=[organization.pk]),
        {
            "kind": "mou",
            "title": "Big",
            "starts_on": days_ago(10).isoformat(),
            "ends_on": days_ago(-10).isoformat(),
            "file": SimpleUploadedFile("big.pdf", PDF_BYTES + b"x" * 100),
        },
    )

    assert "largest accepted" in response.context["form"].errors["file"][0]


def test_an_agreement_must_end_after_it_starts(client_for, staff):
    response = client_for(staff).post(
        reverse("partners:agreement_new", args=[OrganizationFactory().pk]),
        {
            "kind": "mou",
            "title": "Backwards",
            "starts_on": days_ago(1).isoformat(),
            "ends_on": days_ago(5).isoformat(),
            "file": SimpleUploadedFile("a.pdf", PDF_BYTES),
        },
    )

    assert response.context["form"].errors == {
        "ends_on": ["The agreement must end after it starts."]
    }


# --- Details, compliance, seats ------------------------------------------------------------------


def test_renaming_into_a_known_organization_is_refused(client_for, staff):
    OrganizationFactory(name="Taken", website="https://taken.example")
    mine = OrganizationFactory(name="Mine", website="https://taken.example")

    response = client_for(staff).post(
        reverse("partners:edit", args=[mine.pk]),
        {
            "name": "Taken Inc.",
            "kind": "employer",
            "size": "small",
            "website": "https://taken.example",
        },
    )

    assert response.status_code == 200
    assert "Another organization with this name and website exists: Taken." in str(
        response.context["form"].errors
    )
    mine.refresh_from_db()
    assert mine.name == "Mine"


def test_staff_record_the_insurance_certificate(client_for, staff):
    organization = OrganizationFactory(name="Insured")
    expires = timezone.localdate() + timedelta(days=20)

    client_for(staff).post(
        reverse("partners:edit", args=[organization.pk]),
        {
            "name": "Insured",
            "kind": "employer",
            "size": "small",
            "insurance_expires_on": expires.isoformat(),
            "sectors": [],
        },
    )

    organization.refresh_from_db()
    assert organization.insurance_expires_on == expires
    assert organization.insurance_state() == "expiring"


def test_a_cleared_background_check_needs_its_date(client_for, staff):
    contact = ContactFactory(works_with_students=True)
    url = reverse("partners:contact", args=[contact.pk])
    data = {
        "job_title": "Mentor",
        "phone": "",
        "works_with_students": "on",
        "background_check": "cleared",
    }

    refused = client_for(staff).post(url, data)
    saved = client_for(staff).post(url, {**data, "background_checked_on": days_ago(3).isoformat()})

    assert refused.context["form"].errors == {
        "background_checked_on": ["Give the date the background check cleared."]
    }
    assert saved.status_code == 302
    contact.refresh_from_db()
    assert (
        contact.background_check == BackgroundCheck.CLEARED and not contact.needs_background_check
    )


def test_staff_add_an_advisory_seat(client_for, staff):
    sector = SectorFactory(name="Health")
    organization = OrganizationFactory(sectors=[sector])
    person = ContactFactory(organization=organization, status=ContactStatus.ACTIVE)

    response = client_for(staff).post(
        reverse("partners:seat_new", args=[organization.pk]),
        {
            "sector": sector.pk,
            "body": "industry_commission",
            "person_name": "Pat Member",
            "contact": person.pk,
            "starts_on": days_ago(1).isoformat(),
            "listed": "on",
        },
    )

    assert response.status_code == 302
    seat = organization.advisory_seats.get()
    assert (seat.person_name, seat.contact, seat.listed, seat.ends_on) == (
        "Pat Member",
        person,
        True,
        None,
    )
