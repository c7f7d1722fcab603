"""A student runs a released notebook top to bottom: no errors, feedback in every check cell."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from coursekit.course import cells as md
from scripted_submissions import fill, solution_answers

from .conftest import SCENARIOS

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]


def _run(course, ps: str, answers: dict[str, str], workdir: Path) -> nbformat.NotebookNode:
    shutil.copytree(course.root / "release" / ps, workdir)
    nb = fill(nbformat.read(course.release(ps), as_version=4), answers)
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(workdir)}}).execute()
    return nb


def _errors(nb: nbformat.NotebookNode) -> list[str]:
    out = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                out.append(f"cell {index} ({md.grade_id(cell)}): {output.ename}: {output.evalue}")
            elif output.output_type == "stream" and output.name == "stderr":
                out.append(f"cell {index} ({md.grade_id(cell)}) wrote to stderr: {output.text[:200]}")
    return out


def _shown(cell) -> tuple[float, str]:
    """(points shown as plain text, the feedback HTML) of a check cell."""
    results = [o for o in cell.outputs if o.output_type == "execute_result"]
    assert len(results) == 1, f"{md.grade_id(cell)}: no check result shown"
    return float(results[0].data["text/plain"]), results[0].data["text/html"]


@pytest.fixture(scope="module")
def blank_runs(released_course, tmp_path_factory) -> dict[str, nbformat.NotebookNode]:
    """Each released notebook run top to bottom as handed out (once per module)."""
    root = tmp_path_factory.mktemp("blank")
    return {ps: _run(released_course, ps, {}, root / ps) for ps in sorted(SCENARIOS)}


@pytest.mark.parametrize("ps", sorted(SCENARIOS))
def test_a_blank_released_notebook_runs_without_errors_and_says_what_is_missing(blank_runs, ps):
    nb = blank_runs[ps]
    assert _errors(nb) == []
    tests = [c for c in nb.cells if md.is_test(c)]
    assert tests
    for cell in tests:
        points, html = _shown(cell)
        assert points < md.points(cell) and "coursekit-result" in html and "<li>" in html, md.grade_id(cell)


@pytest.mark.parametrize("ps", sorted(SCENARIOS))
def test_the_key_passes_every_visible_check_in_the_students_kernel(released_course, ps, tmp_path):
    answers = solution_answers(nbformat.read(released_course.source(ps), as_version=4))
    nb = _run(released_course, ps, answers, tmp_path / ps)
    assert _errors(nb) == []
    for cell in (c for c in nb.cells if md.is_test(c)):
        points, html = _shown(cell)
        assert points == md.points(cell) and "coursekit-passed" in html, (md.grade_id(cell), html)


def test_the_widget_cell_displays_a_live_widget(blank_runs):
    nb = blank_runs["ps3"]
    widget = next(c for c in nb.cells if md.role(c) == "widget")
    mimes = {m for o in widget.outputs for m in o.get("data", {})}
    assert "application/vnd.jupyter.widget-view+json" in mimes


def _validate(course, ps: str, answers: dict[str, str], workdir: Path) -> dict:
    """What nbgrader's Validate button reports for a notebook (stock Validator)."""
    from nbgrader.validator import Validator

    shutil.copytree(course.root / "release" / ps, workdir)
    path = workdir / f"{ps}.ipynb"
    nbformat.write(fill(nbformat.read(course.release(ps), as_version=4), answers), path)
    return Validator().validate(str(path))


def test_validate_lists_the_unanswered_questions_of_a_blank_notebook(released_course, tmp_path):
    report = _validate(released_course, "ps3", {}, tmp_path / "ps3")
    released = nbformat.read(released_course.release("ps3"), as_version=4)
    graded = [c for c in released.cells if md.is_test(c) or md.is_manual(c)]
    assert len(report["failed"]) == len(graded)
    assert any("You did not provide a response" in str(f) for f in report["failed"])


def test_validate_passes_the_key(released_course, tmp_path):
    answers = solution_answers(nbformat.read(released_course.source("ps3"), as_version=4))
    report = _validate(released_course, "ps3", answers, tmp_path / "ps3")
    assert report == {}  # nbgrader's "Success! Your notebook passes all the tests."
