"""Cell factories and named predicates for nbgrader and coursekit cell metadata.

Instructors never write cell metadata by hand: the notebook builder calls the factories
below, and everything that reads a notebook asks the predicates. nbgrader's own metadata
follows its schema version 3 (which allows no extra keys), so coursekit keeps what it adds
(the cell's role, its question id and objective) under a separate, versioned
``metadata["coursekit"]`` key.

>>> cell = make_test_cell('grade("ps1.tilt", tilt, 2)', "ps1-tilt-test", points=2, question="ps1.tilt")
>>> is_grade(cell), is_solution(cell), is_locked(cell), role(cell), question_id(cell)
(True, False, True, 'test', 'ps1.tilt')
>>> grade_id(cell), points(cell)
('ps1-tilt-test', 2.0)
"""

from __future__ import annotations

from typing import Any

from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell

__all__ = [
    "NBGRADER_SCHEMA_VERSION",
    "COURSEKIT_METADATA_VERSION",
    "ROLES",
    "is_grade",
    "is_solution",
    "is_locked",
    "is_test",
    "is_answer",
    "is_manual",
    "grade_id",
    "points",
    "role",
    "question_id",
    "objective",
    "slug",
    "make_markdown_cell",
    "make_locked_markdown_cell",
    "make_locked_code_cell",
    "make_code_cell",
    "make_answer_cell",
    "make_test_cell",
    "make_manual_cell",
]

NBGRADER_SCHEMA_VERSION = 3
COURSEKIT_METADATA_VERSION = 1
#: What a generated cell is for (``metadata["coursekit"]["role"]``).
ROLES = ("markdown", "prompt", "setup", "widget", "code", "answer", "test", "manual")


# --- predicates -----------------------------------------------------------------


def _nbgrader(cell: NotebookNode) -> dict[str, Any]:
    return dict(cell.get("metadata", {}).get("nbgrader", {}))


def _coursekit(cell: NotebookNode) -> dict[str, Any]:
    return dict(cell.get("metadata", {}).get("coursekit", {}))


def is_grade(cell: NotebookNode) -> bool:
    """True for a cell nbgrader awards points for (tests and manually graded answers)."""
    return bool(_nbgrader(cell).get("grade", False))


def is_solution(cell: NotebookNode) -> bool:
    """True for a cell the student writes in (its solution is cleared on release)."""
    return bool(_nbgrader(cell).get("solution", False))


def is_locked(cell: NotebookNode) -> bool:
    """True for a read-only cell (nbgrader restores it from the source when grading)."""
    meta = _nbgrader(cell)
    if meta.get("solution"):
        return False
    return bool(meta.get("locked", False) or meta.get("grade", False))


def role(cell: NotebookNode) -> str | None:
    """The coursekit role of a generated cell (one of :data:`ROLES`), or None."""
    return _coursekit(cell).get("role")


def is_test(cell: NotebookNode) -> bool:
    """An autograded test cell: a code grade cell that is not a solution."""
    return cell.get("cell_type") == "code" and is_grade(cell) and not is_solution(cell)


def is_answer(cell: NotebookNode) -> bool:
    """A code cell the student answers in (not graded itself)."""
    return cell.get("cell_type") == "code" and is_solution(cell) and not is_grade(cell)


def is_manual(cell: NotebookNode) -> bool:
    """A manually graded answer: a markdown cell that is both grade and solution."""
    return cell.get("cell_type") == "markdown" and is_grade(cell) and is_solution(cell)


def grade_id(cell: NotebookNode) -> str | None:
    """nbgrader's id of the cell, or None for cells nbgrader does not track."""
    return _nbgrader(cell).get("grade_id")


def points(cell: NotebookNode) -> float:
    """Points a grade cell is worth (0.0 for any other cell)."""
    return float(_nbgrader(cell).get("points", 0.0)) if is_grade(cell) else 0.0


