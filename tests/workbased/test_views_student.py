"""A student's own work-based learning pages, with another student's records that exist and
must never appear (their application, placement, hours and reflection answer 404)."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone

from tests.factories.students import CounselorProfileFactory, StudentProfileFactory
from tests.factories.workbased import (
    ApplicationFactory,
    HoursLogFactory,
    InternshipFactory,
    OpportunityFactory,
    PlacementFactory,
    at,
)
from tests.workbased.conftest import outbox
from workbased import labor, services
from workbased.enums import ApplicationStatus, ConsentState, HoursStatus
from workbased.models import Application, Attendance, Evaluation, HoursLog, Reflection

pytestmark = pytest.mark.django_db

MINE = reverse("workbased:mine")


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def theirs(other_student, org):
    """Ben's record with an application, a placement with hours, and a reflection."""
    ben = StudentProfileFactory(user=other_student, district_id="THEIRS01")
    application = ApplicationFactory(
        student=ben,
        opportunity=OpportunityFactory(organization=org, title="Their Secret Talk"),
        statement="THEIR-STATEMENT",
    )
    placement = PlacementFactory(
        application=ApplicationFactory(
            student=ben,
            status=ApplicationStatus.ACCEPTED,
            opportunity=InternshipFactory(
                organization=org,
                title="Their Internship",
                sessions=[(at(-30, 9), at(30, 17))],
            ),
        )
    )
    hours = HoursLogFactory(placement=placement, activities="THEIR-HOURS")
    reflection = Reflection.objects.create(
        student=ben, placement=placement, what_i_did="THEIR-REFLECTION", what_i_learned="x"
    )
    return {
        "application": application,
        "placement": placement,
        "hours": hours,
        "reflection": reflection,
    }


@pytest.fixture
def placement(profile, org, host):
    """Ana's internship with the employer, a month in, a month to go."""
    internship = InternshipFactory(
        organization=org, host=host, title="Clinic internship", sessions=[(at(-30, 9), at(30, 17))]
    )
    return PlacementFactory(
        application=ApplicationFactory(
            student=profile, opportunity=internship, status=ApplicationStatus.ACCEPTED
        ),
        supervisor=host,
    )


def test_my_page_shows_my_applications_placements_and_evaluations(
    client_for, profile, org, placement, theirs, employer
):
    mine = ApplicationFactory(
        student=profile,
        opportunity=OpportunityFactory(organization=org, title="My Career Day"),
        status=ApplicationStatus.DECLINED,
        decline_reason="Every seat went to seniors.",
    )
    HoursLogFactory(placement=placement, status=HoursStatus.APPROVED, reviewed_at=timezone.now())
    done = PlacementFactory(
        application=ApplicationFactory(
            student=profile,
            status=ApplicationStatus.ACCEPTED,
            opportunity=InternshipFactory(organization=org, title="Done internship", sessions=[]),
        ),
        ends_on=timezone.localdate() - timedelta(days=1),
    )
    Evaluation.objects.create(
        placement=done,
        evaluator=employer,
        communication=4,
        teamwork=3,
        problem_solving=2,
        professionalism=4,
        technical_skill=1,
        comments="Great listener.",
    )

    response = client_for(profile.user).get(MINE)

    html = page(response)
    wbl = response.context["wbl"]
    assert {a.pk for a in wbl.applications} == {
        mine.pk,
        placement.application_id,
        done.application_id,
    }
    assert [p.pk for p in wbl.placements] == [placement.pk, done.pk]
    assert "My Career Day" in html and "Every seat went to seniors." in html
    assert "Clinic internship" in html and "2 approved" in html and "(target 80)" in html
    assert "4: Exemplary" in html and "1: Beginning" in html and "Great listener." in html
    for leak in ("Their Secret Talk", "Their Internship", "THEIR-STATEMENT", "THEIR-REFLECTION"):
        assert leak not in html


def test_my_page_without_a_record_says_to_ask_the_counselor(client_for, student):
    html = page(client_for(student).get(MINE))
    assert "You have no student record yet" in html


def test_my_page_shows_the_guardian_consent_state_and_resend(client_for, profile, org):
    application = ApplicationFactory(
        student=profile,
        opportunity=OpportunityFactory(organization=org, needs_guardian_consent=True),
        guardian_consent=ConsentState.PENDING,
    )

    html = page(client_for(profile.user).get(MINE))

    assert "Waiting for the guardian" in html
    assert reverse("workbased:consent_resend", args=[application.pk]) in html


