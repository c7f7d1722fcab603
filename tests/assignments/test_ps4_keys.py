"""Problem set 4: every key follows from the data files and the photograph coordinates."""

from __future__ import annotations

import pandas as pd
import pytest

from coursekit import anatomy, bank, clinical
from coursekit.diagrams.innervation import nerves_of

from .conftest import COURSE

PS4 = COURSE / "source" / "ps4"


def _thomas() -> pd.DataFrame:
    return pd.read_csv(PS4 / "thomas_landmarks.csv")


def _reading(photo: str) -> clinical.ThomasReading:
    df = _thomas()
    pt = {r.landmark: (r.x_cm, r.y_cm) for r in df[df["photo"] == photo].itertuples()}
    return clinical.thomas_reading(pt["table head"], pt["table end"], pt["greater trochanter"], pt["knee"], pt["ankle"])


def test_numeric_thomas_keys_equal_the_reading_of_the_photograph_coordinates():
    reading = _reading("right-relaxed")
    assert bank.question("ps4.thomas-thigh").expected == pytest.approx(reading.thigh_deg, abs=0.01)
    assert bank.question("ps4.thomas-knee").expected == pytest.approx(reading.knee_deg, abs=0.01)
    # The camera is tilted, so reading the thigh against the picture's horizontal is wrong by more
    # than the tolerance: the question really asks for the table line.
    df = _thomas()
    pts = {r.landmark: (r.x_cm, r.y_cm) for r in df[df["photo"] == "right-relaxed"].itertuples()}
    flat = clinical.thomas_reading((0, 0), (1, 0), pts["greater trochanter"], pts["knee"], pts["ankle"])
    assert abs(flat.thigh_deg - reading.thigh_deg) > bank.question("ps4.thomas-thigh").settings["tolerance"]


def test_the_thomas_reading_key_matches_what_the_three_photographs_show():
    relaxed, straightened, left = (_reading(p) for p in ("right-relaxed", "right-knee-straightened", "left-relaxed"))
    assert relaxed.thigh_deg > 5 and straightened.thigh_deg < 0  # the thigh drops when the knee straightens
    assert straightened.knee_deg < relaxed.knee_deg
    assert left.thigh_deg < 0 and left.knee_deg > 80  # a negative test
    q = bank.question("ps4.thomas-read")
    key = next(o for o in q.options if o.correct)
    assert "rectus femoris" in key.text and "rectus femoris" in clinical.clinical_test("thomas-rectus").targets


def test_the_photograph_key_is_the_most_anterior_point_above_the_trochanter():
    photo = pd.read_csv(PS4 / "side_photo.csv").set_index("point")
    trochanter = photo.loc["P"]
    above = photo[photo["y_cm"] > trochanter["y_cm"]]
    asis = above["x_cm"].idxmax()
    q = bank.question("ps4.photo-asis")
    assert next(o.text for o in q.options if o.correct) == asis == "R"
    assert photo["y_cm"].idxmax() == "T"  # the crest is highest
    assert above["x_cm"].idxmin() == "Q"  # the PSIS is the most posterior of the upper points
    assert photo["y_cm"].idxmin() == "S"  # the ischial tuberosity is lowest


def test_muscle_keys_equal_the_data():
    front, back = clinical.couple("posterior_tilt")
    assert set(bank.question("ps4.posterior-couple").expected) == set(back.hip_muscles)
    femoral = [m for m in anatomy.muscle_names() if nerves_of(m).get("femoral nerve") == "main" and m != "iliopsoas"]
    assert sorted(bank.question("ps4.femoral-nerve").expected) == sorted(femoral)


def test_nerve_and_attachment_keys_agree_with_muscles_csv():
    long_head, short_head = anatomy.muscle("biceps femoris (long head)"), anatomy.muscle("biceps femoris (short head)")
    assert "Tibial division" in long_head.innervation and "common fibular" in short_head.innervation.lower()
    key = next(o.text for o in bank.question("ps4.short-head-nerve").options if o.correct)
    assert "long head by the tibial division" in key and "short head by the common fibular" in key
    rf = anatomy.muscle("rectus femoris")
    assert "Anterior inferior iliac spine" in rf.origin and "tibial tuberosity" in rf.insertion
    assert "Femoral nerve" in rf.innervation
    assert next(o.text for o in bank.question("ps4.attachment").options if o.correct) == "Rectus femoris, femoral nerve"


def test_the_ligament_and_limit_keys_agree_with_ligaments_csv():
    biggest = max((lig for lig in clinical.ligaments() if lig.cross_section_mm2), key=lambda lig: lig.cross_section_mm2 or 0.0)
    assert next(o.text for o in bank.question("ps4.main-limit").options if o.correct) == "The iliofemoral ligament"
    assert biggest.name == "iliofemoral ligament" and anatomy.Action.EXTENSION in biggest.taut_in
    one_joint = {o.text for o in bank.question("ps4.limit-knee").options if o.correct}
    assert "Iliopsoas" in one_joint and not anatomy.muscle("iliopsoas").crosses_knee
    assert anatomy.muscle("rectus femoris").crosses_knee


def test_every_ps4_objective_is_one_of_the_new_topics_or_a_formerly_ungraded_one():
    asked = {q.objective for q in bank.questions() if q.source == "ps4.yaml"}
    new = {"force-couples.1", "force-couples.2", "hip-limits.1", "hip-limits.2", "clinical-tests.1",
           "clinical-tests.2", "palpation.1", "innervation.1", "innervation.2"}
    formerly_ungraded = {"welcome.1", "hip-movements.3", "hip-flexors.3", "hamstring-strength.1"}
    assert asked == new | formerly_ungraded
    plan = bank.question("ps4.hamstring-plan")
    assert plan.kind == "text" and len(plan.settings["rubric"]) == 4
