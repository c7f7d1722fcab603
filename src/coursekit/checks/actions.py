"""Action and direction questions: "what does gluteus maximus do at the hip?".

Answers are read through :func:`coursekit.names.match_action` and
:func:`coursekit.names.match_tilt`, so synonyms count: lateral = external rotation,
medial = internal rotation, hyperextension = extension, "tips forward" = anterior tilt.
Several expected actions are scored like a muscle set (wrong picks cancel right ones).

>>> judge_actions("lateral rotation and hyperextension", ("extension", "external_rotation")).score
1.0
>>> judge_actions(["flexion"], ("extension",)).feedback[-1]
'Missing: extension.'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from coursekit import names
from coursekit.checks.base import Checker, register
from coursekit.checks.result import Result
from coursekit.checks.sets import plural, set_score, text_items

if TYPE_CHECKING:
    from coursekit.records import Question

__all__ = ["ActionChecker", "read_action", "judge_actions", "TILTS"]

TILTS = ("anterior_tilt", "posterior_tilt", "neutral")


def label(value: str) -> str:
    """``external_rotation`` -> ``external rotation``."""
    return value.replace("_", " ")


def read_action(text: str, tilt_first: bool = False) -> str | None:
    """The action or tilt a phrase names, or None.

    >>> read_action("Medial rotation"), read_action("backward tilt"), read_action("anterior", tilt_first=True)
    ('internal_rotation', 'posterior_tilt', 'anterior_tilt')
    """
    first, second = (names.match_tilt, names.match_action) if tilt_first else (names.match_action, names.match_tilt)
    if len(text) > 80:
        return None
    return first(text) or second(text)


def _items(answer: Any) -> tuple[list[str], list[str]]:
    if type(answer) is str:
        answer = re.split(r"[,;\n]+|\band\b|&|\+", answer)
    return text_items(answer, "actions", "['first action', 'second action']")


def judge_actions(answer: Any, expected: Iterable[str], *, hidden: bool = False,
                  misconceptions: Mapping[str, str] | None = None) -> Result:
    """Full check of a plain answer against expected action/tilt values."""
    expected = tuple(dict.fromkeys(expected))
    tilt_first = any(e in TILTS for e in expected)
    items, notes = _items(answer)
    if any(n.startswith("!") for n in notes):
        return Result(0.0, [n.lstrip("!") for n in notes], [f"expected: {', '.join(expected)}"])
    given, feedback = _read(items, tilt_first, notes)
    right = [g for g in given if g in expected]
    wrong = [g for g in given if g not in expected]
    missing = [e for e in expected if e not in given]
    score = set_score(len(right), len(wrong), len(expected))
    if len(expected) > 1 or wrong:
        feedback.append(f"{len(right)} of {plural(len(expected), 'action')} right"
                        + (f"; {plural(len(wrong), 'wrong one')}, and each cancels a right one." if wrong else "."))
    for w in wrong:
        why = (misconceptions or {}).get(w, "")
        feedback.append(f"Not right: {label(w)}. {why}".strip())
    if missing:
        feedback.append(f"{plural(len(missing), 'action is', 'actions are')} missing." if hidden
                        else f"Missing: {', '.join(label(m) for m in missing)}.")
    details = [f"expected: {', '.join(expected)}", f"read as: {', '.join(given) or '-'}",
               f"score = max(0, ({len(right)} - {len(wrong)}) / {len(expected)}) = {score:.3f}"]
    return Result(score, feedback, details)


def _read(items: list[str], tilt_first: bool, notes: list[str]) -> tuple[list[str], list[str]]:
    given: list[str] = []
    feedback = list(notes)
    for text in dict.fromkeys(items):
        value = read_action(text, tilt_first)
        if value is None:
            feedback.append(f"Could not read '{text[:80]}' as a movement, so it was not counted; "
                            "check the spelling against the movement words in the glossary.")
            continue
        if names.normalize_phrase(text) != label(value):
            feedback.append(f"Counted '{text}' as {label(value)}.")
        if value not in given:
            given.append(value)
    return given, feedback


def _value(text: Any, field: str, fail: Any) -> str:
    value = read_action(text) if isinstance(text, str) else None
    if value is None:
        raise fail(field, f"{text!r} is not an action or tilt; use e.g. extension, external_rotation, anterior_tilt")
    return value


@register
class ActionChecker(Checker):
    """``kind: action``: one or more joint actions or pelvic-tilt directions."""

    kind = "action"
    fields = frozenset({"expected"})
    example_keys = frozenset({"includes", "excludes"})
    form_fields = frozenset({"reads"})

    def public_form(self, question: Question) -> dict[str, Any]:
        return {"reads": "tilt" if any(e in TILTS for e in question.expected) else "movement"}

    def from_public(self, question: Question, form: Mapping[str, Any], fail: Any) -> Question:
        question = super().from_public(question, form, fail)
        if form.get("reads", "movement") not in ("tilt", "movement"):
            raise fail("form.reads", "must be tilt (a pelvic-tilt direction) or movement (a joint action)")
        return replace(question, settings={"reads": form.get("reads", "movement")})

    def prepare(self, question: Question, raw: Mapping[str, Any], fail: Any) -> Question:
        value = raw.get("expected")
        values = value if isinstance(value, list) else [value]
        if value is None or not values:
            raise fail("expected", "give the expected action(s), e.g. extension or [extension, external_rotation]")
        expected = tuple(dict.fromkeys(_value(v, "expected", fail) for v in values))
        misconceptions = {_value(k, "misconceptions", fail): v for k, v in question.misconceptions.items()}
        if set(misconceptions) & set(expected):
            raise fail("misconceptions", "explains an expected action; misconceptions explain wrong answers")
        examples = []
        for i, ex in enumerate(question.examples):
            (check, v), = ((k, x) for k, x in ex.items() if k != "feedback")
            act = _value(v, f"examples[{i}].{check}", fail)
            if (check == "includes") != (act in expected):
                raise fail(f"examples[{i}].{check}", "contradicts the expected answer")
            examples.append({**ex, check: act})
        if question.hidden:
            public = {ex.get("includes") for ex in examples}
            texts = [("misconceptions", t) for t in misconceptions.values()]
            texts += [(f"examples[{i}].feedback", ex.get("feedback", "")) for i, ex in enumerate(examples)]
            for field, text in texts:
                for e in expected:
                    if e not in public and re.search(rf"\b{re.escape(label(e))}\b", text.lower()):
                        raise fail(field, f"mentions {label(e)!r}, an expected answer of this hidden question; reword it")
        return replace(question, expected=expected, misconceptions=misconceptions, examples=tuple(examples))

    def full(self, question: Question, answer: Any) -> Result:
        return judge_actions(answer, question.expected, hidden=question.hidden, misconceptions=question.misconceptions)

    def visible(self, question: Question, answer: Any) -> Result:
        items, notes = _items(answer)
        tilt_first = any(e in TILTS for e in question.expected) if question.has_key else question.settings["reads"] == "tilt"
        given, notes = _read(items, tilt_first, notes)
        if not given and not any(n.startswith("!") for n in notes):
            notes.append("!Your answer names no movement yet; write it as text, using the movement words in the glossary.")
        checks = []
        for ex in question.examples:
            if "includes" in ex:
                checks.append((ex["includes"] in given, ex.get("feedback") or f"Your answer should include {label(ex['includes'])}."))
            else:
                checks.append((ex["excludes"] not in given, ex.get("feedback") or f"{label(ex['excludes'])} is not right here."))
        return self.visible_result(checks, notes, [f"visible checks only; read as: {', '.join(given) or '-'}"])
