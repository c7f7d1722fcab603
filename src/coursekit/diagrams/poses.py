"""Articulated side-view figures of the course's yoga poses, each with its hip angle from ``poses.csv``.

The hip and knee angles come from the pose data (flexion positive, extension negative);
:data:`LAYOUTS` only says how the body sits in space (which way the thigh points, how
much the spine bends, where the hands go). The hip angle is drawn between the thigh
and the lowest trunk segment, the part of the trunk that moves with the pelvis, so a
backbend's spinal curve never counts as hip extension.

>>> fig = pose_figure("Salabhasana")
>>> drawn_hip_angles(fig)
[-15.0]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from coursekit import anatomy
from coursekit.diagrams.hip_angles import describe_angle, drawn_hip_angles
from coursekit.diagrams.stick import HEAD_R, NECK, Body, draw_angle, draw_body, rotate, settle_labels
from coursekit.diagrams.style import PALETTE, new_figure, set_alt_text

__all__ = ["LAYOUTS", "Layout", "drawn_hip_angles", "pose_body", "pose_figure", "poses_figure"]


@dataclass(frozen=True)
class Layout:
    """How a pose sits in space; the joint angles themselves come from the data.

    ``thigh_deg``: direction of the (back) thigh, hip to knee, counter-clockwise from +x.
    ``hands``: where the hands go: ``floor`` (below the shoulder, offset ``hand_dx``),
    ``ankles`` (holding the feet), ``overhead`` or ``back`` (along the body).
    ``front_leg``: (hip flexion, knee flexion) of a second, front leg, or None.
    ``shoulders_down``: turn ``thigh_deg`` until the shoulders and feet rest on the floor.
    ``head_deg``: direction from shoulder to head when the head rests on the floor.
    ``fingers_to_head``: palms on the floor with the fingers pointing away from the feet.
    """

    thigh_deg: float
    spine_deg: float = 0.0
    hands: str = "back"
    hand_dx: float = 0.0
    neck_deg: float = 0.0
    ankle_deg: float = 0.0
    flat_foot: bool = False
    front_leg: tuple[float, float] | None = None
    shoulders_down: bool = False
    head_deg: float | None = None
    elbow_back: bool = False
    fingers_to_head: bool = False


LAYOUTS: dict[str, Layout] = {
    "Salabhasana": Layout(thigh_deg=170, spine_deg=20, hands="back", ankle_deg=90),
    "Bhujangasana": Layout(thigh_deg=182, spine_deg=62, hands="floor", hand_dx=-0.1, ankle_deg=90,
                           elbow_back=True, fingers_to_head=True),
    "Dhanurasana": Layout(thigh_deg=160, spine_deg=45, hands="ankles", ankle_deg=60),
    "Setu Bandha Sarvangasana": Layout(thigh_deg=22, spine_deg=8, hands="floor", hand_dx=1.04,
                                       elbow_back=True,
                                       flat_foot=True, shoulders_down=True, head_deg=160),
    "Urdhva Dhanurasana": Layout(thigh_deg=-35, spine_deg=60, hands="floor", hand_dx=-0.2,
                                 neck_deg=-30, flat_foot=True),
    "Ustrasana": Layout(thigh_deg=270, spine_deg=95, hands="ankles", neck_deg=-30, ankle_deg=90),
    "Virabhadrasana I": Layout(thigh_deg=232, spine_deg=28, hands="overhead", flat_foot=True,
                               front_leg=(100, 72)),
    "Anjaneyasana": Layout(thigh_deg=212, spine_deg=22, hands="overhead", ankle_deg=90,
                           front_leg=(115, 95)),
}


def _flat_foot_ankle(shank_deg: float) -> float:
    """Ankle angle that puts the foot flat and forward (+x) for a shank direction."""
    return (shank_deg + 90.0 + 180.0) % 360.0 - 180.0


def pose_body(name: str) -> Body:
    """The stick body of one pose, resting on the floor at y = 0."""
    pose = anatomy.pose(name)
    layout = LAYOUTS[pose.name]
    if not layout.shoulders_down:
        return _posed(pose, layout, layout.thigh_deg)
    lo, hi = layout.thigh_deg - 40.0, layout.thigh_deg + 40.0
    for _ in range(40):  # bisection: shoulders level with the feet
        mid = (lo + hi) / 2
        body = _posed(pose, layout, mid, place=False)
        if (body.shoulder[1] - body.ankle[1]) > 0:
            lo = mid
        else:
            hi = mid
    return _posed(pose, layout, (lo + hi) / 2)


def _posed(pose: anatomy.Pose, layout: Layout, thigh_deg: float, *, place: bool = True) -> Body:
    trunk_deg = thigh_deg - 180.0 - pose.hip_angle_deg
    ankle = layout.ankle_deg
    if layout.flat_foot:
        shank = thigh_deg - pose.knee_flexion_deg
        ankle = _flat_foot_ankle(shank)
    body = Body.build(trunk_deg=trunk_deg, hip_deg=pose.hip_angle_deg,
                      knee_deg=pose.knee_flexion_deg, ankle_deg=ankle,
                      spine_deg=layout.spine_deg, neck_deg=layout.neck_deg,
                      shoulder_deg=160.0 if layout.hands == "overhead" else -25.0)
    if layout.front_leg:
        body = _front_leg_on_floor(body, *layout.front_leg)
    if layout.head_deg is not None:
        body = replace(body, head=_along(body.shoulder, layout.head_deg, NECK + HEAD_R))
    if not place:
        return body
    body = body.moved(0.0, -body.lowest())
    if layout.hands == "floor":
        to_feet = 1.0 if body.ankle[0] > body.shoulder[0] else -1.0
        fingers = (-to_feet if layout.fingers_to_head else to_feet, 0.0)
        body = body.with_arm_to((body.shoulder[0] + layout.hand_dx, _WRIST_HEIGHT),
                                elbow_out=1 if layout.elbow_back else -1, hand_dir=fingers)
    elif layout.hands == "ankles":  # the hand holds the foot
        body = body.with_arm_to(body.ankle, hand_dir=(body.toe[0] - body.ankle[0], body.toe[1] - body.ankle[1]))
    return body.moved(0.0, -body.lowest())


#: Height of a wrist above the floor when the palm is flat (trunk lengths; a drawing choice).
_WRIST_HEIGHT = 0.06


def _with_front_leg(body: Body, hip2: float, knee2: float) -> Body:
    thigh2 = rotate((-body.trunk[0], -body.trunk[1]), hip2)
    shank_deg = _deg(rotate(thigh2, -knee2))
    return body.with_second_leg(hip2, knee2, ankle_deg=_flat_foot_ankle(shank_deg))


def _front_leg_on_floor(body: Body, hip2: float, knee2: float) -> Body:
    """The front leg at knee flexion ``knee2`` with its hip flexion (starting from ``hip2``)
    turned until its flat foot stands on the same floor as the back foot."""
    floor = body.lowest()

    def gap(h: float) -> float:
        return min(p[1] for p in _with_front_leg(body, h, knee2).leg2) - floor

    lo, hi = hip2 - 45.0, hip2 + 45.0   # more hip flexion lifts the foot
    if gap(lo) > 0 or gap(hi) < 0:
        return _with_front_leg(body, hip2, knee2)
    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if gap(mid) > 0 else (mid, hi)
    return _with_front_leg(body, (lo + hi) / 2, knee2)


def _deg(v: Sequence[float]) -> float:
    return math.degrees(math.atan2(v[1], v[0]))


def _along(p: tuple[float, float], deg: float, length: float) -> tuple[float, float]:
    return (p[0] + length * math.cos(math.radians(deg)), p[1] + length * math.sin(math.radians(deg)))


def _panel(ax: Axes, name: str, span: float, top: float = 3.3) -> None:
    pose = anatomy.pose(name)
    body = pose_body(name)
    ax.axhline(0, color=PALETTE["grey"], lw=1.5, zorder=0)
    draw_body(ax, body)
    t = body.trunk
    label = describe_angle(pose.hip_angle_deg)
    n = math.hypot(*t)
    back = rotate((t[0] / n, t[1] / n), 90.0)  # the back of the body: no limb drawn there
    draw_angle(ax, body.hip, (-t[0], -t[1]), body.thigh, radius=0.55, label=label, fontsize=10,
               label_dir=back, label_min_y=0.25)
    lo, hi = _extent(body)
    mid = (lo + hi) / 2
    ax.set_xlim(mid - span / 2, mid + span / 2)
    ax.set_ylim(-0.95, top)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.text(mid, -0.3, f"{pose.name} ({pose.english_name})", ha="center", va="center",
            fontsize=9.5, fontweight="bold")
    est = "estimate" if pose.estimated else "reference"
    ax.text(mid, -0.62, f"data: {pose.hip_angle_deg:g}° (range {pose.hip_angle_low:g} to "
                        f"{pose.hip_angle_high:g}°, {est})", ha="center", va="center", fontsize=8,
            color="#444444")


def pose_figure(name: str) -> Figure:
    """One pose with its hip angle marked."""
    top, span = _top([name]), _span([name])
    fig = new_figure(0.95 * span + 0.2, 0.95 * (top + 0.95))
    _panel(fig.add_subplot(), name, span, top)
    settle_labels(fig)
    set_alt_text(fig, _alt([name]))
    return fig


def poses_figure(names: Sequence[str] | None = None, *, columns: int = 4) -> Figure:
    """A grid of poses (default: every pose that has a layout, in data order)."""
    names = list(names) if names is not None else [
        p for p in anatomy.poses()["name"] if p in LAYOUTS]
    rows = -(-len(names) // columns)
    cols = min(columns, len(names))
    # Each row is as tall as its highest pose; the scale stays the same in every panel.
    tops = [_top(names[r * cols:(r + 1) * cols]) for r in range(rows)]
    heights = [top + 0.95 for top in tops]
    span = _span(names)
    scale = min(0.85, 11.5 / (span * cols))   # inches per trunk length, the same in every panel
    fig = new_figure(scale * span * cols + 0.3, scale * sum(heights) + 0.3)
    axes = fig.subplots(rows, cols, squeeze=False, gridspec_kw={"height_ratios": heights})
    for index, (ax, name) in enumerate(zip(axes.flat, names)):
        _panel(ax, name, span, tops[index // cols])
    for ax in list(axes.flat)[len(names):]:
        ax.axis("off")
    settle_labels(fig)
    set_alt_text(fig, _alt(names))
    return fig


def _extent(body: Body) -> tuple[float, float]:
    """Leftmost and rightmost x of the drawn body, head included."""
    xs = [p[0] for p in body.points()]
    return min(min(xs), body.head[0] - HEAD_R), max(max(xs), body.head[0] + HEAD_R)


def _top(names: Sequence[str]) -> float:
    """Upper y limit that shows the highest point of every pose (same scale in a grid)."""
    return max(max(max(p[1] for p in b.points()), b.head[1] + HEAD_R)
               for b in map(pose_body, names)) + 0.35


def _span(names: Sequence[str]) -> float:
    """Panel width (trunk lengths) that holds the widest pose with a margin on each side."""
    widest = max(hi - lo for lo, hi in (_extent(pose_body(n)) for n in names))
    return max(widest + 0.7, 3.0)


def _alt(names: Sequence[str]) -> str:
    parts = []
    for name in names:
        pose = anatomy.pose(name)
        parts.append(f"{pose.name} ({pose.english_name}): hip {describe_angle(pose.hip_angle_deg)}, knee "
                     f"{'straight' if abs(pose.knee_flexion_deg) < 0.5 else f'{pose.knee_flexion_deg:g}° flexed'}")
    return ("Side views of yoga poses drawn as articulated figures in adult body proportions, with the joints "
            "as circles and the hip as a larger filled circle; at each hip an arc marks the angle between the "
            "thigh and the lowest part of the trunk, with the angle written beside it. "
            + "; ".join(parts) + ".")
