"""Late penalties through ``coursekit grade``: stored as nbgrader stores them, in every export and the feedback."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest

from coursekit.course import Course
from coursekit.grading import GradeConfig, grade_assignment

from .factory import ASSIGNMENT, correct_answers, needs_bwrap, submit

pytestmark = pytest.mark.nbgrader


def late_course(course: Path, method: str) -> None:
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as fh:
        fh.write(f'\nc.LateSubmissionPlugin.penalty_method = "{method}"\n')
    with Course(course).gradebook() as gb:
        gb.update_or_create_assignment(ASSIGNMENT, duedate=datetime(2026, 3, 1, 12, 0, 0))


def stamped(course: Path, student: str, stamp: str) -> None:
    folder = submit(course, student, answers=correct_answers(course)).parent
    (folder / "timestamp.txt").write_text(stamp)


@needs_bwrap
def test_a_late_submission_is_penalised_as_the_course_configures_it(course: Path) -> None:
    late_course(course, "zero")
    stamped(course, "on-time", "2026-03-01 11:59:00.000000 UTC")
    stamped(course, "late", "2026-03-01 13:30:00.000000 UTC")
    summary = grade_assignment(GradeConfig(course=course, assignment=ASSIGNMENT, feedback=True, progress=False))
    assert sorted((r.student, r.score) for r in summary.graded) == [("late", 13.0), ("on-time", 13.0)]
    assert summary.late == ["late/ps1: late penalty 13"]

    with Course(course).gradebook() as gb:
        penalties = {s.student.id: (float(s.late_submission_penalty or 0), float(s.score))
                     for s in gb.assignment_submissions(ASSIGNMENT)}
    assert penalties == {"on-time": (0.0, 13.0), "late": (13.0, 13.0)}  # nbgrader's score is before the penalty

    rows = {r["student"]: r for r in csv.DictReader(open(course / "coursekit-grades" / ASSIGNMENT / "grades.csv"))}
    assert (rows["late"]["gradebook_score"], rows["late"]["late_penalty"]) == ("0", "13")
    assert (rows["on-time"]["gradebook_score"], rows["on-time"]["late_penalty"]) == ("13", "0")
    lms = {r["Student ID"]: r for r in csv.DictReader(open(course / "coursekit-grades" / ASSIGNMENT / "lms.csv"))}
    assert lms["late"]["ps1 Score"] == "0" and lms["on-time"]["ps1 Score"] == "13"
    feedback = (course / "feedback" / "late" / ASSIGNMENT / "ps1.html").read_text(encoding="utf-8")
    assert "Late submission penalty (Score: -13.0)" in feedback
    assert "Late submission penalty" not in (course / "feedback" / "on-time" / ASSIGNMENT / "ps1.html").read_text()


@needs_bwrap
def test_without_a_penalty_method_a_late_submission_keeps_its_score(course: Path) -> None:
    late_course(course, "none")
    stamped(course, "late", "2026-03-02 09:00:00.000000 UTC")
    summary = grade_assignment(GradeConfig(course=course, assignment=ASSIGNMENT, feedback=False, progress=False))
    assert summary.late == []
    rows = {r["student"]: r for r in csv.DictReader(open(course / "coursekit-grades" / ASSIGNMENT / "grades.csv"))}
    assert (rows["late"]["gradebook_score"], rows["late"]["late_penalty"]) == ("13", "0")
