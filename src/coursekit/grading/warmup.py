"""Warm grading: sandboxed workers started first, the course and nbgrader loaded while they warm.

This module is light to import (no notebook stack): ``coursekit grade`` imports it, starts
the workers, and only then imports nbgrader, nbconvert and the grader
(:mod:`coursekit.grading.batch`), so the two start-ups overlap. :class:`WarmGrading` is
what a run needs before its first submission (course, sandbox, workers, nbgrader's
feedback exporter); ``coursekit grade`` builds one per run (:func:`grade_assignment`),
the hub's :class:`coursekit.grading.service.Grader` keeps one between submissions.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coursekit.grading.cgroups import CgroupLimits
from coursekit.grading.config import GradeConfig
from coursekit.grading.sandbox import Sandbox, create_sandbox
from coursekit.grading.workers import WorkerHandle

if TYPE_CHECKING:
    from coursekit.grading.batch import BatchSummary
    from coursekit.grading.feedbackhelper import FeedbackHelper
    from coursekit.grading.submissions import Sources

__all__ = ["WarmGrading", "expected_submissions", "grade_assignment", "source_imports"]


def _is_solution(cell: dict[str, Any]) -> bool:
    """nbgrader's ``is_solution`` on a cell read as JSON."""
    meta = cell.get("metadata")
    nbgrader = meta.get("nbgrader") if isinstance(meta, dict) else None
    return isinstance(nbgrader, dict) and bool(nbgrader.get("solution", False))


def source_imports(source_dir: Path) -> list[str]:
    """Modules imported by the instructor's (trusted) non-answer code cells, for warming workers.

    >>> import tempfile, json, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> cell = {"cell_type": "code", "source": "import math\\nfrom pandas import read_csv", "metadata": {}}
    >>> _ = (d / "a.ipynb").write_text(json.dumps({"cells": [cell]}))
    >>> source_imports(d)
    ['math', 'pandas']
    """
    import ast
    import json

    found: list[str] = []
    for path in sorted(source_dir.glob("*.ipynb")):
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            continue
        for cell in cells:
            if not isinstance(cell, dict) or cell.get("cell_type") != "code" or _is_solution(cell):
                continue
            text = "".join(cell.get("source", ""))
            try:
                tree = ast.parse("\n".join(l for l in text.splitlines() if not l.lstrip().startswith(("%", "!"))))
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found += [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.append(node.module)
    return list(dict.fromkeys(found))


class WarmGrading:
    """A course with its sandbox, warm workers and feedback exporter, ready to grade runs.

    The workers are started first, then the course (nbgrader) and the feedback exporter
    are loaded while they warm up. ``assignments``: those whose source imports the
    workers load while warming (None: every ``source/<id>`` folder).
    """

    def __init__(self, config: GradeConfig, assignments: list[str] | None, echo: Callable[[str], None] = print,
                 log_dir: Path | None = None, *, expected: int | None = None, feedback_helper: bool = False) -> None:
        config.validate()
        self.config = config
        root = Path(config.course).resolve()
        if assignments is None:
            assignments = sorted(p.name for p in (root / "source").glob("*") if p.is_dir())
        budget = CgroupLimits(memory_mb=config.memory_mb * 2 + 1536, pids=config.nproc * 2 + 64)
        self.sandbox: Sandbox = create_sandbox(config.sandbox, keep_out=[root], cgroup=budget)
        self.sandbox.warm = _imports(_source_dirs(root, assignments))
        logs = log_dir or root / "coursekit-grades" / config.assignment / "logs"
        count = config.workers if expected is None else max(1, min(config.workers, expected))
        self.workers = [WorkerHandle(self.sandbox, i, config.caps(), logs) for i in range(count)]
        self._sources: dict[str, tuple[tuple[Any, ...], Sources]] = {}
        self._keys: tuple[Any, ...] = ()  # what the loaded answer keys were read from (see require_keys)
        self.feedback: Any = None
        #: writes the feedback pages in a forked copy of this process (a batch; see .feedbackhelper)
        self.feedback_helper: FeedbackHelper | None = None
        try:
            for worker in self.workers:  # warm up while the grader imports nbgrader and reads the course
                worker.spawn()
            from coursekit.course import Course

            self.course = Course(root)
            configured = [self.course.source_dir(a) for a in assignments]
            if configured != _source_dirs(root, assignments):  # another source_directory: later workers use it
                self.sandbox.warm = _imports(configured)
            echo(self.sandbox.summary())
            if config.feedback:
                from coursekit.course.feedback import FeedbackPages

                self.feedback = FeedbackPages(self.course, seconds=config.feedback_timeout)
                self.feedback.warm()  # the template compiles while the workers start
                if feedback_helper:  # forked now: warm, and before any thread or gradebook connection
                    from coursekit.grading.feedbackhelper import FeedbackHelper

                    self.feedback_helper = FeedbackHelper.fork(self.feedback)
        except BaseException:
            self.close()
            raise

    def sources(self, assignment: str, names: list[str]) -> Sources:
        """The assignment's source and release notebooks, read again only when their files changed."""
        from coursekit.grading.submissions import load_sources

        folders = (self.course.source_dir(assignment), self.course.release_dir(assignment))
        key = _files_state(folders) + tuple(names)
        cached = self._sources.get(assignment)
        if cached is None or cached[0] != key:
            loaded = load_sources(folders[0], folders[1], names, self.course.ignore, self.course.delimiters)
            self._sources[assignment] = cached = (key, loaded)
        return cached[1]

    def require_keys(self, assignment: str) -> None:
        """The course's answer keys for ``assignment`` (:func:`coursekit.coursekeys.require_keys`), loaded
        again only when the key files or the source notebooks changed."""
        from coursekit import bank
        from coursekit.coursekeys import keys_dir, require_keys

        folders = (keys_dir(self.course.root), self.course.source_dir(assignment))

        def state() -> tuple[Any, ...]:
            # the key directories in use too: another course's keys loaded in this process mean a reload
            return (assignment, tuple(map(str, bank._KEY_DIRS)), *_files_state(folders))

        if state() != self._keys:
            require_keys(self.course.root, assignment)
            self._keys = state()

    def grade(self, config: GradeConfig, echo: Callable[[str], None] = print, *,
              keep_workers: bool = False) -> BatchSummary:
        """Grade one run (``config.assignment``, ``config.students``) with this course's warm workers."""
        from coursekit.grading.batch import _grade

        config.validate()
        return _grade(config, self, time.monotonic(), echo, keep_workers)

    def close(self) -> None:
        """Stop every worker (and so its sandbox)."""
        for worker in self.workers:
            worker.stop()
        if self.feedback_helper is not None:
            self.feedback_helper.close()


def _files_state(folders: tuple[Path, ...]) -> tuple[tuple[str, int, int], ...]:
    """(path, mtime, size) of every file directly in ``folders``: changes when one is edited, added or removed."""
    return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size)
                        for folder in folders if folder.is_dir() for p in folder.iterdir() if p.is_file()))


