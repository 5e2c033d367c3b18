"""Reads for the roster import pages."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ImportRun

RECENT_RUNS = 20


def import_runs_recent(*, limit: int = RECENT_RUNS) -> QuerySet[ImportRun]:
    """The latest runs, newest first, with who started them (one query)."""
    return ImportRun.objects.select_related("started_by").defer("report")[:limit]


def import_run_get(*, pk: int) -> ImportRun:
    return ImportRun.objects.select_related("started_by").get(pk=pk)
