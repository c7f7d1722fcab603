"""Muscle-set questions: "which muscles both extend the hip and rotate it externally?".

Every right muscle earns ``1/len(expected)``, every wrong one costs as much (never below
zero), so listing every muscle earns nothing. Names are read through
:mod:`coursekit.names` (misspellings, aliases, siblings never confused); the feedback
says how each spelling was counted, how many muscles are missing, and why a wrong pick
is wrong. For hidden questions it never names a missing muscle.

>>> r = check_muscles(["Gluteus maximus", "semitendinosis", "iliopsoas"],
...                   ["gluteus maximus", "semitendinosus", "semimembranosus"])
>>> round(r.score, 3)
0.333
>>> r.feedback[0]
"Counted 'semitendinosis' as semitendinosus."
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coursekit import anatomy
from coursekit.checks import musclenames as mn
from coursekit.checks.base import Checker, register
from coursekit.checks.result import Result
from coursekit.checks.sets import plural, set_score, text_items

if TYPE_CHECKING:
    from coursekit.records import Question

__all__ = ["MusclesChecker", "check_muscles", "judge"]

_EXAMPLE = "['first muscle', 'second muscle']"  # names no real muscle: hidden keys stay hidden


@dataclass
class _Tally:
    correct: set[str]
    wrong: dict[str, str]  # wrong name -> reason
    neutral: set[str]
    notes: list[str]
    given: set[str]  # every course muscle the answer names (for visible checks)


def _tally(answer: Any, expected: tuple[str, ...], optional: frozenset[str], hidden: bool) -> _Tally:
    items, notes = text_items(answer, "muscle names", _EXAMPLE)
    t = _Tally(set(), {}, set(), list(notes), set())
    for text in dict.fromkeys(items):
        typed = mn.resolve(text)
        if typed.status == "muscle":
            _count(t, typed, expected, optional)
        elif typed.status == "outside":
            t.wrong.setdefault(f"'{text}'", typed.note[:1].upper() + typed.note[1:] + ".")
        elif typed.status in {"group", "ambiguous"}:
            kind = "a group" if typed.status == "group" else "more than one muscle"
            detail = f"'{text}' names {kind}; name the muscles one by one." if hidden else typed.note[:1].upper() + typed.note[1:] + "."
            t.notes.append(detail + " It was not counted.")
        else:
            hint = f" Did you mean {typed.suggestion}?" if typed.suggestion and not hidden else ""
            t.notes.append(f"Could not recognise '{typed.text}', so it was not counted.{hint} "
                           "The names the course uses: coursekit.anatomy.muscle_names().")
    return t


def _count(t: _Tally, typed: mn.Typed, expected: tuple[str, ...], optional: frozenset[str]) -> None:
    reach = mn.covers(typed.names)
    t.given |= reach
    hits = [e for e in expected if e in reach]
    if hits:
        new = [h for h in hits if h not in t.correct]
        t.correct |= set(hits)
        if new and (typed.how not in {"exact"} or set(hits) != set(typed.names)):
            as_what = " and ".join(hits)
            if set(hits) != set(typed.names) and typed.how != "whole muscle":
                as_what += f" ({typed.names[0]} is part of it)" if typed.names[0] in mn.part_of() else ""
            t.notes.append(f"Counted '{typed.text}' as {as_what}.")
    elif reach & optional:
        t.neutral |= reach & optional
    else:
        name = typed.names[0]
        if typed.how != "exact" and name not in t.wrong:
            t.notes.append(f"Read '{typed.text}' as {name}.")
        t.wrong.setdefault(name, "")


def judge(answer: Any, expected: Iterable[str], *, hidden: bool = False, optional: Iterable[str] = (),
          misconceptions: Mapping[str, str] | None = None, criterion: Mapping[str, list[str]] | None = None,
          group: str | None = None) -> Result:
    """The full check of a plain answer against canonical ``expected`` names."""
    expected = mn.collapse(expected)
    t = _tally(answer, expected, frozenset(optional), hidden)
    if any(n.startswith("!") for n in t.notes):
        return Result(0.0, [n.lstrip("!") for n in t.notes], [f"expected: {', '.join(expected)}"])
    missing = [e for e in expected if e not in t.correct]
    score = set_score(len(t.correct), len(t.wrong), len(expected))
    feedback = list(t.notes)
    summary = f"{len(t.correct)} of {plural(len(expected), 'muscle')} right"
    if t.wrong:
        summary += f"; {plural(len(t.wrong), 'wrong pick')}, and each wrong pick cancels a right one"
    feedback.append(summary + ".")
    for name, reason in sorted(t.wrong.items()):
        why = reason or (misconceptions or {}).get(name) or mn.why_wrong(name, criterion, group)
        feedback.append(f"Not right: {why}" if why.startswith(name) else f"Not right: {name.strip(chr(39))}. {why}")
    if missing:
        feedback.append(f"{plural(len(missing), 'muscle is', 'muscles are')} missing." if hidden
                        else f"Missing: {', '.join(missing)}.")
    details = [f"expected: {', '.join(expected)}", f"right: {', '.join(sorted(t.correct)) or '-'}",
               f"wrong: {', '.join(sorted(t.wrong)) or '-'}", f"missing: {', '.join(missing) or '-'}",
               f"score = max(0, ({len(t.correct)} - {len(t.wrong)}) / {len(expected)}) = {score:.3f}"]
    if t.neutral:
        details.append(f"accepted, not counted: {', '.join(sorted(t.neutral))}")
    return Result(score, feedback, details)


def check_muscles(answer: Any, expected: Iterable[str], *, hidden: bool = False, optional: Iterable[str] = (),
                  misconceptions: Mapping[str, str] | None = None) -> Result:
    """Check a list of muscle names against ``expected`` (any names :mod:`coursekit.names` reads).

    The answer goes through :func:`coursekit.checks.export.plain_copy` first, so lying
    objects are judged by the values they really hold.
    """
    from coursekit.checks.export import plain_copy
    from coursekit.errors import ExportError

    canon = [anatomy.muscle(e).name for e in expected]
    try:
        plain = plain_copy(answer)
    except ExportError as err:
        return Result(0.0, [str(err)], ["answer could not be exported"])
    return judge(plain, canon, hidden=hidden, optional=[anatomy.muscle(o).name for o in optional],
                 misconceptions=_misconception_keys(misconceptions or {}))


def _misconception_keys(raw: Mapping[str, str]) -> dict[str, str]:
    return {(mn.canonical_name(k) or f"'{k}'"): v for k, v in raw.items()}


@register
class MusclesChecker(Checker):
    """``kind: muscles``: a set of muscle names, with partial credit and penalties."""

    kind = "muscles"
    fields = frozenset({"expected", "expected_from", "optional"})
    example_keys = frozenset({"includes", "excludes"})

    def prepare(self, question: Question, raw: Mapping[str, Any], fail: Any) -> Question:
        from coursekit.checks.muscleprep import prepare_muscles

        return prepare_muscles(question, raw, fail)

    def full(self, question: Question, answer: Any) -> Result:
        s = question.settings
        return judge(answer, question.expected, hidden=question.hidden, optional=s["optional"],
                     misconceptions=question.misconceptions, criterion=s.get("criterion"), group=s.get("group"))

    def visible(self, question: Question, answer: Any) -> Result:
        if question.has_key:
            t = _tally(answer, question.expected, question.settings["optional"], hidden=True)
        else:  # the public form of a graded question: every name is read the same way
            t = _tally(answer, (), frozenset(), hidden=True)
        checks = []
        for ex in question.examples:
            name = ex["includes"] if "includes" in ex else ex["excludes"]
            if "includes" in ex:
                checks.append((name in t.given, ex.get("feedback") or f"Your list should include {name}."))
            else:
                why = question.misconceptions.get(name, "")
                checks.append((name not in t.given, ex.get("feedback") or f"{name} does not belong in this list. {why}".strip()))
        notes = [n for n in t.notes if question.has_key is False or not n.startswith("Read ")]
        if not t.given and not t.wrong and not any(n.startswith("!") for n in notes):
            notes.append("!Your answer names no course muscle yet; write the muscle names as a list, e.g. " + _EXAMPLE + ".")
        return self.visible_result(checks, notes, [f"visible checks only; named: {', '.join(sorted(t.given)) or '-'}"])
