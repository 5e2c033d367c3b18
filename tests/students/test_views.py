"""The students' and counselors' pages, for every role, with a second student's data that
exists and must never appear (fixtures in tests/students/conftest.py)."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cte_portal.notifications.models import Notification
from students import services
from students.models import AccessLog, Enrollment, ExploratoryWorkshop, SavedPathway
from tests.factories.pathways import (
    CourseFactory,
    OfferingFactory,
    PathwayCourseFactory,
    PathwayFactory,
    SchoolFactory,
    SectorFactory,
)
from tests.factories.students import (
    AdvisingNoteFactory,
    CounselorProfileFactory,
    CourseRecordFactory,
    CredentialAwardFactory,
    EnrollmentFactory,
    StudentProfileFactory,
)

pytestmark = pytest.mark.django_db

ME = reverse("students:me")
CASELOAD = reverse("students:caseload")
QUEUE = reverse("students:queue")


def text(response) -> str:
    return response.content.decode()


# --- The student's dashboard -------------------------------------------------------------------


def test_me_shows_my_pathway_program_and_progress(client_for, approved, theirs):
    CredentialAwardFactory(student=approved.student, credential__name="My Credential")

    response = client_for(approved.student.user).get(ME)

    page = text(response)
    assert response.status_code == 200
    assert response.context["record"].student.pk == approved.student.pk
    assert "Cyber Defense" in page
    assert "Cyber course CY100" in page and "Completed" in page
    assert "Cyber course CY300" in page and "To come" in page
    assert "Pathway courses completed: 1 of 3" in page
    assert "My Credential" in page
    assert "Participant" in page


def test_me_never_shows_another_students_record(client_for, mine, theirs):
    page = text(client_for(mine.user).get(ME))

    for leak in ("Their Secret Course", "Their Credential", "THEIR-SECRET-NOTE", "THEIRS01"):
        assert leak not in page


def test_me_never_shows_my_advising_notes_or_demographics(client_for, mine, counselor):
    AdvisingNoteFactory(student=mine, author=counselor, body="MY-SECRET-NOTE")

    page = text(client_for(mine.user).get(ME))

    assert "MY-SECRET-NOTE" not in page
    assert "Advising notes" not in page
    assert "Hispanic" not in page  # mine.race_ethnicity
    assert "English learner" not in page


def test_me_without_a_record_says_to_ask_the_counselor(client_for, student):
    response = client_for(student).get(ME)

    assert response.status_code == 200
    assert response.context["record"] is None
    assert "You have no student record yet" in text(response)


def test_me_shows_a_middle_schoolers_workshops(client_for, mine, counselor):
    mine.grade = 8
    mine.save()
    sector = SectorFactory(name="Health Sciences")
    services.exploratory_workshop_record(
        student=mine,
        by=counselor,
        title="Hospital career day",
        sector=sector,
        attended_on=datetime.date(2024, 3, 1),
        hours=4,
    )

    page = text(client_for(mine.user).get(ME))

    assert "Career workshops I explored" in page
    assert "Hospital career day" in page and "Health Sciences" in page


def test_me_shows_the_wait_list_position(client_for, mine, offering, counselor):
    offering.seats = 0
    offering.save()
    request = services.enrollment_request(student=mine, offering=offering)
    services.enrollment_approve(enrollment=request, by=counselor)  # full: wait-listed

    page = text(client_for(mine.user).get(ME))

    assert "Your request for Cyber Defense: Wait-listed." in page
    assert "You are number 1 on the wait list." in page


# --- Enroll, change, withdraw --------------------------------------------------------------------


def test_enroll_sends_a_request(client_for, mine, offering):
    url = reverse("students:enroll", args=[offering.pk])
    client = client_for(mine.user)
    assert "Request to enroll in Cyber Defense" in text(client.get(url))

    response = client.post(url, {"note": "I love puzzles"}, follow=True)

    enrollment = Enrollment.objects.get(student=mine)
    assert (enrollment.offering_id, enrollment.status, enrollment.note) == (
        offering.pk,
        "requested",
        "I love puzzles",
    )
    assert response.redirect_chain[-1][0] == ME
    assert "Your request was sent to your counselor." in text(response)


def test_enroll_at_another_school_is_refused_and_keeps_the_note(client_for, mine):
    elsewhere = OfferingFactory()
    response = client_for(mine.user).post(
        reverse("students:enroll", args=[elsewhere.pk]), {"note": "Please let me in"}
    )

    assert response.status_code == 200
    assert "You can only request a pathway offered at your own school." in text(response)
    assert "Please let me in" in text(response)
    assert not Enrollment.objects.exists()


def test_enroll_twice_is_refused(client_for, mine, offering, other_offering):
    client = client_for(mine.user)
    client.post(reverse("students:enroll", args=[offering.pk]))

    response = client.post(reverse("students:enroll", args=[other_offering.pk]))

    assert "You already have a pathway or a request waiting." in text(response)
    assert list(Enrollment.objects.values_list("offering_id", flat=True)) == [offering.pk]


def test_enroll_outside_entry_grades_says_which(client_for, mine, offering):
    mine.grade = 12
    mine.save()
    response = client_for(mine.user).post(reverse("students:enroll", args=[offering.pk]))

    assert "This pathway takes students entering in" in text(response)
    assert not Enrollment.objects.exists()


def test_enroll_in_an_unknown_offering_is_404(client_for, mine):
    assert client_for(mine.user).get(reverse("students:enroll", args=[999999])).status_code == 404


def test_enroll_without_a_record_is_404(client_for, student, offering):
    response = client_for(student).get(reverse("students:enroll", args=[offering.pk]))
    assert response.status_code == 404


def test_change_without_a_pathway_says_to_request_one(client_for, mine, other_offering):
    client = client_for(mine.user)
    response = client.get(reverse("students:change"))

    assert "You are not in a pathway yet" in text(response)
    assert 'name="offering"' not in text(response)
    client.post(reverse("students:change"), {"offering": other_offering.pk})
    assert not Enrollment.objects.exists()


def test_change_request_waits_beside_the_current_pathway(
    client_for, approved, other_offering, counselor
):
    client = client_for(approved.student.user)
    page = text(client.get(reverse("students:change")))
    assert "You are in Cyber Defense" in page
    assert f'value="{approved.offering_id}"' not in page  # not a choice: already in it

    response = client.post(
        reverse("students:change"), {"offering": other_offering.pk, "note": "Cooking!"}
    )

    assert response.status_code == 302
    change = Enrollment.objects.get(offering=other_offering)
    assert (change.status, change.replaces_id, change.note) == (
        "requested",
        approved.pk,
        "Cooking!",
    )
    approved.refresh_from_db()
    assert approved.status == "approved"


def test_change_form_preselects_the_offering_from_the_pathway_page(
    client_for, approved, other_offering
):
    url = reverse("students:change") + f"?offering={other_offering.pk}"
    form = client_for(approved.student.user).get(url).context["form"]

    assert str(form["offering"].value()) == str(other_offering.pk)


def test_change_refused_keeps_the_note_and_names_the_field(client_for, approved):
    response = client_for(approved.student.user).post(
        reverse("students:change"), {"note": "Keep this text"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["offering"] == ["This field is required."]
    assert "Keep this text" in text(response)
    assert Enrollment.objects.count() == 1


def test_change_to_another_schools_offering_is_refused(client_for, approved):
    elsewhere = OfferingFactory()
    response = client_for(approved.student.user).post(
        reverse("students:change"), {"offering": elsewhere.pk}
    )

    assert "Select a valid choice" in response.context["form"].errors["offering"][0]
    assert Enrollment.objects.count() == 1


def test_withdraw_by_the_student_gives_the_seat_to_the_next_and_tells_them(
    client_for, mine, theirs, offering, counselor, advisors
):
    offering.seats = 1
    offering.save()
    my_request = services.enrollment_request(student=mine, offering=offering)
    their_request = services.enrollment_request(student=theirs, offering=offering)
    services.enrollment_approve(enrollment=my_request, by=counselor)
    services.enrollment_approve(enrollment=their_request, by=counselor)  # wait-listed
    Notification.objects.all().delete()
    client = client_for(mine.user)
    url = reverse("students:withdraw", args=[my_request.pk])
    assert "Withdraw from Cyber Defense" in text(client.get(url))

    response = client.post(url)

    assert response.status_code == 302 and response.url == ME
    their_request.refresh_from_db()
    assert (their_request.status, their_request.decided_by) == ("approved", counselor)
    assert list(Notification.objects.values_list("user_id", "kind")) == [
        (theirs.user_id, "enrollment_decided")
    ]
    offering.refresh_from_db()
    assert offering.seats_filled == 1


def test_withdraw_twice_says_it_already_ended(client_for, approved):
    client = client_for(approved.student.user)
    url = reverse("students:withdraw", args=[approved.pk])
    client.post(url)

    response = client.post(url)

    assert response.status_code == 200
    assert "This enrollment has already ended." in text(response)


def test_withdraw_another_students_enrollment_is_404(client_for, approved, other_student, theirs):
    url = reverse("students:withdraw", args=[approved.pk])
    assert client_for(other_student).post(url).status_code == 404
    approved.refresh_from_db()
    assert approved.status == "approved"


def test_counselor_of_another_school_cannot_withdraw(
    client_for, approved, other_counselor, advisors
):
    url = reverse("students:withdraw", args=[approved.pk])
    assert client_for(other_counselor).post(url).status_code == 404


# --- The pathway page's call to action ----------------------------------------------------------


def _pathway_page(client, pathway) -> str:
    return text(client.get(reverse("pathways:detail", args=[pathway.slug])))


@pytest.mark.parametrize("role", ["anonymous", "counselor", "staff", "employer"])
def test_pathway_page_tells_others_to_talk_to_a_counselor(
    request, client_for, role, offering, mine
):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    page = _pathway_page(client_for(user), offering.pathway)

    assert "Talk to your counselor to enroll." in page
    assert reverse("students:enroll", args=[offering.pk]) not in page


def test_pathway_page_offers_a_student_the_offerings_at_their_school(
    client_for, mine, offering, pathway
):
    elsewhere = OfferingFactory(pathway=pathway)  # another school: not for this student
    page = _pathway_page(client_for(mine.user), pathway)

    assert reverse("students:enroll", args=[offering.pk]) in page
    assert reverse("students:enroll", args=[elsewhere.pk]) not in page
    assert "Request to enroll at Harbor Test High School" in page
    assert "Talk to your counselor to enroll." not in page


def test_pathway_page_shows_a_students_pending_request_and_place(
    client_for, mine, offering, counselor
):
    offering.seats = 0
    offering.save()
    services.enrollment_approve(
        enrollment=services.enrollment_request(student=mine, offering=offering), by=counselor
    )
    page = _pathway_page(client_for(mine.user), offering.pathway)

    assert "Your request for this pathway: Wait-listed." in page
    assert "You are number 1 on the wait list." in page
    assert reverse("students:enroll", args=[offering.pk]) not in page


def test_pathway_page_offers_a_change_to_a_student_in_another_pathway(
    client_for, approved, other_offering
):
    page = _pathway_page(client_for(approved.student.user), other_offering.pathway)

    assert "You are in Cyber Defense." in page
    assert reverse("students:change") + f"?offering={other_offering.pk}" in page


def test_pathway_page_tells_a_student_outside_the_entry_grades(client_for, mine, offering):
    mine.grade = 7
    mine.save()
    page = _pathway_page(client_for(mine.user), offering.pathway)

    assert "Students join this pathway in grades 9\u201310." in page
    assert reverse("students:enroll", args=[offering.pk]) not in page


@pytest.mark.parametrize("allowed", [False, True])
def test_pathway_page_offers_a_change_past_the_entry_grades_only_if_allowed(
    client_for, approved, other_offering, settings, allowed
):
    settings.STUDENTS_CHANGE_GRADES_PAST_ENTRY = allowed
    junior = approved.student
    junior.grade = 11
    junior.save()
    client = client_for(junior.user)
    change = reverse("students:change") + f"?offering={other_offering.pk}"

    page = _pathway_page(client, other_offering.pathway)
    posted = client.post(
        reverse("students:change"), {"offering": other_offering.pk, "note": "Keen on cooking"}
    )

    assert (change in page) is allowed
    assert Enrollment.objects.filter(offering=other_offering).exists() is allowed
    if not allowed:
        assert "a change of pathway follows the same entry grades" in text(posted)
        assert "Keen on cooking" in text(posted)


def test_save_and_unsave_from_the_pathway_page(client_for, mine, pathway):
    client = client_for(mine.user)
    back = pathway.get_absolute_url()
    url = reverse("students:save", args=[pathway.pk])

    response = client.post(url, {"next": back})
    assert response.url == back
    assert list(SavedPathway.objects.values_list("student_id", "pathway_id")) == [
        (mine.pk, pathway.pk)
    ]
    assert "Remove from my saved pathways" in _pathway_page(client, pathway)

    response = client.post(url, {"next": back, "remove": "1"})
    assert response.url == back
    assert not SavedPathway.objects.exists()
    assert "Save this pathway" in _pathway_page(client, pathway)


def test_save_never_redirects_to_another_site(client_for, mine, pathway):
    response = client_for(mine.user).post(
        reverse("students:save", args=[pathway.pk]), {"next": "https://evil.example/"}
    )
    assert response.url == ME


# --- The caseload --------------------------------------------------------------------------------


def _ids(response) -> list[int]:
    return [s.pk for s in response.context["page"].object_list]


def test_caseload_lists_the_schools_students_only(client_for, counselor, advisors, mine, theirs):
    elsewhere = StudentProfileFactory()  # a school the counselor does not serve

    response = client_for(counselor).get(CASELOAD)

    assert sorted(_ids(response)) == sorted([mine.pk, theirs.pk])
    assert elsewhere.user.full_name not in text(response)


def test_caseload_for_staff_is_the_district(client_for, staff, mine, theirs):
    elsewhere = StudentProfileFactory()
    assert sorted(_ids(client_for(staff).get(CASELOAD))) == sorted(
        [mine.pk, theirs.pk, elsewhere.pk]
    )


def test_caseload_of_a_counselor_with_no_school_is_empty_and_says_so(client_for, counselor, mine):
    response = client_for(counselor).get(CASELOAD)
    assert _ids(response) == []
    assert "No student matches." in text(response)


@pytest.fixture
def caseload(counselor, school, pathway, offering):
    """Students the filters tell apart: two schools served, grades, a pathway, statuses."""
    second_school = SchoolFactory(name="Second School")
    CounselorProfileFactory(user=counselor, schools=[school, second_school])
    courses = [step.course for step in pathway.sequence.all()]

    def in_pathway(name: str, grade: int, done: int, **kwargs):
        profile = StudentProfileFactory(user__full_name=name, grade=grade, school=school, **kwargs)
        EnrollmentFactory(student=profile, offering=offering, status="approved")
        for course in courses[:done]:
            CourseRecordFactory(student=profile, course=course)
        return profile

    return {
        "none": StudentProfileFactory(user__full_name="Nia None", grade=9, school=second_school),
        "participant": in_pathway("Pia Participant", 10, 1),
        "at_risk": in_pathway("Ari Risk", 11, 1, district_id="RISK0001"),
        "concentrator": in_pathway("Con Centrator", 11, 2, user__email="con@example.org"),
        "completer": in_pathway("Cal Completer", 12, 3),
        "second_school": second_school,
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "pia"}, ["participant"]),
        ({"q": "con@example"}, ["concentrator"]),
        ({"q": "RISK0001"}, ["at_risk"]),
        ({"grade": 11}, ["at_risk", "concentrator"]),
        ({"status": "none"}, ["none"]),
        ({"status": "participant"}, ["participant", "at_risk"]),
        ({"status": "concentrator"}, ["concentrator"]),
        ({"status": "completer"}, ["completer"]),
        ({"at_risk": "on"}, ["at_risk"]),
        ({"at_risk": "0"}, ["none", "participant", "at_risk", "concentrator", "completer"]),
        ({"at_risk": "false"}, ["none", "participant", "at_risk", "concentrator", "completer"]),
        ({"grade": 11, "status": "participant"}, ["at_risk"]),
    ],
)
def test_caseload_filters(client_for, counselor, caseload, params, expected):
    response = client_for(counselor).get(CASELOAD, params)

    assert sorted(_ids(response)) == sorted(caseload[key].pk for key in expected)


def test_caseload_filters_by_school_and_pathway(client_for, counselor, caseload, pathway):
    client = client_for(counselor)

    by_school = client.get(CASELOAD, {"school": caseload["second_school"].pk})
    by_pathway = client.get(CASELOAD, {"pathway": pathway.pk})

    assert _ids(by_school) == [caseload["none"].pk]
    assert sorted(_ids(by_pathway)) == sorted(
        caseload[k].pk for k in ("participant", "at_risk", "concentrator", "completer")
    )


def test_caseload_shows_status_and_at_risk(client_for, counselor, caseload):
    response = client_for(counselor).get(CASELOAD, {"q": "Ari Risk"})
    page = text(response)
    assert "Ari Risk" in page and "Participant" in page and "At risk" in page


def test_caseload_pages_keep_the_filters(client_for, counselor, school, advisors):
    StudentProfileFactory.create_batch(55, school=school, grade=10)

    page = text(client_for(counselor).get(CASELOAD, {"grade": 10}))

    assert "grade=10&amp;page=2" in page


@pytest.mark.parametrize("n", [1, 200])
def test_caseload_query_count(client_for, counselor, school, advisors, n, offering, pathway):
    students = StudentProfileFactory.create_batch(n, school=school, grade=11)
    for student in students:
        EnrollmentFactory(student=student, offering=offering, status="approved")
        CourseRecordFactory(student=student, course=pathway.sequence.first().course)
    client = client_for(counselor)
    client.get(CASELOAD)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(CASELOAD)

    # session, user, unread notifications, the counselor's schools, their pathways,
    # the count, the page of students (status in SQL)
    assert len(response.context["page"].object_list) == min(n, 50)
    assert len(queries) <= 7, "\n".join(q["sql"] for q in queries.captured_queries)


# --- The request queue and decisions ------------------------------------------------------------


@pytest.fixture
def requests_(mine, theirs, offering, advisors):
    """Both students ask for the offering; a student elsewhere asks too (not the counselor's)."""
    elsewhere = EnrollmentFactory()
    return {
        "mine": services.enrollment_request(student=mine, offering=offering),
        "theirs": services.enrollment_request(student=theirs, offering=offering),
        "elsewhere": elsewhere,
    }


def test_queue_lists_the_caseloads_requests_only(client_for, counselor, requests_):
    response = client_for(counselor).get(QUEUE)

    assert [e.pk for e in response.context["pending"]] == [
        requests_["mine"].pk,
        requests_["theirs"].pk,
    ]


def test_queue_for_staff_lists_every_request(client_for, staff, requests_):
    response = client_for(staff).get(QUEUE)
    assert {e.pk for e in response.context["pending"]} == {e.pk for e in requests_.values()}


def test_queue_empty_says_so(client_for, counselor, advisors):
    assert "No request is waiting for a decision." in text(client_for(counselor).get(QUEUE))


def test_decide_approve_gives_a_seat_and_tells_the_student(client_for, counselor, requests_):
    enrollment = requests_["mine"]
    url = reverse("students:decide", args=[enrollment.pk])
    assert "Request from Ana Student" in text(client_for(counselor).get(url))

    response = client_for(counselor).post(url, {"decision": "approve"})

    assert response.status_code == 302 and response.url == QUEUE
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.decided_by) == ("approved", counselor)
    assert list(Notification.objects.values_list("user_id", flat=True)) == [
        enrollment.student.user_id
    ]


