"""Lumbar lordosis coupled to pelvic tilt: a stated tendency, not a law.

Teaching model (linear)::

    lordosis = LORDOSIS_AT_LEVEL + k · tilt            (degrees)

with ``k = COUPLING.value ± COUPLING.uncertainty`` degrees of lordosis per degree of
anterior pelvic tilt.

Sources: when people tilt the pelvis on purpose, the lumbar curve follows. Voluntary
anterior tilt deepened the curve and posterior tilt made it shallower (Day et al. 1984,
Phys Ther 64:510, doi:10.1093/ptj/64.4.510, n = 47); in standing, a maximal anterior
tilt of 11.4° came with 10.8° more lordosis and a maximal posterior tilt of 8.7° with
9.0° less (Levine & Whittle 1996, JOSPT 24:130, doi:10.2519/jospt.1996.24.3.130), a
within-person ratio close to 1. Across people the relation does not hold: in 90 adults
standing pelvic inclination did not correlate with lordosis (Youdas et al. 1996, Phys
Ther 76:1066). ``k`` = 0.75 ± 0.25 (0.5 to 1.0) is a course teaching value for one
person's movement, below the measured mean ratio and with a wide uncertainty; the
baseline is a course estimate. (A 1990 JOSPT study, often quoted here, correlated
hip-extension range with tilt and with lordosis, r = −0.04 and −0.09; it did not test
tilt against lordosis.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from coursekit.errors import ModelInputError

__all__ = ["Estimate", "COUPLING", "LORDOSIS_AT_LEVEL", "TILT_RANGE", "lumbar_lordosis"]


@dataclass(frozen=True)
class Estimate:
    """A number with its uncertainty (same unit), its unit and where it comes from."""

    value: float
    uncertainty: float
    unit: str
    source: str

    @property
    def low(self) -> float:
        return self.value - self.uncertainty

    @property
    def high(self) -> float:
        return self.value + self.uncertainty

    def __str__(self) -> str:
        return f"{self.value:g} ± {self.uncertainty:g} {self.unit}"


COUPLING = Estimate(
    0.75, 0.25, "°/°",
    "course teaching value for one person's voluntary tilt; Levine & Whittle 1996 measured a mean "
    "ratio close to 1 (10.8° of lordosis for 11.4° of tilt); direction also from Day et al. 1984",
)
LORDOSIS_AT_LEVEL = Estimate(
    40.0, 10.0, "°",
    "course teaching estimate of the lumbar curve (L1–S1) with the ASIS level with the PSIS",
)
#: tilt range (degrees) the teaching model is drawn and used for
TILT_RANGE = (-25.0, 35.0)


def lumbar_lordosis(tilt_deg: float, coupling: float = COUPLING.value) -> float:
    """Lumbar lordosis (degrees) for a pelvic tilt (degrees, anterior positive).

    ``lordosis = 40 + coupling · tilt``; never below 0 (a flat lumbar spine; further
    posterior tilt would flex the lumbar spine, which this model does not follow).

    >>> lumbar_lordosis(0)
    40.0
    >>> lumbar_lordosis(12)
    49.0
    >>> lumbar_lordosis(-20, coupling=1.0)
    20.0
    """
    lo, hi = TILT_RANGE
    if not isinstance(tilt_deg, (int, float)) or not math.isfinite(tilt_deg):
        raise ModelInputError("tilt_deg", tilt_deg, "give the pelvic tilt as a number of degrees")
    if not lo <= tilt_deg <= hi:
        raise ModelInputError(
            "tilt_deg", tilt_deg,
            f"the teaching model covers tilts from {lo:g}° (posterior) to {hi:g}° (anterior); "
            "choose a tilt in that range",
        )
    if not 0.0 <= coupling <= 2.0:
        raise ModelInputError("coupling", coupling, "use a coupling between 0 and 2 °/° (course value 0.75)")
    return max(0.0, LORDOSIS_AT_LEVEL.value + coupling * float(tilt_deg))
