"""``seed_demo`` gives work-based learning a believable programme, and running it again
changes nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from cte_portal.notifications.enums import State
from cte_portal.notifications.models import Notification
from workbased import selectors
from workbased.enums import HoursStatus, OpportunityKind, OpportunityStatus, SchoolRequestStatus
from workbased.models import (
    Application,
    HoursLog,
    Opportunity,
    OpportunitySession,
    Placement,
    SchoolRequest,
)

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, object]:
    return {
        "opportunities": sorted(Opportunity.objects.values_list("title", "status", "seats_filled")),
        "sessions": sorted(
            OpportunitySession.objects.values_list("opportunity__title", "starts_at")
        ),
        "applications": sorted(
            Application.objects.values_list("student__user__email", "opportunity__title", "status")
        ),
        "placements": Placement.objects.count(),
        "hours": sorted(HoursLog.objects.values_list("date", "status")),
        "requests": sorted(SchoolRequest.objects.values_list("topic", "status")),
    }


def test_seed_demo_is_idempotent_and_e_mails_nothing():
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    told = Notification.objects.count()
    call_command("seed_demo", verbosity=0)

    assert snapshot() == first
    # The services told people (the demo employer has new applications in their inbox)...
    assert Notification.objects.filter(
        kind="wbl_application_received", user__email="employer@demo.example"
    ).exists()
    # ... but nothing waits to be e-mailed, and the second run told nobody anything.
    assert set(Notification.objects.values_list("state", flat=True)) == {State.SKIPPED}
    assert Notification.objects.count() == told


def test_the_demo_has_every_type_published_and_the_demo_employers_work():
    from cte_portal.users.models import User

    call_command("seed_demo", verbosity=0)

    published = Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED)
    assert set(published.values_list("kind", flat=True)) == set(OpportunityKind.values)
    assert published.values("organization").distinct().count() >= 4
    assert Opportunity.objects.filter(status=OpportunityStatus.SUBMITTED).count() == 1
    employer = User.objects.get(email="employer@demo.example")
    mine = selectors.employer_opportunities(user=employer)
    assert sum(o.applications_total for o in mine) >= 4
    assert selectors.hours_to_approve(user=employer).count() >= 1
    assert selectors.applicants_visible_to(user=employer).count() >= 4
    assert Placement.objects.filter(hours__status=HoursStatus.PENDING).exists()
    assert SchoolRequest.objects.filter(status=SchoolRequestStatus.OPEN).count() == 1
    student = User.objects.get(email="student@demo.example")
    assert selectors.placements_visible_to(student).count() == 1


def test_the_demo_went_through_the_services():
    """Who acted is recorded as the services record it, and the counts are theirs."""
    from cte_portal.users.models import User
    from workbased.enums import ApplicationStatus, ConsentState, ReviewedVia

    call_command("seed_demo", verbosity=0)

    staff = User.objects.get(email="staff@demo.example")
    published = Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED)
    assert set(published.values_list("decided_by", flat=True)) == {staff.pk}
    assert all(o.created_by_id == o.host.user_id for o in published.select_related("host"))
    for opportunity in published:
        accepted = opportunity.applications.filter(status=ApplicationStatus.ACCEPTED).count()
        assert opportunity.seats_filled == accepted
    given = Application.objects.get(guardian_consent=ConsentState.GIVEN)
    assert given.consent.answered_user_agent == "seed_demo"
    assert Application.objects.filter(guardian_consent=ConsentState.PENDING).count() == 1
    placement = Placement.objects.select_related("application__opportunity").get()
    assert placement.supervisor == placement.application.opportunity.host
    approved = HoursLog.objects.filter(status=HoursStatus.APPROVED)
    assert set(approved.values_list("reviewed_by", "reviewed_via")) == {
        (placement.supervisor.user_id, ReviewedVia.PORTAL)
    }
    assert SchoolRequest.objects.get().partners_notified >= 1
