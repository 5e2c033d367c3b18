"""A guardian consents or refuses through the e-mailed signed link, without an account."""

from __future__ import annotations

import re

import pytest
from django.core import signing

from cte_portal.notifications.models import Notification
from tests.factories.workbased import OpportunityFactory
from tests.workbased.conftest import outbox
from workbased import services, tokens
from workbased.enums import ApplicationStatus, ConsentState, GuardianAnswer
from workbased.errors import ConsentError, NotAllowed
from workbased.models import Application, GuardianConsent

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(profile, org, host):
    opportunity = OpportunityFactory(organization=org, host=host, needs_guardian_consent=True)
    return services.application_submit(
        student=profile, opportunity=opportunity, statement="I want to be a nurse."
    )


def link_token(nth: int = 0) -> str:
    """The token in the consent link of the nth consent e-mail."""
    row = Notification.objects.filter(kind="wbl_consent_request").order_by("pk")[nth]
    return re.search(r"/opportunities/consent/([^/\s]+)/", row.body_text).group(1)


def test_the_guardian_consents_by_link_with_time_and_ip_kept(application, employer):
    consent = services.consent_answer(
        token=link_token(), consent=True, ip="203.0.113.7", user_agent="Mozilla/5.0"
    )

    assert consent.answer == GuardianAnswer.CONSENTED
    assert consent.answered_at is not None
    assert (consent.answered_ip, consent.answered_user_agent) == ("203.0.113.7", "Mozilla/5.0")
    assert consent.details["title"] == application.opportunity.title
    application.refresh_from_db()
    assert application.guardian_consent == ConsentState.GIVEN
    assert outbox("wbl_consent_answered") == [application.student.user.email]
    # The host can now accept.
    services.application_accept(application=application, by=employer)


def test_the_same_answer_twice_changes_nothing(application):
    first = services.consent_answer(token=link_token(), consent=True, ip="203.0.113.7")
    again = services.consent_answer(token=link_token(), consent=True, ip="198.51.100.9")

    assert again.answered_at == first.answered_at
    assert again.answered_ip == "203.0.113.7"
    assert len(outbox("wbl_consent_answered")) == 1


def test_changing_the_answer_after_answering_is_refused(application):
    services.consent_answer(token=link_token(), consent=True)
    with pytest.raises(ConsentError, match="already answered"):
        services.consent_answer(token=link_token(), consent=False)
    assert GuardianConsent.objects.get().answer == GuardianAnswer.CONSENTED


def test_a_refusal_withdraws_the_application_and_tells_the_student(application):
    services.consent_answer(token=link_token(), consent=False, ip="not-an-ip")

    application.refresh_from_db()
    assert (application.status, application.guardian_consent) == (
        ApplicationStatus.WITHDRAWN,
        ConsentState.REFUSED,
    )
    assert GuardianConsent.objects.get().answered_ip is None  # a malformed address is not kept
    row = Notification.objects.get(kind="wbl_consent_answered")
    assert row.email == application.student.user.email


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: "x" + t,
        lambda t: "",
        lambda t: tokens.hours_token(hours_id=1, supervisor_id=1),  # made for something else
    ],
)
def test_a_tampered_link_is_refused_and_changes_nothing(application, tamper):
    with pytest.raises(tokens.TokenInvalid):
        services.consent_answer(token=tamper(link_token()), consent=True)
    assert GuardianConsent.objects.get().answer == GuardianAnswer.PENDING
    assert Application.objects.get().guardian_consent == ConsentState.PENDING


def test_an_expired_link_is_refused(application, settings):
    settings.WORKBASED_CONSENT_LINK_MAX_AGE = -1
    with pytest.raises(tokens.TokenExpired, match="expired"):
        services.consent_answer(token=link_token(), consent=True)


def test_a_token_for_another_consent_forged_without_the_key_is_refused(application):
    forged = signing.dumps(
        {"i": GuardianConsent.objects.get().pk, "c": "guess"},
        key="not-our-secret",
        salt=tokens.CONSENT_SALT,
    )
    with pytest.raises(tokens.TokenInvalid):
        services.consent_answer(token=forged, consent=True)


def test_resending_replaces_the_old_link(application, student, other_student):
    with pytest.raises(NotAllowed):
        services.consent_resend(application=application, by=other_student)

    services.consent_resend(application=application, by=student)

    assert outbox("wbl_consent_request") == ["gloria.guardian@family.example"] * 2
    with pytest.raises(tokens.TokenInvalid, match="replaced by a newer one"):
        services.consent_answer(token=link_token(0), consent=True)
    services.consent_answer(token=link_token(1), consent=True)
    assert GuardianConsent.objects.get().answer == GuardianAnswer.CONSENTED


def test_answering_for_a_withdrawn_application_is_refused(application, student):
    services.application_withdraw(application=application, by=student)
    with pytest.raises(ConsentError, match="no longer active"):
        services.consent_answer(token=link_token(), consent=True)


def test_the_host_hears_the_guardians_answer(application, employer):
    services.consent_answer(token=link_token(), consent=True)

    assert outbox("wbl_consent_answered_host") == [employer.email]
    row = Notification.objects.get(kind="wbl_consent_answered_host")
    name = application.student.user.full_name
    assert f"The guardian of {name} consented" in row.body_text
    assert "You can now decide on the application." in row.body_text
    assert "Gloria" not in row.body_text  # nothing about the guardian themself


def test_the_host_hears_a_refusal_withdrew_the_application(application, employer):
    services.consent_answer(token=link_token(), consent=False)

    row = Notification.objects.get(kind="wbl_consent_answered_host")
    assert (row.email, "so the application was withdrawn" in row.body_text) == (
        employer.email,
        True,
    )
    # The refusal is the one message: no separate "withdrawn" mail to the host.
    assert outbox("wbl_application_withdrawn") == []
