"""Rotation balance: net hip extension and rotation moments from muscle activations.

Teaching model, one hip, static. For each actor ``i`` (a muscle or a small group of
muscles, rows of ``data/moment_arms.csv``)::

    M_ext,i = a_i · F_i · r_ext,i(φ) / 100        (N·m; r in cm, F in N, a in 0…1)
    M_rot,i = a_i · F_i · r_rot,i(φ) / 100        (external rotation positive)
    r(φ)    = r(0°) + (r(90°) − r(0°)) · φ / 90°  (linear in hip flexion φ, 0–90°)

Net moments are the sums. The thigh turns until a passive torsional resistance of
``stiffness`` N·m per degree balances the net rotation moment, limited to the
rotation range (±45°, AAOS, concepts.md §2)::

    thigh rotation (°) = clip(M_rot / stiffness, −45, 45)   (+ = knee turns out)

With the foot on the floor (bridge, wheel), the knee turning out rolls the weight to
the outer edge of the foot and the knee turning in to the inner edge (kinetic-chain
reasoning, not a measurement)::

    inner-edge share = 0.5 − 0.5 · clip(thigh rotation / 30°, −1, 1)

Sources: moment arms and forces are course **estimates** (column ``evidence``); the
*directions* follow Delp et al. 1999 (J Biomech 32:493; rotation moment arms shift
toward internal rotation with flexion; gluteus maximus has a large external-rotation
capacity) and the action lists in muscles.csv. The uncertainty of the net moments
adds each arm's stated uncertainty (worst case).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from coursekit.errors import DataError
from coursekit.errors import ModelInputError

__all__ = ["Actor", "BalanceConfig", "Balance", "actors", "moment_arm", "balance", "ACTOR_IDS"]

ACTOR_IDS = ("gluteus_maximus", "biceps_femoris", "medial_hamstrings", "adductor_magnus",
             "internal_rotators")
_QUANTITIES = ("extension_arm", "rotation_arm", "max_force")


@dataclass(frozen=True)
class Actor:
    """One row group of moment_arms.csv: a muscle (or group) with its arms and strength."""

    id: str
    label: str
    muscles: tuple[str, ...]
    values: Mapping[str, tuple[float, float]]  # quantity -> (at 0°, at 90°)
    uncertainty: Mapping[str, float]
    source: Mapping[str, str]


def _parse(rows: list[dict[str, str]], path: str) -> dict[str, Actor]:
    found: dict[str, dict] = {}
    for n, row in enumerate(rows, start=2):
        q = row.get("quantity", "")
        if q not in _QUANTITIES:
            raise DataError(path, f"unknown quantity {q!r}; use one of {_QUANTITIES}", row=n, column="quantity")
        try:
            v0, v90, unc = float(row["at_0deg"]), float(row["at_90deg"]), float(row["uncertainty"])
        except ValueError:
            raise DataError(path, "at_0deg, at_90deg and uncertainty must be numbers", row=n) from None
        if not row.get("source", "").strip():
            raise DataError(path, "every row needs a source", row=n, column="source")
        a = found.setdefault(row["actor"], {"label": row["label"], "muscles": tuple(row["muscles"].split(";")),
                                            "values": {}, "uncertainty": {}, "source": {}})
        a["values"][q], a["uncertainty"][q], a["source"][q] = (v0, v90), unc, row["source"]
    out = {}
    for key, a in found.items():
        missing = set(_QUANTITIES) - set(a["values"])
        if missing:
            raise DataError(path, f"actor {key!r} lacks rows for {sorted(missing)}", column="quantity")
        out[key] = Actor(id=key, **a)
    return out


@lru_cache(maxsize=1)
def actors() -> dict[str, Actor]:
    """The actors of the rotation-balance model, read from ``data/moment_arms.csv``.

    >>> sorted(actors())[:2]
    ['adductor_magnus', 'biceps_femoris']
    """
    ref = resources.files("coursekit.data").joinpath("moment_arms.csv")
    with ref.open(encoding="utf-8", newline="") as fh:
        return _parse(list(csv.DictReader(fh)), "src/coursekit/data/moment_arms.csv")


def _flexion(value: float) -> float:
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ModelInputError("hip_flexion_deg", value, "give the hip flexion as a number of degrees")
    if not 0.0 <= value <= 90.0:
        raise ModelInputError(
            "hip_flexion_deg", value,
            "moment arms are tabulated only from 0° to 90° of hip flexion; choose a value in that range",
        )
    return float(value)


def moment_arm(actor_id: str, quantity: str, hip_flexion_deg: float = 0.0) -> float:
    """A tabulated value linearly interpolated between 0° and 90° of hip flexion.

    >>> moment_arm("gluteus_maximus", "rotation_arm", 45)
    1.75
    """
    a = _actor(actor_id)
    v0, v90 = a.values[quantity]
    return v0 + (v90 - v0) * _flexion(hip_flexion_deg) / 90.0


def _actor(actor_id: str) -> Actor:
    table = actors()
    if actor_id not in table:
        raise ModelInputError("actor", actor_id, f"unknown actor; choose from {', '.join(sorted(table))}")
    return table[actor_id]


@dataclass(frozen=True)
class BalanceConfig:
    """Constants of the rotation-balance teaching model (all course estimates)."""

    stiffness: float = field(default=1.0, metadata={"help": "passive torsional resistance, N·m per degree"})
    rotation_limit: float = field(default=45.0, metadata={"help": "largest thigh rotation, degrees (AAOS)"})
    neutral_band: float = field(default=5.0, metadata={"help": "|net rotation| counted as neutral, N·m"})
    strong_extension: float = field(default=120.0, metadata={"help": "net extension counted as strong, N·m"})
    foot_full_shift: float = field(default=30.0, metadata={"help": "thigh rotation putting all weight on one edge, °"})


@dataclass(frozen=True)
class Balance:
    """Output of :func:`balance` (moments in N·m, angles in degrees)."""

    hip_flexion_deg: float
    extension: Mapping[str, float]
    rotation: Mapping[str, float]
    net_extension: float
    net_rotation: float
    net_rotation_uncertainty: float
    thigh_rotation_deg: float
    inner_edge_share: float
    config: BalanceConfig

    @property
    def knee_direction(self) -> str:
        """'out', 'in' or 'forward' (neutral band)."""
        if abs(self.net_rotation) <= self.config.neutral_band:
            return "forward"
        return "out" if self.net_rotation > 0 else "in"

    @property
    def foot_edge(self) -> str:
        """Where the weight falls: 'outer', 'inner' or 'even'."""
        if self.inner_edge_share > 0.6:
            return "inner"
        return "outer" if self.inner_edge_share < 0.4 else "even"

    @property
    def task_met(self) -> bool:
        """Strong extension with neutral rotation (the exercise's task)."""
        return self.net_extension >= self.config.strong_extension and self.knee_direction == "forward"

    def verdict(self) -> str:
        """How the current setting does on the task (strong extension, neutral rotation)."""
        if self.task_met:
            return f"Task met: {self.net_extension:.0f} N·m of extension with the knee pointing forward."
        todo = []
        if self.net_extension < self.config.strong_extension:
            todo.append(f"extension {self.net_extension:.0f} N·m (aim ≥ {self.config.strong_extension:.0f})")
        if self.knee_direction != "forward":
            todo.append(f"knee {self.knee_direction} {abs(self.thigh_rotation_deg):.0f}° (aim: forward)")
        return "Not yet: " + "; ".join(todo) + "."

    def summary(self) -> str:
        """A plain-language readout."""
        rot = {"forward": "the knee points forward", "out": "the thigh turns out (knee out)",
               "in": "the thigh turns in (knee in)"}[self.knee_direction]
        strong = "strong" if self.net_extension >= self.config.strong_extension else "not yet strong"
        return (f"Extension {self.net_extension:.0f} N·m ({strong}); rotation "
                f"{self.net_rotation:+.0f} ± {self.net_rotation_uncertainty:.0f} N·m: {rot}; "
                f"weight on the {self.foot_edge} edge of the foot.")


def _activations(activations: Mapping[str, float]) -> dict[str, float]:
    table = actors()
    out = {k: 0.0 for k in table}
    for key, value in activations.items():
        _actor(key)
        if not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
            raise ModelInputError(key, value, "an activation is a fraction from 0 (off) to 1 (maximal)")
        out[key] = float(value)
    return out


def balance(
    activations: Mapping[str, float],
    hip_flexion_deg: float = 0.0,
    config: BalanceConfig = BalanceConfig(),
) -> Balance:
    """Net moments, thigh rotation and foot pressure for the given activations.

    >>> b = balance({"gluteus_maximus": 0.6})
    >>> b.net_extension, b.net_rotation, b.thigh_rotation_deg, b.knee_direction, b.foot_edge
    (54.0, 22.5, 22.5, 'out', 'outer')
    """
    acts = _activations(activations)
    phi = _flexion(hip_flexion_deg)
    ext, rot, unc = {}, {}, 0.0
    for key, a in acts.items():
        force = a * moment_arm(key, "max_force", phi)
        ext[key] = force * moment_arm(key, "extension_arm", phi) / 100.0
        rot[key] = force * moment_arm(key, "rotation_arm", phi) / 100.0
        unc += force * actors()[key].uncertainty["rotation_arm"] / 100.0
    net_rot = sum(rot.values())
    limit = config.rotation_limit
    thigh = max(-limit, min(limit, net_rot / config.stiffness))
    shift = max(-1.0, min(1.0, thigh / config.foot_full_shift))
    return Balance(
        hip_flexion_deg=phi, extension=ext, rotation=rot,
        net_extension=round(sum(ext.values()), 9), net_rotation=round(net_rot, 9),
        net_rotation_uncertainty=round(unc, 9), thigh_rotation_deg=round(thigh, 9),
        inner_edge_share=round(0.5 - 0.5 * shift, 9), config=config,
    )
