"""Seats are settled in PostgreSQL: many accepts at once never overfill an opportunity."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.factories.partners import partner_of
from tests.factories.users import EmployerUserFactory
from tests.factories.workbased import ApplicationFactory, InternshipFactory
from workbased import services
from workbased.models import Application, Opportunity, Placement


@pytest.mark.django_db(transaction=True)
def test_application_accept_200_at_once_fills_exactly_25_seats():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    employer = EmployerUserFactory(email="host@race.example")
    organization = partner_of(employer)
    internship = InternshipFactory(
        organization=organization, host=employer.partner_contact, seats=25
    )
    applications = [ApplicationFactory(opportunity=internship) for _ in range(200)]
    barrier = threading.Barrier(50)
    errors: list[Exception] = []

    def accept(chunk: list[Application]) -> None:
        try:
            barrier.wait()
            for application in chunk:
                services.application_accept(application=application, by=employer)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(applications[i::50],)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Opportunity.objects.get(pk=internship.pk).seats_filled == 25
    accepted = set(Application.objects.filter(status="accepted").values_list("pk", flat=True))
    assert len(accepted) == 25
    assert set(Placement.objects.values_list("application_id", flat=True)) == accepted
    waitlisted = list(Application.objects.filter(status="waitlisted").order_by("waitlist_position"))
    assert [a.waitlist_position for a in waitlisted] == list(range(1, 176))
    assert [a.pk for a in waitlisted] == sorted(a.pk for a in waitlisted)  # submission order


@pytest.mark.django_db(transaction=True)
def test_a_double_click_applies_once_and_the_other_is_told_why():
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions")
    from tests.factories.students import StudentProfileFactory
    from tests.factories.workbased import OpportunityFactory
    from workbased.errors import EligibilityError

    opportunity = OpportunityFactory()
    student = StudentProfileFactory()
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            barrier.wait()
            services.application_submit(
                student=student, opportunity=opportunity, statement="Me, please."
            )
            outcomes.append("applied")
        except EligibilityError as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # pragma: no cover - reported below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["already_applied"] * 7 + ["applied"]
    assert Application.objects.filter(student=student).count() == 1
