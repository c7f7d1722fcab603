"""Rotation balance: top view of the right thigh, knee and foot, with the moments per muscle.

Left: the right hip seen from above (anterior up, lateral right), the lines of pull of
the active muscles (width ∝ activation), the thigh turned by the net rotation
moment, and the planted foot with the share of weight on its inner and outer edge.
Right: extension and rotation moments per muscle (N·m) and their sums, from
:func:`coursekit.model.balance`. ``RotationView.update(balance)`` moves the existing
artists; :func:`rotation_figure` returns a finished figure.

>>> fig = rotation_figure({"gluteus_maximus": 1.0})
>>> from coursekit.diagrams.style import alt_text
>>> "turns out" in alt_text(fig)
True
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, Polygon

from coursekit.diagrams.style import PALETTE, new_figure, set_alt_text
from coursekit.model import ACTOR_IDS, Balance, actors, balance, rotate

__all__ = ["ACTOR_COLOURS", "RotationView", "rotation_figure"]

ACTOR_COLOURS = {
    "gluteus_maximus": PALETTE["vermillion"],
    "biceps_femoris": PALETTE["orange"],
    "medial_hamstrings": PALETTE["blue"],
    "adductor_magnus": PALETTE["green"],
    "internal_rotators": PALETTE["purple"],
}
SHORT = {"gluteus_maximus": "glut. max.", "biceps_femoris": "biceps fem.", "medial_hamstrings": "med. hamstr.",
         "adductor_magnus": "add. magnus", "internal_rotators": "TFL + ant. glutes"}
THIGH = 20.0
# origin (pelvis, fixed) and insertion (thigh frame: along, lateral) of each line of pull
_PULL = {
    "gluteus_maximus": ((-7.5, -5.5), (6.0, 2.4)),
    "biceps_femoris": ((-4.0, -3.2), (THIGH, 2.4)),
    "medial_hamstrings": ((-4.6, -3.4), (THIGH, -2.4)),
    "adductor_magnus": ((-5.2, -2.6), (THIGH * 0.82, -2.0)),
    "internal_rotators": ((5.6, 4.8), (2.5, 2.6)),
}
_PELVIS = [(-10 + 16.5 * np.cos(t), -1.5 + 8.5 * np.sin(t)) for t in np.linspace(np.pi / 2, -np.pi / 2, 25)]
# right foot seen from above, heel at the origin; big toe medial (negative x)
_FOOT_INNER = [(0.0, -4.5), (-1.6, -4.0), (-2.3, -2.0), (-2.0, 1.5), (-3.0, 5.0), (-2.7, 8.6), (-1.3, 9.9),
               (0.0, 9.5)]
_FOOT_OUTER = [(0.0, -4.5), (2.3, -3.5), (2.7, 0.0), (2.9, 4.0), (2.6, 7.0), (1.8, 8.7), (0.6, 9.4), (0.0, 9.5)]
FOOT_AT = (0.0, THIGH + 9.0)


def _thigh_point(along: float, lateral: float, rot: float) -> tuple[float, float]:
    """Point on the thigh (anterior = +y at zero rotation; + rot turns the knee laterally)."""
    p = rotate((lateral, along), -rot)
    return p.x, p.y


class RotationView:
    """Top view + moment bars, updated in place from a :class:`coursekit.model.Balance`."""

    def __init__(self, fig: Figure | None = None, result: Balance | None = None) -> None:
        self.fig = fig if fig is not None else new_figure(8.6, 4.6)
        grid = self.fig.add_gridspec(2, 2, width_ratios=[1.05, 1.0])
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
        ax.set_xlim(-12, 18)
        ax.set_ylim(-11, 40)
        ax.axis("off")
        ax.set_title("Right hip from above\n(coloured lines: lines of pull, width = activation)", fontsize=9.5)
        ax.axvline(-10, color=c["grey"], lw=0.8, ls=":")
        ax.text(-9.6, -10.5, "midline", fontsize=7.5, color=c["grey"])
        ax.annotate("", xy=(16.5, 12), xytext=(16.5, 6), arrowprops={"arrowstyle": "->", "color": c["grey"]})
        ax.text(16.0, 9, "anterior", fontsize=7.5, color=c["grey"], rotation=90, ha="right", va="center")
        ax.text(17.5, -10.5, "lateral →", fontsize=7.5, color=c["grey"], ha="right")
        ax.add_patch(Polygon(_PELVIS, closed=False, fill=False, ec=c["bone_edge"], lw=2))
        ax.text(-9.5, 7.8, "pelvis", fontsize=8, color=c["bone_edge"])
        self._static = [*ax.lines, *ax.texts, *ax.patches]   # fixed guides and captions (cached when blitting)
        ax.add_patch(Circle((0, 0), 2.2, fc=c["bone"], ec=c["bone_edge"], lw=1.2, zorder=3))
        self.neutral, = ax.plot([0, 0], [0, THIGH + 12], color=c["grey"], lw=1, ls="--", zorder=1)
        self.thigh, = ax.plot([], [], color=c["bone_edge"], lw=14, solid_capstyle="round", alpha=0.55, zorder=2)
        self.kneecap = ax.add_patch(Circle((0, THIGH), 1.5, fc=c["bone"], ec=c["black"], lw=1, zorder=4))
        self.knee_text = ax.text(0, 0, "", fontsize=9, fontweight="bold", ha="left", va="center", zorder=6)
        fx, fy = FOOT_AT
        self.inner = ax.add_patch(Polygon([(x + fx, y + fy) for x, y in _FOOT_INNER], fc=c["blue"], ec="none"))
        self.outer = ax.add_patch(Polygon([(x + fx, y + fy) for x, y in _FOOT_OUTER], fc=c["orange"], ec="none"))
        outline = _FOOT_INNER + _FOOT_OUTER[::-1]
        ax.add_patch(Polygon([(x + fx, y + fy) for x, y in outline], fill=False, ec=c["black"], lw=1.2))
        ax.plot([fx, fx], [fy - 4.5, fy + 9.5], color=c["black"], lw=0.6, ls=":")
        self.inner_text = ax.text(fx - 3.6, fy + 3, "", fontsize=8, ha="right", va="center", color=c["blue"])
        self.outer_text = ax.text(fx + 3.6, fy + 3, "", fontsize=8, ha="left", va="center", color="#8a5a00")
        self._static.append(ax.text(fx + 9.5, fy + 9.5, "right foot\non the floor", fontsize=7.5, ha="left", va="top"))
        self.pulls: dict[str, FancyArrowPatch] = {}
        for key in ACTOR_IDS:
            arrow = FancyArrowPatch((0, 0), (1, 1), arrowstyle="<|-", mutation_scale=9,
                                    color=ACTOR_COLOURS[key], lw=1, zorder=5)
            self.pulls[key] = ax.add_patch(arrow)

    def _build_bars(self) -> None:
        c = PALETTE
        labels = [SHORT[k] for k in ACTOR_IDS] + ["net"]
        y = np.arange(len(labels))[::-1]
        colours = [ACTOR_COLOURS[k] for k in ACTOR_IDS] + [c["black"]]
        self.bars = {}
        for name, ax, title in (("extension", self.ext_ax, "Extension moment (N·m)"),
                                ("rotation", self.rot_ax, "Rotation moment (N·m)\n← internal | external →")):
            self.bars[name] = ax.barh(y, np.zeros(len(y)), color=colours, height=0.65)
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
        knee = _thigh_point(THIGH, 0.0, rot)
        self.thigh.set_data([0, knee[0]], [0, knee[1]])
        self.kneecap.center = knee
        self.knee_text.set_position((knee[0] + 2.4, knee[1] - 1.0))
        words = {"forward": "knee forward", "out": f"knee out {abs(rot):.0f}°", "in": f"knee in {abs(rot):.0f}°"}
        self.knee_text.set_text(words[result.knee_direction])
        self.knee_text.set_color(PALETTE["green"] if result.knee_direction == "forward" else PALETTE["black"])
        inner = result.inner_edge_share
        self.inner.set_alpha(0.15 + 0.8 * inner)
        self.outer.set_alpha(0.15 + 0.8 * (1 - inner))
        self.inner_text.set_text(f"inner\n{inner:.0%}")
        self.outer_text.set_text(f"outer\n{1 - inner:.0%}")
        acts = self._activations(result)
        for key, arrow in self.pulls.items():
            origin, (along, lateral) = _PULL[key]
            arrow.set_positions(origin, _thigh_point(along, lateral, rot))
            arrow.set_linewidth(0.6 + 4.0 * acts[key])
            arrow.set_visible(acts[key] > 0)
        self._update_bars(result)
        set_alt_text(self.fig, self.alt_text())
        return self

    @staticmethod
    def _activations(result: Balance) -> dict[str, float]:
        """Activation of each actor recovered from its extension moment (for line widths)."""
        out = {}
        for key in ACTOR_IDS:
            full = balance({key: 1.0}, result.hip_flexion_deg).extension[key]
            out[key] = result.extension[key] / full if full else 0.0
        return out

    def _update_bars(self, result: Balance) -> None:
        for name, values, net in (("extension", result.extension, result.net_extension),
                                  ("rotation", result.rotation, result.net_rotation)):
            widths = [values[k] for k in ACTOR_IDS] + [net]
            for bar, w in zip(self.bars[name], widths, strict=True):
                bar.set_width(w)
            text = self.net_text[name]
            text.set_position((net + (3 if net >= 0 else -3), 0))
            text.set_ha("left" if net >= 0 else "right")
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
        active = [actors()[k].label for k, v in r.extension.items() if v != 0] or ["no muscle"]
        knee = {"forward": "the knee points forward", "out": "the thigh turns out and the knee swings out",
                "in": "the thigh turns in and the knee swings in"}[r.knee_direction]
        return (f"Right hip seen from above with {', '.join(active)} active at {r.hip_flexion_deg:.0f}° of hip "
                f"flexion: {knee}, and {r.inner_edge_share:.0%} of the weight is on the inner edge of the foot. "
                f"Bar charts: net extension moment {r.net_extension:.0f} N·m, net rotation moment "
                f"{r.net_rotation:+.0f} N·m (positive = external).")


def rotation_figure(activations: Mapping[str, float], hip_flexion_deg: float = 0.0) -> Figure:
    """A finished rotation-balance figure for a book page."""
    return RotationView(result=balance(activations, hip_flexion_deg)).fig
