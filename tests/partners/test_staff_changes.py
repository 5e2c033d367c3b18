"""What CTE staff change on a partner's page besides the organization itself: an advisory
seat's term, a logged interaction, an agreement and its file; the compliance line; sectors
removed with their offers; the review queue's possible duplicates; the Spanish filter labels."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from partners import selectors, services
from partners.enums import ContactStatus, OfferKind, OrganizationStatus
from partners.forms import PartnerFilterForm
from partners.models import Offer
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

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"0" * 32


def days(n: int):
    return timezone.localdate() + timedelta(days=n)


# --- Advisory seats: ending a term ---------------------------------------------------------------


def test_staff_end_a_seats_term_and_the_member_leaves_the_public_list(client_for, staff):
    seat = AdvisorySeatFactory(ends_on=None, listed=True)
    url = reverse("partners:seat_end", args=[seat.pk])
    assert [s.pk for s in selectors.advisory_members_for_sector(seat.sector)] == [seat.pk]

    page = client_for(staff).get(url)
    response = client_for(staff).post(url, {"ends_on": days(-1).isoformat()})

    assert page.status_code == 200
    check_structure(page.content.decode())
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:detail", args=[seat.organization_id])
    seat.refresh_from_db()
    assert seat.ends_on == days(-1) and not seat.is_current()
    assert selectors.advisory_members_for_sector(seat.sector) == []


def test_a_term_cannot_end_before_it_starts_and_the_input_is_kept(client_for, staff):
    seat = AdvisorySeatFactory(starts_on=days(-10), ends_on=None)

    response = client_for(staff).post(
        reverse("partners:seat_end", args=[seat.pk]), {"ends_on": days(-20).isoformat()}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"ends_on": ["The term must end after it starts."]}
    assert f'value="{days(-20).isoformat()}"' in response.content.decode()
    seat.refresh_from_db()
    assert seat.ends_on is None


def test_a_term_that_ended_stays_ended(staff):
    seat = AdvisorySeatFactory(starts_on=days(-100), ends_on=days(-5))

    with pytest.raises(services.PartnerError, match="already ended"):
        services.advisory_seat_end(seat=seat, actor=staff, ends_on=days(0))


# --- Interactions: correcting one ----------------------------------------------------------------


def test_staff_edit_an_interaction_and_a_new_owner_is_told(
    client_for, staff, django_capture_on_commit_callbacks
):
    interaction = InteractionFactory(summary="Called.", recorded_by=staff, owner=staff)
    colleague = StaffUserFactory(email="owner@cte.example", full_name="Owen Owner")
    url = reverse("partners:interaction_edit", args=[interaction.pk])

    page = client_for(staff).get(url)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(
            url,
            {
                "occurred_on": days(-2).isoformat(),
                "kind": "meeting",
                "summary": "Met about spring internships.",
                "next_step": "Send the MOU",
                "next_step_due": days(7).isoformat(),
                "owner": colleague.pk,
            },
        )

    assert 'value="Called."' in page.content.decode() or "Called." in page.content.decode()
    check_structure(page.content.decode())
    assert response.status_code == 302
    interaction.refresh_from_db()
    assert (interaction.kind, interaction.summary, interaction.owner) == (
        "meeting",
        "Met about spring internships.",
        colleague,
    )
    assert interaction.recorded_by == staff  # who logged it stays recorded
    assert rows("partner_next_step") == ["owner@cte.example"]
    assert "Sol Staff logged an interaction" in mail.outbox[-1].body


def test_editing_without_changing_the_owner_tells_nobody(
    client_for, staff, django_capture_on_commit_callbacks
):
    colleague = StaffUserFactory(email="owner@cte.example")
    interaction = InteractionFactory(owner=colleague, next_step="Call back", recorded_by=staff)

    with django_capture_on_commit_callbacks(execute=True):
        services.interaction_update(
            interaction=interaction,
            actor=staff,
            occurred_on=interaction.occurred_on,
            kind="call",
            summary="Called twice.",
            next_step="Call back",
            owner=colleague,
        )

    assert rows("partner_next_step") == []


def test_an_interaction_cannot_be_moved_into_the_future(client_for, staff):
    interaction = InteractionFactory(summary="Called.")

    response = client_for(staff).post(
        reverse("partners:interaction_edit", args=[interaction.pk]),
        {"occurred_on": days(3).isoformat(), "kind": "call", "summary": "Typed again"},
    )

    assert response.status_code == 200
    assert "occurred_on" in response.context["form"].errors
    assert "Typed again" in response.content.decode()
    interaction.refresh_from_db()
    assert interaction.summary == "Called."


# --- Agreements: correcting one, replacing its file ----------------------------------------------


def agreement_data(**overrides):
    return {
        "kind": "internship",
        "title": "Internship agreement 2026",
        "starts_on": days(-10).isoformat(),
        "ends_on": days(400).isoformat(),
        "notes": "Renewed.",
        **overrides,
    }


def test_staff_replace_an_agreements_file_and_the_old_one_is_deleted(
    client_for, staff, settings, django_capture_on_commit_callbacks
):
    agreement = AgreementFactory(title="Old title")
    old_file = settings.MEDIA_ROOT / agreement.file.name
    assert old_file.exists()
    url = reverse("partners:agreement_edit", args=[agreement.pk])

    page = client_for(staff).get(url)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(
            url, agreement_data(file=SimpleUploadedFile("scan.png", PNG_BYTES, "image/png"))
        )

    assert 'value="Old title"' in page.content.decode()
    check_structure(page.content.decode())
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.title, agreement.kind, agreement.ends_on) == (
        "Internship agreement 2026",
        "internship",
        days(400),
    )
    assert agreement.file.name.endswith(".png")
    assert (settings.MEDIA_ROOT / agreement.file.name).read_bytes() == PNG_BYTES
    assert not old_file.exists()


def test_editing_an_agreement_without_a_file_keeps_the_file(client_for, staff, settings):
    agreement = AgreementFactory()
    name = agreement.file.name

    response = client_for(staff).post(
        reverse("partners:agreement_edit", args=[agreement.pk]), agreement_data()
    )

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.file.name == name and agreement.title == "Internship agreement 2026"
    assert (settings.MEDIA_ROOT / name).read_bytes() == PDF_BYTES


def test_a_bad_replacement_file_changes_nothing(client_for, staff, settings):
    agreement = AgreementFactory(title="Old title")
    name = agreement.file.name

    response = client_for(staff).post(
        reverse("partners:agreement_edit", args=[agreement.pk]),
        agreement_data(file=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 nope", "application/pdf")),
    )

    assert response.status_code == 200
    assert "does not match" in response.context["form"].errors["file"][0]
    assert 'value="Internship agreement 2026"' in response.content.decode()
    agreement.refresh_from_db()
    assert (agreement.title, agreement.file.name) == ("Old title", name)
    assert (settings.MEDIA_ROOT / name).exists()


def test_the_partner_page_links_each_correction(client_for, staff):
    organization = OrganizationFactory()
    seat = AdvisorySeatFactory(organization=organization)
    ended = AdvisorySeatFactory(organization=organization, starts_on=days(-90), ends_on=days(-1))
    interaction = InteractionFactory(organization=organization)
    agreement = AgreementFactory(organization=organization)
    primary = ContactFactory(organization=organization, is_primary=True)
    colleague = ContactFactory(organization=organization)

    page = client_for(staff).get(reverse("partners:detail", args=[organization.pk]))

    html = page.content.decode()
    assert reverse("partners:seat_end", args=[seat.pk]) in html
    assert reverse("partners:seat_end", args=[ended.pk]) not in html
    assert reverse("partners:interaction_edit", args=[interaction.pk]) in html
    assert reverse("partners:agreement_edit", args=[agreement.pk]) in html
    assert reverse("partners:contact_primary", args=[colleague.pk]) in html
    assert reverse("partners:contact_remove", args=[colleague.pk]) in html
    assert reverse("partners:contact_primary", args=[primary.pk]) not in html
    assert reverse("partners:contact_remove", args=[primary.pk]) not in html
    check_structure(html)


def test_staff_make_another_contact_primary(client_for, staff):
    organization = OrganizationFactory()
    first = ContactFactory(organization=organization, is_primary=True)
    second = ContactFactory(organization=organization)

    response = client_for(staff).post(reverse("partners:contact_primary", args=[second.pk]))

    assert response["Location"] == reverse("partners:detail", args=[organization.pk])
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_primary, second.is_primary) == (False, True)


# --- The compliance line -------------------------------------------------------------------------


def compliance_line(client, organization) -> str:
    html = client.get(reverse("partners:detail", args=[organization.pk])).content.decode()
    start = html.index("Background checks of contacts who will be with students:")
    return " ".join(html[start : html.index("</li>", start)].split())


def test_the_background_check_line_says_when_nobody_works_with_students(client_for, staff):
    organization = OrganizationFactory()
    ContactFactory(organization=organization, works_with_students=False)
    ContactFactory(  # removed: no longer counts
        organization=organization, works_with_students=True, status=ContactStatus.REMOVED
    )

    line = compliance_line(client_for(staff), organization)

    assert line == (
        "Background checks of contacts who will be with students: none needed: no contact is "
        "recorded as working with students."
    )


def test_the_background_check_line_lists_only_those_with_students(client_for, staff):
    organization = OrganizationFactory()
    ContactFactory(
        organization=organization,
        works_with_students=True,
        background_check="cleared",
        background_checked_on=days(-3),
        user=EmployerUserFactory(full_name="Ann Able"),
    )
    ContactFactory(organization=organization, user=EmployerUserFactory(full_name="Zed Last"))

    line = compliance_line(client_for(staff), organization)

    assert line.endswith("students: Ann Able: cleared")
    assert "; " not in line and "Zed Last" not in line


# --- Removing a sector removes its offers --------------------------------------------------------


def test_removing_a_sector_removes_its_offers_and_says_so(client_for, staff):
    health, tech = SectorFactory(name="Health"), SectorFactory(name="Technology")
    organization = OrganizationFactory(name="Two Sectors", sectors=[health, tech])
    OfferFactory(organization=organization, sector=health, kind=OfferKind.INTERNSHIP)
    OfferFactory(organization=organization, sector=tech, kind=OfferKind.SPEAKER)
    OfferFactory(organization=organization, sector=tech, kind=OfferKind.MENTORING)

    response = client_for(staff).post(
        reverse("partners:edit", args=[organization.pk]),
        {"name": "Two Sectors", "kind": "employer", "size": "small", "sectors": [health.slug]},
    )

    assert response.status_code == 302
    assert list(Offer.objects.filter(organization=organization).values_list("kind", flat=True)) == [
        OfferKind.INTERNSHIP
    ]
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The organization is saved.",
        "Its offers in sectors it no longer works in were removed: "
        "Mentoring (Technology), Speaker (Technology).",
    ]


def test_keeping_the_sectors_keeps_every_offer(staff):
    health = SectorFactory()
    organization = OrganizationFactory(sectors=[health])
    offer = OfferFactory(organization=organization, sector=health)

    result = services.organization_update(
        organization=organization, actor=staff, sectors=[health], city="Queens"
    )

    assert result.removed_offers == []
    assert list(Offer.objects.all()) == [offer]


# --- Possible duplicates a website could not catch -----------------------------------------------


def pending_signup(name, email, website=""):
    organization = OrganizationFactory(
        name=name, website=website, status=OrganizationStatus.PENDING
    )
    ContactFactory(
        organization=organization,
        is_primary=True,
        status=ContactStatus.PENDING,
        user=EmployerUserFactory(email=email),
    )
    return organization


def test_the_review_queue_flags_a_signup_that_may_be_a_known_partner(client_for, staff):
    known = OrganizationFactory(name="Harbor Health Inc.", website="https://harbor.example")
    ContactFactory(organization=known, user=EmployerUserFactory(email="hr@harborhealth.example"))
    by_name = pending_signup("Harbor Health", "someone@gmail.com")
    by_domain = pending_signup("HH Clinics", "ceo@harborhealth.example")
    by_website = pending_signup("Harbour Care", "ceo@harbor.example")
    webmail = pending_signup("Unrelated Co", "someone.else@gmail.com")

    response = client_for(staff).get(reverse("partners:review"))

    flagged = {org.pk: [o.pk for o in dups] for org, dups in response.context["signups"]}
    assert flagged == {
        by_name.pk: [known.pk],
        by_domain.pk: [known.pk],
        by_website.pk: [known.pk],
        webmail.pk: [],  # a webmail address says nothing about the organization
    }
    html = response.content.decode()
    assert html.count("Possible duplicate") == 3
    check_structure(html)


def test_a_declined_organization_is_no_duplicate():
    OrganizationFactory(name="Harbor Health", status=OrganizationStatus.DECLINED)
    signup = pending_signup("Harbor Health", "a@b.example", website="https://other.example")

    assert selectors.possible_duplicates(signups=[(signup, "a@b.example")]) == {signup.pk: []}


def test_the_pending_partners_page_shows_the_possible_duplicate(client_for, staff):
    known = OrganizationFactory(name="Harbor Health", website="https://harbor.example")
    signup = pending_signup("Harbor Health", "a@gmail.com")

    html = client_for(staff).get(reverse("partners:detail", args=[signup.pk])).content.decode()

    assert 'id="possible-duplicates"' in html
    assert reverse("partners:detail", args=[known.pk]) in html


# --- The join request's e-mail to staff ----------------------------------------------------------


def test_staff_mail_about_a_join_request_links_to_its_decision_page(
    staff, django_capture_on_commit_callbacks
):
    from tests.partners.helpers import link_in_mail

    known = OrganizationFactory(name="Harbor Health", website="https://harbor.example")
    result = services.organization_signup(
        signup=services.Signup(
            organization_name="Harbor Health",
            kind="employer",
            size="small",
            email="new@harbor.example",
            full_name="New Person",
            website="harbor.example",
        )
    )
    from partners import tokens

    token = tokens.signup_token(contact_id=result.contact.pk, email="new@harbor.example")
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_signup_confirm(token=token, password="tulip-harbor-engine-42")

    decide = reverse("partners:contact_decide", args=[result.contact.pk])
    assert link_in_mail(r"/partners/\S+/", staff.email) == decide
    assert reverse("partners:detail", args=[known.pk]) not in mail.outbox[-1].body


# --- Spanish filter labels -----------------------------------------------------------------------


def test_the_month_filters_read_in_spanish_with_plurals():
    with translation.override("es"):
        form = PartnerFilterForm(sectors=[], sector_label="Sector")
        within = [str(label) for _value, label in form.fields["contacted_within"].choices]
        silent = [str(label) for _value, label in form.fields["not_contacted_in"].choices]

    assert within[1:] == [
        "En el último mes",
        "En los últimos 3 meses",
        "En los últimos 6 meses",
        "En los últimos 12 meses",
    ]
    assert silent[1:] == [
        "3 meses o más",
        "6 meses o más",
        "12 meses o más",
        "24 meses o más",
    ]
