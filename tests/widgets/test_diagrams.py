"""The exercise diagrams: labelled, deterministic, alt text, updated in place, consistent with the models."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from coursekit.diagrams.finder import FinderView, finder_figure
from coursekit.diagrams.pelvis import FlexorView, PelvisView, flexor_figure, pelvis_figure
from coursekit.diagrams.rotation import RotationView, rotation_figure
from coursekit.diagrams.style import PALETTE, alt_text, png_bytes
from coursekit.errors import NameMatchError
from coursekit.model import balance, hip_flexion, pelvic_tilt


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
    x, y = view.pelvis_line.get_data()
    assert hip_flexion((x[0], y[0]), (0, 0), view.landmark("knee")) == pytest.approx(hip)


def test_pelvis_view_labels_every_landmark_and_angle():
    fig = pelvis_figure(12, -10)
    texts = {t.get_text() for ax in fig.axes for t in ax.texts}
    for label in ("ASIS", "PSIS", "pubic symphysis", "ischial tuberosity", "sacrum", "knee",
                  "greater trochanter\n(hip axis)", "Pelvic tilt 12° anterior", "Hip 10° extension",
                  "lumbar curve\n(lordosis ≈ 49°)"):
        assert label in texts
    assert "tilted 12° anterior" in alt_text(fig) and "22° behind the vertical" in alt_text(fig)


def test_pelvis_view_updates_its_own_artists_in_place():
    view = PelvisView(tilt=0, hip=0)
    fig, ilium, count = view.fig, view.ilium, _artists(view.fig)
    view.update(tilt=-10, hip=45)
    assert view.fig is fig and view.ilium is ilium and _artists(fig) == count
    assert view.texts == {"tilt": "Pelvic tilt 10° posterior", "hip": "Hip 45° flexion",
                          "lumbar": "lumbar curve\n(lordosis ≈ 32°)"}
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
    view = RotationView(result=balance({"gluteus_maximus": 1.0}))
    assert view.texts["knee"] == "knee out 38°"
    assert (view.texts["inner"], view.texts["outer"]) == ("inner\n0%", "outer\n100%")
    assert view.texts["net_rotation"] == "+38 ± 15"
    assert [round(b.get_width(), 6) for b in view.bars["extension"]] == [90.0, 0, 0, 0, 0, 90.0]
    fig, count = view.fig, _artists(view.fig)
    view.update(balance({"internal_rotators": 1.0, "medial_hamstrings": 1.0}))
    assert view.fig is fig and _artists(fig) == count
    # −1200 N × 1.2 cm − 1500 N × 0.6 cm = −23.4 N·m; inner share 0.5 + 0.5 × 23.4/30 = 0.89
    assert view.texts["knee"] == "knee in 23°" and view.texts["inner"] == "inner\n89%"
    assert "turns in" in alt_text(fig)


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
    x, y = _VIEW.pelvis_line.get_data()
    assert hip_flexion((x[0], y[0]), (0, 0), _VIEW.landmark("knee")) == pytest.approx(hip, abs=1e-6)
