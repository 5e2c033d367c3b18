"""Reads: who sees which opportunities, the board's filters and its query count, and the
FERPA-limited applicant view employers get."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.factories.pathways import OfferingFactory, PathwayFactory, SchoolFactory, SectorFactory
from tests.factories.students import (
    CounselorProfileFactory,
    EnrollmentFactory,
    StudentProfileFactory,
)
from tests.factories.workbased import (
    ApplicationFactory,
    HoursLogFactory,
    OpportunityFactory,
    PlacementFactory,
    at,
)
from workbased import selectors
from workbased.enums import OpportunityKind, OpportunityStatus
from workbased.selectors import APPLICANT_FIELDS, Applicant, BoardFilters

pytestmark = pytest.mark.django_db


def ids(queryset) -> list[int]:
    return sorted(o.pk for o in queryset)


@pytest.fixture
def board(org, other_org, profile):
    """Published, draft and submitted ones of the employer's organization; another partner's
    published and draft; a published one for Ana's school only and one for another school."""
    return {
        "published": OpportunityFactory(organization=org),
        "draft": OpportunityFactory(organization=org, status=OpportunityStatus.DRAFT),
        "submitted": OpportunityFactory(organization=org, status=OpportunityStatus.SUBMITTED),
        "theirs": OpportunityFactory(organization=other_org),
        "their_draft": OpportunityFactory(organization=other_org, status=OpportunityStatus.DRAFT),
        "my_school": OpportunityFactory(organization=other_org, school=profile.school),
        "other_school": OpportunityFactory(organization=other_org, school=SchoolFactory()),
    }


def test_each_role_sees_its_opportunities(
    board, student, other_student, employer, other_employer, staff, counselor, profile
):
    StudentProfileFactory(user=other_student)
    CounselorProfileFactory(user=counselor, schools=[profile.school])
    b = board
    public = [b["published"].pk, b["theirs"].pk]

    assert ids(selectors.opportunity_board(user=None)) == sorted(public)
    assert ids(selectors.opportunity_board(user=student)) == sorted([*public, b["my_school"].pk])
    assert ids(selectors.opportunity_board(user=other_student)) == sorted(public)
    assert ids(selectors.opportunity_board(user=counselor)) == sorted([*public, b["my_school"].pk])
    assert ids(selectors.opportunity_board(user=employer)) == sorted(
        [*public, b["draft"].pk, b["submitted"].pk]
    )
    assert ids(selectors.opportunity_board(user=other_employer)) == sorted(
        [*public, b["their_draft"].pk, b["my_school"].pk, b["other_school"].pk]
    )
    assert len(selectors.opportunity_board(user=staff)) == 7


def test_someone_elses_draft_is_not_found(board, other_employer, student):
    for someone in (other_employer, student, None):
        with pytest.raises(selectors.Opportunity.DoesNotExist):
            selectors.opportunity_for(user=someone, pk=board["draft"].pk)


def test_board_filters(org):
    health, it = SectorFactory(), SectorFactory()
    nursing = PathwayFactory(sector=health)
    pharmacy = PathwayFactory(sector=health)
    for_nursing = OpportunityFactory(organization=org, sectors=[health], pathways=[nursing])
    any_health = OpportunityFactory(organization=org, sectors=[health], is_paid=True)
    virtual_it = OpportunityFactory(
        organization=org,
        sectors=[it],
        is_virtual=True,
        kind=OpportunityKind.MENTORING,
        sessions=[(at(40, 16), at(40, 17))],
    )

    def run(**filters):
        return ids(selectors.opportunity_board(user=None, filters=BoardFilters(**filters)))

    assert run(sector=health.pk) == ids([for_nursing, any_health])
    assert run(pathway=nursing.pk) == ids([for_nursing, any_health])
    assert run(pathway=pharmacy.pk) == ids([any_health])
    assert run(kind=OpportunityKind.MENTORING) == [virtual_it.pk]
    assert run(virtual=True) == [virtual_it.pk]
    assert run(virtual=False) == ids([for_nursing, any_health])
    assert run(paid=True) == [any_health.pk]
    today = timezone.localdate()
    assert run(starts_from=today + timedelta(days=30)) == [virtual_it.pk]
    assert run(starts_until=today + timedelta(days=20)) == ids([for_nursing, any_health])
    assert run(
        starts_from=today + timedelta(days=14), starts_until=today + timedelta(days=14)
    ) == ids([for_nursing, any_health])


def test_the_board_annotates_first_start_and_seats_left(org):
    OpportunityFactory(
        organization=org,
        seats=5,
        seats_filled=2,
        sessions=[(at(9, 9), at(9, 10)), (at(3, 9), at(3, 10))],
    )
    row = selectors.opportunity_board(user=None).get()
    assert (row.first_starts_at, row.last_ends_at, row.seats_open) == (at(3, 9), at(9, 10), 3)


@pytest.mark.parametrize("n", (1, 20))
def test_board_query_count(n, org, django_assert_max_num_queries):
    sector = SectorFactory()
    for _ in range(n):
        OpportunityFactory(
            organization=org, sectors=[sector], pathways=[PathwayFactory(sector=sector)]
        )
    with django_assert_max_num_queries(4):  # rows, sectors, pathways, sessions
        rows = list(selectors.opportunity_board(user=None))
        shown = [
            (
                [s.name for s in row.sectors.all()],
                [p.name for p in row.pathways.all()],
                [s.starts_at for s in row.sessions.all()],
                row.organization.name,
                row.host.user.full_name,
            )
            for row in rows
        ]
    assert len(shown) == n


