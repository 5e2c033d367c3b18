"""manifest.csv: which files the export holds (bulk or delta) and which it leaves out.

The manifest is the authority: a file it calls absent is not read even if it is in the zip
(that is noticed), and a file it lists as bulk or delta must be there. Bulk and delta files
are read alike: rows add and update records, ``tobedeleted`` rows deactivate them, and a
record missing from a bulk file is left as it is (a partial export must not deactivate half
the district).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .report import Report
from .source import ONEROSTER_FILES, RosterSource
from .tables import decode, read_table

MANIFEST = "manifest.csv"
MODES = ("bulk", "delta", "absent")
VERSION = "1.1"


@dataclass
class Manifest:
    modes: dict[str, str] = field(default_factory=dict)  # file name -> bulk | delta | absent

    def present(self, name: str) -> bool:
        return self.modes.get(name, "absent") != "absent"


def read_manifest(source: RosterSource, report: Report) -> Manifest:
    """The manifest, checked against the files actually in the export."""
    manifest = Manifest()
    if MANIFEST not in source:
        report.problem(MANIFEST, 0, _("The export has no manifest.csv."))
        return manifest
    text = decode(MANIFEST, source.read(MANIFEST), report)
    records = read_table(
        MANIFEST,
        text or "",
        columns=("propertyName", "value"),
        required=("propertyName", "value"),
        report=report,
    )
    files = {name.removesuffix(".csv").lower(): name for name in ONEROSTER_FILES}
    for record in records or []:
        key, value = record["propertyName"], record["value"]
        if key == "oneroster.version" and not value.startswith(VERSION):
            report.problem(
                MANIFEST,
                record.line,
                _("This importer reads OneRoster %(version)s; the manifest says %(value)s.")
                % {"version": VERSION, "value": value},
            )
        elif key.startswith("file.") and key[5:].lower() in files:
            mode = value.lower()
            if mode not in MODES:
                report.problem(
                    MANIFEST,
                    record.line,
                    _("%(value)s is not bulk, delta or absent.") % {"value": value},
                )
            manifest.modes[files[key[5:].lower()]] = mode
    _check_files(manifest, source, report)
    return manifest


def _check_files(manifest: Manifest, source: RosterSource, report: Report) -> None:
    for name in ONEROSTER_FILES:
        if name == MANIFEST:
            continue
        if manifest.present(name) and name not in source:
            report.problem(
                name,
                0,
                _("The manifest lists %(file)s as %(mode)s, but the export does not have it.")
                % {"file": name, "mode": manifest.modes[name]},
            )
        elif not manifest.present(name) and name in source:
            report.notice(
                _("%(file)s is in the export but the manifest says it is absent: not read.")
                % {"file": name}
            )
    if not manifest.present("users.csv"):
        report.problem(MANIFEST, 0, _("The manifest must list users.csv as bulk or delta."))
