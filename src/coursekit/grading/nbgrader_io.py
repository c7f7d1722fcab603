"""Everything coursekit grading says to nbgrader, in one place.

The course directory's ``nbgrader_config.py`` is loaded the way nbgrader loads it;
grades go into nbgrader's own gradebook (``nbgrader.api.Gradebook``) so formgrader,
``generate_feedback`` and ``export`` keep working, and feedback is generated with
``nbgrader.apps.api.NbGraderAPI``.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursekit.errors import GradingError

__all__ = ["Course", "open_course", "GradeWrite", "write_grades", "generate_feedback"]


@dataclass
class Course:
    """An nbgrader course directory and its configuration."""

    root: Path
    config: Any
    coursedir: Any

    @property
    def db_url(self) -> str:
        return str(self.coursedir.db_url)

    def source_dir(self, assignment: str) -> Path:
        return Path(self.coursedir.format_path(self.coursedir.source_directory, ".", assignment))

    def release_dir(self, assignment: str) -> Path:
        return Path(self.coursedir.format_path(self.coursedir.release_directory, ".", assignment))

    def submitted_dir(self, student: str, assignment: str) -> Path:
        return Path(self.coursedir.format_path(self.coursedir.submitted_directory, student, assignment))

    def submitted_root(self) -> Path:
        return self.root / self.coursedir.submitted_directory

    def autograded_dir(self, student: str, assignment: str) -> Path:
        return Path(self.coursedir.format_path(self.coursedir.autograded_directory, student, assignment))

    def feedback_dir(self, student: str, assignment: str) -> Path:
        return Path(self.coursedir.format_path(self.coursedir.feedback_directory, student, assignment))

    def timestamp(self, student: str, assignment: str) -> Any:
        """The submission time from ``timestamp.txt`` (None when missing or unreadable)."""
        try:
            return self.coursedir.get_existing_timestamp(str(self.submitted_dir(student, assignment)))
        except Exception:  # noqa: BLE001 - a student's garbled timestamp.txt must not stop grading
            return None

    def notebooks(self, assignment: str) -> list[str]:
        """Names of the assignment's notebooks, as the gradebook knows them."""
        from nbgrader.api import Gradebook, MissingEntry

        with Gradebook(self.db_url, self.coursedir.course_id) as gb:
            try:
                names = [nb.name for nb in gb.find_assignment(assignment).notebooks]
            except MissingEntry:
                names = []
        if not names:
            raise GradingError(f"{self.root}: assignment {assignment!r} is not in the gradebook; run "
                               f"`nbgrader generate_assignment {assignment}` in the course directory first")
        return sorted(names)


def open_course(root: Path | str) -> Course:
    """Load ``<root>/nbgrader_config.py`` (if any) and nbgrader's course directory settings."""
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    root = Path(root).resolve()
    if not root.is_dir():
        raise GradingError(f"{root}: course directory not found; pass the folder holding nbgrader_config.py")
    config = Config()
    if (root / "nbgrader_config.py").exists():
        config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    coursedir = CourseDirectory(config=config)
    return Course(root, config, coursedir)


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
    timestamp: Any = None
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


@contextlib.contextmanager
def gradebook(course: Course) -> Iterator[Any]:
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url, course.coursedir.course_id) as gb:
        yield gb


def generate_feedback(course: Course, assignment: str, students: list[str]) -> dict[str, str]:
    """Run nbgrader's ``generate_feedback`` for ``students``; student -> problem (empty when fine)."""
    from nbgrader.apps.api import NbGraderAPI

    log = logging.getLogger("coursekit.grading.feedback")
    log.addHandler(logging.NullHandler())
    log.propagate = False
    api = NbGraderAPI(coursedir=course.coursedir, config=course.config, log=log)
    problems: dict[str, str] = {}
    for student in students:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            result = api.generate_feedback(assignment, student, force=True)
        if not result.get("success"):
            problems[student] = str(result.get("error") or result.get("log", ""))[-500:]
            continue
        for page in course.feedback_dir(student, assignment).glob("*.html"):
            page.write_text(offline_html(page.read_text(encoding="utf-8")), encoding="utf-8")
    return problems


_REMOTE = re.compile(r"""<script[^>]*\bsrc=["']https?://[^>]*>\s*</script>|<link[^>]*\bhref=["']https?://[^>]*>""", re.I)


def offline_html(page: str) -> str:
    """Remove scripts and stylesheets loaded from the network (nbconvert's MathJax CDN).

    >>> offline_html('<p>x</p><script src="https://cdnjs.example/mathjax.js"></script>')
    '<p>x</p>'
    """
    return _REMOTE.sub("", page)
