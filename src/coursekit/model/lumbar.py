"""Lumbar lordosis coupled to pelvic tilt: a stated tendency, not a law.

Teaching model (linear)::

    lordosis = LORDOSIS_AT_LEVEL + k · tilt            (degrees)

with ``k = COUPLING.value ± COUPLING.uncertainty`` degrees of lordosis per degree of
anterior pelvic tilt.

Sources for the *direction* (concepts.md §3): voluntary anterior tilt deepened the
lumbar curve and posterior tilt flattened it (Day et al. 1984, Phys Ther 64:510,
n = 47); a standing study quantified the same relation (excerpt attributed to Levine &
Whittle 1996, JOSPT: attribution UNVERIFIED in the course reference). The reference
does **not** give the size of the coefficient, so ``k`` and the baseline are course
estimates, chosen so that most of a tilt appears in the lumbar curve and labelled
with a wide uncertainty. The coupling is a tendency: the spine can compensate, and
hip-extension range did not correlate with standing tilt or lordosis
(r = −0.04, −0.09; JOSPT 1990 12:243, concepts.md §3.6).
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
    "course teaching estimate; direction from Day et al. 1984 and Levine & Whittle 1996 "
    "(concepts.md §3.3-3.4), size not given by the reference",
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
