"""Turn a parsed spec into an nbgrader source notebook (cells, metadata, ids).

Every question block becomes three cells: a read-only prompt (question number, points,
the learning objective and the bank's prompt), the student's answer cell, and a test cell
whose visible part gives immediate feedback and whose hidden part awards the points::

    check_answer("ps1.pelvic-tilt", tilt, 2)  # visible: feedback while working
    ### BEGIN HIDDEN TESTS
    grade("ps1.pelvic-tilt", tilt, 2)         # hidden: the graded call, last expression
    ### END HIDDEN TESTS

A question of a manual kind (``text``) becomes a prompt and a Markdown answer cell graded
by hand; the block's body is the model answer, which never leaves the source notebook.
"""

from __future__ import annotations

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_notebook

from coursekit.assignments.questions import QuestionInfo, objectives, question_info
from coursekit.assignments.spec import Block, Spec, SpecError
from coursekit.course import cells as md
from coursekit.course.regions import DEFAULT_DELIMITERS, Delimiters

__all__ = ["build_notebook", "test_source", "prompt_source", "notebook_text"]

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def test_source(question: str, answer: str, points: float, delimiters: Delimiters = DEFAULT_DELIMITERS) -> str:
    """The source of a test cell.

    >>> print(test_source("ps1.tilt", "tilt", 2))
    # Run this cell to check your answer. It does not change your answer.
    check_answer("ps1.tilt", tilt, 2)
    ### BEGIN HIDDEN TESTS
    grade("ps1.tilt", tilt, 2)
    ### END HIDDEN TESTS
    """
    return "\n".join(
        [
            "# Run this cell to check your answer. It does not change your answer.",
            f'check_answer("{question}", {answer}, {_number(points)})',
            delimiters.line(delimiters.begin_test),
            f'grade("{question}", {answer}, {_number(points)})',
            delimiters.line(delimiters.end_test),
        ]
    )


def prompt_source(number: str, info: QuestionInfo, points: float) -> str:
    """Markdown of a question's prompt cell: number, points, objective, prompt, options."""
    unit = "point" if points == 1 else "points"
    how = "graded by hand" if info.manual else "autograded"
    objective_text = objectives().get(info.objective, "")
    lines = [
        f"### Question {number} · {_number(points)} {unit}, {how}",
        "",
        f"*Learning objective `{info.objective}`: {objective_text}*",
        "",
        info.prompt,
    ]
    if info.options:
        lines += [""] + [f"- **{key}**: {text}" for key, text in info.options]
    return "\n".join(lines)


def _points(block: Block, spec: Spec) -> float:
    raw = block.options.get("points")
    try:
        value = float(raw) if raw is not None else -1.0
    except ValueError:
        value = -1.0
    if value <= 0:
        raise SpecError(spec.path, f"question {block.arg!r} needs ':points: N' with N > 0 (got {raw!r})", line=block.line)
    return value


def _question_cells(block: Block, spec: Spec, number: str, delimiters: Delimiters) -> list[NotebookNode]:
    info = question_info(block.arg)
    points = _points(block, spec)
    gid = md.slug(block.arg)
    prompt = md.make_locked_markdown_cell(
        prompt_source(number, info, points), f"{gid}-prompt", question=info.id, obj=info.objective
    )
    if info.manual:
        return [prompt, md.make_manual_cell(block.body, f"{gid}-answer", points=points, question=info.id)]
    answer = block.options.get("answer")
    if not answer:
        raise SpecError(spec.path, f"question {block.arg!r} needs ':answer: NAME' (the variable graded)", line=block.line)
    return [
        prompt,
        md.make_answer_cell(block.body, f"{gid}-answer", question=info.id),
        md.make_test_cell(test_source(info.id, answer, points, delimiters), f"{gid}-test", points=points, question=info.id),
    ]


def build_notebook(spec: Spec, delimiters: Delimiters = DEFAULT_DELIMITERS) -> NotebookNode:
    """Build the source notebook for ``spec`` (deterministic: same spec, same bytes).

    ``delimiters`` are the course's hidden-test markers (:attr:`coursekit.course.Course.delimiters`).
    """
    cells: list[NotebookNode] = []
    counters = {"setup": 0, "widget": 0, "code": 0, "markdown": 0, "question": 0}
    for block in spec.blocks:
        counters[block.kind] += 1
        n = counters[block.kind]
        if block.kind == "markdown":
            cells.append(md.make_markdown_cell(block.body, cell_id=f"md-{n}"))
        elif block.kind in ("setup", "widget"):
            cells.append(md.make_locked_code_cell(block.body, f"{block.kind}-{n}", cell_role=block.kind))
        elif block.kind == "code":
            cells.append(md.make_code_cell(block.body, cell_id=f"code-{n}"))
        else:
            cells += _question_cells(block, spec, f"{spec.id.removeprefix('ps')}.{n}", delimiters)
    nb = new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": dict(KERNELSPEC),
        "language_info": {"name": "python"},
        "coursekit": {"version": md.COURSEKIT_METADATA_VERSION, "assignment": spec.id, "title": spec.title},
    }
    return nb


def notebook_text(nb: NotebookNode) -> str:
    """Serialise a notebook the way the builder writes it (stable for diffs)."""
    return nbformat.writes(nb, version=4) + "\n"
