"""The one place coursekit talks to nbgrader: a course directory and its NbGraderAPI.

nbgrader reads ``nbgrader_config.py`` from the course directory; this module loads it,
points the course directory at the right root, and runs nbgrader's own steps
(``generate_assignment``, ``autograde``, ``generate_feedback``, CSV export) through
``nbgrader.apps.NbGraderAPI``. nbgrader calls ``alembic`` in a subprocess when it creates
a gradebook, so the running environment's ``bin`` directory is put on ``PATH`` first.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from coursekit.errors import CourseKitError, NbgraderStepError

__all__ = ["Course", "NbgraderStepError", "env_bin_on_path", "COURSE_ID"]

COURSE_ID = "coursekit-hip"


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


@dataclass
class Course:
    """An nbgrader course directory (``assignments/``) and the steps run on it."""

    root: Path
    _api: object | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.root = Path(self.root).resolve()
        if not (self.root / "nbgrader_config.py").is_file():
            raise CourseKitError(
                f"{self.root}: not an nbgrader course directory (no nbgrader_config.py); "
                "pass --course pointing at the assignments/ folder"
            )

    # -- paths ----------------------------------------------------------------
    def source(self, assignment: str) -> Path:
        return self.root / "source" / assignment / f"{assignment}.ipynb"

    def release(self, assignment: str) -> Path:
        return self.root / "release" / assignment / f"{assignment}.ipynb"

    def submitted(self, student: str, assignment: str) -> Path:
        return self.root / "submitted" / student / assignment / f"{assignment}.ipynb"

    def autograded(self, student: str, assignment: str) -> Path:
        return self.root / "autograded" / student / assignment / f"{assignment}.ipynb"

    def feedback(self, student: str, assignment: str) -> Path:
        return self.root / "feedback" / student / assignment / f"{assignment}.html"

    def assignments(self) -> list[str]:
        """Assignment ids with a source notebook, sorted."""
        return sorted(p.parent.name for p in self.root.glob("source/*/*.ipynb") if p.stem == p.parent.name)

    # -- nbgrader ---------------------------------------------------------------
    def config(self):  # -> traitlets.config.Config
        """nbgrader's configuration for this course (its nbgrader_config.py, root fixed)."""
        from traitlets.config.loader import PyFileConfigLoader

        config = PyFileConfigLoader("nbgrader_config.py", path=str(self.root)).load_config()
        config.CourseDirectory.root = str(self.root)
        config.Exchange.root = str(self.root / "exchange")
        return config

    def api(self):  # -> nbgrader.apps.NbGraderAPI
        """nbgrader's Python API bound to this course (created once)."""
        if self._api is None:
            from nbgrader.apps import NbGraderAPI

            (self.root / "exchange").mkdir(exist_ok=True)
            with env_bin_on_path():
                self._api = NbGraderAPI(config=self.config())
        return self._api

    def _run(self, step: str, *args: object, **kwargs: object) -> str:
        with env_bin_on_path():
            result = getattr(self.api(), step)(*args, **kwargs)
        if not result.get("success"):
            detail = result.get("error") or result.get("log") or "no log"
            raise NbgraderStepError(f"nbgrader {step} {' '.join(map(str, args))} failed in {self.root}:\n{detail}")
        return str(result.get("log", ""))

    def generate(self, assignment: str) -> str:
        """``nbgrader generate_assignment``: source -> release (and the gradebook)."""
        return self._run("generate_assignment", assignment, force=True, create=True)

    def autograde(self, assignment: str, student: str) -> str:
        """Stock ``nbgrader autograde`` of one submission."""
        return self._run("autograde", assignment, student, force=True, create=True)

    def generate_feedback(self, assignment: str, student: str | None = None) -> str:
        """``nbgrader generate_feedback`` for one student, or all (HTML in feedback/)."""
        return self._run("generate_feedback", assignment, student, force=True)

    def export_csv(self, path: Path | str) -> Path:
        """nbgrader's CSV export of the gradebook to ``path``."""
        from nbgrader.api import Gradebook
        from nbgrader.plugins import CsvExportPlugin

        path = Path(path)
        with env_bin_on_path(), Gradebook(self.config().CourseDirectory.db_url, COURSE_ID) as gradebook:
            CsvExportPlugin(to=str(path)).export(gradebook)
        return path

    def scores(self, assignment: str) -> dict[str, float]:
        """Student id -> total score for one assignment, from the gradebook."""
        from nbgrader.api import Gradebook

        with env_bin_on_path(), Gradebook(self.config().CourseDirectory.db_url, COURSE_ID) as gradebook:
            return {s.student.id: float(s.score) for s in gradebook.assignment_submissions(assignment)}
