"""What an import will write, worked out before anything is written.

The planner (``schools``, ``people``, ``records``) reads the export and the database and
fills a ``Plan``: the objects to create, the objects to update with the fields that change,
the rows to delete. Bad rows go to the report instead; the plan is written only when there is
none (``write.write_plan``, one transaction).

The rule for an existing record, in one place (``Context.settle``): a row changes it only when
the row's dateLastModified is newer than the one last imported for that row (or either is
blank); then the record is updated, or deactivated for ``tobedeleted``, if a value differs.
Re-importing the same files therefore changes nothing and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from .. import conf
from .enums import ImportPhase, Outcome
from .export import Export
from .models import RosterStamp
from .report import Report
from .rows import RosterRow

CHUNK = 2000  # keys per IN (...) lookup


@dataclass
class Changes:
    """One model's writes: new objects, changed objects (with the fields that changed), and
    objects to delete. An object changed by two files is updated once, with both changes."""

    create: list[models.Model] = field(default_factory=list)
    delete: list[models.Model] = field(default_factory=list)
    _updates: dict[int, models.Model] = field(default_factory=dict)
    fields: set[str] = field(default_factory=set)

    def add(self, obj: models.Model) -> None:
        self.create.append(obj)

    def changed(self, obj: models.Model, names: set[str]) -> None:
        if obj.pk is None or not names:
            return  # a new object is created with every value
        self._updates[id(obj)] = obj
        self.fields |= names

    @property
    def update(self) -> list[models.Model]:
        return list(self._updates.values())


@dataclass
class Plan:
    schools: Changes = field(default_factory=Changes)
    users: Changes = field(default_factory=Changes)
    students: Changes = field(default_factory=Changes)
    counselors: Changes = field(default_factory=Changes)
    records: Changes = field(default_factory=Changes)
    # Counselors whose schools are set anew: (counselor, the schools they serve).
    counselor_schools: list[tuple[models.Model, list[models.Model]]] = field(default_factory=list)
    stamps: list[RosterStamp] = field(default_factory=list)
    # Students ``tobedeleted`` turns off: their active enrollment or request is withdrawn
    # (through the enrollment service, so the seat goes to the wait list).
    withdrawals: list[models.Model] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        changes = (self.schools, self.users, self.students, self.counselors, self.records)
        writes = any(c.create or c.update or c.delete for c in changes)
        return not (writes or self.counselor_schools or self.stamps)


def assign(obj: models.Model, values: dict[str, Any]) -> set[str]:
    """Set the values that differ on ``obj``; the names of those fields."""
    changed = set()
    for name, value in values.items():
        if isinstance(value, models.Model):
            same = value.pk is not None and getattr(obj, f"{name}_id") == value.pk
        else:
            same = getattr(obj, name) == value
        if not same:
            setattr(obj, name, value)
            changed.add(name)
    return changed


def chunked(keys: Iterable[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    ordered = sorted({k for k in keys if k})
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


class Progress:
    """Counts rows checked and tells ``callback(phase, done, total)``, at most once a second
    (the callback writes to the database)."""

    def __init__(self, callback: Callable[[str, int, int], None] | None = None) -> None:
        self.callback = callback
        self.phase, self.done, self.total = ImportPhase.READING.value, 0, 0
        self._told = 0.0

    def start(self, phase: ImportPhase, total: int | None = None) -> None:
        """A new phase; with ``total``, the rows it will count (else the counts stay)."""
        self.phase = phase.value
        if total is not None:
            self.done, self.total = 0, total
        self._tell()

    def tick(self) -> None:
        self.done += 1
        if time.monotonic() - self._told >= 1.0:
            self._tell()

    def _tell(self) -> None:
        self._told = time.monotonic()
        if self.callback is not None:
            self.callback(self.phase, self.done, self.total)


@dataclass
class Context:
    """What the planners share: the export, the report, the plan, and what the earlier
    files resolved (schools by org sourcedId, people by user sourcedId)."""

    export: Export
    report: Report
    plan: Plan = field(default_factory=Plan)
    progress: Progress = field(default_factory=Progress)
    schools: dict[str, models.Model] = field(default_factory=dict)
    students: dict[str, models.Model] = field(default_factory=dict)
    counselors: dict[str, models.Model] = field(default_factory=dict)
    # Catalogue courses by course sourcedId; the course record each class gives.
    courses: dict[str, models.Model] = field(default_factory=dict)
    targets: dict[str, Any] = field(default_factory=dict)
    # Users the import leaves out, with why (their enrollments and demographics are skipped).
    left_out: dict[str, str] = field(default_factory=dict)
    _stamps: dict[str, dict[str, dt.datetime]] = field(default_factory=dict)

    @property
    def counselor_roles(self) -> frozenset[str]:
        return frozenset(r.lower() for r in conf.get("STUDENTS_ROSTER_COUNSELOR_ROLES"))

    def bad(self, file: str, row: RosterRow, reasons: list[str]) -> bool:
        """Report the row if it has reasons; True when it did."""
        if reasons:
            self.report.problem(file, row.line, " ".join(reasons))
            self.export.rejected.setdefault(file, set()).add(row.sourced_id)
        return bool(reasons)

    def rejected(self, file: str, sourced_id: str) -> bool:
        """The row was already reported bad (or its whole file was)."""
        return file in self.export.unreadable or sourced_id in self.export.rejected.get(file, ())

    def blocked(self, file: str, row: RosterRow, references: list[tuple[str, str]]) -> bool:
        """A row naming a row already reported bad is left out without a second report (the
        import writes nothing anyway); True when it is."""
        if any(self.rejected(ref_file, ref_id) for ref_file, ref_id in references):
            self.export.rejected.setdefault(file, set()).add(row.sourced_id)
            return True
        return False

    def skip(self, file: str, reason: str) -> None:
        self.report.count(file, Outcome.SKIPPED, reason=reason)

    def stamp_of(self, file: str, sourced_id: str) -> dt.datetime | None:
        if file not in self._stamps:
            self._stamps[file] = dict(
                RosterStamp.objects.filter(file=file).values_list("sourced_id", "modified_at")
            )
        return self._stamps[file].get(sourced_id)

    def is_stale(self, file: str, row: RosterRow) -> bool:
        """The row is not newer than the one last imported: it changes nothing."""
        stored = self.stamp_of(file, row.sourced_id)
        return stored is not None and row.modified is not None and row.modified <= stored

    def settle(
        self,
        file: str,
        row: RosterRow,
        *,
        created: bool = False,
        changed: bool = False,
        deactivated: bool | None = None,
    ) -> None:
        """Count the row's outcome and remember its date for the next import. A change is a
        deactivation when the row is ``tobedeleted`` (or the caller says so)."""
        if created:
            outcome = Outcome.CREATED
        elif changed:
            deactivated = row.deleted if deactivated is None else deactivated
            outcome = Outcome.DEACTIVATED if deactivated else Outcome.UPDATED
        else:
            outcome = Outcome.UNCHANGED
        self.report.count(file, outcome)
        stored = self.stamp_of(file, row.sourced_id)
        if row.modified is not None and (stored is None or row.modified > stored):
            self.plan.stamps.append(
                RosterStamp(file=file, sourced_id=row.sourced_id, modified_at=row.modified)
            )

    def unknown(self, what: str, sourced_id: str, file: str, *, in_portal: bool = True) -> str:
        """The reason for a reference to nothing: not in the file (nor, for what the portal
        keeps, among the portal's records)."""
        values = {"what": what, "id": sourced_id, "file": file}
        if in_portal:
            return _("No %(what)s with sourcedId %(id)s in %(file)s or in the portal.") % values
        return _("No %(what)s with sourcedId %(id)s in %(file)s.") % values