def test_decide_waitlist(client_for, counselor, requests_):
    enrollment = requests_["theirs"]
    client_for(counselor).post(
        reverse("students:decide", args=[enrollment.pk]), {"decision": "waitlist"}
    )
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.waitlist_position) == ("waitlisted", 1)


def test_decide_decline_without_a_reason_is_refused_and_changes_nothing(
    client_for, counselor, requests_
):
    enrollment = requests_["mine"]
    response = client_for(counselor).post(
        reverse("students:decide", args=[enrollment.pk]), {"decision": "decline", "reason": " "}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Say why the request is declined."]
    enrollment.refresh_from_db()
    assert enrollment.status == "requested"


def test_decide_decline_with_a_reason(client_for, counselor, requests_):
    enrollment = requests_["mine"]
    client_for(counselor).post(
        reverse("students:decide", args=[enrollment.pk]),
        {"decision": "decline", "reason": "Prerequisite missing"},
    )
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.decline_reason) == ("declined", "Prerequisite missing")


def test_decide_an_already_decided_request_says_so(client_for, counselor, requests_):
    enrollment = requests_["mine"]
    services.enrollment_approve(enrollment=enrollment, by=counselor)

    response = client_for(counselor).post(
        reverse("students:decide", args=[enrollment.pk]), {"decision": "decline", "reason": "x"}
    )

    assert "This request was already decided (Approved)." in text(response)
    enrollment.refresh_from_db()
    assert enrollment.status == "approved"


