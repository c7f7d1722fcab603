"""A run starts no more sandboxed workers than it has submissions to grade."""

from __future__ import annotations

import os
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


@needs_bwrap
def test_the_grade_command_ends_quickly_with_all_its_output_and_its_report(course: Path):
    import subprocess

    from .factory import BIN

    submit(course, "solo", answers=correct_answers(course))
    done = subprocess.run([str(BIN / "coursekit"), "grade", ASSIGNMENT, "--course", str(course), "--no-progress"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "ps1: 1 graded" in done.stdout and done.stdout.rstrip().endswith(f"feedback: {course / 'feedback'}")
    report = (course / "coursekit-grades" / ASSIGNMENT / "report.html").read_text(encoding="utf-8")
    assert "nothing to review" in report  # one ok student
    assert 'role="img" aria-label="Histogram of 1 graded scores for ps1' in report
    assert report.count('<rect class="bar"') == 1 + 2 * report.count("<tr><td>ps1.")  # one score; two bars a question
    again = subprocess.run([str(BIN / "coursekit"), "grade", "ps9", "--course", str(course)], capture_output=True,
                           text=True, timeout=300)
    assert again.returncode == 2 and "ps9" in again.stderr  # errors keep their exit status and message


@pytest.mark.skipif(os.geteuid() != 0, reason="submissions run as another uid only when grading as root")
def test_the_rlimits_fallback_says_when_the_submissions_uid_cannot_enter_the_python_installation():
    import sys

    import coursekit

    folders = {p for prefix in (Path(sys.base_prefix).resolve(), Path(sys.prefix).absolute(),
                                Path(coursekit.__file__).resolve().parent)
               for p in (prefix, *prefix.parents)}
    private = sorted(str(p) for p in folders if not p.stat().st_mode & 0o001)
    summary = create_sandbox("rlimits").summary()
    missing = summary.split("NOT active: ", 1)[1]
    if private:  # e.g. Python under /root (mode 700): only preloaded modules import in a submission
        assert "imports beyond the preloaded modules in submissions" in missing
        assert all(folder in missing for folder in private)
    else:
        assert "preloaded modules" not in summary


class _Worker:
    """Stands in for a WorkerHandle: records when each job started."""

    def __init__(self, log: list[str]) -> None:
        self.log, self.closed = log, False

    def run(self, job: Job, timeout: float):
        import time

        self.log.append(f"run {job.key}")
        time.sleep(0.05)
        return f"reply {job.key}"

    def stop(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True


def test_jobs_start_while_the_rest_are_made_and_results_wait_for_ready():
    import time

    from coursekit.grading.workers import run_jobs

    log: list[str] = []

    def jobs():
        for key in ("a", "b", "c"):
            log.append(f"made {key}")
            yield Job(key, [], {}, Limits(20.0, 40.0, 1024, 60, 16, 64))
            time.sleep(0.1)  # reading the next submission takes a while

    def ready() -> None:
        log.append("ready")
        time.sleep(0.1)  # the keys load while the jobs run

    run_jobs(jobs(), 10, [_Worker(log)], lambda job, reply, failure: log.append(f"result {reply}"),  # type: ignore[list-item]
             ready=ready)
    assert log.index("run a") < log.index("made b")  # the first job ran while the second was being made
    assert log.index("ready") > log.index("made c")  # ready once every job is handed out...
    assert log.index("ready") < min(i for i, line in enumerate(log) if line.startswith("result"))  # ...before results
    assert sorted(line for line in log if line.startswith("result")) == ["result reply a", "result reply b",
                                                                         "result reply c"]


@needs_bwrap
def test_a_run_without_answer_keys_stops_before_the_gradebook_or_a_record_is_written(
        course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from coursekit import bank
    from coursekit.course import Course
    from coursekit.errors import GradingError

    for student in ("ada", "bo", "cy"):
        submit(course, student, answers=correct_answers(course))
    submit(course, "broken", raw=b'{"cells": [')  # unreadable: its failure is written only once keys are in
    (tmp_path / "no-keys").mkdir()
    monkeypatch.setenv(bank.BANK_ENV, str(tmp_path / "no-keys"))
    monkeypatch.setattr(bank, "_KEY_DIRS", [])
    bank.reload()
    try:
        with pytest.raises(GradingError, match="no answer key"):
            grade_assignment(GradeConfig(course=course, assignment=ASSIGNMENT, progress=False))
    finally:
        monkeypatch.undo()
        bank.reload()
    with Course(course).gradebook() as gb:
        assert gb.assignment_submissions(ASSIGNMENT) == [] and [s.id for s in gb.students] == []
    assert not list((course / "coursekit-grades").glob(f"{ASSIGNMENT}/records/*"))
    assert not (course / "autograded").exists() and not (course / "feedback").exists()
