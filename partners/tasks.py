"""Thin Celery wrappers around the partners services. Ids only, never objects."""

from __future__ import annotations

from celery import shared_task

from .services.compliance import compliance_reminder_send


@shared_task(name="partners.send_compliance_reminder")
def send_compliance_reminder() -> int:
    """Celery beat runs it weekly (``CELERY_BEAT_SCHEDULE``): expiring paperwork to staff."""
    return compliance_reminder_send()
