"""The beat tasks: reminders two days before each session (once), and the weekly hours list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from cte_portal.notifications.models import Notification
from tests.factories.workbased import (
    ApplicationFactory,
    HoursLogFactory,
    InternshipFactory,
    OpportunityFactory,
    SchoolRequestFactory,
    at,
)
from tests.workbased.conftest import outbox
from workbased import tasks
from workbased.enums import ApplicationStatus, OpportunityStatus

pytestmark = pytest.mark.django_db


def test_reminders_go_to_attendees_and_host_two_days_ahead_once(org, host, employer):
    due = OpportunityFactory(organization=org, host=host, sessions=[(at(2, 9), at(2, 11))])
    later = OpportunityFactory(organization=org, host=host, sessions=[(at(3, 9), at(3, 11))])
    past = OpportunityFactory(organization=org, host=host, sessions=[(at(-1, 9), at(-1, 11))])
    cancelled = OpportunityFactory(
        organization=org,
        host=host,
        status=OpportunityStatus.CANCELLED,
        sessions=[(at(2, 9), at(2, 11))],
    )
    going = ApplicationFactory(opportunity=due, status=ApplicationStatus.ACCEPTED)
    ApplicationFactory(opportunity=due)  # not accepted: no reminder
    for opportunity in (later, past, cancelled):
        ApplicationFactory(opportunity=opportunity, status=ApplicationStatus.ACCEPTED)

    assert tasks.send_session_reminders.delay().get() == 1
    assert outbox("wbl_session_reminder") == sorted([going.student.user.email, employer.email])
    host_row = Notification.objects.get(kind="wbl_session_reminder", email=employer.email)
    assert "1 student is expected" in host_row.body_text

    assert tasks.send_session_reminders.delay().get() == 0  # a second run: nothing more
    assert len(outbox("wbl_session_reminder")) == 2


def test_a_placement_is_reminded_of_its_first_session_only(org, host):
    internship = InternshipFactory(
        organization=org, host=host, sessions=[(at(1, 9), at(1, 12)), (at(2, 9), at(2, 12))]
    )
    ApplicationFactory(opportunity=internship, status=ApplicationStatus.ACCEPTED)
    assert tasks.send_session_reminders.delay().get() == 1
    assert internship.sessions.filter(reminder_sent_at__isnull=False).get().starts_at == at(1, 9)


def test_a_requested_visit_reminds_the_counselor_who_asked(org, host):
    visit = OpportunityFactory(organization=org, host=host, sessions=[(at(2, 13), at(2, 14))])
    request = SchoolRequestFactory(opportunity=visit, status="opportunity_created")
    tasks.send_session_reminders.delay().get()
    assert request.requested_by.email in outbox("wbl_session_reminder")


def test_the_hours_task_sends_the_weekly_list_once(org, host, employer):
    from tests.factories.workbased import PlacementFactory

    placement = PlacementFactory(application__opportunity__organization=org, supervisor=host)
    HoursLogFactory(placement=placement, date=timezone.localdate() - timedelta(days=1))
    assert tasks.send_hours_waiting_digest.delay().get() == 1
    assert tasks.send_hours_waiting_digest.delay().get() == 1
    assert outbox("wbl_hours_waiting") == [employer.email]


def test_both_tasks_are_in_the_beat_schedule():
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"workbased.session_reminders", "workbased.hours_waiting_digest"} <= tasks_scheduled
    weekly = settings.CELERY_BEAT_SCHEDULE["workbased-hours-digest"]["schedule"]
    assert weekly.day_of_week == {1}  # Monday
