"""Run by the *student's* python (a venv with only the wheel): try every public entry point.

Reads ``{"questions": {id: points}, "answers": [[id, label, plain answer], ...]}`` as JSON
on stdin and prints JSON: what each graded question looks like from here, and what every
entry point gives for every answer. Nothing here knows a key; the test that runs it does.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def describe(result: Any) -> list[Any]:
    return [result.score, result.passed, result.partial, result.manual, list(result.feedback), list(result.details),
            result.headline, str(result), result.to_html(details=True), result._repr_markdown_(), result._repr_html_()]


def attempt(call: Any) -> list[Any]:
    try:
        value = call()
    except Exception as err:  # noqa: BLE001 - the probe records whatever happens
        return [type(err).__name__, str(err)]
    return ["returned", repr(value), getattr(value, "_repr_html_", lambda: None)()]


def facts(qid: str) -> dict[str, Any]:
    from coursekit import bank
    from coursekit.checks.export import to_plain

    q = bank.question(qid)
    return {"kind": q.kind, "graded": q.graded, "has_key": q.has_key, "hidden": q.hidden,
            "expected": repr(q.expected), "options": [[o.key, o.text, o.correct, o.feedback] for o in q.options],
            "settings": to_plain(dict(q.settings)), "misconceptions": dict(q.misconceptions),
            "explanation": q.explanation, "examples": to_plain(list(q.examples)), "public": q.public(),
            "source": q.source, "student_view_is_self": bank.student_view(q) is q}


def observe(qid: str, answer: Any, points: float) -> dict[str, Any]:
    from coursekit import bank, checks
    from coursekit.checks import check, check_answer, checker_for, grade

    q = bank.question(qid)
    untyped: Any = q  # grade() is typed for question ids; the probe also hands it the question object
    shown = check_answer(qid, answer, points)
    return {
        "check": describe(check(qid, answer)),
        "check_student": describe(check(qid, answer, mode="student")),
        "check_question_object": describe(check(q, answer)),
        "check_grade": attempt(lambda: check(qid, answer, mode="grade")),
        "check_answer": [repr(shown), shown._repr_html_(), shown.passed, shown.points, describe(shown.result)],
        "grade": attempt(lambda: grade(qid, answer, points)),
        "grade_module": attempt(lambda: checks.grade(untyped, answer, points)),
        "checker_visible": attempt(lambda: describe(checker_for(q.kind).check(q, answer, full=False))),
        "checker_full": attempt(lambda: describe(checker_for(q.kind).check(q, answer, full=True))),
    }


def main() -> None:
    import coursekit
    from coursekit.checks.export import from_plain

    request = json.load(sys.stdin)
    out: dict[str, Any] = {"package": os.path.dirname(coursekit.__file__), "cwd": os.getcwd(),
                           "facts": {qid: facts(qid) for qid in request["questions"]}, "observed": []}
    for qid, label, plain in request["answers"]:
        answer = from_plain(plain)
        out["observed"].append([qid, label, observe(qid, answer, request["questions"][qid])])
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
