"""Specs become source notebooks with the right metadata; broken sources get clear errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from coursekit import assignments
from coursekit.assignments.notebook import build_notebook
from coursekit.assignments.spec import EXAMPLE, SpecError, parse_spec
from coursekit.assignments.validate import SourceValidationError, validate_notebook
from coursekit.cli import main
from coursekit.course import cells as md
from coursekit.errors import CourseKitError

from .conftest import COURSE


def _spec(body: str, objectives: str = "[pelvic-tilt.2]") -> str:
    return f"---\nid: ps9\ntitle: Test\nobjectives: {objectives}\n---\n{body}"


QUESTION = """
```{setup}
from coursekit.checks import check_answer, grade
```

```{question} ps1.tilt-lunge
:points: 2
:answer: tilt
tilt = None
### BEGIN SOLUTION
tilt = 18.68
### END SOLUTION
```
"""


def test_a_question_block_becomes_prompt_answer_and_test_cells_with_nbgrader_metadata():
    nb = build_notebook(parse_spec(_spec("# Title\n" + QUESTION)))
    prompt, answer, test = nb.cells[2:]
    assert md.grade_id(prompt) == "ps1-tilt-lunge-prompt" and md.is_locked(prompt)
    assert md.objective(prompt) == "pelvic-tilt.2"
    assert "Question 9.1 · 2 points, autograded" in prompt.source
    assert "*Learning objective `pelvic-tilt.2`: Compute pelvic tilt from the ASIS-PSIS line" in prompt.source
    assert md.is_autograded_answer(answer) and md.grade_id(answer) == "ps1-tilt-lunge-answer"
    assert md.is_test(test) and md.points(test) == 2.0 and md.is_locked(test)
    assert test.source.splitlines()[1:] == [
        'check_answer("ps1.tilt-lunge", tilt, 2)',
        "### BEGIN HIDDEN TESTS",
        'grade("ps1.tilt-lunge", tilt, 2)',
        "### END HIDDEN TESTS",
    ]
    for cell in (prompt, answer, test):
        assert cell.metadata["nbgrader"]["schema_version"] == 3
        assert cell.metadata["coursekit"]["version"] == 1
        assert cell.id == md.grade_id(cell)


def test_building_twice_gives_identical_notebooks():
    spec = parse_spec(_spec(QUESTION))
    assert nbformat.writes(build_notebook(spec)) == nbformat.writes(build_notebook(spec))


def test_a_text_question_becomes_a_manually_graded_markdown_cell():
    body = "```{question} ps3.gripping-explanation\n:points: 4\nModel answer.\n```\n"
    nb = build_notebook(parse_spec(_spec(body, "[gripping.1]")))
    prompt, answer = nb.cells
    assert "4 points, graded by hand" in prompt.source
    assert md.is_manual(answer) and md.points(answer) == 4.0 and answer.source == "Model answer."


def test_choice_options_are_listed_in_the_prompt():
    body = "```{question} ps1.landmark-front-crest\n:points: 1\n:answer: x\nx = None\n### BEGIN SOLUTION\nx = 'b'\n### END SOLUTION\n```\n"
    prompt = build_notebook(parse_spec(_spec(body, "[pelvic-tilt.1]"))).cells[0]
    assert "- **b**: anterior superior iliac spine (ASIS)" in prompt.source


@pytest.mark.parametrize(
    "text,message",
    [
        ("# no front matter", "line 1: missing front matter"),
        (_spec("```{quiz} x\n```\n"), "line 6: unknown block kind {quiz}; use one of setup, widget, code, question"),
        (_spec("text\n\n```{setup}\nimport math\n"), "line 8: block {setup} is not closed"),
        (_spec("```{question} ps1.tilt-lunge\n:answer: t\nt = 1\n```\n"), "line 6: question 'ps1.tilt-lunge' needs ':points: N'"),
        (_spec("```{question} ps1.tilt-lunge\n:points: 2\nt = 1\n```\n"), "needs ':answer: NAME'"),
    ],
)
def test_a_broken_spec_names_file_and_line(text, message):
    with pytest.raises(SpecError) as err:
        build_notebook(parse_spec(text, path="specs/ps9.md"))
    assert str(err.value).startswith("specs/ps9.md")
    assert message in str(err.value)


def test_a_source_without_the_check_imports_is_reported():
    nb = _valid()
    nb.cells[0].source = "import math"
    problems = _problems(nb)
    assert "source/ps9/ps9.ipynb: no setup cell imports 'check_answer': add it to the first {setup} block" in problems
    assert "source/ps9/ps9.ipynb: no setup cell imports 'grade': add it to the first {setup} block" in problems


def test_the_spec_example_parses():
    spec = parse_spec(EXAMPLE)
    assert [b.kind for b in spec.blocks] == ["markdown", "setup", "question"]


def _problems(nb) -> list[str]:
    return [str(p) for p in validate_notebook(nb, "source/ps9/ps9.ipynb")]


def _valid() -> nbformat.NotebookNode:
    return build_notebook(parse_spec(_spec(QUESTION)))


def test_a_valid_source_has_no_problems():
    assert _problems(_valid()) == []


def test_points_that_disagree_with_the_grade_call_are_reported_with_notebook_and_cell():
    nb = _valid()
    nb.cells[3].metadata["nbgrader"]["points"] = 3.0
    assert _problems(nb) == [
        "source/ps9/ps9.ipynb, cell 3 (ps1-tilt-lunge-test): grade('ps1.tilt-lunge', ..., 2) awards 2 point(s)"
        " but the cell is worth 3: make them equal"
    ]


def test_duplicate_grade_ids_and_unknown_questions_are_reported():
    nb = _valid()
    nb.cells[3].source = nb.cells[3].source.replace("ps1.tilt-lunge", "ps1.tilt-lung")
    nb.cells[2].metadata["nbgrader"]["grade_id"] = "ps1-tilt-lunge-prompt"
    problems = "\n".join(_problems(nb))
    assert "cell 2 (ps1-tilt-lunge-prompt): grade id 'ps1-tilt-lunge-prompt' is used by 2 cells" in problems
    assert "question 'ps1.tilt-lung' is not in the bank" in problems


def test_a_visible_graded_call_and_a_missing_solution_region_are_reported():
    nb = _valid()
    nb.cells[3].source = 'grade("ps1.tilt-lunge", tilt, 2)'
    nb.cells[2].source = "tilt = 18.68"
    problems = "\n".join(_problems(nb))
    assert "cell 2 (ps1-tilt-lunge-answer): has no '### BEGIN SOLUTION' / '### END SOLUTION' region" in problems
    assert "cell 3 (ps1-tilt-lunge-test): has no '### BEGIN HIDDEN TESTS' / '### END HIDDEN TESTS' region" in problems


def test_invalid_nbgrader_metadata_is_reported():
    nb = _valid()
    del nb.cells[3].metadata["nbgrader"]["points"]
    assert any("nbgrader metadata is invalid" in p and "does not have points" in p for p in _problems(nb))


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    root = tmp_path / "assignments"
    shutil.copytree(COURSE, root, ignore=shutil.ignore_patterns("release", "submitted", "autograded", "feedback", "gradebook.db"))
    assignments.build(root)
    return root


def test_validate_reports_a_source_edited_by_hand(course_copy: Path):
    path = course_copy / "source" / "ps2" / "ps2.ipynb"
    nb = nbformat.read(path, as_version=4)
    test = next(c for c in nb.cells if md.is_test(c))
    test.metadata["nbgrader"]["points"] = 5.0
    nbformat.write(nb, path)
    with pytest.raises(SourceValidationError) as err:
        assignments.validate(course_copy, ["ps2"])
    text = str(err.value)
    assert f"cell {nb.cells.index(test)} (ps2-extend-and-rotate-out-test)" in text
    assert "out of date with" in text and "run `coursekit assignments build`" in text


def test_cli_build_and_validate_report_each_assignment(course_copy: Path):
    runner = CliRunner()
    result = runner.invoke(main, ["assignments", "validate", "--course", str(course_copy)])
    assert result.exit_code == 0, result.output
    assert "validate ps1: 8 questions, 13 points" in result.output
    assert "validate ps3: 10 questions, 16 points" in result.output


def test_cli_validate_fails_with_the_problem_and_exit_status_2(course_copy: Path):
    spec = course_copy / "specs" / "ps1.md"
    spec.write_text(spec.read_text().replace(":points: 3", ":points: 0"))
    result = CliRunner().invoke(main, ["assignments", "build", "ps1", "--course", str(course_copy)])
    assert result.exit_code == 2
    assert "ps1.md, line" in result.output and "question 'ps1.tilt-classes' needs ':points: N' with N > 0" in result.output


def test_the_public_api_is_pinned():
    assert sorted(assignments.__all__) == [
        "BuildResult", "Course", "NbgraderStepError", "Problem", "SourceValidationError", "Spec",
        "SpecError", "build", "env_bin_on_path", "load_spec", "parse_spec", "release", "specs", "validate",
        "workspace",
    ]


def test_workspace_copies_releases_but_keeps_a_students_work(tmp_path: Path):
    course = tmp_path / "assignments"
    (course / "release" / "ps1").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text("c = get_config()\n")
    (course / "release" / "ps1" / "ps1.ipynb").write_text("released")
    (course / "release" / "ps1" / "pose_landmarks.csv").write_text("data")
    student = tmp_path / "student"
    first = assignments.workspace(course, to=student)
    assert [r.describe("workspace") for r in first] == [f"workspace ps1 -> {student / 'ps1' / 'ps1.ipynb'}"]
    (student / "ps1" / "ps1.ipynb").write_text("my answers")
    second = assignments.workspace(course, to=student)
    assert (student / "ps1" / "ps1.ipynb").read_text() == "my answers"
    assert (student / "ps1" / "pose_landmarks.csv").read_text() == "data"
    assert second[0].describe("workspace").endswith("(kept)")
    with pytest.raises(CourseKitError) as err:
        assignments.workspace(course, ["ps7"], to=student)
    assert "'ps7' is not released; run `coursekit assignments release ps7`" in str(err.value)
