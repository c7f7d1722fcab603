"""The hub's warm grader: one student at a time, the same results as ``coursekit grade --student``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from coursekit.course import Course
from coursekit.errors import GradingError
from coursekit.grading import GradeConfig, grade_assignment
from coursekit.grading.service import Grader
from coursekit.runlock import course_lock

from .factory import ASSIGNMENT, correct_answers, needs_bwrap, submit
from .test_adversarial import settled_leftovers

pytestmark = pytest.mark.nbgrader


@needs_bwrap
def test_the_warm_grader_grades_each_submission_as_the_batch_does(course: Path, released: Path,
                                                                  tmp_path: Path) -> None:
    answers = correct_answers(course)
    half = dict(list(answers.items())[: len(answers) // 2])
    submit(course, "ada", answers=answers)
    submit(course, "bob", answers=half)
    submit(course, "cy", raw=b'{"cells": [')
    with Grader(course) as grader:
        workers = [w.proc.pid for w in grader._warm.workers if w.proc]  # type: ignore[union-attr]
        first = grader.grade(ASSIGNMENT, "ada")
        second = grader.grade(ASSIGNMENT, "bob")
        broken = grader.grade(ASSIGNMENT, "cy")
        # the same warm worker processes served every submission
        assert [w.proc.pid for w in grader._warm.workers if w.proc] == workers  # type: ignore[union-attr]
        again = grader.grade(ASSIGNMENT, "ada")  # a regrade: the first grade goes into the record's history
    assert settled_leftovers() == ([], [])
    assert [(r.student, r.status, r.score) for r in first.graded] == [("ada", "ok", 13.0)]
    assert [r.student for r in second.graded] == ["bob"] and broken.graded[0].status == "failed"
    assert [h["replaced"] for h in again.graded[0].history] == ["regraded"]

    # the same scores as the batch command on a copy of the same submissions
    batch = tmp_path / "batch"
    import shutil

    shutil.copytree(released, batch)
    for student in ("ada", "bob"):
        shutil.copytree(course / "submitted" / student, batch / "submitted" / student)
    grade_assignment(GradeConfig(course=batch, assignment=ASSIGNMENT, progress=False))
    assert Course(course).scores(ASSIGNMENT) | {"cy": 0.0} == Course(batch).scores(ASSIGNMENT) | {"cy": 0.0}

    # nbgrader's feedback layout (what release_feedback copies), sanitised page with the no-script policy
    page = (course / "feedback" / "bob" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "script-src 'none'" in page and f"{ASSIGNMENT} (Score: {second.graded[0].score:.1f} / 13.0)" in page
    assert (course / "feedback" / "bob" / ASSIGNMENT / "timestamp.txt").is_file()
    assert not (course / "feedback" / "cy").exists()
    rows = {r["student"]: r for r in csv.DictReader(open(course / "coursekit-grades" / ASSIGNMENT / "grades.csv"))}
    assert (rows["ada"]["score"], rows["cy"]["status"]) == ("13", "failed")
    record = json.loads((course / "coursekit-grades" / ASSIGNMENT / "records" / "ada" / "ps1.json").read_text())
    assert record["score"] == 13.0 and len(record["history"]) == 1


@needs_bwrap
def test_the_warm_grader_waits_for_no_one_and_refuses_a_locked_course(course: Path) -> None:
    submit(course, "ada", answers={})
    with Grader(course) as grader:
        with course_lock(course), pytest.raises(GradingError, match="holds this course"):
            grader.grade(ASSIGNMENT, "ada")
        assert grader.grade(ASSIGNMENT, "ada").graded[0].score == 0.0
    with pytest.raises(RuntimeError, match="closed"):
        grader.grade(ASSIGNMENT, "ada")
