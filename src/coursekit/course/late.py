"""Late penalties exactly as nbgrader assigns them, for a grader that replaces ``nbgrader autograde``.

nbgrader (https://nbgrader.readthedocs.io/en/stable/plugins/late-plugin.html) computes
how late a submission is from the assignment's due date in the gradebook
(``nbgrader db assignment add ps1 --duedate=...``; ``Assignment.duedate`` plus any
extension) and the submission's ``timestamp.txt``, and its ``AssignLatePenalties``
preprocessor asks the configured plugin (``c.AssignLatePenalties.plugin_class``, default
``LateSubmissionPlugin`` with ``c.LateSubmissionPlugin.penalty_method`` ``'none'`` or
``'zero'``, or an instructor's ``BasePlugin`` subclass such as ``'late.SubMarks'`` in the
course directory) for a penalty per notebook, clamps it to ``0..score`` and stores it in
``SubmittedNotebook.late_submission_penalty`` (source: ``nbgrader/preprocessors/
latesubmissions.py``). This module builds that same preprocessor from the course's
``nbgrader_config.py`` with traitlets, so the plugin is loaded by the same mechanism,
and runs the same steps on the gradebook after coursekit has written the scores.

LMS lateness: Moodle's zip gives upload times (``timestamp.txt``); Canvas's zip only a
late flag, so for a Canvas submission flagged late without a known time, nbgrader's due
date is used with :data:`UNKNOWN_SECONDS_LATE` and the result says so.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from coursekit.errors import GradingError

__all__ = ["late_penalty_preprocessor", "seconds_late", "penalty_for", "apply_late_penalties", "LatePenalty",
           "UNKNOWN_SECONDS_LATE"]

#: Seconds late assumed for a submission the LMS flags late without saying when it came.
UNKNOWN_SECONDS_LATE = 1.0


@dataclass(frozen=True)
class LatePenalty:
    """The penalty stored for one submitted notebook."""

    notebook: str
    seconds_late: float
    score: float
    penalty: float | None     #: None: no penalty (nbgrader stores NULL)
    time_known: bool = True   #: False when only the LMS's late flag was known


@contextlib.contextmanager
def _course_on_path(course_root: Path) -> Iterator[None]:
    """nbgrader imports ``plugin_class`` with the working directory on ``sys.path``; coursekit uses the course root."""
    entry = str(course_root)
    sys.path.insert(0, entry)
    try:
        yield
    finally:
        with contextlib.suppress(ValueError):
            sys.path.remove(entry)


def late_penalty_preprocessor(course_root: Path | str, config: Any = None) -> Any:
    """nbgrader's ``AssignLatePenalties`` configured from the course's ``nbgrader_config.py``, its plugin made.

    A ``plugin_class`` that cannot be imported, or that is not a ``BasePlugin``, raises
    :class:`GradingError` naming the setting.
    """
    from nbgrader.preprocessors import AssignLatePenalties
    from traitlets import TraitError
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    root = Path(course_root).resolve()
    if config is None:
        config = Config()
        if (root / "nbgrader_config.py").exists():
            with _course_on_path(root):
                config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    with _course_on_path(root):
        try:
            pre = AssignLatePenalties(config=config)
            pre.init_plugin()
        except (TraitError, ImportError) as err:
            raise GradingError(f"{root / 'nbgrader_config.py'}: c.AssignLatePenalties.plugin_class cannot be used "
                               f"({err}); put the plugin module in the course directory and subclass "
                               "nbgrader.plugins.BasePlugin") from err
    return pre


def seconds_late(timestamp: datetime | None, duedate: datetime | None, extension: timedelta | None = None) -> float:
    """How late, as nbgrader's ``SubmittedAssignment.total_seconds_late`` counts it (naive UTC times).

    >>> seconds_late(datetime(2026, 3, 2, 10), datetime(2026, 3, 2, 9))
    3600.0
    >>> seconds_late(datetime(2026, 3, 2, 10), datetime(2026, 3, 2, 9), timedelta(hours=2)), seconds_late(None, None)
    (0, 0)
    """
    if timestamp is None or duedate is None:
        return 0
    due = duedate + extension if extension is not None else duedate
    return max(0, (timestamp - due).total_seconds())


def penalty_for(pre: Any, student: str, score: float, total_seconds_late: float) -> float | None:
    """The penalty nbgrader would store for one notebook: the plugin's answer, clamped to ``0..score``."""
    if total_seconds_late <= 0:
        return None
    penalty = pre.plugin_inst.late_submission_penalty(student, score, total_seconds_late)
    if penalty is None:
        return None
    return float(pre._check_late_penalty(SimpleNamespace(score=score), penalty))


def apply_late_penalties(gradebook: Any, pre: Any, assignment: str, student: str, *,
                         lms_late: bool = False) -> list[LatePenalty]:
    """Store every notebook's late penalty of one submission in nbgrader's gradebook and commit.

    Call it after the scores are written (what ``nbgrader autograde`` does after
    ``SaveAutoGrades``). ``lms_late`` is the LMS's own late flag, used only when the
    gradebook has a due date but no submission time.
    """
    from nbgrader.api import MissingEntry

    try:
        submission = gradebook.find_submission(assignment, student)
    except MissingEntry as err:
        raise GradingError(f"no submission of {assignment!r} by {student!r} in the gradebook; grade it first") from err
    late, known = float(submission.total_seconds_late), True
    if late == 0 and lms_late and submission.timestamp is None and submission.duedate is not None:
        late, known = UNKNOWN_SECONDS_LATE, False
    out = []
    for notebook in submission.notebooks:
        notebook.late_submission_penalty = None
        penalty = penalty_for(pre, student, float(notebook.score), late)
        notebook.late_submission_penalty = penalty
        out.append(LatePenalty(notebook.name, late, float(notebook.score), penalty, known))
    gradebook.db.commit()
    return out
