"""The teaching models against values computed by hand (units: degrees, cm, N, N·m)."""

from __future__ import annotations

import math

import pytest

from coursekit.errors import CourseKitError
from coursekit.model import (
    ACTOR_IDS,
    ModelInputError,
    actors,
    balance,
    check_hip,
    flexor_stretch_cm,
    hip_flexion,
    hip_flexor_length,
    lumbar_lordosis,
    moment_arm,
    pelvic_tilt,
    thigh_from_vertical,
)


@pytest.mark.parametrize(("asis", "psis", "expected"), [
    ((5.0, 7.0), (-11.0, 7.0), 0.0),                                 # level: neutral by definition
    ((10.0, 0.0), (0.0, 10 * math.tan(math.radians(15))), 15.0),     # ASIS lower: anterior, positive
    ((10.0, 2.0), (0.0, 0.0), -math.degrees(math.atan(0.2))),        # ASIS higher: posterior, −11.31°
])
def test_pelvic_tilt_is_the_asis_psis_angle_with_anterior_positive(asis, psis, expected):
    assert pelvic_tilt(asis, psis) == pytest.approx(expected, abs=1e-9)


def test_pelvic_tilt_refuses_a_psis_in_front_of_the_asis():
    with pytest.raises(ModelInputError, match="anterior to") as info:
        pelvic_tilt((0, 0), (5, 0))
    assert isinstance(info.value, CourseKitError)


@pytest.mark.parametrize(("knee", "expected"), [
    ((0.0, -40.0), 0.0),
    ((30.0, -30.0), 45.0),
    ((40.0, 0.0), 90.0),
    ((-40 * math.sin(math.radians(20)), -40 * math.cos(math.radians(20))), -20.0),
])
def test_hip_flexion_is_the_signed_angle_trunk_line_to_thigh(knee, expected):
    assert hip_flexion(trunk=(0, 50), trochanter=(0, 0), knee=knee) == pytest.approx(expected)


def test_hip_flexion_refuses_a_knee_on_the_trochanter():
    with pytest.raises(ModelInputError, match="coincides with the trochanter"):
        hip_flexion((0, 50), (0, 0), (0, 0))


def test_anterior_tilt_adds_hip_flexion_for_a_fixed_thigh():
    assert thigh_from_vertical(hip_deg=10, tilt_deg=10) == 0.0
    assert thigh_from_vertical(hip_deg=-15, tilt_deg=5) == -20.0


def test_check_hip_explains_the_range_of_motion():
    assert check_hip(120) == 120.0
    with pytest.raises(ModelInputError, match="30°"):
        check_hip(-31)
    with pytest.raises(ModelInputError, match="120°"):
        check_hip(121)


@pytest.mark.parametrize(("tilt", "lordosis"), [(0, 40.0), (12, 49.0), (-20, 25.0), (30, 62.5)])
def test_lordosis_follows_tilt_at_0_75_degrees_per_degree(tilt, lordosis):
    assert lumbar_lordosis(tilt) == pytest.approx(lordosis)


def test_lordosis_refuses_tilts_outside_the_teaching_range():
    with pytest.raises(ModelInputError, match="-25° .*35°"):
        lumbar_lordosis(40)


def test_flexor_model_takes_the_missing_extension_from_the_pelvis():
    r = hip_flexor_length(wanted_deg=20, available_deg=5)
    assert (r.hip_extension_deg, r.compensatory_tilt_deg, r.extra_lumbar_extension_deg) == (5.0, 15.0, 11.25)
    assert not r.thomas_positive
    assert "pelvis tips forward 15°" in r.summary()


def test_flexor_model_thomas_test_lifts_the_thigh_when_flexors_are_short():
    r = hip_flexor_length(wanted_deg=10, available_deg=-8)
    assert (r.thomas_thigh_lift_deg, r.thomas_positive, r.compensatory_tilt_deg) == (8.0, True, 18.0)
    assert "cannot even reach neutral" in r.summary()


def test_flexor_model_needs_no_tilt_when_flexors_are_long_enough():
    r = hip_flexor_length(wanted_deg=10, available_deg=25)
    assert (r.hip_extension_deg, r.compensatory_tilt_deg) == (10.0, 0.0)


def test_flexor_model_refuses_more_than_30_degrees_of_compensation():
    with pytest.raises(ModelInputError, match="50° of anterior pelvic tilt"):
        hip_flexor_length(40, -10)


def test_flexor_stretch_is_moment_arm_times_angle_in_radians():
    assert flexor_stretch_cm(30, 2.0) == pytest.approx(2.0 * math.pi / 6)


def test_moment_arm_table_has_sources_uncertainty_and_both_angles():
    table = actors()
    assert sorted(table) == sorted(ACTOR_IDS)
    for actor in table.values():
        assert set(actor.values) == {"extension_arm", "rotation_arm", "max_force"}
        assert all(actor.source[q] for q in actor.values)
        assert all(u > 0 for u in actor.uncertainty.values())


def test_moment_arms_interpolate_linearly_in_hip_flexion():
    assert moment_arm("gluteus_maximus", "rotation_arm", 0) == 2.5
    assert moment_arm("gluteus_maximus", "rotation_arm", 45) == pytest.approx(1.75)
    assert moment_arm("internal_rotators", "rotation_arm", 90) == -2.5


def test_gluteus_maximus_alone_extends_and_turns_the_knee_out():
    b = balance({"gluteus_maximus": 1.0})
    # 1500 N × 6.0 cm = 90 N·m extension; 1500 N × 2.5 cm = 37.5 N·m external rotation
    assert (b.net_extension, b.net_rotation, b.thigh_rotation_deg) == (90.0, 37.5, 37.5)
    assert (b.knee_direction, b.foot_edge, b.inner_edge_share, b.task_met) == ("out", "outer", 0.0, False)
    assert b.net_rotation_uncertainty == 15.0


def test_a_balanced_setting_meets_the_task():
    b = balance({"gluteus_maximus": 0.5, "medial_hamstrings": 1.0, "adductor_magnus": 1.0,
                 "internal_rotators": 0.8, "biceps_femoris": 0.2})
    # ext: 45 + 82.5 + 32 − 9.6 + 8.8; rot: 18.75 − 9 + 0 − 11.52 + 0.8
    assert b.net_extension == pytest.approx(158.7)
    assert b.net_rotation == pytest.approx(-0.97)
    assert b.net_rotation_uncertainty == pytest.approx(25.56)
    assert (b.knee_direction, b.task_met) == ("forward", True)
    assert b.verdict().startswith("Task met")


def test_internal_rotators_turn_the_knee_in_more_at_90_degrees():
    b = balance({"internal_rotators": 1.0}, hip_flexion_deg=90)
    assert b.net_rotation == pytest.approx(-30.0)      # 1200 N × −2.5 cm
    assert (b.knee_direction, b.foot_edge, b.inner_edge_share) == ("in", "inner", 1.0)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"activations": {"gluteus_maximus": 1.5}}, "fraction from 0"),
    ({"activations": {"psoas": 0.5}}, "choose from adductor_magnus"),
    ({"activations": {}, "hip_flexion_deg": 95}, "0° to 90°"),
])
def test_balance_refuses_invalid_input_with_a_clear_message(kwargs, message):
    with pytest.raises(ModelInputError, match=message):
        balance(**kwargs)
