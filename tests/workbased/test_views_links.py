"""The addresses e-mails link to are the routes' addresses, and the pages behind signed links
work end to end without signing in: a guardian's consent, a supervisor's hours review, a
person's calendar feed. A tampered or expired link gets a clear 400 page."""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cte_portal.notifications.models import Notification
from tests.factories.workbased import HoursLogFactory, OpportunityFactory, PlacementFactory
from workbased import links, services, tokens
from workbased.enums import ApplicationStatus, ConsentState, GuardianAnswer, HoursStatus
from workbased.models import Application, GuardianConsent, HoursLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    """Someone who chose English with the language switcher (Ana's guardian is written to in
    Spanish, and the consent page would otherwise speak it)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page(response, status: int = 200) -> str:
    assert response.status_code == status, response.status_code
    return response.content.decode()


def test_every_address_in_links_is_the_routes_address():
    token = "abc:def:ghi"
    assert reverse("workbased:opportunity_list") == links.board()
    assert reverse("workbased:opportunity_detail", args=[7]) == links.opportunity(7)
    assert reverse("workbased:opportunity_calendar", args=[7]) == links.opportunity_calendar(7)
    assert reverse("workbased:personal_feed", args=[token]) == links.personal_feed(token)
    assert reverse("workbased:mine") == links.student_home()
    assert reverse("workbased:manage") == links.employer_home()
    assert reverse("workbased:applicants", args=[7]) == links.applicants(7)
    assert reverse("workbased:hours_to_approve") == links.hours_to_approve()
    assert reverse("workbased:review") == links.staff_queue()
    assert reverse("workbased:school_request", args=[7]) == links.school_request(7)
    assert reverse("workbased:request_matching", args=[7]) == links.request_matching(7)
    assert reverse("workbased:attendance_overview") == links.staff_attendance()
    assert reverse("workbased:placement", args=[7]) == links.placement(7)
    assert reverse("workbased:consent", args=[token]) == links.consent(token)
    assert reverse("workbased:hours_review", args=[token]) == links.hours_review(token)


# --- A guardian's consent ---------------------------------------------------------------------


@pytest.fixture
def application(profile, org, host):
    opportunity = OpportunityFactory(
        organization=org, host=host, title="Shadow a nurse", needs_guardian_consent=True
    )
    return services.application_submit(
        student=profile, opportunity=opportunity, statement="I want to be a nurse."
    )


def consent_link() -> str:
    """The path of the consent link in the guardian's e-mail, as it was written."""
    row = Notification.objects.get(kind="wbl_consent_request")
    return re.search(r"https?://[^/\s]+(/opportunities/consent/[^/\s]+/)", row.body_text).group(1)


def test_the_guardian_reads_what_the_student_applied_for(client, application):
    html = page(client.get(consent_link()))

    assert "May Ana Student take part?" in html
    assert "Shadow a nurse" in html and application.opportunity.organization.name in html
    assert "I do not consent" in html
    # Nothing is recorded by opening the link (a mail scanner follows links).
    assert GuardianConsent.objects.get().answer == GuardianAnswer.PENDING


def test_the_page_speaks_the_guardians_language(client, application):
    # Ana's record says Spanish: the guardian was written to, and is shown the page, in Spanish,
    # unless they choose another language.
    guardian = Client()
    assert '<html lang="es"' in page(guardian.get(consent_link()))
    assert '<html lang="en"' in page(client.get(consent_link()))


def test_the_guardian_reads_the_type_and_every_label_in_their_language(client, application):
    # Ana applied with the portal in English; her guardian's language is Spanish.
    html = page(Client().get(consent_link()))

    assert "<dt>Tipo</dt><dd>Orador invitado</dd>" in html
    assert "<dt>Anfitrión</dt>" in html and "Qué hacen los estudiantes" in html
    assert "Guest speaker" not in html and "What students do" not in html
    # The switcher's choice wins, the type's name included.
    assert "<dt>Type</dt><dd>Guest speaker</dd>" in page(client.get(consent_link()))


