"""Answers leave the student's kernel as plain JSON data, never as pickles.

:func:`to_plain` turns an answer into JSON-compatible built-in values: ``str``, ``int``,
``float``, ``bool``, ``None``, ``list`` and ``dict`` with ``str`` keys. It reads every value
through the *built-in* type's own slots (``str.__str__``, ``list.__iter__``,
``dict.items``...), so a ``str`` subclass whose ``__eq__`` always says yes, a list that
lies about its length or a float subclass come out as the exact built-in value they hold.
It never calls a method the student's object defines. Tuples and sets become lists,
numpy scalars and arrays become built-in numbers and lists, and a DataFrame becomes
``{"__dataframe__": {"columns": [...], "records": [[...]], "dtypes": [...]}}``. NaN and
infinities, which JSON cannot hold, become ``{"__float__": "nan" | "inf" | "-inf"}``.
Anything else raises :class:`~coursekit.errors.ExportError` saying what to do.

:func:`from_plain` checks the data again (it may come from a notebook file) and reverses
the markers, so DataFrames come back as DataFrames.

>>> class Liar(str):
...     def __eq__(self, other): return True
>>> plain = to_plain({"answer": [Liar("gluteus maximus"), (1, 2.5)], "x": float("nan")})
>>> plain
{'answer': ['gluteus maximus', [1, 2.5]], 'x': {'__float__': 'nan'}}
>>> type(plain["answer"][0]) is str
True
>>> from_plain(plain)["answer"]
['gluteus maximus', [1, 2.5]]
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from coursekit.errors import ExportError

__all__ = ["Limits", "LIMITS", "MIME", "ExportError", "to_plain", "from_plain", "envelope", "plain_copy"]

#: Output mime type of an exported answer (see the team contract).
MIME = "application/vnd.coursekit.answer+json"

_FLOAT = "__float__"
_FRAME = "__dataframe__"
_DICT = "__dict__"
_MARKERS = frozenset({_FLOAT, _FRAME, _DICT})
_SPECIAL = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
_FRAME_DTYPES = frozenset({"int64", "float64", "bool", "object", "str", "string", "Int64", "Float64", "boolean"})


@dataclass(frozen=True)
class Limits:
    """How big an exported answer may be."""

    max_depth: int = field(default=32, metadata={"help": "deepest nesting of lists/dicts"})
    max_items: int = field(default=100_000, metadata={"help": "values in total, cells of tables included"})
    max_string: int = field(default=100_000, metadata={"help": "characters in one string"})
    max_chars: int = field(default=2_000_000, metadata={"help": "characters in all strings together"})
    max_int_bits: int = field(default=1024, metadata={"help": "size of one integer"})


LIMITS = Limits()


class _Budget:
    """Counts values and characters while converting; raises once a limit is passed."""

    def __init__(self, limits: Limits, where: str) -> None:
        self.limits, self.where = limits, where
        self.items = 0
        self.chars = 0

    def error(self, problem: str, hint: str) -> ExportError:
        return ExportError(f"{self.where}: {problem}. {hint}")

    def take(self, items: int = 1, chars: int = 0) -> None:
        self.items += items
        self.chars += chars
        if self.items > self.limits.max_items:
            raise self.error(f"the answer holds more than {self.limits.max_items:,} values",
                             "Hand in only what the question asks for (e.g. a short list, not a whole table).")
        if self.chars > self.limits.max_chars:
            raise self.error(f"the answer holds more than {self.limits.max_chars:,} characters of text",
                             "Shorten the text of your answer.")

    def depth(self, depth: int) -> None:
        if depth > self.limits.max_depth:
            raise self.error(f"the answer is nested more than {self.limits.max_depth} levels deep",
                             "Use a flat list or a table; a list must not contain itself.")


# --------------------------------------------------------------------------- to_plain


def to_plain(value: Any, *, limits: Limits = LIMITS, where: str = "answer") -> Any:
    """Convert ``value`` to exact JSON-compatible built-ins (see the module docstring).

    >>> import numpy as np
    >>> to_plain({"angle": np.float64(12.5), "ids": np.arange(3), "pair": (True, None)})
    {'angle': 12.5, 'ids': [0, 1, 2], 'pair': [True, None]}
    >>> to_plain(object())
    Traceback (most recent call last):
    ...
    coursekit.errors.ExportError: answer: a value of type 'object' cannot be handed in. Use text, numbers, True/False/None, lists, dicts with text keys, or a pandas DataFrame.
    """
    return _convert(value, 0, _Budget(limits, where))


def _convert(value: Any, depth: int, budget: _Budget) -> Any:
    budget.depth(depth)
    budget.take()
    kind = type(value)  # type() cannot be faked the way __class__ can
    if value is None or kind is bool:
        return value
    if issubclass(kind, str):
        return _string(value, budget)
    if issubclass(kind, int):
        return _integer(int.__int__(value), budget)
    if issubclass(kind, float):
        return _float(float.__float__(value))
    if issubclass(kind, (list, tuple)):
        base: type[Collection[Any]] = list if issubclass(kind, list) else tuple
        return [_convert(v, depth + 1, budget) for v in _items(base, value, budget)]
    if issubclass(kind, dict):
        return _dict(value, depth, budget)
    if issubclass(kind, (set, frozenset)):
        base = set if issubclass(kind, set) else frozenset
        items = [_convert(v, depth + 1, budget) for v in _items(base, value, budget)]
        return sorted(items, key=_sort_key)
    return _library_value(value, kind, depth, budget)


def _items(base: type[Collection[Any]], value: Any, budget: _Budget) -> list[Any]:
    """The real items of a container, read through the built-in type's own slots."""
    size = base.__len__(value)
    if size > budget.limits.max_items:
        budget.take(size)
    return list(base.__iter__(value))