def test_decide_another_counselors_request_is_404(client_for, other_counselor, requests_):
    url = reverse("students:decide", args=[requests_["mine"].pk])
    assert client_for(other_counselor).post(url, {"decision": "approve"}).status_code == 404
    requests_["mine"].refresh_from_db()
    assert requests_["mine"].status == "requested"


def test_bulk_approve_fills_the_seats_then_waitlists(client_for, counselor, requests_, offering):
    third = services.enrollment_request(
        student=StudentProfileFactory(school=offering.school), offering=offering
    )
    chosen = [requests_["mine"].pk, requests_["theirs"].pk, third.pk]

    response = client_for(counselor).post(
        QUEUE, {"enrollments": chosen, "decision": "approve"}, follow=True
    )

    statuses = dict(Enrollment.objects.filter(pk__in=chosen).values_list("pk", "status"))
    assert statuses == {
        requests_["mine"].pk: "approved",
        requests_["theirs"].pk: "approved",
        third.pk: "waitlisted",
    }
    assert "3 requests decided." in text(response)


def test_bulk_decline_without_a_reason_changes_nothing_and_keeps_the_choice(
    client_for, counselor, requests_
):
    chosen = requests_["mine"].pk
    response = client_for(counselor).post(QUEUE, {"enrollments": [chosen], "decision": "decline"})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Say why the request is declined."]
    assert f'id="pick-{chosen}" name="enrollments" value="{chosen}" checked' in text(response)
    assert set(Enrollment.objects.values_list("status", flat=True)) == {"requested"}


