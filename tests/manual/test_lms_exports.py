"""ps3 collected from Canvas: the gradebook import carries hand grades, the report says what is pending.

Two students named Jane Doe hand in ps3 through Canvas; one written answer is marked
(as formgrader stores it), the other not. After ``coursekit grade ps3 --force`` the
Canvas import (``coursekit-grades/ps3/lms/canvas-import.csv``) passes the Canvas import
validator, scores the marked student with her hand grade, and its report says the other
one's manual grading is pending.
"""

from __future__ import annotations

import csv
import shutil
import zipfile
from pathlib import Path

import nbformat

from coursekit.lms import collect_lms, read_canvas_roster, validate_canvas_import
from scripted_submissions import fill, solution_answers

from .conftest import CAROL_TEXT, PS, WRITTEN, grade
from .test_regrade import COMMENT, _grade_by_hand

ROSTER = ("Student,ID,SIS User ID,SIS Login ID,Section,ps3 (7003)\r\n"
          "    Points Possible,,,,,16\r\n"
          '"Doe, Jane",1001,S-1001,jdoe1,Lab A,\r\n'
          '"Doe, Jane",1002,S-1002,jdoe2,Lab B,\r\n'
          '"Nosub, Nick",1005,S-1005,nnosub,Lab B,\r\n')


def _fresh(course: Path) -> None:
    """The graded copy, minus its three students: only the Canvas students remain."""
    from nbgrader.api import Gradebook

    for folder in ("submitted", "autograded", "feedback", "coursekit-grades"):
        shutil.rmtree(course / folder, ignore_errors=True)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "coursekit-hip") as gb:
        for student in ("alice", "bob", "carol"):
            gb.remove_student(student)


def test_the_canvas_import_has_the_hand_grade_and_its_report_names_pending_manual_grading(ps3_course, tmp_path):
    course = ps3_course
    _fresh(course)
    released = nbformat.read(course / "release" / PS / f"{PS}.ipynb", as_version=4)
    answers = {**solution_answers(nbformat.read(course / "source" / PS / f"{PS}.ipynb", as_version=4)),
               WRITTEN: CAROL_TEXT}
    archive, roster = tmp_path / "submissions.zip", tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    with zipfile.ZipFile(archive, "w") as zf:
        for canvas_id, submission in (("1001", 11), ("1002", 12)):
            zf.writestr(f"doejane_{canvas_id}_{submission}_{PS}.ipynb", nbformat.writes(fill(released, answers)))
    placed = collect_lms(course, PS, archive, roster=roster, expected={f"{PS}.ipynb"})
    assert placed.students == ["1001", "1002"]
    grade(course)
    _grade_by_hand(course, "1001", 3.0, COMMENT)
    done = grade(course, "--force")
    folder = course / "coursekit-grades" / PS / "lms"
    assert f"LMS import (canvas-import.csv): {folder / 'canvas-import.csv'}" in done.stdout

    assert validate_canvas_import(folder / "canvas-import.csv", roster=read_canvas_roster(roster)) == []
    with open(folder / "canvas-import.csv", newline="", encoding="utf-8") as fh:
        scores = {r["ID"]: r["ps3 (7003)"] for r in csv.DictReader(fh)}
    assert scores == {"1001": "15", "1002": "12", "1005": ""}
    report = next(folder.glob("canvas-import*report*.csv"))
    with open(report, newline="", encoding="utf-8") as fh:
        notes = {r["ID"]: (r["Status"], r["Notes"]) for r in csv.DictReader(fh)}
    assert notes == {"1001": ("graded", ""), "1002": ("graded", "manual grading pending"),
                     "1005": ("no submission", "")}
