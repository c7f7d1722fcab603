"""The key and wrong answers *of the same form* for every graded question (instructor's side).

"The same form" means what the public form of the question asks: the same kind of
value, in the question's units, inside every visible range, with as many rows, items or
words as the key. Every wrong answer really is wrong (it earns less than the key when
graded with the keys), so a student-side difference would be a leak.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from typing import Any

import pandas as pd

from coursekit import anatomy
from coursekit.checks.actions import TILTS
from coursekit.checks.musclenames import covers
from coursekit.records import Question

MOVEMENTS = ("flexion", "extension", "abduction", "adduction", "external_rotation", "internal_rotation")


def _numbers(q: Question) -> Iterator[float]:
    e = float(q.expected)
    s = q.settings
    tol = max(s["tolerance"], s["rel_tolerance"] * abs(e))
    ranges = [ex["range"] for ex in q.examples if "range" in ex]
    lo = max([r[0] for r in ranges], default=e - 100)
    hi = min([r[1] for r in ranges], default=e + 100)
    span = hi - lo
    for step in (0.37, -0.37, 0.21, -0.21, 0.45, -0.45):
        v = round(e + step * span, 3)
        if not lo <= v <= hi or abs(v - e) <= 3 * tol + 1e-9 or abs(-v - e) <= 3 * tol + 1e-9:
            continue
        if abs(math.degrees(v) - e) <= 3 * tol or abs(math.radians(v) - e) <= 3 * tol:
            continue
        yield v


def _with_units(q: Question, value: float) -> list[Any]:
    units = q.settings.get("units")
    return [value, f"{value} {units}"] if units in ("deg", "rad") else [value]


def _muscle_lists(q: Question) -> Iterator[list[str]]:
    key = list(q.expected)
    taken = covers(key)
    others = [m for m in anatomy.muscle_names() if m not in taken and not covers([m]) & taken]
    yield others[: len(key)]
    yield [others[-1], *key[1:]]
    yield list(reversed(others))[: len(key)]


def _frames(q: Question) -> Iterator[pd.DataFrame]:
    key = q.settings["key"]
    frame = q.expected.reset_index(drop=True)
    for column in [c for c in frame.columns if c != key]:
        changed = frame.copy()
        values = list(dict.fromkeys(frame[column].tolist()))
        if frame[column].dtype == bool:
            changed.loc[0, column] = not frame.loc[0, column]
        elif pd.api.types.is_numeric_dtype(frame[column]):
            changed.loc[0, column] = frame.loc[0, column] + 7
        else:
            shifted = {v: values[(i + 1) % len(values)] for i, v in enumerate(values)} if len(values) > 1 else {}
            changed[column] = [shifted.get(v, f"{v}x") for v in frame[column]]
        yield changed


def answers(q: Question) -> list[tuple[str, Any]]:
    """(label, answer): the key first, then wrong answers of the same form."""
    out: list[tuple[str, Any]] = []
    if q.kind == "number":
        out += [("key", a) for a in _with_units(q, float(q.expected))]
        out += [(f"wrong {v}", a) for v in itertools.islice(_numbers(q), 3) for a in _with_units(q, v)]
    elif q.kind == "choice":
        out += [("key", next(o.key for o in q.options if o.correct))] + [(f"wrong {o.key}", o.key) for o in q.options if not o.correct]
    elif q.kind == "multichoice":
        right = sorted(o.key for o in q.options if o.correct)
        out.append(("key", right))
        combos = [list(c) for c in itertools.combinations(sorted(o.key for o in q.options), len(right)) if list(c) != right]
        out += [(f"wrong {c}", c) for c in combos[:4]]
    elif q.kind == "muscles":
        out += [("key", list(q.expected))] + [(f"wrong {w}", w) for w in _muscle_lists(q)]
    elif q.kind == "action":
        pool = TILTS if any(e in TILTS for e in q.expected) else MOVEMENTS
        key = [e.replace("_", " ") for e in q.expected]
        out.append(("key", key[0] if len(key) == 1 else key))
        wrong = [list(c) for c in itertools.combinations(list(pool), len(key)) if set(c) != set(q.expected)]
        out += [(f"wrong {w}", w[0].replace("_", " ") if len(w) == 1 else [x.replace("_", " ") for x in w])
                for w in wrong[:4]]
    elif q.kind == "table":
        out += [("key", q.expected.copy())] + [(f"wrong {i}", f) for i, f in enumerate(_frames(q))]
    elif q.kind == "text":
        model = q.settings.get("model_answer") or "gluteus maximus extends the hip and turns it out"
        n = len(model.split())
        out += [("key", model), ("wrong", " ".join(["pelvis"] * n))]
    return out
