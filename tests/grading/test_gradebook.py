"""The batch's gradebook rows: created up front in one transaction, the same rows nbgrader creates."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from coursekit.course import Course, GradeWrite, write_grades
from coursekit.course.gradebook import ensure_submissions, submitted_notebook

from .factory import ASSIGNMENT

pytestmark = pytest.mark.nbgrader

STAMP = datetime(2026, 3, 2, 9, 30)


def _rows(gb: Any, student: str) -> dict[str, Any]:
    """What the gradebook holds of ``student``'s submission, ids left out."""
    sub = gb.find_submission(ASSIGNMENT, student)
    return {"timestamp": sub.timestamp, "notebooks": {
        nb.name: {"grades": sorted((g.name, g.auto_score, g.manual_score, g.needs_manual_grade) for g in nb.grades),
                  "comments": sorted((c.name, c.auto_comment, c.manual_comment) for c in nb.comments),
                  "flagged": nb.flagged} for nb in sub.notebooks}}


def _course(released: Path, tmp_path: Path, name: str) -> Course:
    return Course(shutil.copytree(released, tmp_path / name))


def test_new_submissions_get_the_rows_nbgrader_creates(released: Path, tmp_path: Path):
    theirs, mine = _course(released, tmp_path, "nbgrader"), _course(released, tmp_path, "coursekit")
    with theirs.gradebook() as gb:
        for student in ("ada", "bo"):
            gb.update_or_create_student(student)
            gb.update_or_create_submission(ASSIGNMENT, student, timestamp=STAMP)
        expected = {s: _rows(gb, s) for s in ("ada", "bo")}
    with mine.gradebook() as gb:
        assert ensure_submissions(gb, ASSIGNMENT, {"ada": STAMP, "bo": STAMP})
        got = {s: _rows(gb, s) for s in ("ada", "bo")}
        assert sorted(s.id for s in gb.students) == ["ada", "bo"]
    assert got == expected
    grades = expected["ada"]["notebooks"][ASSIGNMENT]["grades"]
    assert len(grades) >= 5 and expected["ada"]["timestamp"] == STAMP


def test_known_rows_take_the_grades_and_the_new_time_as_nbgrader_calls_would(released: Path, tmp_path: Path):
    """Regrading a resubmission: the same rows whether nbgrader's calls create them or ensure_submissions did."""
    results = {}
    for known in (False, True):
        course = _course(released, tmp_path, f"known-{known}")
        with course.gradebook() as gb:
            gb.update_or_create_student("ada")
            gb.update_or_create_submission(ASSIGNMENT, "ada", timestamp=STAMP)  # graded before
            later = datetime(2026, 3, 3, 8, 0)
            if known:
                assert ensure_submissions(gb, ASSIGNMENT, {"ada": later})
                assert gb.find_submission(ASSIGNMENT, "ada").timestamp == STAMP  # untouched until its grades come
            tests = [g.name for g in submitted_notebook(gb, ASSIGNMENT, ASSIGNMENT, "ada").grades
                     if g.name.endswith("-test")]
            answers = [c.name for c in submitted_notebook(gb, ASSIGNMENT, ASSIGNMENT, "ada").comments]
            write_grades(gb, GradeWrite("ada", ASSIGNMENT, ASSIGNMENT, {tests[0]: 1.0, tests[1]: 0.0},
                                        {answers[0]}, False, False, later), known=known)
            results[known] = _rows(gb, "ada")
    assert results[True] == results[False]
    assert results[True]["timestamp"] == datetime(2026, 3, 3, 8, 0)
    grades = {g[0]: g[1] for g in results[True]["notebooks"][ASSIGNMENT]["grades"]}
    assert (grades[tests[0]], grades[tests[1]]) == (1.0, 0.0)


def test_a_refused_batch_changes_nothing(released: Path, tmp_path: Path):
    course = _course(released, tmp_path, "refused")
    with course.gradebook() as gb:
        assert not ensure_submissions(gb, "no-such-assignment", {"ada": STAMP})
        assert [s.id for s in gb.students] == []  # the student row was rolled back with the rest
        assert ensure_submissions(gb, ASSIGNMENT, {"ada": None})  # the session is usable afterwards
        assert gb.find_submission(ASSIGNMENT, "ada").timestamp is None
