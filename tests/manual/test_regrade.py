"""Regrading a course an instructor has already graded: nothing they did is lost.

The manual grade here is written the way formgrader's own API handler writes it
(``manual_score`` and ``needs_manual_grade`` on the grade, ``manual_comment`` on the
comment); ``test_formgrader_browser.py`` does the same by clicking in formgrader.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

from coursekit.grading import records as rec
from coursekit.runlock import LOCK_FILE, lock_holder

from .conftest import BIN, PS, WRITTEN, WRITTEN_QUESTION, grade, gradebook_row, read_csv, submit

COMMENT = "Names the rotation; add what a teacher would see at the knees."


def _grade_by_hand(course: Path, student: str, score: float, comment: str) -> None:
    """What formgrader's PUT /formgrader/api/grade and /api/comment handlers store."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "coursekit-hip") as gb:
        nb = gb.find_submission_notebook(PS, PS, student)
        written = next(g for g in nb.grades if g.cell.name == WRITTEN)
        written.manual_score, written.needs_manual_grade = score, False
        next(c for c in nb.comments if c.cell.name == WRITTEN).manual_comment = comment
        gb.db.commit()


def test_a_forced_regrade_keeps_a_hand_grade_settled_and_a_resubmitted_answer_sends_it_back_for_review(ps3_course):
    course = ps3_course
    _grade_by_hand(course, "carol", 2.0, COMMENT)
    grade(course, "--force")
    carol = gradebook_row(course, "carol")
    assert carol == {"manual_score": 2.0, "auto_score": None, "needs_manual_grade": False, "comment": COMMENT,
                     "total": 14.0, "submission_needs_manual_grade": False}
    rows = read_csv(course / "coursekit-grades" / PS / "grades.csv")
    assert (rows["carol"]["gradebook_score"], rows["carol"][WRITTEN_QUESTION], rows["carol"][f"{WRITTEN_QUESTION} comment"],
            rows["carol"]["manual_grading_pending"]) == ("14", "2", COMMENT, "no")
    assert (rows["alice"][WRITTEN_QUESTION], rows["alice"]["manual_grading_pending"]) == ("", "yes")

    # carol rewrites her explanation: the old hand grade stays in the total but must be looked at again.
    submit(course, "carol", {WRITTEN: "The gluteus maximus extends and externally rotates the hip."}, when="2026-01-03")
    grade(course)
    carol = gradebook_row(course, "carol")
    assert (carol["manual_score"], carol["needs_manual_grade"], carol["comment"]) == (2.0, True, COMMENT)
    rows = read_csv(course / "coursekit-grades" / PS / "grades.csv")
    assert (rows["carol"]["manual_grading_pending"], rows["carol"][WRITTEN_QUESTION]) == ("yes", "")
    lms = read_csv(course / "coursekit-grades" / PS / "lms.csv")
    assert "answers graded by hand are not scored yet" in lms["carol"]["Comment"]


def test_a_resubmission_after_grading_is_picked_up_and_the_previous_grade_kept_in_history(ps3_course):
    course = ps3_course
    first = rec.load_record(course, PS, "bob", PS)
    assert first is not None and first.score == 0.0 and first.history == []
    submit(course, "bob", {"ps3-gmax-alone-rotation-answer": "gmax_rotation = 37.5"}, base="blank", when="2026-01-02")
    done = grade(course)  # no --force
    assert "ps3: 1 graded" in done.stdout and "2 already graded" in done.stdout
    again = rec.load_record(course, PS, "bob", PS)
    assert again is not None and again.score == 2.0 and again.fingerprint != first.fingerprint
    assert len(again.history) == 1
    previous = again.history[0]
    assert (previous["score"], previous["fingerprint"], previous["status"], previous["replaced"]) == \
        (0.0, first.fingerprint, "ok", "resubmitted")
    assert read_csv(course / "coursekit-grades" / PS / "grades.csv")["bob"]["score"] == "2"
    assert gradebook_row(course, "bob")["total"] == 2.0
    # The others were not touched.
    assert rec.load_record(course, PS, "alice", PS).history == []  # type: ignore[union-attr]


def test_a_second_grade_run_on_the_same_course_fails_at_once_naming_the_holder(ps3_course):
    course = ps3_course
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = [str(BIN / "coursekit"), "grade", PS, "--course", str(course), "--workers", "1", "--no-progress"]
    first = subprocess.Popen([*command, "--force"], cwd=course, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while lock_holder(course) is None:
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the first run never took the lock"
            time.sleep(0.2)
        holder = lock_holder(course)
        assert holder is not None and holder.pid == first.pid
        started = time.monotonic()
        second = subprocess.run(command, cwd=course, env=env, capture_output=True, text=True, timeout=120)
        waited = time.monotonic() - started
        assert first.poll() is None, "the first run ended before the second was refused: nothing was proven"
        assert second.returncode == 2
        message = " ".join(second.stderr.split())
        assert f"another coursekit grade run holds this course: pid {first.pid}, user {holder.user} " \
               f"on {holder.host}, since {holder.started}" in message
        assert f"grade {PS} --course {course} --workers 1 --no-progress --force" in message
        assert "sandbox" not in second.stdout  # refused before it started any sandbox
        assert waited < 30, f"the second run took {waited:.1f} s to be refused"
        out, err = first.communicate(timeout=900)
        assert first.returncode == 0, err
        assert "ps3: 3 graded" in out
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert lock_holder(course) is None and json.loads((course / LOCK_FILE).read_text() or "null") is None
