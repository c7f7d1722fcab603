"""Side-view articulated bodies: the geometry shared by the hip-angle and pose figures.

Segment lengths are published fractions of body height (Winter 2009, after Drillis &
Contini 1966; ``data/segment_lengths.csv``), expressed in trunk lengths (hip to
shoulder = 1). Joints are drawn as circles; angle labels are moved clear of every body
line and joint with the renderer's extents (:func:`settle_labels`).

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
from typing import Any

from matplotlib.axes import Axes
from matplotlib.patches import Arc, Circle, Polygon

from coursekit.anatomy import data_path, read_rows
from coursekit.diagrams.style import PALETTE
from coursekit.errors import DataError

__all__ = [
    "Body",
    "body_lines",
    "segment_lengths",
    "draw_angle",
    "draw_body",
    "hip_angle",
    "reach",
    "settle_labels",
    "rotate",
    "unit",
]

Vec = tuple[float, float]

def segment_lengths() -> dict[str, float]:
    """Segment lengths as fractions of body height, from ``data/segment_lengths.csv``.

    >>> segment_lengths()["thigh"]
    0.245
    """
    rows = read_rows(data_path("segment_lengths.csv"),
                     ("segment", "proximal", "distal", "fraction_of_height", "source"))
    out: dict[str, float] = {}
    for row in rows:
        row.text("source")
        value = row.number("fraction_of_height")
        if not 0.0 < value < 1.0:
            raise row.error("fraction_of_height", f"must lie between 0 and 1, not {value:g}")
        out[row.text("segment")] = value
    missing = {"trunk", "thigh", "shank", "ankle_height", "foot", "upper_arm", "forearm", "hand",
               "neck", "head"} - set(out)
    if missing:
        raise DataError("segment_lengths.csv", f"lacks rows for {', '.join(sorted(missing))}")
    return out


_H = segment_lengths()
#: Segment lengths of the body in trunk lengths (hip to shoulder = 1), from the data.
THIGH = _H["thigh"] / _H["trunk"]
SHANK = _H["shank"] / _H["trunk"]
FOOT = _H["foot"] / _H["trunk"]
ANKLE_HEIGHT = _H["ankle_height"] / _H["trunk"]
UPPER_ARM = _H["upper_arm"] / _H["trunk"]
FOREARM = _H["forearm"] / _H["trunk"]
HAND = _H["hand"] / _H["trunk"]
NECK = _H["neck"] / _H["trunk"]
HEAD_R = _H["head"] / 2 / _H["trunk"]
#: Where the ankle sits along the foot, from the heel (a drawing choice, not a datum).
_HEEL_SHARE = 0.22
#: Drawn line widths (points) of each segment, relative to the ``lw`` of :func:`draw_body`.
_WIDTH = {"trunk": 1.5, "spine": 1.5, "thigh": 1.15, "shank": 0.9, "foot": 0.7, "upper_arm": 0.75,
          "forearm": 0.65, "hand": 0.5, "neck": 0.6, "leg2_thigh": 1.15, "leg2_shank": 0.9,
          "leg2_foot": 0.7}
JOINT_R = 0.045


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


def _foot(ankle: Vec, shank: Vec, ankle_deg: float) -> tuple[Vec, Vec]:
    """Heel and toe of a foot at ``ankle_deg`` from a right angle to the (unit) shank."""
    forward = rotate(shank, 90.0 - ankle_deg)
    sole = _add(ankle, rotate(forward, -90.0), ANKLE_HEIGHT)
    return _add(sole, forward, -FOOT * _HEEL_SHARE), _add(sole, forward, FOOT * (1 - _HEEL_SHARE))


def _unit_of(v: Sequence[float]) -> Vec:
    n = math.hypot(v[0], v[1])
    return (v[0] / n, v[1] / n)


@dataclass(frozen=True)
class Body:
    """Joint positions of one articulated body (both legs drawn as one unless ``leg2`` is set).

    Segment lengths follow :func:`segment_lengths` (published fractions of height).
    ``spine`` holds the points of a bent spine between hip and shoulder (empty when the
    trunk is straight); the hip angle is always measured against the first spine
    segment, the part of the trunk that moves with the pelvis. ``leg2`` is
    (hip, knee, ankle, toe, heel) of a second leg.
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
    heel: Vec | None = None
    hand: Vec | None = None

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
        arm = rotate((-upper[0], -upper[1]), shoulder_deg)
        forearm = rotate(arm, elbow_deg)
        shoulder = spine.pop() if spine else _add(hip, t)
        knee = _add(hip, thigh, THIGH)
        ankle = _add(knee, shank, SHANK)
        heel, toe = _foot(ankle, shank, ankle_deg)
        elbow = _add(shoulder, arm, UPPER_ARM)
        wrist = _add(elbow, forearm, FOREARM)
        return cls(
            hip=hip,
            shoulder=shoulder,
            head=_add(shoulder, rotate(upper, -neck_deg), NECK + HEAD_R),
            knee=knee,
            ankle=ankle,
            toe=toe,
            elbow=elbow,
            wrist=wrist,
            spine=tuple(spine),
            heel=heel,
            hand=_add(wrist, forearm, HAND),
        )

    def points(self) -> list[Vec]:
        """Every drawn point (joints, heel and hand, spine and second leg included)."""
        single = [self.hip, self.shoulder, self.head, self.knee, self.ankle, self.toe,
                  self.elbow, self.wrist]
        extra = [p for p in (self.heel, self.hand) if p is not None]
        return single + extra + list(self.spine) + list(self.leg2)

    def moved(self, dx: float, dy: float) -> Body:
        """The same body translated by (dx, dy)."""
        def mv(p: Vec) -> Vec:
            return (p[0] + dx, p[1] + dy)
        return replace(
            self, hip=mv(self.hip), shoulder=mv(self.shoulder), head=mv(self.head),
            knee=mv(self.knee), ankle=mv(self.ankle), toe=mv(self.toe), elbow=mv(self.elbow),
            wrist=mv(self.wrist), spine=tuple(mv(p) for p in self.spine),
            leg2=tuple(mv(p) for p in self.leg2),
            heel=None if self.heel is None else mv(self.heel),
            hand=None if self.hand is None else mv(self.hand),
        )

    def lowest(self) -> float:
        """Lowest y of the drawn body (for putting it on the floor)."""
        pts = [p for p in self.points() if p is not self.head]
        return min(min(p[1] for p in pts), self.head[1] - HEAD_R)

    def with_arm_to(self, target: Vec, *, elbow_out: int = 1, hand_dir: Vec | None = None) -> Body:
        """The body with its wrist placed on ``target`` (two-link reach; straight if too far).

        ``hand_dir`` points the hand (e.g. flat along the floor); by default it continues
        the forearm.
        """
        elbow, wrist = reach(self.shoulder, target, UPPER_ARM, FOREARM, elbow_out)
        direction = _unit_of(hand_dir) if hand_dir is not None else _unit_of(
            (wrist[0] - elbow[0], wrist[1] - elbow[1]))
        return replace(self, elbow=elbow, wrist=wrist, hand=_add(wrist, direction, HAND))

    def with_second_leg(self, hip_deg: float, knee_deg: float, ankle_deg: float = 0.0) -> Body:
        """Add a second leg (e.g. the front leg of a lunge) at its own hip and knee angles."""
        down = _unit_of((-self.trunk[0], -self.trunk[1]))
        thigh = rotate(down, hip_deg)
        shank = rotate(thigh, -knee_deg)
        knee = _add(self.hip, thigh, THIGH)
        ankle = _add(knee, shank, SHANK)
        heel, toe = _foot(ankle, shank, ankle_deg)
        return replace(self, leg2=(self.hip, knee, ankle, toe, heel))

    def segments(self) -> dict[str, tuple[Vec, ...]]:
        """The drawn segments by name, each as its chain of points."""
        chain = [self.hip, *self.spine, self.shoulder]
        out: dict[str, tuple[Vec, ...]] = {"trunk": (chain[0], chain[1])}
        if len(chain) > 2:
            out["spine"] = tuple(chain[1:])
        out["thigh"] = (self.hip, self.knee)
        out["shank"] = (self.knee, self.ankle)
        out["foot"] = (self.ankle, self.heel, self.toe, self.ankle) if self.heel else (self.ankle, self.toe)
        out["upper_arm"] = (self.shoulder, self.elbow)
        out["forearm"] = (self.elbow, self.wrist)
        if self.hand is not None:
            out["hand"] = (self.wrist, self.hand)
        neck_dir = _unit_of((self.head[0] - self.shoulder[0], self.head[1] - self.shoulder[1]))
        out["neck"] = (self.shoulder, _add(self.head, neck_dir, -HEAD_R))
        if self.leg2:
            hip, knee, ankle, toe, *heel = self.leg2
            out["leg2_thigh"] = (hip, knee)
            out["leg2_shank"] = (knee, ankle)
            out["leg2_foot"] = (ankle, heel[0], toe, ankle) if heel else (ankle, toe)
        return out

    def joints(self) -> dict[str, Vec]:
        """The joints drawn as joints (circles), by name."""
        out = {"shoulder": self.shoulder, "elbow": self.elbow, "wrist": self.wrist,
               "knee": self.knee, "ankle": self.ankle, "hip": self.hip}
        if self.leg2:
            out["leg2_knee"], out["leg2_ankle"] = self.leg2[1], self.leg2[2]
        return out


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
    """Draw ``body`` as linked segments with round joints.

    Each segment line carries gid ``body|<segment>``; the trunk and thigh lines carry
    gids ``trunk`` and ``thigh`` (the lines the hip angle is measured between). The
    second leg is grey *and* drawn behind with a dashed outline, so it does not depend
    on colour alone. The hip joint is the larger, orange-filled circle.
    """
    colour = colour or PALETTE["black"]
    for name, pts in body.segments().items():
        far = name.startswith("leg2")
        gid = name if name in ("trunk", "thigh", "spine") else f"body|{name}"
        width = lw * _WIDTH[name]
        style: dict[str, Any] = dict(color=PALETTE["grey"] if far else colour, lw=width, solid_capstyle="round",
                     solid_joinstyle="round", zorder=2 if far else 3, gid=gid)
        ax.plot(*zip(*pts), **style)
        if name.endswith("foot") and len(pts) == 4:
            ax.add_patch(Polygon(pts[:3], closed=True, fc=style["color"], ec="none",
                                 zorder=style["zorder"]))
        if far:  # an outline keeps the far leg distinct without colour
            ax.plot(*zip(*pts), color="white", lw=width * 0.35, solid_capstyle="round",
                    ls=(0, (2, 2)), zorder=2.1)
    ax.add_patch(Circle(body.head, HEAD_R, fc="white", ec=colour, lw=lw * 0.6, zorder=3,
                        gid="body|head"))
    for name, point in body.joints().items():
        if name == "hip":
            ax.add_patch(Circle(point, JOINT_R * 1.5, fc=PALETTE["orange"], ec=colour, lw=1.5,
                                zorder=4.5, gid="joint|hip"))
        else:
            far = name.startswith("leg2")
            ax.add_patch(Circle(point, JOINT_R, fc="white", ec=PALETTE["grey"] if far else colour,
                                lw=1.3, zorder=2.2 if far else 4, gid=f"joint|{name}"))


