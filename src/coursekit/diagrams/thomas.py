"""The modified Thomas test seen from the side, drawn from a thigh angle and a knee angle.

The person lies supine with the head to the left and hugs the other knee to the chest;
the tested leg hangs over the end of the table. The thigh is drawn at ``thigh_deg``
against the table line (positive above it, as :class:`coursekit.clinical.ThomasReading`)
and the lower leg at ``knee_deg`` of knee flexion. Segment lengths are schematic.

>>> fig = thomas_figure([("normal", -10, 85)])
>>> from coursekit.diagrams.style import alt_text
>>> "10° below the table line" in alt_text(fig)
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Rectangle

from coursekit.diagrams.style import PALETTE, new_figure, set_alt_text

__all__ = ["thigh_words", "thomas_figure"]

_THIGH, _SHANK, _TRUNK = 42.0, 41.0, 58.0


def thigh_words(thigh_deg: float) -> str:
    """``'10° above the table line'``, ``'3° below the table line'`` or ``'level with the table'``."""
    if round(thigh_deg) == 0:
        return "level with the table"
    return f"{abs(thigh_deg):.0f}° {'above' if thigh_deg > 0 else 'below'} the table line"


def _point(origin: tuple[float, float], deg: float, length: float) -> tuple[float, float]:
    return origin[0] + length * math.cos(math.radians(deg)), origin[1] + length * math.sin(math.radians(deg))


def _arc(ax: Axes, centre: tuple[float, float], a0: float, a1: float, r: float, colour: str) -> None:
    t = np.radians(np.linspace(a0, a1, 30))
    ax.plot(centre[0] + r * np.cos(t), centre[1] + r * np.sin(t), color=colour, lw=1.6)


def _panel(ax: Axes, title: str, thigh_deg: float, knee_deg: float) -> None:
    hip = (0.0, 0.0)
    ax.add_patch(Rectangle((-75.0, -16.0), 79.0, 5.0, facecolor=PALETTE["grey"], alpha=0.5, edgecolor="none"))
    ax.plot([-75.0, 60.0], [-11.0, -11.0], ls=(0, (4, 3)), color=PALETTE["grey"], lw=1)
    ax.plot([0, 45.0], [0, 0], ls=(0, (2, 2)), color=PALETTE["black"], lw=0.8)
    shoulder = (-_TRUNK, 1.0)
    ax.plot([hip[0], shoulder[0]], [hip[1], shoulder[1]], color=PALETTE["black"], lw=5, solid_capstyle="round")
    ax.add_patch(Circle((shoulder[0] - 9.0, 3.0), 7.0, facecolor="white", edgecolor=PALETTE["black"], lw=2))
    # the other leg, hugged to the chest
    other_knee = _point(hip, 128.0, _THIGH * 0.9)
    other_foot = _point(other_knee, -35.0, _SHANK * 0.85)
    ax.plot([hip[0], other_knee[0], other_foot[0]], [hip[1], other_knee[1], other_foot[1]],
            color=PALETTE["grey"], lw=4, solid_capstyle="round")
    knee = _point(hip, thigh_deg, _THIGH)
    ankle = _point(knee, thigh_deg - knee_deg, _SHANK)
    ax.plot([hip[0], knee[0], ankle[0]], [hip[1], knee[1], ankle[1]], color=PALETTE["blue"], lw=5,
            solid_capstyle="round", zorder=3)
    for p in (hip, knee, ankle):
        ax.plot(*p, "o", color=PALETTE["black"], ms=4, zorder=4)
    _arc(ax, hip, 0.0, thigh_deg, 16.0, PALETTE["vermillion"])
    _arc(ax, knee, thigh_deg, thigh_deg - knee_deg, 9.0, PALETTE["green"])
    ax.text(-72.0, -30.0, f"thigh: {thigh_words(thigh_deg)}", fontsize=10, color=PALETTE["vermillion"])
    ax.text(-72.0, -37.0, f"knee: flexed {knee_deg:.0f}°", fontsize=10, color=PALETTE["green"])
    ax.text(-72.0, -22.0, "table", fontsize=8)
    ax.set_title(title, fontsize=11)
    ax.set_xlim(-80, 88)
    ax.set_ylim(-50, 42)
    ax.set_aspect("equal")
    ax.axis("off")


def thomas_figure(readings: Sequence[tuple[str, float, float]]) -> Figure:
    """One side view per ``(title, thigh_deg, knee_deg)`` reading of the modified Thomas test, stacked."""
    fig = new_figure(7.2, 3.2 * len(readings))
    axes = fig.subplots(len(readings), 1, squeeze=False)[:, 0]
    for ax, (title, thigh, knee) in zip(axes, readings):
        _panel(ax, title, thigh, knee)
    parts = "; ".join(f"{title}: thigh {thigh_words(thigh)}, knee flexed {knee:.0f}°" for title, thigh, knee in readings)
    set_alt_text(fig, "Side view of the modified Thomas test: a person lies on their back on a table, head to the "
                      "left, hugging one knee to the chest while the other leg hangs over the end of the table. "
                      f"{parts}.")
    return fig
