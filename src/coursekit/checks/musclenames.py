"""How typed muscle names count against an expected set, and why a wrong pick is wrong.

Reads names through :mod:`coursekit.names` and facts through :mod:`coursekit.anatomy`;
holds no facts of its own. Whole muscles and their parts count for each other: naming
``psoas major`` counts as ``iliopsoas`` when iliopsoas is expected, and naming
``adductor magnus`` counts as whichever of its parts the question expects.

>>> r = resolve("Semitendinosis")
>>> (r.status, r.names)
('muscle', ('semitendinosus',))
>>> resolve("biceps brachii").status
'outside'
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from coursekit import anatomy, names

__all__ = ["Typed", "resolve", "covers", "collapse", "part_of", "why_wrong", "canonical_name", "ACTION_VERBS"]

#: Words for actions in feedback ("does not extend the hip").
ACTION_VERBS = {
    "flexion": "flex the {joint}", "extension": "extend the {joint}", "abduction": "abduct the {joint}",
    "adduction": "adduct the {joint}", "external_rotation": "rotate the {joint} externally",
    "internal_rotation": "rotate the {joint} internally",
}
#: Longest text read as one muscle name.
MAX_NAME = 80


@dataclass(frozen=True)
class Typed:
    """One typed name: ``status`` is muscle, outside, group, ambiguous or unknown."""

    text: str
    status: str
    names: tuple[str, ...] = ()
    how: str = ""
    note: str = ""
    suggestion: str | None = None


@functools.lru_cache(maxsize=8192)
def resolve(text: str) -> Typed:
    """What one typed name refers to."""
    if len(text) > MAX_NAME:
        return Typed(text[:MAX_NAME] + "…", "unknown", note="too long to be a muscle name")
    detail = anatomy.match_muscle_detail(text)
    if detail.how == "outside course":
        return Typed(text, "outside", note=detail.note, how=detail.how)
    if detail.how == "group":
        return Typed(text, "group", detail.candidates, detail.how, detail.note)
    if detail.canonical:
        found = detail.candidates if detail.how == "whole muscle" else (detail.canonical,)
        return Typed(text, "muscle", tuple(found), detail.how, detail.note)
    if detail.how == "ambiguous":
        return Typed(text, "ambiguous", detail.candidates, detail.how, detail.note)
    return Typed(text, "unknown", note=detail.note, suggestion=detail.suggestion)


@functools.cache
def part_of() -> Mapping[str, str]:
    """part -> whole for muscles recorded both whole and in parts (psoas major -> iliopsoas)."""
    known = set(anatomy.muscle_names())
    return {m: g for m in known for g in anatomy.muscle(m).groups if g in known and g != m}


def covers(muscle_names: Iterable[str]) -> frozenset[str]:
    """The names themselves, their parts and the wholes they belong to."""
    parts = part_of()
    out = set(muscle_names)
    out |= {parts[n] for n in out if n in parts}
    out |= {p for p, whole in parts.items() if whole in out}
    return frozenset(out)


def collapse(expected: Iterable[str]) -> tuple[str, ...]:
    """Drop parts whose whole is expected too (iliopsoas, psoas major, iliacus -> iliopsoas)."""
    expected = list(dict.fromkeys(expected))
    parts = part_of()
    return tuple(n for n in expected if parts.get(n) not in expected)


def canonical_name(text: str) -> str | None:
    """The course name for a name written in a bank file (exact names and aliases only)."""
    detail = anatomy.match_muscle_detail(text)
    if detail.canonical and detail.how in {"exact", "alias"}:
        return detail.canonical
    if names.normalize(text) in {names.normalize(n) for n in anatomy.muscle_names()}:
        return next(n for n in anatomy.muscle_names() if names.normalize(n) == names.normalize(text))
    return None


def _join(words: list[str]) -> str:
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _label(action: str) -> str:
    return action.replace("_", " ")


def why_wrong(muscle: str, criterion: Mapping[str, list[str]] | None, group: str | None) -> str:
    """An explanation from the data of why ``muscle`` does not answer the question.

    >>> why_wrong("iliopsoas", {"hip": ["extension"]}, None)
    'iliopsoas does not extend the hip: its main hip action is flexion.'
    """
    record = anatomy.muscle(muscle)
    if group:
        return f"{muscle} is not one of the {group}: it belongs to the {_join(list(record.groups))}."
    if not criterion:
        acts = [_label(a) for a in record.actions("hip")] or ["none"]
        return f"{muscle} is not one of the muscles this question asks for (its hip actions: {', '.join(acts)})."
    lines = []
    for joint, wanted in criterion.items():
        has = [a.value for a in record.actions(joint)]
        lacking = [a for a in wanted if a not in has]
        if not lacking:
            continue
        verbs = " or ".join(ACTION_VERBS[a].format(joint=joint) for a in lacking)
        own = _join([_label(a) for a in has])
        main = f"its main {joint} action{'s are' if len(has) > 1 else ' is'} {own}" if has else f"it does not act on the {joint}"
        line = f"{muscle} does not {verbs}: {main}"
        special = [c for c in record.conditional if c.joint.value == joint and c.action.value in lacking]
        if special:
            c = special[0]
            if c.status.value == "disputed":
                line += f"; sources disagree on whether it can {ACTION_VERBS[c.action.value].format(joint=joint)}"
            else:
                line += f" ({_label(c.action.value)}: {c.status.value.replace('_', '-')}, {c.condition or 'in some positions'})"
        lines.append(line + ".")
    return " ".join(lines) or f"{muscle} is not one of the muscles this question asks for."
