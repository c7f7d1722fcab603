"""One exception hierarchy for coursekit.

Every error says *where* (a file and row, a notebook and cell, a question id) and
*what to do next*. Library code raises these; only :mod:`coursekit.cli` turns them
into exit codes.

>>> err = DataError("muscles.csv", "unknown action 'flex'", row=3, column="hip_actions")
>>> str(err)
"muscles.csv, row 3, column 'hip_actions': unknown action 'flex'"
"""

from __future__ import annotations

__all__ = [
    "CourseKitError",
    "DataError",
    "NameMatchError",
    "QuestionError",
    "ExportError",
    "NotebookError",
    "GradingError",
]


class CourseKitError(Exception):
    """Base class of every error coursekit raises on purpose."""


class DataError(CourseKitError, ValueError):
    """A data file (CSV, YAML) is malformed: names the file, row and column."""

    def __init__(
        self,
        path: str,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path = str(path)
        self.problem = problem
        self.row = row
        self.column = column
        where = [self.path]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {problem}")


class NameMatchError(CourseKitError, LookupError):
    """A muscle or action name is unknown; the message suggests the nearest names."""


class QuestionError(CourseKitError, LookupError):
    """A question id is unknown, or a question in the bank is malformed."""


class ExportError(CourseKitError, TypeError):
    """An answer cannot leave the kernel as plain data (type, size or depth)."""


class NotebookError(CourseKitError):
    """A notebook (source or submission) is broken: names the notebook and cell."""

    def __init__(self, notebook: str, problem: str, *, cell: str | int | None = None) -> None:
        self.notebook = str(notebook)
        self.problem = problem
        self.cell = cell
        where = self.notebook if cell is None else f"{self.notebook}, cell {cell}"
        super().__init__(f"{where}: {problem}")


class GradingError(CourseKitError):
    """Grading a submission or a batch failed for a reason the instructor must act on."""
