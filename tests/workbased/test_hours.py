"""Logging hours, the child-labor limits for students under 16, and the supervisor's review in
the portal, by the e-mailed link, and in the weekly list."""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cte_portal.notifications.models import Notification
from tests.factories.partners import ContactFactory
from tests.factories.workbased import HoursLogFactory, PlacementFactory
from tests.workbased.conftest import outbox, years_ago
from workbased import services, tokens
from workbased.enums import HoursStatus, ReviewedVia
from workbased.errors import ChildLaborLimit, HoursError, NotAllowed
from workbased.models import HoursLog

pytestmark = pytest.mark.django_db


def monday_weeks_ago(weeks: int) -> date:
    today = timezone.localdate()
    return today - timedelta(days=today.weekday()) - timedelta(weeks=weeks)


@pytest.fixture
def placement(profile, org, host):
    start = monday_weeks_ago(3)
    return PlacementFactory(
        application__student=profile,
        application__opportunity__organization=org,
        application__opportunity__host=host,
        supervisor=host,
        starts_on=start,
        ends_on=start + timedelta(days=60),
    )


def log(placement, day, start, end, *, hours=None, activities="Helped at the front desk."):
    return services.hours_log(
        placement=placement,
        by=placement.application.student.user,
        date=day,
        start_time=start,
        end_time=end,
        activities=activities,
        hours=hours,
    )


# --- Logging --------------------------------------------------------------------------------------


def test_a_log_counts_the_hours_between_start_and_end(placement):
    entry = log(placement, monday_weeks_ago(1), time(15, 0), time(17, 30))
    assert (entry.hours, entry.status) == (Decimal("2.50"), HoursStatus.PENDING)


def test_a_log_may_count_less_than_its_span_but_not_more(placement):
    wednesday = monday_weeks_ago(1) + timedelta(days=2)
    assert log(placement, wednesday, time(15), time(17), hours=Decimal("1.5")).hours == Decimal(
        "1.50"
    )
    with pytest.raises(HoursError, match="at most that"):
        log(placement, wednesday + timedelta(days=1), time(15), time(16), hours=Decimal("2"))


@pytest.mark.parametrize(
    ("day", "start", "end", "words"),
    [
        (
            lambda: timezone.localdate() + timedelta(days=1),
            time(15),
            time(16),
            "after they are worked",
        ),
        (lambda: monday_weeks_ago(5), time(15), time(16), "The placement runs from"),
        (lambda: monday_weeks_ago(1), time(16), time(15), "end time must be after"),
    ],
)
def test_a_log_is_refused_with_the_reason(placement, day, start, end, words):
    with pytest.raises(HoursError, match=words):
        log(placement, day(), start, end)
    assert HoursLog.objects.count() == 0


def test_overlapping_entries_are_refused(placement):
    monday = monday_weeks_ago(1)
    log(placement, monday, time(15), time(16))
    with pytest.raises(HoursError, match="cannot overlap"):
        log(placement, monday, time(15, 30), time(16, 30))


def test_only_the_student_logs_their_hours(placement, other_student, employer):
    for someone in (other_student, employer):
        with pytest.raises(NotAllowed):
            services.hours_log(
                placement=placement,
                by=someone,
                date=monday_weeks_ago(1),
                start_time=time(15),
                end_time=time(16),
                activities="x",
            )


