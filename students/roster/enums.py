"""The roster import's vocabularies: the state of a run and what happened to each row."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")


class ImportPhase(models.TextChoices):
    """Where a running import is (``rows_done`` counts rows checked, so the page shows a
    bar while checking; saving is one transaction, so its bar has no value)."""

    WAITING = "waiting", _("Waiting for another import to finish")
    READING = "reading", _("Reading the files")
    CHECKING = "checking", _("Checking every row")
    SAVING = "saving", _("Saving")


class Outcome(models.TextChoices):
    """What an import did with one row: the report counts these per file."""

    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    UNCHANGED = "unchanged", _("Unchanged")
    DEACTIVATED = "deactivated", _("Deactivated")
    SKIPPED = "skipped", _("Skipped")
    # Rows of files that make no record of their own (courses, classes, academic sessions)
    # but are read to build the records of another file.
    USED = "used", _("Used for other files")


# OneRoster 1.1's user roles (the importer maps ``student`` and the counselor roles the
# STUDENTS_ROSTER_COUNSELOR_ROLES setting names; the rest are counted and skipped).
ONEROSTER_ROLES = frozenset(
    {"administrator", "aide", "guardian", "parent", "proctor", "relative", "student", "teacher"}
)
