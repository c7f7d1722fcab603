"""What a test cell shows a student: the visible check, in a form nbgrader's Validate reads.

The visible part of a test cell calls :func:`check_answer`. It runs
:func:`coursekit.checks.check` in student mode (only the visible checks of a hidden
question) and returns an object whose HTML is the feedback and whose plain text is a
number: the cell's points when the visible checks pass, less when they do not. nbgrader's
*Validate* button reads that number as partial credit, so it lists the questions whose
visible checks still fail instead of reporting success for an empty notebook. The grade
itself still comes from the hidden ``grade(...)`` call.

>>> shown = check_answer("ps1.landmark-front-crest", None, 1)
>>> repr(shown), shown.passed
('0.0', False)
>>> repr(check_answer("ps1.landmark-front-crest", "b", 1))
'1.0'
"""

from __future__ import annotations

from typing import Any

from coursekit.checks.api import check
from coursekit.checks.result import Result

__all__ = ["VisibleCheck", "check_answer"]


class VisibleCheck:
    """The outcome of a visible check: HTML feedback, and points as plain text."""

    def __init__(self, result: Result, points: float) -> None:
        self.result, self.max_points = result, float(points)

    @property
    def passed(self) -> bool:
        """True when every visible check passes."""
        return bool(self.result.passed)

    @property
    def points(self) -> float:
        """All points when the visible checks pass, else the share of them that pass."""
        if self.passed:
            return self.max_points
        return min(round(self.max_points * float(self.result.score), 4), self.max_points * 0.999)

    def __repr__(self) -> str:
        return repr(float(self.points))

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def _repr_html_(self) -> str:
        return self.result.to_html()


def check_answer(question_id: str, answer: Any, points: float) -> VisibleCheck:
    """Run the visible checks of a bank question and show the feedback (student mode)."""
    return VisibleCheck(check(question_id, answer), points)
