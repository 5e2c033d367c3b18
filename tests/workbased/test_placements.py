"""Placements, the supervisor's evaluation at the end, reflections and attendance."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories.partners import ContactFactory
from tests.factories.students import CounselorProfileFactory, StudentProfileFactory
from tests.factories.workbased import (
    ApplicationFactory,
    InternshipFactory,
    OpportunityFactory,
    PlacementFactory,
    at,
)
from workbased import permissions, selectors, services
from workbased.enums import ApplicationStatus, PlacementStatus
from workbased.errors import (
    AttendanceError,
    EvaluationError,
    NotAllowed,
    PlacementError,
    WorkbasedError,
)
from workbased.models import Attendance, Evaluation, Reflection

pytestmark = pytest.mark.django_db

RATINGS = {
    "communication": 4,
    "teamwork": 3,
    "problem_solving": 3,
    "professionalism": 4,
    "technical_skill": 2,
}


@pytest.fixture
def placement(profile, org, host):
    return PlacementFactory(
        application__student=profile,
        application__opportunity__organization=org,
        application__opportunity__host=host,
        supervisor=host,
    )


@pytest.fixture
def ended(placement):
    placement.ends_on = timezone.localdate()
    placement.save()
    return placement


# --- Placements -----------------------------------------------------------------------------------


def test_the_host_changes_the_supervisor_dates_and_target(placement, org, employer):
    colleague = ContactFactory(organization=org)
    today = timezone.localdate()
    updated = services.placement_update(
        placement=placement,
        by=employer,
        supervisor=colleague,
        starts_on=today,
        ends_on=today + timedelta(days=20),
        target_hours=Decimal("40"),
    )
    assert (updated.supervisor, updated.target_hours) == (colleague, Decimal("40"))


def test_a_supervisor_from_another_organization_is_refused(placement, other_org, employer):
    with pytest.raises(PlacementError, match="active contact of Harbor Health"):
        services.placement_update(
            placement=placement,
            by=employer,
            supervisor=other_org.contacts.get(),
            starts_on=placement.starts_on,
            ends_on=placement.ends_on,
            target_hours=None,
        )


def test_a_supervisor_must_be_cleared_when_the_opportunity_needs_it(placement, org, employer):
    opportunity = placement.application.opportunity
    opportunity.needs_background_check = True
    opportunity.save()
    uncleared = ContactFactory(organization=org, background_check="in_progress")
    with pytest.raises(PlacementError, match="background check is not cleared"):
        services.placement_update(
            placement=placement,
            by=employer,
            supervisor=uncleared,
            starts_on=placement.starts_on,
            ends_on=placement.ends_on,
            target_hours=None,
        )


def test_the_database_refuses_a_placement_ending_before_it_starts(placement):
    from workbased.models import Placement

    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.filter(pk=placement.pk).update(ends_on=placement.starts_on - timedelta(1))


def test_placements_list_their_hours_in_sql(placement, django_assert_num_queries):
    from tests.factories.workbased import HoursLogFactory

    HoursLogFactory(placement=placement, hours=Decimal("2"))
    HoursLogFactory(
        placement=placement, hours=Decimal("1.5"), status="approved", reviewed_at=timezone.now()
    )
    with django_assert_num_queries(1):
        row = selectors.placements_of(student=placement.application.student).get()
    assert (row.hours_pending, row.hours_approved, row.has_evaluation) == (
        Decimal("2.00"),
        Decimal("1.50"),
        False,
    )


# --- Evaluations ----------------------------------------------------------------------------------


def test_the_supervisor_evaluates_once_at_the_end(ended, employer):
    evaluation = services.evaluation_submit(
        placement=ended, by=employer, ratings=RATINGS, comments="Reliable and curious."
    )
    assert (evaluation.communication, evaluation.technical_skill) == (4, 2)
    ended.refresh_from_db()
    assert ended.status == PlacementStatus.COMPLETED
    with pytest.raises(EvaluationError, match="already been evaluated"):
        services.evaluation_submit(placement=ended, by=employer, ratings=RATINGS)
    assert [e.pk for e in selectors.evaluations_visible_to(ended.application.student.user)] == [
        evaluation.pk
    ]


def test_no_evaluation_before_the_last_day(placement, employer):
    with pytest.raises(EvaluationError, match="at the end of the placement"):
        services.evaluation_submit(placement=placement, by=employer, ratings=RATINGS)


@pytest.mark.parametrize("bad", [0, 5, None, "3", True])
def test_each_rating_goes_from_1_to_4(ended, employer, bad):
    with pytest.raises(EvaluationError, match="from 1 to 4") as refused:
        services.evaluation_submit(
            placement=ended, by=employer, ratings={**RATINGS, "teamwork": bad}
        )
    assert refused.value.field == "teamwork"
    assert Evaluation.objects.count() == 0


def test_only_the_hosts_people_evaluate(ended, staff, other_employer, other_org, student):
    for someone in (staff, other_employer, student):
        with pytest.raises(NotAllowed):
            services.evaluation_submit(placement=ended, by=someone, ratings=RATINGS)


def test_the_database_keeps_ratings_in_range_and_one_evaluation(ended, employer):
    evaluation = services.evaluation_submit(placement=ended, by=employer, ratings=RATINGS)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.filter(pk=evaluation.pk).update(teamwork=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(placement=ended, evaluator=employer, **RATINGS)


def test_evaluations_due_lists_ended_placements_without_one(ended, employer, other_employer):
    assert [p.pk for p in selectors.evaluations_due(user=employer)] == [ended.pk]
    assert list(selectors.evaluations_due(user=other_employer)) == []


# --- Reflections ----------------------------------------------------------------------------------


def test_the_student_reflects_on_a_placement_and_their_counselor_reads_it(
    placement, profile, counselor, other_counselor
):
    CounselorProfileFactory(user=counselor, schools=[profile.school])
    CounselorProfileFactory(user=other_counselor)

    reflection = services.reflection_write(
        student=profile,
        placement=placement,
        what_i_did="Checked in patients.",
        what_i_learned="How triage works.",
    )
    again = services.reflection_write(
        student=profile, placement=placement, what_i_did="More.", what_i_learned="Even more."
    )

    assert again.pk == reflection.pk
    assert Reflection.objects.get().what_i_learned == "Even more."
    assert [r.pk for r in selectors.reflections_visible_to(counselor)] == [reflection.pk]
    assert list(selectors.reflections_visible_to(other_counselor)) == []
    assert permissions.can_view_reflection(counselor, reflection)
    assert not permissions.can_view_reflection(placement.supervisor.user, reflection)


def test_a_reflection_before_the_experience_is_refused(profile, org):
    opportunity = OpportunityFactory(organization=org)
    application = ApplicationFactory(
        student=profile, opportunity=opportunity, status=ApplicationStatus.ACCEPTED
    )
    with pytest.raises(WorkbasedError, match="once the experience has started"):
        services.reflection_write(
            student=profile, application=application, what_i_did="x", what_i_learned="y"
        )


def test_a_student_cannot_reflect_on_someone_elses_placement(placement):
    with pytest.raises(NotAllowed):
        services.reflection_write(
            student=StudentProfileFactory(), placement=placement, what_i_did="x", what_i_learned="y"
        )


def test_the_database_keeps_a_reflection_about_one_thing(placement, profile):
    with pytest.raises(IntegrityError), transaction.atomic():
        Reflection.objects.create(student=profile, what_i_did="x", what_i_learned="y")


# --- Attendance -----------------------------------------------------------------------------------


def test_the_host_records_who_attended_a_one_day_event(org, host, employer, profile):
    event = OpportunityFactory(organization=org, host=host, sessions=[(at(0, 0, 1), at(0, 23))])
    ApplicationFactory(student=profile, opportunity=event, status=ApplicationStatus.ACCEPTED)
    other = ApplicationFactory(opportunity=event, status=ApplicationStatus.ACCEPTED).student
    session = event.sessions.get()

    services.attendance_record(session=session, by=employer, present=[profile, other])
    services.attendance_record(session=session, by=employer, present=[profile])

    assert list(Attendance.objects.values_list("student_id", flat=True)) == [profile.pk]
    assert [s.pk for s in selectors.wbl_participants()] == [profile.pk]


def test_attendance_of_someone_not_accepted_is_refused(org, employer):
    event = OpportunityFactory(organization=org, sessions=[(at(0, 0, 1), at(0, 23))])
    with pytest.raises(AttendanceError, match="not accepted"):
        services.attendance_record(
            session=event.sessions.get(), by=employer, present=[StudentProfileFactory()]
        )


def test_attendance_is_for_one_day_events_that_started(org, employer):
    internship = InternshipFactory(organization=org)
    with pytest.raises(AttendanceError, match="one-day events"):
        services.attendance_record(session=internship.sessions.get(), by=employer, present=[])
    later = OpportunityFactory(organization=org)
    with pytest.raises(AttendanceError, match="once the session has started"):
        services.attendance_record(session=later.sessions.get(), by=employer, present=[])


def test_another_organization_cannot_record_attendance(org, other_employer, other_org):
    event = OpportunityFactory(organization=org, sessions=[(at(0, 0, 1), at(0, 23))])
    with pytest.raises(NotAllowed):
        services.attendance_record(session=event.sessions.get(), by=other_employer, present=[])


def test_an_evaluation_tells_the_student(ended, employer, profile):
    from cte_portal.notifications.models import Notification

    services.evaluation_submit(placement=ended, by=employer, ratings=RATINGS)

    [row] = Notification.objects.filter(kind="wbl_evaluation_given")
    assert row.email == profile.user.email
    assert row.link == f"/opportunities/mine/placements/{ended.pk}/"
    assert "Harbor Health" in row.body_text
