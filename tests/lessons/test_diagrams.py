"""The lesson figures draw what their inputs and the data say, with alt text, deterministically."""

from __future__ import annotations

import math
import subprocess
import sys
from collections.abc import Callable

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from coursekit import anatomy
from coursekit.anatomy import Status
from coursekit.diagrams import hip_angles, matrix, poses, posterior
from coursekit.diagrams.style import PALETTE, alt_text, png_bytes

RANGES = pd.DataFrame(
    [("Flexion", 110, 120, "table A"), ("Extension", 6.9, 6.9, "study B"), ("Extension", 10, 30, "table C")],
    columns=["motion", "low", "high", "source"],
)

FIGURES: dict[str, Callable[[], Figure]] = {
    "hip_angle": lambda: hip_angles.hip_angle_figure(-15, title="Leg back"),
    "hip_positions": hip_angles.hip_positions_figure,
    "rom": lambda: hip_angles.rom_figure(RANGES),
    "matrix_hip": matrix.matrix_figure,
    "matrix_knee": lambda: matrix.matrix_figure(anatomy.group("hamstrings"), "knee"),
    "matrix_rotation": lambda: matrix.matrix_figure(actions=["external_rotation", "internal_rotation"]),
    "posterior": posterior.posterior_figure,
    "pose": lambda: poses.pose_figure("Urdhva Dhanurasana"),
    "poses": poses.poses_figure,
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_figure_function_sets_alt_text(name):
    fig = FIGURES[name]()
    assert isinstance(fig, Figure)
    assert len(alt_text(fig)) > 60


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_figure_is_deterministic(name):
    assert png_bytes(FIGURES[name]()) == png_bytes(FIGURES[name]())


def test_figure_modules_never_import_pyplot():
    code = ("import sys; import coursekit.diagrams.hip_angles, coursekit.diagrams.matrix, "
            "coursekit.diagrams.posterior, coursekit.diagrams.poses; "
            "print('matplotlib.pyplot' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ------------------------------------------------------------------ hip angles


@settings(max_examples=60, deadline=None)
@given(angle=st.floats(-40, 140).map(lambda a: round(a, 1)), trunk=st.sampled_from([90.0, 60.0, 120.0, -30.0]))
def test_the_hip_angle_drawn_is_the_angle_asked_for(angle, trunk):
    fig = hip_angles.hip_angle_figure(angle, trunk_deg=trunk)
    assert hip_angles.drawn_hip_angles(fig) == [pytest.approx(angle, abs=1e-6)]


def test_alt_text_names_the_angle_in_words():
    assert "15° extension" in alt_text(hip_angles.hip_angle_figure(-15))
    assert "90° flexion" in alt_text(hip_angles.hip_angle_figure(90))


def test_position_panels_draw_every_requested_angle():
    positions = (("a", -10.0, 90.0), ("b", 45.0, 90.0), ("c", 100.0, 90.0))
    fig = hip_angles.hip_positions_figure(positions)
    assert hip_angles.drawn_hip_angles(fig) == [-10.0, 45.0, 100.0]


def test_range_bars_span_the_reported_values():
    fig = hip_angles.rom_figure(RANGES)
    drawn = sorted(tuple(round(float(x), 6) for x in line.get_xdata())
                   for line in fig.axes[0].get_lines() if line.get_gid() == "rom")
    assert drawn == sorted([(110.0, 120.0), (6.9,), (10.0, 30.0)])
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["table A", "study B", "table C"]


# ------------------------------------------------------------------ matrix


def _expected_status(name: str, action: str, joint: str) -> str:
    """The status the data give (a qualification in conditional_actions wins)."""
    m = anatomy.muscle(name)
    qualified = [c.status.value for c in m.conditional if c.joint.value == joint and c.action.value == action]
    order = ["secondary", "position_dependent", "fibre_specific", "disputed"]
    if qualified:
        return min(qualified, key=order.index)
    base = m.hip_actions if joint == "hip" else m.knee_actions
    return "primary" if anatomy.Action(action) in base else ""


@pytest.mark.parametrize("joint", ["hip", "knee"])
def test_matrix_cells_match_the_data(joint):
    fig = matrix.matrix_figure(joint=joint)
    drawn = matrix.drawn_cells(fig)
    actions = [a.value for a in anatomy.JOINT_ACTIONS[anatomy.Joint(joint)]]
    expected = {(m, a): _expected_status(m, a, joint) for m in anatomy.muscle_names() for a in actions}
    assert drawn == {k: v for k, v in expected.items() if v}


def test_matrix_shows_disputed_and_position_dependent_marks():
    drawn = matrix.drawn_cells(matrix.matrix_figure())
    assert drawn[("iliopsoas", "external_rotation")] == Status.DISPUTED
    assert drawn[("piriformis", "internal_rotation")] == Status.POSITION_DEPENDENT
    assert drawn[("piriformis", "external_rotation")] == Status.PRIMARY
    assert drawn[("semitendinosus", "internal_rotation")] == Status.SECONDARY
    assert ("biceps femoris (short head)", "extension") not in drawn


def test_matrix_labels_are_the_data_names_and_colours_come_from_the_palette():
    fig = matrix.matrix_figure()
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == list(reversed(anatomy.muscle_names()))
    palette = {c.lower() for c in PALETTE.values()} | {"white"}
    for _, face, edge, _, _ in matrix.MARKS.values():
        assert face.lower() in palette and edge.lower() in palette


def test_matrix_alt_text_lists_every_muscle():
    text = alt_text(matrix.matrix_figure())
    assert all(f"{name}:" in text for name in anatomy.muscle_names())


# ------------------------------------------------------------------ posterior view


def test_every_attachment_label_is_a_phrase_of_the_muscle_data():
    for name, (origins, insertions) in posterior.ATTACHMENTS.items():
        m = anatomy.muscle(name)
        for phrase in origins:
            assert phrase in m.origin.lower(), (name, phrase, m.origin)
        for phrase in insertions:
            assert phrase in m.insertion.lower(), (name, phrase, m.insertion)


def test_posterior_view_marks_the_attachments_it_declares():
    drawn = posterior.drawn_muscles(posterior.posterior_figure())
    assert drawn == {name: {"origin": set(o), "insertion": set(i)}
                     for name, (o, i) in posterior.ATTACHMENTS.items()}


def test_posterior_view_shows_gluteus_maximus_and_every_hamstring_that_crosses_the_hip():
    drawn = set(posterior.drawn_muscles(posterior.posterior_figure()))
    crossing = {m for m in anatomy.group("hamstrings") if anatomy.muscle(m).crosses_hip}
    assert {"gluteus maximus", "adductor magnus (hamstring part)"} | crossing <= drawn


def test_posterior_muscle_labels_are_canonical_names():
    fig = posterior.posterior_figure()
    labels = {t.get_gid().split("|", 1)[1]: t.get_text() for t in fig.axes[0].texts
              if (t.get_gid() or "").startswith("label|")}
    assert set(labels) == set(posterior.ATTACHMENTS)
    for name, text in labels.items():
        assert " ".join(text.split()) == anatomy.muscle(name).name


# ------------------------------------------------------------------ poses


def test_every_backbend_and_lunge_in_the_data_has_a_layout():
    table = anatomy.poses()
    wanted = set(table.loc[table["kind"].isin(["backbend", "lunge"]), "name"])
    assert wanted <= set(poses.LAYOUTS)


@pytest.mark.parametrize("name", sorted(poses.LAYOUTS))
def test_each_pose_is_drawn_at_its_hip_angle_from_the_data(name):
    pose = anatomy.pose(name)
    body = poses.pose_body(name)
    assert body.hip_angle == pytest.approx(pose.hip_angle_deg, abs=1e-6)
    assert poses.drawn_hip_angles(poses.pose_figure(name)) == [pytest.approx(pose.hip_angle_deg, abs=1e-6)]
    assert min(p[1] for p in body.points()) == pytest.approx(0.0, abs=0.2)  # rests on the floor


@pytest.mark.parametrize("name", sorted(poses.LAYOUTS))
def test_each_pose_is_drawn_with_its_knee_angle_from_the_data(name):
    pose = anatomy.pose(name)
    body = poses.pose_body(name)
    thigh = (body.knee[0] - body.hip[0], body.knee[1] - body.hip[1])
    shank = (body.ankle[0] - body.knee[0], body.ankle[1] - body.knee[1])
    bend = math.degrees(math.atan2(thigh[0] * shank[1] - thigh[1] * shank[0], thigh[0] * shank[0] + thigh[1] * shank[1]))
    assert -bend == pytest.approx(pose.knee_flexion_deg, abs=1e-6)


def test_grid_alt_text_and_labels_carry_the_data_values():
    fig = poses.poses_figure()
    text = alt_text(fig)
    for name in poses.LAYOUTS:
        pose = anatomy.pose(name)
        assert f"{pose.name} ({pose.english_name})" in text
        assert any(f"data: {pose.hip_angle_deg:g}° (range {pose.hip_angle_low:g} to {pose.hip_angle_high:g}°"
                   in t.get_text() for ax in fig.axes for t in ax.texts)
    assert poses.drawn_hip_angles(fig) == [anatomy.pose(n).hip_angle_deg
                                           for n in anatomy.poses()["name"] if n in poses.LAYOUTS]