def test_bulk_with_nothing_chosen_says_so(client_for, counselor, requests_):
    response = client_for(counselor).post(QUEUE, {"decision": "approve"})
    assert response.context["form"].errors["enrollments"] == ["This field is required."]


def test_bulk_cannot_reach_another_counselors_request(client_for, counselor, requests_):
    outside = requests_["elsewhere"].pk
    response = client_for(counselor).post(QUEUE, {"enrollments": [outside], "decision": "approve"})

    assert "Select a valid choice" in response.context["form"].errors["enrollments"][0]
    requests_["elsewhere"].refresh_from_db()
    assert requests_["elsewhere"].status == "requested"


def test_bulk_reports_a_refusal_and_decides_the_rest(client_for, counselor, requests_):
    services.enrollment_waitlist(enrollment=requests_["theirs"], by=counselor)
    chosen = [requests_["mine"].pk, requests_["theirs"].pk]

    response = client_for(counselor).post(
        QUEUE, {"enrollments": chosen, "decision": "waitlist"}, follow=True
    )

    page = text(response)
    assert "1 request decided." in page
    assert "Ben Other: Only a new request can be wait-listed." in page
    requests_["mine"].refresh_from_db()
    assert requests_["mine"].status == "waitlisted"


# --- The student page ----------------------------------------------------------------------


