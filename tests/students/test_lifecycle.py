"""The enrollment lifecycle beyond requests and decisions: the wait list taking raised seats
(wherever staff raise them), completing a pathway, who ended an enrollment, and the entry
grades of a change of pathway."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.db.models.signals import pre_save
from django.urls import reverse

from cte_portal.notifications.models import Notification
from pathways import services as catalogue
from pathways.models import Offering
from students import services
from students.models import Enrollment
from students.services import EnrollmentError
from tests.factories.pathways import OfferingFactory, PathwayFactory
from tests.factories.students import EnrollmentFactory, StudentProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_offering(counselor):
    """Two seats taken, three wait-listed (requested in the order a, b, c)."""
    offering = OfferingFactory(seats=2)
    requests = [
        EnrollmentFactory(offering=offering, student__school=offering.school) for _ in range(5)
    ]
    for enrollment in reversed(requests):  # decided in reverse: the queue keeps request order
        services.enrollment_approve(enrollment=enrollment, by=counselor)
    Notification.objects.all().delete()
    return offering, requests


def _states(requests):
    return [
        Enrollment.objects.values_list("status", "waitlist_position").get(pk=e.pk) for e in requests
    ]


def _offering_form(offering, **changes):
    """The back office's change form of ``offering`` as the browser would post it."""
    return {
        "pathway": offering.pathway_id,
        "school": offering.school_id,
        "school_year": offering.school_year,
        "schedule": offering.schedule,
        "schedule_note": offering.schedule_note,
        "seats": offering.seats,
        "open_for_enrollment": "on",
        **changes,
    }


def test_waitlist_positions_follow_request_order(full_offering):
    _offering, requests = full_offering
    assert _states(requests) == [
        ("waitlisted", 1),
        ("waitlisted", 2),
        ("waitlisted", 3),
        ("approved", None),
        ("approved", None),
    ]


def test_raising_seats_through_the_service_promotes_the_wait_list_in_order(
    full_offering, staff, counselor
):
    offering, requests = full_offering

    catalogue.offering_update(offering=offering, actor=staff, seats=4)

    assert _states(requests) == [
        ("approved", None),
        ("approved", None),
        ("waitlisted", 1),
        ("approved", None),
        ("approved", None),
    ]
    assert Offering.objects.get(pk=offering.pk).seats_filled == 4
    assert sorted(Notification.objects.values_list("user_id", "kind", "event_key")) == sorted(
        (e.student.user_id, "enrollment_decided", f"enrollment:{e.pk}:approved:0")
        for e in requests[:2]
    )
    # The promotion stands on the counselor's decision, as after a withdrawal.
    assert Enrollment.objects.get(pk=requests[0].pk).decided_by == counselor


def test_raising_seats_through_the_api_promotes_and_answers_the_new_count(
    full_offering, client, staff, token_for
):
    offering, requests = full_offering

    response = client.patch(
        reverse("api:offering-detail", args=[offering.pk]),
        {"seats": 3},
        content_type="application/json",
        headers=token_for(staff),
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["seats_filled"], response.json()["seats_left"]) == (3, 0)
    assert _states(requests)[:3] == [("approved", None), ("waitlisted", 1), ("waitlisted", 2)]


