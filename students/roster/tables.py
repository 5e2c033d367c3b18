"""Reading one CSV file of an export into records, forgiving what real exports do and
reporting what is truly wrong.

Forgiven: a UTF-8 byte-order mark, CRLF or CR line ends, no newline at the end, blank lines,
spaces around values and column names, column names in another case, columns in any order,
extra ``ext_*`` columns (vendor extensions) and quoted values holding commas or newlines.
Reported: text that is not UTF-8, a required column missing, a row with more or fewer values
than the header, a column named twice, broken quoting.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .report import Report


@dataclass(frozen=True)
class Record:
    """One data row: its file, the line it starts on (the header is line 1) and its values by
    column, stripped ('' when blank or when an optional column is not in the file)."""

    file: str
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


def decode(file: str, data: bytes, report: Report) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        report.problem(file, line, _("This file is not UTF-8 text; export it as UTF-8."))
        return None


def read_table(
    file: str,
    text: str,
    *,
    columns: Sequence[str],
    required: Sequence[str],
    report: Report,
) -> list[Record] | None:
    """The file's records, or None if its header is unusable (the problem is reported)."""
    rows = _rows(file, text, report)
    first = next(rows, None)
    if first is None:
        report.problem(file, 1, _("The file is empty: it needs at least its header row."))
        return None
    header = _header(file, first[1], columns=columns, required=required, report=report)
    if header is None:
        return None
    records = []
    for line, values in rows:
        if not any(v.strip() for v in values):
            continue  # a blank line
        if len(values) != len(header):
            report.problem(
                file,
                line,
                _("This row has %(found)d values; the header has %(expected)d columns.")
                % {"found": len(values), "expected": len(header)},
            )
            continue
        fields = {name: value.strip() for name, value in zip(header, values, strict=True)}
        records.append(Record(file, line, {k: v for k, v in fields.items() if k}))
    return records


def _rows(file: str, text: str, report: Report) -> Iterator[tuple[int, list[str]]]:
    """(line the row starts on, its values) for every row, header included."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            report.problem(file, reader.line_num, _("Broken CSV: %(error)s.") % {"error": exc})
            return
        yield line, values
        line = reader.line_num + 1


def _header(
    file: str, names: list[str], *, columns: Sequence[str], required: Sequence[str], report: Report
) -> list[str] | None:
    """The canonical name of each column ('' for a column the importer does not read)."""
    known = {c.lower(): c for c in columns}
    header = [known.get(n.strip().lower(), "") for n in names]
    twice = sorted({c for c in header if c and header.count(c) > 1})
    missing = [c for c in required if c not in header]
    if twice:
        report.problem(file, 1, _("Columns named twice: %(cols)s.") % {"cols": ", ".join(twice)})
    if missing:
        report.problem(
            file, 1, _("Required columns missing: %(cols)s.") % {"cols": ", ".join(missing)}
        )
    unknown = [n.strip() for n, c in zip(names, header, strict=True) if not c]
    unknown = [n for n in unknown if n and not n.lower().startswith("ext_")]
    if unknown:
        report.notice(
            _("%(file)s: columns ignored (not OneRoster 1.1): %(cols)s.")
            % {"file": file, "cols": ", ".join(unknown)}
        )
    return None if twice or missing else header