def test_student_page_shows_the_record_and_logs_the_opening(
    client_for, counselor, advisors, approved, theirs
):
    mine = approved.student
    AdvisingNoteFactory(student=mine, author=counselor, body="MY-NOTE")

    response = client_for(counselor).get(reverse("students:student", args=[mine.pk]))

    page = text(response)
    assert response.context["record"].student.pk == mine.pk
    assert "MY-NOTE" in page and "THEIR-SECRET-NOTE" not in page
    assert "Their Secret Course" not in page
    assert "Hispanic or Latino" in page  # counselors see demographics
    assert "Dual-enrollment eligibility" in page
    assert list(AccessLog.objects.values_list("viewer_id", "student_id", "what")) == [
        (counselor.pk, mine.pk, "student page")
    ]


def test_student_page_for_staff_anywhere_is_logged(client_for, staff):
    elsewhere = StudentProfileFactory()
    assert (
        client_for(staff).get(reverse("students:student", args=[elsewhere.pk])).status_code == 200
    )
    assert list(AccessLog.objects.values_list("viewer_id", "student_id")) == [
        (staff.pk, elsewhere.pk)
    ]


def test_student_page_of_another_counselors_student_is_404_and_not_logged(
    client_for, other_counselor, advisors, mine
):
    response = client_for(other_counselor).get(reverse("students:student", args=[mine.pk]))
    assert response.status_code == 404
    assert not AccessLog.objects.exists()


