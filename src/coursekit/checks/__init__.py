"""Answer checking: fair scores, useful feedback, answers that leave the kernel as data.

Public API (see the team contract):

- :func:`check` ``(question_id, answer, mode="student") -> Result``
- :func:`check_muscles` ``(answer, expected, *, hidden=False, optional=(), misconceptions=None) -> Result``
- :func:`check_answer` ``(question_id, answer, points)``: the visible check of a test cell
- :func:`grade` ``(question_id, answer, points) -> Points | None`` for nbgrader test cells
- :func:`grade_calls` ``(source_text) -> list[tuple[str, float]]``
- :class:`Result`, :class:`Points`, :func:`checker_for`, :mod:`coursekit.checks.export`
"""

from __future__ import annotations

from coursekit.checks import export
from coursekit.checks.api import MODE_ENV, Points, check, grade
from coursekit.checks.base import CHECKERS, Checker
from coursekit.checks.calls import grade_calls
from coursekit.checks.muscles import check_muscles
from coursekit.checks.registry import checker_for, kinds
from coursekit.checks.result import Result
from coursekit.checks.student import VisibleCheck, check_answer

__all__ = [
    "CHECKERS", "Checker", "MODE_ENV", "Points", "Result", "VisibleCheck", "check", "check_answer",
    "check_muscles", "checker_for", "export", "grade", "grade_calls", "kinds",
]
