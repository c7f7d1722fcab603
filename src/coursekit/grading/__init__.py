"""Instructor grading: fast, sandboxed, batch-safe autograding into nbgrader's gradebook.

Public API:

- :func:`grade_assignment` ``(GradeConfig) -> BatchSummary``: ``coursekit grade``
- :class:`GradeConfig`: the settings of a run, with help text per field
- :func:`collect_zip` ``(course, assignment, zip_path) -> CollectSummary``: ``coursekit collect``
- :func:`create_sandbox`: the sandbox strategy used (``bwrap`` or ``rlimits``)
"""

from __future__ import annotations

from coursekit.grading.batch import BatchSummary, grade_assignment
from coursekit.grading.collect import CollectSummary, collect_zip
from coursekit.grading.config import GradeConfig
from coursekit.grading.sandbox import create_sandbox

__all__ = ["BatchSummary", "CollectSummary", "GradeConfig", "collect_zip", "create_sandbox", "grade_assignment"]
