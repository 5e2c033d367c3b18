"""The roster import's own tables (imported into ``students.models``, so they belong to the
students app): each run with its progress and report, and the dateLastModified last imported
for each row of each file."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import ImportPhase, ImportState


def roster_upload_to(instance: ImportRun, filename: str) -> str:
    # A random name: the export holds student records, its address must not be guessable.
    return f"roster/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class ImportRun(models.Model):
    """One import of a OneRoster export: who started it, from what, how far it got, and its
    report (``report.Report.to_dict``). The uploaded zip is deleted once the run ends."""

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    source_name = models.CharField(_("file"), max_length=255)
    file = models.FileField(_("uploaded export"), upload_to=roster_upload_to, blank=True)
    # A path on the server, given to ``manage.py import_oneroster`` (never from a page).
    source_path = models.CharField(_("path"), max_length=500, blank=True)
    state = models.CharField(
        _("state"), max_length=8, choices=ImportState.choices, default=ImportState.QUEUED
    )
    phase = models.CharField(_("phase"), max_length=8, choices=ImportPhase.choices, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ImportState.values), name="import_run_state_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.get_state_display()})"

    @property
    def is_finished(self) -> bool:
        return self.state in (ImportState.DONE, ImportState.FAILED)

    @property
    def percent(self) -> int:
        return min(100, self.rows_done * 100 // self.rows_total) if self.rows_total else 0


class RosterStamp(models.Model):
    """The dateLastModified last imported for one row (a file and a sourcedId): a row that
    is not newer changes nothing (see ``roster.plan``)."""

    file = models.CharField(max_length=40)
    sourced_id = models.CharField(max_length=100)
    modified_at = models.DateTimeField()

    class Meta:
        verbose_name = _("roster row date")
        verbose_name_plural = _("roster row dates")
        constraints = [
            models.UniqueConstraint(fields=["file", "sourced_id"], name="roster_stamp_once"),
        ]

    def __str__(self) -> str:
        return f"{self.file} {self.sourced_id}: {self.modified_at:%Y-%m-%d %H:%M}"
