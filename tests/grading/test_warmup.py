"""A run starts no more sandboxed workers than it has submissions to grade."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursekit.grading import GradeConfig, grade_assignment
from coursekit.grading.protocol import CellCode, Job, Limits
from coursekit.grading.sandbox import create_sandbox
from coursekit.grading.warmup import expected_submissions
from coursekit.grading.workers import WorkerHandle

from .factory import ASSIGNMENT, correct_answers, needs_bwrap, submit

pytestmark = pytest.mark.nbgrader


def test_expected_submissions_counts_the_default_layout_or_the_students_asked_for(tmp_path: Path):
    config = GradeConfig(course=tmp_path, assignment="ps1", workers=4)
    assert expected_submissions(config) is None  # no submitted/ folder: unknown, no cap
    for student in ("ada", "bo", "cy"):
        (tmp_path / "submitted" / student / "ps1").mkdir(parents=True)
    (tmp_path / "submitted" / "dee" / "ps2").mkdir(parents=True)  # another assignment
    (tmp_path / "submitted" / "eve").mkdir()  # submitted nothing
    assert expected_submissions(config) == 3
    assert expected_submissions(GradeConfig(course=tmp_path, assignment="ps1", students=["bo"])) == 1
    assert expected_submissions(GradeConfig(course=tmp_path, assignment="ps9")) is None  # another layout, maybe


@needs_bwrap
def test_one_submission_is_graded_by_one_worker_even_with_more_allowed(course: Path):
    submit(course, "solo", answers=correct_answers(course))
    summary = grade_assignment(GradeConfig(course=course, assignment=ASSIGNMENT, workers=2, feedback=False,
                                           progress=False))
    assert [(r.student, r.status) for r in summary.graded] == [("solo", "ok")]
    logs = course / "coursekit-grades" / ASSIGNMENT / "logs"
    assert sorted(p.name for p in logs.glob("worker*.log")) == ["worker0.log"]  # the second core stayed free


PLOT = "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()"


@needs_bwrap
@pytest.mark.parametrize("course_imports", [["math"], ["math", "matplotlib.pyplot"]])
def test_a_worker_warms_what_the_course_imports_and_plots_either_way(tmp_path: Path, course_imports: list[str]):
    sandbox = create_sandbox("bwrap")
    sandbox.warm = course_imports
    worker = WorkerHandle(sandbox, 0, GradeConfig(course=tmp_path, assignment="ps1").caps(), tmp_path / "logs")
    worker.start()
    try:
        assert worker.info is not None
        assert ("matplotlib.pyplot" in worker.info.warm) == ("matplotlib.pyplot" in course_imports)
        assert {"pandas", "coursekit.checks", "math"} <= set(worker.info.warm)
        reply = worker.run(Job("ada/ps1", [CellCode(0, PLOT)], {}, Limits(20.0, 40.0, 1024, 60, 16, 64)), 60)
        assert reply.status == "ok"
        assert [sorted(o.get("data", {})) for o in reply.cells["0"] if o["output_type"] == "display_data"] == \
            [["image/png", "text/plain"]]  # the inline backend, whether matplotlib was warm or not
    finally:
        worker.stop()
