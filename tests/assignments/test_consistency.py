"""The source notebooks, the question bank, the objectives and the data agree."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from coursekit import anatomy, bank
from coursekit.assignments import specs, validate
from coursekit.assignments.questions import objectives
from coursekit.model import balance, femur_pelvis_angle, pelvic_tilt

from .conftest import COURSE, REPO

BANK = REPO / "assignments" / "bank"  # graded keys live in the course directory


def _bank_ids(ps: str) -> list[str]:
    return [q["id"] for q in yaml.safe_load((BANK / f"{ps}.yaml").read_text(encoding="utf-8"))]


def test_the_committed_source_notebooks_are_valid_and_up_to_date_with_the_specs():
    results = validate(COURSE)
    assert {r.assignment: (r.questions, r.points) for r in results} == {
        "ps1": (8, 13.0),
        "ps2": (8, 14.0),
        "ps3": (10, 16.0),
        "ps4": (19, 30.0),
    }


@pytest.mark.parametrize("spec", specs(COURSE), ids=lambda s: s.id)
def test_each_assignment_asks_exactly_the_questions_of_its_bank_file(spec):
    asked = [b.arg for b in spec.questions]
    assert len(asked) == len(set(asked))
    assert sorted(asked) == sorted(_bank_ids(spec.id))
    for qid in asked:
        q = bank.question(qid)
        assert q.objective in spec.objectives
        assert q.hidden or q.kind == "text", f"{qid}: graded questions must be hidden"


def test_every_objective_in_objectives_csv_is_graded_at_least_once():
    graded = {bank.question(b.arg).objective for s in specs(COURSE) for b in s.questions}
    assert graded <= set(objectives())
    assert sorted(set(objectives()) - graded) == []


def _landmarks() -> pd.DataFrame:
    return pd.read_csv(COURSE / "source" / "ps1" / "pose_landmarks.csv")


def _point(df: pd.DataFrame, pose: str, name: str) -> tuple[float, float]:
    row = df[(df["pose"] == pose) & (df["landmark"] == name)].iloc[0]
    return float(row["x_cm"]), float(row["y_cm"])


def test_ps1_numeric_keys_equal_the_model_on_the_landmark_data():
    df = _landmarks()
    def femur_pelvis(pose: str) -> float:
        return femur_pelvis_angle(*(_point(df, pose, n) for n in ("ASIS", "PSIS", "greater trochanter", "knee")))

    # The hip angle is the femur against the pelvis, relative to relaxed standing (issue 13).
    hip = femur_pelvis("anjaneyasana-back") - femur_pelvis("tadasana")
    tilt = pelvic_tilt(_point(df, "anjaneyasana-back", "ASIS"), _point(df, "anjaneyasana-back", "PSIS"))
    assert bank.question("ps1.hip-angle-lunge").expected == pytest.approx(hip, abs=0.01)
    assert bank.question("ps1.tilt-lunge").expected == pytest.approx(tilt, abs=0.01)


def test_ps1_tilt_classes_follow_the_stated_five_degree_rule_with_a_clear_margin():
    df = _landmarks()
    expected = bank.question("ps1.tilt-classes").expected
    for pose, label in expected.itertuples(index=False):
        tilt = pelvic_tilt(_point(df, pose, "ASIS"), _point(df, pose, "PSIS"))
        assert label == ("anterior" if tilt > 5 else "posterior" if tilt < -5 else "neutral")
        assert abs(abs(tilt) - 5) > 1, f"{pose}: tilt {tilt:.2f} is too close to the class boundary"
    assert sorted(expected["pose"]) == sorted(df["pose"].unique())


def test_ps2_muscle_keys_equal_the_data():
    table = anatomy.muscles()
    ischial = table.loc[table["origin"].str.contains("ischial tuberosity", case=False), "name"]
    assert set(bank.question("ps2.ischial-origin").expected) == set(ischial)
    hamstrings = set(anatomy.group("hamstrings"))
    knee_only = table.loc[table["name"].isin(hamstrings) & table["crosses_knee"] & ~table["crosses_hip"], "name"]
    assert set(bank.question("ps2.hamstring-knee-only").expected) == set(knee_only)


def test_ps2_insertion_sites_match_the_insertions_in_the_data():
    words = {"A": "fibula", "B": "pes anserinus", "C": "medial condyle", "D": "iliotibial tract", "E": "adductor tubercle"}
    insertions = anatomy.muscles().set_index("name")["insertion"]
    for name, site in bank.question("ps2.insertion-match").expected.itertuples(index=False):
        assert words[site] in insertions[name].lower(), (name, site)


def test_ps1_limiting_flexors_are_hip_flexors_in_the_data():
    flexors = set(anatomy.muscles_with(hip=["flexion"]))
    q = bank.question("ps1.flexors-limit-extension")
    assert set(q.expected) <= flexors


def test_ps3_numeric_keys_equal_the_rotation_balance_model():
    assert bank.question("ps3.gmax-alone-rotation").expected == pytest.approx(balance({"gluteus_maximus": 1.0}).net_rotation)
    flexed = balance({"gluteus_maximus": 1.0}, hip_flexion_deg=90).net_rotation
    assert bank.question("ps3.gmax-flexed-rotation").expected == pytest.approx(flexed)
    mix = {"gluteus_maximus": 0.5, "medial_hamstrings": 1.0, "adductor_magnus": 1.0}
    needed = -balance(mix).net_rotation / balance({"internal_rotators": 1.0}).net_rotation
    assert bank.question("ps3.cancel-rotation").expected == pytest.approx(needed, abs=0.001)
    balanced = balance({**mix, "internal_rotators": needed})
    assert balanced.task_met and balanced.knee_direction == "forward"
    assert bank.question("ps3.balanced-extension").expected == pytest.approx(balanced.net_extension, abs=0.1)
    # An activation read off the widget (steps of 0.05) is within the tolerance.
    assert abs(round(needed / 0.05) * 0.05 - needed) <= bank.question("ps3.cancel-rotation").settings["tolerance"]


def test_ps3_gripping_alone_turns_the_knee_out_as_the_key_says():
    outcome = balance({"gluteus_maximus": 1.0})
    assert (outcome.knee_direction, outcome.foot_edge) == ("out", "outer")
    assert bank.question("ps3.gmax-alone-effect").expected == ("b",)
