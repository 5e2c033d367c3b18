"""The cross-cutting panel registry (cte_portal.panels), what workbased adds to the student's and
the employer's dashboards through it, and the header's links."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from cte_portal import panels
from cte_portal.context_processors import navigation_for
from partners.panels import EMPLOYER_DASHBOARD, sector_advisory_panel
from pathways.panels import PATHWAY_JOIN, SECTOR
from students.panels import STUDENT_DASHBOARD, enroll_panel
from tests.factories.students import StudentProfileFactory
from tests.factories.workbased import ApplicationFactory, OpportunityFactory
from workbased.enums import OpportunityStatus
from workbased.panels import employer_dashboard_panel, student_dashboard_panel


@pytest.fixture(autouse=True)
def _forget_test_slots():
    yield
    for name in [n for n in panels.slots() if n.startswith("tests.")]:
        del panels._panels[name]


def test_a_slot_is_declared_once_and_keeps_its_panels():
    name = panels.declare_slot("tests.slot")
    panels.register_panel(name, lambda request, obj: f"<p>{obj}</p>")
    assert panels.declare_slot("tests.slot") == name

    assert panels.panels_for(name, RequestFactory().get("/"), "hello") == ["<p>hello</p>"]


def test_a_panel_registered_twice_renders_once_and_empty_ones_are_left_out():
    name = panels.declare_slot("tests.twice")

    def panel(request, obj):
        return "<p>once</p>"

    panels.register_panel(name, panel)
    panels.register_panel(name, panel)
    panels.register_panel(name, lambda request, obj: "  ")

    assert panels.panels_for(name, RequestFactory().get("/"), None) == ["<p>once</p>"]


def test_an_unknown_slot_is_refused():
    with pytest.raises(ValueError, match="Unknown panel slot"):
        panels.register_panel("nobody.declared.this", lambda request, obj: "")
    with pytest.raises(ValueError, match="Unknown panel slot"):
        panels.panels_for("nobody.declared.this", RequestFactory().get("/"))


def test_each_app_fills_the_slots_of_the_apps_below_it():
    registered = panels._panels
    assert enroll_panel in registered[PATHWAY_JOIN]
    assert sector_advisory_panel in registered[SECTOR]
    assert student_dashboard_panel in registered[STUDENT_DASHBOARD]
    assert employer_dashboard_panel in registered[EMPLOYER_DASHBOARD]


@pytest.mark.django_db
def test_the_student_dashboard_shows_my_applications_only(client_for, profile, org, other_student):
    mine = ApplicationFactory(student=profile, opportunity=OpportunityFactory(title="My Talk"))
    ApplicationFactory(
        student=StudentProfileFactory(user=other_student),
        opportunity=OpportunityFactory(title="Their Talk"),
    )

    html = client_for(profile.user).get(reverse("students:me")).content.decode()

    assert "Work-based learning" in html and "My Talk" in html and "Their Talk" not in html
    assert reverse("workbased:opportunity_detail", args=[mine.opportunity_id]) in html
    assert reverse("workbased:mine") in html


@pytest.mark.django_db
def test_the_employer_dashboard_shows_our_opportunities_and_applicants_waiting(
    client_for, employer, org, other_org
):
    ours = OpportunityFactory(organization=org, title="Our Talk")
    ApplicationFactory.create_batch(2, opportunity=ours)
    OpportunityFactory(organization=org, title="Our Old Talk", status=OpportunityStatus.CANCELLED)
    theirs = OpportunityFactory(organization=other_org, title="Their Talk")
    ApplicationFactory(opportunity=theirs)

    html = client_for(employer).get(reverse("partners:dashboard")).content.decode()

    assert "Our Talk" in html and "2 applications wait for your decision." in html
    assert "Their Talk" not in html and "Our Old Talk" not in html
    assert reverse("workbased:applicants", args=[ours.pk]) in html
    assert reverse("workbased:opportunity_new") in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "label", "name"),
    [
        (None, "Opportunities", "workbased:opportunity_list"),
        ("student", "Opportunities", "workbased:opportunity_list"),
        ("student", "My work-based learning", "workbased:mine"),
        ("employer", "Manage opportunities", "workbased:manage"),
        ("staff", "Review queue", "workbased:review"),
        ("counselor", "Work-based learning", "workbased:students"),
    ],
)
def test_the_header_links_to_opportunities_and_each_roles_pages(request, role, label, name):
    user = request.getfixturevalue(role) if role else None

    assert (label, reverse(name)) in navigation_for(user)


@pytest.mark.django_db
def test_roles_get_only_their_own_links(student, employer):
    student_links = [url for _label, url in navigation_for(student)]
    employer_links = [url for _label, url in navigation_for(employer)]

    assert reverse("workbased:manage") not in student_links
    assert reverse("workbased:review") not in student_links + employer_links
    assert reverse("workbased:mine") not in employer_links
