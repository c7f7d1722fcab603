"""Hip-flexor length and the logic of the Thomas test.

Teaching model. The hip flexors (iliopsoas, rectus femoris, TFL) allow the hip to
extend, *relative to the pelvis*, only up to ``available_deg`` degrees. When the thigh
is taken further back (``wanted_deg`` of extension measured from the vertical, e.g.
the back leg in a lunge or the thigh lying on the table), the missing extension comes
from the pelvis tipping forward and the lumbar spine arching (concepts.md §4.1)::

    hip extension at the joint = min(wanted, available)
    compensatory anterior tilt = max(0, wanted − available)                  (degrees)
    extra lumbar extension     = k · compensatory tilt   (k from coursekit.model.lumbar)

The Thomas test holds the pelvis instead (other knee to the chest flattens the low
back), so the same shortfall shows as the tested thigh lifting off the table::

    thigh lift in the Thomas test = max(0, table_deg − available)

Flexor stretch needed for an extension (excursion = moment arm × angle, radians)::

    stretch (cm) = moment arm (cm) · radians(extension)

Caveat (concepts.md §4.6, disagreements.md): tight hip flexors explain anterior tilt
*during hip extension*; in standing the link is weakly supported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from coursekit.errors import ModelInputError
from coursekit.model.lumbar import COUPLING

__all__ = ["FlexorResult", "hip_flexor_length", "flexor_stretch_cm", "FLEXOR_MOMENT_ARM_CM"]

#: iliopsoas flexion moment arm near neutral (cm): course estimate, ± 1 cm
FLEXOR_MOMENT_ARM_CM = 2.0
WANTED_RANGE = (0.0, 40.0)
AVAILABLE_RANGE = (-20.0, 40.0)
MAX_COMPENSATION = 30.0


@dataclass(frozen=True)
class FlexorResult:
    """What the hip-flexor length model predicts (all angles in degrees)."""

    wanted_deg: float
    available_deg: float
    hip_extension_deg: float
    compensatory_tilt_deg: float
    extra_lumbar_extension_deg: float
    thomas_thigh_lift_deg: float

    @property
    def thomas_positive(self) -> bool:
        """True when the tested thigh cannot lie flat (the flexors are short)."""
        return self.thomas_thigh_lift_deg > 0

    def summary(self) -> str:
        """One plain sentence for a readout."""
        if self.compensatory_tilt_deg == 0:
            return (f"The hip extends the full {self.wanted_deg:g}°: the flexors are long enough, "
                    "so the pelvis need not tip forward.")
        hip = (f"The hip extends only {self.hip_extension_deg:g}°" if self.hip_extension_deg >= 0 else
               f"The hip cannot even reach neutral (it stays {-self.hip_extension_deg:g}° flexed)")
        return (f"{hip}; the pelvis tips forward "
                f"{self.compensatory_tilt_deg:g}° and the low back arches about "
                f"{self.extra_lumbar_extension_deg:.0f}° more to reach {self.wanted_deg:g}°.")


def _check(name: str, value: float, lo: float, hi: float, what: str) -> float:
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ModelInputError(name, value, f"give {what} as a number of degrees")
    if not lo <= value <= hi:
        raise ModelInputError(name, value, f"{what} must be between {lo:g}° and {hi:g}°")
    return float(value)


def hip_flexor_length(
    wanted_deg: float,
    available_deg: float,
    *,
    table_deg: float = 0.0,
    coupling: float = COUPLING.value,
) -> FlexorResult:
    """Apply the hip-flexor length model (see the module docstring for the equations).

    ``wanted_deg``: thigh extension sought, from the vertical (0–40°).
    ``available_deg``: hip extension the flexors allow relative to the pelvis
    (−20° … 40°; negative means the hip cannot even reach neutral).
    ``table_deg``: extension the thigh needs to lie on the table in the Thomas test
    (0° with the pelvis held level).

    >>> r = hip_flexor_length(wanted_deg=20, available_deg=5)
    >>> r.hip_extension_deg, r.compensatory_tilt_deg, r.extra_lumbar_extension_deg
    (5.0, 15.0, 11.25)
    >>> r.thomas_thigh_lift_deg, r.thomas_positive
    (0.0, False)
    >>> hip_flexor_length(10, -8).thomas_thigh_lift_deg
    8.0
    """
    wanted = _check("wanted_deg", wanted_deg, *WANTED_RANGE, "the wanted thigh extension")
    available = _check("available_deg", available_deg, *AVAILABLE_RANGE, "the available hip extension")
    table = _check("table_deg", table_deg, -20.0, 20.0, "the table position")
    tilt = max(0.0, wanted - available)
    if tilt > MAX_COMPENSATION:
        raise ModelInputError(
            "wanted_deg", wanted_deg,
            f"reaching {wanted:g}° with only {available:g}° of hip extension would need "
            f"{tilt:g}° of anterior pelvic tilt, more than the {MAX_COMPENSATION:g}° this model "
            "allows; ask for less extension or lengthen the flexors",
        )
    return FlexorResult(
        wanted_deg=wanted,
        available_deg=available,
        hip_extension_deg=min(wanted, available),
        compensatory_tilt_deg=tilt,
        extra_lumbar_extension_deg=coupling * tilt,
        thomas_thigh_lift_deg=max(0.0, table - available),
    )


def flexor_stretch_cm(extension_deg: float, moment_arm_cm: float = FLEXOR_MOMENT_ARM_CM) -> float:
    """Extra flexor length (cm) needed to extend the hip by ``extension_deg`` from neutral.

    Excursion = moment arm × angle in radians (a standard muscle-geometry relation).

    >>> round(flexor_stretch_cm(30, moment_arm_cm=2.0), 3)
    1.047
    """
    if moment_arm_cm <= 0:
        raise ModelInputError("moment_arm_cm", moment_arm_cm, "a moment arm must be positive (cm)")
    return moment_arm_cm * math.radians(float(extension_deg))
