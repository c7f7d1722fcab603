"""Actions, numbers, choices, tables and free text: realistic and hostile answers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursekit.checks import check

from .hostile import AlwaysEqualStr, Anything, LyingFloat, LyingList

MODEST = settings(max_examples=40, deadline=None)

# --------------------------------------------------------------------------- actions


@pytest.mark.parametrize("answer", [
    ["extension", "external rotation"], "Hyperextension, lateral rotation", "external_rotation and extension",
    ("extends", "rotates out"), ["EXTENSION", "  Lateral   Rotation "],
])
def test_action_synonyms_earn_full_marks(answer):
    assert check("core.glute-max-actions", answer).score == 1.0


def test_wrong_action_is_explained_and_cancels_a_right_one():
    r = check("core.glute-max-actions", ["extension", "medial rotation"])
    assert r.score == 0.0
    assert "Counted 'medial rotation' as internal rotation." in r.feedback
    assert "Not right: internal rotation. Only its front fibres may turn the hip in, and only with the hip flexed about 45° or more." in r.feedback


@pytest.mark.parametrize("answer, expected", [
    ("anterior tilt", 1.0), ("tips forward", 1.0), ("anterior", 1.0), ("Anterior pelvic tilt", 1.0),
    ("posterior tilt", 0.0), ("tuck the tailbone", 0.0), ("flexion", 0.0),
])
def test_tilt_directions_and_their_synonyms(answer, expected):
    assert check("core.pelvic-tilt-direction", answer).score == expected


@MODEST
@given(st.permutations(["extension", "lateral rotation", "flexion"]), st.booleans())
def test_action_order_and_case_never_change_the_score(items, upper):
    base = check("core.glute-max-actions", ["extension", "lateral rotation", "flexion"]).score
    assert check("core.glute-max-actions", [i.upper() if upper else i for i in items]).score == base == 0.5


@MODEST
@given(st.lists(st.sampled_from(["extension", "external rotation", "flexion", "abduction", "adduction", "medial rotation"]), max_size=5),
       st.sampled_from(["flexion", "abduction", "adduction", "medial rotation"]))
def test_adding_a_wrong_action_never_raises_the_score(answer, wrong):
    assert check("core.glute-max-actions", answer + [wrong]).score <= check("core.glute-max-actions", answer).score


# --------------------------------------------------------------------------- numbers

@pytest.mark.parametrize("answer, score", [
    (-15, 1.0), (-15.9, 1.0), (-14.2, 1.0), ("-15°", 1.0), ("-15 deg", 1.0), ("-0.2618 rad", 1.0),
    (np.float64(-15.0), 1.0), (-17, 0.0), (15, 0.0), (-0.2618, 0.0),
])
def test_number_tolerance_units_and_sign(answer, score):
    assert check("core.thomas-test-angle", answer).score == score


def test_right_in_the_wrong_unit_says_so():
    r = check("core.thomas-test-angle", -0.2618)
    assert r.feedback == ["Right value in the wrong unit: -0.2618 rad is -15°, and this question asks for degrees."]


def test_wrong_sign_names_the_convention():
    assert check("core.thomas-test-angle", 15).feedback == [
        "Right size, wrong sign. The convention here: hip flexion is positive and extension is negative."]


def test_degrees_given_for_radians():
    r = check("core.flexion-in-radians", 90)
    assert r.score == 0.0 and "90° is 1.571 rad, and this question asks for radians" in r.feedback[0]


def test_open_number_question_shows_the_expected_value_when_wrong():
    assert check("core.thomas-test-angle", -30).feedback == ["Not right: expected -15° (± 1), got -30."]


@pytest.mark.parametrize("answer, message", [
    (math.nan, "nan is not a finite number"), (math.inf, "inf is not a finite number"),
    (-math.inf, "-inf is not a finite number"), (True, "Give a number, not True/False."),
    ("about fifteen", "Could not read 'about fifteen' as a number"), ([-15], "Give one number (got list)."),
    (None, "Give one number (got NoneType)."),
])
def test_non_numbers_get_clear_feedback_and_no_credit(answer, message):
    r = check("core.thomas-test-angle", answer, mode="grade")
    assert r.score == 0.0 and r.feedback[0].startswith(message)


def test_lying_float_is_judged_by_its_real_value():
    assert check("core.thomas-test-angle", LyingFloat(40.0)).score == 0.0


# --------------------------------------------------------------------------- choices

@pytest.mark.parametrize("answer", ["a", "A", " (a) ", "Iliopsoas", "  iliopsoas  ", ["a"]])
def test_choice_accepts_key_or_text(answer):
    assert check("core.thomas-test-muscle", answer).score == 1.0


def test_chosen_option_gets_its_own_feedback():
    r = check("core.thomas-test-muscle", "b")
    assert r.score == 0.0
    assert r.feedback == ["(b) Rectus femoris: A short rectus femoris would straighten the knee as the thigh drops, because it crosses the knee too."]


@pytest.mark.parametrize("make", [lambda: ["a", "b"], lambda: "z", lambda: 1, lambda: None,
                                  lambda: AlwaysEqualStr("b"), lambda: LyingList(["b"])],
                         ids=["two", "unknown", "int", "none", "always-equal-str", "lying-list"])
def test_choice_hostile_or_invalid_answers_never_pass(make):
    r = check("core.thomas-test-muscle", make(), mode="grade")
    assert r.score == 0.0 and not r.passed


@pytest.mark.parametrize("answer, score", [(["a", "c"], 1.0), ("c, a", 1.0), (["a"], 0.5), (["a", "b"], 0.0), (["a", "b", "c", "d"], 0.0)])
def test_multichoice_partial_credit_and_penalty(answer, score):
    assert check("core.gripping-evidence", answer).score == score


# --------------------------------------------------------------------------- tables

RIGHT_TABLE = pd.DataFrame({
    "name": ["semitendinosus", "gluteus maximus", "semimembranosus", "biceps femoris (long head)", "adductor magnus (hamstring part)"],
    "crosses_knee": [True, False, True, True, False],
})


def test_table_ignores_row_order_case_and_harmless_dtypes():
    shuffled = RIGHT_TABLE.sample(frac=1, random_state=3).reset_index(drop=True)
    shuffled["crosses_knee"] = shuffled["crosses_knee"].astype(object)
    shuffled["name"] = shuffled["name"].str.upper()
    assert check("core.hip-extensor-table", shuffled).score == 1.0
    as_ints = RIGHT_TABLE.assign(crosses_knee=RIGHT_TABLE["crosses_knee"].astype("int64"))
    assert check("core.hip-extensor-table", as_ints).score == 1.0
    assert check("core.hip-extensor-table", RIGHT_TABLE.to_dict("records")).score == 1.0


def test_table_diff_is_readable():
    wrong = RIGHT_TABLE.copy()
    wrong.loc[1, "crosses_knee"] = True
    wrong = pd.concat([wrong.drop(index=4), pd.DataFrame({"name": ["iliopsoas"], "crosses_knee": [False]})])
    r = check("core.hip-extensor-table", wrong)
    assert r.feedback == [
        "3 of 5 rows right; 2 extra or wrong rows, and each cancels a right one.",
        "Row 'gluteus maximus': column 'crosses_knee' should be False, not True.",
        "Row 'iliopsoas' should not be in the table.",
        "Missing rows: 'adductor magnus (hamstring part)'.",
    ]
    assert r.score == pytest.approx(0.2)


def test_table_missing_column_is_named():
    r = check("core.hip-extensor-table", RIGHT_TABLE.rename(columns={"crosses_knee": "knee"}))
    assert r.score == 0.0 and r.feedback[0].startswith("Your table needs the column(s): crosses_knee")


@pytest.mark.parametrize("make", [lambda: [1, 2], lambda: "table", lambda: None, lambda: {"name": ["gluteus maximus"]}, Anything],
                         ids=["list", "str", "none", "dict", "anything"])
def test_table_non_tables_never_pass(make):
    r = check("core.hip-extensor-table", make(), mode="grade")
    assert r.score == 0.0 and not r.passed and r.feedback


def test_table_nan_and_inf_cells_never_match_numbers():
    from coursekit.checks.table import judge_table

    want = pd.DataFrame({"pose": ["bridge"], "angle": [10.0]})
    s = {"key": "pose", "tolerance": 1e-9, "extra_columns": True}
    for bad in (math.nan, math.inf):
        assert judge_table(pd.DataFrame({"pose": ["bridge"], "angle": [bad]}), want, s).score == 0.0


# --------------------------------------------------------------------------- free text

def test_text_is_never_scored_automatically():
    r = check("core.gripping-explain", "Gluteus maximus extends and turns the hip out. " * 10, mode="grade")
    assert (r.score, r.passed, r.manual) == (0.0, False, True)
    assert r.headline == "✎ Saved for your instructor to grade"
    assert any(d.startswith("rubric: ") for d in r.details)


def test_text_short_answer_gets_a_visible_nudge():
    r = check("core.gripping-explain", "Because.")
    assert r.manual and "Write at least 30 words." in r.feedback