def test_a_refusal_on_the_consent_page_is_in_the_guardians_language(application):
    guardian = Client()
    link = consent_link()

    assert "Indique si da su consentimiento." in page(guardian.post(link, {}))
    page(guardian.post(link, {"answer": "consent"}))
    assert "Usted ya respondió el" in page(guardian.post(link, {"answer": "refuse"}))


def test_the_guardian_consents_and_a_second_click_changes_nothing(client, application):
    link = consent_link()

    first = page(client.post(link, {"answer": "consent"}, REMOTE_ADDR="203.0.113.9"))
    record = GuardianConsent.objects.get()
    again = page(client.post(link, {"answer": "consent"}, REMOTE_ADDR="198.51.100.1"))

    assert "Thank you: you consented" in first and "Thank you: you consented" in again
    record_again = GuardianConsent.objects.get()
    assert (record_again.answer, record_again.answered_ip) == (
        GuardianAnswer.CONSENTED,
        "203.0.113.9",
    )
    assert record_again.answered_at == record.answered_at
    application.refresh_from_db()
    assert application.guardian_consent == ConsentState.GIVEN
    assert Notification.objects.filter(kind="wbl_consent_answered").count() == 1


def test_the_guardian_refuses_and_the_application_is_withdrawn(client, application):
    html = page(client.post(consent_link(), {"answer": "refuse"}))

    assert "You did not consent" in html
    application.refresh_from_db()
    assert (application.status, application.guardian_consent) == (
        ApplicationStatus.WITHDRAWN,
        ConsentState.REFUSED,
    )


def test_changing_the_answer_is_refused_with_the_reason(client, application):
    link = consent_link()
    client.post(link, {"answer": "consent"})

    html = page(client.post(link, {"answer": "refuse"}))

    assert "You already answered on" in html
    assert Application.objects.get().status == ApplicationStatus.SUBMITTED


def test_no_answer_chosen_records_nothing(client, application):
    html = page(client.post(consent_link(), {}))

    assert "Choose whether you consent." in html
    assert GuardianConsent.objects.get().answer == GuardianAnswer.PENDING


def test_a_tampered_consent_link_gets_a_clear_400(client, application):
    link = consent_link()
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]

    for response in (client.get(tampered), client.post(tampered, {"answer": "consent"})):
        html = page(response, 400)
        assert "This link does not work" in html
        assert "Ask the student or their school counselor to send you a new consent link." in html
    assert GuardianConsent.objects.get().answer == GuardianAnswer.PENDING


def test_an_expired_consent_link_says_it_expired(client, application, settings):
    link = consent_link()
    settings.WORKBASED_CONSENT_LINK_MAX_AGE = 1
    time.sleep(2)

    assert "This link has expired" in page(client.get(link), 400)


def test_a_replaced_consent_link_says_to_use_the_latest(client, application, profile):
    old = consent_link()
    services.consent_resend(application=application, by=profile.user)

    assert "replaced by a newer one" in page(client.get(old), 400)


# --- A supervisor's hours link ----------------------------------------------------------------


@pytest.fixture
def hours(org, host):
    placement = PlacementFactory(
        application__opportunity__organization=org,
        application__opportunity__host=host,
        application__student__user__full_name="Ian Intern",
        supervisor=host,
    )
    return HoursLogFactory(placement=placement, activities="Restocked the lab.")


def hours_link(hours) -> str:
    """The link of the supervisor's weekly e-mail, as it was written."""
    services.hours_waiting_digest()
    row = Notification.objects.get(kind="wbl_hours_waiting")
    return re.search(
        r"https?://[^/\s]+(/opportunities/hours/review/[^/\s]+/)", row.body_text
    ).group(1)


