"""Graded questions without their keys (a student's process): form feedback only, no score."""

from __future__ import annotations

import pytest

from coursekit import bank
from coursekit.checks import check, check_answer, grade
from coursekit.errors import KeysElsewhereError

from .conftest import REAL_BANK_FILES


@pytest.fixture
def student_side(monkeypatch):
    monkeypatch.delenv(bank.BANK_ENV, raising=False)
    monkeypatch.setattr(bank, "_KEY_DIRS", [])
    monkeypatch.setattr(bank, "bank_files", REAL_BANK_FILES)
    bank.reload()
    yield
    monkeypatch.undo()
    bank.reload()


def test_a_graded_question_loads_without_its_key(student_side):
    q = bank.question("ps1.tilt-lunge")
    assert (q.graded, q.has_key, q.expected, q.source) == (True, False, None, "ps1.yaml")
    assert dict(q.settings) == {"units": "deg", "sign": "anterior tilt positive"}
    crest = bank.question("ps1.landmark-front-crest")
    assert [o.correct for o in crest.options] == [None] * 4 and all(o.feedback == "" for o in crest.options)


def test_the_key_and_a_wrong_number_in_range_look_the_same(student_side):
    right, wrong = check_answer("ps1.tilt-lunge", 18.68, 2), check_answer("ps1.tilt-lunge", -30.0, 2)
    assert (repr(right), right._repr_html_(), right.result.details) == (repr(wrong), wrong._repr_html_(), wrong.result.details)
    assert repr(right) == "2.0" and "passes the visible checks" in right._repr_html_()
    out_of_range = check("ps1.tilt-lunge", 80.0)
    assert not out_of_range.passed and "A pelvis tilts by a few tens of degrees at most" in out_of_range.feedback[0]


def test_every_option_of_a_graded_choice_gets_the_same_answer(student_side):
    seen = {str(check("ps1.landmark-front-crest", key)) for key in "abcd"}
    assert seen == {"✓ Visible checks passed (the full check runs when your notebook is graded)\n"
                    "  - Your answer has the right form."}


def test_grade_and_grade_mode_say_grading_happens_on_the_instructors_side(student_side):
    with pytest.raises(KeysElsewhereError, match="ps1.tilt-lunge is a graded question: it is graded on the "
                                                 "instructor's side") as info:
        grade("ps1.tilt-lunge", 18.68, 2)
    assert info.value._render_traceback_() == [f"KeysElsewhereError: {info.value}"]
    with pytest.raises(KeysElsewhereError, match=r"so check\(\.\.\., mode='grade'\) gives no score here"):
        check("ps2.extend-and-rotate-out", ["gluteus maximus"], mode="grade")


def test_with_the_keys_the_student_mode_check_still_uses_the_public_form(student_side):
    bank.use_key_dir(REAL_BANK_FILES()[0].parents[4] / "assignments" / "bank")
    try:
        q = bank.question("ps2.extend-and-rotate-out")
        assert q.has_key and q.graded and "iliopsoas" in q.misconceptions
        trap = check(q, ["gluteus maximus", "semitendinosus"])  # semitendinosus: a key-dependent excludes check
        assert trap.passed and "Semitendinosus" not in " ".join(trap.feedback)
        assert check(q, ["gluteus maximus", "biceps femoris (long head)"], mode="grade").score == 1.0
    finally:
        bank._KEY_DIRS.clear()
