"""Free-text questions are graded by a person: never scored automatically.

>>> r = TextChecker().full(None, "Gluteus maximus extends the hip.")
>>> r.manual, r.score, r.passed
(True, 0.0, False)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from coursekit.checks.base import Checker, register
from coursekit.checks.result import Result

if TYPE_CHECKING:
    from coursekit.records import Question

__all__ = ["TextChecker"]


@register
class TextChecker(Checker):
    """``kind: text``: saved for manual review; a rubric for the grader may be given."""

    kind = "text"
    fields = frozenset({"rubric", "model_answer"})
    example_keys = frozenset({"min_words"})
    form_example_keys = frozenset({"min_words"})

    def from_public(self, question: Question, form: Mapping[str, Any], fail: Any) -> Question:
        question = super().from_public(question, form, fail)
        return replace(question, settings={"rubric": (), "model_answer": ""})

    def prepare(self, question: Question, raw: Mapping[str, Any], fail: Any) -> Question:
        rubric = raw.get("rubric", [])
        if not isinstance(rubric, list) or not all(_rubric_item(r) for r in rubric):
            raise fail("rubric", "must be a list of points the grader looks for: text, or {criterion: text, points: number}")
        model = raw.get("model_answer", "")
        if not isinstance(model, str):
            raise fail("model_answer", "must be text")
        for i, ex in enumerate(question.examples):
            if type(ex["min_words"]) is not int or ex["min_words"] < 0:
                raise fail(f"examples[{i}].min_words", "must be a whole number")
        return replace(question, settings={"rubric": tuple(rubric), "model_answer": model.strip()})

    def full(self, question: Question | None, answer: Any) -> Result:
        words = len(answer.split()) if type(answer) is str else 0
        rubric = list(question.settings["rubric"]) if question is not None else []
        feedback = (["Your answer is saved; your instructor will grade it."] if words
                    else ["There is no answer yet: write your answer as text."])
        if question is not None:
            feedback += [ex.get("feedback") or f"Write at least {ex['min_words']} words."
                         for ex in question.examples if words < ex["min_words"]]
        return Result(0.0, feedback, [f"{words} words", *(f"rubric: {_rubric_text(r)}" for r in rubric)], manual=True)

    def visible(self, question: Question, answer: Any) -> Result:
        return replace(self.full(question, answer), partial=True)


def _rubric_item(item: Any) -> bool:
    if isinstance(item, str):
        return bool(item.strip())
    return (isinstance(item, dict) and set(item) <= {"criterion", "points"} and isinstance(item.get("criterion"), str)
            and type(item.get("points", 0)) in (int, float) and item.get("points", 0) >= 0)


def _rubric_text(item: Any) -> str:
    if isinstance(item, str):
        return item
    return f"{item['criterion']} ({item.get('points', 0):g} points)"
