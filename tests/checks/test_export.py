"""Export: answers leave the kernel as exact built-in values, and come back the same."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursekit.checks.export import LIMITS, Limits, envelope, from_plain, plain_copy, to_plain
from coursekit.errors import ExportError

from .hostile import AlwaysEqualStr, Anything, LyingDict, LyingFloat, LyingList, deep

MODEST = settings(max_examples=60, deadline=None)

scalars = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=True) | st.text(max_size=20)
plain_like = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=30,
)


def same(a, b) -> bool:
    """Equality that treats NaN as equal to NaN and checks exact types."""
    if type(a) is not type(b):
        return False
    if type(a) is float:
        return (math.isnan(a) and math.isnan(b)) or a == b
    if type(a) is list:
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if type(a) is dict:
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return a == b


def exact_types(value) -> bool:
    if type(value) is list:
        return all(exact_types(v) for v in value)
    if type(value) is dict:
        return all(type(k) is str and exact_types(v) for k, v in value.items())
    return type(value) in (str, int, float, bool, type(None))


@MODEST
@given(plain_like)
def test_round_trip_returns_every_plain_value_unchanged(value):
    exported = to_plain(value)
    assert exact_types(exported)
    json.loads(json.dumps(exported, allow_nan=False))  # strict JSON: NaN/inf are markers
    assert same(from_plain(exported), value)


@MODEST
@given(st.dictionaries(st.sampled_from(["__float__", "__dataframe__", "__dict__", "x"]), plain_like, min_size=1, max_size=1))
def test_student_dicts_that_look_like_markers_round_trip(value):
    assert same(from_plain(to_plain(value)), value)


@MODEST
@given(st.lists(st.tuples(st.text(max_size=8), st.integers(-1000, 1000), st.floats(allow_nan=True), st.booleans()), max_size=6))
def test_dataframes_round_trip_with_values_and_dtypes(rows):
    frame = pd.DataFrame(rows, columns=["name", "count", "angle", "flag"])
    back = from_plain(json.loads(json.dumps(to_plain(frame))))
    assert type(back) is pd.DataFrame
    assert list(back.columns) == ["name", "count", "angle", "flag"]
    if rows:
        pd.testing.assert_frame_equal(back, frame, check_dtype=True)


def test_numpy_values_become_exact_builtins():
    out = to_plain({"a": np.float64(1.5), "b": np.int32(7), "c": np.bool_(True), "d": np.array([[1, 2], [3, 4]]),
                    "e": np.str_("iliacus"), "f": np.array([np.nan])})
    assert out == {"a": 1.5, "b": 7, "c": True, "d": [[1, 2], [3, 4]], "e": "iliacus", "f": [{"__float__": "nan"}]}
    assert [type(out[k]) for k in "abce"] == [float, int, bool, str]


def test_tuples_sets_and_series_become_lists():
    assert to_plain((1, (2, 3))) == [1, [2, 3]]
    assert to_plain({"semitendinosus", "iliacus"}) == ["iliacus", "semitendinosus"]
    assert to_plain(pd.Series(["a", "b"], index=[5, 9])) == ["a", "b"]


def test_named_index_becomes_a_column():
    frame = pd.DataFrame({"name": ["iliacus"], "x": [1]}).set_index("name")
    assert to_plain(frame)["__dataframe__"]["columns"] == ["name", "x"]


def test_str_subclass_with_lying_eq_exports_its_real_text():
    out = to_plain([AlwaysEqualStr("iliopsoas")])
    assert out == ["iliopsoas"] and type(out[0]) is str


def test_list_subclass_lying_about_length_and_items_exports_real_items():
    liar = LyingList(["iliopsoas", "piriformis", "sartorius"])
    assert to_plain(liar) == ["iliopsoas", "piriformis", "sartorius"]


def test_float_subclass_exports_its_real_value():
    out = to_plain(LyingFloat(3.0))
    assert out == 3.0 and type(out) is float


def test_dict_subclass_lying_about_items_exports_real_items():
    assert to_plain(LyingDict({"name": "iliopsoas", "x": 1})) == {"name": "iliopsoas", "x": 1}


def test_object_faking_its_class_is_refused():
    with pytest.raises(ExportError, match="type 'Anything' cannot be handed in"):
        to_plain(Anything())


@pytest.mark.parametrize("value, message", [
    (object(), "type 'object' cannot be handed in"),
    ({1: "a"}, "dict key is of type 'int'"),
    (b"bytes", "type 'bytes'"),
    (1 + 2j, "type 'complex'"),
    (2 ** 5000, "too large"),
    ("x" * (LIMITS.max_string + 1), "characters long"),
    (deep(LIMITS.max_depth + 5), "nested more than"),
    ([0] * (LIMITS.max_items + 1), "more than 100,000 values"),
    (np.array(["2020-01-01"], dtype="datetime64[D]"), "dtype datetime64"),
    (pd.DataFrame([[1, 2]], columns=["a", "a"]), "two columns with the same name"),
])
def test_unsupported_or_oversized_values_raise_a_clear_export_error(value, message):
    with pytest.raises(ExportError, match=message):
        to_plain(value)


def test_a_list_containing_itself_hits_the_depth_limit():
    loop: list = []
    loop.append(loop)
    with pytest.raises(ExportError, match="must not contain itself"):
        to_plain(loop)


def test_limits_are_configurable():
    with pytest.raises(ExportError, match="more than 3 values"):
        to_plain([1, 2, 3], limits=Limits(max_items=3))


@pytest.mark.parametrize("forged", [
    {"__float__": "1e999"}, {"__float__": 1.0}, {"__dataframe__": {"columns": ["a"], "records": [[1, 2]], "dtypes": ["int64"]}},
    {"__dict__": {"a": 1, "b": 2}}, float("nan"), (1, 2), {1: 2},
])
def test_from_plain_refuses_forged_or_malformed_data(forged):
    with pytest.raises(ExportError):
        from_plain(forged)


def test_envelope_carries_answer_or_error():
    assert envelope("q.one", {"a": (1,)}) == {"version": 1, "question": "q.one", "answer": {"a": [1]}}
    bad = envelope("q.one", object())
    assert set(bad) == {"version", "question", "error"} and "q.one" in bad["error"]


def test_plain_copy_is_what_checks_judge():
    copy = plain_copy([AlwaysEqualStr("iliopsoas"), (np.int64(2),)])
    assert copy == ["iliopsoas", [2]] and type(copy[0]) is str and type(copy[1][0]) is int
