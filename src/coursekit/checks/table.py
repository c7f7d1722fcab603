"""Table questions: DataFrames compared ignoring row order and harmless dtype differences.

Cells match when they hold the same number (``1 == 1.0``, within ``tolerance``), the same
text (case and spacing aside) or are both missing. Each expected row must be found once;
extra rows cancel matched ones, as with muscle sets. The feedback is a readable diff.

>>> import pandas as pd
>>> want = pd.DataFrame({"name": ["iliacus", "sartorius"], "crosses_knee": [False, True]})
>>> got = pd.DataFrame({"name": ["Sartorius", "iliacus"], "crosses_knee": [1, 2]})
>>> r = judge_table(got, want, {"key": "name", "tolerance": 1e-9, "extra_columns": True})
>>> r.score, r.feedback[-1]
(0.0, "Row 'iliacus': column 'crosses_knee' should be False, not 2.")
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pandas as pd

from coursekit import anatomy
from coursekit.checks.base import Checker, register
from coursekit.checks.result import Result
from coursekit.checks.sets import plural, set_score

if TYPE_CHECKING:
    from coursekit.records import Question

__all__ = ["TableChecker", "judge_table", "cell_key"]

MAX_ROWS = 2000


def cell_key(value: Any) -> Any:
    """A comparable form of a cell: None for missing, float for numbers, folded text.

    >>> cell_key(" Gluteus  Maximus "), cell_key(2), cell_key(float("nan")), cell_key(True)
    ('gluteus maximus', 2.0, None, 1.0)
    """
    if value is None or value is pd.NA or (type(value) is float and math.isnan(value)):
        return None
    if type(value) in (bool, int, float):
        return float(value)
    if type(value) is str:
        return " ".join(value.split()).casefold()
    return ("other", repr(value))


def _same(a: Any, b: Any, tol: float) -> bool:
    if type(a) is float and type(b) is float:
        if math.isinf(a) or math.isinf(b):
            return False
        return abs(a - b) <= tol * max(1.0, abs(a), abs(b))
    return type(a) is type(b) and a == b


def _frame(answer: Any) -> pd.DataFrame | str:
    if type(answer) is pd.DataFrame:
        return answer
    if type(answer) is list and answer and all(type(r) is dict for r in answer):
        return pd.DataFrame(answer)
    return "Hand in a pandas DataFrame (or a list of dicts, one per row)."


def _columns(frame: pd.DataFrame, want: list[str]) -> tuple[dict[str, Any], list[str]]:
    found = {" ".join(str(c).split()).casefold(): c for c in frame.columns}
    mapping = {w: found[w.casefold()] for w in want if w.casefold() in found}
    return mapping, [w for w in want if w not in mapping]


def _show(value: Any) -> str:
    from coursekit.checks.export import to_plain

    return "missing" if cell_key(value) is None else repr(to_plain(value))


def judge_table(answer: Any, expected: pd.DataFrame, settings: Mapping[str, Any], *, hidden: bool = False) -> Result:
    """Full check of a plain answer (DataFrame) against ``expected``."""
    frame = _frame(answer)
    want = [str(c) for c in expected.columns]
    details = [f"expected {len(expected)} rows x columns {want}"]
    if isinstance(frame, str):
        return Result(0.0, [frame], details)
    mapping, missing_cols = _columns(frame, want)
    if missing_cols:
        return Result(0.0, [f"Your table needs the column(s): {', '.join(missing_cols)} (it has: {', '.join(map(str, frame.columns))})."], details)
    if len(frame) > MAX_ROWS:
        return Result(0.0, [f"Your table has {len(frame)} rows; hand in only the rows the question asks for."], details)
    got = [[cell_key(v) for v in row] for row in frame[[mapping[w] for w in want]].itertuples(index=False)]
    exp = [[cell_key(v) for v in row] for row in expected.itertuples(index=False)]
    tol = settings["tolerance"]
    unmatched = list(range(len(got)))
    missing_rows = []
    for row in exp:
        hit = next((i for i in unmatched if all(_same(a, b, tol) for a, b in zip(row, got[i]))), None)
        if hit is None:
            missing_rows.append(row)
        else:
            unmatched.remove(hit)
    matched = len(exp) - len(missing_rows)
    score = set_score(matched, len(unmatched), len(exp))
    feedback = [f"{matched} of {plural(len(exp), 'row')} right"
                + (f"; {plural(len(unmatched), 'extra or wrong row')}, and each cancels a right one." if unmatched else ".")]
    if not settings.get("extra_columns", True) and len(frame.columns) > len(want):
        extra = [c for c in frame.columns if c not in mapping.values()]
        feedback.append(f"Leave out the column(s) {', '.join(map(str, extra))}.")
        score = min(score, 0.99)
    feedback += _diff(frame, [mapping[w] for w in want], want, missing_rows, unmatched, expected, settings, hidden)
    details.append(f"score = max(0, ({matched} - {len(unmatched)}) / {len(exp)}) = {score:.3f}")
    return Result(score, feedback, details)


def _diff(frame: pd.DataFrame, cols: list[Any], want: list[str], missing_rows: list[list[Any]], unmatched: list[int],
          expected: pd.DataFrame, settings: Mapping[str, Any], hidden: bool) -> list[str]:
    key = settings.get("key") or want[0]
    k = want.index(key)
    exp_by_key = {row[k]: (i, row) for i, row in enumerate([[cell_key(v) for v in r] for r in expected.itertuples(index=False)])}
    lines, explained = [], set()
    for i in unmatched[:10]:
        raw = frame[cols].iloc[i].tolist()
        name = cell_key(raw[k])
        if name in exp_by_key and exp_by_key[name][1] in missing_rows:
            j, row = exp_by_key[name]
            explained.add(name)
            bad = [(w, c) for w, c, a in zip(want, range(len(want)), row) if not _same(a, cell_key(raw[c]), settings["tolerance"])]
            if hidden:
                lines.append(f"Row {raw[k]!r}: {plural(len(bad), 'cell differs', 'cells differ')} ({', '.join(w for w, _ in bad)}).")
            else:
                lines += [f"Row {raw[k]!r}: column {w!r} should be {_show(expected.iloc[j, c])}, not {_show(raw[c])}." for w, c in bad]
        else:
            lines.append(f"Row {raw[k]!r} should not be in the table.")
    rest = [r for r in missing_rows if r[k] not in explained]
    if rest:
        lines.append(f"{plural(len(rest), 'row is', 'rows are')} missing." if hidden
                     else f"Missing rows: {', '.join(repr(expected.iloc[exp_by_key[r[k]][0], k]) for r in rest if r[k] in exp_by_key)}.")
    return lines


def _expected(raw: Mapping[str, Any], fail: Any) -> pd.DataFrame:
    if ("expected" in raw) == ("expected_from" in raw):
        raise fail("expected", "give exactly one of 'expected' ({columns: [...], rows: [[...]]}) or 'expected_from'")
    if "expected" in raw:
        spec = raw["expected"]
        if not isinstance(spec, dict) or set(spec) != {"columns", "rows"} or not isinstance(spec["rows"], list):
            raise fail("expected", "must be {columns: [name, ...], rows: [[value, ...], ...]}")
        if not all(isinstance(r, list) and len(r) == len(spec["columns"]) for r in spec["rows"]):
            raise fail("expected.rows", "every row must have one value per column")
        return pd.DataFrame(spec["rows"], columns=[str(c) for c in spec["columns"]])
    spec = raw["expected_from"]
    if not isinstance(spec, dict) or set(spec) != {"muscles"} or not isinstance(spec["muscles"], dict):
        raise fail("expected_from", "must be {muscles: {columns: [...], where: {hip: [...]} or group: NAME}}")
    m = spec["muscles"]
    table = anatomy.muscles()
    columns = m.get("columns")
    if not isinstance(columns, list) or not columns or any(c not in table.columns for c in columns):
        raise fail("expected_from.muscles.columns", f"must list columns of anatomy.muscles(): {', '.join(table.columns)}")
    if "where" in m:
        names = anatomy.muscles_with(**m["where"])
    elif "group" in m:
        names = anatomy.group(m["group"])
    else:
        raise fail("expected_from.muscles", "needs 'where: {hip: [...], knee: [...]}' or 'group: NAME'")
    return table[table["name"].isin(names)][columns].reset_index(drop=True)


@register
class TableChecker(Checker):
    """``kind: table``: a DataFrame, compared row by row in any order."""

    kind = "table"
    fields = frozenset({"expected", "expected_from", "key", "tolerance", "extra_columns"})
    example_keys = frozenset({"rows"})
    form_example_keys = frozenset({"rows"})
    form_fields = frozenset({"columns"})

    def public_form(self, question: Question) -> dict[str, Any]:
        return {"columns": [str(c) for c in question.expected.columns]}

    def from_public(self, question: Question, form: Mapping[str, Any], fail: Any) -> Question:
        question = super().from_public(question, form, fail)
        columns = form.get("columns")
        if not isinstance(columns, list) or not columns or not all(isinstance(c, str) for c in columns):
            raise fail("form.columns", "must list the column names the table must have")
        return replace(question, settings={"columns": tuple(columns)})

    def prepare(self, question: Question, raw: Mapping[str, Any], fail: Any) -> Question:
        expected = _expected(raw, fail)
        key = raw.get("key", str(expected.columns[0]))
        if key not in expected.columns:
            raise fail("key", f"must be one of the columns: {', '.join(map(str, expected.columns))}")
        tol = raw.get("tolerance", 1e-9)
        if type(tol) not in (int, float) or not 0 <= tol < 1:
            raise fail("tolerance", "must be a relative tolerance between 0 and 1, e.g. 0.01")
        extra = raw.get("extra_columns", True)
        if type(extra) is not bool:
            raise fail("extra_columns", "must be true (extra columns are ignored) or false")
        for i, ex in enumerate(question.examples):
            rng = ex["rows"]
            if not (isinstance(rng, list) and len(rng) == 2 and all(type(v) is int for v in rng) and rng[0] <= len(expected) <= rng[1]):
                raise fail(f"examples[{i}].rows", "must be [fewest, most] rows, around the expected row count")
        return replace(question, expected=expected, settings={"key": key, "tolerance": float(tol), "extra_columns": extra})

    def full(self, question: Question, answer: Any) -> Result:
        return judge_table(answer, question.expected, question.settings, hidden=question.hidden)

    def visible(self, question: Question, answer: Any) -> Result:
        frame = _frame(answer)
        if isinstance(frame, str):
            return self.visible_result([], ["!" + frame], ["visible checks only"])
        want = [str(c) for c in question.expected.columns] if question.has_key else list(question.settings["columns"])
        _, missing = _columns(frame, want)
        checks = [(not missing, f"Your table needs the column(s): {', '.join(missing)}.")]
        checks += [(ex["rows"][0] <= len(frame) <= ex["rows"][1], ex.get("feedback") or f"A table with {len(frame)} rows looks wrong; check your filter.")
                   for ex in question.examples]
        return self.visible_result(checks, [], [f"visible checks only; {len(frame)} rows"])
