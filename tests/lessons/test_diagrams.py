"""The lesson figures draw what their inputs and the data say, with alt text, deterministically."""

from __future__ import annotations

import math
import subprocess
import sys
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from matplotlib.patches import Circle

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
    drawn = sorted(tuple(round(float(x), 6) for x in np.asarray(line.get_xdata()))
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
    labels = {(t.get_gid() or "").split("|", 1)[1]: t.get_text() for t in fig.axes[0].texts
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


# ------------------------------------------------------------------ articulated bodies: proportions, joints, labels

import csv  # noqa: E402
from pathlib import Path  # noqa: E402

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402

SEGMENTS_CSV = Path(anatomy.data_path("segment_lengths.csv"))


def _segment_rows() -> dict[str, dict[str, str]]:
    with open(SEGMENTS_CSV, encoding="utf-8", newline="") as fh:
        return {row["segment"]: row for row in csv.DictReader(fh)}


def test_segment_lengths_are_published_fractions_of_height_with_their_source():
    rows = _segment_rows()
    # Winter 2009 Fig. 4.1 (Drillis & Contini 1966): landmark heights as fractions of H
    assert float(rows["thigh"]["fraction_of_height"]) == pytest.approx(0.530 - 0.285)
    assert float(rows["shank"]["fraction_of_height"]) == pytest.approx(0.285 - 0.039)
    assert float(rows["trunk"]["fraction_of_height"]) == pytest.approx(0.818 - 0.530)
    assert float(rows["head"]["fraction_of_height"]) == pytest.approx(1.0 - 0.870)
    for row in rows.values():
        assert "Winter" in row["source"] and "Drillis" in row["source"]


def _dist(p, q) -> float:
    return math.hypot(q[0] - p[0], q[1] - p[1])


@pytest.mark.parametrize("name", sorted(poses.LAYOUTS))
def test_each_pose_body_has_the_segment_proportions_of_the_data(name):
    rows = {k: float(v["fraction_of_height"]) for k, v in _segment_rows().items()}
    body = poses.pose_body(name)
    trunk = sum(_dist(p, q) for p, q in zip([body.hip, *body.spine], [*body.spine, body.shoulder]))
    assert _dist(body.hip, body.knee) / trunk == pytest.approx(rows["thigh"] / rows["trunk"], rel=0.02)
    assert _dist(body.knee, body.ankle) / trunk == pytest.approx(rows["shank"] / rows["trunk"], rel=0.02)
    assert _dist(body.shoulder, body.elbow) / trunk == pytest.approx(rows["upper_arm"] / rows["trunk"], rel=0.02)
    assert _dist(body.elbow, body.wrist) / trunk == pytest.approx(rows["forearm"] / rows["trunk"], rel=0.02)
    assert _dist(body.heel, body.toe) / trunk == pytest.approx(rows["foot"] / rows["trunk"], rel=0.02)
    assert _dist(body.shoulder, body.head) / trunk == pytest.approx(
        (rows["neck"] + rows["head"] / 2) / rows["trunk"], rel=0.02)


@pytest.mark.parametrize("name", sorted(poses.LAYOUTS))
def test_each_pose_draws_its_joints_as_circles_on_the_joints(name):
    fig = poses.pose_figure(name)
    body = poses.pose_body(name)
    circles = {p.get_gid(): p for p in fig.axes[0].patches
               if isinstance(p, Circle) and (p.get_gid() or "").startswith("joint|")}
    for joint in ("hip", "knee", "ankle", "shoulder", "elbow", "wrist"):
        assert circles[f"joint|{joint}"].center == pytest.approx(getattr(body, joint))
    # the hip is marked differently from the other joints: larger and filled (not by colour alone)
    assert circles["joint|hip"].radius > circles["joint|knee"].radius


def _rendered(fig):
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def _body_parts(ax, renderer):
    """(display points, half width px) of every body line and the head, independent of the code under test."""
    px = renderer.points_to_pixels(1.0)
    parts = []
    for line in ax.get_lines():
        gid = line.get_gid() or ""
        if gid in ("trunk", "thigh", "spine") or gid.startswith("body|"):
            xy = line.get_transform().transform(line.get_xydata())
            dense = []
            for a, b in zip(xy[:-1], xy[1:]):
                dense += [a + (b - a) * t / 40 for t in range(41)]
            parts.append((dense, line.get_linewidth() * px / 2, gid))
    for patch in ax.patches:
        if patch.get_gid() == "body|head":
            c = ax.transData.transform(patch.center)
            r = ax.transData.transform((patch.center[0] + patch.radius, patch.center[1]))[0] - c[0]
            parts.append(([c], r, "head"))
    return parts


def _label_clashes(fig):
    renderer = _rendered(fig)
    clashes = []
    for ax in fig.axes:
        parts = _body_parts(ax, renderer)
        for text in ax.texts:
            if text.get_gid() != "angle-label":
                continue
            box = text.get_bbox_patch().get_window_extent(renderer)
            for points, half, gid in parts:
                for x, y in points:
                    if box.x0 - half < x < box.x1 + half and box.y0 - half < y < box.y1 + half:
                        clashes.append((ax.get_title() or text.get_text(), gid))
                        break
    return clashes


@pytest.mark.parametrize("make", [
    lambda: poses.poses_figure(),
    lambda: poses.poses_figure(["Salabhasana", "Setu Bandha Sarvangasana", "Urdhva Dhanurasana",
                                "Bhujangasana", "Ustrasana", "Dhanurasana"], columns=2),
    lambda: poses.poses_figure(["Anjaneyasana", "Virabhadrasana I"], columns=2),
    hip_angles.hip_positions_figure,
    lambda: hip_angles.hip_angle_figure(-15),
], ids=["all-poses", "backbends", "lunges", "positions", "one-angle"])
def test_angle_labels_are_clear_of_every_body_line(make):
    fig = make()
    assert [t for ax in fig.axes for t in ax.texts if t.get_gid() == "angle-label"]
    assert _label_clashes(fig) == []


@pytest.mark.parametrize("name", sorted(poses.LAYOUTS))
def test_single_pose_label_is_clear_of_the_body(name):
    assert _label_clashes(poses.pose_figure(name)) == []


def test_the_bridge_label_clears_the_shin_and_the_locust_head_clears_the_panel_edge():
    fig = poses.poses_figure(["Salabhasana", "Setu Bandha Sarvangasana"], columns=2)
    renderer = _rendered(fig)
    for ax in fig.axes:
        frame = ax.get_window_extent(renderer)
        head = next(p for p in ax.patches if p.get_gid() == "body|head")
        box = head.get_window_extent(renderer)
        margin = 0.02 * frame.width
        assert frame.x0 + margin < box.x0 and box.x1 < frame.x1 - margin
        assert frame.y0 < box.y0 and box.y1 < frame.y1 - margin
        for text in ax.texts:
            if text.get_gid() == "angle-label":
                bbox = text.get_bbox_patch()
                assert bbox is not None, "an angle label is drawn in a box"
                tb = bbox.get_window_extent(renderer)
                assert frame.x0 <= tb.x0 and tb.x1 <= frame.x1 and frame.y0 <= tb.y0 and tb.y1 <= frame.y1
    assert _label_clashes(fig) == []


def test_every_pose_panel_uses_one_scale():
    fig = poses.poses_figure()
    renderer = _rendered(fig)
    scales = []
    for ax in fig.axes:
        if not ax.get_lines():
            continue
        (x0, _), (x1, _) = ax.transData.transform([(0, 0), (1, 0)])
        scales.append(x1 - x0)
    assert max(scales) == pytest.approx(min(scales), rel=0.01)
    del renderer


def test_pose_alt_text_describes_the_drawing_and_each_pose_angles():
    text = alt_text(poses.poses_figure())
    assert "articulated figures" in text and "arc marks the angle between the thigh" in text
    for name in poses.LAYOUTS:
        pose = anatomy.pose(name)
        assert f"{pose.name} ({pose.english_name}): hip {hip_angles.describe_angle(pose.hip_angle_deg)}" in text


def test_the_far_leg_is_told_apart_by_line_style_not_only_colour():
    fig = poses.pose_figure("Virabhadrasana I")
    ax = fig.axes[0]
    far = [ln for ln in ax.get_lines() if ln.get_gid() is None and ln.get_linestyle() not in ("-", "None")]
    assert far, "the second leg carries a dashed inner line"


# ------------------------------------------------------------------ posterior view: layers


LAYERS_CSV = Path(anatomy.data_path("posterior_layers.csv"))


def _layers() -> dict[str, int]:
    with open(LAYERS_CSV, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert all(r["source"].strip() for r in rows)
    return {r["muscle"]: int(r["layer"]) for r in rows}


def _muscle_patches(fig):
    return {p.get_gid().split("|", 1)[1]: p for p in fig.axes[0].patches
            if (p.get_gid() or "").startswith("muscle|")}


def test_posterior_layers_in_the_data_put_semimembranosus_deep_to_semitendinosus():
    layers = _layers()
    assert layers["semimembranosus"] < layers["semitendinosus"]
    assert layers["biceps femoris (short head)"] < layers["biceps femoris (long head)"]
    assert layers["adductor magnus (hamstring part)"] < layers["semimembranosus"]


def test_posterior_view_draws_each_muscle_at_the_depth_of_its_layer():
    patches = _muscle_patches(posterior.posterior_figure())
    layers = _layers()
    for deep in patches:
        for top in patches:
            if layers[deep] < layers[top]:
                assert patches[deep].get_zorder() < patches[top].get_zorder(), (deep, top)
    # drawing order follows depth as well: a deeper muscle is added before a superficial one
    order = list(patches)
    assert order.index("semimembranosus") < order.index("semitendinosus")
    assert order.index("biceps femoris (short head)") < order.index("biceps femoris (long head)")


def _x_range(patch, y: float) -> tuple[float, float]:
    """Horizontal extent of a (data-space) polygon at height y."""
    xy = patch.get_xy()
    xs = []
    for (x0, y0), (x1, y1) in zip(xy[:-1], xy[1:]):
        if (y0 - y) * (y1 - y) <= 0 and y0 != y1:
            xs.append(x0 + (y - y0) * (x1 - x0) / (y1 - y0))
    return min(xs), max(xs)


@pytest.mark.parametrize("y", [-2.4, -2.8, -3.2])
def test_semimembranosus_shows_on_both_sides_of_semitendinosus_low_in_the_thigh(y):
    patches = _muscle_patches(posterior.posterior_figure())
    sm, st = _x_range(patches["semimembranosus"], y), _x_range(patches["semitendinosus"], y)
    assert sm[0] < st[0] and st[1] < sm[1]


@pytest.mark.parametrize("y", [-1.8, -2.4, -3.0])
def test_biceps_long_head_runs_lateral_of_the_medial_hamstrings(y):
    patches = _muscle_patches(posterior.posterior_figure())
    biceps = _x_range(patches["biceps femoris (long head)"], y)
    for medial in ("semitendinosus", "semimembranosus", "adductor magnus (hamstring part)"):
        assert _x_range(patches[medial], y)[1] < biceps[0] + 0.05  # lateral = away from the midline (x = 0)


def test_deep_muscles_are_hatched_so_depth_is_not_told_by_colour_alone():
    patches = _muscle_patches(posterior.posterior_figure())
    layers = _layers()
    superficial = max(layers[m] for m in patches if m != "gluteus maximus")
    for name, patch in patches.items():
        if name != "gluteus maximus":
            assert bool(patch.get_hatch()) == (layers[name] < superficial), name


def test_posterior_alt_text_states_the_layers():
    text = alt_text(posterior.posterior_figure())
    assert "semimembranosus lies deep to semitendinosus" in text
    assert "biceps femoris runs down the lateral side" in text
