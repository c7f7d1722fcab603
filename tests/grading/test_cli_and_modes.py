"""The ``coursekit grade`` / ``coursekit collect`` commands, the rlimit fallback, Ctrl-C and the public API."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

import coursekit.grading
from coursekit.cli import main
from coursekit.grading import GradeConfig, grade_assignment
from coursekit.grading import records as rec

from .factory import ASSIGNMENT, BIN, correct_answers, needs_bwrap, release_nb, submit
from .test_adversarial import settled_leftovers

pytestmark = pytest.mark.nbgrader


def test_public_api_names():
    assert sorted(coursekit.grading.__all__) == ["BatchSummary", "CollectSummary", "GradeConfig", "collect_zip",
                                                 "create_sandbox", "grade_assignment"]


@needs_bwrap
def test_collect_then_grade_from_the_command_line(course: Path, tmp_path: Path):
    from scripted_submissions import fill

    archive = tmp_path / "lms.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("doejane_111_222_ps1.ipynb", nbformat.writes(fill(release_nb(course), correct_answers(course))))
        zf.writestr("roerichard_333_444_ps1-1.ipynb", nbformat.writes(release_nb(course)))
    runner = CliRunner()
    collected = runner.invoke(main, ["collect", ASSIGNMENT, str(archive), "--course", str(course)])
    assert collected.exit_code == 0, collected.output
    assert "canvas: placed 2 files for 2 students" in collected.output
    graded = runner.invoke(main, ["grade", ASSIGNMENT, "--course", str(course), "--no-progress", "--no-feedback",
                                  "--cell-timeout", "10"])
    assert graded.exit_code == 0, graded.output
    assert "sandbox: bwrap; active: PID namespace" in graded.output
    assert "ps1: 2 graded" in graded.output and "2 ok, 0 flagged for review, 0 failed to grade" in graded.output
    scores = {r.student: r.score for r in rec.load_records(course, ASSIGNMENT)}
    assert scores == {"111": 13.0, "333": 0.0}  # Canvas user ids; the resubmission's "-1" is Canvas's, not the student's


def test_grade_reports_a_missing_assignment_with_the_fix(course: Path):
    result = CliRunner().invoke(main, ["grade", "ps9", "--course", str(course), "--no-progress"])
    assert result.exit_code == 2
    assert "assignment 'ps9' is not in the gradebook; run `nbgrader generate_assignment ps9`" in result.output


def test_rlimit_fallback_grades_the_same_and_says_what_is_missing(course: Path):
    submit(course, "s1", answers=correct_answers(course))
    submit(course, "s2", answers={})
    lines: list[str] = []
    summary = grade_assignment(GradeConfig(course=course, assignment=ASSIGNMENT, sandbox="rlimits", feedback=False,
                                           progress=False, cell_timeout=10), echo=lines.append)
    assert sorted((r.student, r.score) for r in summary.graded) == [("s1", 13.0), ("s2", 0.0)]
    assert lines[0].startswith("sandbox: rlimits;") and "NOT active: namespaces" in lines[0]


def test_ctrl_c_keeps_what_was_graded_and_a_rerun_finishes(course: Path):
    answers = correct_answers(course)
    slow = answers["ps1-landmark-front-crest-answer"] + "\nimport time\ntime.sleep(1.5)"
    for i in range(8):
        submit(course, f"s{i}", answers={**answers, "ps1-landmark-front-crest-answer": slow})
    proc = subprocess.Popen([str(BIN / "coursekit"), "grade", ASSIGNMENT, "--course", str(course), "--no-progress",
                             "--no-feedback", "--workers", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    records = course / "coursekit-grades" / ASSIGNMENT / "records"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(records.glob("*/*.json"))) < 2:
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=60)
    assert settled_leftovers() == ([], [])
    kept = rec.load_records(course, ASSIGNMENT)
    assert 2 <= len(kept) < 8 and all(r.score == 13.0 for r in kept)
    summary = grade_assignment(GradeConfig(course=course, assignment=ASSIGNMENT, feedback=False, progress=False))
    assert sorted(summary.skipped) == sorted(f"{r.student}/ps1" for r in kept)
    assert len(summary.graded) == 8 - len(kept) and all(r.score == 13.0 for r in summary.graded)


@pytest.mark.skipif(os.environ.get("COURSEKIT_SKIP_BENCH") == "1", reason="COURSEKIT_SKIP_BENCH=1")
def test_benchmark_smoke_mode_gives_identical_scores():
    repo = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, str(repo / "benchmarks" / "grading.py"), "--smoke"], capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "nbgrader autograde | 6" in done.stdout and "6/6" in done.stdout
