"""Single- and multiple-choice questions with feedback on each option.

The student answers with an option's key (``"b"``) or its text; for multiple choice, a
list of them (or ``"a, c"``). Each chosen option's own feedback is shown.

>>> from coursekit.records import Option
>>> opts = (Option("a", "Flexion", False, "That is iliopsoas."), Option("b", "Extension", True, "Yes."))
>>> r = judge_choice("B", opts, multiple=False)
>>> r.score, r.feedback
(1.0, ['(b) Extension: Yes.'])
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from coursekit.checks.base import Checker, register
from coursekit.checks.result import Result
from coursekit.checks.sets import plural, set_score, text_items
from coursekit.records import Option

if TYPE_CHECKING:
    from coursekit.records import Question

__all__ = ["ChoiceChecker", "MultiChoiceChecker", "judge_choice", "pick"]


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def pick(text: str, options: tuple[Option, ...]) -> Option | None:
    """The option a typed key or text names, or None.

    >>> pick(" (A) ", (Option("a", "Hip flexion", False),)).text
    'Hip flexion'
    """
    key = _norm(text)
    for option in options:
        if key in {_norm(option.key), _norm(option.text)}:
            return option
    return None


def _label(option: Option) -> str:
    return f"({option.key}) {option.text.rstrip('.')}"


def _chosen(answer: Any, options: tuple[Option, ...], multiple: bool) -> tuple[list[Option], list[str]]:
    if multiple:
        items, notes = text_items(answer, "option keys", "['a', 'c']")
    elif type(answer) is str:
        items, notes = [answer], []
    elif type(answer) is list and len(answer) == 1 and type(answer[0]) is str:
        items, notes = [answer[0]], []
    else:
        keys = ", ".join(repr(o.key) for o in options)
        return [], [f"!Choose one option and give its key as text: one of {keys}."]
    chosen: list[Option] = []
    for text in items:
        option = pick(text, options)
        if option is None:
            notes.append(f"'{text[:60]}' is not one of the options ({', '.join(o.key for o in options)}), so it was not counted.")
        elif option not in chosen:
            chosen.append(option)
    return chosen, notes


def judge_choice(answer: Any, options: tuple[Option, ...], *, multiple: bool, hidden: bool = False) -> Result:
    """Full check of a plain answer against the options' ``correct`` flags."""
    chosen, notes = _chosen(answer, options, multiple)
    correct = [o for o in options if o.correct]
    details = [f"correct: {', '.join(o.key for o in correct)}", f"chosen: {', '.join(o.key for o in chosen) or '-'}"]
    if any(n.startswith("!") for n in notes):
        return Result(0.0, [n.lstrip("!") for n in notes], details)
    feedback = list(notes)
    feedback += [f"{_label(o)}: {o.feedback}" if o.feedback else f"{_label(o)}: {'right' if o.correct else 'not right'}."
                 for o in chosen]
    right = [o for o in chosen if o.correct]
    wrong = [o for o in chosen if not o.correct]
    if not multiple:
        if not chosen:
            feedback.append("Choose one of the options.")
        return Result(1.0 if right and len(chosen) == 1 else 0.0, feedback, details)
    score = set_score(len(right), len(wrong), len(correct))
    missed = [o for o in correct if o not in chosen]
    feedback.append(f"{len(right)} of {plural(len(correct), 'right option')} chosen"
                    + (f"; {plural(len(wrong), 'wrong one')}, and each cancels a right one." if wrong else "."))
    if missed:
        feedback.append(f"{plural(len(missed), 'right option is', 'right options are')} missing." if hidden
                        else f"Also right: {'; '.join(_label(o) for o in missed)}.")
    return Result(score, feedback, details + [f"score = {score:.3f}"])


def _options(raw: Mapping[str, Any], fail: Any, multiple: bool) -> tuple[Option, ...]:
    value = raw.get("options")
    if not isinstance(value, list) or len(value) < 2:
        raise fail("options", "must list at least two options, each {text: ..., correct: true/false, feedback: ...}")
    out = []
    for i, item in enumerate(value):
        where = f"options[{i}]"
        if not isinstance(item, dict) or set(item) - {"key", "text", "correct", "feedback"} or "text" not in item:
            raise fail(where, "must be a mapping with 'text' and optional 'key', 'correct', 'feedback'")
        key = item.get("key", string.ascii_lowercase[i] if i < 26 else str(i + 1))
        text, feedback, correct = item["text"], item.get("feedback", ""), item.get("correct", False)
        if not isinstance(key, str | int) or not isinstance(text, str) or not isinstance(feedback, str) or type(correct) is not bool:
            raise fail(where, "key and text must be text, correct true or false, feedback text")
        out.append(Option(str(key), text.strip(), correct, feedback.strip()))
    keys, texts = [_norm(o.key) for o in out], [_norm(o.text) for o in out]
    if (len(set(keys)) < len(keys) or len(set(texts)) < len(texts)
            or any(k == t for i, k in enumerate(keys) for j, t in enumerate(texts) if i != j)):
        raise fail("options", "two options share a key or a text; each must be unique")
    n_correct = sum(bool(o.correct) for o in out)
    if (n_correct != 1 and not multiple) or (multiple and n_correct < 1):
        raise fail("options", "a choice question needs exactly one correct option" if not multiple
                   else "a multichoice question needs at least one correct option")
    return tuple(out)


@register
class ChoiceChecker(Checker):
    """``kind: choice``: exactly one right option."""

    kind = "choice"
    fields = frozenset({"options"})
    multiple = False

    def prepare(self, question: Question, raw: Mapping[str, Any], fail: Any) -> Question:
        if question.misconceptions:
            raise fail("misconceptions", "choice questions give feedback on each option instead ('feedback' under options)")
        options = _options(raw, fail, self.multiple)
        return replace(question, options=options, expected=tuple(o.key for o in options if o.correct))

    def full(self, question: Question, answer: Any) -> Result:
        return judge_choice(answer, question.options, multiple=self.multiple, hidden=question.hidden)

    def visible(self, question: Question, answer: Any) -> Result:
        chosen, notes = _chosen(answer, question.options, self.multiple)
        if not chosen and not any(n.startswith("!") for n in notes):
            notes.append("!Choose " + ("at least one option." if self.multiple else "one of the options."))
        return self.visible_result([], notes, [f"visible checks only; chosen: {', '.join(o.key for o in chosen) or '-'}"])


@register
class MultiChoiceChecker(ChoiceChecker):
    """``kind: multichoice``: any number of right options; wrong picks cancel right ones."""

    kind = "multichoice"
    multiple = True