def question_id(cell: NotebookNode) -> str | None:
    """The bank question a prompt, answer, test or manual cell belongs to."""
    return _coursekit(cell).get("question")


def objective(cell: NotebookNode) -> str | None:
    """The learning objective id recorded on a prompt cell."""
    return _coursekit(cell).get("objective")


def slug(question: str) -> str:
    """nbgrader grade ids allow ``[A-Za-z0-9_-]`` only: ``ps1.hip-angle`` -> ``ps1-hip-angle``.

    >>> slug("ps2.extend-and-rotate-out")
    'ps2-extend-and-rotate-out'
    """
    return question.replace(".", "-")


# --- factories --------------------------------------------------------------------


def _meta(
    cell_role: str,
    *,
    grade: bool = False,
    solution: bool = False,
    locked: bool = False,
    gid: str | None = None,
    pts: float | None = None,
    question: str | None = None,
    obj: str | None = None,
) -> dict[str, Any]:
    meta: dict[str, Any] = {"coursekit": {"version": COURSEKIT_METADATA_VERSION, "role": cell_role}}
    if question:
        meta["coursekit"]["question"] = question
    if obj:
        meta["coursekit"]["objective"] = obj
    if grade or solution or locked:
        nbg: dict[str, Any] = {
            "schema_version": NBGRADER_SCHEMA_VERSION,
            "grade": grade,
            "solution": solution,
            "locked": locked,
            "grade_id": gid,
        }
        if grade:
            nbg["points"] = float(pts or 0)
        meta["nbgrader"] = nbg
    if locked and not solution:
        meta["editable"] = False
        meta["deletable"] = False
    return meta


def _with_id(cell: NotebookNode, cell_id: str | None) -> NotebookNode:
    if cell_id:
        cell["id"] = cell_id
    return cell


def make_markdown_cell(source: str, *, cell_id: str | None = None) -> NotebookNode:
    """Plain instructions: untracked by nbgrader."""
    return _with_id(new_markdown_cell(source, metadata=_meta("markdown")), cell_id)


def make_locked_markdown_cell(
    source: str, gid: str, *, question: str | None = None, obj: str | None = None
) -> NotebookNode:
    """A read-only markdown cell (a question prompt); restored from the source when graded."""
    meta = _meta("prompt", locked=True, gid=gid, question=question, obj=obj)
    return _with_id(new_markdown_cell(source, metadata=meta), gid)


def make_locked_code_cell(source: str, gid: str, *, cell_role: str = "setup") -> NotebookNode:
    """A read-only code cell (imports, data, a widget)."""
    return _with_id(new_code_cell(source, metadata=_meta(cell_role, locked=True, gid=gid)), gid)


def make_code_cell(source: str, *, cell_id: str | None = None) -> NotebookNode:
    """A free code cell for the student's own exploration (not graded)."""
    return _with_id(new_code_cell(source, metadata=_meta("code")), cell_id)


def make_answer_cell(source: str, gid: str, *, question: str) -> NotebookNode:
    """The student's answer cell; its ``### BEGIN/END SOLUTION`` region is cleared on release."""
    meta = _meta("answer", solution=True, gid=gid, question=question)
    return _with_id(new_code_cell(source, metadata=meta), gid)


def make_test_cell(source: str, gid: str, *, points: float, question: str) -> NotebookNode:
    """An autograded test cell (visible check + hidden ``grade()`` call)."""
    meta = _meta("test", grade=True, locked=True, gid=gid, pts=points, question=question)
    return _with_id(new_code_cell(source, metadata=meta), gid)


def make_manual_cell(source: str, gid: str, *, points: float, question: str) -> NotebookNode:
    """A manually graded free-text answer (markdown, grade + solution)."""
    meta = _meta("manual", grade=True, solution=True, gid=gid, pts=points, question=question)
    return _with_id(new_markdown_cell(source, metadata=meta), gid)
