"""The course: an nbgrader course directory, its configuration and nbgrader's steps on it.

One object for everything coursekit asks of nbgrader's course layout: it loads
``nbgrader_config.py`` the way nbgrader does, builds nbgrader's ``CourseDirectory`` from it
(paths, course id, ignore patterns, gradebook URL) and reads the course's hidden-test and
solution delimiters, the per-cell timeout (``Execute.timeout``), the kernel start-up
timeout and the output limits (``LimitOutput``), so an instructor configures a course in one
place. nbgrader's own steps (``generate_assignment``, ``autograde``, ``generate_feedback``,
the CSV export) run through ``NbGraderAPI``.

:func:`find_course` discovers the course like nbgrader: the folder given, else the current
folder when it holds ``nbgrader_config.py``, else ``./assignments``.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from coursekit.course.regions import Delimiters
from coursekit.errors import CourseKitError, GradingError, NbgraderStepError

__all__ = ["Course", "OutputLimits", "find_course", "env_bin_on_path", "CONFIG_FILE", "FEEDBACK_TAIL"]

CONFIG_FILE = "nbgrader_config.py"
#: how much of nbgrader's log a failed step keeps in the message (its end says why)
FEEDBACK_TAIL = 500


@contextlib.contextmanager
def env_bin_on_path() -> Iterator[None]:
    """Put this interpreter's ``bin`` first on ``PATH`` (nbgrader runs ``alembic`` by name)."""
    bindir = str(Path(sys.executable).parent)
    old = os.environ.get("PATH", "")
    os.environ["PATH"] = bindir + os.pathsep + old if old else bindir
    try:
        yield
    finally:
        os.environ["PATH"] = old


@dataclass(frozen=True)
class OutputLimits:
    """nbgrader's ``LimitOutput``: lines kept per stream output and per traceback (-1: all)."""

    max_lines: int = 1000
    max_traceback: int = 100


def find_course(path: Path | str | None = None, *, cwd: Path | None = None) -> Course:
    """The course in ``path``; without one, like nbgrader: ``.`` if it holds the config, else ``./assignments``."""
    if path is not None:
        return Course(Path(path))
    here = Path(cwd or Path.cwd())
    for candidate in (here, here / "assignments"):
        if (candidate / CONFIG_FILE).is_file():
            return Course(candidate)
    raise CourseKitError(f"{here}: no {CONFIG_FILE} here or in {here / 'assignments'}; run coursekit in the "
                         "course directory (the folder holding nbgrader_config.py) or pass --course")