def test_the_supervisor_sees_the_entry_and_approves_without_signing_in(client, hours, employer):
    link = hours_link(hours)

    html = page(client.get(link))
    assert "Ian Intern" in html and "Restocked the lab." in html and "Approve these hours" in html
    assert HoursLog.objects.get().status == HoursStatus.PENDING  # opening changes nothing

    done = page(client.post(link, {"decision": "approve"}))

    assert "These hours were approved on" in done
    log = HoursLog.objects.get()
    assert (log.status, log.reviewed_via, log.reviewed_by_id) == ("approved", "link", employer.pk)
    assert "These hours were approved on" in page(client.post(link, {"decision": "approve"}))


def test_rejecting_by_link_needs_a_note_and_keeps_it(client, hours):
    link = hours_link(hours)

    html = page(client.post(link, {"decision": "reject", "note": ""}))
    assert "Say why these hours are rejected" in html
    assert HoursLog.objects.get().status == HoursStatus.PENDING

    page(client.post(link, {"decision": "reject", "note": "Not your shift."}))
    log = HoursLog.objects.get()
    assert (log.status, log.review_note) == ("rejected", "Not your shift.")


def test_a_tampered_hours_link_gets_a_clear_400(client, hours):
    link = hours_link(hours)
    bad = link.replace("/review/", "/review/x")

    html = page(client.post(bad, {"decision": "approve"}), 400)

    assert "This link does not work" in html and "Sign in to the portal" in html
    assert HoursLog.objects.get().status == HoursStatus.PENDING


def test_an_hours_link_for_a_former_supervisor_stops_working(client, hours, org):
    link = hours_link(hours)
    from tests.factories.partners import ContactFactory

    hours.placement.supervisor = ContactFactory(organization=org)
    hours.placement.save()

    assert "no longer works" in page(client.get(link), 400)


# --- The calendar feed ------------------------------------------------------------------------


def test_the_feed_lists_the_persons_sessions(client, profile, org):
    accepted = OpportunityFactory(organization=org, title="Accepted Talk")
    OpportunityFactory(organization=org, title="Not Mine")
    application = services.application_submit(student=profile, opportunity=accepted, statement="x")
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.ACCEPTED)

    response = client.get(links.personal_feed(tokens.feed_token(user_id=profile.user.pk)))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert "Accepted Talk" in body and "Not Mine" not in body


def test_a_tampered_feed_is_a_400(client, student):
    token = tokens.feed_token(user_id=student.pk)
    assert page(client.get(links.personal_feed(token + "x")), 400)
    student.is_active = False
    student.save()
    assert page(client.get(links.personal_feed(token)), 400)


def _feed_address(html: str) -> str:
    """The feed's path, as the page shows it in the box to copy."""
    return re.search(r'id="feed-url" type="text" readonly value="https?://[^/"]+([^"]+)"', html)[1]


def test_i_reset_my_feed_link_and_the_old_one_stops_working(client_for, profile):
    me = client_for(profile.user)
    mine = reverse("workbased:mine")
    old = _feed_address(page(me.get(mine)))
    assert client_for().get(old).status_code == 200

    response = me.post(reverse("workbased:feed_reset"), {"next": mine}, follow=True)

    html = page(response)
    assert response.redirect_chain[-1][0] == f"{mine}#feed-title"
    assert "Your calendar link was reset" in html
    new = _feed_address(html)
    assert new != old
    assert client_for().get(old).status_code == 404
    feed = client_for().get(new)
    assert feed.status_code == 200 and feed["Content-Type"] == "text/calendar; charset=utf-8"


def test_resetting_my_feed_leaves_other_peoples_links_alone(client_for, student, other_student):
    theirs = links.personal_feed(tokens.feed_token(user_id=other_student.pk))

    client_for(student).post(reverse("workbased:feed_reset"))

    assert client_for().get(theirs).status_code == 200


def test_the_reset_goes_back_only_to_our_own_pages(client_for, student):
    response = client_for(student).post(
        reverse("workbased:feed_reset"), {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"{links.board()}#feed-title"


def test_only_a_signed_in_person_resets_a_feed_and_only_by_post(client_for, student):
    url = reverse("workbased:feed_reset")
    assert client_for().post(url).status_code == 302  # to sign in
    assert client_for(student).get(url).status_code == 405
