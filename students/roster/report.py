"""What an import did, file by file: the counts of each outcome, why rows were skipped, and
every bad row with its file, line and reason. It is stored as JSON on the ``ImportRun``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .enums import Outcome

# The order files are shown in (the order they are checked in).
FILE_ORDER = (
    "manifest.csv",
    "orgs.csv",
    "users.csv",
    "demographics.csv",
    "academicSessions.csv",
    "courses.csv",
    "classes.csv",
    "enrollments.csv",
)


def file_rank(name: str) -> tuple[int, str]:
    return (FILE_ORDER.index(name) if name in FILE_ORDER else len(FILE_ORDER), name)


@dataclass(frozen=True)
class Problem:
    """A bad row: the import writes nothing while there is one. Line 1 is the header."""

    file: str
    line: int
    reason: str

    def sort_key(self) -> tuple[tuple[int, str], int]:
        return (file_rank(self.file), self.line)


@dataclass
class Report:
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    skipped: dict[str, Counter[str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, file: str, outcome: Outcome, *, reason: str = "") -> None:
        self.counts.setdefault(file, Counter())[outcome.value] += 1
        if outcome == Outcome.SKIPPED and reason:
            self.skipped.setdefault(file, Counter())[reason] += 1

    def problem(self, file: str, line: int, reason: str) -> None:
        self.problems.append(Problem(file, line, reason))

    def notice(self, text: str) -> None:
        self.notices.append(text)

    def rows(self) -> list[dict[str, Any]]:
        """One row per file, in FILE_ORDER: the file, each outcome's count, and the reasons
        rows were skipped (for the result page and the command's output)."""
        return [
            {
                "file": name,
                "counts": [(o, self.counts[name].get(o.value, 0)) for o in Outcome],
                "skipped_reasons": sorted(self.skipped.get(name, Counter()).items()),
            }
            for name in sorted(self.counts, key=file_rank)
        ]

    def sorted_problems(self) -> list[Problem]:
        return sorted(self.problems, key=Problem.sort_key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "written": self.written,
            "counts": {f: dict(c) for f, c in self.counts.items()},
            "skipped": {f: dict(c) for f, c in self.skipped.items()},
            "problems": [[p.file, p.line, p.reason] for p in self.sorted_problems()],
            "notices": list(self.notices),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        return cls(
            counts={f: Counter(c) for f, c in data.get("counts", {}).items()},
            skipped={f: Counter(c) for f, c in data.get("skipped", {}).items()},
            problems=[Problem(f, line, r) for f, line, r in data.get("problems", [])],
            notices=list(data.get("notices", [])),
            written=bool(data.get("written", False)),
        )