def test_note_add_saves_and_an_empty_note_is_refused(client_for, counselor, advisors, mine):
    url = reverse("students:note_add", args=[mine.pk])
    client = client_for(counselor)

    assert client.post(url, {"body": "Wants to try culinary"}).status_code == 302
    refused = client.post(url, {"body": "   "})

    assert list(mine.advising_notes.values_list("body", "author_id")) == [
        ("Wants to try culinary", counselor.pk)
    ]
    assert refused.status_code == 200
    assert refused.context["note_form"].errors["body"] == ["This field is required."]
    assert AccessLog.objects.filter(student=mine).count() == 1  # the page shown again


def test_readiness_measure_makes_the_student_eligible(client_for, counselor, advisors, mine):
    url = reverse("students:readiness_add", args=[mine.pk])
    client = client_for(counselor)
    client.post(url, {"measure": "Accuplacer 260", "note": ""})

    page = text(client.get(reverse("students:student", args=[mine.pk])))

    assert "Ready by another measure: Accuplacer 260." in page
    assert "Eligible" in page


def test_workshop_recorded_for_a_middle_schooler(client_for, counselor, advisors, mine):
    mine.grade = 8
    mine.save()
    sector = SectorFactory(name="Construction")
    client = client_for(counselor)
    assert "Record a workshop" in text(client.get(reverse("students:student", args=[mine.pk])))

    response = client.post(
        reverse("students:workshop_add", args=[mine.pk]),
        {
            "title": "Carpentry basics",
            "sector": sector.pk,
            "attended_on": "2024-10-02",
            "hours": "2.5",
        },
    )

    assert response.status_code == 302
    workshop = ExploratoryWorkshop.objects.get()
    assert (workshop.student_id, workshop.title, workshop.grade, str(workshop.hours)) == (
        mine.pk,
        "Carpentry basics",
        8,
        "2.5",
    )
    assert workshop.recorded_by == counselor
    assert "Carpentry basics" in text(client.get(reverse("students:student", args=[mine.pk])))


