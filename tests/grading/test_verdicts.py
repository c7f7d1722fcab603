"""Verdicts from exported answers, computed in the grader process."""

from __future__ import annotations

from coursekit.grading.capture import ANSWER_MIME
from coursekit.grading.verdicts import judge_cell

SRC = 'check("ps1.landmark-front-crest", front_crest)\n### BEGIN HIDDEN TESTS\ngrade("ps1.landmark-front-crest", front_crest, 1)\n### END HIDDEN TESTS'


def export(question: str, answer):
    return {"output_type": "display_data", "data": {ANSWER_MIME: {"version": 1, "question": question, "answer": answer}}}


def test_correct_exported_answer_gets_the_points():
    verdict = judge_cell("t", SRC, 1.0, [export("ps1.landmark-front-crest", "b")])
    assert verdict.score == 1.0 and verdict.questions[0].answered


def test_wrong_answer_gets_zero_with_feedback():
    verdict = judge_cell("t", SRC, 1.0, [export("ps1.landmark-front-crest", "a")])
    assert verdict.score == 0.0 and verdict.questions[0].feedback


def test_answer_exported_for_another_question_is_ignored():
    verdict = judge_cell("t", SRC, 1.0, [export("ps1.sitting-movement", "b")])
    assert verdict.score == 0.0
    assert verdict.questions[0].problem == "no answer was exported for this question"


def test_cell_error_explains_missing_answer():
    error = {"output_type": "error", "ename": "NameError", "evalue": "name 'front_crest' is not defined"}
    verdict = judge_cell("t", SRC, 1.0, [error])
    assert verdict.score == 0.0 and "NameError" in (verdict.questions[0].problem or "")


def test_forged_score_output_does_not_count():
    forged = {"output_type": "execute_result", "data": {"text/plain": "1.0"}}
    assert judge_cell("t", SRC, 1.0, [forged]).score == 0.0


def test_score_never_exceeds_cell_points():
    verdict = judge_cell("t", SRC, 0.5, [export("ps1.landmark-front-crest", "b")])
    assert verdict.score == 0.5
