"""The reads added for the pages: the board's choices, the attendance roster (what a host sees
of a student), a student's own work-based learning, the employer dashboard's summary, and what
a school request may be made for."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from django.utils import timezone

from pathways.enums import PathwayStatus
from tests.factories.pathways import PathwayFactory, SchoolFactory, SectorFactory
from tests.factories.students import CounselorProfileFactory, StudentProfileFactory
from tests.factories.workbased import (
    ApplicationFactory,
    InternshipFactory,
    OpportunityFactory,
    PlacementFactory,
    at,
    pathway_at,
)
from workbased import selectors
from workbased.enums import ApplicationStatus, OpportunityStatus, PlacementStatus
from workbased.models import Attendance, Reflection

pytestmark = pytest.mark.django_db


def test_board_choices_are_every_sector_and_the_published_pathways(django_assert_num_queries):
    sector = SectorFactory(name="Health")
    published = PathwayFactory(name="Nursing", sector=sector)
    PathwayFactory(name="Draft", status=PathwayStatus.DRAFT)

    with django_assert_num_queries(2):
        choices = selectors.board_filter_choices()

    assert (sector.pk, "Health") in choices["sectors"]
    assert [pk for pk, _name in choices["pathways"]] == [published.pk]


def test_the_roster_is_the_accepted_and_the_recorded_with_name_grade_school_only(
    org, django_assert_num_queries
):
    event = OpportunityFactory(organization=org, sessions=[(at(-1, 9), at(-1, 11))])
    session = event.sessions.get()
    accepted = ApplicationFactory(
        opportunity=event,
        status=ApplicationStatus.ACCEPTED,
        student=StudentProfileFactory(user__full_name="Amy Accepted", grade=11),
    ).student
    ApplicationFactory(opportunity=event, student=StudentProfileFactory(user__full_name="Sue Sub"))
    recorded = StudentProfileFactory(user__full_name="Rex Recorded")
    Attendance.objects.create(session=session, student=recorded)

    with django_assert_num_queries(1):
        roster = selectors.attendance_roster(opportunity=event, session=session)

    assert [f.name for f in dataclasses.fields(selectors.RosterRow)] == [
        "student_id",
        "name",
        "grade",
        "school",
        "present",
    ]
    assert [(r.student_id, r.name, r.grade, r.school, r.present) for r in roster] == [
        (accepted.pk, "Amy Accepted", 11, accepted.school.name, False),
        (recorded.pk, "Rex Recorded", recorded.grade, recorded.school.name, True),
    ]


def test_a_students_wbl_lists_what_they_may_reflect_on(profile, org, other_student):
    started = PlacementFactory(
        application__student=profile,
        application__opportunity=InternshipFactory(organization=org, title="Started"),
    )
    PlacementFactory(
        application__student=profile,
        application__opportunity=InternshipFactory(organization=org, title="Future"),
        starts_on=timezone.localdate() + timedelta(days=5),
        ends_on=timezone.localdate() + timedelta(days=50),
    )
    PlacementFactory(
        application__student=profile,
        application__opportunity=InternshipFactory(organization=org, title="Cancelled"),
        status=PlacementStatus.CANCELLED,
    )
    attended = OpportunityFactory(
        organization=org, title="Attended", sessions=[(at(-2, 9), at(-2, 11))]
    )
    ApplicationFactory(student=profile, opportunity=attended, status=ApplicationStatus.ACCEPTED)
    attendance = Attendance.objects.create(session=attended.sessions.get(), student=profile)
    past = OpportunityFactory(
        organization=org, title="Past talk", sessions=[(at(-3, 9), at(-3, 11))]
    )
    talk = ApplicationFactory(student=profile, opportunity=past, status=ApplicationStatus.ACCEPTED)
    ApplicationFactory(
        student=profile,
        opportunity=OpportunityFactory(organization=org, title="Coming"),
        status=ApplicationStatus.ACCEPTED,
    )
    written = Reflection.objects.create(
        student=profile, attendance=attendance, what_i_did="a", what_i_learned="b"
    )
    Reflection.objects.create(
        student=StudentProfileFactory(user=other_student),
        placement=PlacementFactory(),
        what_i_did="theirs",
        what_i_learned="x",
    )

    wbl = selectors.student_wbl(student=profile)

    assert [(e.about, e.pk, e.title) for e in wbl.to_reflect] == [
        ("placement", started.pk, "Started"),
        ("attendance", attendance.pk, "Attended"),
        ("application", talk.pk, "Past talk"),
    ]
    assert [e.reflection for e in wbl.to_reflect] == [None, written, None]
    assert [r.pk for r in wbl.reflections] == [written.pk]


def test_a_students_wbl_costs_five_queries(profile, org, django_assert_num_queries):
    for _ in range(3):
        PlacementFactory(application__student=profile)
    with django_assert_num_queries(5):
        selectors.student_wbl(student=profile)


def test_the_host_summary_counts_applications_waiting(org, other_org, django_assert_num_queries):
    soon = OpportunityFactory(organization=org, title="Soon", sessions=[(at(3, 9), at(3, 10))])
    later = OpportunityFactory(organization=org, title="Later", sessions=[(at(9, 9), at(9, 10))])
    OpportunityFactory(organization=org, status=OpportunityStatus.CANCELLED)
    ApplicationFactory.create_batch(2, opportunity=later)
    ApplicationFactory(opportunity=later, status=ApplicationStatus.ACCEPTED)
    ApplicationFactory(opportunity=OpportunityFactory(organization=other_org))

    with django_assert_num_queries(2):
        summary = selectors.host_summary(organization=org)

    assert [(o.pk, o.applications_waiting) for o in summary.opportunities] == [
        (soon.pk, 0),
        (later.pk, 2),
    ]
    assert summary.applications_waiting == 2


def test_a_counselor_asks_for_their_schools_and_their_pathways(counselor, staff):
    mine, other = SchoolFactory(), SchoolFactory()
    CounselorProfileFactory(user=counselor, schools=[mine])
    here, there = pathway_at(mine), pathway_at(other)
    draft = pathway_at(mine, status=PathwayStatus.DRAFT)

    choices = selectors.request_form_choices(user=counselor)
    everything = selectors.request_form_choices(user=staff)

    assert list(choices["schools"]) == [mine]
    assert list(choices["pathways"]) == [here]
    assert set(everything["schools"]) >= {mine, other}
    assert {here, there} <= set(everything["pathways"]) and draft not in everything["pathways"]