class Course:
    """An nbgrader course directory, configured by its ``nbgrader_config.py``."""

    def __init__(self, root: Path | str, *, require_config: bool = True) -> None:
        """Load ``<root>/nbgrader_config.py``; with ``require_config=False`` a folder without one
        (or not created yet) is a course with nbgrader's default settings, as for nbgrader itself."""
        from nbgrader.coursedir import CourseDirectory
        from traitlets.config import Config
        from traitlets.config.loader import PyFileConfigLoader

        self.root = Path(root).resolve()
        has_config = (self.root / CONFIG_FILE).is_file()
        if require_config and not self.root.is_dir():
            raise GradingError(f"{self.root}: course directory not found; pass the folder holding {CONFIG_FILE}")
        if require_config and not has_config:
            raise CourseKitError(f"{self.root}: not an nbgrader course directory (no {CONFIG_FILE}); "
                                 "pass --course pointing at the assignments/ folder")
        config = PyFileConfigLoader(CONFIG_FILE, path=str(self.root)).load_config() if has_config else Config()
        config.CourseDirectory.root = str(self.root)
        config.Exchange.root = str(self.root / "exchange")
        self.config: Any = config
        self.coursedir: Any = CourseDirectory(config=config)
        self._api: Any = None
        self._gradebook: tuple[int, Any] | None = None  # (thread, the open Gradebook) while one is open

    def __repr__(self) -> str:
        return f"Course({str(self.root)!r})"

    # -- what nbgrader_config.py says ---------------------------------------------------
    @property
    def course_id(self) -> str:
        return str(self.coursedir.course_id)

    @property
    def db_url(self) -> str:
        return str(self.coursedir.db_url)

    @property
    def ignore(self) -> list[str]:
        """File patterns nbgrader never copies (``CourseDirectory.ignore``)."""
        return [str(p) for p in self.coursedir.ignore]

    def _configured(self, cls: Any) -> Any:
        return cls(config=self.config)

    @property
    def delimiters(self) -> Delimiters:
        """Hidden-test and solution delimiters (``ClearHiddenTests`` / ``ClearSolutions``)."""
        from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions

        tests, solutions = self._configured(ClearHiddenTests), self._configured(ClearSolutions)
        return Delimiters(str(tests.begin_test_delimeter), str(tests.end_test_delimeter),
                          str(solutions.begin_solution_delimeter), str(solutions.end_solution_delimeter))

    @property
    def cell_timeout(self) -> float:
        """Seconds one cell may run (``Execute.timeout``, or ``ExecutePreprocessor.timeout`` it inherits);
        ``math.inf`` where it is None or <= 0, nbclient's "no limit per cell"."""
        from nbgrader.preprocessors import Execute

        value = self._configured(Execute).timeout
        return math.inf if value is None or value <= 0 else float(value)

    @property
    def startup_timeout(self) -> float:
        """Seconds a kernel may take to start (``Execute.startup_timeout``)."""
        from nbgrader.preprocessors import Execute

        return float(self._configured(Execute).startup_timeout)

    @property
    def output_limits(self) -> OutputLimits:
        """``LimitOutput.max_lines`` / ``max_traceback``."""
        from nbgrader.preprocessors import LimitOutput

        limit = self._configured(LimitOutput)
        return OutputLimits(int(limit.max_lines), int(limit.max_traceback))

    def limit_output(self, nb: Any) -> Any:
        """``nb`` with nbgrader's ``LimitOutput`` applied (stream lines, traceback length), in place."""
        from nbgrader.preprocessors import LimitOutput

        nb, _ = self._configured(LimitOutput).preprocess(nb, {})
        return nb

    # -- paths ---------------------------------------------------------------------------
    def _path(self, step: str, student: str, assignment: str) -> Path:
        return Path(self.coursedir.format_path(getattr(self.coursedir, f"{step}_directory"), student, assignment))

    def source_dir(self, assignment: str) -> Path:
        return self._path("source", ".", assignment)

    def release_dir(self, assignment: str) -> Path:
        return self._path("release", ".", assignment)

    def submitted_dir(self, student: str, assignment: str) -> Path:
        return self._path("submitted", student, assignment)

    def autograded_dir(self, student: str, assignment: str) -> Path:
        return self._path("autograded", student, assignment)

    def feedback_dir(self, student: str, assignment: str) -> Path:
        return self._path("feedback", student, assignment)

    def submitted_root(self) -> Path:
        return self.root / str(self.coursedir.submitted_directory)

    def feedback_root(self) -> Path:
        return self.root / str(self.coursedir.feedback_directory)

    def source(self, assignment: str) -> Path:
        """The assignment's main source notebook (``source/<id>/<id>.ipynb``)."""
        return self.source_dir(assignment) / f"{assignment}.ipynb"

    def release(self, assignment: str) -> Path:
        """The released copy of the main notebook."""
        return self.release_dir(assignment) / f"{assignment}.ipynb"

    def submitted(self, student: str, assignment: str) -> Path:
        """A student's submitted main notebook."""
        return self.submitted_dir(student, assignment) / f"{assignment}.ipynb"

    def autograded(self, student: str, assignment: str) -> Path:
        """A student's autograded main notebook."""
        return self.autograded_dir(student, assignment) / f"{assignment}.ipynb"

    def feedback(self, student: str, assignment: str) -> Path:
        """A student's feedback page for the main notebook."""
        return self.feedback_dir(student, assignment) / f"{assignment}.html"

    def assignments(self) -> list[str]:
        """Assignment ids with a source notebook, sorted."""
        found = self.root.glob(f"{self.coursedir.source_directory}/*/*.ipynb")
        return sorted(p.parent.name for p in found if p.stem == p.parent.name)

    def timestamp(self, student: str, assignment: str) -> datetime | None:
        """The submission time from ``timestamp.txt`` (None when missing or unreadable)."""
        from nbgrader.utils import parse_utc

        from coursekit.errors import UntrustedFileError
        from coursekit.untrusted.files import read_regular

        try:  # a regular file of a few bytes: never a pipe, a device or a link a student planted
            text = read_regular(self.submitted_dir(student, assignment) / "timestamp.txt", 1000).decode("utf-8")
            stamp = parse_utc(text.strip())
        except (UntrustedFileError, UnicodeDecodeError, ValueError, OverflowError, TypeError):
            return None
        return stamp if isinstance(stamp, datetime) else None

    # -- the gradebook ------------------------------------------------------------------
    @contextlib.contextmanager
    def gradebook(self) -> Iterator[Any]:
        """nbgrader's ``Gradebook`` of this course (``nbgrader.api.Gradebook``).

        Opening one checks the database's tables (nbgrader's ``create_all``); a ``with``
        inside another one of the same thread reuses the open gradebook instead.
        """
        import threading

        from nbgrader.api import Gradebook

        me = threading.get_ident()
        if self._gradebook is not None and self._gradebook[0] == me:
            yield self._gradebook[1]
            return
        with env_bin_on_path(), Gradebook(self.db_url, self.course_id) as gb:
            outer = self._gradebook is None
            if outer:
                self._gradebook = (me, gb)
            try:
                yield gb
            finally:
                if outer:
                    self._gradebook = None

    def notebooks(self, assignment: str) -> list[str]:
        """Names of the assignment's notebooks, as the gradebook knows them."""
        from nbgrader.api import MissingEntry

        with self.gradebook() as gb:
            try:
                names = [nb.name for nb in gb.find_assignment(assignment).notebooks]
            except MissingEntry:
                names = []
        if not names:
            raise GradingError(f"{self.root}: assignment {assignment!r} is not in the gradebook; run "
                               f"`nbgrader generate_assignment {assignment}` in the course directory first")
        return sorted(names)

    def scores(self, assignment: str) -> dict[str, float]:
        """Student id -> total score for one assignment, from the gradebook."""
        return {student: total for student, (total, _) in self.totals(assignment).items()}

    def totals(self, assignment: str) -> dict[str, tuple[float, bool]]:
        """student -> (gradebook total, manual and auto; whether manual grading is still pending)."""
        with self.gradebook() as gb:
            return {s.student.id: (float(s.score), bool(s.needs_manual_grade))
                    for s in gb.assignment_submissions(assignment)}

    # -- nbgrader's steps -------------------------------------------------------------------
    def api(self) -> Any:
        """nbgrader's Python API bound to this course (created once, quiet)."""
        if self._api is None:
            from nbgrader.apps import NbGraderAPI

            (self.root / "exchange").mkdir(exist_ok=True)
            log = logging.getLogger(f"coursekit.course.{id(self)}")
            log.addHandler(logging.NullHandler())
            log.propagate = False
            log.setLevel(logging.INFO)
            with env_bin_on_path():
                self._api = NbGraderAPI(coursedir=self.coursedir, config=self.config, log=log)
        return self._api

    def _step(self, step: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        with env_bin_on_path(), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            result = getattr(self.api(), step)(*args, **kwargs)
        return dict(result)

    def _run(self, step: str, *args: Any, **kwargs: Any) -> str:
        result = self._step(step, *args, **kwargs)
        if not result.get("success"):
            detail = str(result.get("error") or result.get("log") or "no log")
            raise NbgraderStepError(f"nbgrader {step} {' '.join(map(str, args))} failed in {self.root}:\n{detail}")
        return str(result.get("log", ""))

    def generate(self, assignment: str) -> str:
        """``nbgrader generate_assignment``: source -> release (and the gradebook); the one release path."""
        return self._run("generate_assignment", assignment, force=True, create=True)

    def autograde(self, assignment: str, student: str) -> str:
        """Stock ``nbgrader autograde`` of one submission."""
        return self._run("autograde", assignment, student, force=True, create=True)

    def generate_feedback(self, assignment: str, students: list[str] | None = None) -> dict[str, str]:
        """``nbgrader generate_feedback``, the one feedback path: student -> problem (empty: all fine).

        Every student is tried (all autograded ones when ``students`` is None); a failure keeps
        the last :data:`FEEDBACK_TAIL` characters of nbgrader's error. Pages are made
        offline (no CDN script).
        """
        from coursekit.course.feedback import offline_html

        problems: dict[str, str] = {}
        wanted: list[str | None] = list(students) if students is not None else [None]
        for student in wanted:
            result = self._step("generate_feedback", assignment, student, force=True)
            if not result.get("success"):
                problems[student or "*"] = str(result.get("error") or result.get("log", ""))[-FEEDBACK_TAIL:]
        for page in self.feedback_root().glob(f"*/{assignment}/*.html"):
            if students is None or page.parent.parent.name in students:
                page.write_text(offline_html(page.read_text(encoding="utf-8")), encoding="utf-8")
        return problems

    def export_csv(self, path: Path | str) -> Path:
        """nbgrader's CSV export of the whole gradebook to ``path``."""
        from nbgrader.plugins import CsvExportPlugin

        path = Path(path)
        with self.gradebook() as gb:
            CsvExportPlugin(to=str(path)).export(gb)
        return path
