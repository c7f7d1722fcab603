"""Number and angle questions: tolerance, degrees vs radians, stated sign conventions.

>>> s = {"tolerance": 2.0, "units": "deg", "sign": "hip flexion positive, extension negative",
...      "rel_tolerance": 0.0, "wrong_unit_credit": 0.0, "wrong_sign_credit": 0.0}
>>> judge_number(-19.0, -20.0, s).score
1.0
>>> judge_number(-0.349, -20.0, s).feedback[0]
'Right value in the wrong unit: -0.349 rad is -20°, and this question asks for degrees.'
>>> judge_number(20.0, -20.0, s).feedback[0]
'Right size, wrong sign. The convention here: hip flexion positive, extension negative.'
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from coursekit.checks.base import Checker, register
from coursekit.checks.result import Result

if TYPE_CHECKING:
    from coursekit.records import Question

__all__ = ["NumberChecker", "judge_number", "read_number"]

_UNITS = {"deg": "deg", "degree": "deg", "degrees": "deg", "°": "deg", "rad": "rad", "radian": "rad", "radians": "rad"}
_NUMBER = re.compile(r"^\s*([-+−]?\s*(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(°|[a-zA-Z]+)?\s*$")
_SYMBOL = {"deg": "°", "rad": " rad"}


def read_number(answer: Any) -> tuple[float | None, str | None, str]:
    """(value, unit written with it, problem) for a plain answer.

    >>> read_number("30°"), read_number("0.5 rad"), read_number(True)[2][:20]
    ((30.0, 'deg', ''), (0.5, 'rad', ''), 'Give a number, not T')
    """
    kind = type(answer)
    if kind is bool:
        return None, None, "Give a number, not True/False."
    if kind in (int, float):
        value = float(answer)
        if not math.isfinite(value):
            return None, None, f"{answer} is not a finite number; check the calculation that produced it."
        return value, None, ""
    if kind is str:
        match = _NUMBER.match(answer[:100])
        if match:
            unit = match.group(2)
            norm = _UNITS.get(unit.lower()) if unit else None
            if unit and norm is None:
                return float(match.group(1).replace("−", "-").replace(" ", "")), unit, ""
            return float(match.group(1).replace("−", "-").replace(" ", "")), norm, ""
        return None, None, f"Could not read {answer[:40]!r} as a number; write a number, with its unit as text if you like (e.g. '<number> deg')."
    return None, None, f"Give one number (got {kind.__name__})."


def _fmt(x: float) -> str:
    return f"{x:.4g}" if abs(x) < 1000 else f"{x:.1f}"


def _close(x: float, target: float, s: Mapping[str, Any]) -> bool:
    return abs(x - target) <= max(s["tolerance"], s["rel_tolerance"] * abs(target)) + 1e-12


def _convert(x: float, src: str, dst: str) -> float:
    return math.radians(x) if (src, dst) == ("deg", "rad") else math.degrees(x) if (src, dst) == ("rad", "deg") else x


def judge_number(answer: Any, expected: float, settings: Mapping[str, Any], *, hidden: bool = False) -> Result:
    """Full check of a plain answer against ``expected`` (in the question's units)."""
    units, sign = settings.get("units"), settings.get("sign")
    value, unit, problem = read_number(answer)
    details = [f"expected: {expected} {units or ''} ± {settings['tolerance']}".rstrip()]
    if value is None:
        return Result(0.0, [problem], details)
    feedback = []
    if unit and units and unit != units:
        if {unit, units} <= {"deg", "rad"}:
            converted = _convert(value, unit, units)
            feedback.append(f"Counted {_fmt(value)}{_SYMBOL[unit]} as {_fmt(converted)}{_SYMBOL[units]}.")
            value = converted
        else:
            return Result(0.0, [f"This question asks for {units}, not {unit}."], details)
    details.append(f"read: {value}")
    if _close(value, expected, settings):
        return Result(1.0, feedback + ["Right."], details)
    if units in _SYMBOL and unit is None:
        other = "rad" if units == "deg" else "deg"
        if _close(_convert(value, other, units), expected, settings):
            word = "degrees" if units == "deg" else "radians"
            feedback.append(f"Right value in the wrong unit: {_fmt(value)}{_SYMBOL[other]} is "
                            f"{_fmt(_convert(value, other, units))}{_SYMBOL[units]}, and this question asks for {word}.")
            return Result(settings["wrong_unit_credit"], feedback, details + ["wrong unit"], passed=False)
    if sign and expected != 0 and _close(-value, expected, settings):
        feedback.append(f"Right size, wrong sign. The convention here: {sign}.")
        return Result(settings["wrong_sign_credit"], feedback, details + ["wrong sign"], passed=False)
    if hidden:
        feedback.append("Not within the accepted range.")
    else:
        tol = max(settings["tolerance"], settings["rel_tolerance"] * abs(expected))
        feedback.append(f"Not right: expected {_fmt(expected)}{(_SYMBOL.get(units, ' ' + units) if units else '')}"
                        + (f" (± {_fmt(tol)})" if tol else "") + f", got {_fmt(value)}.")
    return Result(0.0, feedback, details)


def _number(raw: Mapping[str, Any], name: str, fail: Any, default: float | None = None, *, low: float | None = None, high: float | None = None) -> float:
    value = raw.get(name, default)
    if type(value) not in (int, float) or not math.isfinite(value):
        raise fail(name, f"must be a finite number, not {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        raise fail(name, f"must lie between {low} and {high}")
    return float(value)


@register
class NumberChecker(Checker):
    """``kind: number``: a value with a tolerance, optional units and a sign convention."""

    kind = "number"
    fields = frozenset({"expected", "tolerance", "rel_tolerance", "units", "sign", "wrong_unit_credit", "wrong_sign_credit"})
    example_keys = frozenset({"range"})
    form_example_keys = frozenset({"range"})
    form_fields = frozenset({"units", "sign"})

    def public_form(self, question: Question) -> dict[str, Any]:
        return {k: question.settings[k] for k in ("units", "sign") if question.settings.get(k)}

    def from_public(self, question: Question, form: Mapping[str, Any], fail: Any) -> Question:
        question = super().from_public(question, form, fail)
        units = form.get("units")
        if units is not None and (not isinstance(units, str) or not units.strip()):
            raise fail("form.units", "must be a unit such as deg, rad or cm")
        if form.get("sign") is not None and not isinstance(form["sign"], str):
            raise fail("form.sign", "must state the sign convention in words")
        units = _UNITS.get(units.strip().lower(), units.strip()) if units else None
        return replace(question, settings={"units": units, "sign": form.get("sign")})

    def prepare(self, question: Question, raw: Mapping[str, Any], fail: Any) -> Question:
        expected = _number(raw, "expected", fail)
        units = raw.get("units")
        if units is not None and (not isinstance(units, str) or not units.strip()):
            raise fail("units", "must be a unit such as deg, rad or cm")
        units = _UNITS.get(units.strip().lower(), units.strip()) if units else None
        sign = raw.get("sign")
        if sign is not None and not isinstance(sign, str):
            raise fail("sign", "must state the sign convention in words, e.g. 'anterior tilt positive'")
        settings = {
            "tolerance": _number(raw, "tolerance", fail, 0.0, low=0.0),
            "rel_tolerance": _number(raw, "rel_tolerance", fail, 0.0, low=0.0, high=1.0),
            "units": units, "sign": sign,
            "wrong_unit_credit": _number(raw, "wrong_unit_credit", fail, 0.0, low=0.0, high=1.0),
            "wrong_sign_credit": _number(raw, "wrong_sign_credit", fail, 0.0, low=0.0, high=1.0),
        }
        if question.misconceptions:
            raise fail("misconceptions", "is not used by number questions; explain common slips in 'explanation'")
        for i, ex in enumerate(question.examples):
            rng = ex["range"]
            if not isinstance(rng, list) or len(rng) != 2 or not all(type(v) in (int, float) for v in rng) or not rng[0] <= expected <= rng[1]:
                raise fail(f"examples[{i}].range", "must be [low, high] around the expected value")
        return replace(question, expected=expected, settings=settings)

    def full(self, question: Question, answer: Any) -> Result:
        return judge_number(answer, question.expected, question.settings, hidden=question.hidden)

    def visible(self, question: Question, answer: Any) -> Result:
        value, unit, problem = read_number(answer)
        if value is None:
            return self.visible_result([], ["!" + problem], ["visible checks only"])
        units = question.settings["units"]
        if unit and units and {unit, units} <= {"deg", "rad"}:
            value = _convert(value, unit, units)
        checks = [(ex["range"][0] <= value <= ex["range"][1],
                   ex.get("feedback") or f"{_fmt(value)} is outside the plausible range; check your calculation and units.")
                  for ex in question.examples]
        return self.visible_result(checks, [], [f"visible checks only; read: {value}"])