def _string(value: str, budget: _Budget) -> str:
    text = str.__str__(value)
    if len(text) > budget.limits.max_string:
        raise budget.error(f"a text is {len(text):,} characters long (limit {budget.limits.max_string:,})",
                           "Shorten it.")
    budget.take(0, len(text))
    return text


def _integer(number: int, budget: _Budget) -> int:
    if number.bit_length() > budget.limits.max_int_bits:
        raise budget.error("a whole number is too large to hand in", "Check the calculation that produced it.")
    return number


def _float(number: float) -> float | dict[str, str]:
    if math.isnan(number):
        return {_FLOAT: "nan"}
    if math.isinf(number):
        return {_FLOAT: "inf" if number > 0 else "-inf"}
    return number


def _dict(value: dict, depth: int, budget: _Budget) -> dict[str, Any]:
    size = dict.__len__(value)
    if size > budget.limits.max_items:
        budget.take(size)
    out: dict[str, Any] = {}
    for key, item in list(dict.items(value)):
        if not issubclass(type(key), str):
            raise budget.error(f"a dict key is of type {type(key).__name__!r}",
                               "Dict keys must be text, e.g. {'gluteus maximus': 'extension'}.")
        name = _string(key, budget)
        if name in out:
            raise budget.error(f"the dict key {name!r} appears twice", "Use each key once.")
        out[name] = _convert(item, depth + 1, budget)
    if len(out) == 1 and next(iter(out)) in _MARKERS:
        return {_DICT: out}  # keep a student's own {"__float__": ...} from being read as a marker
    return out


def _sort_key(item: Any) -> tuple[str, str]:
    return (type(item).__name__, json.dumps(item, sort_keys=True))


def _library_value(value: Any, kind: type, depth: int, budget: _Budget) -> Any:
    """numpy scalars and arrays, pandas Series and DataFrames, pandas missing values."""
    import numpy as np
    import pandas as pd

    if value is pd.NA or value is pd.NaT:
        return None
    if issubclass(kind, np.generic) and kind.__module__ == "numpy":
        return _convert(np.generic.item(value), depth, budget)
    if issubclass(kind, np.ndarray):
        return _array(np.ndarray.view(value, np.ndarray), depth, budget)
    if kind is pd.Series:
        return _array(value.to_numpy(dtype=object), depth, budget)
    if kind is pd.DataFrame:
        return _frame(value, depth, budget)
    hint = ("Use text, numbers, True/False/None, lists, dicts with text keys, or a pandas DataFrame.")
    if issubclass(kind, (pd.DataFrame, pd.Series)):
        hint = "Hand in a plain pandas object, e.g. pd.DataFrame(your_table)."
    raise budget.error(f"a value of type {kind.__name__!r} cannot be handed in", hint)


def _array(array: Any, depth: int, budget: _Budget) -> Any:
    if array.dtype.kind not in "biufUO":
        raise budget.error(f"an array of dtype {array.dtype} cannot be handed in",
                           "Use numbers, True/False or text in arrays.")
    budget.take(int(array.size))
    return _convert(array.tolist(), depth + max(array.ndim - 1, 0), budget)


def _frame(frame: Any, depth: int, budget: _Budget) -> dict[str, Any]:
    import pandas as pd

    if isinstance(frame.columns, pd.MultiIndex) or isinstance(frame.index, pd.MultiIndex):
        raise budget.error("a table with a multi-level index or header cannot be handed in",
                           "Flatten it first, e.g. table.reset_index().")
    if frame.index.name is not None:
        frame = frame.reset_index()
    budget.take(int(frame.shape[0]) * int(frame.shape[1]))
    columns = [_convert(c, depth + 2, budget) for c in frame.columns.tolist()]
    for column in columns:
        if type(column) not in (str, int):
            raise budget.error(f"a table column is named {column!r}", "Name table columns with text.")
    if len(set(columns)) != len(columns):
        raise budget.error("a table has two columns with the same name", "Give every column its own name.")
    data = [frame.iloc[:, j].to_numpy(dtype=object).tolist() for j in range(len(columns))]
    records = [[_convert(col[i], depth + 3, budget) for col in data] for i in range(int(frame.shape[0]))]
    dtypes = [str(t) for t in frame.dtypes.tolist()]
    return {_FRAME: {"columns": columns, "records": records, "dtypes": dtypes}}


