"""An opportunity's life: drafted by a partner, approved (or returned) by CTE staff, closed or
cancelled; who is told at each step."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cte_portal.notifications.models import Notification
from tests.factories.partners import ContactFactory
from tests.factories.pathways import PathwayFactory, SectorFactory
from tests.factories.students import StudentProfileFactory
from tests.factories.users import StaffUserFactory
from tests.factories.workbased import ApplicationFactory, InternshipFactory, OpportunityFactory, at
from tests.workbased.conftest import outbox
from workbased import services
from workbased.enums import ApplicationStatus, OpportunityKind, OpportunityStatus, PlacementStatus
from workbased.errors import NotAllowed, OpportunityError, WorkbasedError
from workbased.models import Opportunity
from workbased.services import OpportunityDetails, SessionSpec

pytestmark = pytest.mark.django_db


def details(**overrides) -> OpportunityDetails:
    fields = {
        "kind": OpportunityKind.JOB_SHADOW,
        "title": "Shadow a nurse for a day",
        "description": "Follow a nurse on the ward from 9 to 1.",
        "seats": 4,
        "address": "100 Pearl Street, New York, NY",
        "sessions": [SessionSpec(starts_at=at(20, 9), ends_at=at(20, 13))],
        "apply_by": timezone.localdate() + timedelta(days=10),
    }
    return OpportunityDetails(**{**fields, **overrides})


def test_opportunity_create_is_a_draft_hosted_by_its_author(org, host, employer):
    sector = SectorFactory()
    pathway = PathwayFactory(sector=sector)

    opportunity = services.opportunity_create(
        organization=org, by=employer, details=details(pathways=[pathway])
    )

    assert opportunity.status == OpportunityStatus.DRAFT
    assert opportunity.host == host
    assert opportunity.created_by == employer
    assert [s.pk for s in opportunity.sectors.all()] == [sector.pk]  # from the pathway
    assert opportunity.sessions.count() == 1
    assert Notification.objects.count() == 0


def test_opportunity_create_refused_for_another_organization(org, other_employer, other_org):
    with pytest.raises(NotAllowed):
        services.opportunity_create(organization=org, by=other_employer, details=details())
    assert Opportunity.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"title": "  "}, "title", "title"),
        ({"description": ""}, "description", "Describe"),
        ({"seats": 0}, "seats", "at least one seat"),
        ({"min_grade": 5}, "min_grade", "7 to 12"),
        ({"sessions": [SessionSpec(starts_at=at(20, 13), ends_at=at(20, 9))]}, "sessions", "end"),
    ],
)
def test_opportunity_create_refuses_bad_details_with_a_reason(
    org, employer, overrides, field, words
):
    with pytest.raises(OpportunityError, match=words) as refused:
        services.opportunity_create(organization=org, by=employer, details=details(**overrides))
    assert refused.value.field == field
    assert Opportunity.objects.count() == 0


def test_submit_publish_close_tells_staff_then_the_organization(org, host, employer, staff):
    colleague = ContactFactory(organization=org)
    StaffUserFactory(email="staff2@example.org")
    opportunity = services.opportunity_create(organization=org, by=employer, details=details())

    services.opportunity_submit(opportunity=opportunity, by=employer)
    assert outbox("wbl_opportunity_submitted") == ["staff2@example.org", "staff@example.org"]

    services.opportunity_publish(opportunity=opportunity, by=staff)
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.PUBLISHED
    assert (opportunity.decided_by, opportunity.decided_at is not None) == (staff, True)
    assert outbox("wbl_opportunity_decided") == sorted([employer.email, colleague.user.email])

    services.opportunity_close(opportunity=opportunity, by=employer)
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.CLOSED


def test_return_needs_a_reason_which_the_host_reads_then_resubmits(org, employer, staff):
    opportunity = services.opportunity_create(organization=org, by=employer, details=details())
    services.opportunity_submit(opportunity=opportunity, by=employer)

    with pytest.raises(OpportunityError, match="Say what to change"):
        services.opportunity_return(opportunity=opportunity, by=staff, reason=" ")
    services.opportunity_return(
        opportunity=opportunity, by=staff, reason="Add the dress code and the nearest subway."
    )

    row = Notification.objects.get(kind="wbl_opportunity_decided")
    assert row.email == employer.email
    assert "Add the dress code" in row.body_text
    assert row.subject.startswith("Returned for changes")
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.RETURNED

    services.opportunity_update(
        opportunity=opportunity, by=employer, details=details(description="Dress code: scrubs.")
    )
    services.opportunity_submit(opportunity=opportunity, by=employer)
    assert len(outbox("wbl_opportunity_submitted")) == 2  # a second submission, a second event


def test_only_staff_publish(org, employer):
    opportunity = services.opportunity_create(organization=org, by=employer, details=details())
    services.opportunity_submit(opportunity=opportunity, by=employer)

    with pytest.raises(NotAllowed):
        services.opportunity_publish(opportunity=opportunity, by=employer)


def test_publish_refused_while_the_hosts_background_check_is_not_cleared(
    org, host, employer, staff
):
    host.background_check = "in_progress"
    host.save()
    opportunity = services.opportunity_create(
        organization=org, by=employer, details=details(needs_background_check=True)
    )
    services.opportunity_submit(opportunity=opportunity, by=employer)

    with pytest.raises(OpportunityError, match="background check"):
        services.opportunity_publish(opportunity=opportunity, by=staff)
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.SUBMITTED


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"sessions": []}, "at least one session"),
        ({"sessions": [SessionSpec(starts_at=at(-1, 9), ends_at=at(-1, 13))]}, "future"),
        ({"apply_by": timezone.localdate() + timedelta(days=30)}, "on or before the first"),
        ({"address": ""}, "address"),
    ],
)
def test_submit_refuses_what_staff_could_not_approve(org, employer, overrides, words):
    opportunity = services.opportunity_create(
        organization=org, by=employer, details=details(**overrides)
    )
    with pytest.raises(OpportunityError, match=words):
        services.opportunity_submit(opportunity=opportunity, by=employer)
    assert Notification.objects.count() == 0


def test_a_virtual_opportunity_needs_no_address(org, employer):
    opportunity = services.opportunity_create(
        organization=org, by=employer, details=details(address="", is_virtual=True)
    )
    submitted = services.opportunity_submit(opportunity=opportunity, by=employer)
    assert submitted.status == OpportunityStatus.SUBMITTED


def test_host_cannot_edit_a_published_opportunity_but_staff_can(org, employer, staff):
    opportunity = OpportunityFactory(organization=org, host=employer.partner_contact)

    with pytest.raises(OpportunityError, match="ask the CTE office"):
        services.opportunity_update(opportunity=opportunity, by=employer, details=details())
    services.opportunity_update(opportunity=opportunity, by=staff, details=details(seats=8))
    opportunity.refresh_from_db()
    assert opportunity.seats == 8


def test_update_keeps_seats_above_those_taken(org, employer, staff):
    opportunity = OpportunityFactory(organization=org, seats=5, seats_filled=3)
    with pytest.raises(OpportunityError, match="3 seats are already taken"):
        services.opportunity_update(opportunity=opportunity, by=staff, details=details(seats=2))


def test_cancel_tells_students_still_in_play_and_ends_placements(org, employer):
    opportunity = InternshipFactory(organization=org, host=employer.partner_contact, seats=3)
    accepted = ApplicationFactory(opportunity=opportunity)
    waiting = ApplicationFactory(opportunity=opportunity)
    gone = ApplicationFactory(opportunity=opportunity, status=ApplicationStatus.WITHDRAWN)
    services.application_accept(application=accepted, by=employer)

    services.opportunity_cancel(opportunity=opportunity, by=employer, reason="The site closed.")

    assert outbox("wbl_opportunity_cancelled") == sorted(
        [accepted.student.user.email, waiting.student.user.email]
    )
    assert gone.student.user.email not in outbox("wbl_opportunity_cancelled")
    accepted.refresh_from_db()
    assert accepted.placement.status == PlacementStatus.CANCELLED
    with pytest.raises(OpportunityError, match="already cancelled"):
        services.opportunity_cancel(opportunity=opportunity, by=employer)


def test_the_database_refuses_negative_seats_and_overfilling(org):
    opportunity = OpportunityFactory(organization=org, seats=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.filter(pk=opportunity.pk).update(seats=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.filter(pk=opportunity.pk).update(seats_filled=2)


def test_the_database_refuses_a_returned_opportunity_without_reason(org):
    opportunity = OpportunityFactory(organization=org)
    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.filter(pk=opportunity.pk).update(status=OpportunityStatus.RETURNED)


def test_the_database_refuses_a_session_ending_before_it_starts(org):
    opportunity = OpportunityFactory(organization=org)
    with pytest.raises(IntegrityError), transaction.atomic():
        opportunity.sessions.update(ends_at=at(1, 8), starts_at=at(1, 9))


def test_a_removed_session_with_attendance_is_refused(org, employer, staff):
    from workbased.models import Attendance

    opportunity = OpportunityFactory(organization=org, sessions=[(at(-1, 9), at(-1, 11))])
    Attendance.objects.create(
        session=opportunity.sessions.get(), student=StudentProfileFactory(), recorded_by=staff
    )
    with pytest.raises(WorkbasedError, match="recorded attendance"):
        services.opportunity_update(opportunity=opportunity, by=staff, details=details())