def test_workshop_in_the_future_is_refused_and_keeps_the_input(
    client_for, counselor, advisors, mine
):
    mine.grade = 7
    mine.save()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(counselor).post(
        reverse("students:workshop_add", args=[mine.pk]),
        {"title": "Drone day", "sector": SectorFactory().pk, "attended_on": tomorrow, "hours": "3"},
    )

    assert response.status_code == 200
    assert "The workshop date cannot be in the future." in text(response)
    assert 'value="Drone day"' in text(response)
    assert not ExploratoryWorkshop.objects.exists()


def test_workshop_for_a_high_schooler_is_refused(client_for, counselor, advisors, mine):
    mine.grade = 10
    mine.save()
    client = client_for(counselor)
    assert "Record a workshop" not in text(client.get(reverse("students:student", args=[mine.pk])))

    response = client.post(
        reverse("students:workshop_add", args=[mine.pk]),
        {
            "title": "Late entry",
            "sector": SectorFactory().pk,
            "attended_on": "2024-01-05",
            "hours": "1",
        },
    )

    assert "Exploratory workshops are recorded for students in grades 7 and 8." in text(response)
    assert not ExploratoryWorkshop.objects.exists()


def test_workshop_with_bad_hours_names_the_field(client_for, counselor, advisors, mine):
    mine.grade = 8
    mine.save()
    response = client_for(counselor).post(
        reverse("students:workshop_add", args=[mine.pk]),
        {
            "title": "Long day",
            "sector": SectorFactory().pk,
            "attended_on": "2024-01-05",
            "hours": "99",
        },
    )
    assert "hours" in response.context["workshop_form"].errors
    assert not ExploratoryWorkshop.objects.exists()


def test_workshop_for_another_counselors_student_is_404(
    client_for, other_counselor, advisors, mine
):
    mine.grade = 8
    mine.save()
    response = client_for(other_counselor).post(
        reverse("students:workshop_add", args=[mine.pk]),
        {"title": "X", "sector": SectorFactory().pk, "attended_on": "2024-01-05", "hours": "1"},
    )
    assert response.status_code == 404
    assert not ExploratoryWorkshop.objects.exists()


# --- Status on edge cases, as the pages show it --------------------------------------------------


def test_completer_needs_every_concentrator_and_capstone_course(
    client_for, counselor, advisors, mine
):
    pathway = PathwayFactory()
    courses = {
        level: CourseFactory(level=level) for level in ("introductory", "concentrator", "capstone")
    }
    second = CourseFactory(level="concentrator")
    for year, course in enumerate([*courses.values(), second], start=1):
        PathwayCourseFactory(pathway=pathway, course=course, year=year)
    offering = OfferingFactory(pathway=pathway, school=mine.school)
    EnrollmentFactory(student=mine, offering=offering, status="approved")
    for course in courses.values():  # all but the second concentrator course
        CourseRecordFactory(student=mine, course=course)

    response = client_for(counselor).get(reverse("students:student", args=[mine.pk]))

    assert response.context["record"].student.cte_status == "concentrator"
    assert "Completer: 2 of 3 concentrator and capstone courses completed" in text(response)


