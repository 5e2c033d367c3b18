"""Paperwork to renew: agreements and insurance certificates that expired or expire within
``PARTNERS_EXPIRING_DAYS``, on staff's page and in a weekly reminder through the outbox."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cte_portal.celery import app
from partners import selectors, services
from partners.enums import AgreementKind, OrganizationStatus
from partners.services.compliance import compliance_reminder_period
from partners.tasks import send_compliance_reminder
from tests.factories.partners import AgreementFactory, OrganizationFactory
from tests.factories.users import StaffUserFactory
from tests.partners.helpers import rows
from tests.partners.structure import check_structure

pytestmark = pytest.mark.django_db

EXPIRING = reverse("partners:expiring")


def days(n: int) -> date:
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def paperwork():
    """Alpha's MOU expired, Beta's ends in 10 days, Gamma's in a year; Delta renewed its
    expired MOU; Omega is archived. Insurance: Beta expired, Gamma expiring, Alpha fine."""
    alpha = OrganizationFactory(name="Alpha", insurance_expires_on=days(300))
    beta = OrganizationFactory(name="Beta", insurance_expires_on=days(-2))
    gamma = OrganizationFactory(
        name="Gamma", insurance_expires_on=days(30), status=OrganizationStatus.SUSPENDED
    )
    delta = OrganizationFactory(name="Delta")
    omega = OrganizationFactory(
        name="Omega", status=OrganizationStatus.ARCHIVED, insurance_expires_on=days(-100)
    )
    return {
        "alpha_mou": AgreementFactory(organization=alpha, title="Alpha MOU", ends_on=days(-5)),
        "beta_mou": AgreementFactory(organization=beta, title="Beta MOU", ends_on=days(10)),
        "gamma_mou": AgreementFactory(organization=gamma, title="Gamma MOU", ends_on=days(365)),
        "delta_old": AgreementFactory(
            organization=delta,
            title="Delta old MOU",
            starts_on=days(-800),
            ends_on=days(-400),
        ),
        "delta_new": AgreementFactory(organization=delta, title="Delta MOU", ends_on=days(700)),
        "delta_other_kind": AgreementFactory(
            organization=delta,
            kind=AgreementKind.ARTICULATION,
            title="Delta articulation",
            ends_on=days(20),
        ),
        "omega_mou": AgreementFactory(organization=omega, title="Omega MOU", ends_on=days(-30)),
        "beta": beta,
        "gamma": gamma,
    }


def test_what_is_due_is_expired_or_expiring_and_not_renewed(paperwork):
    due = selectors.compliance_due()

    assert [a.pk for a in due.agreements] == [
        paperwork["alpha_mou"].pk,
        paperwork["beta_mou"].pk,
        paperwork["delta_other_kind"].pk,
    ]
    assert [o.pk for o in due.insurance] == [paperwork["beta"].pk, paperwork["gamma"].pk]
    assert [o.insurance_is_expired for o in due.insurance] == [True, False]


def test_the_window_is_the_setting(paperwork, settings):
    settings.PARTNERS_EXPIRING_DAYS = 5

    due = selectors.compliance_due()

    assert [a.pk for a in due.agreements] == [paperwork["alpha_mou"].pk]
    assert [o.pk for o in due.insurance] == [paperwork["beta"].pk]


def test_staff_see_the_expiring_page(client_for, staff, paperwork):
    response = client_for(staff).get(EXPIRING)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Alpha MOU" in html and "Beta MOU" in html and "Delta articulation" in html
    assert "Gamma MOU" not in html and "Delta old MOU" not in html and "Omega" not in html
    assert html.count("portal-flag--expired") == 2  # Alpha's MOU, Beta's insurance
    assert reverse("partners:agreement_edit", args=[paperwork["alpha_mou"].pk]) in html
    check_structure(html)


def test_the_expiring_page_says_when_nothing_is_due(client_for, staff):
    html = client_for(staff).get(EXPIRING).content.decode()

    assert "No agreement has expired or expires soon." in html
    assert "No insurance certificate has expired or expires soon." in html
    check_structure(html)


def test_the_expiring_page_pages_each_list_on_its_own(client_for, staff):
    for i in range(27):
        organization = OrganizationFactory(
            name=f"Partner {i:02d}", insurance_expires_on=days(i - 40)
        )
        AgreementFactory(organization=organization, title=f"MOU {i:02d}", ends_on=days(i - 40))
    client = client_for(staff)

    first = client.get(EXPIRING).content.decode()
    second = client.get(EXPIRING, {"agreements_page": 2, "insurance_page": 2}).content.decode()
    mixed = client.get(EXPIRING, {"agreements_page": 2}).content.decode()

    assert "27 agreements" in first and "27 insurance certificates" in first
    assert "MOU 24" in first and "MOU 25" not in first
    assert "MOU 25" in second and "MOU 26" in second and "MOU 00" not in second
    # The second page of agreements keeps insurance on its first page, and its links keep both.
    assert "MOU 25" in mixed and "MOU 00" not in mixed and ">Partner 00<" in mixed
    assert "?agreements_page=2&amp;insurance_page=2" in mixed
    assert 'aria-label="Pages of agreements"' in first
    assert 'aria-label="Pages of insurance certificates"' in first
    check_structure(second)


def test_the_expiring_page_is_for_staff_only(client_for, employer, student, paperwork):
    assert client_for(employer).get(EXPIRING).status_code == 403
    assert client_for(student).get(EXPIRING).status_code == 403
    assert client_for(None).get(EXPIRING).status_code == 302


def test_the_expiring_page_costs_the_same_for_one_or_many(query_budget, staff):
    def grow(n):
        for i in range(n):
            organization = OrganizationFactory(insurance_expires_on=days(i - 5))
            AgreementFactory(organization=organization, ends_on=days(i - 3))

    # session, user, unread count, agreements and insurance certificates (count, page each)
    query_budget(EXPIRING, max_queries=7, grow=grow, user=staff, sizes=(1, 20))


# --- The weekly reminder -------------------------------------------------------------------------


def test_the_reminder_goes_to_staff_once_a_week(
    staff, paperwork, django_capture_on_commit_callbacks
):
    other = StaffUserFactory(email="second@cte.example")
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())

    sent = []
    for day in (monday, monday + timedelta(days=3), monday + timedelta(days=7)):
        with django_capture_on_commit_callbacks(execute=True):
            sent.append(services.compliance_reminder_send(today=day))

    assert sent == [2, 0, 2]
    assert rows("partner_expiring") == [staff.email, other.email] * 2
    message = next(m for m in mail.outbox if m.to == [staff.email])
    assert message.subject == "Partner agreements and insurance certificates to renew"
    assert "Alpha: Alpha MOU" in message.body and "Beta: expired" in message.body
    assert EXPIRING in message.body


def test_nothing_due_sends_nothing(staff):
    assert services.compliance_reminder_send() == 0
    assert rows("partner_expiring") == []


def test_the_period_is_the_iso_week():
    assert compliance_reminder_period(date(2026, 1, 1)) == "2026-W01"
    assert compliance_reminder_period(date(2024, 12, 30)) == "2025-W01"


def test_celery_beat_runs_the_reminder_weekly(staff, paperwork, django_capture_on_commit_callbacks):
    entry = django_settings.CELERY_BEAT_SCHEDULE["partners-compliance-reminder"]

    assert entry["task"] == "partners.send_compliance_reminder"
    assert entry["task"] in app.tasks
    assert entry["schedule"].day_of_week == {1}  # Monday
    with django_capture_on_commit_callbacks(execute=True):
        assert send_compliance_reminder.apply().get() == 1
    assert rows("partner_expiring") == [staff.email]
