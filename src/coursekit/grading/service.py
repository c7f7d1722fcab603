"""A warm grader for the hub: grade one student's submission on demand, in about a second.

``coursekit grade`` pays, on every run, for starting Python, importing the notebook
stack, reading the course, starting the sandboxed workers and compiling nbgrader's
feedback template. :class:`Grader` pays for them once and keeps the workers warm
between submissions; each :meth:`Grader.grade` does everything
``coursekit grade ASSIGNMENT --student STUDENT --force`` does, through the same code
(:mod:`coursekit.grading.batch`): the sandboxed run, the verdicts, the gradebook rows,
the autograded notebook, the record (earlier grades kept in its history), nbgrader's late
penalty, the feedback page in nbgrader's layout (what ``nbgrader release_feedback``
copies) and the exports (grades CSV, LMS CSV, class report). It holds the course lock
while grading, so it never grades at the same time as a ``coursekit grade`` run.

Use (the hub's grading service, after ``nbgrader collect`` put the submission in
``submitted/<student>/<assignment>``)::

    from coursekit.grading.service import Grader

    with Grader(course_dir) as grader:          # workers start warming now
        summary = grader.grade("ps1", "ada")    # a BatchSummary; call again for each submission
        record = summary.graded[0]              # status "ok" / "flagged" / "failed", score, reason
        summary.feedback_problems               # {} when the feedback page was written

``Grader(course_dir, workers=1, sandbox="auto", cell_timeout=None, feedback=True, reports=True,
**more)`` takes any :class:`~coursekit.grading.config.GradeConfig` field as a keyword.
A :class:`~coursekit.errors.CourseKitError` (no such assignment, keys missing, the course
locked by another run) is raised to the caller; a broken submission is a ``failed``
record, never an exception. One :class:`Grader` serves one thread at a time (calls are
serialised by a lock).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from coursekit.grading.batch import BatchSummary, WarmGrading
from coursekit.grading.config import GradeConfig

__all__ = ["Grader"]


class Grader:
    """Warm workers and a loaded course, kept between submissions (see the module docstring)."""

    def __init__(self, course: Path | str, *, workers: int = 1, echo: Callable[[str], None] | None = None,
                 **settings: Any) -> None:
        from coursekit.course import Course

        root = Path(course).resolve()
        self.echo: Callable[[str], None] = echo or (lambda _text: None)
        assignments = Course(root).assignments()
        first = assignments[0] if assignments else ""
        self.config = GradeConfig(course=root, assignment=first, workers=workers, force=True, progress=False,
                                  **settings).validate()
        self._lock = threading.Lock()
        self._warm: WarmGrading | None = WarmGrading(self.config, assignments, self.echo,
                                                     log_dir=root / "coursekit-grades" / "service-logs")

    @property
    def course(self) -> Any:
        """The :class:`coursekit.course.Course` graded."""
        assert self._warm is not None
        return self._warm.course

    def grade(self, assignment: str, student: str, *, force: bool = True) -> BatchSummary:
        """Grade ``student``'s submission of ``assignment`` as ``coursekit grade --student`` does.

        ``force=False`` skips a submission already graded and unchanged (as without ``--force``).
        """
        from coursekit.runlock import course_lock

        with self._lock:
            if self._warm is None:
                raise RuntimeError("this Grader is closed")
            config = replace(self.config, assignment=assignment, students=[student], force=force)
            with course_lock(self.config.course, command=f"coursekit hub grading {assignment} {student}"):
                return self._warm.grade(config, self.echo, keep_workers=True)

    def close(self) -> None:
        """Stop the workers; the Grader cannot grade afterwards."""
        with self._lock:
            if self._warm is not None:
                self._warm.close()
                self._warm = None

    def __enter__(self) -> Grader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
