"""The anatomical data: schema, validation errors, and the queries lessons rely on."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from coursekit import anatomy
from coursekit.anatomy import Action, Status
from coursekit.errors import DataError, NameMatchError

# A copy of the rows of the team's sourced reference this test needs (see tests/data/README.md).
REFERENCE = Path(__file__).resolve().parent / "data" / "reference_muscles.csv"


def test_every_muscle_row_has_a_source_and_valid_actions():
    frame = anatomy.muscles()
    assert len(frame) == 25
    assert frame["source"].str.len().min() > 10
    for _, row in frame.iterrows():
        for action in filter(None, row["hip_actions"].split(";")):
            assert Action(action)


def test_hamstrings_that_cross_the_hip():
    crossing = [m for m in anatomy.group("hamstrings") if anatomy.muscle(m).crosses_hip]
    assert crossing == ["biceps femoris (long head)", "semitendinosus", "semimembranosus"]
    assert not anatomy.muscle("biceps femoris (short head)").crosses_hip
    assert anatomy.actions_of("biceps femoris (short head)", "hip") == []


def test_muscles_that_extend_and_externally_rotate_the_hip():
    assert anatomy.muscles_with(hip=["extension", "external_rotation"]) == [
        "gluteus maximus",
        "biceps femoris (long head)",
    ]


def test_hip_extensors_group_and_action_query_agree():
    by_action = set(anatomy.muscles_with(hip=[Action.EXTENSION]))
    assert by_action == set(anatomy.group("hip extensors"))
    assert "adductor magnus (hamstring part)" in by_action


def test_deep_external_rotators_are_the_deep_six():
    assert anatomy.group("deep six") == [
        "piriformis", "superior gemellus", "inferior gemellus",
        "obturator internus", "obturator externus", "quadratus femoris",
    ]


def test_action_synonyms_are_accepted_in_queries():
    assert anatomy.muscles_with(hip=["lateral rotation"]) == anatomy.muscles_with(hip=["external_rotation"])


def test_unknown_group_lists_the_valid_groups():
    with pytest.raises(NameMatchError, match="the groups are: .*hamstrings"):
        anatomy.group("calf muscles")


def test_unknown_action_names_the_choices():
    with pytest.raises(NameMatchError, match="use one of: flexion"):
        anatomy.muscles_with(hip=["wiggling"])


def test_piriformis_rotation_reverses_in_deep_flexion():
    piri = anatomy.muscle("piriformis")
    assert Action.EXTERNAL_ROTATION in piri.hip_actions
    reversed_ = [c for c in piri.conditional if c.action is Action.INTERNAL_ROTATION]
    assert len(reversed_) == 1
    assert reversed_[0].status is Status.POSITION_DEPENDENT
    assert "flex" in reversed_[0].condition


def test_iliopsoas_rotation_is_disputed_not_dropped():
    ilio = anatomy.muscle("iliopsoas")
    assert ilio.actions("hip") == [Action.FLEXION]
    disputed = anatomy.disputed()
    rows = disputed[disputed.muscle == "iliopsoas"]
    assert set(rows.action) == {"external_rotation", "internal_rotation"}
    assert ilio.actions("hip", statuses=["primary", "disputed"]) == [
        Action.FLEXION, Action.EXTERNAL_ROTATION, Action.INTERNAL_ROTATION,
    ]


def test_medial_hamstrings_rotate_the_knee_only_when_flexed():
    semi_t = anatomy.muscle("semitendinosus")
    cond = [c for c in semi_t.conditional if c.joint.value == "knee"]
    assert [c.condition for c in cond] == ["knee flexed"]


def test_dataframe_has_boolean_action_columns_matching_records():
    frame = anatomy.muscles().set_index("name")
    assert frame.loc["gluteus maximus", "hip_external_rotation"]
    assert not frame.loc["gluteus maximus", "hip_flexion"]
    assert frame["hip_extension"].sum() == len(anatomy.group("hip extensors"))


#: Hip actions the course corrected against the shared reference (issue 13), each now a
#: conditional action in conditional_actions.csv with its source (Neumann 2010; Delp 1999).
CORRECTED = {
    "gluteus medius": {"internal_rotation": "fibre_specific"},
    "gluteus minimus": {"internal_rotation": "fibre_specific"},
    "sartorius": {"external_rotation": "secondary"},
    "semitendinosus": {"internal_rotation": "secondary"},
    "semimembranosus": {"internal_rotation": "secondary"},
}


def test_facts_agree_with_the_shared_reference():
    reference = {r["name"]: r for r in csv.DictReader(open(REFERENCE, encoding="utf-8"))}
    for m in anatomy.load_muscles():
        ref = reference[m.name]
        moved = CORRECTED.get(m.name, {})
        assert {a.value for a in m.hip_actions} == set(filter(None, ref["hip_actions"].split(";"))) - set(moved)
        for action, status in moved.items():
            assert any(c.action.value == action and c.status.value == status for c in m.conditional), (m.name, action)
        ref_knee = set(filter(None, ref["knee_actions"].replace("none", "").split(";")))
        assert {a.value for a in m.knee_actions} == ref_knee
        assert m.innervation == ref["innervation"]


def _broken_copy(tmp_path: Path, edit) -> Path:
    src = anatomy.data_path("muscles.csv")
    rows = list(csv.reader(open(src, encoding="utf-8")))
    edit(rows)
    path = tmp_path / "muscles.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    shutil.copy(anatomy.data_path("conditional_actions.csv"), tmp_path / "conditional_actions.csv")
    return path


def test_malformed_action_names_file_row_and_column(tmp_path):
    def edit(rows):
        col = rows[0].index("hip_actions")
        rows[3][col] = "abduction;twirling"

    path = _broken_copy(tmp_path, edit)
    with pytest.raises(DataError) as info:
        anatomy.load_muscles(path, tmp_path / "conditional_actions.csv")
    assert str(info.value).startswith("muscles.csv, row 4, column 'hip_actions': unknown action 'twirling'")


def test_empty_required_cell_is_reported(tmp_path):
    def edit(rows):
        rows[2][rows[0].index("source")] = ""

    path = _broken_copy(tmp_path, edit)
    with pytest.raises(DataError, match=r"muscles.csv, row 3, column 'source': is empty"):
        anatomy.load_muscles(path, tmp_path / "conditional_actions.csv")


def test_hip_action_on_a_muscle_that_does_not_cross_the_hip_is_refused(tmp_path):
    def edit(rows):
        line = next(i for i, r in enumerate(rows) if r[0] == "biceps femoris (short head)")
        rows[line][rows[0].index("hip_actions")] = "extension"

    path = _broken_copy(tmp_path, edit)
    with pytest.raises(DataError, match="does not cross the hip"):
        anatomy.load_muscles(path, tmp_path / "conditional_actions.csv")


def test_missing_column_is_reported_with_the_header(tmp_path):
    def edit(rows):
        col = rows[0].index("innervation")
        for r in rows:
            del r[col]

    path = _broken_copy(tmp_path, edit)
    with pytest.raises(DataError, match="missing column"):
        anatomy.load_muscles(path, tmp_path / "conditional_actions.csv")


def test_poses_have_consistent_angle_ranges():
    frame = anatomy.poses()
    assert (frame.hip_angle_low <= frame.hip_angle_deg).all()
    assert (frame.hip_angle_deg <= frame.hip_angle_high).all()
    assert anatomy.pose("Bridge Pose").name == "Setu Bandha Sarvangasana"
    assert anatomy.pose("tadasana").hip_angle_deg == 0
    backbends = frame[frame.kind == "backbend"]
    assert (backbends.hip_angle_deg <= 0).all(), "backbends extend the hip (negative angles)"


def test_landmark_attachments_name_course_muscles():
    frame = anatomy.landmarks().set_index("abbreviation")
    assert "sartorius" in frame.loc["ASIS", "attachments"]
    tuberosity = anatomy.landmarks().set_index("name").loc["ischial tuberosity", "attachments"]
    for hamstring in ("semitendinosus", "semimembranosus", "biceps femoris (long head)"):
        assert hamstring in tuberosity
