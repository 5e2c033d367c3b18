"""The work-based learning back office: every page opens for staff, and only staff get in."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.workbased import HoursLogFactory, SchoolRequestFactory
from workbased.models import Attendance, Evaluation, GuardianConsent, Reflection

pytestmark = pytest.mark.django_db

MODELS = [
    "opportunity",
    "application",
    "placement",
    "hourslog",
    "evaluation",
    "reflection",
    "attendance",
    "schoolrequest",
]


@pytest.fixture
def objects(staff):
    hours = HoursLogFactory()
    placement = hours.placement
    application = placement.application
    GuardianConsent.objects.create(application=application, guardian_email="g@example.org")
    session = application.opportunity.sessions.get()
    attendance = Attendance.objects.create(session=session, student=application.student)
    evaluation = Evaluation.objects.create(
        placement=placement,
        evaluator=staff,
        communication=3,
        teamwork=3,
        problem_solving=3,
        professionalism=3,
        technical_skill=3,
    )
    reflection = Reflection.objects.create(
        student=application.student, placement=placement, what_i_did="a", what_i_learned="b"
    )
    return {
        "opportunity": application.opportunity,
        "application": application,
        "placement": placement,
        "hourslog": hours,
        "evaluation": evaluation,
        "reflection": reflection,
        "attendance": attendance,
        "schoolrequest": SchoolRequestFactory(earliest_date=timezone.localdate()),
    }


@pytest.mark.parametrize("model", MODELS)
def test_staff_open_every_workbased_admin_page(client_for, staff, objects, model):
    client = client_for(staff)
    for url in (
        reverse(f"admin:workbased_{model}_changelist"),
        reverse(f"admin:workbased_{model}_changelist") + "?q=a",
        reverse(f"admin:workbased_{model}_change", args=[objects[model].pk]),
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["student", "counselor", "employer"])
def test_only_staff_enter_the_workbased_back_office(client_for, request, role):
    user = request.getfixturevalue(role)
    response = client_for(user).get(reverse("admin:workbased_opportunity_changelist"))
    assert response.status_code == 302
