"""The life of an import run: queued by the upload page (or started by the command), run by
the worker, finished with its report.

    queued --worker claims--> running (reading, waiting, checking, saving) --> done
                                                                           \\-> failed

A run is claimed with a conditional update, so a task delivered twice runs once at a time; a
run left ``running`` by a worker that died is run again when its task comes back (an import
is idempotent, and the transaction of the dead worker was rolled back). The uploaded zip is
deleted once the run ends: the report is what is kept.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from .enums import ImportState
from .importer import import_roster
from .models import ImportRun
from .plan import Progress
from .report import Report
from .source import RosterSource, SourceError

logger = logging.getLogger(__name__)


def import_run_queue(*, upload: UploadedFile, by: Any) -> ImportRun:
    """Keep the uploaded export and queue its import; the task is sent after commit, so the
    worker finds the run."""
    run = ImportRun.objects.create(started_by=by, source_name=upload.name[:255], file=upload)
    transaction.on_commit(lambda: _dispatch(run.pk))
    return run


def _dispatch(run_id: int) -> None:
    from ..tasks import roster_import

    try:
        roster_import.delay(run_id)
    except OperationalError:  # the broker is down: say so rather than wait for ever
        logger.exception("Could not queue roster import %s", run_id)
        _finish(
            run_id,
            state=ImportState.FAILED,
            error=_("The task queue is not reachable; nothing was imported. Try again later."),
        )
        _discard_upload(ImportRun.objects.get(pk=run_id))


def import_run_start(*, path: str) -> ImportRun:
    """A run of a zip or folder on the server (``manage.py import_oneroster``)."""
    return ImportRun.objects.create(source_name=str(path)[-255:], source_path=str(path))


def import_run_execute(*, run_id: int) -> ImportRun | None:
    """Run a queued import to its end (the task calls this; so does the command)."""
    claimed = ImportRun.objects.filter(
        pk=run_id, state__in=[ImportState.QUEUED, ImportState.RUNNING]
    ).update(state=ImportState.RUNNING, started_at=timezone.now(), rows_done=0)
    if not claimed:
        return None  # already finished
    run = ImportRun.objects.select_related("started_by").get(pk=run_id)
    language = getattr(run.started_by, "preferred_language", None) or translation.get_language()
    try:
        with translation.override(language), _opened(run) as source:
            report = import_roster(
                source, progress=Progress(_progress_of(run_id)), by=run.started_by
            )
    except SourceError as exc:
        _finish(run_id, state=ImportState.FAILED, error=str(exc))
    except Exception as exc:  # the run must end visibly, whatever stopped it
        logger.exception("Roster import %s stopped", run_id)
        _finish(
            run_id,
            state=ImportState.FAILED,
            error=_("The import stopped and nothing was imported: %(error)s")
            % {"error": exc.__class__.__name__},
        )
    else:
        state = ImportState.DONE if report.written else ImportState.FAILED
        _finish(run_id, state=state, report=report)
    finally:
        _discard_upload(run)
    return ImportRun.objects.get(pk=run_id)


@contextmanager
def _opened(run: ImportRun):
    if not run.file:
        yield RosterSource.from_path(run.source_path)
        return
    with run.file.open("rb") as fileobj:
        yield RosterSource.from_zip(fileobj, label=run.source_name)


def _progress_of(run_id: int):
    def tell(phase: str, done: int, total: int) -> None:
        ImportRun.objects.filter(pk=run_id).update(phase=phase, rows_done=done, rows_total=total)

    return tell


def _finish(run_id: int, *, state: str, report: Report | None = None, error: str = "") -> None:
    fields: dict[str, Any] = {"state": state, "error": error, "finished_at": timezone.now()}
    if report is not None:
        fields["report"] = report.to_dict()
        fields["rows_done"] = F("rows_total")
    ImportRun.objects.filter(pk=run_id).update(phase="", **fields)


def _discard_upload(run: ImportRun) -> None:
    if run.file:
        run.file.delete(save=False)
        ImportRun.objects.filter(pk=run.pk).update(file="")
