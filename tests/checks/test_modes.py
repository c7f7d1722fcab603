"""Student-mode checks inside the grader's sandbox judge nothing and need no bank."""

from __future__ import annotations

from coursekit.checks import MODE_ENV, check, check_answer


def test_student_check_in_export_mode_defers_to_the_grader_without_the_bank(monkeypatch):
    monkeypatch.setenv(MODE_ENV, "export")
    result = check("no.such-question-in-this-kernel", "anything")
    assert result.score == 0.0 and not result.passed
    assert result.feedback == ["This answer is checked by the grader."]
    shown = check_answer("no.such-question-in-this-kernel", 42, 2)
    assert repr(shown) == "0.0"


def test_grade_mode_still_judges_when_export_mode_is_set(monkeypatch):
    monkeypatch.setenv(MODE_ENV, "export")
    assert check("core.pelvic-tilt-direction", "anterior tilt", mode="grade").score == 1.0