def test_the_database_refuses_zero_hours_and_backwards_times(placement):
    entry = log(placement, monday_weeks_ago(1), time(15), time(16))
    with pytest.raises(IntegrityError), transaction.atomic():
        HoursLog.objects.filter(pk=entry.pk).update(hours=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        HoursLog.objects.filter(pk=entry.pk).update(end_time=time(14))


# --- Child-labor limits (under 16) ----------------------------------------------------------------


def test_under_16_at_most_3_hours_on_a_school_day(placement):
    wednesday = monday_weeks_ago(1) + timedelta(days=2)
    with pytest.raises(ChildLaborLimit, match=r"school day.*at most 3 hours") as refused:
        log(placement, wednesday, time(14), time(17, 30))
    assert refused.value.limit == "school_day"

    log(placement, wednesday, time(14), time(16))
    with pytest.raises(ChildLaborLimit, match=r"would have 3.5 hours"):
        log(placement, wednesday, time(16), time(17, 30))
    assert HoursLog.objects.count() == 1


@pytest.mark.parametrize(("start", "end"), [(time(6, 30), time(8)), (time(20), time(21, 30))])
def test_under_16_only_between_7_am_and_7_pm(placement, start, end):
    # (21:30 is late all year: from June 1 through Labor Day the limit is 9 p.m.)
    saturday = monday_weeks_ago(1) + timedelta(days=5)
    with pytest.raises(ChildLaborLimit, match=r"only between 7 a.m. and [79] p.m.") as refused:
        log(placement, saturday, start, end)
    assert refused.value.limit == "time_of_day"


@pytest.mark.parametrize(("start", "end"), [(time(7), time(10)), (time(16), time(19))])
def test_under_16_a_shift_on_the_edges_of_7_am_and_7_pm_is_allowed(placement, start, end):
    saturday = monday_weeks_ago(1) + timedelta(days=5)
    assert log(placement, saturday, start, end).hours == Decimal("3.00")


def test_under_16_a_shift_crossing_7_pm_is_refused_outside_summer(profile, org, host):
    year = timezone.localdate().year - 1
    autumn = PlacementFactory(
        application__student=profile,
        application__opportunity__organization=org,
        supervisor=host,
        starts_on=date(year, 10, 1),
        ends_on=date(year, 11, 30),
    )
    saturday = date(year, 11, 1) + timedelta(days=(5 - date(year, 11, 1).weekday()) % 7)
    with pytest.raises(ChildLaborLimit, match=r"from 5 p.m. to 7:30 p.m.*7 a.m. and 7 p.m."):
        log(autumn, saturday, time(17), time(19, 30))
    assert log(autumn, saturday, time(16), time(19)).hours == Decimal("3.00")


def test_under_16_until_9_pm_from_june_1_through_labor_day(profile, org, host):
    year = timezone.localdate().year - 1
    summer = PlacementFactory(
        application__student=profile,
        application__opportunity__organization=org,
        supervisor=host,
        starts_on=date(year, 6, 1),
        ends_on=date(year, 9, 30),
    )
    july_saturday = date(year, 7, 1) + timedelta(days=(5 - date(year, 7, 1).weekday()) % 7)
    log(summer, july_saturday, time(18), time(21))
    late_september = date(year, 9, 27)
    with pytest.raises(ChildLaborLimit, match=r"7 p.m."):
        log(summer, late_september, time(18), time(20))


def test_under_16_at_most_8_hours_on_a_day_without_school(placement):
    saturday = monday_weeks_ago(1) + timedelta(days=5)
    with pytest.raises(ChildLaborLimit, match=r"without school.*at most 8 hours") as refused:
        log(placement, saturday, time(8), time(17))
    assert refused.value.limit == "non_school_day"
    log(placement, saturday, time(9), time(17))


def test_under_16_at_most_18_hours_in_a_school_week(placement):
    monday = monday_weeks_ago(1)
    for offset in range(5):  # 3 h a school day: 15 h
        log(placement, monday + timedelta(days=offset), time(15), time(18))
    log(placement, monday + timedelta(days=5), time(9), time(12))  # Saturday: 18 h
    with pytest.raises(ChildLaborLimit, match=r"school week.*at most 18 hours") as refused:
        log(placement, monday + timedelta(days=6), time(9), time(10))
    assert refused.value.limit == "school_week"
    assert "19 hours" in refused.value.message


def test_under_16_at_most_40_hours_in_a_week_without_school(placement, settings):
    monday = monday_weeks_ago(1)
    settings.WORKBASED_SCHOOL_BREAKS = [
        (monday.isoformat(), (monday + timedelta(days=6)).isoformat())
    ]
    for offset in range(5):
        log(placement, monday + timedelta(days=offset), time(9), time(17))  # 8 h: 40 h
    with pytest.raises(ChildLaborLimit, match=r"week without school.*at most 40 hours") as refused:
        log(placement, monday + timedelta(days=5), time(9), time(10))
    assert refused.value.limit == "non_school_week"


def test_rejected_hours_do_not_count_toward_the_limits(placement, employer):
    wednesday = monday_weeks_ago(1) + timedelta(days=2)
    entry = log(placement, wednesday, time(14), time(17))
    services.hours_reject(hours=entry, by=employer, note="You were not on shift that day.")
    log(placement, wednesday, time(14), time(17))


def test_a_16_year_old_is_not_limited(placement, profile):
    profile.date_of_birth = years_ago(16, days=60)
    profile.save()
    wednesday = monday_weeks_ago(1) + timedelta(days=2)
    entry = log(placement, wednesday, time(6), time(11, 30))
    assert entry.hours == Decimal("5.50")


def test_an_unknown_birth_date_is_limited_on_the_safe_side(placement, profile):
    profile.date_of_birth = None
    profile.save()
    with pytest.raises(ChildLaborLimit):
        log(placement, monday_weeks_ago(1), time(6), time(11))


# --- Review in the portal -------------------------------------------------------------------------


def test_the_supervisor_approves_in_the_portal(placement, employer):
    entry = HoursLogFactory(placement=placement)
    approved = services.hours_approve(hours=entry, by=employer)
    assert (approved.status, approved.reviewed_by, approved.reviewed_via) == (
        HoursStatus.APPROVED,
        employer,
        ReviewedVia.PORTAL,
    )
    with pytest.raises(HoursError, match="already reviewed"):
        services.hours_reject(hours=entry, by=employer, note="no")


def test_a_colleague_at_the_host_and_staff_may_review_others_may_not(
    placement, org, other_employer, other_org, staff, student
):
    colleague = ContactFactory(organization=org).user
    first, second, third = (HoursLogFactory(placement=placement) for _ in range(3))
    for someone in (other_employer, student):
        with pytest.raises(NotAllowed):
            services.hours_approve(hours=first, by=someone)
    services.hours_approve(hours=first, by=colleague)
    services.hours_approve(hours=second, by=staff)
    with pytest.raises(HoursError, match="Say why"):
        services.hours_reject(hours=third, by=colleague, note=" ")


# --- The weekly list and the link -----------------------------------------------------------------


def review_token(nth: int = 0) -> str:
    row = Notification.objects.filter(kind="wbl_hours_waiting").order_by("pk")[nth]
    return re.search(r"/opportunities/hours/review/([^/\s]+)/", row.body_text).group(1)


def test_the_weekly_list_goes_once_a_week_to_each_supervisor(placement, org, employer):
    other_placement = PlacementFactory()  # another organization's supervisor
    HoursLogFactory(placement=placement)
    HoursLogFactory(placement=placement, date=timezone.localdate() - timedelta(days=2))
    HoursLogFactory(placement=placement, status=HoursStatus.APPROVED, reviewed_at=timezone.now())
    HoursLogFactory(placement=other_placement)
    monday = monday_weeks_ago(0)

    assert services.hours_waiting_digest(today=monday) == 2
    assert services.hours_waiting_digest(today=monday + timedelta(days=3)) == 2  # same week

    assert outbox("wbl_hours_waiting") == sorted(
        [employer.email, other_placement.supervisor.user.email]
    )
    mine = Notification.objects.get(kind="wbl_hours_waiting", email=employer.email)
    assert mine.subject == "2 entries of student hours wait for your approval"
    assert mine.body_text.count("/opportunities/hours/review/") == 2

    services.hours_waiting_digest(today=monday + timedelta(days=7))
    assert len(outbox("wbl_hours_waiting")) == 4  # the next week, again


def test_approve_by_link_without_signing_in(placement, employer):
    entry = HoursLogFactory(placement=placement)
    services.hours_waiting_digest()

    approved = services.hours_review_by_token(token=review_token(), approve=True)

    assert (approved.status, approved.reviewed_by, approved.reviewed_via) == (
        HoursStatus.APPROVED,
        employer,
        ReviewedVia.LINK,
    )
    assert approved.pk == entry.pk
    # A second click changes nothing; the other answer is refused.
    assert services.hours_review_by_token(token=review_token(), approve=True).pk == entry.pk
    with pytest.raises(HoursError, match="already reviewed"):
        services.hours_review_by_token(token=review_token(), approve=False, note="no")


def test_reject_by_link_keeps_the_note(placement):
    HoursLogFactory(placement=placement)
    services.hours_waiting_digest()
    rejected = services.hours_review_by_token(
        token=review_token(), approve=False, note="That was a holiday."
    )
    assert (rejected.status, rejected.review_note) == (HoursStatus.REJECTED, "That was a holiday.")


def test_a_tampered_link_is_refused(placement):
    HoursLogFactory(placement=placement)
    services.hours_waiting_digest()
    token = review_token()
    for bad in (token[:-3] + "xyz", token.replace(":", ";", 1), "nope"):
        with pytest.raises(tokens.TokenInvalid):
            services.hours_review_by_token(token=bad, approve=True)
    assert HoursLog.objects.get().status == HoursStatus.PENDING


def test_a_link_stops_working_when_the_supervisor_changes(placement, org):
    HoursLogFactory(placement=placement)
    services.hours_waiting_digest()
    placement.supervisor = ContactFactory(organization=org)
    placement.save()
    with pytest.raises(tokens.TokenInvalid, match="no longer works"):
        services.hours_review_by_token(token=review_token(), approve=True)


def test_rejected_hours_tell_the_student_with_the_reason(placement, employer, profile):
    wednesday = monday_weeks_ago(1) + timedelta(days=2)
    entry = log(placement, wednesday, time(14), time(17))

    services.hours_reject(hours=entry, by=employer, note="You were not on shift that day.")

    assert outbox("wbl_hours_rejected") == [profile.user.email]
    row = Notification.objects.get(kind="wbl_hours_rejected")
    assert "You were not on shift that day." in row.body_text
    assert "did not approve the 3.00 hours" in row.body_text
    assert row.link == f"/opportunities/mine/placements/{placement.pk}/"


def test_rejected_by_link_tells_the_student_and_approved_hours_tell_nobody(placement, employer):
    HoursLogFactory(placement=placement)
    approved = HoursLogFactory(placement=placement, date=timezone.localdate() - timedelta(days=3))
    services.hours_approve(hours=approved, by=employer)
    services.hours_waiting_digest()

    services.hours_review_by_token(token=review_token(), approve=False, note="A holiday.")

    [row] = Notification.objects.filter(kind="wbl_hours_rejected")
    assert "A holiday." in row.body_text
