"""A ps3 course graded once by ``coursekit grade``, copied fresh for each test.

``graded_ps3`` (session): ``assignments/`` copied to a temporary folder, ps3 built and
released by nbgrader, three scripted submissions placed in ``submitted/`` and graded
with the real ``coursekit grade ps3`` command (a subprocess, as an instructor runs it):

* ``alice``: every autograded answer right, the written answer is the rubric's model
  answer (12 of 12 autograded points; the written answer waits for a human);
* ``bob``: the released notebook untouched (0 points; the written answer is blank, so
  nbgrader scores it 0 without a human);
* ``carol``: every autograded answer right and a one-sentence written answer.

``ps3_course`` copies that graded course for one test, so tests may regrade it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC
from pathlib import Path

import nbformat
import pytest

from coursekit import assignments
from scripted_submissions import fill, solution_answers, write_submission

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PS = "ps3"
WRITTEN = "ps3-gripping-explanation-answer"       # the answer cell graded by hand (rubrics/ps3.md)
WRITTEN_QUESTION = "ps3.gripping-explanation"     # its question id: the column in grades.csv
CAROL_TEXT = "Gripping the glutes turns the thighs out because gluteus maximus is an external rotator."
AUTOGRADED_MAX, WRITTEN_MAX = 12.0, 4.0


def coursekit(course: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """Run the real ``coursekit`` command in ``course`` (the venv's bin first on PATH, as after activation)."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run([str(BIN / "coursekit"), *args], cwd=course, env=env, capture_output=True, text=True,
                          timeout=timeout)


def grade(course: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """``coursekit grade ps3`` on ``course``; fails the test with the output when it fails."""
    done = coursekit(course, "grade", PS, "--course", str(course), "--workers", "1", "--no-progress", *extra)
    assert done.returncode == 0, f"coursekit grade failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done


def submit(course: Path, student: str, answers: dict[str, str], *, base: str = "solution", when: str = "2026-01-01") \
        -> Path:
    """Place ``student``'s ps3 in ``submitted/``: the released notebook filled with ``answers`` on top of ``base``."""
    from datetime import datetime

    released = nbformat.read(course / "release" / PS / f"{PS}.ipynb", as_version=4)
    filled = solution_answers(nbformat.read(course / "source" / PS / f"{PS}.ipynb", as_version=4)) \
        if base == "solution" else {}
    filled.update(answers)
    stamp = datetime.fromisoformat(when).replace(tzinfo=UTC)
    return write_submission(course, student, PS, fill(released, filled, name=f"{PS}/{student}"), timestamp=stamp)


@pytest.fixture(scope="session")
def graded_ps3(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("manual") / "course"
    shutil.copytree(REPO / "assignments", root, ignore=shutil.ignore_patterns(
        "release", "submitted", "autograded", "feedback", "gradebook.db", "exchange", "__pycache__",
        "coursekit-grades", ".coursekit-grade.lock"))
    assignments.build(root, [PS])
    assignments.release(root, [PS])
    submit(root, "alice", {})
    submit(root, "bob", {}, base="blank")
    submit(root, "carol", {WRITTEN: CAROL_TEXT})
    grade(root)
    return root


@pytest.fixture
def ps3_course(graded_ps3: Path, tmp_path: Path) -> Path:
    """A private copy of the graded course (timestamps kept, so nothing looks resubmitted)."""
    dest = tmp_path / "course"
    shutil.copytree(graded_ps3, dest, symlinks=True)
    return dest


def gradebook_row(course: Path, student: str) -> dict[str, object]:
    """What nbgrader's gradebook holds for ``student``'s written answer and submission."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "coursekit-hip") as gb:
        nb = gb.find_submission_notebook(PS, PS, student)
        written = next(g for g in nb.grades if g.cell.name == WRITTEN)
        comment = next(c for c in nb.comments if c.cell.name == WRITTEN)
        sub = gb.find_submission(PS, student)
        return {"manual_score": written.manual_score, "auto_score": written.auto_score,
                "needs_manual_grade": written.needs_manual_grade, "comment": comment.manual_comment,
                "total": sub.score, "submission_needs_manual_grade": sub.needs_manual_grade}


def read_csv(path: Path) -> dict[str, dict[str, str]]:
    """A CSV's rows by their first column."""
    import csv

    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    first = next(iter(rows[0])) if rows else ""
    return {row[first]: row for row in rows}


def nbgrader_export(course: Path) -> dict[str, dict[str, str]]:
    """nbgrader's own CSV export of the gradebook (``nbgrader export``), by student id."""
    out = course / "nbgrader-export.csv"
    done = subprocess.run([str(BIN / "nbgrader"), "export", f"--to={out}"], cwd=course, capture_output=True, text=True,
                          env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    import csv

    with out.open(newline="", encoding="utf-8") as fh:
        return {r["student_id"]: r for r in csv.DictReader(fh) if r["assignment"] == PS}
