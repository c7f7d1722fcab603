"""Force couples that tilt the pelvis: a side view with the pulls drawn as arrows.

The body faces right and the femoral heads (the hip axis) are the pivot. Each group of
``force_couples.csv`` pulls on the front or the back of the pelvis, up or down; two
groups that pull in opposite directions on opposite sides of the axis turn the pelvis
the same way, like two hands on a steering wheel. Which side each group pulls on and
which way comes from the data (:mod:`coursekit.clinical`); the outline and the points
of pull are a schematic, not measured geometry.

>>> fig = force_couple_figure()
>>> from coursekit.diagrams.style import alt_text
>>> "posterior tilt" in alt_text(fig) and "erector spinae" in alt_text(fig)
True
>>> turn_of("posterior_tilt")
1
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, Polygon

from coursekit import clinical
from coursekit.clinical import ForceCouple
from coursekit.diagrams.style import PALETTE, new_figure, set_alt_text

__all__ = ["PULL_POINTS", "force_couple_figure", "moment_sign", "turn_of"]

#: Where each group is drawn pulling, in a pelvis frame (cm, hip axis at the origin, x
#: forward, y up): schematic points near the attachments the data name.
PULL_POINTS: dict[tuple[str, str], tuple[float, float]] = {
    ("anterior_tilt", "front"): (4.6, 6.0),    # ASIS / AIIS region: hip flexors
    ("anterior_tilt", "back"): (-10.0, 8.0),   # posterior iliac crest / sacrum: erector spinae
    ("posterior_tilt", "front"): (5.4, -4.0),  # pubic crest: abdominals
    ("posterior_tilt", "back"): (-4.2, -8.0),  # ischial tuberosity: hip extensors
}
_ARROW_CM = 7.5
_OUTLINE = [(-11.0, 7.0), (-9.4, 9.8), (-6.2, 11.6), (-2.4, 12.0), (1.2, 11.2), (3.8, 9.4), (5.0, 7.0),
            (4.2, 4.6), (3.6, 1.6), (5.4, -2.0), (5.4, -4.6), (2.4, -6.4), (-1.0, -7.2), (-3.0, -8.8),
            (-5.2, -7.6), (-5.6, -4.0), (-7.0, -0.4), (-10.2, 3.8)]
_COLOURS = {"front": PALETTE["blue"], "back": PALETTE["vermillion"]}


def moment_sign(side: str, pull: str) -> int:
    """+1 if a pull turns the pelvis posteriorly (top backwards, as drawn facing right), -1 if anteriorly.

    The moment about the hip axis is ``x·F_y``: a pull up in front of the axis or down
    behind it turns the top of the pelvis backwards.

    >>> moment_sign("front", "up"), moment_sign("back", "up")
    (1, -1)
    """
    x = 1 if side == "front" else -1
    fy = 1 if pull == "up" else -1
    return 1 if x * fy > 0 else -1


def turn_of(tilt: str) -> int:
    """The turn (+1 posterior, -1 anterior) that both groups of a couple produce, from the data."""
    signs = {moment_sign(g.side, g.pull) for g in clinical.couple(tilt)}
    if len(signs) != 1:
        raise ValueError(f"the groups of the {tilt} couple turn the pelvis in opposite directions")
    return signs.pop()


def _label(group: ForceCouple) -> str:
    return "\n".join([group.group.upper(), *group.muscles])


def _panel(ax: Axes, tilt: str) -> None:
    turn = turn_of(tilt)
    shown = 12.0 * turn  # draw the pelvis already turning the way the couple turns it
    rot = np.array([[math.cos(math.radians(shown)), -math.sin(math.radians(shown))],
                    [math.sin(math.radians(shown)), math.cos(math.radians(shown))]])
    outline = np.array(_OUTLINE) @ rot.T
    ax.add_patch(Polygon(outline, closed=True, facecolor=PALETTE["bone"], edgecolor=PALETTE["bone_edge"], lw=1.5))
    ax.add_patch(Circle((0, 0), 2.3, facecolor="white", edgecolor=PALETTE["bone_edge"], lw=1.5, zorder=3))
    ax.plot([0, 2.0], [0, -22.0], color=PALETTE["bone_edge"], lw=7, solid_capstyle="round", zorder=2)
    top = np.array([-10.4, 9.0]) @ rot.T
    ax.plot([top[0], top[0] - 2.0 * turn, top[0] + 1.0], [top[1], top[1] + 8.0, top[1] + 16.0],
            color=PALETTE["grey"], lw=4, solid_capstyle="round")
    ax.text(-0.4, -25.5, "femur (fixed)", ha="center", fontsize=8, color=PALETTE["black"])
    ax.text(top[0] - 1.2, top[1] + 17.0, "lumbar spine", ha="center", fontsize=8, color=PALETTE["black"])
    for group in clinical.couple(tilt):
        base = np.array(PULL_POINTS[(tilt, group.side)]) @ rot.T
        dy = _ARROW_CM if group.pull == "up" else -_ARROW_CM
        colour = _COLOURS[group.side]
        ax.add_patch(FancyArrowPatch(tuple(base), (base[0], base[1] + dy), arrowstyle="-|>", mutation_scale=18,
                                     lw=2.6, color=colour, zorder=4))
        ax.plot(*base, "o", color=colour, ms=5, zorder=5)
        x_text = base[0] + (2.2 if group.side == "front" else -2.2)
        ax.text(x_text, base[1] + dy * 0.5, _label(group), ha="left" if group.side == "front" else "right",
                va="center", fontsize=9, color=colour, linespacing=1.25)
    # the turn about the hip axis
    a0, a1 = (100, 200) if turn > 0 else (200, 100)  # counter-clockwise = top backwards (facing right)
    t = np.radians(np.linspace(a0, a1, 30))
    ax.add_patch(FancyArrowPatch((15.5 * math.cos(t[-2]) , 15.5 * math.sin(t[-2])),
                                 (15.5 * math.cos(t[-1]), 15.5 * math.sin(t[-1])), arrowstyle="-|>",
                                 mutation_scale=14, color=PALETTE["green"], lw=1.8))
    ax.plot(15.5 * np.cos(t), 15.5 * np.sin(t), color=PALETTE["green"], lw=1.8)
    words = "posterior tilt: top of the pelvis backwards" if turn > 0 else "anterior tilt: top of the pelvis forwards"
    ax.set_title(words, fontsize=11)
    ax.text(0, -3.6, "hip axis", ha="center", fontsize=7)
    ax.text(30.0, -25.0, "front →", fontsize=8, ha="right", color=PALETTE["black"])
    ax.set_xlim(-36, 34)
    ax.set_ylim(-27, 29)
    ax.set_aspect("equal")
    ax.axis("off")


def force_couple_figure() -> Figure:
    """Two side views, one above the other: the posterior-tilt couple and the anterior-tilt couple, from the data."""
    fig = new_figure(7.2, 9.8)
    axes = fig.subplots(2, 1)
    for ax, tilt in zip(axes, ("posterior_tilt", "anterior_tilt")):
        _panel(ax, tilt)
    parts = []
    for tilt in ("posterior_tilt", "anterior_tilt"):
        front, back = clinical.couple(tilt)
        parts.append(
            f"{tilt.replace('_', ' ')}: the {front.group} ({', '.join(front.muscles)}) pull the front of the pelvis "
            f"{front.pull} while the {back.group} ({', '.join(back.muscles)}) pull the back of the pelvis {back.pull}"
        )
    set_alt_text(fig, "Two side views of a pelvis facing right, pivoting on a fixed femur at the hip axis, with "
                      "arrows for the muscle pulls. Top, " + parts[0] + "; both turn the top of the pelvis backwards. "
                      "Bottom, " + parts[1] + "; both turn the top of the pelvis forwards.")
    return fig
