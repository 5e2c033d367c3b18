"""Thin Celery beat tasks around the workbased services (registered in settings'
``CELERY_BEAT_SCHEDULE``)."""

from __future__ import annotations

from celery import shared_task

from .services import hours_waiting_digest, session_reminders_send


@shared_task(name="workbased.session_reminders")
def send_session_reminders() -> int:
    """Daily: reminders for the sessions two days ahead (each session once)."""
    return session_reminders_send()


@shared_task(name="workbased.hours_waiting_digest")
def send_hours_waiting_digest() -> int:
    """Weekly: each supervisor's list of hours waiting for approval (once a week)."""
    return hours_waiting_digest()
