"""The forked feedback writer: the same pages as the grader's own, and nothing lost when it fails."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coursekit.grading import GradeConfig, grade_assignment

from .factory import ASSIGNMENT, correct_answers, needs_bwrap, submit

pytestmark = pytest.mark.nbgrader

STUDENTS = ["full", "half", "blank"]

#: Run in a process of its own: a test runner's threads would (rightly) stop the fork.
SCENARIO = r"""
import json, os, signal, sys, threading, time
from pathlib import Path
from coursekit.course import Course
from coursekit.course.feedback import FeedbackPages
from coursekit.grading import feedbackhelper
from coursekit.grading.feedbackhelper import FeedbackHelper

root, mode, students = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
course = Course(root)
pages = FeedbackPages(course, seconds=1.0)
pages.warm()
feedbackhelper.GRACE_SECONDS = 0.5
if mode == "threads":
    stop = threading.Event()
    threading.Thread(target=stop.wait).start()
    print(json.dumps({"forked": FeedbackHelper.fork(pages) is not None}))
    stop.set()
    sys.exit(0)
helper = FeedbackHelper.fork(pages)
if mode in ("stopped", "flooded"):
    os.kill(helper.pid, signal.SIGSTOP)  # alive, silent: the grader must not wait for it for ever
if mode == "flooded":  # so far behind that its input is full: the grader must not block on it
    import fcntl
    fcntl.fcntl(helper._requests, 1031, 4096)
    students = [f"{s}-{i}" if i else s for i in range(40) for s in students]
if mode == "killed":
    os.kill(helper.pid, signal.SIGKILL)
    time.sleep(0.2)
