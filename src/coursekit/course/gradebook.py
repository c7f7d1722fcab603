"""Autograder results into nbgrader's gradebook, so formgrader, feedback and export keep working."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["GradeWrite", "write_grades"]


@dataclass
class GradeWrite:
    """What to store for one submitted notebook."""

    student: str
    assignment: str
    notebook: str
    scores: dict[str, float | None]          # test-cell grade id -> auto score (None: failed)
    unanswered: set[str]                     # answer-cell ids left as released
    failed: bool
    flagged: bool
    timestamp: datetime | None = None
    #: hand-graded answer cells whose text differs from the autograded notebook an instructor
    #: graded; None: unknown, so every manual grade is sent back for review (nbgrader's rule)
    hand_changed: set[str] | None = None


def write_grades(gb: Any, write: GradeWrite) -> None:
    """Store one notebook's autograder results and commit (only this student's rows)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy autoflush notices from nbgrader's own API
        _write_grades(gb, write)


def _write_grades(gb: Any, write: GradeWrite) -> None:
    gb.update_or_create_student(write.student)
    if write.timestamp:
        gb.update_or_create_submission(write.assignment, write.student, timestamp=write.timestamp)
    else:
        gb.update_or_create_submission(write.assignment, write.student)
    nb = gb.find_submission_notebook(write.notebook, write.assignment, write.student)
    for grade in nb.grades:
        name = grade.cell.name
        if write.failed:
            grade.auto_score, grade.needs_manual_grade = None, True
        elif name in write.scores:
            grade.auto_score = write.scores[name]
            grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
        else:  # answer cells graded by hand: zero only when left unanswered, as nbgrader does
            grade.auto_score = 0.0 if name in write.unanswered else None
            if grade.manual_score is not None:  # a manual grade stands while the answer it graded is unchanged
                grade.needs_manual_grade = write.hand_changed is None or name in write.hand_changed
            else:
                grade.needs_manual_grade = grade.auto_score is None
    for comment in nb.comments:
        comment.auto_comment = "No response." if comment.cell.name in write.unanswered and not write.failed else None
    nb.flagged = write.flagged or write.failed
    gb.db.commit()
