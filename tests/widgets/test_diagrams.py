"""The exercise diagrams: labelled, deterministic, alt text, updated in place, consistent with the models."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from coursekit.diagrams.finder import FinderView, finder_figure
from coursekit.diagrams.pelvis import LANDMARKS, FlexorView, PelvisView, flexor_figure, pelvis_figure
from coursekit.diagrams.rotation import SHORT, RotationView, rotation_figure
from coursekit.diagrams.style import PALETTE, alt_text, png_bytes
from coursekit.errors import NameMatchError
from coursekit.model import ACTOR_IDS, balance, hip_flexion, lumbar_lordosis, moment_arm, pelvic_tilt


def _artists(fig: Figure) -> int:
    return sum(len(ax.get_children()) for ax in fig.axes) + len(fig.texts)


@pytest.mark.parametrize("make", [lambda: pelvis_figure(12, -10), lambda: flexor_figure(20, 5),
                                  lambda: rotation_figure({"gluteus_maximus": 0.7}),
                                  lambda: finder_figure(["extension"])])
def test_book_figures_are_plain_deterministic_figures_with_alt_text(make):
    first, second = make(), make()
    assert isinstance(first, Figure) and first.canvas.manager is None   # not pyplot
    assert alt_text(first) == alt_text(second)
    assert png_bytes(first) == png_bytes(second)


@pytest.mark.parametrize(("tilt", "hip"), [(0, 0), (15, -10), (-12, 30), (25, 90)])
def test_pelvis_drawing_measures_back_to_its_angles(tilt, hip):
    view = PelvisView(tilt=tilt, hip=hip)
    assert pelvic_tilt(view.landmark("ASIS"), view.landmark("PSIS")) == pytest.approx(tilt)
    x, y = np.asarray(view.pelvis_line.get_data())
    assert hip_flexion((x[0], y[0]), (0, 0), view.landmark("knee")) == pytest.approx(hip)


def test_pelvis_view_labels_every_landmark_and_angle():
    fig = pelvis_figure(12, -10)
    texts = {t.get_text() for ax in fig.axes for t in ax.texts}
    for label in ("ASIS", "PSIS", "iliac crest", "pubic symphysis", "ischial tuberosity", "sacrum", "knee",
                  "femoral head in the acetabulum\n(+ hip joint centre)",
                  "greater trochanter\n(on the femur, lateral:\nin front in this view)",
                  "Pelvic tilt 12° anterior", "Hip 10° extension"):
        assert label in texts
    lordosis = lumbar_lordosis(12)
    assert f"lumbar curve\n(lordosis ≈ {lordosis:.0f}°)" in texts
    assert "tilted 12° anterior" in alt_text(fig) and "22° behind the vertical" in alt_text(fig)
    assert "femoral head sits in the acetabulum" in alt_text(fig)
    assert "greater trochanter lies on the femur below it and lateral to it" in alt_text(fig)


def test_pelvis_view_updates_its_own_artists_in_place():
    view = PelvisView(tilt=0, hip=0)
    fig, ilium, count = view.fig, view.ilium, _artists(view.fig)
    view.update(tilt=-10, hip=45)
    assert view.fig is fig and view.ilium is ilium and _artists(fig) == count
    assert view.texts == {"tilt": "Pelvic tilt 10° posterior", "hip": "Hip 45° flexion",
                          "lumbar": f"lumbar curve\n(lordosis ≈ {lumbar_lordosis(-10):.0f}°)"}
    assert to_hex(view.asis_psis.get_color()).upper() == PALETTE["vermillion"]


def test_flexor_view_shows_the_compensation():
    view = FlexorView(wanted=20, available=5)
    assert view.texts["tilt"] == "Pelvic tilt 15° anterior"
    assert view.texts["flexors"] == "hip flexors: at full length"
    assert view.ghost.get_visible()
    view.update_flexors(10, 25)
    assert view.texts["flexors"] == "hip flexors: slack" and not view.ghost.get_visible()
    assert "need not tip forward" in alt_text(view.fig)


def test_rotation_view_draws_knee_foot_and_moments():
    result = balance({"gluteus_maximus": 1.0})
    view = RotationView(result=result)
    assert view.texts["knee"] == f"knee out {abs(result.thigh_rotation_deg):.0f}°"
    inner = result.inner_edge_share
    assert (view.texts["inner"], view.texts["outer"]) == (f"inner\n{inner:.0%}", f"outer\n{1 - inner:.0%}")
    assert view.texts["net_rotation"] == f"{result.net_rotation:+.0f} ± {result.net_rotation_uncertainty:.0f}"
    widths = [round(b.get_width(), 6) for b in view.bars["extension"]]
    assert widths == [round(result.extension[k], 6) for k in ACTOR_IDS] + [round(result.net_extension, 6)]
    fig, count = view.fig, _artists(view.fig)
    turned_in = balance({"internal_rotators": 1.0, "medial_hamstrings": 1.0})
    view.update(turned_in)
    assert view.fig is fig and _artists(fig) == count
    assert view.texts["knee"] == f"knee in {abs(turned_in.thigh_rotation_deg):.0f}°"
    assert view.texts["inner"] == f"inner\n{turned_in.inner_edge_share:.0%}"
    assert "turns in" in alt_text(fig)


def _knee_direction_deg(view: RotationView) -> float:
    """Drawn knee direction, degrees from straight ahead (+ = lateral, i.e. turned out)."""
    (x0, x1), (y0, y1) = np.asarray(view.thigh.get_data())
    return math.degrees(math.atan2(x1 - x0, y1 - y0))


@pytest.mark.parametrize("acts", [{"gluteus_maximus": 1.0}, {"internal_rotators": 1.0},
                                  {"gluteus_maximus": 0.4, "medial_hamstrings": 1.0, "adductor_magnus": 1.0,
                                   "internal_rotators": 0.4}, {}])
@pytest.mark.parametrize("flexion", [0.0, 90.0])
def test_rotation_view_turns_the_femur_end_on_by_the_model_rotation(acts, flexion):
    result = balance(acts, flexion)
    view = RotationView(result=result)
    assert _knee_direction_deg(view) == pytest.approx(result.thigh_rotation_deg, abs=1e-6)
    # the femur is end-on: the neck, trochanter and condyles turn about the axis in the femoral head at (0, 0)
    assert tuple(view.head.center) == (0, 0)
    base = RotationView(result=balance({}, flexion))
    for turned, still in ((view.trochanter.center, base.trochanter.center),
                          (view.kneecap.center, base.kneecap.center)):
        assert math.hypot(*turned) == pytest.approx(math.hypot(*still))
        angle = math.degrees(math.atan2(still[1], still[0]) - math.atan2(turned[1], turned[0]))
        assert (angle + 180) % 360 - 180 == pytest.approx(result.thigh_rotation_deg, abs=1e-6)


@pytest.mark.parametrize("flexion", [0.0, 45.0, 90.0])
def test_each_line_of_pull_runs_at_its_rotation_moment_arm_and_turns_the_thigh_the_model_way(flexion):
    acts = dict.fromkeys(ACTOR_IDS, 1.0)
    view = RotationView(result=balance(acts, flexion))
    for key in ACTOR_IDS:
        arrow = view.pulls[key]
        assert arrow.get_visible()
        # matplotlib has no public getter for the positions given to set_positions()
        (x0, y0), (x1, y1) = arrow._posA_posB  # type: ignore[attr-defined]
        ux, uy = (x1 - x0) / math.hypot(x1 - x0, y1 - y0), (y1 - y0) / math.hypot(x1 - x0, y1 - y0)
        torque_z = x0 * uy - y0 * ux          # about the upward axis, counter-clockwise seen from above
        arm = moment_arm(key, "rotation_arm", flexion)
        assert abs(torque_z) == pytest.approx(abs(arm), abs=1e-9)      # distance from the axis, cm
        if arm:   # external rotation is clockwise seen from above (right hip): negative torque
            assert math.copysign(1, -torque_z) == math.copysign(1, arm), key
        extends = moment_arm(key, "extension_arm", flexion) >= 0
        assert (uy < 0) == extends, key    # extensors pull backward, behind the axis


def test_rotation_actors_differ_in_line_style_and_hatch_not_only_colour():
    view = RotationView(result=balance(dict.fromkeys(ACTOR_IDS, 1.0)))
    styles = {str(view.pulls[k].get_linestyle()) for k in ACTOR_IDS}
    hatches = {b.get_hatch() or "" for b in view.bars["extension"]}
    assert len(styles) == len(ACTOR_IDS)
    assert len(hatches) >= len(ACTOR_IDS)
    assert {t.get_text() for t in view.pull_texts.values()} == {SHORT[k] for k in ACTOR_IDS}


def test_rotation_alt_text_says_what_is_drawn():
    result = balance({"gluteus_maximus": 1.0})
    text = alt_text(rotation_figure({"gluteus_maximus": 1.0}))
    assert "femur end-on" in text and "femoral head, which sits in the acetabulum" in text
    arm = moment_arm("gluteus_maximus", "rotation_arm", 0.0)
    assert f"gluteus maximus behind the axis, {abs(arm):.1f} cm to its lateral side" in text
    assert f"{abs(result.thigh_rotation_deg):.0f}° lateral of straight ahead" in text


def test_pelvis_landmarks_lie_where_the_lesson_says():
    view = PelvisView(tilt=0, hip=0)
    at = {name: view.landmark(name) for name in LANDMARKS}
    hip = (0.0, 0.0)
    assert at["ASIS"][0] > hip[0] and at["ASIS"][1] > hip[1]            # front of the hip, above it
    assert at["PSIS"][0] < hip[0] and at["PSIS"][1] == pytest.approx(at["ASIS"][1])   # level at 0° tilt
    assert at["iliac crest"][1] > max(at["ASIS"][1], at["PSIS"][1])     # the crest runs above both spines
    assert at["PSIS"][0] < at["iliac crest"][0] < at["ASIS"][0]
    assert at["pubic symphysis"][0] > hip[0] and at["pubic symphysis"][1] < at["ASIS"][1]   # front, low down
    assert at["ischial tuberosity"][0] < hip[0] and at["ischial tuberosity"][1] < hip[1]    # behind, below
    assert at["sacrum"][0] < at["ischial tuberosity"][0]                  # the sacrum closes the back


def test_with_the_asis_over_the_pubic_symphysis_the_asis_is_lower_than_the_psis():
    asis, ps = LANDMARKS["ASIS"], LANDMARKS["pubic symphysis"]
    tilt = math.degrees(math.atan2(ps[0] - asis[0], asis[1] - ps[1]))   # tilt that stacks them vertically
    view = PelvisView(tilt=tilt, hip=0)
    assert view.landmark("ASIS")[0] == pytest.approx(view.landmark("pubic symphysis")[0])
    assert 0 < tilt <= 23                       # Preece 2008: 0-23° in the anatomical reference position
    assert view.landmark("ASIS")[1] < view.landmark("PSIS")[1]


@pytest.mark.parametrize(("tilt", "hip"), [(0, 0), (15, -10), (-10, 60)])
def test_femoral_head_sits_in_the_acetabulum_and_the_trochanter_below_it_in_front(tilt, hip):
    view = PelvisView(tilt=tilt, hip=hip)
    assert tuple(view.femoral_head.center) == (0, 0) == tuple(view.acetabulum.center)
    assert view.femoral_head.radius < view.acetabulum.radius
    tro = view.trochanter.get_xy()[:-1].mean(axis=0)
    thigh = math.radians(hip - tilt)
    down = (math.sin(thigh), -math.cos(thigh))                 # along the femur, away from the hip
    assert tro[0] * down[0] + tro[1] * down[1] > 1.0           # distal to the head centre
    # lateral: nearer the viewer, so drawn over the pelvis and the head
    assert view.trochanter.get_zorder() > max(view.ilium.get_zorder(), view.femoral_head.get_zorder())
    (hx, hy), = [view.trochanter_label.xy]
    assert math.hypot(hx - tro[0], hy - tro[1]) < 2.0          # its label points at it


def test_flexor_band_changes_line_style_with_its_state_not_only_colour():
    view = FlexorView(wanted=20, available=5)
    taut = view.flexors.get_linestyle()
    view.update_flexors(10, 25)
    assert view.flexors.get_linestyle() != taut


def test_finder_view_highlights_chosen_actions_and_muscles():
    view = FinderView(actions=["extension", "internal_rotation"], highlighted=["semitendinosus", "semimembranosus"])
    assert view.shown == {"actions": ["extension", "internal_rotation"],
                          "muscles": ["semitendinosus", "semimembranosus"], "picked": []}
    view.update(actions=["flexion"], highlighted=[], picked=["iliacus"])
    assert view.shown == {"actions": ["flexion"], "muscles": [], "picked": ["iliacus"]}
    assert "Your picks: iliacus" in alt_text(view.fig)
    with pytest.raises(NameMatchError, match="not a muscle in the finder"):
        view.update(highlighted=["quadriceps"])


_VIEW = PelvisView()


@settings(max_examples=40, deadline=None)
@given(tilt=st.floats(-20, 30), hip=st.floats(-30, 120))
def test_pelvis_view_updated_in_place_always_measures_back_to_its_angles(tilt, hip):
    _VIEW.update(tilt=tilt, hip=hip)
    assert pelvic_tilt(_VIEW.landmark("ASIS"), _VIEW.landmark("PSIS")) == pytest.approx(tilt, abs=1e-6)
    x, y = np.asarray(_VIEW.pelvis_line.get_data())
    assert hip_flexion((x[0], y[0]), (0, 0), _VIEW.landmark("knee")) == pytest.approx(hip, abs=1e-6)


def test_rotation_view_says_which_way_it_looks_and_drops_the_pelvis_cut_when_the_hip_is_flexed():
    view = RotationView(result=balance({"gluteus_maximus": 1.0}, 0.0))
    assert "seen from above" in view.view_text.get_text() and view.front_text.get_text() == "anterior"
    assert all(part.get_visible() for part in view.pelvis_parts)
    count = _artists(view.fig)
    view.update(balance({"gluteus_maximus": 1.0}, 90.0))
    assert _artists(view.fig) == count
    assert "seen along the thigh" in view.view_text.get_text() and view.front_text.get_text() == "front of thigh"
    assert not any(part.get_visible() for part in view.pelvis_parts)
    assert "seen along the thigh with the hip flexed 90°" in alt_text(view.fig)


@pytest.mark.parametrize(("tilt", "hip"), [(0, 0), (15, -10), (30, -10), (-20, 90), (-10, 45), (25, 120)])
def test_pelvis_bone_labels_stay_clear_of_the_thigh(tilt, hip):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    view = PelvisView(tilt=tilt, hip=hip)
    canvas = FigureCanvasAgg(view.fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    xy = view.thigh.get_transform().transform(view.thigh.get_xydata())
    half = view.thigh.get_linewidth() * renderer.points_to_pixels(1.0) / 2
    points = [xy[0] + (xy[1] - xy[0]) * t / 60 for t in range(61)]
    for label in (view.head_label, view.trochanter_label):
        box = Text.get_window_extent(label, renderer)   # the words, not the leader line
        assert not any(box.x0 - half < x < box.x1 + half and box.y0 - half < y < box.y1 + half
                       for x, y in points), label.get_text()