def test_my_page_shows_my_calendar_feed_and_it_works(client_for, client, profile, org, placement):
    response = client_for(profile.user).get(MINE)
    feed = response.context["feed_url"]

    assert f'value="{feed}"' in page(response)
    assert feed.startswith(settings.PORTAL_BASE_URL + "/opportunities/calendar/")
    calendar = client.get(feed.removeprefix(settings.PORTAL_BASE_URL))
    assert calendar.status_code == 200
    assert calendar["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Clinic internship" in calendar.content.decode()


def test_my_page_query_count(query_budget, profile, org):
    def grow(n):
        for _ in range(n):
            placement = PlacementFactory(
                application=ApplicationFactory(
                    student=profile,
                    status=ApplicationStatus.ACCEPTED,
                    opportunity=InternshipFactory(
                        organization=org, sessions=[(at(-9, 9), at(9, 17))]
                    ),
                )
            )
            HoursLogFactory(placement=placement)
            Reflection.objects.create(
                student=profile, placement=placement, what_i_did="a", what_i_learned="b"
            )

    # session, user, profile, applications, placements (hours summed), attendance,
    # reflections, evaluations, unread count, the calendar feed's key
    query_budget(MINE, max_queries=10, grow=grow, user=profile.user)


# --- Withdrawing, asking the guardian again -------------------------------------------------------


def test_i_withdraw_my_application(client_for, profile, org):
    application = ApplicationFactory(
        student=profile, opportunity=OpportunityFactory(organization=org)
    )
    url = reverse("workbased:application_withdraw", args=[application.pk])
    client = client_for(profile.user)

    assert "This cannot be undone." in page(client.get(url))
    response = client.post(url)

    assert response.status_code == 302 and response["Location"] == MINE
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


def test_another_students_application_is_not_found(client_for, profile, theirs):
    url = reverse("workbased:application_withdraw", args=[theirs["application"].pk])

    assert client_for(profile.user).get(url).status_code == 404
    assert client_for(profile.user).post(url).status_code == 404
    theirs["application"].refresh_from_db()
    assert theirs["application"].status == ApplicationStatus.SUBMITTED


def test_their_counselor_withdraws_for_them(client_for, counselor, theirs):
    CounselorProfileFactory(user=counselor, schools=[theirs["application"].student.school])
    url = reverse("workbased:application_withdraw", args=[theirs["application"].pk])

    response = client_for(counselor).post(url)

    assert response.status_code == 302 and response["Location"] == reverse("workbased:students")
    assert Application.objects.get(pk=theirs["application"].pk).status == "withdrawn"


def test_withdrawing_twice_says_it_has_ended(client_for, profile, org):
    application = ApplicationFactory(
        student=profile,
        opportunity=OpportunityFactory(organization=org),
        status=ApplicationStatus.WITHDRAWN,
    )

    html = page(
        client_for(profile.user).post(
            reverse("workbased:application_withdraw", args=[application.pk])
        )
    )

    assert "This application has already ended." in html


def test_asking_the_guardian_again_sends_a_new_link(client_for, profile, org):
    opportunity = OpportunityFactory(organization=org, needs_guardian_consent=True)
    application = services.application_submit(
        student=profile, opportunity=opportunity, statement="Please."
    )

    response = client_for(profile.user).post(
        reverse("workbased:consent_resend", args=[application.pk]), follow=True
    )

    assert "A new consent link is on its way to gloria.guardian@family.example." in page(response)
    assert outbox("wbl_consent_request") == ["gloria.guardian@family.example"] * 2


# --- Hours ------------------------------------------------------------------------------------


def hours_url(placement) -> str:
    return reverse("workbased:placement", args=[placement.pk])


def test_i_log_hours_for_my_supervisor(client_for, profile, placement):
    day = timezone.localdate() - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    response = client_for(profile.user).post(
        hours_url(placement),
        {
            "date": day.isoformat(),
            "start_time": "15:00",
            "end_time": "17:00",
            "activities": "Filed charts.",
        },
    )

    assert response.status_code == 302
    log = HoursLog.objects.get()
    assert (log.placement_id, log.date, log.hours, log.activities) == (
        placement.pk,
        day,
        Decimal("2.00"),
        "Filed charts.",
    )


def test_a_child_labor_limit_is_a_form_error_that_keeps_the_input(client_for, profile, placement):
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 7)
    typed = {
        "date": monday.isoformat(),
        "start_time": "13:00",
        "end_time": "17:30",
        "activities": "A long afternoon at the front desk.",
    }

    response = client_for(profile.user).post(hours_url(placement), typed)

    html = page(response)
    assert "3 hours" in html  # the reason, from the service
    assert 'value="13:00"' in html and 'value="17:30"' in html
    assert f'value="{monday.isoformat()}"' in html
    assert "A long afternoon at the front desk." in html
    assert HoursLog.objects.count() == 0


