"""Small quantitative teaching models behind the interactive exercises.

Each model is pure (numbers in, numbers out), documents its units, equations and
sources, and raises :class:`ModelInputError` (a :class:`coursekit.errors.CourseKitError`)
for inputs outside what it describes.

* :mod:`~coursekit.model.geometry`: pelvic tilt and hip angle from landmarks;
* :mod:`~coursekit.model.lumbar`: lumbar lordosis coupled to tilt (a tendency);
* :mod:`~coursekit.model.flexors`: hip-flexor length and the Thomas test;
* :mod:`~coursekit.model.rotation`: net extension/rotation moments, knee and foot.
"""

from __future__ import annotations

from coursekit.errors import ModelInputError
from coursekit.model.flexors import FlexorResult, flexor_stretch_cm, hip_flexor_length
from coursekit.model.geometry import (
    HIP_RANGE,
    Point,
    apparent_hip_angle,
    check_hip,
    femur_pelvis_angle,
    hip_flexion,
    pelvic_tilt,
    rotate,
    thigh_from_vertical,
)
from coursekit.model.lumbar import COUPLING, LORDOSIS_AT_LEVEL, Estimate, lumbar_lordosis
from coursekit.model.rotation import ACTOR_IDS, Balance, BalanceConfig, actors, balance, moment_arm

__all__ = [
    "ACTOR_IDS", "COUPLING", "HIP_RANGE", "apparent_hip_angle", "check_hip", "femur_pelvis_angle", "LORDOSIS_AT_LEVEL", "Balance", "BalanceConfig", "Estimate",
    "FlexorResult", "ModelInputError", "Point", "actors", "balance", "flexor_stretch_cm",
    "hip_flexion", "hip_flexor_length", "lumbar_lordosis", "moment_arm", "pelvic_tilt",
    "rotate", "thigh_from_vertical",
]