def _imports(folders: list[Path]) -> list[str]:
    return list(dict.fromkeys(m for folder in folders for m in source_imports(folder)))


def _source_dirs(root: Path, assignments: list[str]) -> list[Path]:
    """nbgrader's default ``source/<assignment>`` folders (the course's configuration is not read yet)."""
    return [root / "source" / a for a in assignments]


def expected_submissions(config: GradeConfig) -> int | None:
    """How many submissions a run may grade, counted before the course is loaded (None: unknown).

    A run never starts more workers than that: one submission on two cores gets one worker,
    and the grader's own start-up keeps the other core. nbgrader's default layout
    (``submitted/<student>/<assignment>``) is assumed; another layout gives None.
    """
    root = Path(config.course) / "submitted"
    if config.students:
        return len(config.students)
    if not root.is_dir():
        return None
    found = sum(1 for folder in root.glob(f"*/{config.assignment}") if folder.is_dir())
    return found or None  # none there: maybe another layout, so no cap


def grade_assignment(config: GradeConfig, echo: Callable[[str], None] = print) -> BatchSummary:
    """Grade ``config.assignment`` of the course in ``config.course`` (see :mod:`coursekit.grading.batch`)."""
    started_run = time.monotonic()
    expected = expected_submissions(config)
    warm = WarmGrading(config, [config.assignment], echo, expected=expected,
                       feedback_helper=expected is None or expected > 1)  # one page: no fork, no hand-over
    try:
        from coursekit.grading.batch import _grade

        return _grade(config, warm, started_run, echo, False)
    finally:
        warm.close()