# --------------------------------------------------------------------------- from_plain


def from_plain(data: Any, *, limits: Limits = LIMITS, where: str = "exported answer") -> Any:
    """Rebuild an answer from :func:`to_plain` output (validated again; markers reversed).

    >>> from_plain({"__dataframe__": {"columns": ["name"], "records": [["iliacus"]], "dtypes": ["str"]}})
          name
    0  iliacus
    >>> from_plain({"__float__": "inf"})
    inf
    """
    return _restore(data, 0, _Budget(limits, where))


def _restore(data: Any, depth: int, budget: _Budget) -> Any:
    budget.depth(depth)
    budget.take()
    kind = type(data)
    if data is None or kind in (bool, int, float, str):
        if kind is float and not math.isfinite(data):
            raise budget.error("a bare NaN or infinity appears", "Export answers with to_plain().")
        return _string(data, budget) if kind is str else data
    if kind is list:
        return [_restore(v, depth + 1, budget) for v in data]
    if kind is not dict:
        raise budget.error(f"a value of type {kind.__name__!r} is not plain data", "Export answers with to_plain().")
    if any(type(k) is not str for k in data):
        raise budget.error("a dict key is not text", "Export answers with to_plain().")
    if len(data) == 1:
        (key, inner), = data.items()
        if key == _FLOAT:
            if type(inner) is not str or inner not in _SPECIAL:
                raise budget.error(f"{inner!r} is not a special float", "Use 'nan', 'inf' or '-inf'.")
            return _SPECIAL[inner]
        if key == _FRAME:
            return _restore_frame(inner, depth, budget)
        if key == _DICT:
            if type(inner) is not dict or len(inner) != 1:
                raise budget.error("a '__dict__' marker must wrap a one-key dict", "Export answers with to_plain().")
            (name, value), = inner.items()
            return {_string(name, budget): _restore(value, depth + 1, budget)}
    return {k: _restore(v, depth + 1, budget) for k, v in data.items()}


def _restore_frame(inner: Any, depth: int, budget: _Budget) -> Any:
    import pandas as pd

    bad = budget.error("a '__dataframe__' must hold 'columns', 'records' and 'dtypes' lists of equal width",
                       "Export tables with to_plain().")
    if type(inner) is not dict or set(inner) != {"columns", "records", "dtypes"}:
        raise bad
    columns, records, dtypes = inner["columns"], inner["records"], inner["dtypes"]
    if type(columns) is not list or type(records) is not list or type(dtypes) is not list:
        raise bad
    if len(dtypes) != len(columns) or any(type(c) not in (str, int) for c in columns):
        raise bad
    if len(set(columns)) != len(columns) or any(type(t) is not str for t in dtypes):
        raise bad
    rows = []
    for record in records:
        if type(record) is not list or len(record) != len(columns):
            raise bad
        rows.append([_restore(v, depth + 3, budget) for v in record])
    frame = pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame({c: [] for c in columns})
    for column, dtype in zip(columns, dtypes):
        if dtype in _FRAME_DTYPES and str(frame[column].dtype) != dtype:
            try:
                frame[column] = frame[column].astype(dtype)
            except (TypeError, ValueError):
                pass  # keep the inferred dtype; checks ignore harmless dtype differences
    return frame


def plain_copy(value: Any, *, limits: Limits = LIMITS, where: str = "answer") -> Any:
    """``from_plain(to_plain(value))``: what a check judges, in student and grading mode alike."""
    return from_plain(to_plain(value, limits=limits, where=where), limits=limits, where=where)


def envelope(question_id: str, answer: Any) -> dict[str, Any]:
    """The exported output of one ``grade(...)`` call (version 1 of the format).

    >>> envelope("demo.q", ("a", 1))
    {'version': 1, 'question': 'demo.q', 'answer': ['a', 1]}
    >>> envelope("demo.q", print)["error"].startswith("question 'demo.q': a value of type 'builtin_function")
    True
    """
    try:
        return {"version": 1, "question": question_id, "answer": to_plain(answer, where=f"question {question_id!r}")}
    except ExportError as err:
        return {"version": 1, "question": question_id, "error": str(err)}
    except RecursionError:
        return {"version": 1, "question": question_id,
                "error": f"question {question_id!r}: the answer is nested too deeply. Use a flat list or a table."}
