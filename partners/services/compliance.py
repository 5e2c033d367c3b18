"""Reminding CTE staff of partner paperwork to renew: agreements and insurance certificates
that expired or expire within ``PARTNERS_EXPIRING_DAYS`` (the page ``/partners/expiring/``
lists the same)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from .. import emails, selectors


def compliance_reminder_period(today: date) -> str:
    """The week a reminder belongs to ("2026-W07"): one reminder per staff member and week,
    however often the task runs."""
    year, week, _weekday = today.isocalendar()
    return f"{year}-W{week:02d}"


def compliance_reminder_send(*, today: date | None = None) -> int:
    """Tell CTE staff, through the outbox, what is expired or expiring this week. Nothing
    due, nothing sent. Running it again in the same week sends nothing more (the event key
    is the week). Returns how many messages were queued."""
    today = today or timezone.localdate()
    due = selectors.compliance_due(today=today)
    if not due:
        return 0
    with transaction.atomic():
        return emails.compliance_reminder(
            period=compliance_reminder_period(today),
            agreements=list(due.agreements),
            insurance=list(due.insurance),
        )
