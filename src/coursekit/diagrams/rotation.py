"""Rotation balance: the right hip seen from above, femur end-on, with the moments per muscle.

Left: a transverse view of the right hip from above (anterior up, lateral right). The
femur's long axis (femoral head to knee), the axis of hip rotation, points straight at
the reader and is drawn as a dot in the femoral head; the neck and greater trochanter
and, dashed, the knee below turn about it, so the drawing shows rotation, never
abduction. Each active muscle is an arrow along its pull (backward for the extensors,
forward for the flexing internal rotators, the sign of the model's extension moment
arm) whose distance from the axis is its rotation moment arm from the model, drawn to
the same centimetre scale as the bones; arrow length follows activation times force.
The knee swings by the net rotation; the planted foot shows the share of weight on its
inner and outer edge. Right: extension and rotation moments per muscle (N·m) and their
sums, from :func:`coursekit.model.balance`. ``RotationView.update(balance)`` moves the
existing artists; :func:`rotation_figure` returns a finished figure.

>>> fig = rotation_figure({"gluteus_maximus": 1.0})
>>> from coursekit.diagrams.style import alt_text
>>> "turns out" in alt_text(fig)
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, Polygon
from matplotlib.text import Text

from coursekit.diagrams.style import PALETTE, new_figure, set_alt_text
from coursekit.model import ACTOR_IDS, Balance, actors, balance, moment_arm, rotate

__all__ = ["ACTOR_COLOURS", "ACTOR_STYLES", "RotationView", "pull_line", "rotation_figure"]

ACTOR_COLOURS = {
    "gluteus_maximus": PALETTE["vermillion"],
    "biceps_femoris": PALETTE["orange"],
    "medial_hamstrings": PALETTE["blue"],
    "adductor_magnus": PALETTE["green"],
    "internal_rotators": PALETTE["purple"],
}
#: Line style and bar hatch per actor, so that no actor is told apart by colour alone.
ACTOR_STYLES = {
    "gluteus_maximus": ("-", ""),
    "biceps_femoris": ((0, (5, 2)), "//"),
    "medial_hamstrings": ((0, (1.5, 1.5)), ".."),
    "adductor_magnus": ((0, (5, 2, 1.5, 2)), "xx"),
    "internal_rotators": ((0, (3, 1.5)), "\\\\"),
}
SHORT = {"gluteus_maximus": "glut. max.", "biceps_femoris": "biceps fem.", "medial_hamstrings": "med. hamstr.",
         "adductor_magnus": "add. magnus", "internal_rotators": "TFL + ant. glutes"}

# Schematic bones in cm, femur frame at zero rotation: x lateral, y anterior, axis at 0.
HEAD_R = 2.4
_NECK = [(1.2, 1.3), (4.8, 1.5), (4.8, -1.7), (1.2, -1.4)]
_TROCHANTER = ((5.9, -0.5), 3.0, 3.8)          # centre, width, depth
_CONDYLES = [(-4.2, 1.0), (-3.6, 2.8), (-1.5, 3.5), (1.5, 3.5), (3.6, 2.8), (4.3, 1.0), (4.0, -1.8),
             (2.8, -3.0), (1.4, -2.6), (0.6, -1.5), (-0.6, -1.5), (-1.4, -2.6), (-2.8, -3.0), (-4.0, -1.8)]
_PATELLA = ((0.0, 4.3), 1.6)
_MIDLINE_X = -8.5
# hip bone at the level of the femoral head (fixed): acetabular wall, pubic and ischial rami
_CUP = [(1.4 + 0.0, 2.9), (-1.0, 3.3), (-2.9, 1.8), (-3.4, 0.0), (-2.9, -1.8), (-1.0, -3.3), (1.2, -3.0),
        (0.9, -2.55), (-0.8, -2.75), (-2.4, -1.5), (-2.8, 0.0), (-2.4, 1.5), (-0.8, 2.75), (1.0, 2.6)]
_PUBIS = [(-1.2, 3.0), (-8.4, 5.2), (-8.5, 4.0), (-2.8, 1.5)]
_ISCHIUM = [(-2.4, -1.9), (-5.4, -5.6), (-4.4, -6.4), (-1.4, -3.1)]
#: The foot is drawn at 0.6 of the bones' scale, above the hip, as an inset.
FOOT_AT = (4.6, 15.5)
_FOOT_SCALE = 0.6
_FOOT_INNER = [(0.0, -4.5), (-1.6, -4.0), (-2.3, -2.0), (-2.0, 1.5), (-3.0, 5.0), (-2.7, 8.6), (-1.3, 9.9),
               (0.0, 9.5)]
_FOOT_OUTER = [(0.0, -4.5), (2.3, -3.5), (2.7, 0.0), (2.9, 4.0), (2.6, 7.0), (1.8, 8.7), (0.6, 9.4), (0.0, 9.5)]
_FROM_ABOVE_BELOW = 10.0     # hip flexion (°) below which the view along the femur is a view from above
_PULL_START = 2.7            # arrows start just outside the femoral head (cm from the axis)
_PULL_LONGEST = 8.0          # the strongest possible pull (activation 1 × largest force), cm of arrow


def _foot(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    fx, fy = FOOT_AT
    return [(fx + _FOOT_SCALE * x, fy + _FOOT_SCALE * y) for x, y in points]


def _turned(points, rot: float) -> list[tuple[float, float]]:  # noqa: ANN001 - (x, y) pairs
    """Femur-frame points turned by ``rot`` degrees (+ = external: the front turns laterally)."""
    out = []
    for x, y in points:
        p = rotate((x, y), -rot)
        out.append((p.x, p.y))
    return out


def pull_line(actor_id: str, hip_flexion_deg: float, force: float, index: int = 0) -> tuple[
        tuple[float, float], tuple[float, float]]:
    """Tail and head (cm) of one actor's arrow of pull in the view from above.

    The arrow is parallel to the sagittal plane, backward when the model gives the actor
    an extension moment arm ≥ 0 and forward otherwise; it runs at the actor's rotation
    moment arm (cm) from the axis, lateral of it when that moment arm turns the thigh out
    with a backward pull (or in with a forward one). ``force`` (N, activation × maximal
    force) sets the length; ``index`` staggers the tails so their moment-arm ticks do not
    coincide.

    >>> tail, head = pull_line("gluteus_maximus", 0.0, 1500.0)
    >>> round(tail[0], 2) == moment_arm("gluteus_maximus", "rotation_arm", 0.0)
    True
    >>> head[1] < tail[1] < 0     # an extensor pulls backward, behind the axis
    True
    """
    r = moment_arm(actor_id, "rotation_arm", hip_flexion_deg)
    backward = moment_arm(actor_id, "extension_arm", hip_flexion_deg) >= 0
    # torque about the (upward) axis = x · F_y; external rotation is clockwise (negative)
    # seen from above, so a backward pull (F_y < 0) turns the thigh out at x = +r
    x = r if backward else -r
    sign = -1.0 if backward else 1.0
    strongest = max(a.values["max_force"][0] for a in actors().values())
    length = _PULL_LONGEST * force / strongest
    start = sign * (_PULL_START + 0.55 * index)
    return (x, start), (x, start + sign * length)


class RotationView:
    """Top view + moment bars, updated in place from a :class:`coursekit.model.Balance`."""

    def __init__(self, fig: Figure | None = None, result: Balance | None = None) -> None:
        self.fig = fig if fig is not None else new_figure(9.6, 5.6)
        grid = self.fig.add_gridspec(2, 2, width_ratios=[1.1, 1.0])
        self.top = self.fig.add_subplot(grid[:, 0])
        self.ext_ax = self.fig.add_subplot(grid[0, 1])
        self.rot_ax = self.fig.add_subplot(grid[1, 1])
        self.result: Balance | None = None
        self._build_top()
        self._build_bars()
        self.update(result or balance({}))

    # -- drawing once -------------------------------------------------------------------
    def _build_top(self) -> None:
        ax, c = self.top, PALETTE
        ax.set_aspect("equal")
        ax.set_xlim(-10.5, 12.5)
        ax.set_ylim(-16.0, 21.5)
        ax.axis("off")
        ax.set_title("Right hip, femur end-on (seen along its long axis)\n"
                     "arrows: lines of pull; distance from ⊙ = rotation moment arm", fontsize=9)
        bone: dict[str, Any] = dict(fc=c["bone"], ec=c["bone_edge"], lw=1.2)
        ax.axvline(_MIDLINE_X, color=c["grey"], lw=0.8, ls=":", zorder=0)
        ax.text(_MIDLINE_X - 0.3, -15.8, "midline", fontsize=7.5, color="#555555", rotation=90,
                ha="right", va="bottom")
        ax.annotate("", xy=(12.2, -10.0), xytext=(12.2, -14.5), arrowprops={"arrowstyle": "->", "color": "#555555"})

        ax.annotate("", xy=(12.3, -15.1), xytext=(7.8, -15.1), arrowprops={"arrowstyle": "->", "color": "#555555"})
        ax.text(10.0, -15.5, "lateral", fontsize=7.5, color="#555555", ha="center", va="top")
        ax.add_patch(Polygon(_CUP, closed=True, zorder=1.5, **bone))
        ax.text(-3.6, 0.4, "acetabulum", fontsize=7.5, color="#6b5a3a", ha="right", va="center")
        ax.annotate("femoral head;\n⊙ long axis of the femur\n(axis of rotation)", xy=(-1.5, 1.5),
                    xytext=(-10.2, 8.4), fontsize=7.5, ha="left", va="center", zorder=9,
                    arrowprops={"arrowstyle": "-", "color": "#555555", "lw": 0.6, "shrinkB": 1})
        self._static = [*ax.lines, *ax.texts, *ax.patches]   # fixed guides and captions (cached when blitting)
        # what the view is depends on hip flexion: from above at 0°, from in front at 90°
        self.view_text = ax.text(-10.2, 21.2, "", fontsize=8, ha="left", va="top", color="#333333")
        self.front_text = ax.text(11.5, -12.2, "", fontsize=7.5, color="#555555", rotation=90, ha="right",
                                  va="center")
        # the pelvis cut at the level of the hip, shown only when the view is from above (hip at 0°)
        self.pelvis_parts = [ax.add_patch(Polygon(_PUBIS, closed=True, zorder=1, **bone)),
                             ax.add_patch(Polygon(_ISCHIUM, closed=True, zorder=1, **bone)),
                             ax.text(-8.2, 5.7, "pubis", fontsize=7.5, color="#6b5a3a", ha="left", va="bottom"),
                             ax.text(-5.7, -6.4, "ischium", fontsize=7.5, color="#6b5a3a", ha="right", va="top")]
        # the knee, far below, seen through the thigh: dashed
        self.condyles = Polygon(_CONDYLES, closed=True, fill=False, ec=c["black"], lw=1.1, ls=(0, (4, 2.5)), zorder=2)
        ax.add_patch(self.condyles)
        self.kneecap = Circle(_PATELLA[0], _PATELLA[1], fc="white", ec=c["black"], lw=1.1, ls=(0, (4, 2.5)), zorder=2)
        ax.add_patch(self.kneecap)
        self.neck = Polygon(_NECK, closed=True, zorder=3, **bone)
        ax.add_patch(self.neck)
        self.trochanter = Ellipse(*_TROCHANTER, zorder=3, **bone)
        ax.add_patch(self.trochanter)
        self.head = Circle((0, 0), HEAD_R, zorder=3.5, **bone)
        ax.add_patch(self.head)
        ax.add_patch(Circle((0, 0), 0.35, fc="white", ec=c["black"], lw=1.2, zorder=8))
        ax.plot([0], [0], "o", ms=2.2, color=c["black"], zorder=9)
        self._static.extend(ax.patches[-1:])
        self.neutral, = ax.plot([0, 0], [0, 10.5], color=c["grey"], lw=1, ls="--", zorder=1)
        self.neutral_text = ax.text(-0.3, 10.6, "straight ahead", fontsize=7.5, color="#555555", ha="right",
                                    va="bottom")
        self.knee_leader, = ax.plot([], [], color="#555555", lw=0.6, zorder=6)
        self.thigh, = ax.plot([], [], color=c["black"], lw=1.6, zorder=6)   # knee direction
        self.knee_arc, = ax.plot([], [], color=c["black"], lw=1.2, zorder=6)
        self.knee_text = ax.text(0, 0, "", fontsize=9, fontweight="bold", ha="left", va="center", zorder=9)
        self.bone_texts = {
            "trochanter": ax.text(0, 0, "greater\ntrochanter", fontsize=7.5, ha="left", va="center", zorder=9),
            "knee": ax.text(-10.2, -9.4, "knee and kneecap, at the\nfar end of the femur (dashed)", fontsize=7.5, ha="left",
                            va="center", zorder=9),
        }
        self.inner = ax.add_patch(Polygon(_foot(_FOOT_INNER), fc=c["blue"], ec="none", hatch="..", zorder=1))
        self.outer = ax.add_patch(Polygon(_foot(_FOOT_OUTER), fc=c["orange"], ec="none", hatch="//", zorder=1))
        ax.add_patch(Polygon(_foot(_FOOT_INNER + _FOOT_OUTER[::-1]), fill=False, ec=c["black"], lw=1.2))
        fx, fy = FOOT_AT
        ax.plot([fx, fx], [fy - 4.5 * _FOOT_SCALE, fy + 9.5 * _FOOT_SCALE], color=c["black"], lw=0.6, ls=":")
        self.inner_text = ax.text(fx - 2.2, fy + 2, "", fontsize=8, ha="right", va="center", color="#00507d")
        self.outer_text = ax.text(fx + 2.2, fy + 2, "", fontsize=8, ha="left", va="center", color="#8a5a00")
        self._static.append(ax.text(fx + 4.3, fy + 6.0, "right foot\non the floor",
                                    fontsize=7.5, ha="left", va="top"))
        self.pulls: dict[str, FancyArrowPatch] = {}
        self.arms: dict[str, Line2D] = {}
        self.pull_texts: dict[str, Text] = {}
        for key in ACTOR_IDS:
            style, _ = ACTOR_STYLES.get(key, ("-", ""))
            arrow = FancyArrowPatch((0, 0), (1, 1), arrowstyle="-|>", mutation_scale=10,
                                    color=ACTOR_COLOURS.get(key, c["black"]), lw=1, ls=style, zorder=7,
                                    gid=f"pull|{key}")
            ax.add_patch(arrow)
            self.pulls[key] = arrow
            self.arms[key], = ax.plot([], [], color=ACTOR_COLOURS.get(key, c["black"]), lw=0.8, ls=":",
                                      zorder=7)
            self.pull_texts[key] = ax.text(0, 0, SHORT.get(key, key), fontsize=7.5, zorder=9,
                                           color=c["black"], ha="center", va="top")
        self.leaders: dict[str, Line2D] = {
            key: ax.plot([], [], color="#777777", lw=0.5, zorder=6.5)[0] for key in ACTOR_IDS}

    def _build_bars(self) -> None:
        c = PALETTE
        labels = [SHORT[k] for k in ACTOR_IDS] + ["net"]
        y = np.arange(len(labels))[::-1]
        colours = [ACTOR_COLOURS[k] for k in ACTOR_IDS] + [c["black"]]
        self.bars = {}
        for name, ax, title in (("extension", self.ext_ax, "Extension moment (N·m)"),
                                ("rotation", self.rot_ax, "Rotation moment (N·m)\n← internal | external →")):
            self.bars[name] = ax.barh(y, np.zeros(len(y)), color=colours, height=0.65, edgecolor=c["black"],
                                      linewidth=0.6)
            for bar, key in zip(self.bars[name], [*ACTOR_IDS, "net"]):
                bar.set_hatch(ACTOR_STYLES.get(key, ("-", ""))[1])
            ax.set_yticks(y, labels, fontsize=8)
            ax.axvline(0, color=c["black"], lw=0.8)
            ax.set_title(title, fontsize=9.5)
            ax.tick_params(axis="x", labelsize=8)
            ax.spines[["top", "right"]].set_visible(False)
        self.ext_ax.set_xlim(-20, 260)
        for ax in (self.ext_ax, self.rot_ax):
            ax.set_ylim(-0.9, 5.5)
        self.ext_ax.axvline(120, color=c["green"], lw=1, ls="--")
        self.ext_ax.text(122, 5.2, "strong", fontsize=7.5, color=c["green"], va="center")
        self.rot_ax.set_xlim(-60, 60)
        self.rot_ax.axvspan(-5, 5, color=c["green"], alpha=0.15, lw=0)
        self.net_err, = self.rot_ax.plot([], [], color=c["grey"], lw=2, solid_capstyle="butt")
        self.net_text = {k: a.text(0, 0, "", fontsize=8, va="center") for k, a in
                         (("extension", self.ext_ax), ("rotation", self.rot_ax))}
        self.verdict = self.fig.suptitle("", fontsize=10.5, fontweight="bold")

    # -- moving -------------------------------------------------------------------------
    def update(self, result: Balance) -> RotationView:
        """Show ``result``; moves existing artists only, returns ``self``."""
        self.result = result
        rot = result.thigh_rotation_deg
        from_above = result.hip_flexion_deg < _FROM_ABOVE_BELOW
        self.view_text.set_text("Hip at 0°:\nseen from above\n(transverse plane)" if from_above else
                                f"Hip flexed {result.hip_flexion_deg:.0f}°:\nseen along the thigh;\n"
                                "up = front of thigh;\npelvis not drawn")
        self.front_text.set_text("anterior" if from_above else "front of thigh")
        for part in self.pelvis_parts:
            part.set_visible(from_above)
        self.condyles.set_xy(_turned(_CONDYLES, rot))
        self.kneecap.center = _turned([_PATELLA[0]], rot)[0]
        self.neck.set_xy(_turned(_NECK, rot))
        self.trochanter.set_center(_turned([_TROCHANTER[0]], rot)[0])
        self.trochanter.set_angle(-rot)
        tip = _turned([(0.0, 10.5)], rot)[0]
        self.thigh.set_data([0, tip[0]], [0, tip[1]])
        t = np.radians(np.linspace(90.0, 90.0 - rot, 24))
        self.knee_arc.set_data(8.0 * np.cos(t), 8.0 * np.sin(t))
        label = _turned([(0.0, 11.6)], rot)[0]
        self.knee_text.set_position((label[0] + 0.3, label[1]))
        self.knee_text.set_horizontalalignment("left" if rot >= 0 else "right")
        words = {"forward": "knee forward", "out": f"knee out {abs(rot):.0f}°", "in": f"knee in {abs(rot):.0f}°"}
        self.knee_text.set_text(words[result.knee_direction])
        self.knee_text.set_color(PALETTE["green"] if result.knee_direction == "forward" else PALETTE["black"])
        troch = _turned([(_TROCHANTER[0][0] + 1.7, _TROCHANTER[0][1])], rot)[0]
        self.bone_texts["trochanter"].set_position(troch)
        knee = _turned([(-2.8, -3.0)], rot)[0]
        self.knee_leader.set_data([-7.0, knee[0]], [-8.6, knee[1]])
        inner = result.inner_edge_share
        self.inner.set_alpha(0.15 + 0.8 * inner)
        self.outer.set_alpha(0.15 + 0.8 * (1 - inner))
        self.inner_text.set_text(f"inner\n{inner:.0%}")
        self.outer_text.set_text(f"outer\n{1 - inner:.0%}")
        self._update_pulls(result)
        self._update_bars(result)
        set_alt_text(self.fig, self.alt_text())
        return self

    def _update_pulls(self, result: Balance) -> None:
        acts = self._activations(result)
        table = actors()
        shown = [k for k in self.pulls if acts.get(k, 0) > 0]
        back = sorted((k for k in shown if moment_arm(k, "extension_arm", result.hip_flexion_deg) >= 0),
                      key=lambda k: pull_line(k, result.hip_flexion_deg, 1.0)[0][0])
        for key, arrow in self.pulls.items():
            visible = key in shown
            for artist in (arrow, self.arms[key], self.pull_texts[key], self.leaders[key]):
                artist.set_visible(visible)
            if not visible:
                continue
            force = acts[key] * table[key].values["max_force"][0]
            index = back.index(key) if key in back else 0
            tail, head = pull_line(key, result.hip_flexion_deg, force, index)
            arrow.set_positions(tail, head)
            arrow.set_linewidth(1.0 + 2.5 * acts[key])
            self.arms[key].set_data([0, tail[0]], [tail[1], tail[1]])
            if key in back:   # labels below the arrows, in the order of the lines, spread apart
                mean = sum(pull_line(k, result.hip_flexion_deg, 1.0)[0][0] for k in back) / len(back)
                bottom = min(pull_line(k, result.hip_flexion_deg, acts[k] * table[k].values["max_force"][0],
                                       back.index(k))[1][1] for k in back)
                spot = (mean + 4.4 * (index - (len(back) - 1) / 2), bottom - 0.6 - 1.3 * (index % 2))
            else:
                spot = (head[0] + 0.6, head[1] + 0.6)
            self.pull_texts[key].set_position(spot)
            self.pull_texts[key].set_verticalalignment("top" if key in back else "bottom")
            self.pull_texts[key].set_horizontalalignment("center" if key in back else "left")
            self.leaders[key].set_data([head[0], spot[0]], [head[1], spot[1] + (0.1 if key in back else 0)])

    @staticmethod
    def _activations(result: Balance) -> dict[str, float]:
        """Activation of each actor recovered from its extension moment (for line widths)."""
        out = {}
        for key in ACTOR_IDS:
            alone = balance({key: 1.0}, result.hip_flexion_deg)
            full, got = alone.extension[key], result.extension[key]
            if not full:
                full, got = alone.rotation[key], result.rotation[key]
            out[key] = got / full if full else 0.0
        return out

    def _update_bars(self, result: Balance) -> None:
        for name, values, net in (("extension", result.extension, result.net_extension),
                                  ("rotation", result.rotation, result.net_rotation)):
            widths = [values[k] for k in ACTOR_IDS] + [net]
            for bar, w in zip(self.bars[name], widths, strict=True):
                bar.set_width(w)
            text = self.net_text[name]
            text.set_position((net + (3 if net >= 0 else -3), 0))
            text.set_horizontalalignment("left" if net >= 0 else "right")
            text.set_text(f"{net:+.0f}" if name == "rotation" else f"{net:.0f}")
        u = result.net_rotation_uncertainty
        self.net_err.set_data([result.net_rotation - u, result.net_rotation + u], [-0.5, -0.5])
        self.net_text["rotation"].set_text(f"{result.net_rotation:+.0f} ± {u:.0f}")
        ok = result.task_met
        self.verdict.set_text(result.verdict())
        self.verdict.set_color(PALETTE["green"] if ok else PALETTE["black"])

    def dynamic_artists(self) -> list:
        """Artists that change on update (for blitting), in the top view and the bar charts."""
        fixed = set(self._static)
        top = [a for a in (*self.top.patches, *self.top.lines, *self.top.texts) if a not in fixed]
        bars = [b for name in ("extension", "rotation") for b in self.bars[name]]
        return [*top, *bars, self.net_err, *self.net_text.values(), self.verdict]

    # -- reading back -------------------------------------------------------------------
    @property
    def texts(self) -> dict[str, str]:
        return {"knee": self.knee_text.get_text(), "inner": self.inner_text.get_text(),
                "outer": self.outer_text.get_text(), "verdict": self.verdict.get_text(),
                "net_extension": self.net_text["extension"].get_text(),
                "net_rotation": self.net_text["rotation"].get_text()}

    def alt_text(self) -> str:
        r = self.result
        assert r is not None
        table = actors()
        active = [k for k, v in r.extension.items() if v != 0 or r.rotation.get(k, 0) != 0]
        pulls = "; ".join(
            f"{table[k].label} {'behind' if moment_arm(k, 'extension_arm', r.hip_flexion_deg) >= 0 else 'in front of'}"
            f" the axis, {abs(moment_arm(k, 'rotation_arm', r.hip_flexion_deg)):.1f} cm to its "
            f"{_side(k, r.hip_flexion_deg)}" for k in active) or "no muscle active"
        knee = {"forward": "the knee points straight ahead",
                "out": f"the femur turns out about its long axis and the knee points {abs(r.thigh_rotation_deg):.0f}° "
                       "lateral of straight ahead",
                "in": f"the femur turns in about its long axis and the knee points {abs(r.thigh_rotation_deg):.0f}° "
                      "medial of straight ahead"}[r.knee_direction]
        view = ("seen from above" if r.hip_flexion_deg < _FROM_ABOVE_BELOW else
                f"seen along the thigh with the hip flexed {r.hip_flexion_deg:.0f}°")
        return (f"Right hip {view}, femur end-on: its long axis is a dot in the femoral head, which sits "
                f"in the acetabulum, with the neck and greater trochanter and, dashed, the knee at the far end of the femur. Hip at "
                f"{r.hip_flexion_deg:.0f}° of flexion. Lines of pull: {pulls}. {knee[0].upper() + knee[1:]}, and "
                f"{r.inner_edge_share:.0%} of the weight is on the inner edge of the foot. Bar charts: net extension "
                f"moment {r.net_extension:.0f} N·m, net rotation moment {r.net_rotation:+.0f} N·m (positive = "
                f"external, the thigh turns out).")


def _side(actor_id: str, hip_flexion_deg: float) -> str:
    """'lateral' or 'medial': which side of the axis the actor's line of pull runs."""
    (x, _), _ = pull_line(actor_id, hip_flexion_deg, 1.0)
    return "lateral side" if x > 0 else ("medial side" if x < 0 else "axis (through it)")


def rotation_figure(activations: Mapping[str, float], hip_flexion_deg: float = 0.0) -> Figure:
    """A finished rotation-balance figure for a book page."""
    return RotationView(result=balance(activations, hip_flexion_deg)).fig
