"""Sagittal-plane angles from landmarks: pelvic tilt and hip flexion/extension.

Coordinates are in the sagittal plane of a body facing **right**: ``x`` points
anterior (forward), ``y`` points up. Any length unit works (the diagrams use cm);
angles are in degrees.

Sign conventions (course-wide):

* pelvic tilt: **anterior tilt positive**, posterior tilt negative;
* hip angle: **flexion positive**, extension negative. The course's hip angle is the
  angle of the femur against the **pelvis** (:func:`femur_pelvis_angle`), with 0° the
  relation of thigh and pelvis in relaxed standing, the goniometric start position.
  The angle of the thigh against the **trunk line** (shoulder to trochanter) also
  counts lumbar extension; the course calls it an *apparent hip angle*
  (:func:`apparent_hip_angle`) and uses it only where a photograph shows no pelvic
  landmarks.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from coursekit.errors import ModelInputError

__all__ = ["HIP_RANGE", "Point", "apparent_hip_angle", "check_hip", "femur_pelvis_angle", "pelvic_tilt", "hip_flexion",
           "thigh_from_vertical", "rotate"]

#: hip angles (degrees) the course models accept: 30° extension (AAOS) to 120° flexion (AAOS)
HIP_RANGE = (-30.0, 120.0)


class Point(NamedTuple):
    """A landmark in the sagittal plane (``x`` anterior, ``y`` up)."""

    x: float
    y: float


def _point(name: str, value: Any) -> Point:
    try:
        x, y = value
        p = Point(float(x), float(y))
    except (TypeError, ValueError):
        raise ModelInputError(name, value, "give a landmark as an (x, y) pair of numbers") from None
    if not (math.isfinite(p.x) and math.isfinite(p.y)):
        raise ModelInputError(name, value, "coordinates must be finite numbers")
    return p


def pelvic_tilt(asis: tuple[float, float], psis: tuple[float, float]) -> float:
    """Pelvic tilt (degrees): angle of the ASIS–PSIS line against the horizontal.

    Equation: ``tilt = atan2(y_PSIS − y_ASIS, x_ASIS − x_PSIS)``. Positive when the
    ASIS lies *below* the PSIS (anterior tilt), negative when above (posterior).

    This is the usual physical-therapy measure (PALM meter or inclinometer; Suits 2021,
    IJSPT 16(5):1366, concepts.md §7.1). It is **not** posture alone: bone shape
    spreads the angle over 0–23° (mean 13°) in cadaver pelves held in one reference
    position (Preece et al. 2008), so 0° here means "ASIS level with PSIS", one of
    two definitions of a neutral pelvis (disagreements.md §8).

    >>> round(pelvic_tilt(asis=(10.0, 0.0), psis=(0.0, 1.7633)), 1)
    10.0
    >>> pelvic_tilt(asis=(10.0, 2.0), psis=(0.0, 2.0))
    0.0
    """
    a, p = _point("asis", asis), _point("psis", psis)
    if a == p:
        raise ModelInputError("asis", asis, "ASIS and PSIS coincide; give two different landmarks")
    if a.x <= p.x:
        raise ModelInputError(
            "asis", asis,
            f"the ASIS must lie anterior to (x greater than) the PSIS x = {p.x:g}; "
            "coordinates are for a body facing right (x forward, y up)",
        )
    return math.degrees(math.atan2(p.y - a.y, a.x - p.x))


def _signed_angle(u: Point, v: Point) -> float:
    """Angle (degrees, counter-clockwise positive) that turns direction ``u`` onto ``v``."""
    cross = u.x * v.y - u.y * v.x
    dot = u.x * v.x + u.y * v.y
    return math.degrees(math.atan2(cross, dot))


def hip_flexion(
    trunk: tuple[float, float],
    trochanter: tuple[float, float],
    knee: tuple[float, float],
) -> float:
    """Angle (degrees; flexion positive) of the thigh against a reference line through the hip.

    The axis is the greater trochanter; the stationary arm runs from a point
    ``trunk`` on the reference line above the trochanter; the moving arm runs along
    the thigh to the knee (lateral femoral epicondyle). The angle turns the downward
    continuation of the reference line, ``trochanter − trunk``, onto the thigh line
    ``knee − trochanter``; counter-clockwise (thigh forward, body facing right) is
    flexion. Which line is the reference decides what the angle means: a line fixed
    in the pelvis gives the femur-to-pelvis angle (:func:`femur_pelvis_angle`); the
    trunk line gives an apparent hip angle (:func:`apparent_hip_angle`).

    >>> hip_flexion(trunk=(0, 50), trochanter=(0, 0), knee=(40, 0))
    90.0
    >>> round(hip_flexion(trunk=(0, 50), trochanter=(0, 0), knee=(-10, -40)), 1)
    -14.0
    """
    t, g, k = _point("trunk", trunk), _point("trochanter", trochanter), _point("knee", knee)
    down = Point(g.x - t.x, g.y - t.y)
    thigh = Point(k.x - g.x, k.y - g.y)
    for name, vec, value in (("trunk", down, trunk), ("knee", thigh, knee)):
        if vec.x == 0 and vec.y == 0:
            raise ModelInputError(name, value, "coincides with the trochanter; move it along its segment")
    return _signed_angle(down, thigh)


def apparent_hip_angle(
    shoulder: tuple[float, float],
    trochanter: tuple[float, float],
    knee: tuple[float, float],
) -> float:
    """Apparent hip angle (degrees, flexion positive): the thigh against the trunk line.

    The trunk line runs from the shoulder (acromion) to the greater trochanter. Because
    the lumbar spine bends between the shoulder and the pelvis, this angle adds lumbar
    extension to hip extension (and lumbar flexion to hip flexion): it is what a side
    photograph without pelvic landmarks can give, not the hip's own angle.

    >>> round(apparent_hip_angle(shoulder=(-5, 50), trochanter=(0, 0), knee=(-8, -40)), 1)
    -17.0
    """
    return hip_flexion(shoulder, trochanter, knee)


def femur_pelvis_angle(
    asis: tuple[float, float],
    psis: tuple[float, float],
    trochanter: tuple[float, float],
    knee: tuple[float, float],
) -> float:
    """Angle of the femur against the pelvis (degrees; flexion positive).

    The pelvic reference line is perpendicular to the ASIS–PSIS line, pointing down
    through the trochanter; the angle turns it onto the thigh line (trochanter to
    knee). It equals the thigh's angle from the vertical plus the ASIS–PSIS tilt
    (:func:`thigh_from_vertical` read backwards). Because bone shape alone spreads the
    ASIS–PSIS angle over 0–23° (Preece et al. 2008), the value in relaxed standing is
    rarely 0°: the hip angle of a pose is this angle **minus the same person's value in
    relaxed standing**, the goniometric 0° start position.

    >>> femur_pelvis_angle(asis=(10, 0), psis=(0, 0), trochanter=(5, -10), knee=(5, -50))
    0.0
    >>> round(femur_pelvis_angle(asis=(10, 0), psis=(0, 1.7633), trochanter=(5, -10), knee=(5, -50)), 1)
    10.0
    """
    a, p = _point("asis", asis), _point("psis", psis)
    if a == p:
        raise ModelInputError("asis", asis, "ASIS and PSIS coincide; give two different landmarks")
    g = _point("trochanter", trochanter)
    forward = Point(a.x - p.x, a.y - p.y)
    down = Point(forward.y, -forward.x)  # the ASIS–PSIS direction turned 90° clockwise
    return hip_flexion((g.x - down.x, g.y - down.y), g, knee)


def check_hip(hip_deg: float) -> float:
    """Accept a hip angle within the normal range of motion, or explain why not.

    Normal maxima (AAOS, concepts.md §2): 120° of flexion, 30° of extension; many adults
    measure 10–15° of extension.

    >>> check_hip(-20)
    -20.0
    >>> try:
    ...     check_hip(-40)
    ... except ModelInputError as err:
    ...     print(str(err).split(" is beyond")[0])
    hip_deg = -40: 40° of hip extension
    """
    if not isinstance(hip_deg, (int, float)) or not math.isfinite(hip_deg):
        raise ModelInputError("hip_deg", hip_deg, "give the hip angle as a number of degrees")
    lo, hi = HIP_RANGE
    if hip_deg < lo:
        raise ModelInputError(
            "hip_deg", hip_deg,
            f"{-hip_deg:g}° of hip extension is beyond the normal maximum of about {-lo:g}° (AAOS; many adults "
            "have 10–15°). To take the thigh further back, tilt the pelvis forward (anterior tilt) instead.",
        )
    if hip_deg > hi:
        raise ModelInputError(
            "hip_deg", hip_deg,
            f"{hip_deg:g}° of hip flexion is beyond the normal maximum of about {hi:g}° (AAOS); "
            "choose a smaller flexion angle.",
        )
    return float(hip_deg)


def thigh_from_vertical(hip_deg: float, tilt_deg: float) -> float:
    """Thigh angle from the vertical (degrees, forward positive) for a hip angle and a tilt.

    The hip angle is measured against the pelvis, so tipping the pelvis forward
    (anterior tilt) with the thigh fixed *adds* hip flexion:
    ``thigh = hip − tilt``. (Pelvic-on-femoral motion, Neumann 2010, concepts.md §1.4.)

    >>> thigh_from_vertical(hip_deg=10, tilt_deg=10)
    0.0
    >>> thigh_from_vertical(hip_deg=-15, tilt_deg=5)
    -20.0
    """
    return float(hip_deg) - float(tilt_deg)


def rotate(p: tuple[float, float], deg: float, about: tuple[float, float] = (0.0, 0.0)) -> Point:
    """Rotate ``p`` counter-clockwise by ``deg`` degrees about ``about``.

    >>> rotate((1, 0), 90)
    Point(x=0.0, y=1.0)
    """
    r = math.radians(deg)
    c, s = math.cos(r), math.sin(r)
    dx, dy = p[0] - about[0], p[1] - about[1]
    x, y = about[0] + c * dx - s * dy, about[1] + s * dx + c * dy
    return Point(round(x, 12) + 0.0, round(y, 12) + 0.0)