def body_lines(ax: Axes) -> list:
    """The lines of the drawn body in ``ax`` (for overlap tests and label placement)."""
    return [ln for ln in ax.get_lines()
            if ln.get_gid() in ("trunk", "thigh", "spine") or (ln.get_gid() or "").startswith("body|")]


def body_outlines(ax: Axes) -> list[tuple[object, float]]:
    """Every drawn body part of ``ax`` as (display-space points, half width in px).

    Lines give their data points; the head gives its outline and its centre (with the
    head's radius as half width), so a label over the face counts as touching it.
    """
    renderer = ax.figure._get_renderer()  # type: ignore[union-attr]  # private, absent from matplotlib's stubs
    px = renderer.points_to_pixels(1.0)
    out: list[tuple[object, float]] = []
    for line in body_lines(ax):
        out.append((line.get_transform().transform(line.get_xydata()), line.get_linewidth() * px / 2))
    for patch in ax.patches:
        gid = patch.get_gid() or ""
        if isinstance(patch, Circle) and (gid == "body|head" or gid.startswith("joint|")):
            centre = ax.transData.transform(patch.center)
            edge = ax.transData.transform((patch.center[0] + patch.radius, patch.center[1]))
            out.append(([centre, centre], float(edge[0] - centre[0]) + patch.get_linewidth() * px / 2))
    return out


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

    ``label_dir`` (a unit vector) is the preferred side for the label, e.g. towards the
    back of the body where no limb is drawn; ``label_min_y`` keeps the label above the
    floor. The label is first put at the preferred spot; :func:`settle_labels` then moves
    it to the nearest spot whose box is clear of every body line (it needs the figure's
    final layout, so the figure functions call it last).
    """
    colour = colour or PALETTE["vermillion"]
    a0, a1 = _angle_of(start), _angle_of(end)
    sweep = (a1 - a0 + 180.0) % 360.0 - 180.0
    lo, hi = (a0, a0 + sweep) if sweep >= 0 else (a0 + sweep, a0)
    ax.add_patch(Arc(centre, 2 * radius, 2 * radius, theta1=lo, theta2=hi,
                     color=colour, lw=2, zorder=5, gid="hip-arc"))
    ref = _add(centre, start, radius * 1.9)
    ax.plot(*zip(centre, ref), color=colour, lw=1.2, ls=(0, (4, 3)), zorder=2, gid="reference")
    if not label:
        return
    mid = unit((lo + hi) / 2)
    prefer = _unit_of(label_dir) if label_dir is not None else mid
    candidates = _candidates(centre, prefer, radius, label_min_y)
    tip = _add(centre, mid, radius)
    leader, = ax.plot([tip[0], candidates[0][0]], [tip[1], candidates[0][1]], color=colour, lw=0.8,
                      zorder=5, gid="leader")
    text = ax.text(*candidates[0], label, color=colour, fontsize=fontsize, ha="center", va="center",
                   fontweight="bold", zorder=6, gid="angle-label",
                   bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.9))
    pending = getattr(ax, _PENDING, [])
    pending.append((text, leader, tip, candidates))
    setattr(ax, _PENDING, pending)


#: Axes attribute listing labels that wait for :func:`settle_labels`.
_PENDING = "_coursekit_pending_labels"


def _candidates(centre: Vec, prefer: Vec, radius: float, min_y: float | None) -> list[Vec]:
    """Spots around ``centre``, nearest and closest to the preferred direction first."""
    base = _angle_of(prefer)
    spots = []
    for step, dist in enumerate((0.3, 0.45, 0.6, 0.8, 1.0, 1.25)):
        for turn in (0, 20, -20, 40, -40, 60, -60, 90, -90, 120, -120, 150, -150, 180):
            p = _add(centre, unit(base + turn), radius + dist)
            if min_y is not None and p[1] < min_y:
                p = (p[0], min_y)
            spots.append((step + abs(turn) / 45.0, p))
    return [p for _, p in sorted(spots, key=lambda item: item[0])]


def _box_hits_lines(box, parts, pad_px: float) -> float:  # noqa: ANN001
    """How far (px) the body parts reach into ``box`` grown by ``pad_px`` (0 = clear)."""
    worst = 0.0
    for xy, half in parts:
        half = half + pad_px
        x0, y0, x1, y1 = box.x0 - half, box.y0 - half, box.x1 + half, box.y1 + half
        for (ax_, ay), (bx, by) in zip(xy[:-1], xy[1:]):
            for t in [k / 24 for k in range(25)]:
                px, py = ax_ + (bx - ax_) * t, ay + (by - ay) * t
                if x0 < px < x1 and y0 < py < y1:
                    worst = max(worst, min(px - x0, x1 - px, py - y0, y1 - py))
    return worst


def _crossings(ax: Axes, tip: Vec, spot: Vec, box, lines) -> int:  # noqa: ANN001
    """How many body lines the leader from ``tip`` to the label box at ``spot`` crosses."""
    a = ax.transData.transform(tip)
    b = ax.transData.transform(spot)
    count = 0
    for line in lines:
        xy = line.get_transform().transform(line.get_xydata())
        for p, q in zip(xy[:-1], xy[1:]):
            if _segments_cross(a, b, p, q) and not box.contains(*_cross_point(a, b, p, q)):
                count += 1
    return count


def _segments_cross(a, b, p, q) -> bool:  # noqa: ANN001 - 2-vectors
    def side(u, v, w) -> float:  # noqa: ANN001
        return (v[0] - u[0]) * (w[1] - u[1]) - (v[1] - u[1]) * (w[0] - u[0])
    return side(a, b, p) * side(a, b, q) < 0 and side(p, q, a) * side(p, q, b) < 0


def _cross_point(a, b, p, q) -> tuple[float, float]:  # noqa: ANN001 - 2-vectors
    r = (b[0] - a[0], b[1] - a[1])
    s = (q[0] - p[0], q[1] - p[1])
    t = ((p[0] - a[0]) * s[1] - (p[1] - a[1]) * s[0]) / (r[0] * s[1] - r[1] * s[0])
    return a[0] + t * r[0], a[1] + t * r[1]


def settle_labels(fig) -> None:  # noqa: ANN001 - a matplotlib Figure
    """Move each angle label of ``fig`` to the first candidate spot clear of the body lines.

    Uses the renderer's extents after the final layout; a spot counts when the label box,
    grown by 5 px, touches no body line or joint and stays inside the axes.
    """
    pending = [item for ax in fig.axes for item in getattr(ax, _PENDING, [])]
    if not pending:
        return
    fig.draw_without_rendering()
    renderer = fig._get_renderer()
    for text, leader, tip, candidates in pending:
        ax = text.axes
        lines = body_lines(ax)
        parts = body_outlines(ax)
        frame = ax.get_window_extent(renderer)
        best, best_cost = candidates[0], math.inf
        for order, spot in enumerate(candidates):
            text.set_position(spot)
            text.update_bbox_position_size(renderer)
            box = text.get_bbox_patch().get_window_extent(renderer)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            hit = _box_hits_lines(box, parts, 5.0)
            cost = 10 * hit + (0 if inside else 1000) + 5 * _crossings(ax, tip, spot, box, lines)
            if cost < best_cost:
                best, best_cost = spot, cost + order * 1e-3
            if cost == 0:
                break
        text.set_position(best)
        leader.set_data([tip[0], best[0]], [tip[1], best[1]])
    for ax in fig.axes:
        if hasattr(ax, _PENDING):
            delattr(ax, _PENDING)
