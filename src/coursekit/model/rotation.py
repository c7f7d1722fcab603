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

**A toy model, not a musculoskeletal model.** Its assumptions, stated on the lesson
page and in problem set 3:

* five actors only; each is a single straight line of pull with one extension and one
  rotation moment arm, varying linearly with flexion between 0° and 90°;
* moment arms and maximal forces are round course numbers (column ``evidence`` =
  ``toy``), chosen only so that their *signs* and *order* follow the sources: gluteus
  maximus has the largest external-rotation moment arm (Delp et al. 1999, J Biomech
  32:493, doi:10.1016/S0021-9290(99)00032-9); rotation moment arms shift towards
  internal rotation with flexion (same study, 15 of 18 compartments); the medial
  hamstrings rotate the hip internally only a little (a secondary action) and the
  hamstring part of adductor magnus not at all (conditional_actions.csv);
* no force-length or force-velocity behaviour, no passive muscle force, no ligaments;
  one torsional spring stands for everything that resists rotation;
* the foot-pressure rule is kinetic-chain reasoning, not a measurement.

The numbers it prints (N·m, degrees) therefore show directions and trade-offs, not
sizes. A published lower-limb model (Delp et al. 1990, IEEE Trans Biomed Eng 37:757;
Arnold et al. 2010; Rajagopal et al. 2016) would be needed for real values; the course
did not take its parameters. The uncertainty of the net moments adds each arm's stated
uncertainty (worst case).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from coursekit.anatomy import Row, data_path, read_rows
from coursekit.errors import DataError, ModelInputError

__all__ = ["Actor", "BalanceConfig", "Balance", "actors", "load_actors", "moment_arm", "balance", "ACTOR_IDS"]

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


_COLUMNS = ("actor", "label", "muscles", "quantity", "unit", "at_0deg", "at_90deg", "uncertainty", "evidence", "source")


def _parse(rows: list[Row], path: Path) -> dict[str, Actor]:
    found: dict[str, dict] = {}
    for row in rows:
        q = row.text("quantity")
        if q not in _QUANTITIES:
            raise row.error("quantity", f"unknown quantity {q!r}; use one of {', '.join(_QUANTITIES)}")
        v0, v90, unc = row.number("at_0deg"), row.number("at_90deg"), row.number("uncertainty")
        source = row.text("source")
        actor = row.text("actor")
        a = found.setdefault(actor, {"label": row.text("label"), "muscles": row.items("muscles"),
                                     "values": {}, "uncertainty": {}, "source": {}})
        a["values"][q], a["uncertainty"][q], a["source"][q] = (v0, v90), unc, source
    out = {}
    for key, a in found.items():
        missing = set(_QUANTITIES) - set(a["values"])
        if missing:
            raise DataError(path.name, f"actor {key!r} lacks rows for {', '.join(sorted(missing))}", column="quantity")
        out[key] = Actor(id=key, **a)
    return out


def load_actors(path: Path | str | None = None) -> dict[str, Actor]:
    """Read the actors from a moment-arm table (default: the packaged ``moment_arms.csv``).

    Bad rows raise :class:`~coursekit.errors.DataError` naming the file, row and column.
    """
    path = Path(path) if path is not None else data_path("moment_arms.csv")
    return _parse(read_rows(path, _COLUMNS), path)


@lru_cache(maxsize=1)
def actors() -> dict[str, Actor]:
    """The actors of the rotation-balance model, read from ``data/moment_arms.csv``.

    >>> sorted(actors())[:2]
    ['adductor_magnus', 'biceps_femoris']
    """
    return load_actors()


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
    """Constants of the rotation-balance toy model (all course assumptions)."""

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
    out = dict.fromkeys(table, 0.0)
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
