"""The board, an opportunity's page, applying and the .ics file, for every role, with another
organization's drafts and another school's events that exist and must not appear."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from cte_portal.notifications.models import Notification
from tests.factories.pathways import OfferingFactory, PathwayFactory, SchoolFactory, SectorFactory
from tests.factories.students import CounselorProfileFactory, EnrollmentFactory
from tests.factories.workbased import ApplicationFactory, InternshipFactory, OpportunityFactory, at
from tests.workbased.conftest import years_ago
from workbased.enums import ApplicationStatus, ConsentState, OpportunityKind, OpportunityStatus
from workbased.models import Application

pytestmark = pytest.mark.django_db

BOARD = reverse("workbased:opportunity_list")


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def listed(response) -> list[int]:
    return [o.pk for o in response.context["page"].object_list]


def detail(opportunity) -> str:
    return reverse("workbased:opportunity_detail", args=[opportunity.pk])


def apply(opportunity) -> str:
    return reverse("workbased:opportunity_apply", args=[opportunity.pk])


@pytest.fixture
def board(org, other_org, profile):
    return {
        "published": OpportunityFactory(organization=org, title="Published Talk"),
        "draft": OpportunityFactory(
            organization=org, title="Secret Draft", status=OpportunityStatus.DRAFT
        ),
        "their_draft": OpportunityFactory(
            organization=other_org, title="Their Draft", status=OpportunityStatus.DRAFT
        ),
        "my_school": OpportunityFactory(
            organization=other_org, title="My School Visit", school=profile.school
        ),
        "other_school": OpportunityFactory(
            organization=other_org, title="Other School Visit", school=SchoolFactory()
        ),
    }


# --- The board ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, "student", "counselor", "staff", "employer"])
def test_the_board_shows_what_each_role_may_see(request, client_for, board, profile, role):
    user = request.getfixturevalue(role) if role else None
    if role == "counselor":
        CounselorProfileFactory(user=user, schools=[profile.school])
    b = board
    expected = {
        None: [b["published"]],
        "student": [b["published"], b["my_school"]],
        "counselor": [b["published"], b["my_school"]],
        "staff": list(b.values()),
        "employer": [b["published"], b["draft"]],
    }[role]

    response = client_for(user).get(BOARD)

    assert sorted(listed(response)) == sorted(o.pk for o in expected)
    html = page(response)
    for hidden in set(b.values()) - set(expected):
        assert hidden.title not in html


def test_each_filter_narrows_the_board_and_stays_in_the_address(client, org):
    health = SectorFactory(name="Health Sciences")
    nursing = PathwayFactory(name="Nursing", sector=health)
    match = InternshipFactory(
        organization=org,
        title="Paid virtual nursing internship",
        is_virtual=True,
        sectors=[health],
        pathways=[nursing],
        sessions=[(at(20, 9), at(40, 17))],
    )
    OpportunityFactory(organization=org, title="Unpaid talk", sectors=[health])
    OpportunityFactory(organization=org, kind=OpportunityKind.INTERNSHIP, title="In person")
    InternshipFactory(organization=org, title="Later", sessions=[(at(90, 9), at(120, 17))])
    day = timezone.localdate()
    filters = {
        "kind": "internship",
        "sector": health.pk,
        "pathway": nursing.pk,
        "starts_from": (day + timedelta(days=19)).isoformat(),
        "starts_until": (day + timedelta(days=21)).isoformat(),
        "virtual": "yes",
        "paid": "yes",
        "q": "nursing",
    }

    response = client.get(f"{BOARD}?{urlencode(filters)}")

    assert listed(response) == [match.pk]
    html = page(response)
    assert "1 opportunity" in html
    # The form shows the filters chosen, so the address can be shared and changed.
    form = response.context["form"]
    assert form["kind"].value() == "internship" and form["paid"].value() == "yes"
    assert f'value="{health.pk}" selected' in html
    for name, value in filters.items():
        narrower = {name: value}
        assert match.pk in listed(client.get(f"{BOARD}?{urlencode(narrower)}")), name


def test_a_bad_filter_is_shown_and_the_others_still_apply(client, org):
    paid = InternshipFactory(organization=org)
    OpportunityFactory(organization=org)

    response = client.get(f"{BOARD}?paid=yes&starts_from=not-a-date&sector=abc")

    assert listed(response) == [paid.pk]
    html = page(response)
    assert "Some filters could not be used" in html
    assert response.context["form"].errors.keys() == {"starts_from", "sector"}


def test_the_board_is_paginated_and_keeps_its_filters(client, org):
    OpportunityFactory.create_batch(21, organization=org, is_paid=True)

    first = client.get(f"{BOARD}?paid=yes")
    second = client.get(f"{BOARD}?paid=yes&page=2")

    assert len(listed(first)) == 20 and len(listed(second)) == 1
    assert "paid=yes&amp;page=2" in page(first)


def test_an_empty_board_says_so(client):
    assert "No opportunity is open right now" in page(client.get(BOARD))
    html = page(client.get(f"{BOARD}?kind=scholarship"))
    assert "No opportunity matches these filters" in html
    assert "See every opportunity" in html


def _grow_board(org):
    def grow(count):
        for _ in range(count):
            OpportunityFactory(
                organization=org,
                sectors=[SectorFactory()],
                pathways=[PathwayFactory()],
                sessions=[(at(5, 9), at(5, 11)), (at(6, 9), at(6, 11))],
            )

    return grow


def test_board_query_count(query_budget, org, staff):
    # session, user, the filters' sectors and pathways, the count, the rows (organization,
    # host, school, first start, seats left), their sectors, pathways and sessions, and the
    # header's unread count
    query_budget(BOARD, max_queries=10, grow=_grow_board(org), user=staff)


def test_board_query_count_anonymous(query_budget, org):
    # the filters' sectors and pathways, the count, the rows, sectors, pathways, sessions
    query_budget(BOARD, max_queries=7, grow=_grow_board(org))


# --- An opportunity's page -----------------------------------------------------------------------


def test_the_page_shows_sessions_seats_left_and_facts(client, org):
    opportunity = OpportunityFactory(
        organization=org,
        title="Hospital site visit",
        seats=12,
        min_grade=10,
        needs_guardian_consent=True,
        sessions=[(at(10, 9), at(10, 11)), (at(11, 13), at(11, 15))],
    )
    opportunity.seats_filled = 5
    opportunity.save()

    html = page(client.get(detail(opportunity)))

    assert "Hospital site visit" in html and org.name in html
    assert "7 left of 12" in html
    assert "Grade 10 and above." in html
    assert "Needed for students under 18" in html
    assert "9 a.m.\u201311 a.m." in html and "1 p.m.\u20133 p.m." in html  # en dashes
    assert reverse("workbased:opportunity_calendar", args=[opportunity.pk]) in html
    assert "Sign in to apply" in html  # anonymous


def test_another_organizations_draft_is_not_found(client_for, board, other_employer, student):
    for user in (None, student, other_employer):
        assert client_for(user).get(detail(board["draft"])).status_code == 404
    assert client_for(other_employer).get(detail(board["their_draft"])).status_code == 200


def test_another_schools_event_is_not_found_for_a_student(client_for, board, profile, student):
    client = client_for(student)
    assert client.get(detail(board["other_school"])).status_code == 404
    assert client.get(detail(board["my_school"])).status_code == 200


def test_a_student_who_may_apply_sees_the_form(client_for, profile, org):
    opportunity = OpportunityFactory(organization=org)

    html = page(client_for(profile.user).get(detail(opportunity)))

    assert "You can apply." in html
    assert f'action="{apply(opportunity)}"' in html
    assert 'name="statement"' in html


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"min_grade": 11}, "for students in grade 11 and above; you are in grade 10"),
        ({"min_age": 16}, "You must be at least 16"),
        ({"apply_by_days": -1}, "The application deadline was"),
    ],
)
def test_a_student_who_may_not_apply_reads_exactly_why(client_for, profile, org, fields, reason):
    if "apply_by_days" in fields:
        fields = {"apply_by": timezone.localdate() + timedelta(days=fields["apply_by_days"])}
    opportunity = OpportunityFactory(organization=org, **fields)

    html = page(client_for(profile.user).get(detail(opportunity)))

    assert "You cannot apply:" in html and reason in html
    assert 'name="statement"' not in html


def test_a_pathway_only_opportunity_names_the_pathways(client_for, profile, org):
    nursing = PathwayFactory(name="Nursing")
    opportunity = OpportunityFactory(organization=org, pathways=[nursing])

    html = page(client_for(profile.user).get(detail(opportunity)))
    assert "This opportunity is for students in these pathways: Nursing." in html

    EnrollmentFactory(
        student=profile,
        offering=OfferingFactory(pathway=nursing, school=profile.school),
        status="approved",
    )
    assert "You can apply." in page(client_for(profile.user).get(detail(opportunity)))


def test_a_student_who_applied_sees_their_status(client_for, profile, org):
    opportunity = OpportunityFactory(organization=org)
    ApplicationFactory(
        student=profile,
        opportunity=opportunity,
        status=ApplicationStatus.WAITLISTED,
        waitlist_position=2,
    )

    html = page(client_for(profile.user).get(detail(opportunity)))

    assert "You applied on" in html and "Wait-listed" in html
    assert 'name="statement"' not in html


def test_the_host_sees_what_they_can_do(client_for, org, employer):
    draft = OpportunityFactory(organization=org, status=OpportunityStatus.DRAFT)
    published = OpportunityFactory(organization=org)

    draft_html = page(client_for(employer).get(detail(draft)))
    published_html = page(client_for(employer).get(detail(published)))

    assert reverse("workbased:opportunity_edit", args=[draft.pk]) in draft_html
    assert reverse("workbased:opportunity_submit", args=[draft.pk]) in draft_html
    assert reverse("workbased:applicants", args=[draft.pk]) not in draft_html
    assert reverse("workbased:applicants", args=[published.pk]) in published_html
    assert reverse("workbased:attendance", args=[published.pk]) in published_html  # speaker
    assert reverse("workbased:opportunity_edit", args=[published.pk]) not in published_html


def test_a_returned_opportunity_shows_the_reason_to_its_host(client_for, org, employer):
    returned = OpportunityFactory(
        organization=org, status=OpportunityStatus.RETURNED, return_reason="Add the address."
    )

    assert "Add the address." in page(client_for(employer).get(detail(returned)))


# --- Applying ----------------------------------------------------------------------------------


def test_a_student_applies_and_the_host_is_told(client_for, profile, org, employer):
    opportunity = OpportunityFactory(organization=org, host=employer.partner_contact)

    response = client_for(profile.user).post(
        apply(opportunity), {"statement": "I want to be a nurse."}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("workbased:mine")
    application = Application.objects.get()
    assert (application.student_id, application.opportunity_id) == (profile.pk, opportunity.pk)
    assert application.statement == "I want to be a nurse."
    assert list(
        Notification.objects.filter(kind="wbl_application_received").values_list("email", flat=True)
    ) == [employer.email]


def test_applying_where_consent_is_needed_says_the_guardian_is_asked(client_for, profile, org):
    opportunity = OpportunityFactory(organization=org, needs_guardian_consent=True)
    client = client_for(profile.user)

    response = client.post(apply(opportunity), {"statement": "Please."}, follow=True)

    assert "We e-mailed your guardian" in page(response)
    assert Application.objects.get().guardian_consent == ConsentState.PENDING


def test_an_empty_statement_is_refused_on_the_form(client_for, profile, org):
    opportunity = OpportunityFactory(organization=org)

    response = client_for(profile.user).post(apply(opportunity), {"statement": "   "})

    html = page(response)
    assert "Tell the host why you are applying" in html
    assert Application.objects.count() == 0


def test_a_refusal_keeps_what_was_typed(client_for, profile, org):
    opportunity = OpportunityFactory(organization=org, min_age=17)
    profile.date_of_birth = years_ago(15)
    profile.save()

    response = client_for(profile.user).post(
        apply(opportunity), {"statement": "My long, careful statement."}
    )

    html = page(response)
    assert "You must be at least 17" in html
    assert "My long, careful statement." in html
    assert Application.objects.count() == 0


def test_applying_twice_says_so(client_for, profile, org):
    opportunity = OpportunityFactory(organization=org)
    client = client_for(profile.user)
    client.post(apply(opportunity), {"statement": "Once."})

    html = page(client.post(apply(opportunity), {"statement": "Twice."}))

    assert "You have already applied to this opportunity." in html
    assert Application.objects.count() == 1


def test_only_students_apply_and_only_to_what_they_see(client_for, board, profile, employer):
    assert (
        client_for(employer).post(apply(board["published"]), {"statement": "x"}).status_code == 403
    )
    student = client_for(profile.user)
    assert student.post(apply(board["draft"]), {"statement": "x"}).status_code == 404
    assert student.post(apply(board["other_school"]), {"statement": "x"}).status_code == 404
    assert Application.objects.count() == 0


# --- The calendar file ------------------------------------------------------------------------


def test_the_ics_file_is_served_as_a_calendar(client, org):
    opportunity = OpportunityFactory(
        organization=org,
        title="Career day",
        sessions=[(at(3, 9), at(3, 12)), (at(4, 9), at(4, 12))],
    )

    response = client.get(reverse("workbased:opportunity_calendar", args=[opportunity.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="opportunity-{opportunity.pk}.ics"' in response["Content-Disposition"]
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    uids = [line for line in body.split("\r\n") if line.startswith("UID:")]
    assert [u.split("@")[0] for u in uids] == [
        f"UID:wbl-session-{s.pk}" for s in opportunity.sessions.order_by("starts_at")
    ]
    assert "SUMMARY:Career day" in body


def test_a_drafts_ics_is_not_found_for_others(client_for, board, other_employer):
    url = reverse("workbased:opportunity_calendar", args=[board["draft"].pk])
    assert client_for(None).get(url).status_code == 404
    assert client_for(other_employer).get(url).status_code == 404
