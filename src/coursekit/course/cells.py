"""Cell rules: what a cell is, for nbgrader and for coursekit, defined once.

The predicates delegate to ``nbgrader.utils`` where nbgrader has the rule (a cell is
*locked* when nbgrader overwrites it from the source: a grade cell, or one marked
read-only, never a solution cell). They read any cell, also a student's tampered one:
nbgrader metadata that is not a mapping counts as none. The vocabulary:

* **answer cell**: a cell the student writes in (nbgrader's *solution* cell, code or
  Markdown); :func:`is_autograded_answer` (not a grade cell itself) and :func:`is_manual`
  (graded by hand) split it;
* **test cell**: a code grade cell that is not an answer (its hidden part awards points);
* **locked cell**: restored from the source when grading.

Instructors never write cell metadata by hand: the notebook builder calls the factories
below. nbgrader's own metadata follows its schema version 3 (which allows no extra keys), so
coursekit keeps what it adds (the cell's role, its question id and objective) under a
separate, versioned ``metadata["coursekit"]`` key.

>>> cell = make_test_cell('grade("ps1.tilt", tilt, 2)', "ps1-tilt-test", points=2, question="ps1.tilt")
>>> is_grade(cell), is_solution(cell), is_locked(cell), role(cell), question_id(cell)
(True, False, True, 'test', 'ps1.tilt')
>>> grade_id(cell), points(cell)
('ps1-tilt-test', 2.0)
>>> is_test({"cell_type": "code", "metadata": {"nbgrader": "tampered"}})
False
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from nbformat import NotebookNode, from_dict
from nbformat.v4 import new_code_cell, new_markdown_cell
from nbgrader import utils

__all__ = [
    "NBGRADER_SCHEMA_VERSION",
    "COURSEKIT_METADATA_VERSION",
    "ROLES",
    "nbgrader_metadata",
    "is_grade",
    "is_solution",
    "is_locked",
    "is_test",
    "is_answer",
    "is_autograded_answer",
    "is_manual",
    "is_unanswered",
    "grade_id",
    "points",
    "role",
    "question_id",
    "objective",
    "slug",
    "metadata_problem",
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

#: A notebook cell: nbformat's node, or the plain dict a submission was parsed into.
Cell = Mapping[str, Any]


# --- predicates -----------------------------------------------------------------


def _metadata(cell: Cell) -> Mapping[str, Any]:
    meta = cell.get("metadata", {}) if isinstance(cell, Mapping) else {}
    return meta if isinstance(meta, Mapping) else {}


def nbgrader_metadata(cell: Cell) -> dict[str, Any]:
    """The cell's ``metadata["nbgrader"]`` (empty when missing or not a mapping)."""
    value = _metadata(cell).get("nbgrader", {})
    return dict(value) if isinstance(value, Mapping) else {}


def _coursekit(cell: Cell) -> dict[str, Any]:
    value = _metadata(cell).get("coursekit", {})
    return dict(value) if isinstance(value, Mapping) else {}


def _view(cell: Cell) -> NotebookNode:
    """A well-formed copy of the parts nbgrader's rules read (cell type and nbgrader metadata)."""
    meta = nbgrader_metadata(cell)
    node: dict[str, Any] = {"cell_type": cell.get("cell_type", "code"), "source": "",
                            "metadata": {"nbgrader": meta} if meta else {}}
    return from_dict(node)  # type: ignore[no-any-return]


def is_grade(cell: Cell) -> bool:
    """True for a cell nbgrader awards points for (tests and manually graded answers)."""
    return bool(utils.is_grade(_view(cell)))


def is_solution(cell: Cell) -> bool:
    """True for a cell the student writes in (its solution is cleared on release)."""
    return bool(utils.is_solution(_view(cell)))


def is_locked(cell: Cell) -> bool:
    """True for a read-only cell (nbgrader restores it from the source when grading)."""
    return bool(utils.is_locked(_view(cell)))


def role(cell: Cell) -> str | None:
    """The coursekit role of a generated cell (one of :data:`ROLES`), or None."""
    value = _coursekit(cell).get("role")
    return value if isinstance(value, str) else None


def is_test(cell: Cell) -> bool:
    """An autograded test cell: a code grade cell that is not a solution."""
    return cell.get("cell_type") == "code" and is_grade(cell) and not is_solution(cell)


def is_answer(cell: Cell) -> bool:
    """An answer cell: one the student writes in (code or Markdown, autograded or by hand)."""
    return is_solution(cell)


def is_autograded_answer(cell: Cell) -> bool:
    """A code answer cell checked by a test cell (a solution that is not a grade cell)."""
    return cell.get("cell_type") == "code" and is_solution(cell) and not is_grade(cell)


def is_manual(cell: Cell) -> bool:
    """A manually graded answer: a Markdown cell that is both grade and solution."""
    return cell.get("cell_type") == "markdown" and is_grade(cell) and is_solution(cell)


def is_unanswered(cell: NotebookNode) -> bool:
    """An answer cell left exactly as released (nbgrader's checksum still matches)."""
    checksum = nbgrader_metadata(cell).get("checksum")
    return bool(is_solution(cell) and checksum and checksum == utils.compute_checksum(cell))


def grade_id(cell: Cell) -> str | None:
    """nbgrader's id of the cell, or None for cells nbgrader does not track."""
    value = nbgrader_metadata(cell).get("grade_id")
    return value if isinstance(value, str) else None


def points(cell: Cell) -> float:
    """Points a grade cell is worth (0.0 for any other cell)."""
    try:
        return float(nbgrader_metadata(cell).get("points", 0.0) or 0.0) if is_grade(cell) else 0.0
    except (TypeError, ValueError):
        return 0.0


def question_id(cell: Cell) -> str | None:
    """The bank question a prompt, answer, test or manual cell belongs to."""
    value = _coursekit(cell).get("question")
    return value if isinstance(value, str) else None


def objective(cell: Cell) -> str | None:
    """The learning objective id recorded on a prompt cell."""
    value = _coursekit(cell).get("objective")
    return value if isinstance(value, str) else None


def slug(question: str) -> str:
    """nbgrader grade ids allow ``[A-Za-z0-9_-]`` only: ``ps1.hip-angle`` -> ``ps1-hip-angle``.

    >>> slug("ps2.extend-and-rotate-out")
    'ps2-extend-and-rotate-out'
    """
    return question.replace(".", "-")


@functools.lru_cache(maxsize=1)
def _validator() -> Any:
    from nbgrader.nbgraderformat import MetadataValidator

    return MetadataValidator()


def metadata_problem(cell: NotebookNode) -> str | None:
    """What nbgrader's metadata validator says about the cell (None when it is valid)."""
    from nbgrader.nbgraderformat import ValidationError

    try:
        _validator().validate_cell(cell)
    except ValidationError as err:
        return str(err)
    return None


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
