"""Check source notebooks before release: metadata, ids, points, bank and objectives.

Every problem names the notebook, the cell (index and grade id) and what to do next; all
problems of a notebook are reported at once.

>>> from nbformat.v4 import new_notebook
>>> from coursekit.course import cells as md
>>> cell = md.make_test_cell('grade("ps9.none", x, 1)', "t", points=2, question="ps9.none")
>>> [p.message for p in check_test_cell(cell)][:2]  # doctest: +NORMALIZE_WHITESPACE
["has no '### BEGIN HIDDEN TESTS' / '### END HIDDEN TESTS' region: the graded grade(...) call
  must be hidden from students",
 "grade('ps9.none', ..., 1) awards 1 point(s) but the cell is worth 2: make them equal"]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from coursekit.assignments.questions import objectives, question_info
from coursekit.checks import grade_calls
from coursekit.checks.calls import HiddenTestsError, sandbox_source
from coursekit.course import cells as md
from coursekit.course.regions import DEFAULT_DELIMITERS, Delimiters, split_region
from coursekit.errors import QuestionError, SourceValidationError

__all__ = [
    "Problem",
    "SourceValidationError",
    "check_test_cell",
    "hidden_test_problems",
    "validate_notebook",
    "objectives_covered",
]

@dataclass(frozen=True)
class Problem:
    """One thing wrong with a source notebook."""

    message: str
    notebook: str = ""
    cell: int | None = None
    grade_id: str | None = None

    def __str__(self) -> str:
        where = self.notebook or "notebook"
        if self.cell is not None:
            where += f", cell {self.cell}"
            if self.grade_id:
                where += f" ({self.grade_id})"
        return f"{where}: {self.message}"


def _known(question: str) -> str | None:
    try:
        info = question_info(question)
    except QuestionError:
        return f"question {question!r} is not in the bank: add it to the course's bank/ (graded keys) or fix the id"
    if info.objective not in objectives():
        return f"question {question!r} names objective {info.objective!r}, which is not in objectives.csv"
    return None


def check_test_cell(cell: NotebookNode, delimiters: Delimiters = DEFAULT_DELIMITERS) -> list[Problem]:
    """Problems of one autograded test cell (region, grade call, points, bank)."""
    gid, out = md.grade_id(cell), []
    split = split_region(cell.source, *delimiters.test_lines)
    if isinstance(split, str):
        out.append(Problem(split + ": the graded grade(...) call must be hidden from students"))
        visible, hidden = cell.source, cell.source
    else:
        visible, hidden = split
    if grade_calls(visible) and not isinstance(split, str):
        out.append(Problem("calls grade(...) outside the hidden region: students would see the graded call"))
    if not isinstance(split, str):
        try:  # the grading sandbox only ever sees the visible part and the hidden answers handed out
            sandbox_source(cell.source, delimiters.begin_test, delimiters.end_test)
        except HiddenTestsError as err:
            out.append(Problem(f"{err}"))
    calls = grade_calls(hidden)
    if len(calls) != 1:
        out.append(Problem(f"has {len(calls)} grade(\"id\", answer, points) calls; it needs exactly one"))
    for qid, pts in calls:
        if pts != md.points(cell):
            out.append(
                Problem(f"grade({qid!r}, ..., {pts:g}) awards {pts:g} point(s) but the cell is worth {md.points(cell):g}: make them equal")
            )
        if md.question_id(cell) and qid != md.question_id(cell):
            out.append(Problem(f"grade() asks {qid!r} but the cell belongs to {md.question_id(cell)!r}"))
        if problem := _known(qid):
            out.append(Problem(problem))
        elif question_info(qid).manual:
            out.append(Problem(f"question {qid!r} is graded by hand: use it in a Markdown answer, not grade()"))
    return [Problem(p.message, grade_id=gid) for p in out]


def hidden_test_problems(nb: NotebookNode, name: str, delimiters: Delimiters = DEFAULT_DELIMITERS) -> list[Problem]:
    """Test cells whose hidden region holds anything but ``grade(...)`` calls (the grader refuses to run them)."""
    out = []
    for index, cell in enumerate(nb.cells):
        if md.is_test(cell) and delimiters.begin_test in cell.source:
            try:
                sandbox_source(cell.source, delimiters.begin_test, delimiters.end_test)
            except HiddenTestsError as err:
                out.append(Problem(str(err), name, index, md.grade_id(cell)))
    return out


def _check_answer_cell(cell: NotebookNode, delimiters: Delimiters) -> list[Problem]:
    split = split_region(cell.source, *delimiters.solution_lines)
    if isinstance(split, str):
        return [Problem(split + ": the solution must be marked so it is removed on release")]
    if delimiters.begin_test in cell.source:
        return [Problem("contains hidden tests: they belong in the test cell")]
    return []


def _check_manual_cell(cell: NotebookNode) -> list[Problem]:
    qid = md.question_id(cell)
    if not qid:
        return [Problem("manually graded cell names no question (metadata coursekit.question)")]
    if problem := _known(qid):
        return [Problem(problem)]
    if not question_info(qid).manual:
        return [Problem(f"question {qid!r} is autograded (kind {question_info(qid).kind!r}), not free text")]
    return []


def _check_cell(cell: NotebookNode, delimiters: Delimiters) -> list[Problem]:
    out: list[Problem] = []
    if problem := md.metadata_problem(cell):
        out.append(Problem(f"nbgrader metadata is invalid ({problem})"))
    if md.is_grade(cell) and md.points(cell) <= 0:
        out.append(Problem("is a grade cell worth 0 points: give it points > 0"))
    if md.is_test(cell):
        out += check_test_cell(cell, delimiters)
    elif md.is_autograded_answer(cell):
        out += _check_answer_cell(cell, delimiters)
    elif md.is_manual(cell):
        out += _check_manual_cell(cell)
    elif delimiters.begin_solution in cell.source or delimiters.begin_test in cell.source:
        out.append(Problem("has a solution or hidden-test region but is not an answer or test cell"))
    return out


def validate_notebook(nb: NotebookNode, name: str, delimiters: Delimiters = DEFAULT_DELIMITERS) -> list[Problem]:
    """Every problem in one source notebook (empty when it is ready to release)."""
    out: list[Problem] = []
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as err:
        out.append(Problem(f"is not a valid notebook ({err.message})", name))
    ids = Counter(md.grade_id(c) for c in nb.cells if md.grade_id(c))
    for index, cell in enumerate(nb.cells):
        gid = md.grade_id(cell)
        problems = _check_cell(cell, delimiters)
        if gid and ids[gid] > 1:
            problems.append(Problem(f"grade id {gid!r} is used by {ids[gid]} cells: ids must be unique"))
        out += [Problem(p.message, name, index, gid) for p in problems]
    if not any(md.is_grade(c) for c in nb.cells):
        out.append(Problem("has no graded cell", name))
    setup = "\n".join(c.source for c in nb.cells if md.role(c) == "setup")
    if any(md.is_test(c) for c in nb.cells):
        for needed in ("check_answer", "grade"):
            if not re.search(rf"\bimport\b.*\b{needed}\b", setup):
                out.append(Problem(f"no setup cell imports {needed!r}: add it to the first {{setup}} block", name))
    return out


def objectives_covered(nb: NotebookNode) -> set[str]:
    """Objective ids assessed by the graded questions of a notebook."""
    covered = set()
    for cell in nb.cells:
        qid = md.question_id(cell)
        if (md.is_test(cell) or md.is_manual(cell)) and qid:
            try:
                covered.add(question_info(qid).objective)
            except QuestionError:
                continue
    return covered


def read_notebook(path: Path) -> NotebookNode:
    """Read a notebook, raising a coursekit error that names the file."""
    from coursekit.errors import NotebookError

    try:
        return nbformat.read(path, as_version=4)
    except (OSError, ValueError) as err:
        raise NotebookError(str(path), f"cannot be read as a notebook ({err}); rebuild it with `coursekit assignments build`") from None


def missing_objectives(nb: NotebookNode, wanted: Iterable[str]) -> list[str]:
    """Objectives in ``wanted`` that no graded question of ``nb`` assesses."""
    covered = objectives_covered(nb)
    return [o for o in wanted if o not in covered]
