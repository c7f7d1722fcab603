"""Answer checking: fair scores, useful feedback, answers that leave the kernel as data.

Public API (see the team contract):

- :func:`check` ``(question_id, answer, mode="student") -> Result``
- :func:`check_muscles` ``(answer, expected, *, hidden=False, optional=(), misconceptions=None) -> Result``
- :func:`check_answer` ``(question_id, answer, points)``: the visible check of a test cell
- :func:`grade` ``(question_id, answer, points) -> Points | None`` for nbgrader test cells
- :func:`grade_calls` ``(source_text) -> list[tuple[str, float]]``
- :class:`Result`, :class:`Points`, :func:`checker_for`, :mod:`coursekit.checks.export`

The names are loaded on first use (PEP 562): ``from coursekit.checks import check`` loads
the checkers and their data (pandas among them), while a module that needs only a light
part, the grader's :mod:`coursekit.checks.calls` say, does not pay for the rest.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coursekit.checks import export
    from coursekit.checks.api import MODE_ENV, Points, check, grade
    from coursekit.checks.base import CHECKERS, Checker
    from coursekit.checks.calls import grade_calls
    from coursekit.checks.muscles import check_muscles
    from coursekit.checks.registry import checker_for, kinds
    from coursekit.checks.result import Result
    from coursekit.checks.student import VisibleCheck, check_answer

#: public name -> the module that defines it
_HOMES = {
    "MODE_ENV": "api", "Points": "api", "check": "api", "grade": "api",
    "CHECKERS": "registry", "Checker": "registry",  # the registry: every kind registered
    "grade_calls": "calls",
    "check_muscles": "muscles",
    "checker_for": "registry", "kinds": "registry",
    "Result": "result",
    "VisibleCheck": "student", "check_answer": "student",
}

__all__ = [
    "CHECKERS", "Checker", "MODE_ENV", "Points", "Result", "VisibleCheck", "check", "check_answer",
    "check_muscles", "checker_for", "export", "grade", "grade_calls", "kinds",
]


def __getattr__(name: str) -> Any:
    if name == "export":
        return importlib.import_module("coursekit.checks.export")
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'coursekit.checks' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"coursekit.checks.{home}"), name)
    globals()[name] = value  # found once; later lookups do not come here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
