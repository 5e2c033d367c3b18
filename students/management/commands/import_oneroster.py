"""``manage.py import_oneroster PATH``: import a OneRoster 1.1 CSV export (a zip or a folder)
now, in this process, and print the report. The run is kept like an uploaded one, so staff
see it on the roster import page. Exits with an error when nothing was imported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from students.roster import services
from students.roster.enums import ImportState, Outcome
from students.roster.importer import import_roster
from students.roster.report import Report
from students.roster.source import RosterSource, SourceError


class Command(BaseCommand):
    help = "Import a OneRoster 1.1 CSV export (a .zip or a folder of .csv files)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the export: a .zip file or a folder")
        parser.add_argument(
            "--dry-run", action="store_true", help="check every row and count, write nothing"
        )

    def handle(self, *args: Any, path: str, dry_run: bool, **options: Any) -> None:
        path = str(Path(path).resolve())
        if dry_run:
            try:
                report = import_roster(RosterSource.from_path(path), dry_run=True)
            except SourceError as exc:
                raise CommandError(str(exc)) from exc
            self._print(report)
            if not report.ok:
                raise CommandError(f"{len(report.problems)} bad rows.")
            self.stdout.write(self.style.SUCCESS("Every row is good (dry run: nothing written)."))
            return
        run = services.import_run_execute(run_id=services.import_run_start(path=path).pk)
        report = Report.from_dict(run.report)
        self._print(report)
        if run.state != ImportState.DONE:
            raise CommandError(run.error or f"{len(report.problems)} bad rows: nothing imported.")
        self.stdout.write(self.style.SUCCESS(f"Imported (run {run.pk})."))

    def _print(self, report: Report) -> None:
        for notice in report.notices:
            self.stdout.write(f"Notice: {notice}")
        if report.problems:  # nothing was written: the counts would mislead
            for problem in report.sorted_problems():
                self.stderr.write(f"{problem.file}:{problem.line}: {problem.reason}")
            return
        outcomes = [o.value for o in Outcome]
        self.stdout.write(f"{'file':<22}" + "".join(f"{o:>12}" for o in outcomes))
        for row in report.rows():
            counts = "".join(f"{n:>12}" for _outcome, n in row["counts"])
            self.stdout.write(f"{row['file']:<22}{counts}")
            for reason, count in row["skipped_reasons"]:
                self.stdout.write(f"    skipped {count}: {reason}")
