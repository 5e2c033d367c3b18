"""Applying, deciding, the wait list, withdrawing, and who hears of each step."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cte_portal.notifications.models import Notification
from tests.factories.pathways import OfferingFactory, PathwayFactory, SchoolFactory
from tests.factories.students import EnrollmentFactory, StudentProfileFactory
from tests.factories.workbased import ApplicationFactory, InternshipFactory, OpportunityFactory, at
from tests.workbased.conftest import outbox, years_ago
from workbased import selectors, services
from workbased.enums import ApplicationStatus, ConsentState, OpportunityStatus, PlacementStatus
from workbased.errors import ApplicationError, EligibilityError, NotAllowed
from workbased.models import Application, GuardianConsent, Opportunity, Placement

pytestmark = pytest.mark.django_db


@pytest.fixture
def opportunity(org, host):
    return OpportunityFactory(organization=org, host=host, seats=2)


def apply(profile, opportunity, statement="I love science."):
    return services.application_submit(
        student=profile, opportunity=opportunity, statement=statement
    )


# --- Eligibility: each refusal, with its reason ---------------------------------------------------


def _in_pathway(profile):
    pathway = PathwayFactory()
    EnrollmentFactory(
        student=profile,
        offering=OfferingFactory(pathway=pathway, school=profile.school),
        status="approved",
    )
    return pathway


REFUSALS = [
    # (how to set it up, the code, words the student reads)
    (lambda o, p: setattr(o, "status", OpportunityStatus.SUBMITTED), "not_open", "not open"),
    (lambda o, p: setattr(o, "status", OpportunityStatus.CLOSED), "not_open", "not open"),
    (lambda o, p: setattr(p, "is_active", False), "inactive", "not active"),
    (
        lambda o, p: setattr(o, "school", SchoolFactory(name="Other High")),
        "other_school",
        "Other High",
    ),
    (
        lambda o, p: setattr(o, "apply_by", timezone.localdate() - timedelta(days=1)),
        "deadline",
        "deadline was",
    ),
    (lambda o, p: setattr(o, "min_grade", 11), "grade", "grade 11 and above; you are in grade 10"),
    (
        lambda o, p: (setattr(o, "min_age", 14), setattr(p, "date_of_birth", None)),
        "age_unknown",
        "date of birth",
    ),
    (lambda o, p: setattr(o, "min_age", 16), "age", "at least 16"),
    (
        lambda o, p: (setattr(o, "needs_guardian_consent", True), setattr(p, "guardian_email", "")),
        "no_guardian_email",
        "guardian e-mail",
    ),
]


@pytest.mark.parametrize(("setup", "code", "words"), REFUSALS)
def test_application_refused_with_the_reason(profile, opportunity, setup, code, words):
    setup(opportunity, profile)
    opportunity.save()
    profile.save()

    eligibility = selectors.application_eligibility(student=profile, opportunity=opportunity)
    assert (eligibility.ok, eligibility.code) == (False, code)
    assert words in eligibility.reason

    with pytest.raises(EligibilityError) as refused:
        apply(profile, opportunity)
    assert refused.value.code == code
    assert refused.value.message == eligibility.reason
    assert Application.objects.count() == 0
    assert Notification.objects.count() == 0


def test_application_refused_once_the_opportunity_started(profile, org):
    started = OpportunityFactory(organization=org, sessions=[(at(-1, 9), at(10, 17))])
    with pytest.raises(EligibilityError, match="already started"):
        apply(profile, started)


def test_minimum_age_is_counted_on_the_first_sessions_day(profile, org):
    # Ana turns 16 in 5 days: too young for a session tomorrow, old enough for one in 10 days.
    profile.date_of_birth = years_ago(16, days=-5)
    profile.save()
    tomorrow = OpportunityFactory(organization=org, min_age=16, sessions=[(at(1, 9), at(1, 12))])
    later = OpportunityFactory(organization=org, min_age=16, sessions=[(at(10, 9), at(10, 12))])

    assert selectors.application_eligibility(student=profile, opportunity=tomorrow).code == "age"
    assert selectors.application_eligibility(student=profile, opportunity=later).ok


def test_outside_the_allowed_pathways_is_refused_and_inside_is_accepted(profile, opportunity):
    allowed = PathwayFactory(name="Nursing")
    opportunity.pathways.set([allowed, PathwayFactory(name="Pharmacy")])

    refusal = selectors.application_eligibility(student=profile, opportunity=opportunity)
    assert refusal.code == "pathway"
    assert "Nursing, Pharmacy" in refusal.reason

    EnrollmentFactory(
        student=profile,
        offering=OfferingFactory(pathway=allowed, school=profile.school),
        status="approved",
    )
    assert selectors.application_eligibility(student=profile, opportunity=opportunity).ok


def test_a_second_application_is_refused(profile, opportunity):
    apply(profile, opportunity)
    with pytest.raises(EligibilityError, match="already applied"):
        apply(profile, opportunity)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(student=profile, opportunity=opportunity, statement="again")


def test_an_empty_statement_is_refused(profile, opportunity):
    with pytest.raises(ApplicationError, match="why you are applying") as refused:
        apply(profile, opportunity, statement="   ")
    assert refused.value.field == "statement"


# --- Submitting -----------------------------------------------------------------------------------


def test_applying_tells_the_host_with_only_name_and_grade(profile, opportunity, employer):
    application = apply(profile, opportunity)

    assert application.status == ApplicationStatus.SUBMITTED
    assert application.guardian_consent == ConsentState.NOT_NEEDED
    row = Notification.objects.get(kind="wbl_application_received")
    assert (row.email, row.user) == (employer.email, employer)
    assert "Ana Student (grade 10)" in row.body_text
    assert profile.district_id not in row.body_text
    assert outbox("wbl_consent_request") == []


def test_consent_needed_asks_the_guardian_a_bare_address_in_their_language(profile, opportunity):
    opportunity.needs_guardian_consent = True
    opportunity.save()

    application = apply(profile, opportunity)

    assert application.guardian_consent == ConsentState.PENDING
    consent = GuardianConsent.objects.get(application=application)
    assert consent.guardian_email == "gloria.guardian@family.example"
    row = Notification.objects.get(kind="wbl_consent_request")
    assert (row.email, row.user, row.language) == ("gloria.guardian@family.example", None, "es")
    assert "/opportunities/consent/" in row.body_text
    assert row.subject.startswith("Se necesita su consentimiento")


def test_an_adult_student_needs_no_guardian_consent(profile, opportunity):
    profile.date_of_birth = years_ago(18, days=1)
    profile.guardian_email = ""
    profile.save()
    opportunity.needs_guardian_consent = True
    opportunity.save()

    application = apply(profile, opportunity)

    assert application.guardian_consent == ConsentState.NOT_NEEDED
    assert outbox("wbl_consent_request") == []


# --- Decisions ------------------------------------------------------------------------------------


def test_accept_then_full_wait_lists_in_submission_order(opportunity, employer):
    first, second, third, fourth = (ApplicationFactory(opportunity=opportunity) for _ in range(4))

    services.application_accept(application=fourth, by=employer)
    services.application_accept(application=third, by=employer)
    services.application_accept(application=second, by=employer)  # full: wait-listed
    services.application_accept(application=first, by=employer)  # full: ahead of second

    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: "waitlisted",
        second.pk: "waitlisted",
        third.pk: "accepted",
        fourth.pk: "accepted",
    }
    positions = dict(
        Application.objects.filter(status="waitlisted").values_list("pk", "waitlist_position")
    )
    assert positions == {first.pk: 1, second.pk: 2}
    assert Opportunity.objects.get(pk=opportunity.pk).seats_filled == 2
    assert outbox("wbl_application_decided") == sorted(
        a.student.user.email for a in (first, second, third, fourth)
    )


def test_accepted_is_told_in_spanish_with_the_guardian_when_consent_applies(
    profile, opportunity, employer
):
    opportunity.needs_guardian_consent = True
    opportunity.save()
    profile.user.preferred_language = "es"
    profile.user.save()
    application = apply(profile, opportunity)
    GuardianConsent.objects.filter(application=application).update(
        answer="consented", answered_at=timezone.now()
    )
    Application.objects.filter(pk=application.pk).update(guardian_consent=ConsentState.GIVEN)

    services.application_accept(application=application, by=employer)

    rows = Notification.objects.filter(kind="wbl_application_decided").order_by("email")
    assert [(r.email, r.user_id) for r in rows] == [
        ("gloria.guardian@family.example", None),
        (profile.user.email, profile.user.pk),
    ]
    assert all("Aceptada" in r.subject for r in rows)


def test_accept_waits_for_the_guardians_consent(profile, opportunity, employer):
    opportunity.needs_guardian_consent = True
    opportunity.save()
    application = apply(profile, opportunity)

    with pytest.raises(ApplicationError, match="has not consented yet"):
        services.application_accept(application=application, by=employer)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_only_the_host_organization_or_staff_decide(opportunity, other_employer, other_org, staff):
    application = ApplicationFactory(opportunity=opportunity)
    with pytest.raises(NotAllowed):
        services.application_accept(application=application, by=other_employer)
    with pytest.raises(NotAllowed):
        services.application_accept(application=application, by=application.student.user)
    services.application_accept(application=application, by=staff)


def test_decline_needs_a_reason_the_student_reads(opportunity, employer):
    application = ApplicationFactory(opportunity=opportunity)
    with pytest.raises(ApplicationError, match="Say why"):
        services.application_decline(application=application, by=employer, reason="")

    services.application_decline(
        application=application, by=employer, reason="We need students 16 and older."
    )

    row = Notification.objects.get(kind="wbl_application_decided")
    assert row.email == application.student.user.email
    assert "We need students 16 and older." in row.body_text
    with pytest.raises(ApplicationError, match="already decided"):
        services.application_accept(application=application, by=employer)


def test_waitlist_then_decline_closes_the_gap(opportunity, employer):
    first, second, third = (ApplicationFactory(opportunity=opportunity) for _ in range(3))
    for application in (first, second, third):
        services.application_waitlist(application=application, by=employer)

    services.application_decline(application=first, by=employer, reason="Schedule clash.")

    positions = dict(
        Application.objects.filter(status="waitlisted").values_list("pk", "waitlist_position")
    )
    assert positions == {second.pk: 1, third.pk: 2}


def test_withdrawing_an_accepted_seat_promotes_the_first_who_may_take_it(opportunity, employer):
    opportunity.seats = 1
    opportunity.save()
    seated, no_consent_yet, next_in_line = (
        ApplicationFactory(opportunity=opportunity) for _ in range(3)
    )
    services.application_accept(application=seated, by=employer)
    services.application_accept(application=no_consent_yet, by=employer)
    services.application_accept(application=next_in_line, by=employer)
    # The first on the wait list still waits for a guardian: they keep their place.
    Application.objects.filter(pk=no_consent_yet.pk).update(guardian_consent=ConsentState.PENDING)

    services.application_withdraw(application=seated, by=seated.student.user)

    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses == {
        seated.pk: "withdrawn",
        no_consent_yet.pk: "waitlisted",
        next_in_line.pk: "accepted",
    }
    assert Application.objects.get(pk=no_consent_yet.pk).waitlist_position == 1
    assert Opportunity.objects.get(pk=opportunity.pk).seats_filled == 1
    accepted_rows = Notification.objects.filter(
        kind="wbl_application_decided", event_key=f"application:{next_in_line.pk}:accepted"
    )
    assert [r.email for r in accepted_rows] == [next_in_line.student.user.email]


def test_a_student_cannot_withdraw_someone_elses_application(opportunity, other_student):
    application = ApplicationFactory(opportunity=opportunity)
    with pytest.raises(NotAllowed):
        services.application_withdraw(application=application, by=other_student)


def test_accepting_an_internship_creates_its_placement(org, host, employer):
    internship = InternshipFactory(organization=org, host=host)
    application = ApplicationFactory(opportunity=internship)

    services.application_accept(application=application, by=employer)

    placement = Placement.objects.get(application=application)
    assert placement.supervisor == host
    assert placement.starts_on == timezone.localdate() + timedelta(days=7)
    assert placement.ends_on == timezone.localdate() + timedelta(days=49)
    assert placement.target_hours == 70  # 7 weeks x 10 h
    assert placement.status == PlacementStatus.ACTIVE

    services.application_withdraw(application=application, by=application.student.user)
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.CANCELLED


def test_accepting_a_speaker_event_makes_no_placement(opportunity, employer):
    application = ApplicationFactory(opportunity=opportunity)
    services.application_accept(application=application, by=employer)
    assert Placement.objects.count() == 0


def test_the_database_keeps_the_wait_list_position_and_decline_reason(opportunity):
    application = ApplicationFactory(opportunity=opportunity)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(status="waitlisted")
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(status="declined")


def test_another_student_of_the_same_grade_is_unaffected(profile, opportunity):
    other = StudentProfileFactory(grade=10)
    apply(profile, opportunity)
    assert selectors.application_eligibility(student=other, opportunity=opportunity).ok


def test_a_student_withdrawing_tells_the_host(opportunity, employer, profile):
    application = apply(profile, opportunity)

    services.application_withdraw(application=application, by=profile.user)

    assert outbox("wbl_application_withdrawn") == [employer.email]
    row = Notification.objects.get(kind="wbl_application_withdrawn")
    assert f"{profile.user.full_name} withdrew their application" in row.body_text
    assert row.link == f"/opportunities/manage/{opportunity.pk}/applicants/"
    # Only the FERPA-limited facts: no date of birth, no guardian.
    assert "Gloria" not in row.body_text and str(profile.date_of_birth.year) not in row.body_text


def test_a_counselor_withdrawing_says_who_did(opportunity, employer, staff):
    application = ApplicationFactory(opportunity=opportunity)

    services.application_withdraw(application=application, by=staff)

    row = Notification.objects.get(kind="wbl_application_withdrawn")
    assert "was withdrawn by the school or the CTE office" in row.body_text
