"""Verdicts, computed in the grader process (which never ran student code).

For every test cell the grader asks :func:`coursekit.checks.grade_calls` which
questions the *source* cell grades and with how many points, picks the answers that
cell exported from the sandbox (``application/vnd.coursekit.answer+json``) and runs
the full check, hidden parts included, with ``check(qid, answer, mode="grade")``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from coursekit.grading.capture import ANSWER_MIME

__all__ = ["QuestionVerdict", "CellVerdict", "judge_cell", "exported_answers"]


@dataclass
class QuestionVerdict:
    """One ``grade(qid, answer, points)`` call of a test cell, judged."""

    question: str
    points: float
    earned: float
    answered: bool
    answer: Any = None
    feedback: list[str] = field(default_factory=list)
    problem: str | None = None


@dataclass
class CellVerdict:
    """A test cell: its questions and the score nbgrader records."""

    grade_id: str
    max_points: float
    questions: list[QuestionVerdict]
    score: float


def exported_answers(outputs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """question id -> the last exported envelope of that question in ``outputs``.

    >>> out = [{"output_type": "display_data", "data": {ANSWER_MIME: {"version": 1, "question": "q", "answer": 3}}}]
    >>> exported_answers(out)["q"]["answer"]
    3
    """
    found: dict[str, dict[str, Any]] = {}
    for output in outputs:
        data = output.get("data") if isinstance(output, dict) else None
        envelope = data.get(ANSWER_MIME) if isinstance(data, dict) else None
        if isinstance(envelope, dict) and envelope.get("version") == 1 and isinstance(envelope.get("question"), str):
            found[envelope["question"]] = envelope
    return found


def _cell_error(outputs: list[dict[str, Any]]) -> str | None:
    for output in outputs:
        if isinstance(output, dict) and output.get("output_type") == "error":
            return f"{output.get('ename', 'Error')}: {str(output.get('evalue', ''))[:300]}"
    return None


def _judge(question: str, points: float, envelope: dict[str, Any] | None, cell_error: str | None) -> QuestionVerdict:
    from coursekit.checks import check
    from coursekit.checks.export import from_plain
    from coursekit.errors import CourseKitError

    if envelope is None:
        why = f"the test cell stopped before checking this answer ({cell_error})" if cell_error \
            else "no answer was exported for this question"
        return QuestionVerdict(question, points, 0.0, False, problem=why, feedback=[_no_answer_feedback(cell_error)])
    if "answer" not in envelope:
        reason = str(envelope.get("error", "the answer could not be exported"))[:500]
        return QuestionVerdict(question, points, 0.0, False, problem=reason, feedback=[reason])
    try:
        answer = from_plain(envelope["answer"], where=f"answer to {question}")
        result = check(question, answer, mode="grade")
    except CourseKitError as err:
        return QuestionVerdict(question, points, 0.0, True, envelope["answer"], [str(err)], problem=str(err))
    # the same rounding as coursekit.checks.grade() in a stock nbgrader run
    earned = 0.0 if result.manual else round(points * max(0.0, min(1.0, float(result.score))), 4)
    return QuestionVerdict(question, points, earned, True, envelope["answer"], list(result.feedback))


def _no_answer_feedback(cell_error: str | None) -> str:
    if cell_error:
        return (f"Your answer could not be checked because the test cell raised {cell_error.split(':')[0]}. "
                "Run your answer cell and then this cell, fix the error, and check again.")
    return "No answer was found for this question. Fill in the answer cell and run it."


def judge_cell(gid: str, source_text: str, max_points: float, outputs: list[dict[str, Any]]) -> CellVerdict:
    """Score one test cell from its exported answers (``source_text`` from the source notebook)."""
    from coursekit.checks import grade_calls

    calls = grade_calls(source_text)
    answers = exported_answers(outputs)
    error = _cell_error(outputs)
    verdicts = [_judge(qid, float(points), answers.get(qid), error) for qid, points in calls]
    total = round(sum(v.earned for v in verdicts), 6)
    return CellVerdict(gid, max_points, verdicts, round(min(max_points, total), 6))