pid = helper.pid
out = {"forked": True, "submitted": {}, "pages": {}}
with course.gradebook() as gb:
    real = {s: pages.read_grades(gb, s, "ps1", ["ps1"]) for s in sys.argv[3:]}
    for student in students:
        grades = real.get(student) or real[student.split("-")[0]]
        out["submitted"][student] = helper.submit(student, "ps1", ["ps1"], grades)
    started = time.monotonic()
    done, left = helper.collect()
    out["collect_seconds"] = time.monotonic() - started
    out["done"], out["left"] = done, sorted(left)
    if mode == "flooded":
        print(json.dumps({"submitted": out["submitted"], "left": out["left"], "gone": not Path(f"/proc/{pid}").exists(),
                          "seconds": time.monotonic() - started}))
        sys.exit(0)
    for student in done:
        out["pages"][student] = (root / "feedback" / student / "ps1" / "ps1.html").read_text()
    helper.close()
    out["helper_gone"] = not Path(f"/proc/{pid}").exists()
    # the grader's own pages, for comparison
    out["own"] = {}
    for student in students:
        result = pages.write(gb, student, "ps1", ["ps1"])
        out["own"][student] = [result.problem, (root / "feedback" / student / "ps1" / "ps1.html").read_text()]
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def graded(released: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three students graded without feedback: their autograded notebooks and gradebook rows."""
    import shutil

    course = tmp_path_factory.mktemp("helper") / "course"
    shutil.copytree(released, course)
    answers = correct_answers(course)
    half = dict(list(answers.items())[: len(answers) // 2])
    for student, given in zip(STUDENTS, (answers, half, {}), strict=True):
        submit(course, student, answers=given)
    summary = grade_assignment(GradeConfig(course=course, assignment=ASSIGNMENT, feedback=False, reports=False,
                                           sandbox="auto", progress=False))
    assert [r.status for r in summary.graded] == ["ok"] * 3
    return course


def _scenario(course: Path, mode: str, students: list[str] = STUDENTS) -> dict:
    done = subprocess.run([sys.executable, "-c", SCENARIO, str(course), mode, *students], capture_output=True,
                          text=True, timeout=120, cwd=course)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_helper_writes_every_page_exactly_as_the_grader_would(graded: Path):
    out = _scenario(graded, "ok")
    assert out["submitted"] == dict.fromkeys(STUDENTS, True)
    assert out["done"] == dict.fromkeys(STUDENTS, "") and out["left"] == []
    for student in STUDENTS:
        problem, own = out["own"][student]
        assert problem == ""
        assert out["pages"][student] == own  # byte for byte
    assert "ps1 (Score: 13.0 / 13.0)" in out["pages"]["full"]
    assert "ps1 (Score: 0.0 / 13.0)" in out["pages"]["blank"]
    assert out["helper_gone"]


def test_a_silent_helper_is_stopped_and_its_students_handed_back(graded: Path):
    out = _scenario(graded, "stopped")
    assert out["done"] == {} and out["left"] == sorted(STUDENTS)
    assert out["collect_seconds"] < 10  # its time limit (1 s) and the grace (0.5 s), not for ever
    assert out["helper_gone"]
    assert [out["own"][s][0] for s in STUDENTS] == ["", "", ""]  # the grader then writes them itself


def test_a_helper_too_far_behind_never_blocks_the_grader_and_loses_no_student(graded: Path):
    out = _scenario(graded, "flooded")  # 120 requests into a 4 KiB pipe nobody reads
    refused = [s for s, ok in out["submitted"].items() if not ok]
    accepted = [s for s, ok in out["submitted"].items() if ok]
    assert refused and accepted  # handed over until the pipe was full, then written by the grader
    assert sorted(accepted) == out["left"]  # every request it took comes back to the grader
    assert out["gone"]


def test_a_dead_helper_refuses_work_and_the_grader_keeps_it(graded: Path):
    out = _scenario(graded, "killed")
    assert out["submitted"] == dict.fromkeys(STUDENTS, False)
    assert out["done"] == {} and out["left"] == []


def test_no_fork_while_other_threads_run(graded: Path):
    assert _scenario(graded, "threads") == {"forked": False}


def test_pages_the_helper_hands_back_are_written_by_the_grader(graded: Path, tmp_path: Path):
    """``_AfterStudent.finish``: what the helper did not write is written in the grader, with problems noted."""
    import shutil

    from coursekit.course import Course
    from coursekit.course.feedback import FeedbackPages
    from coursekit.grading.batch import BatchSummary, _AfterStudent

    course = Course(shutil.copytree(graded, tmp_path / "course"))

    class HandsBack:
        def collect(self) -> tuple[dict[str, str], dict[str, tuple[str, list[str]]]]:
            return {"full": "the feedback page could not be made (x)"}, {"half": (ASSIGNMENT, [ASSIGNMENT])}

    summary = BatchSummary(ASSIGNMENT, "none")
    config = GradeConfig(course=course.root, assignment=ASSIGNMENT)
    after = _AfterStudent(config, course, [ASSIGNMENT], summary, FeedbackPages(course), {}, HandsBack())
    after.finish()
    assert summary.feedback_problems == {"full": "the feedback page could not be made (x)"}
    page = (course.root / "feedback" / "half" / ASSIGNMENT / "ps1.html").read_text()
    assert "ps1 (Score:" in page and "script-src 'none'" in page


@needs_bwrap
def test_a_batch_from_the_command_line_uses_the_helper_and_matches_the_grader(graded: Path, tmp_path: Path):
    import shutil

    course = shutil.copytree(graded, tmp_path / "cli")
    shutil.rmtree(course / "feedback", ignore_errors=True)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run([str(Path(sys.executable).parent / "coursekit"), "grade", ASSIGNMENT, "--course", str(course),
                           "--force", "--no-progress"], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "feedback failed" not in done.stdout + done.stderr
    written = {s: (course / "feedback" / s / ASSIGNMENT / "ps1.html").read_text() for s in STUDENTS}
    out = _scenario(course, "ok")  # the grader's own pages of the same gradebook, for comparison
    assert {s: out["own"][s][1] for s in STUDENTS} == written
