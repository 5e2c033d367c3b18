from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from cte_portal.notifications.models import Notification
from pathways.models import Offering
from students import selectors, services
from students.enums import CTEStatus, EnrollmentStatus
from students.models import Enrollment, ExploratoryWorkshop
from students.services import EnrollmentError, WorkshopError
from tests.factories.pathways import (
    CourseFactory,
    OfferingFactory,
    PathwayCourseFactory,
    PathwayFactory,
    SectorFactory,
)
from tests.factories.students import (
    CounselorProfileFactory,
    CourseRecordFactory,
    EnrollmentFactory,
    StudentProfileFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def offering():
    return OfferingFactory(seats=2)


@pytest.fixture
def profile(student, offering):
    return StudentProfileFactory(user=student, school=offering.school, grade=9)


def test_enrollment_request_at_own_school_is_requested(profile, offering):
    enrollment = services.enrollment_request(student=profile, offering=offering)
    assert enrollment.status == EnrollmentStatus.REQUESTED


def test_enrollment_request_refused_at_another_school(profile):
    with pytest.raises(EnrollmentError, match="own school"):
        services.enrollment_request(student=profile, offering=OfferingFactory())


def test_enrollment_request_refused_outside_entry_grades(profile, offering):
    profile.grade = 12
    profile.save()
    with pytest.raises(EnrollmentError, match="entering"):
        services.enrollment_request(student=profile, offering=offering)


def test_enrollment_request_refused_when_closed(profile, offering):
    offering.open_for_enrollment = False
    offering.save()
    with pytest.raises(EnrollmentError, match="not open"):
        services.enrollment_request(student=profile, offering=offering)


def test_enrollment_request_refused_with_an_active_pathway(profile, offering):
    services.enrollment_request(student=profile, offering=offering)
    other = OfferingFactory(school=offering.school)
    with pytest.raises(EnrollmentError, match="already"):
        services.enrollment_request(student=profile, offering=other)
    assert Enrollment.objects.filter(student=profile).count() == 1


def test_enrollment_approve_fills_seats_then_waitlists(offering, counselor):
    requests = [
        EnrollmentFactory(offering=offering, student__school=offering.school) for _ in range(4)
    ]
    for e in reversed(requests):  # decided in reverse order: the wait list keeps request order
        services.enrollment_approve(enrollment=e, by=counselor)
    statuses = [(e.status, e.waitlist_position) for e in Enrollment.objects.order_by("pk")]
    assert statuses == [
        ("waitlisted", 1),
        ("waitlisted", 2),
        ("approved", None),
        ("approved", None),
    ]
    offering.refresh_from_db()
    assert offering.seats_filled == 2


def test_enrollment_withdraw_promotes_next_and_notifies(offering, counselor):
    a, b, c = (
        EnrollmentFactory(offering=offering, student__school=offering.school) for _ in range(3)
    )
    for e in (a, b, c):
        services.enrollment_approve(enrollment=e, by=counselor)
    Notification.objects.all().delete()

    services.enrollment_withdraw(enrollment=a, by=a.student.user)

    c.refresh_from_db()
    assert (c.status, c.waitlist_position) == ("approved", None)
    assert list(Notification.objects.values_list("user_id", "kind")) == [
        (c.student.user_id, "enrollment_decided")
    ]
    offering.refresh_from_db()
    assert offering.seats_filled == 2


def test_enrollment_withdraw_from_waitlist_moves_the_rest_up(offering, counselor):
    es = [EnrollmentFactory(offering=offering, student__school=offering.school) for _ in range(5)]
    for e in es:
        services.enrollment_approve(enrollment=e, by=counselor)
    services.enrollment_withdraw(enrollment=es[2], by=counselor)
    positions = [Enrollment.objects.get(pk=e.pk).waitlist_position for e in es[3:]]
    assert positions == [1, 2]


def test_enrollment_decline_needs_a_reason(offering, counselor):
    e = EnrollmentFactory(offering=offering, student__school=offering.school)
    with pytest.raises(EnrollmentError):
        services.enrollment_decline(enrollment=e, by=counselor, reason="  ")
    services.enrollment_decline(enrollment=e, by=counselor, reason="Grade too low")
    e.refresh_from_db()
    assert (e.status, e.decline_reason, e.decided_by) == ("declined", "Grade too low", counselor)


def test_enrollment_decided_twice_is_refused(offering, counselor):
    e = EnrollmentFactory(offering=offering, student__school=offering.school)
    services.enrollment_approve(enrollment=e, by=counselor)
    with pytest.raises(EnrollmentError, match="already decided"):
        services.enrollment_decline(enrollment=e, by=counselor, reason="x")


def test_pathway_change_withdraws_old_only_when_approved(profile, offering, counselor):
    old = services.enrollment_request(student=profile, offering=offering)
    services.enrollment_approve(enrollment=old, by=counselor)
    new_offering = OfferingFactory(school=offering.school)
    change = services.pathway_change_request(student=profile, offering=new_offering)
    old.refresh_from_db()
    assert old.status == "approved"

    services.enrollment_approve(enrollment=change, by=counselor)

    old.refresh_from_db()
    change.refresh_from_db()
    assert (old.status, change.status) == ("withdrawn", "approved")
    assert Offering.objects.get(pk=offering.pk).seats_filled == 0
    assert Offering.objects.get(pk=new_offering.pk).seats_filled == 1


@pytest.mark.django_db(transaction=True)
def test_enrollment_approve_200_at_once_fills_exactly_25_seats():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    offering = OfferingFactory(seats=25)
    counselor = CounselorProfileFactory(schools=[offering.school]).user
    requests = [
        EnrollmentFactory(offering=offering, student__school=offering.school) for _ in range(200)
    ]
    barrier = threading.Barrier(50)
    errors: list[Exception] = []

    def approve(chunk: list[Enrollment]) -> None:
        try:
            barrier.wait()
            for e in chunk:
                services.enrollment_approve(enrollment=e, by=counselor)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(requests[i::50],)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert Offering.objects.get(pk=offering.pk).seats_filled == 25
    assert Enrollment.objects.filter(status="approved").count() == 25
    waitlisted = list(Enrollment.objects.filter(status="waitlisted").order_by("waitlist_position"))
    assert [e.waitlist_position for e in waitlisted] == list(range(1, 176))
    assert [e.pk for e in waitlisted] == sorted(e.pk for e in waitlisted)  # request order


# --- Status ------------------------------------------------------------------------------------


def _in_pathway(profile, levels=("introductory", "concentrator", "capstone")):
    pathway = PathwayFactory()
    courses = [CourseFactory(level=level) for level in levels]
    for year, course in enumerate(courses, start=1):
        PathwayCourseFactory(pathway=pathway, course=course, year=year, position=1)
    offering = OfferingFactory(pathway=pathway, school=profile.school)
    EnrollmentFactory(student=profile, offering=offering, status="approved")
    return courses


@pytest.mark.parametrize(
    ("done", "expected"),
    [
        (0, CTEStatus.NONE),
        (1, CTEStatus.PARTICIPANT),
        (2, CTEStatus.CONCENTRATOR),
        (3, CTEStatus.COMPLETER),
    ],
)
def test_student_status_counts_completed_courses(profile, done, expected):
    courses = _in_pathway(profile)
    for course in courses[:done]:
        CourseRecordFactory(student=profile, course=course)
    CourseRecordFactory(student=profile, course=courses[-1], status="in_progress", school_year=2025)
    assert selectors.student_status(student=profile).cte_status == expected


def test_student_status_two_courses_in_different_pathways_is_not_concentrator(profile):
    a, b = PathwayCourseFactory(), PathwayCourseFactory()
    CourseRecordFactory(student=profile, course=a.course)
    CourseRecordFactory(student=profile, course=b.course)
    assert selectors.student_status(student=profile).cte_status == CTEStatus.PARTICIPANT


def test_student_status_in_progress_courses_do_not_count(profile):
    courses = _in_pathway(profile)
    for course in courses:
        CourseRecordFactory(student=profile, course=course, status="in_progress")
    assert selectors.student_status(student=profile).cte_status == CTEStatus.NONE


def test_student_at_risk_in_grade_11_without_concentrator(profile):
    profile.grade = 11
    profile.save()
    _in_pathway(profile)
    assert selectors.student_status(student=profile).at_risk is True


# --- Eligibility -------------------------------------------------------------------------------


def _intro_done_in_my_pathway(profile):
    """The student in a pathway whose introductory course (a prerequisite) they completed."""
    intro, _capstone = _sequence(profile, ("introductory", True), ("capstone", True))
    CourseRecordFactory(student=profile, course=intro)
    return intro


def test_dual_enrollment_eligible_by_gpa_and_prerequisites(profile):
    profile.gpa = Decimal("3.50")
    _intro_done_in_my_pathway(profile)
    result = selectors.dual_enrollment_eligibility(student=profile)
    assert (result.eligible, result.rule) == (True, "gpa_and_prerequisites")


def test_dual_enrollment_blocked_by_gpa_says_so(profile):
    profile.gpa = Decimal("2.10")
    _intro_done_in_my_pathway(profile)
    result = selectors.dual_enrollment_eligibility(student=profile)
    assert (result.eligible, result.rule) == (False, "not_eligible")
    assert result.reasons == ("GPA 2.10 is below 3.00.",)


def test_dual_enrollment_gpa_of_zero_is_a_gpa_not_a_missing_one(profile, settings):
    _intro_done_in_my_pathway(profile)
    profile.gpa = Decimal("0.00")
    assert selectors.dual_enrollment_eligibility(student=profile).reasons == (
        "GPA 0.00 is below 3.00.",
    )
    settings.STUDENTS_DUAL_ENROLLMENT_MIN_GPA = Decimal("0.00")  # a district with no minimum
    result = selectors.dual_enrollment_eligibility(student=profile)
    assert (result.eligible, result.rule) == (True, "gpa_and_prerequisites")


def test_dual_enrollment_without_a_gpa_says_none_is_recorded(profile):
    _intro_done_in_my_pathway(profile)
    profile.gpa = None
    result = selectors.dual_enrollment_eligibility(student=profile)
    assert (result.eligible, result.reasons) == (False, ("No GPA recorded yet (3.00 needed).",))


def test_dual_enrollment_prerequisite_of_another_pathway_does_not_count(profile):
    profile.gpa = Decimal("3.80")
    _sequence(profile, ("introductory", True), ("capstone", True))  # mine: intro not done
    CourseRecordFactory(student=profile, course=CourseFactory(level="introductory"))  # elsewhere

    result = selectors.dual_enrollment_eligibility(student=profile)

    assert (result.eligible, result.rule) == (False, "not_eligible")
    assert result.reasons == ("No prerequisite course of the student's pathway completed yet.",)


def test_dual_enrollment_prerequisite_in_progress_does_not_count(profile):
    profile.gpa = Decimal("3.80")
    intro, _capstone = _sequence(profile, ("introductory", True), ("capstone", True))
    CourseRecordFactory(student=profile, course=intro, status="in_progress")

    assert selectors.dual_enrollment_eligibility(student=profile).eligible is False


def test_dual_enrollment_threshold_from_settings(profile, settings):
    settings.STUDENTS_DUAL_ENROLLMENT_MIN_GPA = Decimal("2.00")
    profile.gpa = Decimal("2.10")
    _intro_done_in_my_pathway(profile)
    assert selectors.dual_enrollment_eligibility(student=profile).eligible is True


def test_dual_enrollment_admitted_by_readiness_measure(profile, counselor):
    profile.gpa = Decimal("2.10")
    services.readiness_measure_add(student=profile, by=counselor, measure="Accuplacer 250")
    result = selectors.dual_enrollment_eligibility(student=profile)
    assert (result.eligible, result.rule) == (True, "readiness_measure")


def _sequence(profile, *steps):
    """A pathway of (level, required) steps, one a year, with the student approved in it."""
    pathway = PathwayFactory()
    courses = []
    for year, (level, required) in enumerate(steps, start=1):
        course = CourseFactory(level=level)
        PathwayCourseFactory(pathway=pathway, course=course, year=year, required=required)
        courses.append(course)
    offering = OfferingFactory(pathway=pathway, school=profile.school)
    EnrollmentFactory(student=profile, offering=offering, status="approved")
    return courses


def test_completer_needs_every_concentrator_and_capstone_course(profile):
    intro, first, _second, capstone = _sequence(
        profile,
        ("introductory", True),
        ("concentrator", True),
        ("concentrator", True),
        ("capstone", True),
    )
    for course in (intro, first, capstone):
        CourseRecordFactory(student=profile, course=course)

    status = selectors.student_status(student=profile)

    assert (status.cte_status, status.completer_done, status.completer_total) == (
        CTEStatus.CONCENTRATOR,
        2,
        3,
    )


def test_completer_does_not_need_the_electives(profile):
    intro, required, _elective, capstone = _sequence(
        profile,
        ("introductory", True),
        ("concentrator", True),
        ("concentrator", False),
        ("capstone", True),
    )
    for course in (intro, required, capstone):
        CourseRecordFactory(student=profile, course=course)

    status = selectors.student_status(student=profile)

    assert status.cte_status == CTEStatus.COMPLETER
    assert (status.pathway_courses_done, status.pathway_courses_total) == (3, 3)


def test_a_course_passed_twice_counts_once(profile):
    _intro, first, _second = _sequence(
        profile, ("introductory", True), ("concentrator", True), ("capstone", True)
    )
    CourseRecordFactory(student=profile, course=first, school_year=2023)
    CourseRecordFactory(student=profile, course=first, school_year=2024)

    status = selectors.student_status(student=profile)

    # One course, however often: not a concentrator, and never a completer by repetition.
    assert (status.cte_status, status.courses_completed, status.completer_done) == (
        CTEStatus.PARTICIPANT,
        1,
        1,
    )


def test_courses_of_another_pathway_do_not_make_a_completer_here(profile):
    mine = _sequence(profile, ("concentrator", True), ("capstone", True))
    other = PathwayFactory()
    for course in mine:  # the same courses sit in another pathway's sequence too
        PathwayCourseFactory(pathway=other, course=course)
    CourseRecordFactory(student=profile, course=mine[0])
    CourseRecordFactory(student=profile, course=CourseFactory(level="capstone"))

    status = selectors.student_status(student=profile)

    assert status.cte_status == CTEStatus.PARTICIPANT


def test_participant_by_one_completed_course_in_no_pathway_of_mine(profile):
    CourseRecordFactory(student=profile, course=CourseFactory(level="introductory"))
    status = selectors.student_status(student=profile)
    assert (status.cte_status, status.pathway_id, status.at_risk) == (
        CTEStatus.PARTICIPANT,
        None,
        False,
    )


def test_caseload_status_for_many_students_in_one_query(profile, django_assert_num_queries):
    _sequence(profile, ("introductory", True), ("concentrator", True))
    StudentProfileFactory.create_batch(30, school=profile.school)
    counselor = CounselorProfileFactory(schools=[profile.school]).user

    with django_assert_num_queries(1):  # the students, with status in SQL
        rows = list(selectors.caseload_for_counselor(user=counselor))

    assert len(rows) == 31 and {r.cte_status for r in rows} == {CTEStatus.NONE}


def test_promotion_from_the_wait_list_keeps_the_counselors_decision(offering, counselor):
    a, b, c = (
        EnrollmentFactory(offering=offering, student__school=offering.school) for _ in range(3)
    )
    for e in (a, b, c):
        services.enrollment_approve(enrollment=e, by=counselor)

    services.enrollment_withdraw(enrollment=a, by=a.student.user)  # the student leaves

    c.refresh_from_db()
    assert (c.status, c.decided_by) == ("approved", counselor)  # never the student who left


# --- Exploratory workshops ---------------------------------------------------------------------


@pytest.fixture
def middle_schooler(offering):
    return StudentProfileFactory(school=offering.school, grade=8)


def _workshop(student, by, **overrides):
    fields = {
        "title": "Robotics open lab",
        "sector": SectorFactory(),
        "attended_on": datetime.date(2024, 11, 5),
        "hours": Decimal("3"),
    }
    fields.update(overrides)
    return services.exploratory_workshop_record(student=student, by=by, **fields)


def test_workshop_recorded_with_the_grade_at_the_time(middle_schooler, counselor):
    workshop = _workshop(middle_schooler, counselor)
    assert (workshop.grade, workshop.recorded_by, workshop.title) == (
        8,
        counselor,
        "Robotics open lab",
    )


def test_workshop_refused_for_a_high_schooler(profile, counselor):
    with pytest.raises(WorkshopError, match="grades 7 and 8"):
        _workshop(profile, counselor)


def test_workshop_refused_in_the_future(middle_schooler, counselor):
    with pytest.raises(WorkshopError, match="future"):
        _workshop(
            middle_schooler,
            counselor,
            attended_on=timezone.localdate() + datetime.timedelta(days=1),
        )


def test_workshop_pathway_must_be_in_the_sector(middle_schooler, counselor):
    with pytest.raises(WorkshopError, match="not in the career cluster"):
        _workshop(middle_schooler, counselor, pathway=PathwayFactory())


def test_workshop_recorded_twice_the_same_day_is_refused(middle_schooler, counselor):
    sector = SectorFactory()
    _workshop(middle_schooler, counselor, sector=sector)
    with pytest.raises(WorkshopError, match="already recorded"):
        _workshop(middle_schooler, counselor, sector=sector)
    assert ExploratoryWorkshop.objects.count() == 1


def test_workshop_grade_is_kept_7_to_8_by_the_database(middle_schooler):
    with pytest.raises(IntegrityError):
        ExploratoryWorkshop.objects.create(
            student=middle_schooler,
            title="X",
            sector=SectorFactory(),
            attended_on=datetime.date(2024, 1, 1),
            grade=9,
            hours=1,
        )
