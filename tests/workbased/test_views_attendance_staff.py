"""Staff's district-wide attendance page: the one-day events that have started, with who was
accepted and who is recorded present, and recording it through the hosts' attendance page
(the same service)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories.workbased import ApplicationFactory, InternshipFactory, OpportunityFactory, at
from workbased.enums import ApplicationStatus, OpportunityKind, OpportunityStatus
from workbased.models import Attendance

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("workbased:attendance_overview")


@pytest.fixture
def past_visit(org, host):
    return OpportunityFactory(
        organization=org,
        host=host,
        kind=OpportunityKind.SITE_VISIT,
        title="Tour of the emergency department",
        sessions=[(at(-3, 10), at(-3, 12))],
    )


def test_staff_see_the_started_one_day_events_of_every_host(
    client_for, staff, past_visit, other_org, org
):
    elsewhere = OpportunityFactory(
        organization=other_org, title="Coding career day", sessions=[(at(-1, 9), at(-1, 15))]
    )
    ApplicationFactory(opportunity=past_visit, status=ApplicationStatus.ACCEPTED)
    ApplicationFactory(opportunity=past_visit, status=ApplicationStatus.SUBMITTED)
    # Not listed: a future event, an internship (placements log hours), a cancelled event.
    OpportunityFactory(organization=org, title="Next month's talk")
    InternshipFactory(organization=org, sessions=[(at(-30, 9), at(30, 17))])
    OpportunityFactory(
        organization=org,
        title="Cancelled talk",
        status=OpportunityStatus.CANCELLED,
        sessions=[(at(-2, 9), at(-2, 10))],
    )

    response = client_for(staff).get(OVERVIEW)

    rows = [
        (s.opportunity.title, s.accepted_count, s.present_count)
        for s in response.context["page"].object_list
    ]
    assert rows == [("Coding career day", 0, 0), ("Tour of the emergency department", 1, 0)]
    html = response.content.decode()
    session = past_visit.sessions.get()
    assert f"/opportunities/manage/{past_visit.pk}/attendance/?session={session.pk}" in html
    assert elsewhere.organization.name in html


def test_staff_record_attendance_and_the_overview_counts_it(client_for, staff, past_visit):
    accepted = ApplicationFactory(opportunity=past_visit, status=ApplicationStatus.ACCEPTED)
    session = past_visit.sessions.get()
    client = client_for(staff)

    response = client.post(
        reverse("workbased:attendance", args=[past_visit.pk]),
        {"session": session.pk, "present": [accepted.student_id]},
    )

    assert response.status_code == 302
    assert list(Attendance.objects.values_list("student_id", "recorded_by")) == [
        (accepted.student_id, staff.pk)
    ]
    [row] = client.get(OVERVIEW).context["page"].object_list
    assert row.present_count == 1
    page = client.get(reverse("workbased:attendance", args=[past_visit.pk])).content.decode()
    assert "Back to the district's attendance" in page


def test_only_staff_open_the_overview(client_for, counselor, employer, student, past_visit):
    for someone in (counselor, employer, student):
        assert client_for(someone).get(OVERVIEW).status_code == 403
    assert client_for(None).get(OVERVIEW).status_code == 302


def test_attendance_overview_query_count(query_budget, staff, org, host):
    def grow(n):
        for i in range(n):
            event = OpportunityFactory(
                organization=org, host=host, sessions=[(at(-1 - i, 9), at(-1 - i, 10))]
            )
            ApplicationFactory(opportunity=event, status=ApplicationStatus.ACCEPTED)

    # session, user, the schools for the filter, the count, the page (opportunity,
    # organization and school joined; accepted and present counted in SQL), unread count
    query_budget(OVERVIEW, max_queries=6, grow=grow, user=staff)
    query_budget(f"{OVERVIEW}?kind=speaker", max_queries=6, grow=grow, user=staff)


def test_staff_filter_by_type_and_school(client_for, staff, past_visit, org, profile):
    from tests.factories.pathways import SchoolFactory

    asked = SchoolFactory(name="Harbor View High School")
    class_visit = OpportunityFactory(
        organization=org, title="Class visit", school=asked, sessions=[(at(-1, 9), at(-1, 10))]
    )
    ApplicationFactory(opportunity=past_visit, student=profile, status=ApplicationStatus.ACCEPTED)
    client = client_for(staff)

    def titles(query):
        page = client.get(OVERVIEW, query).context["page"]
        return [s.opportunity.title for s in page.object_list]

    assert titles({"kind": "site_visit"}) == [past_visit.title]
    assert titles({"school": asked.pk}) == [class_visit.title]
    # A school whose student was accepted: the event counts for it too.
    assert titles({"school": profile.school_id}) == [past_visit.title]
    # An invalid filter is shown and ignored.
    response = client.get(OVERVIEW, {"kind": "internship", "school": "x"})
    assert set(response.context["form"].errors) == {"kind", "school"}
    assert len(response.context["page"].object_list) == 2
