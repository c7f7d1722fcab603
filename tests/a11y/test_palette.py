"""The course palette under simulated colour-vision deficiencies (colorspacious).

Each colour that tells categories apart must stay distinguishable from every other one
under deuteranomaly, protanomaly and tritanomaly at severity 100 (i.e. the dichromacies):
their distance in the CAM02-UCS colour space after simulation is at least ``MIN_DELTA_E``.
Neutral colours (greys, bone) draw structure, never categories, and are checked against
the white page instead. Where a figure tells categories apart, shape or size does too.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from colorspacious import cspace_convert, deltaE

from coursekit.diagrams import matrix
from coursekit.diagrams.style import PALETTE

CVD = ("deuteranomaly", "protanomaly", "tritanomaly")
#: Colours that carry categories in the figures and the self-check feedback.
CATEGORICAL = ["black", "orange", "sky", "green", "yellow", "blue", "vermillion", "purple"]
NEUTRAL = ["grey", "bone", "bone_edge"]
#: CAM02-UCS distance two category colours keep after simulation (about 10 is "clearly
#: different at a glance"; the Okabe-Ito set keeps at least 11 under every simulation).
MIN_DELTA_E = 10.0
#: The self-check verdict colours (coursekit-selfcheck.css): right, partly, wrong.
VERDICT = {"right": "#009E73", "partial": "#E69F00", "wrong": "#D55E00"}


def rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255


def simulate(hex_colour: str, cvd: str) -> np.ndarray:
    space = {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}
    return np.clip(cspace_convert(rgb(hex_colour), space, "sRGB1"), 0, 1)


def distance(a: str, b: str, cvd: str | None) -> float:
    if cvd is None:
        return float(deltaE(rgb(a), rgb(b), input_space="sRGB1", uniform_space="CAM02-UCS"))
    return float(deltaE(simulate(a, cvd), simulate(b, cvd), input_space="sRGB1", uniform_space="CAM02-UCS"))


def test_the_simulation_changes_colours_as_a_dichromat_sees_them():
    # red and green collapse for a deuteranope; blue and yellow stay apart
    assert distance("#FF0000", "#00A000", None) > 40
    assert distance("#D55E00", "#6B8E23", "deuteranomaly") < distance("#D55E00", "#6B8E23", None) / 2
    assert distance(PALETTE["blue"], PALETTE["yellow"], "deuteranomaly") > 40


@pytest.mark.parametrize("cvd", CVD)
def test_category_colours_stay_distinguishable(cvd):
    close = [(a, b, round(distance(PALETTE[a], PALETTE[b], cvd), 1))
             for a, b in itertools.combinations(CATEGORICAL, 2)
             if distance(PALETTE[a], PALETTE[b], cvd) < MIN_DELTA_E]
    assert close == [], f"under {cvd}: too close {close}"


@pytest.mark.parametrize("cvd", CVD)
def test_self_check_verdict_colours_stay_distinguishable(cvd):
    for a, b in itertools.combinations(VERDICT, 2):
        assert distance(VERDICT[a], VERDICT[b], cvd) >= MIN_DELTA_E, (cvd, a, b)


@pytest.mark.parametrize("cvd", [None, *CVD])
def test_every_colour_stands_out_from_the_white_page(cvd):
    for name in CATEGORICAL + NEUTRAL:
        assert distance(PALETTE[name], "#FFFFFF", cvd) >= 8, (cvd, name)


def test_action_marks_differ_in_shape_or_size_not_only_in_colour():
    shapes = [(marker, size) for marker, _face, _edge, size, _label in matrix.MARKS.values()]
    assert len(set(shapes)) == len(shapes)
    assert all(label for *_, label in matrix.MARKS.values())   # and each has a legend entry
