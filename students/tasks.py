"""Thin Celery wrappers around the students app's services. Ids only, never objects."""

from __future__ import annotations

from celery import shared_task

from . import conf
from .roster import services as roster

_LIMIT = conf.get("STUDENTS_ROSTER_TASK_TIME_LIMIT")


@shared_task(
    name="students.roster_import",
    acks_late=True,
    time_limit=_LIMIT,
    soft_time_limit=_LIMIT - 60,
)
def roster_import(run_id: int) -> None:
    """Run a queued roster import (the run records its progress and its report)."""
    roster.import_run_execute(run_id=run_id)
