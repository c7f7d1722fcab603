"""Scripted submissions (a test fixture): fill a released notebook with answers, as a student would.

Used by the round-trip and grading tests and by ``benchmarks/grading.py`` (which puts
``tests/`` on ``sys.path``); it is not part of the library. Answers are given per nbgrader
grade id of an answer cell (``ps1-pelvic-tilt-answer``); the fully correct answers come
from the source notebook's solutions.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from coursekit.course import cells as md
from coursekit.course import regions
from coursekit.errors import NotebookError

__all__ = ["solution_text", "solution_answers", "answer_ids", "fill", "write_submission"]


def solution_text(cell: NotebookNode) -> str:
    """An answer cell's source with the solution markers removed (the key, as a student would type it)."""
    return regions.solution_text(str(cell.source))


def solution_answers(source_nb: NotebookNode) -> dict[str, str]:
    """grade id -> fully correct answer, for every answer and manual cell of a source notebook."""
    return {gid: solution_text(c) for c in source_nb.cells if md.is_answer(c) and (gid := md.grade_id(c))}


def answer_ids(nb: NotebookNode) -> list[str]:
    """Grade ids of the cells a student writes in."""
    return [gid for c in nb.cells if md.is_answer(c) and (gid := md.grade_id(c))]


def fill(released: NotebookNode, answers: Mapping[str, str], *, name: str = "notebook") -> NotebookNode:
    """A copy of ``released`` with the given answer cells' sources replaced."""
    nb = copy.deepcopy(released)
    cells = {gid: c for c in nb.cells if md.is_answer(c) and (gid := md.grade_id(c))}
    for gid, source in answers.items():
        if gid not in cells:
            raise NotebookError(name, f"no answer cell {gid!r}; answer cells are {', '.join(cells)}")
        cells[gid].source = source
    return nb


def write_submission(
    course_root: Path | str,
    student: str,
    assignment: str,
    nb: NotebookNode,
    *,
    timestamp: datetime | None = None,
) -> Path:
    """Place ``nb`` in ``submitted/<student>/<assignment>/`` with the released data files."""
    root = Path(course_root)
    dest = root / "submitted" / student / assignment
    dest.mkdir(parents=True, exist_ok=True)
    release = root / "release" / assignment
    for item in release.iterdir() if release.is_dir() else ():
        if item.is_file() and item.suffix != ".ipynb":
            (dest / item.name).write_bytes(item.read_bytes())
    path = dest / f"{assignment}.ipynb"
    nbformat.write(nb, path)
    stamp = (timestamp or datetime(2026, 1, 1, tzinfo=UTC)).isoformat(sep=" ")
    (dest / "timestamp.txt").write_text(stamp, encoding="utf-8")
    os.utime(path)
    return path
