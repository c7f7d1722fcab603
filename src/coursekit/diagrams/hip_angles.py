"""Hip flexion and extension: stick bodies with the hip angle drawn, and reported ranges.

>>> from coursekit.diagrams.style import alt_text
>>> fig = hip_angle_figure(90, title="Sitting")
>>> drawn_hip_angles(fig)
[90.0]
>>> "90°" in alt_text(fig)
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from coursekit.diagrams.stick import HEAD_R, Body, draw_angle, draw_body, hip_angle, settle_labels
from coursekit.diagrams.style import PALETTE, new_figure, set_alt_text

__all__ = [
    "DEFAULT_POSITIONS",
    "describe_angle",
    "drawn_hip_angles",
    "hip_angle_figure",
    "hip_positions_figure",
    "rom_figure",
]

#: (title, hip angle in degrees, trunk direction in degrees) of the default panels.
DEFAULT_POSITIONS: tuple[tuple[str, float, float], ...] = (
    ("Standing, leg back", -15.0, 90.0),
    ("Standing (0°)", 0.0, 90.0),
    ("Sitting upright", 90.0, 90.0),
    ("Forward fold", 120.0, -30.0),
)


def describe_angle(angle: float) -> str:
    """Words for a signed hip angle.

    >>> describe_angle(-15), describe_angle(0), describe_angle(90)
    ('15° extension', '0° (neutral)', '90° flexion')
    """
    if abs(angle) < 0.5:
        return "0° (neutral)"
    kind = "flexion" if angle > 0 else "extension"
    return f"{abs(angle):g}° {kind}"


#: Upper y limit of every panel: the top of the head of a standing body, plus a margin.
_TOP = Body.build(trunk_deg=90.0, hip_deg=0.0).moved(0, 0).head[1] + HEAD_R + 0.1 - \
    Body.build(trunk_deg=90.0, hip_deg=0.0).lowest()


def _draw_position(ax: Axes, angle: float, trunk_deg: float, title: str | None) -> None:
    knee = 90.0 if 60 <= angle <= 100 else 0.0
    folded = trunk_deg < 45  # trunk pointing forward: let the arms hang to the floor
    body = Body.build(trunk_deg=trunk_deg, hip_deg=angle, knee_deg=knee,
                      shoulder_deg=90.0 - trunk_deg if folded else -6.0,
                      elbow_deg=0.0 if folded else -10.0)
    if angle < 0:  # a leg taken back: the body stands on the other leg (drawn behind, grey)
        body = body.with_second_leg(0.0, 0.0)
    body = body.moved(0, -body.lowest())
    if knee:  # a simple stool under the sitter
        ax.fill([body.hip[0] - 0.35, body.hip[0] + 0.35, body.hip[0] + 0.35, body.hip[0] - 0.35],
                [0, 0, body.hip[1] - 0.08, body.hip[1] - 0.08], color=PALETTE["bone"], zorder=1)
    ax.axhline(0, color=PALETTE["grey"], lw=1.5, zorder=0)
    draw_body(ax, body)
    t = body.trunk
    draw_angle(ax, body.hip, (-t[0], -t[1]), body.thigh, label=describe_angle(angle) if
               abs(angle) >= 0.5 else "0°")
    ax.set_aspect("equal")
    xs = [p[0] for p in body.points()]
    centre = (min(xs) + max(xs)) / 2
    ax.set_xlim(centre - 1.65, centre + 1.65)
    ax.set_ylim(-0.15, _TOP)
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=12)


def hip_angle_figure(angle: float, *, trunk_deg: float = 90.0, title: str | None = None) -> Figure:
    """One stick body whose hip is at ``angle`` degrees (+ flexion, - extension)."""
    fig = new_figure(3.4, 4.2)
    _draw_position(fig.add_subplot(), angle, trunk_deg, title)
    settle_labels(fig)
    set_alt_text(fig, f"Side view of an articulated figure in adult proportions, facing right, with the hip at "
                      f"{describe_angle(angle)}; a dashed line continues the trunk downwards "
                      "and an arc marks the angle between it and the thigh.")
    return fig


def hip_positions_figure(
    positions: Sequence[tuple[str, float, float]] = DEFAULT_POSITIONS,
) -> Figure:
    """Panels of stick bodies, one per (title, hip angle, trunk direction)."""
    fig = new_figure(2.9 * len(positions), 4.0)
    axes = fig.subplots(1, len(positions))
    for ax, (title, angle, trunk) in zip(list(getattr(axes, "flat", [axes])), positions):
        _draw_position(ax, angle, trunk, title)
    settle_labels(fig)
    parts = "; ".join(f"{t}: {describe_angle(a)}" for t, a, _ in positions)
    set_alt_text(fig, f"Side views of {len(positions)} articulated figures in adult proportions, facing right, each with "
                      f"the hip angle marked by an arc from the line of the trunk. {parts}.")
    return fig


def drawn_hip_angles(fig: Figure) -> list[float]:
    """Hip angles measured back from the drawn trunk and thigh lines (for tests)."""
    out = []
    for ax in fig.axes:
        lines = {ln.get_gid(): ln for ln in ax.get_lines() if ln.get_gid() in ("trunk", "thigh")}
        if len(lines) < 2:
            continue
        (hx, sx), (hy, sy) = np.asarray(lines["trunk"].get_data())
        (_, kx), (_, ky) = np.asarray(lines["thigh"].get_data())
        out.append(round(hip_angle((sx - hx, sy - hy), (kx - hx, ky - hy)), 6))
    return out


def rom_figure(ranges: pd.DataFrame) -> Figure:
    """Reported hip ranges of motion as bars, one row per source, grouped by motion.

    ``ranges`` has columns ``motion``, ``low``, ``high`` (degrees; equal for a single
    value) and ``source``; rows keep their order within each motion.
    """
    motions = list(dict.fromkeys(ranges["motion"]))
    colours = [PALETTE[c] for c in ("blue", "vermillion", "green", "purple", "orange", "sky")]
    fig = new_figure(7.6, 0.42 * len(ranges) + 0.55 * len(motions) + 0.6)
    ax = fig.add_subplot()
    y, ticks, labels = 0.0, [], []
    for i, motion in enumerate(motions):
        rows = ranges[ranges["motion"] == motion]
        ax.text(-2, y + 0.1, motion, fontsize=11, fontweight="bold", va="bottom", ha="left")
        y -= 0.55
        for _, row in rows.iterrows():
            lo, hi = float(row["low"]), float(row["high"])
            col = colours[i % len(colours)]
            if math.isclose(lo, hi):
                ax.plot([lo], [y], marker="D", color=col, ms=7, zorder=3, gid="rom")
            else:
                ax.plot([lo, hi], [y, y], color=col, lw=7, solid_capstyle="butt", zorder=3,
                        gid="rom")
            value = f"{lo:g}°" if math.isclose(lo, hi) else f"{lo:g}–{hi:g}°"
            ax.text(hi + 2, y, value, va="center", fontsize=9)
            ticks.append(y)
            labels.append(str(row["source"]))
            y -= 0.42
        y -= 0.2
    ax.set_yticks(ticks, labels, fontsize=9)
    ax.set_ylim(y + 0.3, 0.5)
    ax.set_xlim(-3, max(float(ranges["high"].max()) + 18, 60))
    ax.set_xlabel("degrees from the 0° start position")
    ax.grid(axis="x", color="#dddddd", lw=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    desc = "; ".join(
        f"{m}: " + ", ".join(
            f"{r.source} {r.low:g}" + ("" if math.isclose(r.low, r.high) else f" to {r.high:g}")
            + " degrees" for r in ranges[ranges["motion"] == m].itertuples())
        for m in motions)
    set_alt_text(fig, f"Bar chart of reported hip ranges of motion by source. {desc}.")
    return fig
