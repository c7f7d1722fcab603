"""Read a submitted notebook and rebuild it from the instructor's source.

Every cell the student may not change (instructions, setup, tests, their metadata)
comes from the *source* notebook; only the student's answer cells and the extra cells
they added are kept. Missing or tampered cells are restored and reported as flags.

The cell rules come from :mod:`coursekit.course.cells` (nbgrader's own rules).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from coursekit.course.cells import grade_id, is_grade, is_locked, is_solution, nbgrader_metadata
from coursekit.errors import NotebookError, UntrustedFileError
from coursekit.untrusted.files import read_regular
from coursekit.untrusted.notebooks import Limits as NotebookLimits
from coursekit.untrusted.notebooks import normalise_notebook

__all__ = ["Prepared", "BrokenSubmission", "read_submission", "restore", "MAX_NOTEBOOK_BYTES"]

LIMITS = NotebookLimits()
#: Above this size a notebook's outputs are cleared before grading (as stock nbgrader does).
MAX_NOTEBOOK_BYTES = LIMITS.soft_bytes
_FLAGS = ("grade", "solution", "locked", "task")


class BrokenSubmission(Exception):
    """The submitted file cannot be graded at all; ``reason`` says why and what to do."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Prepared:
    """A submission rebuilt from the source, ready to run."""

    notebook: NotebookNode
    flags: list[str] = field(default_factory=list)


def read_submission(path: Path) -> tuple[NotebookNode, list[str]]:
    """Read a submitted notebook as untrusted input; raise :class:`BrokenSubmission` when impossible.

    Only a regular file is read (never through a link, never a pipe or a device), at most
    :data:`MAX_NOTEBOOK_BYTES` of it, and it is validated and normalised with nbformat
    (caps on cells and text, outputs cleared) before anything else looks at it: see
    :mod:`coursekit.untrusted`.
    """
    try:
        data = read_regular(path, LIMITS.hard_bytes)
        return normalise_notebook(data, path.name, LIMITS)
    except (UntrustedFileError, NotebookError) as err:
        reason = err.reason if isinstance(err, UntrustedFileError) else err.problem
        raise BrokenSubmission(reason if "resubmit" in reason else f"{reason}; ask the student to resubmit") from None


def _meta_tampered(student: Any, source: Any) -> bool:
    mine, theirs = nbgrader_metadata(student), nbgrader_metadata(source)
    keys = (*_FLAGS, "points")
    return any(mine.get(k) != theirs.get(k) for k in keys) or student.get("cell_type") != source.get("cell_type")


def _match(student_cells: list[Any], source_cells: list[Any], flags: list[str]) -> list[int | None]:
    """For every student cell, the index of the source cell it stands for (``None``: extra cell)."""
    by_id = {grade_id(c): i for i, c in enumerate(source_cells) if grade_id(c)}
    matched: list[int | None] = []
    used: set[int] = set()
    unknown: list[int] = []
    for pos, cell in enumerate(student_cells):
        gid = grade_id(cell)
        index = by_id.get(gid) if gid else None
        if index is None or index in used:
            if gid:
                unknown.append(pos)
            matched.append(None)
            continue
        used.add(index)
        matched.append(index)
    answers_left = [i for i, c in enumerate(source_cells) if is_solution(c) and i not in used]
    for pos in unknown:
        cell = student_cells[pos]
        if is_solution(cell) and answers_left:
            index = answers_left.pop(0)
            matched[pos] = index
            used.add(index)
            flags.append(f"answer cell id changed from {grade_id(source_cells[index])!r} to "
                         f"{grade_id(cell)!r}; matched by position")
        else:
            flags.append(f"cell with unknown or duplicated id {grade_id(cell)!r} kept as an ordinary cell")
            student_cells[pos] = _plain(cell)
    return matched


def _plain(cell: Any) -> Any:
    cell = copy.deepcopy(cell)
    cell.get("metadata", {}).pop("nbgrader", None)
    return cell


def restore(source: NotebookNode, student: NotebookNode, release: NotebookNode | None = None) -> Prepared:
    """Rebuild ``student`` on ``source``: locked cells and all metadata from the source.

    Cells are kept in the student's order; nbgrader cells (those with a grade id) the
    student deleted are put back after the source cell that precedes them. ``release`` (the notebook handed
    out) supplies starter code for deleted answer cells and nbgrader checksums.
    """
    flags: list[str] = []
    src = source.cells
    released = {grade_id(c): c for c in (release.cells if release else []) if grade_id(c)}
    mine = [copy.deepcopy(c) for c in student.cells]
    matched = _match(mine, src, flags)
    present = {i for i in matched if i is not None}
    out: list[Any] = []
    next_missing = 0

    def put_missing(upto: int) -> None:
        nonlocal next_missing
        while next_missing < upto:
            if next_missing not in present and grade_id(src[next_missing]):
                out.append(_missing(src[next_missing], released, flags))
            next_missing += 1

    for cell, index in zip(mine, matched):
        if index is None:
            if cell.get("cell_type") in ("code", "markdown", "raw"):
                out.append(_plain(cell))
            continue
        put_missing(index)
        next_missing = max(next_missing, index + 1)
        out.append(_merge(cell, src[index], released, flags))
    put_missing(len(src))
    # the source's metadata and format (its cells are replaced, so they are not copied first)
    nb = nbformat.from_dict({key: copy.deepcopy(value) for key, value in source.items() if key != "cells"})
    nb.cells = [nbformat.from_dict(c) for c in out]
    return Prepared(nb, flags)


def _missing(src_cell: Any, released: dict[str | None, Any], flags: list[str]) -> Any:
    gid = grade_id(src_cell)
    if is_solution(src_cell):
        flags.append(f"answer cell {gid!r} was deleted; restored with the starter code (no answer)")
        return copy.deepcopy(released.get(gid, src_cell)) if gid in released else _starter(src_cell)
    if gid:
        flags.append(f"cell {gid!r} was deleted; restored from the source")
    return copy.deepcopy(src_cell)


def _starter(src_cell: Any) -> Any:
    cell = copy.deepcopy(src_cell)
    cell["source"] = "# YOUR CODE HERE\nraise NotImplementedError()"
    return cell


def _merge(mine: Any, src_cell: Any, released: dict[str | None, Any], flags: list[str]) -> Any:
    gid = grade_id(src_cell)
    if _meta_tampered(mine, src_cell):
        flags.append(f"cell {gid!r}: nbgrader metadata or cell type was changed; restored from the source")
    if not is_solution(src_cell):
        if mine.get("source") != src_cell.get("source") and not is_grade(src_cell) and is_locked(src_cell):
            flags.append(f"read-only cell {gid!r} was edited; restored from the source")
        return copy.deepcopy(src_cell)
    cell = copy.deepcopy(released.get(gid, src_cell))
    cell["source"] = mine.get("source", "")
    cell["cell_type"] = src_cell.get("cell_type", "code")
    if cell["cell_type"] == "code":
        cell.setdefault("outputs", [])
        cell.setdefault("execution_count", None)
    else:
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
    return cell