def test_me_shows_my_latest_notifications_only(client_for, mine, offering, counselor, theirs):
    services.enrollment_approve(
        enrollment=services.enrollment_request(student=mine, offering=offering), by=counselor
    )
    services.enrollment_approve(
        enrollment=services.enrollment_request(student=theirs, offering=offering), by=counselor
    )

    response = client_for(mine.user).get(ME)

    assert [n.user_id for n in response.context["notifications"]] == [mine.user_id]
    assert "My latest notifications" in text(response)


def test_me_marks_an_elective_in_the_program(client_for, approved):
    PathwayCourseFactory(pathway=approved.offering.pathway, year=2, required=False)
    assert "Elective" in text(client_for(approved.student.user).get(ME))


def test_decision_choices_are_visible_radio_buttons(client_for, counselor, requests_):
    # A RadioSelect rendered by the shared form_field.html once hid every choice (its
    # wrapper took the visually hidden usa-radio__input class): each needs its own label.
    page = text(client_for(counselor).get(reverse("students:decide", args=[requests_["mine"].pk])))

    assert page.count('class="usa-radio__label"') == 3
    assert '<div id="id_decision" class="usa-radio__input">' not in page
    assert '<legend class="usa-legend">Decision' in page


# --- The back office ---------------------------------------------------------------------------


def test_staff_keep_workshops_in_the_back_office(client_for, staff, mine):
    mine.grade = 7
    mine.save()
    sector = SectorFactory()
    client = client_for(staff)

    response = client.post(
        reverse("admin:students_exploratoryworkshop_add"),
        {
            "student": mine.pk,
            "title": "Junior chef challenge",
            "sector": sector.pk,
            "attended_on": "2024-02-10",
            "grade": 7,
            "hours": "3",
        },
    )

    assert response.status_code == 302
    workshop = ExploratoryWorkshop.objects.get()
    assert (workshop.student_id, workshop.recorded_by) == (mine.pk, staff)
    assert client.get(reverse("admin:students_exploratoryworkshop_changelist")).status_code == 200


def test_back_office_refuses_a_workshop_in_grade_9(client_for, staff, mine):
    response = client_for(staff).post(
        reverse("admin:students_exploratoryworkshop_add"),
        {
            "student": mine.pk,
            "title": "Too late",
            "sector": SectorFactory().pk,
            "attended_on": "2024-02-10",
            "grade": 9,
            "hours": "3",
        },
    )
    assert response.status_code == 200
    assert not ExploratoryWorkshop.objects.exists()


def test_counselors_do_not_enter_the_back_office(client_for, counselor):
    response = client_for(counselor).get(reverse("admin:students_exploratoryworkshop_changelist"))
    assert response.status_code == 302


def test_queue_query_count(query_budget, counselor, advisors, school, offering, other_offering):
    def grow(n):
        for _ in range(n):
            student = StudentProfileFactory(school=school)
            current = EnrollmentFactory(student=student, offering=offering, status="approved")
            EnrollmentFactory(student=student, offering=other_offering, replaces=current)

    # session, user, unread notifications, the requests (student, offering, the pathway it
    # would replace joined)
    query_budget(QUEUE, max_queries=4, grow=grow, user=counselor, sizes=(1, 30))


def test_me_query_count(query_budget, mine, offering, pathway):
    EnrollmentFactory(student=mine, offering=offering, status="approved")
    courses = [step.course for step in pathway.sequence.all()]

    years = itertools.count(2000)

    def grow(n):
        for _ in range(n):
            year = next(years)
            CourseRecordFactory(student=mine, course=courses[year % 3], school_year=year)
            CredentialAwardFactory(student=mine)

    # session, user, profile, its status, enrollments, records, the pathway's sequence,
    # credentials, college credits, saved pathways, workshops, the latest notifications, the
    # work-based learning panel (latest applications, active placements) and the header's
    # unread count
    query_budget(ME, max_queries=15, grow=grow, user=mine.user, sizes=(1, 20))


def test_enroll_in_a_draft_pathways_offering_is_404(client_for, mine, school):
    draft = OfferingFactory(pathway__status="draft", pathway__name="Secret Draft", school=school)
    response = client_for(mine.user).get(reverse("students:enroll", args=[draft.pk]))
    assert response.status_code == 404
    assert "Secret Draft" not in text(response)
