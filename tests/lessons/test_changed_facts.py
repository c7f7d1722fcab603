"""Each fact issue 13 changed, proved against its data file and its source column."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from coursekit import anatomy
from coursekit.anatomy import Status, data_path

REPO = Path(__file__).resolve().parents[2]
BOOK = REPO / "book"


def _conditional(muscle: str, action: str) -> dict[str, str]:
    rows = [r for r in csv.DictReader(open(data_path("conditional_actions.csv"), encoding="utf-8"))
            if r["muscle"] == muscle and r["joint"] == "hip" and r["action"] == action]
    assert len(rows) == 1, (muscle, action, rows)
    return rows[0]


def _pose(name: str) -> dict[str, str]:
    return next(r for r in csv.DictReader(open(data_path("poses.csv"), encoding="utf-8")) if r["name"] == name)


@pytest.mark.parametrize("muscle", ["gluteus medius", "gluteus minimus"])
def test_gluteus_medius_and_minimus_turn_the_thigh_in_by_their_front_fibres_only(muscle):
    m = anatomy.muscle(muscle)
    assert [a.value for a in m.hip_actions] == ["abduction"]
    row = _conditional(muscle, "internal_rotation")
    assert (row["status"], row["condition"]) == ("fibre_specific", "anterior fibres")
    assert all(s in row["source"] for s in ("Neumann", "Delp SL et al. 1999", "Moore"))
    assert "the table in Moore gives the whole muscle" in row["note"]  # the disagreement is stated
    back = _conditional(muscle, "external_rotation")
    assert (back["status"], back["condition"]) == ("fibre_specific", "posterior fibres")


def test_sartorius_is_a_secondary_external_rotator_in_data_and_text():
    assert "external_rotation" not in {a.value for a in anatomy.muscle("sartorius").hip_actions}
    row = _conditional("sartorius", "external_rotation")
    assert row["status"] == "secondary" and "Neumann" in row["source"] and "Moore" in row["source"]
    text = (BOOK / "rotation.md").read_text(encoding="utf-8")
    assert "as secondary rotators" in text and "Disputed: how much sartorius rotates" in text


@pytest.mark.parametrize("muscle", ["semitendinosus", "semimembranosus"])
def test_the_medial_hamstrings_rotate_the_hip_only_as_a_secondary_action(muscle):
    assert [a.value for a in anatomy.muscle(muscle).hip_actions] == ["extension"]
    row = _conditional(muscle, "internal_rotation")
    assert row["status"] == "secondary" and "Neumann" in row["source"]


def test_piriformis_and_gluteus_maximus_turn_the_thigh_in_only_with_the_hip_flexed():
    for muscle in ("piriformis", "gluteus maximus"):
        row = _conditional(muscle, "internal_rotation")
        assert row["status"] == "position_dependent" and "doi:10.1016/S0021-9290(99)00032-9" in row["source"]
    assert "20, 45, 60 and 90 degrees" in open(BOOK / "references.bib", encoding="utf-8").read()


def test_the_adductor_magnus_internal_rotation_that_rested_on_an_exam_table_is_gone():
    rows = [r for r in csv.DictReader(open(data_path("conditional_actions.csv"), encoding="utf-8"))
            if r["muscle"] == "adductor magnus (adductor part)" and r["action"] == "internal_rotation"]
    assert rows == []


def test_the_low_lunge_back_knee_is_bent_and_the_sitting_range_is_a_labelled_estimate():
    lunge = _pose("Anjaneyasana")
    assert float(lunge["knee_flexion_deg"]) == 70 and "geometry" in lunge["note"]
    assert anatomy.pose("Anjaneyasana").knee_flexion_deg == 70
    sitting = _pose("Dandasana (sitting)")
    assert sitting["evidence"] == "estimate" and "no measured source" in sitting["source"].lower()
    assert "goniometer.io" not in sitting["source"]


def test_the_locust_note_says_what_lewis_and_sahrmann_measured():
    note = _pose("Salabhasana")["note"]
    assert "Not measured in the pose" in note and "30 deg of flexion to neutral" in note
    assert _pose("Salabhasana")["evidence"].startswith("teaching_claim (pose)")


def test_the_ischial_tuberosity_is_sourced_to_an_anatomy_text_not_an_answer_site():
    row = next(r for r in csv.DictReader(open(data_path("landmarks.csv"), encoding="utf-8"))
               if r["name"] == "ischial tuberosity")
    assert row["source"].startswith("Moore KL") and "quanswer" not in row["source"]


def test_every_muscle_row_cites_an_anatomy_and_a_kinesiology_textbook():
    for row in csv.DictReader(open(data_path("muscles.csv"), encoding="utf-8")):
        assert "Clinically Oriented Anatomy 8e" in row["source"] and "Kinesiology of the Musculoskeletal System 2e" in row["source"]


def test_the_coupling_is_carried_by_studies_that_measured_it():
    text = (BOOK / "pelvic-tilt.md").read_text(encoding="utf-8")
    assert "levine1996effects" in text and "youdas1996lumbar" in text and "It never compared tilt with\nlordosis." in text
    bank = yaml.safe_load((REPO / "src/coursekit/data/bank/lessons.yaml").read_text(encoding="utf-8"))
    coupling = next(q for q in bank if q["id"] == "lessons.pelvic-tilt.coupling")
    feedback = " ".join(o.get("feedback", "") for o in coupling["options"])
    assert "hip extension range" not in feedback and "10.8°" in feedback and "90 adults" in feedback


def test_kang_and_lewis_are_reported_as_what_they_compared():
    gripping = (BOOK / "gripping.md").read_text(encoding="utf-8")
    assert "than\n  bridging at 0° or 15° of abduction" in gripping and "did not measure thigh rotation" in gripping
    assert "from 30° of hip flexion" in gripping and "This is not a locust pose" in gripping
    poses = (BOOK / "poses.md").read_text(encoding="utf-8")
    assert "thighs together" not in poses and "No study measured the locust itself" in poses


def test_the_overstatements_are_gone():
    flexors = (BOOK / "hip-flexors.md").read_text(encoding="utf-8")
    assert "slack at the straight knee" not in flexors
    poses = (BOOK / "poses.md").read_text(encoding="utf-8")
    assert "short quadriceps" not in poses
    rotation = (BOOK / "rotation.md").read_text(encoding="utf-8")
    assert "Turn the knee out against" not in rotation and "cannot be felt apart from it" in rotation
    bank = (REPO / "src/coursekit/data/bank/lessons.yaml").read_text(encoding="utf-8")
    assert "slack at the straight knee" not in bank


def test_the_column_cues_are_in_the_locust_with_their_labels():
    gripping = (BOOK / "gripping.md").read_text(encoding="utf-8")
    for cue in ('"gripping the tailbone"', "One leg at a time, in neutral", "Fingers on the hamstring tendon",
                "Knee pain and biceps femoris", "Tight external rotators and weak hamstrings reinforce each\n  other"):
        assert cue in gripping, cue
    assert "Teaching cues (the column)" in gripping
    poses = (BOOK / "poses.md").read_text(encoding="utf-8")
    assert "This is where the column puts its cues" in poses


def test_the_hip_angle_is_the_femur_against_the_pelvis_everywhere():
    movements = (BOOK / "hip-movements.md").read_text(encoding="utf-8")
    assert "hip\nangle is the angle of the femur against the pelvis" in movements and "apparent hip angle" in movements
    spec = (REPO / "assignments/specs/ps1.md").read_text(encoding="utf-8")
    assert "femur against the pelvis" in spec and "*apparent* hip angle" in spec
    statuses = {c.status for c in anatomy.muscle("biceps femoris (long head)").conditional
                if c.action.value == "external_rotation"}
    assert Status.SECONDARY in statuses
