"""Any answer to any question gives a Result in [0, 1] (never an exception), deterministically."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursekit import anatomy
from coursekit.bank import load_file
from coursekit.checks import check

from .conftest import CORE

IDS = [q.id for q in load_file(CORE)]
words = st.sampled_from(anatomy.muscle_names() + ["extension", "lateral rotation", "a", "b", "c", "15 deg", "-15", "", " "]) | st.text(max_size=30)
leaves = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=True, allow_infinity=True) | words
answers = st.recursive(leaves, lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                       max_leaves=12)
frames = st.builds(lambda rows: pd.DataFrame(rows, columns=["name", "crosses_knee"]),
                   st.lists(st.tuples(words, st.booleans() | st.integers(0, 2) | st.none()), max_size=6))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(IDS), answers | frames, st.sampled_from(["student", "grade"]))
def test_any_answer_gives_a_deterministic_result_in_range(qid, answer, mode):
    one, two = check(qid, answer, mode=mode), check(qid, answer, mode=mode)
    assert 0.0 <= one.score <= 1.0
    assert one.feedback, "every result tells the student something"
    assert (one.score, one.passed, one.feedback) == (two.score, two.passed, two.feedback)
    if one.passed and not one.partial:
        assert one.score == 1.0
