"""Hidden tests never enter the sandbox (issue 12).

Inside the sandbox a test cell is its visible part plus generated lines that hand the
answers out; the hidden ``grade(...)`` calls are judged in the grader. A hidden region
that holds anything else is refused when the assignment is validated or released, and
at grading time that cell is never sent.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from coursekit.assignments.validate import hidden_test_problems, validate_notebook
from coursekit.checks.calls import HiddenTestsError, hidden_calls, sandbox_source
from coursekit.grading import GradeConfig, grade_assignment
from coursekit.grading import records as rec
from coursekit.grading.protocol import Limits
from coursekit.grading.submissions import Submission, job_payload, load_sources, prepare

from . import corpus_shell
from .factory import ASSIGNMENT, correct_answers, needs_bwrap, plan_problems, points_per_answer, submit

B, E = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
CELL = '''# Run this cell to check your answer.
check_answer("ps1.angle", angle, 2)
### BEGIN HIDDEN TESTS
# the key: 42 degrees
grade("ps1.angle", angle, 2)

checks.grade(question_id="ps1.side", answer=sides["left"], points=1.5)
### END HIDDEN TESTS
print("visible again")'''


def test_the_sandbox_gets_the_visible_part_and_one_export_per_hidden_call():
    code = sandbox_source(CELL, B, E)
    assert code.split("\n") == [
        "# Run this cell to check your answer.",
        'check_answer("ps1.angle", angle, 2)',
        "import coursekit.checks.calls as _coursekit_hand_out_",
        "_coursekit_hand_out_.export_answer('ps1.angle', angle)",
        "_coursekit_hand_out_.export_answer('ps1.side', sides['left'])",
        'print("visible again")',
    ]
    assert "42" not in code and "2)" not in code.split("\n", 2)[2] and "1.5" not in code
    assert [(c.question, c.answer, c.points, c.line) for c in hidden_calls(CELL.split("\n", 3)[3].split("### END")[0], 4)] \
        == [("ps1.angle", "angle", 2.0, 5), ("ps1.side", "sides['left']", 1.5, 7)]


@pytest.mark.parametrize(("hidden", "line", "words"), [
    ('assert angle == 42\ngrade("q", angle, 1)', 4, "an assert statement"),
    ('grade("q", angle, 1)\nexpected = 42', 5, "an assignment"),
    ('grade("q", angle == 42, 1)', 4, "'angle == 42'"),
    ('grade("q", angle, 1)\nprint(angle)', 5, "an expression"),
    ('%time grade("q", angle, 1)', 4, "an IPython magic"),
    ('import os\ngrade("q", angle, 1)', 4, "an import"),
    ('grade("q", *args)', 4, "no * or **"),
    ('grade(qid, angle, 1)', 4, "literal string"),
    ('if True:\n    grade("q", angle, 1)', 4, "an if statement"),
    ('grade("q", angle, 1', 4, "cannot parse"),
])
def test_anything_but_grade_calls_in_a_hidden_region_is_refused_naming_the_line(hidden: str, line: int, words: str):
    source = f"# check\ncheck_answer('q', angle, 1)\n### {B}\n{hidden}\n### {E}"
    with pytest.raises(HiddenTestsError) as info:
        sandbox_source(source, B, E)
    assert info.value.line == line and str(info.value).startswith(f"test cell, line {line}: ") and words in str(info.value)


def test_an_unclosed_region_is_refused_and_custom_delimiters_are_honoured():
    with pytest.raises(HiddenTestsError, match=r"line 2: the 'BEGIN HIDDEN TESTS' region has no 'END HIDDEN TESTS'"):
        sandbox_source(f'x = 1\n### {B}\ngrade("q", x, 1)', B, E)
    custom = 'check(x)\n# SECRET START\ngrade("q", x, 1)\n# SECRET STOP'
    assert sandbox_source(custom, "SECRET START", "SECRET STOP").endswith("export_answer('q', x)")
    assert sandbox_source("no region here\nx = 1", B, E) == "no region here\nx = 1"


def _marked_source(course: Path, extra_hidden: str = "") -> nbformat.NotebookNode:
    corpus_shell.mark_hidden_tests(course)
    path = course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(path, as_version=4)
    if extra_hidden:
        cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "ps1-landmark-front-crest-test")
        cell.source = cell.source.replace("### END HIDDEN TESTS", f"{extra_hidden}\n### END HIDDEN TESTS")
        nbformat.write(nb, path)
    return nb


def test_no_job_sent_to_the_sandbox_holds_hidden_text(course: Path):
    nb = _marked_source(course)
    submit(course, "ada", answers=correct_answers(course))
    sources = load_sources(course / "source" / ASSIGNMENT, course / "release" / ASSIGNMENT, [ASSIGNMENT], [])
    sub = prepare(Submission("ada", ASSIGNMENT, course / "submitted" / "ada" / ASSIGNMENT), sources, [ASSIGNMENT],
                  2**20, 2**22)
    job = job_payload("ada/ps1", sub, Limits(5, 60, 512, 60, 8, 64))
    sent = json.dumps([c.source for c in job.cells])
    for needle in corpus_shell.hidden_texts(course) + ["BEGIN HIDDEN", "END HIDDEN"]:
        assert needle not in sent
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"
             and not c.metadata["nbgrader"].get("solution")]
    exports = [line for c in job.cells for line in c.source.split("\n") if "export_answer(" in line]
    assert len(exports) == len(tests) == 8
    assert "_coursekit_hand_out_.export_answer('ps1.landmark-front-crest', front_crest)" in exports
    assert sub.flags == []


def test_validation_names_the_notebook_cell_and_line_of_a_forbidden_hidden_statement(course: Path):
    nb = _marked_source(course, 'assert front_crest != "ckforbidden"')
    problems = [str(p) for p in validate_notebook(nb, "source/ps1/ps1.ipynb")]
    index = next(i for i, c in enumerate(nb.cells)
                 if c.metadata.get("nbgrader", {}).get("grade_id") == "ps1-landmark-front-crest-test")
    wanted = f"source/ps1/ps1.ipynb, cell {index} (ps1-landmark-front-crest-test): test cell, line 6: "
    assert [p for p in problems if p.startswith(wanted) and "an assert statement" in p], problems
    assert [str(p) for p in hidden_test_problems(nb, "source/ps1/ps1.ipynb")] == [p for p in problems if "line 6" in p]


def _written_text(course: Path) -> str:
    """Everything grading wrote: autograded notebooks, feedback pages, records, CSVs, report."""
    parts = []
    for folder in ("autograded", "feedback", "coursekit-grades"):
        for path in sorted((course / folder).rglob("*")):
            if path.is_file():
                parts.append(f"== {path.relative_to(course)}\n{path.read_text(encoding='utf-8', errors='replace')}")
    return "\n".join(parts)


def _outputs(course: Path, student: str) -> str:
    nb = nbformat.read(course / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    return json.dumps([o for c in nb.cells for o in c.get("outputs", [])])


@needs_bwrap
def test_a_forbidden_hidden_statement_fails_closed_at_grading_time(course: Path):
    _marked_source(course, 'assert front_crest != "ckforbidden"')
    submit(course, "honest", answers=correct_answers(course))
    said: list[str] = []
    summary = grade_assignment(GradeConfig(course=course, assignment=ASSIGNMENT, cell_timeout=10, total_timeout=60,
                                           memory_mb=512, progress=False), echo=said.append)
    record = summary.graded[0]
    full = sum(points_per_answer(course).values())
    assert record.status != rec.FAILED and record.score == full - 1  # that question scores 0, the others count
    flag = next(f for f in record.flags if "ps1-landmark-front-crest-test" in f)
    assert "not run" in flag and "line 6" in flag and "an assert statement" in flag
    assert "ckforbidden" not in _written_text(course)


@needs_bwrap
def test_hidden_test_thieves_find_nothing_and_honest_students_keep_their_scores(course: Path):
    plan = corpus_shell.write(course)
    said: list[str] = []
    summary = grade_assignment(GradeConfig(course=course, assignment=ASSIGNMENT, cell_timeout=10, total_timeout=90,
                                           memory_mb=1024, progress=False), echo=said.append)
    records = {r.student: r for r in summary.graded}
    assert sorted(records) == sorted(plan)
    assert plan_problems(plan, records) == []
    written = _written_text(course) + "\n".join(said)
    leaks = [n for n in corpus_shell.hidden_texts(course) if n in written]
    assert leaks == []
    # the thieves did run and saw the test cells as the sandbox got them
    seen = _outputs(course, "t-history")
    assert 'check_answer(\\"ps1.landmark-front-crest\\", front_crest, 1)' in seen and "export_answer(" in seen
    assert "scanned " in _outputs(course, "t-memory") and "nothing found in memory" in _outputs(course, "t-memory")
    assert "ps1.landmark-front-crest" in _outputs(course, "t-exporter")  # its spy saw the export, nothing more


def test_build_refuses_a_hidden_test_that_would_put_more_than_the_answer_into_the_sandbox(tmp_path: Path):
    import shutil

    from click.testing import CliRunner

    from coursekit.cli import main

    from .factory import REPO

    root = tmp_path / "assignments"
    shutil.copytree(REPO / "assignments", root, ignore=shutil.ignore_patterns("release", "submitted", "autograded",
                                                                                "feedback", "gradebook.db", "source"))
    spec = root / "specs" / "ps1.md"
    spec.write_text(spec.read_text().replace(":answer: front_crest", ':answer: front_crest == "b"'))
    result = CliRunner().invoke(main, ["assignments", "build", "ps1", "--course", str(root)])
    assert result.exit_code == 2, result.output
    assert "ps1.ipynb, cell" in result.output and "(ps1-landmark-front-crest-test): test cell, line 4:" in result.output
    assert "answer must be a variable" in result.output and not (root / "source" / "ps1" / "ps1.ipynb").exists()


@pytest.mark.parametrize("ps", ["ps1", "ps2", "ps3", "ps4"])
def test_every_test_cell_of_the_course_hands_out_exactly_its_graded_questions(ps: str):
    from coursekit.checks import grade_calls
    from coursekit.course import cells as md

    from .factory import REPO

    nb = nbformat.read(REPO / "assignments" / "source" / ps / f"{ps}.ipynb", as_version=4)
    tests = [c for c in nb.cells if md.is_test(c)]
    assert tests
    for cell in tests:
        code = sandbox_source(cell.source, B, E)
        handed = [line.split("(")[1].split(",")[0].strip("'") for line in code.split("\n") if ".export_answer(" in line]
        assert handed == [qid for qid, _ in grade_calls(cell.source)], cell.source
        assert "grade(" not in code and B not in code


@needs_bwrap
@pytest.mark.parametrize("ps", ["ps2", "ps3", "ps4"])
def test_the_key_and_a_blank_notebook_score_as_before_on_every_assignment(ps: str, tmp_path: Path):
    import os
    import shutil
    import subprocess

    from coursekit.course import cells as md
    from scripted_submissions import fill, solution_answers

    from .factory import BIN, REPO

    root = tmp_path / "course"
    root.mkdir()
    shutil.copy(REPO / "assignments" / "nbgrader_config.py", root)
    shutil.copytree(REPO / "assignments" / "source" / ps, root / "source" / ps)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run([str(BIN / "nbgrader"), "generate_assignment", ps, "--force"], cwd=root, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    source = nbformat.read(root / "source" / ps / f"{ps}.ipynb", as_version=4)
    release = nbformat.read(root / "release" / ps / f"{ps}.ipynb", as_version=4)
    for student, answers in (("key", solution_answers(source)), ("blank", {})):
        folder = root / "submitted" / student / ps
        folder.mkdir(parents=True)
        for item in (root / "release" / ps).iterdir():
            if item.is_file() and item.suffix != ".ipynb":
                shutil.copy(item, folder / item.name)
        (folder / "timestamp.txt").write_text("2026-01-01 00:00:00.000000 UTC")
        nbformat.write(fill(release, answers), folder / f"{ps}.ipynb")
    summary = grade_assignment(GradeConfig(course=root, assignment=ps, cell_timeout=20, total_timeout=120,
                                           progress=False, feedback=False, reports=False))
    scores = {r.student: (r.status, r.score) for r in summary.graded}
    autograded = sum(md.points(c) for c in source.cells if md.is_test(c))
    assert scores == {"key": ("ok", autograded), "blank": ("ok", 0.0)}, [r.reason for r in summary.graded]
