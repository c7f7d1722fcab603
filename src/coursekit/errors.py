"""One exception hierarchy for coursekit.

Every error says *where* (a file and row, a notebook and cell, a question id) and
*what to do next*. Library code raises these; only :mod:`coursekit.cli` turns them
into exit codes.

>>> err = DataError("muscles.csv", "unknown action 'flex'", row=3, column="hip_actions")
>>> str(err)
"muscles.csv, row 3, column 'hip_actions': unknown action 'flex'"
"""

from __future__ import annotations

import os
from typing import Any

__all__ = [
    "CourseKitError",
    "DataError",
    "NameMatchError",
    "QuestionError",
    "ExportError",
    "NotebookError",
    "GradingError",
    "HiddenTestsError",
    "BankError",
    "KeysElsewhereError",
    "AuditError",
    "SpecError",
    "SourceValidationError",
    "NbgraderStepError",
    "ModelInputError",
    "UntrustedFileError",
    "PrintError",
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


class HiddenTestsError(GradingError):
    """A test cell's hidden region holds something other than ``grade(...)`` calls; ``line`` is 1-based in the cell."""

    def __init__(self, line: int, problem: str) -> None:
        self.line, self.problem = line, problem
        super().__init__(f"test cell, line {line}: {problem}")


class KeysElsewhereError(QuestionError):
    """A graded question was asked for a score where its key is not (a student's environment).

    In IPython and Jupyter the message is shown alone, without a traceback.
    """

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]


class BankError(QuestionError):
    """A question in a bank file is malformed; names file, question id and field."""

    def __init__(self, path: str, problem: str, *, question: str | None = None, field: str | None = None) -> None:
        self.path, self.problem, self.question, self.field = str(path), problem, question, field
        where = [self.path]
        if question is not None:
            where.append(f"question {question!r}")
        if field is not None:
            where.append(f"field {field!r}")
        super().__init__(f"{', '.join(where)}: {problem}")


class SpecError(CourseKitError, ValueError):
    """An assignment spec is malformed: names the file and line and what to change."""

    def __init__(self, path: str | os.PathLike[str], problem: str, *, line: int | None = None) -> None:
        self.path, self.problem, self.line = str(path), problem, line
        where = self.path if line is None else f"{self.path}, line {line}"
        super().__init__(f"{where}: {problem}")


class SourceValidationError(CourseKitError):
    """Source notebooks are not ready for release; ``.problems`` lists every problem."""

    def __init__(self, problems: list[Any]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(
            f"{len(problems)} problem(s) in the source notebooks:\n{lines}\n"
            "Fix the spec in assignments/specs/ (or the bank), then run `coursekit assignments build`."
        )


class NbgraderStepError(GradingError):
    """An nbgrader step failed; the message carries nbgrader's log."""


class ModelInputError(CourseKitError, ValueError):
    """A model input is invalid or outside the model's range.

    The message names the input, the value given, the valid range and what to do.

    >>> str(ModelInputError("hip_deg", 200, "must be between -30 and 120 degrees"))
    'hip_deg = 200: must be between -30 and 120 degrees'
    """

    def __init__(self, name: str, value: object, problem: str) -> None:
        self.name = name
        self.value = value
        self.problem = problem
        super().__init__(f"{name} = {value!r}: {problem}")


class UntrustedFileError(GradingError):
    """A file in a submission was refused (a link, a pipe, a device, too large...); names it."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path, self.reason = str(path), reason
        super().__init__(f"{self.path}: {reason}")


class PrintError(CourseKitError):
    """The course could not be printed to PDF (no single-page book, no browser)."""

class AuditError(CourseKitError):
    """A graded question's key was found where students can read it; ``.findings`` lists each."""

    def __init__(self, findings: list[Any]) -> None:
        self.findings = list(findings)
        lines = [f"  {f}" for f in self.findings[:40]]
        more = [f"  ... and {len(self.findings) - 40} more"] if len(self.findings) > 40 else []
        super().__init__("answer keys of graded questions found where students can read them:\n"
                         + "\n".join(lines + more))
