"""Validate the fields of a ``kind: muscles`` question when the bank loads.

``expected`` lists muscle names (course names or aliases), or ``expected_from`` computes
them from the anatomy data so that facts live in one place::

    expected_from: {muscles_with: {hip: [extension, external_rotation]}}
    expected_from: {group: medial hamstrings}

``optional`` names muscles that earn nothing and cost nothing (disputed cases).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from coursekit import anatomy
from coursekit.checks import musclenames as mn
from coursekit.errors import CourseKitError

if TYPE_CHECKING:
    from coursekit.records import Question

__all__ = ["prepare_muscles", "expected_muscles"]


def _names(value: Any, field: str, fail: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(field, "must be a list of muscle names, e.g. [gluteus maximus, semitendinosus]")
    out = []
    for v in value:
        name = mn.canonical_name(v)
        if name is None:
            raise fail(field, f"{v!r} is not a course muscle; use a name from coursekit.anatomy.muscle_names()")
        out.append(name)
    return out


def expected_muscles(spec: Any, fail: Any) -> tuple[list[str], dict[str, list[str]] | None, str | None]:
    """Names computed from ``expected_from``, with the criterion or group they came from."""
    if isinstance(spec, str):
        spec = parse_call(spec, fail)
    if not isinstance(spec, dict) or len(spec) != 1 or next(iter(spec)) not in {"muscles_with", "group"}:
        raise fail("expected_from", "must be {muscles_with: {hip: [...], knee: [...]}} or {group: NAME}")
    (how, arg), = spec.items()
    try:
        if how == "group":
            if not isinstance(arg, str):
                raise fail("expected_from.group", "must be a group name, e.g. hamstrings")
            return anatomy.group(arg), None, arg
        if not isinstance(arg, dict) or not arg or set(arg) - {"hip", "knee"}:
            raise fail("expected_from.muscles_with", "must map hip and/or knee to a list of actions")
        criterion = {}
        for joint, acts in arg.items():
            if not isinstance(acts, list) or not all(isinstance(a, str) for a in acts):
                raise fail(f"expected_from.muscles_with.{joint}", "must be a list of actions, e.g. [extension]")
            criterion[joint] = [anatomy.Action(a).value if a in set(anatomy.Action) else _action(a, joint, fail) for a in acts]
        return anatomy.muscles_with(**criterion), criterion, None
    except CourseKitError as err:
        if getattr(err, "field", None):
            raise
        raise fail("expected_from", str(err)) from None


def parse_call(text: str, fail: Any) -> dict[str, Any]:
    """Read the call form ``anatomy.muscles_with(hip=[extension])`` / ``anatomy.group(hamstrings)``.

    >>> parse_call("anatomy.muscles_with(hip=[extension, external_rotation])", None)
    {'muscles_with': {'hip': ['extension', 'external_rotation']}}
    >>> parse_call("group('medial hamstrings')", None)
    {'group': 'medial hamstrings'}
    """
    import ast

    def word(node: ast.expr) -> str:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        raise ValueError(ast.dump(node))

    try:
        call = ast.parse(text.strip(), mode="eval").body
        if not isinstance(call, ast.Call):
            raise ValueError("not a call")
        func = call.func.attr if isinstance(call.func, ast.Attribute) else call.func.id  # type: ignore[attr-defined]
        if func == "group" and len(call.args) == 1 and not call.keywords:
            return {"group": word(call.args[0])}
        if func == "muscles_with" and not call.args:
            return {"muscles_with": {k.arg: [word(e) for e in k.value.elts] for k in call.keywords}}  # type: ignore[attr-defined]
        raise ValueError(func)
    except (SyntaxError, ValueError, AttributeError, TypeError):
        raise fail("expected_from", f"cannot read {text!r}; write e.g. anatomy.muscles_with(hip=[extension]) "
                   "or anatomy.group(hamstrings)") from None


def _action(text: str, joint: str, fail: Any) -> str:
    from coursekit import names

    found = names.match_action(text)
    if found is None:
        raise fail(f"expected_from.muscles_with.{joint}", f"unknown action {text!r}; use one of: {', '.join(anatomy.Action)}")
    return found


def prepare_muscles(q: Question, raw: Mapping[str, Any], fail: Any) -> Question:
    """Fill ``expected`` (canonical names, parts folded into wholes) and ``settings``."""
    if ("expected" in raw) == ("expected_from" in raw):
        raise fail("expected", "give exactly one of 'expected' (a list of muscles) or 'expected_from'")
    criterion, group = None, None
    if "expected" in raw:
        expected = _names(raw["expected"], "expected", fail)
    else:
        expected, criterion, group = expected_muscles(raw["expected_from"], fail)
    expected = list(mn.collapse(expected))
    optional = frozenset(_names(raw.get("optional", []), "optional", fail))
    if optional & set(expected):
        raise fail("optional", f"names {sorted(optional & set(expected))[0]!r}, which is also expected")
    optional -= mn.covers(expected)  # parts of an expected whole count as the whole anyway
    misconceptions = {}
    for key, text in q.misconceptions.items():
        canonical = mn.canonical_name(key) or f"'{key}'"
        if canonical in mn.covers(expected):
            raise fail("misconceptions", f"{key!r} is an expected answer; misconceptions explain wrong picks")
        misconceptions[canonical] = text
    examples = []
    for i, ex in enumerate(q.examples):
        (check, value), = ((k, v) for k, v in ex.items() if k != "feedback")
        name = mn.canonical_name(value) if isinstance(value, str) else None
        if name is None:
            raise fail(f"examples[{i}].{check}", f"{value!r} is not a course muscle")
        if (check == "includes") != (name in mn.covers(expected)):
            raise fail(f"examples[{i}].{check}", f"contradicts the expected answer ({name} is {'not ' if check == 'includes' else ''}expected)")
        examples.append({**ex, check: name})
    q = replace(q, expected=tuple(expected), misconceptions=misconceptions, examples=tuple(examples),
                settings={"optional": optional, "criterion": criterion, "group": group})
    if q.hidden:
        _no_leaks(q, fail)
    return q


def _no_leaks(q: Question, fail: Any) -> None:
    """Texts of a hidden question must not name an expected muscle (examples may, on purpose)."""
    public = {ex.get("includes") for ex in q.examples}
    secret = [e for e in q.expected if e not in public]
    texts = [("misconceptions", t) for t in q.misconceptions.values()]
    texts += [(f"examples[{i}].feedback", ex.get("feedback", "")) for i, ex in enumerate(q.examples)]
    for field, text in texts:
        for name in secret:
            if name.split(" (")[0] in text.lower():
                raise fail(field, f"mentions {name!r}, an expected answer of this hidden question; reword it")