def test_a_shift_too_late_in_the_evening_is_refused_on_the_form_with_the_reason(
    client_for, profile, placement
):
    saturday = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 2)
    response = client_for(profile.user).post(
        hours_url(placement),
        {
            "date": saturday.isoformat(),
            "start_time": "19:30",
            "end_time": "21:30",
            "activities": "Closing shift.",
        },
    )

    latest = formats.time_format(labor.latest_end(saturday))  # 7 p.m. (9 p.m. in summer)
    assert response.context["form"].non_field_errors() == [
        "This entry runs from 7:30 p.m. to 9:30 p.m., but students under 16 may work only "
        f"between 7 a.m. and {latest} on {formats.date_format(saturday)}."
    ]
    assert HoursLog.objects.count() == 0


def test_a_field_refusal_sits_on_its_field(client_for, profile, placement):
    response = client_for(profile.user).post(
        hours_url(placement),
        {
            "date": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "start_time": "15:00",
            "end_time": "16:00",
            "activities": "Tomorrow's work.",
        },
    )

    assert response.context["form"].errors == {
        "date": ["Hours are logged after they are worked, not before."]
    }


def test_my_placement_page_lists_my_hours_with_the_supervisors_note(client_for, profile, placement):
    HoursLogFactory(
        placement=placement,
        status=HoursStatus.REJECTED,
        reviewed_at=timezone.now(),
        review_note="You were not on shift that day.",
        start_time=time(9, 0),
        end_time=time(10, 0),
    )

    html = page(client_for(profile.user).get(hours_url(placement)))

    assert "Rejected" in html and "You were not on shift that day." in html
    assert "Students under 16 may work only between 7 a.m. and 7 p.m." in html  # Ana is 15


def test_another_students_placement_is_not_found(client_for, profile, theirs):
    url = hours_url(theirs["placement"])
    assert client_for(profile.user).get(url).status_code == 404
    assert client_for(profile.user).post(url, {"date": "2026-01-05"}).status_code == 404


# --- Reflections ------------------------------------------------------------------------------


def test_i_write_then_rewrite_my_reflection(client_for, profile, placement):
    url = reverse("workbased:reflection", args=["placement", placement.pk])
    client = client_for(profile.user)

    assert "Write my reflection" in page(client.get(MINE))
    client.post(url, {"what_i_did": "Checked in patients.", "what_i_learned": "Triage."})
    html = page(client.get(url))  # the form comes back with what was written
    assert "Checked in patients." in html
    client.post(url, {"what_i_did": "Checked in patients.", "what_i_learned": "Patience."})

    reflection = Reflection.objects.get()
    assert (reflection.placement_id, reflection.what_i_learned) == (placement.pk, "Patience.")
    assert "Read or change my reflection" in page(client.get(MINE))


def test_an_empty_reflection_is_refused_and_keeps_the_other_field(client_for, profile, placement):
    url = reverse("workbased:reflection", args=["placement", placement.pk])

    response = client_for(profile.user).post(url, {"what_i_did": "Filed.", "what_i_learned": ""})

    assert response.context["form"].errors == {"what_i_learned": ["Say what you learned."]}
    assert "Filed." in page(response)
    assert Reflection.objects.count() == 0


def test_i_reflect_on_an_event_i_attended(client_for, profile, org, host):
    event = OpportunityFactory(organization=org, sessions=[(at(-2, 9), at(-2, 11))])
    ApplicationFactory(student=profile, opportunity=event, status=ApplicationStatus.ACCEPTED)
    attendance = Attendance.objects.create(session=event.sessions.get(), student=profile)

    response = client_for(profile.user).post(
        reverse("workbased:reflection", args=["attendance", attendance.pk]),
        {"what_i_did": "Toured.", "what_i_learned": "A lot."},
    )

    assert response.status_code == 302
    assert Reflection.objects.get().attendance_id == attendance.pk


def test_another_students_experience_is_not_found(client_for, profile, theirs):
    client = client_for(profile.user)
    url = reverse("workbased:reflection", args=["placement", theirs["placement"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"what_i_did": "x", "what_i_learned": "y"}).status_code == 404
    assert client.get(reverse("workbased:reflection", args=["nonsense", 1])).status_code == 404
    assert Reflection.objects.get().what_i_did == "THEIR-REFLECTION"
