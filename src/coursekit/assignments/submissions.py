"""Scripted submissions: fill a released notebook with answers, as a student would.

Used by the round-trip tests and the grading benchmark. Answers are given per nbgrader
grade id of an answer cell (``ps1-pelvic-tilt-answer``); the fully correct answers come
from the source notebook's solutions.

>>> from coursekit.assignments import metadata as md
>>> src = md.make_answer_cell("x = None\\n### BEGIN SOLUTION\\nx = 3\\n### END SOLUTION", "q-answer", question="q")
>>> print(solution_text(src))
x = None
x = 3
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from coursekit.assignments import metadata as md
from coursekit.errors import NotebookError

__all__ = ["solution_text", "solution_answers", "answer_ids", "fill", "write_submission"]

_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def solution_text(cell: NotebookNode) -> str:
    """An answer cell's source with the solution markers removed (the key, as a student would type it)."""
    return "\n".join(line for line in cell.source.split("\n") if line.strip() not in _MARKERS)


def solution_answers(source_nb: NotebookNode) -> dict[str, str]:
    """grade id -> fully correct answer, for every answer and manual cell of a source notebook."""
    return {
        md.grade_id(c): solution_text(c) for c in source_nb.cells if md.is_answer(c) or md.is_manual(c)
    }


def answer_ids(nb: NotebookNode) -> list[str]:
    """Grade ids of the cells a student writes in."""
    return [md.grade_id(c) for c in nb.cells if md.is_answer(c) or md.is_manual(c)]


def fill(released: NotebookNode, answers: Mapping[str, str], *, name: str = "notebook") -> NotebookNode:
    """A copy of ``released`` with the given answer cells' sources replaced."""
    nb = copy.deepcopy(released)
    cells = {md.grade_id(c): c for c in nb.cells if md.is_answer(c) or md.is_manual(c)}
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
    stamp = (timestamp or datetime(2026, 1, 1, tzinfo=timezone.utc)).isoformat(sep=" ")
    (dest / "timestamp.txt").write_text(stamp, encoding="utf-8")
    os.utime(path)
    return path
