"""The import itself: read the export, check every row against the export and the
database, and write everything in one transaction only if no row is bad."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .demographics import plan_demographics
from .enums import ImportPhase
from .export import read_export
from .lock import one_import_at_a_time
from .people import PeopleIndex, plan_people
from .plan import Context, Progress
from .records import plan_classes, plan_courses, plan_enrollments, plan_sessions
from .report import Report
from .schools import plan_schools
from .source import RosterSource
from .write import write_plan


def import_roster(
    source: RosterSource,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    by: Any = None,
) -> Report:
    """Import a OneRoster 1.1 CSV export; the report says what was done, file by file.

    Files are checked in the order their references need (orgs, users, demographics,
    sessions, courses, classes, enrollments). Any bad row anywhere means nothing is written
    and the report lists every bad row; otherwise the whole plan is written in one
    transaction. ``dry_run`` checks and counts without writing. ``by`` (who started the
    run) is recorded on the enrollments withdrawn for students marked ``tobedeleted``.
    """
    progress = progress or Progress()
    report = Report()
    progress.start(ImportPhase.READING)
    export = read_export(source, report)
    with one_import_at_a_time(on_wait=lambda: progress.start(ImportPhase.WAITING)):
        ctx = Context(export=export, report=report, progress=progress)
        progress.start(ImportPhase.CHECKING, total=export.row_count)
        plan_schools(ctx)
        people = PeopleIndex(export)
        plan_people(ctx, people)
        plan_demographics(ctx, people)
        plan_sessions(ctx)
        plan_courses(ctx)
        plan_classes(ctx)
        plan_enrollments(ctx, people)
        if not report.ok or dry_run:
            return report
        if not ctx.plan.is_empty:  # the same files again: not even a transaction
            progress.start(ImportPhase.SAVING)
            with transaction.atomic():
                write_plan(ctx.plan, by=by)
    report.written = True
    return report
