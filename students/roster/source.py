"""Where an export's files come from: a zip (uploaded, or a path given to the command) or a
directory. Exports put the CSV files at the top of the zip or inside one folder; both work.

The checks an upload must pass before it is queued live here too (``open_upload``), so the
form and the command refuse the same things with the same words.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import IO

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .. import conf

# Every file of a OneRoster 1.1 CSV export (the importer reads some; the rest are ignored).
ONEROSTER_FILES = (
    "manifest.csv",
    "academicSessions.csv",
    "categories.csv",
    "classes.csv",
    "classResources.csv",
    "courses.csv",
    "courseResources.csv",
    "demographics.csv",
    "enrollments.csv",
    "lineItems.csv",
    "orgs.csv",
    "resources.csv",
    "results.csv",
    "users.csv",
)
REQUIRED_FILES = ("manifest.csv", "users.csv")
_CANONICAL = {name.lower(): name for name in ONEROSTER_FILES}


class SourceError(Exception):
    """The export cannot be opened at all (not a zip, too large, required files missing)."""


class RosterSource:
    """The export's files by their OneRoster name, each read as bytes on demand."""

    def __init__(self, readers: dict[str, Callable[[], bytes]], *, label: str) -> None:
        self._readers = readers
        self.label = label

    @classmethod
    def from_path(cls, path: str | Path) -> RosterSource:
        path = Path(path)
        if path.is_dir():
            return cls.from_directory(path)
        if path.is_file():
            return cls.from_zip(path.open("rb"), label=path.name)
        raise SourceError(_("%(path)s is neither a zip file nor a folder.") % {"path": path})

    @classmethod
    def from_directory(cls, path: Path) -> RosterSource:
        readers = {
            _CANONICAL[item.name.lower()]: item.read_bytes
            for item in sorted(path.iterdir())
            if item.is_file() and item.name.lower() in _CANONICAL
        }
        return cls(readers, label=str(path))

    @classmethod
    def from_zip(cls, fileobj: IO[bytes], *, label: str) -> RosterSource:
        if not zipfile.is_zipfile(fileobj):
            raise SourceError(_("This is not a zip file. Upload the OneRoster export as a .zip."))
        fileobj.seek(0)
        archive = zipfile.ZipFile(fileobj)
        members = _roster_members(archive)
        _check_unzipped_size(members)
        return cls(
            {name: (lambda m=m: archive.read(m)) for name, m in members.items()}, label=label
        )

    def names(self) -> set[str]:
        return set(self._readers)

    def __contains__(self, name: str) -> bool:
        return name in self._readers

    def read(self, name: str) -> bytes:
        return self._readers[name]()


def _roster_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The zip's OneRoster files by name, wherever the export put them (one folder deep)."""
    found: dict[str, zipfile.ZipInfo] = {}
    for member in archive.infolist():
        path = PurePosixPath(member.filename)
        if member.is_dir() or "__MACOSX" in path.parts or path.name.startswith("."):
            continue
        name = _CANONICAL.get(path.name.lower())
        if name is None:
            continue
        if member.flag_bits & 0x1:
            raise SourceError(_("The zip is password-protected; upload it without a password."))
        if name in found:
            raise SourceError(
                _("The zip holds %(name)s twice (%(a)s and %(b)s); keep one export per zip.")
                % {"name": name, "a": found[name].filename, "b": member.filename}
            )
        found[name] = member
    return found


def _check_unzipped_size(members: dict[str, zipfile.ZipInfo]) -> None:
    size = sum(m.file_size for m in members.values())
    limit = conf.get("STUDENTS_ROSTER_MAX_UNZIPPED_BYTES")
    if size > limit:
        raise SourceError(
            _("Unzipped, the export is %(size)s; the largest accepted is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )


def open_upload(fileobj: IO[bytes], *, name: str, size: int) -> RosterSource:
    """An uploaded export, or ``SourceError`` saying what is wrong with it."""
    limit = conf.get("STUDENTS_ROSTER_MAX_UPLOAD_BYTES")
    if size > limit:
        raise SourceError(
            _("The file is %(size)s; the largest accepted is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    source = RosterSource.from_zip(fileobj, label=name)
    missing = [required for required in REQUIRED_FILES if required not in source]
    if missing:
        raise SourceError(
            _("The zip has no %(files)s: is it a OneRoster export?") % {"files": ", ".join(missing)}
        )
    return source