@pytest.mark.parametrize("n", (1, 20))
def test_employer_opportunities_count_applications_in_sql(
    n, org, employer, django_assert_max_num_queries
):
    opportunity = OpportunityFactory(organization=org)
    for _ in range(n):
        ApplicationFactory(opportunity=opportunity)
    with django_assert_max_num_queries(5):  # contact, rows, sectors, pathways, sessions
        [row] = list(selectors.employer_opportunities(user=employer))
    assert (row.applications_total, row.applications_waiting, row.applications_accepted) == (
        n,
        n,
        0,
    )


# --- Applicants (FERPA) ---------------------------------------------------------------------------


def test_the_applicant_view_has_exactly_the_fields_employers_may_see():
    assert APPLICANT_FIELDS == (
        "application_id",
        "opportunity_id",
        "status",
        "waitlist_position",
        "guardian_consent",
        "submitted_at",
        "name",
        "grade",
        "school",
        "pathway",
        "statement",
    )
    assert [f.name for f in dataclasses.fields(Applicant)] == list(APPLICANT_FIELDS)


def test_the_host_sees_name_grade_school_pathway_statement_and_nothing_else(org, employer, profile):
    opportunity = OpportunityFactory(organization=org)
    pathway = PathwayFactory(name="Nursing")
    EnrollmentFactory(
        student=profile,
        offering=OfferingFactory(pathway=pathway, school=profile.school),
        status="approved",
    )
    profile.gpa = "3.90"
    profile.save()
    application = ApplicationFactory(student=profile, opportunity=opportunity, statement="Hi!")

    rows = list(selectors.applicants_visible_to(user=employer, opportunity=opportunity))
    assert rows == [
        {
            "application_id": application.pk,
            "opportunity_id": opportunity.pk,
            "status": "submitted",
            "waitlist_position": None,
            "guardian_consent": "not_needed",
            "submitted_at": application.submitted_at,
            "name": "Ana Student",
            "grade": 10,
            "school": profile.school.name,
            "pathway": "Nursing",
            "statement": "Hi!",
        }
    ]
    [applicant] = selectors.applicants_for(user=employer, opportunity=opportunity)
    assert applicant == Applicant(**rows[0])
    for secret in ("3.90", profile.district_id, profile.guardian_email, "hispanic", "female"):
        assert secret not in repr(applicant)


def test_another_employer_gets_no_applicants(org, other_employer, other_org, profile):
    opportunity = OpportunityFactory(organization=org)
    ApplicationFactory(student=profile, opportunity=opportunity)
    assert list(selectors.applicants_visible_to(user=other_employer)) == []
    with pytest.raises(PermissionDenied):
        selectors.applicants_for(user=other_employer, opportunity=opportunity)


@pytest.mark.parametrize("n", (1, 20))
def test_applicant_list_query_count(n, org, employer, django_assert_max_num_queries):
    opportunity = OpportunityFactory(organization=org)
    for _ in range(n):
        ApplicationFactory(opportunity=opportunity)
    with django_assert_max_num_queries(2):  # the employer's contact, the rows
        rows = selectors.applicants_for(user=employer, opportunity=opportunity)
    assert len(rows) == n


# --- A student's own, and the queues --------------------------------------------------------------


def test_a_student_sees_only_their_own_applications_placements_and_hours(
    profile, student, other_student, org
):
    StudentProfileFactory(user=other_student)
    mine = PlacementFactory(
        application__student=profile, application__opportunity__organization=org
    )
    theirs = PlacementFactory()
    my_hours = HoursLogFactory(placement=mine)
    HoursLogFactory(placement=theirs)

    assert ids(selectors.applications_visible_to(student)) == [mine.application.pk]
    assert ids(selectors.applications_visible_to(other_student)) == []
    assert ids(selectors.placements_visible_to(student)) == [mine.pk]
    assert ids(selectors.hours_visible_to(student)) == [my_hours.pk]
    assert ids(selectors.hours_visible_to(other_student)) == []


def test_hours_to_approve_are_the_hosts_own_first(org, host, employer, other_employer, other_org):
    from tests.factories.partners import ContactFactory

    colleague = ContactFactory(organization=org)
    supervised_by_colleague = HoursLogFactory(
        placement=PlacementFactory(application__opportunity__organization=org, supervisor=colleague)
    )
    mine = HoursLogFactory(
        placement=PlacementFactory(application__opportunity__organization=org, supervisor=host)
    )
    HoursLogFactory()  # another organization's

    assert [h.pk for h in selectors.hours_to_approve(user=employer)] == [
        mine.pk,
        supervised_by_colleague.pk,
    ]
    assert list(selectors.hours_to_approve(user=other_employer)) == []


def test_the_approval_queue_is_oldest_first(org):
    now = timezone.now()
    newer = OpportunityFactory(organization=org, status="submitted", submitted_at=now)
    older = OpportunityFactory(
        organization=org, status="submitted", submitted_at=now - timedelta(days=2)
    )
    OpportunityFactory(organization=org)
    assert [o.pk for o in selectors.approval_queue()] == [older.pk, newer.pk]


def test_the_view_predicate_follows_the_boards_rule(board, student, employer, other_employer):
    from workbased import permissions

    assert permissions.can_view_opportunity(student, board["my_school"])
    assert not permissions.can_view_opportunity(student, board["other_school"])
    assert not permissions.can_view_opportunity(student, board["draft"])
    assert permissions.can_view_opportunity(employer, board["draft"])
    assert not permissions.can_view_opportunity(other_employer, board["draft"])
    assert not permissions.can_view_opportunity(None, board["submitted"])
