"""Instructor grading: fast, sandboxed, batch-safe autograding into nbgrader's gradebook.

Public API:

- :func:`grade_assignment` ``(GradeConfig) -> BatchSummary``: ``coursekit grade``
- :class:`GradeConfig`: the settings of a run, with help text per field
- :func:`collect_zip` ``(course, assignment, zip_path) -> CollectSummary``: ``coursekit collect``
- :func:`create_sandbox`: the sandbox strategy used (``bwrap`` or ``rlimits``)
- :class:`coursekit.grading.service.Grader`: a warm grader for the hub, one submission at a time

The names are imported on first use, so that importing a light submodule (the
configuration, the sandbox, the workers) does not import the notebook stack: ``coursekit
grade`` starts its sandboxed workers before it imports nbgrader.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coursekit.grading.batch import BatchSummary, grade_assignment
    from coursekit.grading.collect import CollectSummary, collect_zip
    from coursekit.grading.config import GradeConfig
    from coursekit.grading.sandbox import create_sandbox

__all__ = ["BatchSummary", "CollectSummary", "GradeConfig", "collect_zip", "create_sandbox", "grade_assignment"]

_WHERE = {"BatchSummary": "batch", "grade_assignment": "batch", "CollectSummary": "collect", "collect_zip": "collect",
          "GradeConfig": "config", "create_sandbox": "sandbox"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"coursekit.grading.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'coursekit.grading' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
