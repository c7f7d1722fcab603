"""What the assignment builder needs from the question bank and the objectives list.

The bank itself belongs to :mod:`coursekit.bank`; this module only reads the fields an
assignment shows (prompt, kind, objective, options, rubric) into a small record, so the
rest of :mod:`coursekit.assignments` does not depend on the bank's internal classes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "QuestionInfo",
    "RubricItem",
    "MANUAL_KINDS",
    "question_info",
    "objectives",
]

#: Question kinds graded by hand in a Markdown cell.
MANUAL_KINDS = frozenset({"text", "manual"})


@dataclass(frozen=True)
class RubricItem:
    """One line of a manual question's rubric."""

    points: float
    criterion: str


@dataclass(frozen=True)
class QuestionInfo:
    """The parts of a bank question an assignment notebook shows or checks."""

    id: str
    kind: str
    prompt: str
    objective: str
    options: tuple[tuple[str, str], ...] = ()
    rubric: tuple[RubricItem, ...] = ()
    model_answer: str = ""

    @property
    def manual(self) -> bool:
        """True when the question is graded by hand (free text)."""
        return self.kind in MANUAL_KINDS


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _options(raw: Any) -> tuple[tuple[str, str], ...]:
    """Options as (key, text): accepts a mapping key -> text/record or a list of records."""
    if not raw:
        return ()
    if isinstance(raw, dict):
        items: Iterable[tuple[Any, Any]] = raw.items()
    else:
        items = ((_get(o, "key", _get(o, "id")), o) for o in raw)
    out = []
    for key, value in items:
        text = value if isinstance(value, str) else _get(value, "text", "")
        out.append((str(key), str(text)))
    return tuple(out)


def _rubric(raw: Any) -> tuple[RubricItem, ...]:
    if not raw:
        return ()
    items = []
    for r in raw:
        if isinstance(r, str):
            head, sep, rest = r.partition(":")
            number = head.split()[0] if head.split() else ""
            if sep and number.replace(".", "", 1).isdigit():
                items.append(RubricItem(float(number), rest.strip()))
            else:
                items.append(RubricItem(0.0, r))
        else:
            items.append(RubricItem(float(_get(r, "points", 0)), str(_get(r, "criterion", ""))))
    return tuple(items)


def question_info(question_id: str) -> QuestionInfo:
    """Look a question up in :mod:`coursekit.bank` (raises QuestionError when unknown)."""
    from coursekit import bank

    q = bank.question(question_id)
    settings = _get(q, "settings") or {}
    return QuestionInfo(
        id=str(_get(q, "id", question_id)),
        kind=str(_get(q, "kind", "")),
        prompt=str(_get(q, "prompt", "")).strip(),
        objective=str(_get(q, "objective", "")),
        options=_options(_get(q, "options")),
        rubric=_rubric(_get(q, "rubric") or _get(settings, "rubric")),
        model_answer=str(_get(q, "model_answer") or _get(settings, "model_answer") or "").strip(),
    )


def objectives() -> dict[str, str]:
    """Objective id -> text, from ``coursekit/data/objectives.csv``."""
    from coursekit import bank

    return {oid: o.text for oid, o in bank.objectives().items()}
