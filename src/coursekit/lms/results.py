"""What comes out of reading an LMS download, and what goes into an LMS grade file.

:class:`Placed` is one file put into nbgrader's ``submitted/<student>/<assignment>/``;
:class:`Unplaced` is one zip entry that was not, with the reason. :class:`StudentGrade`
is what grading hands to an LMS writer for one student. Reports are CSV files too, so
every text cell goes through :func:`~coursekit.lms.csvsafe.neutralise`.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from coursekit.lms.csvsafe import neutralise, number_cell

__all__ = ["Placed", "Unplaced", "CollectResult", "StudentGrade", "GradeFileResult", "write_report_csv",
           "MANIFEST"]

#: The file (in ``coursekit-grades/<assignment>/``) that records what ``collect`` placed.
MANIFEST = "lms-collect.json"


@dataclass(frozen=True)
class Placed:
    """One submitted file, placed for nbgrader."""

    student: str            #: the nbgrader student id (the LMS's own id for the student)
    filename: str           #: name under ``submitted/<student>/<assignment>/``
    entry: str              #: the zip entry it came from
    late: bool = False      #: the LMS marked it late
    submitted_at: datetime | None = None  #: UTC submission time when the LMS gives one
    name: str = ""          #: the student's name as the LMS wrote it


@dataclass(frozen=True)
class Unplaced:
    """One zip entry that was not placed, and why."""

    entry: str
    reason: str


@dataclass
class CollectResult:
    """Everything one ``collect`` did: placed files, refused entries, notes for the instructor."""

    lms: str
    assignment: str
    placed: list[Placed] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def students(self) -> list[str]:
        return sorted({p.student for p in self.placed})

    @property
    def late_students(self) -> list[str]:
        return sorted({p.student for p in self.placed if p.late})

    def text(self) -> str:
        """A summary for the terminal: counts, then every refused entry with its reason."""
        lines = [f"{self.lms}: placed {len(self.placed)} files for {len(self.students)} students "
                 f"({len(self.late_students)} late) in submitted/*/{self.assignment}/"]
        lines += [f"  not placed: {u.entry}: {u.reason}" for u in self.unplaced]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def write_manifest(self, folder: Path) -> Path:
        """Record the placement (late flags, times, names) as JSON for grading and exports."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / MANIFEST
        data = {"lms": self.lms, "assignment": self.assignment,
                "placed": [{**asdict(p), "submitted_at": p.submitted_at.isoformat() if p.submitted_at else None}
                           for p in self.placed],
                "unplaced": [asdict(u) for u in self.unplaced], "notes": self.notes}
        path.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        return path


@dataclass(frozen=True)
class StudentGrade:
    """One student's result, as an LMS file needs it.

    ``score`` is ``None`` when the submission failed to grade (the cell stays empty and
    ``reason`` goes to the report, never into the import). ``late_penalty`` is nbgrader's
    (``SubmittedAssignment.late_submission_penalty``) and is subtracted from the score.

    >>> StudentGrade(10.0, late_penalty=2.5).total
    7.5
    >>> StudentGrade(None, reason="kernel died").total is None
    True
    """

    score: float | None
    max_score: float | None = None
    reason: str = ""
    comment: str = ""
    late_penalty: float = 0.0
    manual_pending: bool = False

    @property
    def total(self) -> float | None:
        return None if self.score is None else max(0.0, self.score - (self.late_penalty or 0.0))

    def notes(self) -> list[str]:
        """What the instructor must know about this grade (failed, penalty, pending)."""
        out = []
        if self.score is None:
            out.append("failed to grade" + (f": {self.reason}" if self.reason else ""))
        if self.late_penalty:
            out.append(f"late penalty {number_cell(self.late_penalty)}")
        if self.manual_pending:
            out.append("manual grading pending")
        return out


@dataclass
class GradeFileResult:
    """An LMS grade file that was written, its report, and what the instructor should know."""

    path: Path
    report: Path
    rows: int
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = [f"wrote {self.path} ({self.rows} students); details in {self.report}"]
        return "\n".join(lines + [f"  note: {n}" for n in self.notes])


def write_report_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """A report CSV for the instructor, every cell neutralised."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([neutralise(h) for h in header])
        writer.writerows([[neutralise(str(c)) for c in row] for row in rows])
    return path
