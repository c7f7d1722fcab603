"""``check`` and ``grade``: the two entry points quizzes, widgets and test cells call.

>>> check("core.deep-rotators", ["piriformis", "obturator internus"], mode="grade").score
0.3333333333333333
>>> r = check("core.deep-rotators", ["piriformis"])  # student mode, hidden question
>>> r.partial, "quadratus" in " ".join(r.feedback)
(True, False)

A graded question is judged on the instructor's side. In a student's environment only
its public form is installed, and the student-mode check of a graded question runs on
that public form even where the keys are loaded, so it tells a student whether an
answer has the right form and nothing about whether it is right.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import replace
from typing import Any

from coursekit import bank
from coursekit.checks.base import no_key_error
from coursekit.checks.export import MIME, envelope, plain_copy
from coursekit.checks.registry import checker_for
from coursekit.checks.result import Result
from coursekit.errors import ExportError, KeysElsewhereError, QuestionError  # noqa: F401 (KeysElsewhereError re-exported)
from coursekit.records import Question

__all__ = ["check", "grade", "Points", "MODE_ENV", "KeysElsewhereError"]

#: ``COURSEKIT_MODE=export`` makes :func:`grade` export the answer instead of checking it.
MODE_ENV = "COURSEKIT_MODE"
MODES = ("student", "grade")


def _question(question_id: Any) -> Question:
    if isinstance(question_id, Question):
        return question_id
    return bank.question(question_id)


def check(question_id: str | Question, answer: Any, mode: str = "student") -> Result:
    """Judge ``answer`` to a bank question.

    ``mode="student"`` (the default, in the student's kernel) runs the full check of an
    open question but only the visible checks of a hidden one; ``mode="grade"`` (the
    grader, outside the student's process) runs everything. The answer is first reduced
    to exact built-in values (:func:`coursekit.checks.export.plain_copy`), so both modes
    judge the same plain data.

    When the grader runs a notebook (``COURSEKIT_MODE=export``), a student-mode check
    judges nothing and needs no bank: the grader judges every answer itself, outside.
    """
    if mode not in MODES:
        raise QuestionError(f"check({question_id!r}, ...): mode must be one of {', '.join(MODES)}, not {mode!r}.")
    if mode == "student" and os.environ.get(MODE_ENV) == "export":
        return Result(0.0, ["This answer is checked by the grader."], ["export mode: not judged here"],
                      passed=False, question=str(question_id))
    q = _question(question_id)
    with warnings.catch_warnings():  # a library warning on stderr would cost the student the points in nbgrader
        warnings.simplefilter("ignore")
        try:
            plain = plain_copy(answer, where=f"question {q.id!r}")
        except (ExportError, RecursionError) as err:
            message = str(err) if isinstance(err, ExportError) else "the answer is nested too deeply; use a flat list or a table."
            return Result(0.0, [f"This answer cannot be checked: {message}"], ["export failed"], question=q.id)
        full = mode == "grade" or not (q.hidden or q.graded)
        if full and not q.has_key:
            raise no_key_error(q.id, "check(..., mode='grade')")
        if q.graded and not full:
            result = checker_for(q.kind).check(bank.student_view(q), plain, full=False)
        else:
            result = checker_for(q.kind).check(q, plain, full=full)
    return replace(result, question=q.id, partial=not full)


class Points:
    """What a graded test cell shows: text/plain is the points (nbgrader reads it), HTML the feedback."""

    def __init__(self, points: float, max_points: float, result: Result) -> None:
        self.points, self.max_points, self.result = points, max_points, result

    def __float__(self) -> float:
        return float(self.points)

    def __repr__(self) -> str:
        return repr(float(self.points))

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def _repr_html_(self) -> str:
        summary = f"<p><strong>{self.points:g} / {self.max_points:g} points</strong></p>"
        html = self.result.to_html()
        return html[: -len("</div>")] + summary + "</div>"

    def _repr_markdown_(self) -> str:
        return f"{self.result._repr_markdown_()}\n\n**{self.points:g} / {self.max_points:g} points**"


def grade(question_id: str, answer: Any, points: float) -> Points | None:
    """Called in nbgrader test cells; returns :class:`Points` (or exports, see below).

    By default it runs the full check and returns the awarded points (``points *
    score``, rounded to 4 places) with the feedback as HTML. Where the question's key is
    not loaded (a student's environment) it raises
    :class:`~coursekit.errors.KeysElsewhereError`, which says that grading happens on
    the instructor's side, and gives no score. With the environment
    variable ``COURSEKIT_MODE=export`` it checks nothing: it displays the answer as plain
    data (mime ``application/vnd.coursekit.answer+json``) for the grader and returns None.
    Nothing is written to stderr.
    """
    if os.environ.get(MODE_ENV) == "export":
        _display_export(question_id, answer)
        return None
    if type(points) not in (int, float) or not points >= 0:
        raise QuestionError(f"grade({question_id!r}, ...): points must be a number >= 0, not {points!r}.")
    q = _question(question_id)
    if not q.has_key:
        raise no_key_error(q.id, "grade(...)")
    result = check(q, answer, mode="grade")
    awarded = 0.0 if result.manual else round(points * result.score, 4)
    return Points(awarded, points, result)


def _display_export(question_id: str, answer: Any) -> None:
    from IPython.display import display

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = envelope(str(question_id) if type(question_id) is str else repr(question_id), answer)
    text = (f"coursekit: answer to {data['question']} saved for grading" if "answer" in data
            else f"coursekit: {data['error']}")
    display({MIME: data, "text/plain": text}, raw=True)
