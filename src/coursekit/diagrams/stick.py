"""Side-view stick bodies: the geometry shared by the hip-angle and pose figures.

Every body is drawn with the same handedness: its front faces the direction you get by
turning the trunk vector (hip to shoulder) a quarter turn clockwise. With that rule a hip
flexion angle is always a counter-clockwise turn of the thigh away from the line that
continues the trunk downwards, and extension is clockwise (a negative angle).

>>> round(hip_angle((0, 1), (1, 0)), 6)      # upright trunk, thigh forward: sitting
90.0
>>> round(hip_angle((0, 1), (0, -1)), 6)     # standing
0.0
>>> round(hip_angle((1, 0), (-0.966, 0.259)), 1)  # prone, legs lifted: extension
-15.0
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from matplotlib.axes import Axes
from matplotlib.patches import Arc, Circle

from coursekit.diagrams.style import PALETTE

__all__ = [
    "Body",
    "draw_angle",
    "draw_body",
    "hip_angle",
    "reach",
    "rotate",
    "unit",
]

Vec = tuple[float, float]

#: Segment lengths of the stick body, in trunk lengths (hip to shoulder = 1).
THIGH = 0.86
SHANK = 0.86
FOOT = 0.26
UPPER_ARM = 0.56
FOREARM = 0.52
NECK = 0.16
HEAD_R = 0.16


def unit(deg: float) -> Vec:
    """The unit vector at ``deg`` degrees counter-clockwise from the +x axis."""
    rad = math.radians(deg)
    return (math.cos(rad), math.sin(rad))


def rotate(v: Sequence[float], deg: float) -> Vec:
    """``v`` turned counter-clockwise by ``deg`` degrees."""
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return (v[0] * c - v[1] * s, v[0] * s + v[1] * c)


def _angle_of(v: Sequence[float]) -> float:
    return math.degrees(math.atan2(v[1], v[0]))


def hip_angle(trunk: Sequence[float], thigh: Sequence[float]) -> float:
    """Signed hip angle in degrees: + flexion, - extension, 0 = thigh in line with trunk.

    ``trunk`` points from hip to shoulder, ``thigh`` from hip to knee.
    """
    down = (-trunk[0], -trunk[1])
    diff = _angle_of(thigh) - _angle_of(down)
    return (diff + 180.0) % 360.0 - 180.0


def _add(p: Vec, v: Vec, k: float = 1.0) -> Vec:
    return (p[0] + k * v[0], p[1] + k * v[1])


@dataclass(frozen=True)
class Body:
    """Joint positions of one stick body (both legs drawn as one unless ``leg2`` is set).

    ``spine`` holds the points of a bent spine between hip and shoulder (empty when the
    trunk is straight); the hip angle is always measured against the first spine
    segment, the part of the trunk that moves with the pelvis.
    """

    hip: Vec
    shoulder: Vec
    head: Vec
    knee: Vec
    ankle: Vec
    toe: Vec
    elbow: Vec
    wrist: Vec
    spine: tuple[Vec, ...] = ()
    leg2: tuple[Vec, ...] = ()

    @property
    def trunk(self) -> Vec:
        """Direction of the lowest trunk segment (hip to the next spine point)."""
        nxt = self.spine[0] if self.spine else self.shoulder
        return (nxt[0] - self.hip[0], nxt[1] - self.hip[1])

    @property
    def thigh(self) -> Vec:
        return (self.knee[0] - self.hip[0], self.knee[1] - self.hip[1])

    @property
    def hip_angle(self) -> float:
        return hip_angle(self.trunk, self.thigh)

    @classmethod
    def build(
        cls,
        *,
        trunk_deg: float,
        hip_deg: float,
        knee_deg: float = 0.0,
        ankle_deg: float = 0.0,
        shoulder_deg: float = 0.0,
        elbow_deg: float = 0.0,
        neck_deg: float = 0.0,
        spine_deg: float = 0.0,
        hip: Vec = (0.0, 0.0),
    ) -> Body:
        """Pose a body from joint angles (degrees).

        ``trunk_deg``: direction of the trunk (hip to shoulder), counter-clockwise from +x.
        ``hip_deg``: hip flexion (+) or extension (-). ``knee_deg``: knee flexion (>= 0).
        ``shoulder_deg``: arm flexion, from hanging along the trunk (0) to overhead (180).
        ``ankle_deg``: foot turned from a right angle to the shank (+ = pointed).
        ``spine_deg``: spinal extension (+, a backbend) spread evenly over four segments.
        """
        t = unit(trunk_deg)
        down = (-t[0], -t[1])
        spine: list[Vec] = []
        if spine_deg:
            point = hip
            for k in range(4):
                point = _add(point, rotate(t, spine_deg * k / 3), 0.25)
                spine.append(point)
            upper = rotate(t, spine_deg)
        else:
            upper = t
        thigh = rotate(down, hip_deg)
        shank = rotate(thigh, -knee_deg)  # knee flexion brings the heel back (clockwise)
        foot = rotate(shank, 90.0 - ankle_deg)
        arm = rotate((-upper[0], -upper[1]), shoulder_deg)
        forearm = rotate(arm, elbow_deg)
        shoulder = spine.pop() if spine else _add(hip, t)
        knee = _add(hip, thigh, THIGH)
        ankle = _add(knee, shank, SHANK)
        elbow = _add(shoulder, arm, UPPER_ARM)
        return cls(
            hip=hip,
            shoulder=shoulder,
            head=_add(shoulder, rotate(upper, -neck_deg), NECK + HEAD_R),
            knee=knee,
            ankle=ankle,
            toe=_add(ankle, foot, FOOT),
            elbow=elbow,
            wrist=_add(elbow, forearm, FOREARM),
            spine=tuple(spine),
        )

    def points(self) -> list[Vec]:
        """Every joint point (spine and second leg included)."""
        single = [self.hip, self.shoulder, self.head, self.knee, self.ankle, self.toe,
                  self.elbow, self.wrist]
        return single + list(self.spine) + list(self.leg2)

    def moved(self, dx: float, dy: float) -> Body:
        """The same body translated by (dx, dy)."""
        def mv(p: Vec) -> Vec:
            return (p[0] + dx, p[1] + dy)
        return replace(
            self, hip=mv(self.hip), shoulder=mv(self.shoulder), head=mv(self.head),
            knee=mv(self.knee), ankle=mv(self.ankle), toe=mv(self.toe), elbow=mv(self.elbow),
            wrist=mv(self.wrist), spine=tuple(mv(p) for p in self.spine),
            leg2=tuple(mv(p) for p in self.leg2),
        )

    def lowest(self) -> float:
        """Lowest y of the drawn body (for putting it on the floor)."""
        pts = [p for p in self.points() if p is not self.head]
        return min(min(p[1] for p in pts), self.head[1] - HEAD_R)

    def with_arm_to(self, target: Vec, *, elbow_out: int = 1) -> Body:
        """The body with its hand placed on ``target`` (two-link reach; straight if too far)."""
        elbow, wrist = reach(self.shoulder, target, UPPER_ARM, FOREARM, elbow_out)
        return replace(self, elbow=elbow, wrist=wrist)

    def with_second_leg(self, hip_deg: float, knee_deg: float, ankle_deg: float = 0.0) -> Body:
        """Add a second leg (e.g. the front leg of a lunge) at its own hip and knee angles."""
        down = (-self.trunk[0], -self.trunk[1])
        n = math.hypot(*down)
        down = (down[0] / n, down[1] / n)
        thigh = rotate(down, hip_deg)
        shank = rotate(thigh, -knee_deg)
        knee = _add(self.hip, thigh, THIGH)
        ankle = _add(knee, shank, SHANK)
        toe = _add(ankle, rotate(shank, 90.0 - ankle_deg), FOOT)
        return replace(self, leg2=(self.hip, knee, ankle, toe))


def reach(start: Vec, target: Vec, a: float, b: float, bend: int = 1) -> tuple[Vec, Vec]:
    """Elbow and wrist of a two-link arm from ``start`` towards ``target``."""
    dx, dy = target[0] - start[0], target[1] - start[1]
    d = math.hypot(dx, dy)
    base = math.degrees(math.atan2(dy, dx))
    if d >= a + b - 1e-9:
        direction = unit(base)
        elbow = _add(start, direction, a)
        return elbow, _add(elbow, direction, b)
    cos_a = (a * a + d * d - b * b) / (2 * a * d)
    offset = math.degrees(math.acos(max(-1.0, min(1.0, cos_a))))
    elbow = _add(start, unit(base + bend * offset), a)
    return elbow, target


def draw_body(ax: Axes, body: Body, *, colour: str | None = None, lw: float = 5.0) -> None:
    """Draw ``body``; the trunk and thigh lines carry gids ``trunk`` and ``thigh``."""
    colour = colour or PALETTE["black"]
    limb = dict(color=colour, lw=lw, solid_capstyle="round", zorder=3)
    if body.leg2:
        ax.plot(*zip(*body.leg2), **{**limb, "color": PALETTE["grey"], "zorder": 2})
    chain = [body.hip, *body.spine, body.shoulder]
    ax.plot(*zip(chain[0], chain[1]), gid="trunk", **limb)
    if len(chain) > 2:
        ax.plot(*zip(*chain[1:]), gid="spine", **limb)
    ax.plot(*zip(body.hip, body.knee), gid="thigh", **limb)
    ax.plot(*zip(body.knee, body.ankle, body.toe), **limb)
    ax.plot(*zip(body.shoulder, body.elbow, body.wrist), **{**limb, "lw": lw * 0.8})
    ax.plot(*zip(body.shoulder, body.head), **{**limb, "lw": lw * 0.7, "zorder": 2})
    ax.add_patch(Circle(body.head, HEAD_R, fc="white", ec=colour, lw=lw * 0.6, zorder=3))
    ax.add_patch(Circle(body.hip, 0.055, fc=PALETTE["orange"], ec=colour, lw=1.5, zorder=4))


def draw_angle(
    ax: Axes,
    centre: Vec,
    start: Vec,
    end: Vec,
    *,
    radius: float = 0.32,
    label: str = "",
    colour: str | None = None,
    fontsize: float = 11,
    label_dir: Vec | None = None,
    label_min_y: float | None = None,
) -> None:
    """Arc from direction ``start`` to ``end`` (shorter way round), with a label beside it.

    ``label_dir`` (a unit vector) puts the label that way from the joint instead of
    next to the arc, e.g. towards the back of the body where no limb is drawn;
    ``label_min_y`` keeps such a label above the floor.
    """
    colour = colour or PALETTE["vermillion"]
    a0, a1 = _angle_of(start), _angle_of(end)
    sweep = (a1 - a0 + 180.0) % 360.0 - 180.0
    lo, hi = (a0, a0 + sweep) if sweep >= 0 else (a0 + sweep, a0)
    ax.add_patch(Arc(centre, 2 * radius, 2 * radius, theta1=lo, theta2=hi,
                     color=colour, lw=2, zorder=5, gid="hip-arc"))
    ref = _add(centre, start, radius * 1.9)
    ax.plot(*zip(centre, ref), color=colour, lw=1.2, ls=(0, (4, 3)), zorder=2, gid="reference")
    if label and label_dir is not None:
        pos = _add(centre, label_dir, radius + 0.3)
        if label_min_y is not None and pos[1] < label_min_y:
            pos = (pos[0], label_min_y)
        tip = _add(centre, unit((lo + hi) / 2), radius)
        ax.plot([tip[0], pos[0]], [tip[1], pos[1]], color=colour, lw=0.8, zorder=5)
        ha = "center" if abs(label_dir[0]) < 0.35 else ("left" if label_dir[0] > 0 else "right")
        ax.text(*pos, label, color=colour, fontsize=fontsize, ha=ha, va="center", fontweight="bold",
                zorder=6, bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))
    elif label:
        _angle_label(ax, centre, lo, hi, radius, label, colour, fontsize)


def _angle_label(ax: Axes, centre: Vec, lo: float, hi: float, radius: float, label: str,
                 colour: str, fontsize: float) -> None:
    """Put the label beyond the arc; for narrow angles, off to one side of it."""
    mid = unit((lo + hi) / 2)
    pos = _add(centre, mid, radius + 0.14)
    ha = "center"
    if hi - lo < 50:
        side = rotate(mid, 90.0)
        if side[0] < 0:
            side = (-side[0], -side[1])
        pos = _add(_add(centre, mid, radius * 0.9), side, 0.12)
        ha = "left"
    elif abs(mid[0]) > 0.5:
        ha = "left" if mid[0] > 0 else "right"
    ax.text(*pos, label, color=colour, fontsize=fontsize, ha=ha, va="center",
            fontweight="bold", zorder=6,
            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))