def test_raising_seats_in_the_back_office_promotes_the_wait_list(full_offering, client, staff):
    offering, requests = full_offering
    client.force_login(staff)
    url = reverse("admin:pathways_offering_change", args=[offering.pk])
    form = _offering_form(offering, seats=10)

    response = client.post(url, form)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert [s for s, _p in _states(requests)] == ["approved"] * 5
    assert Notification.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_lowering_seats_in_the_back_office_while_a_counselor_approves_keeps_every_seat(
    counselor, staff, client
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    offering = OfferingFactory(seats=3)
    for _ in range(2):
        services.enrollment_approve(
            enrollment=EnrollmentFactory(offering=offering, student__school=offering.school),
            by=counselor,
        )
    last = EnrollmentFactory(offering=offering, student__school=offering.school)
    approved = threading.Event()

    def approve() -> None:
        try:
            services.enrollment_approve(enrollment=Enrollment.objects.get(pk=last.pk), by=counselor)
        finally:
            connection.close()
            approved.set()

    def approve_while_the_back_office_saves(sender, instance, **kwargs) -> None:
        # The counselor approves the last seat just as staff's change is being saved: it
        # waits for the offering's lock (given a second; without the lock it lands first).
        if not approved.is_set() and not hasattr(approve, "started"):
            approve.started = True
            threading.Thread(target=approve).start()
            approved.wait(timeout=1)

    client.force_login(staff)
    form = _offering_form(offering, seats=2)
    pre_save.connect(approve_while_the_back_office_saves, sender=Offering)
    try:
        response = client.post(reverse("admin:pathways_offering_change", args=[offering.pk]), form)
    finally:
        pre_save.disconnect(approve_while_the_back_office_saves, sender=Offering)
    assert approved.wait(timeout=30)

    assert response.status_code == 302
    assert Offering.objects.values_list("seats", "seats_filled").get(pk=offering.pk) == (2, 2)
    assert Enrollment.objects.get(pk=last.pk).status == "waitlisted"


def test_the_back_office_cannot_lower_seats_below_those_filled(full_offering, client, staff):
    offering, _requests = full_offering
    client.force_login(staff)
    form = _offering_form(offering, seats=1)

    response = client.post(reverse("admin:pathways_offering_change", args=[offering.pk]), form)

    assert response.status_code == 200
    assert "2 seats are already taken: the offering cannot have fewer seats." in (
        response.content.decode()
    )
    assert Offering.objects.values_list("seats", "seats_filled").get(pk=offering.pk) == (2, 2)


def test_lowering_or_keeping_seats_promotes_nobody(full_offering, staff):
    offering, requests = full_offering

    catalogue.offering_update(offering=offering, actor=staff, schedule_note="Room 204")

    assert [s for s, _p in _states(requests)][:3] == ["waitlisted"] * 3
    assert Notification.objects.count() == 0


def test_withdrawal_records_who_withdrew(full_offering, counselor):
    _offering, requests = full_offering
    seated = Enrollment.objects.get(pk=requests[3].pk)

    services.enrollment_withdraw(enrollment=seated, by=seated.student.user)
    services.enrollment_withdraw(enrollment=requests[2], by=counselor)

    assert Enrollment.objects.get(pk=seated.pk).ended_by == seated.student.user
    assert Enrollment.objects.get(pk=requests[2].pk).ended_by == counselor


# --- Completing a pathway ----------------------------------------------------------------


def test_complete_enrollment_records_who_and_when_and_frees_the_seat(full_offering, counselor):
    offering, requests = full_offering
    seated = Enrollment.objects.get(pk=requests[3].pk)

    done = services.complete_enrollment(enrollment=seated, by=counselor)

    done.refresh_from_db()
    assert (done.status, done.ended_by, done.ended_at is not None) == ("completed", counselor, True)
    assert Enrollment.objects.get(pk=requests[0].pk).status == "approved"  # the seat moved on
    assert Offering.objects.get(pk=offering.pk).seats_filled == 2


@pytest.mark.parametrize("status", ["requested", "waitlisted", "declined", "withdrawn"])
def test_only_an_approved_enrollment_can_be_completed(counselor, status):
    extra = {"waitlist_position": 1} if status == "waitlisted" else {}
    if status == "declined":
        extra["decline_reason"] = "Full"
    enrollment = EnrollmentFactory(status=status, **extra)

    with pytest.raises(EnrollmentError, match="Only a student in the pathway"):
        services.enrollment_complete(enrollment=enrollment, by=counselor)

    assert Enrollment.objects.get(pk=enrollment.pk).status == status


# --- The entry grades of a change of pathway -----------------------------------------------


@pytest.fixture
def junior_in_a_pathway(counselor):
    """A grade-11 student in a pathway; another pathway at the school takes grades 9-10."""
    offering = OfferingFactory()
    profile = StudentProfileFactory(school=offering.school, grade=9)
    services.enrollment_approve(
        enrollment=services.enrollment_request(student=profile, offering=offering), by=counselor
    )
    profile.grade = 11
    profile.save()
    target = OfferingFactory(
        school=offering.school, pathway=PathwayFactory(entry_grade_min=9, entry_grade_max=10)
    )
    return profile, target


def test_change_request_past_the_entry_grades_is_refused_saying_why(junior_in_a_pathway):
    profile, target = junior_in_a_pathway

    with pytest.raises(EnrollmentError) as refused:
        services.pathway_change_request(student=profile, offering=target)

    assert str(refused.value) == (
        "This pathway takes students entering in Grades 9\N{EN DASH}10 and you are in grade 11: a "
        "change of pathway follows the same entry grades. Ask your counselor which pathways "
        "are open to your grade."
    )
    assert not Enrollment.objects.filter(offering=target).exists()


def test_change_request_past_the_entry_grades_allowed_by_the_setting(junior_in_a_pathway, settings):
    settings.STUDENTS_CHANGE_GRADES_PAST_ENTRY = True
    profile, target = junior_in_a_pathway

    change = services.pathway_change_request(student=profile, offering=target)

    assert (change.status, change.replaces.student_id) == ("requested", profile.pk)


def test_the_setting_never_opens_a_first_request_past_the_entry_grades(settings):
    settings.STUDENTS_CHANGE_GRADES_PAST_ENTRY = True
    offering = OfferingFactory(pathway=PathwayFactory(entry_grade_min=9, entry_grade_max=10))
    profile = StudentProfileFactory(school=offering.school, grade=12)

    with pytest.raises(EnrollmentError, match="entering"):
        services.enrollment_request(student=profile, offering=offering)


def test_saving_an_offering_never_writes_back_an_old_seat_count(counselor, staff):
    offering = OfferingFactory(seats=5)
    read_before = Offering.objects.get(pk=offering.pk)  # a page opened before the approval
    services.enrollment_approve(
        enrollment=EnrollmentFactory(offering=offering, student__school=offering.school),
        by=counselor,
    )

    read_before.schedule_note = "Room 204"
    read_before.save()
    catalogue.offering_update(offering=read_before, actor=staff, seats=6)

    assert Offering.objects.values_list("seats", "seats_filled").get(pk=offering.pk) == (6, 1)
    assert read_before.seats_filled == 1
