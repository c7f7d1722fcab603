"""Sagittal (side) view of the pelvis, lumbar curve and thigh, drawn once and updated in place.

The body faces right. The pelvis turns about the hip joint centre (the centre of the
femoral head, seated in the acetabulum) by the pelvic tilt; the greater trochanter,
the landmark a goniometer's axis is set on, sits on the femur lateral to the neck
(drawn in front, as it is nearer the viewer) and below the head, and moves with the
thigh. Landmark positions come from ``data/pelvis_side_view.csv``; the ASIS–PSIS line and its angle to the
horizontal show the tilt (anterior positive); the thigh is drawn at the hip angle
measured against the pelvis (flexion positive). The lumbar curve follows
:func:`coursekit.model.lumbar_lordosis` unless a lordosis is given.

>>> fig = pelvis_figure(tilt_deg=10, hip_deg=-15)
>>> from coursekit.diagrams.style import alt_text
>>> "10° anterior" in alt_text(fig)
True
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Polygon

from coursekit.anatomy import data_path, read_rows
from coursekit.diagrams.style import PALETTE, new_figure, set_alt_text
from coursekit.errors import DataError
from coursekit.model import hip_flexor_length, lumbar_lordosis, rotate
from coursekit.model.flexors import FlexorResult

__all__ = ["LANDMARKS", "TROCHANTER", "PelvisView", "FlexorView", "pelvis_figure", "flexor_figure", "tilt_words", "hip_words"]

def _side_view() -> dict[str, tuple[float, float]]:
    """Landmark positions (cm) from ``data/pelvis_side_view.csv``; origin at the hip joint centre."""
    rows = read_rows(data_path("pelvis_side_view.csv"), ("landmark", "x_cm", "y_cm", "source"))
    out = {}
    for row in rows:
        row.text("source")
        out[row.text("landmark")] = (row.number("x_cm"), row.number("y_cm"))
    needed = {"hip joint centre", "ASIS", "PSIS", "pubic symphysis", "anterior inferior iliac spine",
              "iliac crest", "ischial tuberosity", "sacrum", "greater trochanter"}
    missing = needed - set(out)
    if missing:
        raise DataError("pelvis_side_view.csv", f"lacks rows for {', '.join(sorted(missing))}")
    if out["hip joint centre"] != (0.0, 0.0):
        raise DataError("pelvis_side_view.csv", "the hip joint centre must be the origin (0, 0)")
    return out


_VIEW = _side_view()
#: Landmark positions (cm) in the pelvis frame: hip joint centre (femoral head) at the origin,
#: x anterior, y up, ASIS level with PSIS (tilt 0), from ``data/pelvis_side_view.csv``.
LANDMARKS: dict[str, tuple[float, float]] = {
    name: _VIEW[name] for name in ("ASIS", "PSIS", "iliac crest", "pubic symphysis", "ischial tuberosity", "sacrum")}
#: Greater trochanter in the femur's frame (moves with the thigh).
TROCHANTER: tuple[float, float] = _VIEW["greater trochanter"]
_AIIS = _VIEW["anterior inferior iliac spine"]
_A, _P, _C = LANDMARKS["ASIS"], LANDMARKS["PSIS"], LANDMARKS["iliac crest"]
_PS, _IT = LANDMARKS["pubic symphysis"], LANDMARKS["ischial tuberosity"]
# Outline of the hip bone through its landmarks (the in-between points only shape the bone).
_ILIUM = [_P, (_P[0] - 0.3, _P[1] - 1.6), (-9.0, 3.6), (-7.0, 1.4), (-6.3, -1.0), (-6.6, -2.4), (-5.6, -4.2),
          (_IT[0] - 0.6, _IT[1] + 0.4), _IT, (_IT[0] + 1.4, _IT[1] - 0.5), (1.5, -5.4), (4.6, -2.5),
          (_PS[0], _PS[1] - 0.6), _PS, (_PS[0] - 0.4, _PS[1] + 1.1), (3.6, 2.2), _AIIS, (_AIIS[0] - 0.4, _AIIS[1] + 1.5),
          _A, (_A[0] - 0.6, _A[1] + 2.0), (_A[0] - 2.6, _A[1] + 4.1), (_C[0] + 2.4, _C[1] - 0.4), _C,
          (_C[0] - 3.0, _C[1] - 0.6), (-8.4, 11.0), (_P[0] + 0.7, _P[1] + 1.8)]
_OBTURATOR = [(2.3 + 2.0 * math.cos(t) * math.cos(0.6) - 1.3 * math.sin(t) * math.sin(0.6),
               -3.3 + 2.0 * math.cos(t) * math.sin(0.6) + 1.3 * math.sin(t) * math.cos(0.6))
              for t in np.linspace(0, 2 * math.pi, 24, endpoint=False)]
_SACRUM = [(-7.0, 9.2), (-10.5, 10.7), (-12.6, 5.2), (-12.3, 0.2), (-10.5, -4.3), (-9.0, -0.8), (-7.8, 4.7)]
_S1 = ((-7.0, 9.2), (-10.5, 10.7))       # sacral endplate, front then back
_PELVIS_UP = (0.0, 15.0)                 # pelvis-fixed point above the hip (trunk/pelvis line)
THIGH_CM = 30.0                          # drawn thigh length (schematic, shortened)
LUMBAR_CM = 17.0
HEAD_CM = 2.4                            # femoral head radius (schematic)
_LABEL_OFFSET = {"ASIS": (1.0, 0.8), "PSIS": (-1.0, 1.2), "iliac crest": (0.6, 0.9),
                 "pubic symphysis": (1.2, -0.8), "ischial tuberosity": (-1.0, -2.0), "sacrum": (-1.6, -1.0)}
#: Greater trochanter outline in the femur's frame, around :data:`TROCHANTER`.
_TROCH_SHAPE = [(-1.5, 1.9), (0.4, 2.2), (1.5, 1.0), (1.3, -1.6), (0.7, -2.8), (-0.9, -2.8), (-1.7, -1.0)]


def tilt_words(tilt: float) -> str:
    """``'12° anterior'``, ``'5° posterior'`` or ``'0° (ASIS level with PSIS)'``."""
    if round(tilt) == 0:
        return "0° (ASIS level with PSIS)"
    return f"{abs(tilt):.0f}° {'anterior' if tilt > 0 else 'posterior'}"


def hip_words(hip: float) -> str:
    """``'20° flexion'``, ``'10° extension'`` or ``'0° (neutral)'``."""
    if round(hip) == 0:
        return "0° (neutral)"
    return f"{abs(hip):.0f}° {'flexion' if hip > 0 else 'extension'}"


def _arc(center: tuple[float, float], radius: float, a0: float, a1: float, n: int = 24) -> np.ndarray:
    """Points of a circular arc from angle a0 to a1 (degrees, counter-clockwise from +x)."""
    t = np.radians(np.linspace(a0, a1, n))
    return np.column_stack([center[0] + radius * np.cos(t), center[1] + radius * np.sin(t)])


def lumbar_curve(tilt: float, lordosis: float, n: int = 30) -> np.ndarray:
    """Points of the lumbar curve from the S1 endplate upward (cm, world frame).

    The curve starts perpendicular to the (tilted) sacral endplate and turns back by
    ``lordosis`` degrees over ``LUMBAR_CM``, at a constant rate (a circular arc).
    """
    front, back = (rotate(p, -tilt) for p in _S1)
    start = np.array([(front.x + back.x) / 2, (front.y + back.y) / 2])
    normal = (back.y - front.y, -(back.x - front.x))   # endplate turned clockwise: points up
    heading0 = math.degrees(math.atan2(normal[0], normal[1]))  # from vertical, forward positive
    headings = np.radians(np.linspace(heading0, heading0 - lordosis, n))
    steps = np.column_stack([np.sin(headings), np.cos(headings)]) * (LUMBAR_CM / (n - 1))
    steps[0] = 0.0
    return start + np.cumsum(steps, axis=0)


class PelvisView:
    """The side view; ``update(tilt=..., hip=...)`` moves the existing artists.

    >>> view = PelvisView(tilt=5, hip=0)
    >>> view.update(tilt=-10, hip=-20).texts["tilt"]
    'Pelvic tilt 10° posterior'
    """

    def __init__(self, fig: Figure | None = None, *, tilt: float = 0.0, hip: float = 0.0,
                 lordosis: float | None = None, title: str | None = None) -> None:
        self.fig = fig if fig is not None else new_figure(6.4, 5.6)
        self.ax = self.fig.add_subplot()
        self.tilt, self.hip, self.lordosis = 0.0, 0.0, 0.0
        self._lordosis_given = lordosis
        self._build(title or "Pelvis and hip, side view (facing right)")
        self.update(tilt=tilt, hip=hip, lordosis=lordosis)

    # -- drawing once -------------------------------------------------------------------
    def _build(self, title: str) -> None:
        ax, c = self.ax, PALETTE
        ax.set_aspect("equal")
        ax.set_xlim(-31, 35)
        ax.set_ylim(-34, 30)
        ax.axis("off")
        ax.set_title(title, fontsize=11)
        ax.axvline(0, color=c["grey"], lw=0.8, ls=":", zorder=0)
        ax.text(0.4, -33, "vertical", color=c["grey"], fontsize=7, va="bottom")
        ax.annotate("", xy=(33, 26), xytext=(25, 26), arrowprops={"arrowstyle": "->", "color": c["grey"]})
        ax.text(29, 27, "anterior", ha="center", fontsize=8, color=c["grey"])
        self._static = [*ax.lines, *ax.texts, *ax.patches]   # drawn so far: fixed guides and captions
        self.ilium = Polygon(_ILIUM, closed=True, fc=c["bone"], ec=c["bone_edge"], lw=1.2, zorder=2)
        ax.add_patch(self.ilium)
        self.obturator = Polygon(_OBTURATOR, closed=True, fc="white", ec=c["bone_edge"], lw=1, zorder=3)
        ax.add_patch(self.obturator)
        self.acetabulum = Circle((0, 0), 2.9, fc="#D9D0B8", ec=c["bone_edge"], lw=1.2, zorder=3)
        ax.add_patch(self.acetabulum)
        self.sacrum = Polygon(_SACRUM, closed=True, fc="#D9D0B8", ec=c["bone_edge"], lw=1.2, alpha=0.9, zorder=3)
        ax.add_patch(self.sacrum)
        self.lumbar, = ax.plot([], [], color=c["bone_edge"], lw=7, solid_capstyle="round", alpha=0.55, zorder=1)
        self.lumbar_label = ax.text(0, 0, "", fontsize=8.5, color=c["black"], ha="left", va="center")
        self.thigh, = ax.plot([], [], color=c["bone_edge"], lw=9, solid_capstyle="round", zorder=2, alpha=0.8)
        self.knee = Circle((0, 0), 1.6, fc=c["bone"], ec=c["bone_edge"], lw=1.2, zorder=4)
        ax.add_patch(self.knee)
        self.knee_label = ax.text(0, 0, "knee", fontsize=8.5, ha="left", va="center")
        self.femoral_head = Circle((0, 0), HEAD_CM, fc=c["bone"], ec=c["bone_edge"], lw=1.2, zorder=3.5)
        ax.add_patch(self.femoral_head)
        ax.plot([0], [0], "+", ms=7, mew=1.2, color=c["black"], zorder=8)
        self._static.append(ax.lines[-1])
        self.head_label = ax.annotate(
            "femoral head in the acetabulum\n(+ hip joint centre)", xy=(1.7, 1.7), xytext=(12.5, 10.0),
            fontsize=8.5, ha="left", va="center", zorder=9,
            arrowprops={"arrowstyle": "-", "color": c["black"], "lw": 0.8, "shrinkB": 1})
        self.trochanter = Polygon(_TROCH_SHAPE, closed=True, fc=c["orange"], ec=c["black"], lw=1, hatch="..", zorder=5)
        ax.add_patch(self.trochanter)
        # the femoral head lies deep to the trochanter: its hidden outline is dashed, as in a drawing
        self._static.append(ax.add_patch(Circle((0, 0), HEAD_CM, fill=False, ec=c["black"], lw=0.9,
                                                ls=(0, (2.5, 2)), zorder=5.5)))
        self.trochanter_label = ax.annotate(
            "greater trochanter\n(on the femur, lateral:\nin front in this view)", xy=(0, 0), xytext=(-17, -15),
            fontsize=8.5, ha="center", va="top", zorder=9,
            arrowprops={"arrowstyle": "-", "color": c["black"], "lw": 0.8, "shrinkB": 2})
        self.pelvis_line, = ax.plot([], [], color=c["grey"], lw=1.2, ls="--", zorder=3)
        self.hip_arc, = ax.plot([], [], color=c["blue"], lw=2, zorder=5)
        self.hip_text = ax.text(0.99, 0.04, "", transform=ax.transAxes, ha="right", fontsize=10,
                                color=c["blue"], fontweight="bold", zorder=7)
        self.horizontal, = ax.plot([], [], color=c["grey"], lw=1, ls="--", zorder=4)
        self.asis_psis, = ax.plot([], [], color=c["vermillion"], lw=2.2, zorder=6)
        self.tilt_arc, = ax.plot([], [], color=c["vermillion"], lw=1.8, zorder=6)
        self.tilt_text = ax.text(0.99, 0.80, "", transform=ax.transAxes, ha="right", fontsize=10,
                                 color=c["vermillion"], fontweight="bold", zorder=7)
        self.marks, self.labels = {}, {}
        for name in LANDMARKS:
            self.marks[name], = ax.plot([], [], "o", ms=6, mfc=c["vermillion"] if "SIS" in name else c["black"],
                                        mec="white", mew=1, zorder=8)
            self.labels[name] = ax.text(0, 0, name, fontsize=8.5, zorder=9,
                                        ha="left" if _LABEL_OFFSET[name][0] > 0 else "right")

    # -- moving -------------------------------------------------------------------------
    def update(self, tilt: float | None = None, hip: float | None = None,
               lordosis: float | None = None) -> PelvisView:
        """Redraw for a new tilt/hip angle (degrees); returns ``self``. No new artists."""
        self.tilt = float(self.tilt if tilt is None else tilt)
        self.hip = float(self.hip if hip is None else hip)
        given = lordosis if lordosis is not None else self._lordosis_given
        self.lordosis = float(given) if given is not None else lumbar_lordosis(self.tilt)
        r = -self.tilt  # anterior tilt turns the pelvis clockwise (facing right)
        self.ilium.set_xy([rotate(p, r) for p in _ILIUM])
        self.sacrum.set_xy([rotate(p, r) for p in _SACRUM])
        self.obturator.set_xy([rotate(p, r) for p in _OBTURATOR])
        pts = {name: rotate(p, r) for name, p in LANDMARKS.items()}
        for name, p in pts.items():
            self.marks[name].set_data([p.x], [p.y])
            dx, dy = _LABEL_OFFSET[name]
            self.labels[name].set_position((p.x + dx, p.y + dy))
        self._draw_tilt(pts["ASIS"], pts["PSIS"])
        self._draw_hip(r)
        curve = lumbar_curve(self.tilt, self.lordosis)
        self.lumbar.set_data(curve[:, 0], curve[:, 1])
        top = curve[-1]
        self.lumbar_label.set_position((top[0] + 1.5, top[1] - 2))
        self.lumbar_label.set_text(f"lumbar curve\n(lordosis ≈ {self.lordosis:.0f}°)")
        set_alt_text(self.fig, self.alt_text())
        return self

    def _draw_tilt(self, asis, psis) -> None:
        ext = 4.0
        u = np.array([asis.x - psis.x, asis.y - psis.y])
        u /= np.linalg.norm(u)
        a, p = np.array(asis) + ext * u, np.array(psis) - 1.5 * u
        self.asis_psis.set_data([p[0], a[0]], [p[1], a[1]])
        self.horizontal.set_data([psis.x - 1.5, asis.x + ext + 2], [psis.y, psis.y])
        self.tilt_arc.set_data(*_arc(psis, 9.0, 0.0, -self.tilt).T)
        self.tilt_text.set_text(f"Pelvic tilt {tilt_words(self.tilt)}")

    def _draw_hip(self, r: float) -> None:
        up = rotate(_PELVIS_UP, r)
        down = rotate((0.0, -14.0), r)
        self.pelvis_line.set_data([up.x, down.x], [up.y, down.y])
        thigh_ccw = self.hip - self.tilt   # thigh angle from the vertical, forward positive
        knee = rotate((0.0, -THIGH_CM), thigh_ccw)
        self.thigh.set_data([0.0, knee.x], [0.0, knee.y])
        tro = rotate(TROCHANTER, thigh_ccw)
        self.trochanter.set_xy([(tro.x + q.x, tro.y + q.y) for q in (rotate(v, thigh_ccw) for v in _TROCH_SHAPE)])
        self.trochanter_label.xy = (tro.x - 0.8, tro.y - 0.5)
        # the label sits on the side away from the thigh, so the thigh never runs through it
        self.trochanter_label.set_position((-17.0, -15.0) if thigh_ccw > -12 else (17.0, -15.0))
        high = thigh_ccw > 55   # a thigh raised forward would cross the label above the hip
        self.head_label.set_position((12.5, -9.0) if high else (12.5, 10.0))
        self.head_label.xy = (1.7, -1.7) if high else (1.7, 1.7)
        self.knee.center = (knee.x, knee.y)
        self.knee_label.set_position((knee.x + 2.2, knee.y))
        base = -90.0 + r
        self.hip_arc.set_data(*_arc((0.0, 0.0), 11.0, base, base + self.hip).T)
        self.hip_text.set_text(f"Hip {hip_words(self.hip)}")

    def dynamic_artists(self) -> list:
        """Artists redrawn on every update (for blitting); titles and fixed labels stay cached."""
        fixed = {self.ax.title, *self._static}
        return [a for a in (*self.ax.patches, *self.ax.lines, *self.ax.texts) if a not in fixed]

    # -- reading back (tests, readouts) -------------------------------------------------
    @property
    def texts(self) -> dict[str, str]:
        """The changing text drawn on the figure, by role."""
        return {"tilt": self.tilt_text.get_text(), "hip": self.hip_text.get_text(),
                "lumbar": self.lumbar_label.get_text()}

    def landmark(self, name: str) -> tuple[float, float]:
        """Where landmark ``name`` (or ``'knee'``) is drawn now (cm)."""
        if name == "knee":
            return tuple(self.knee.center)
        x, y = np.asarray(self.marks[name].get_data())
        return float(x[0]), float(y[0])

    def alt_text(self) -> str:
        thigh = self.hip - self.tilt
        where = "in line with the vertical" if round(thigh) == 0 else (
            f"{abs(thigh):.0f}° {'in front of' if thigh > 0 else 'behind'} the vertical")
        return (f"Side view of a pelvis facing right, tilted {tilt_words(self.tilt)}: the line from the "
                f"ASIS to the PSIS makes {abs(self.tilt):.0f}° with the horizontal. The hip is at "
                f"{hip_words(self.hip)}, so the thigh points {where}. The lumbar curve above the sacrum "
                f"has a lordosis of about {self.lordosis:.0f}°. The femoral head sits in the acetabulum at the "
                "hip joint centre, about which pelvis and thigh turn; the greater trochanter lies on the femur "
                "below it and lateral to it (drawn in front). Labelled: ASIS, PSIS, iliac crest, pubic "
                "symphysis, ischial tuberosity, sacrum, femoral head in the acetabulum, greater trochanter, knee.")


def pelvis_figure(tilt_deg: float = 0.0, hip_deg: float = 0.0, *, lordosis_deg: float | None = None,
                  title: str | None = None) -> Figure:
    """A finished side-view figure for a book page (stable API used by the lessons)."""
    return PelvisView(tilt=tilt_deg, hip=hip_deg, lordosis=lordosis_deg, title=title).fig


class FlexorView(PelvisView):
    """The side view for the hip-flexor length (Thomas-test logic) exercise.

    Shows the wanted thigh position as a ghost, the hip flexors as a band from the
    front of the pelvis to the thigh (vermillion when at full length), and the
    compensatory tilt and lumbar arch from :func:`coursekit.model.hip_flexor_length`.
    """

    def __init__(self, fig: Figure | None = None, *, wanted: float = 15.0, available: float = 15.0) -> None:
        self.result: FlexorResult | None = None
        super().__init__(fig, title="Hip flexor length: where the missing extension comes from")
        c = PALETTE
        self.ghost = self.ax.add_patch(Polygon(_ILIUM, closed=True, fill=False, ec=c["blue"], lw=1.2,
                                               ls=(0, (4, 3)), zorder=6))
        self.ghost_label = self.ax.text(-30, -31, "dashed: pelvis if the flexors were long enough",
                                        color=c["blue"], fontsize=8)
        self.flexors, = self.ax.plot([], [], lw=4, solid_capstyle="round", zorder=7)
        self.flexor_label = self.ax.text(0, 0, "", fontsize=8.5, zorder=9)
        self.update_flexors(wanted, available)

    def update_flexors(self, wanted: float, available: float) -> FlexorView:
        """Apply the model to ``wanted``/``available`` (degrees) and move the artists."""
        res = hip_flexor_length(wanted, available)
        self.result = res
        self.update(tilt=res.compensatory_tilt_deg, hip=-res.hip_extension_deg)
        self.ghost.set_visible(res.compensatory_tilt_deg > 0)
        self.ghost_label.set_visible(res.compensatory_tilt_deg > 0)
        top = rotate(_AIIS, -self.tilt)                 # anterior inferior iliac spine
        low = rotate((2.2, -11.0), self.hip - self.tilt)  # front of the upper thigh
        taut = res.compensatory_tilt_deg > 0 or res.hip_extension_deg >= res.available_deg
        colour = PALETTE["vermillion"] if taut else PALETTE["green"]
        self.flexors.set_data([top.x, low.x], [top.y, low.y])
        self.flexors.set_color(colour)
        self.flexors.set_linestyle("-" if taut else (0, (2, 1.2)))   # solid when taut, dashed when slack
        self.flexor_label.set_position((low.x + 1.2, low.y - 1.0))
        self.flexor_label.set_color(colour)
        self.flexor_label.set_text("hip flexors: at full length" if taut else "hip flexors: slack")
        set_alt_text(self.fig, self.alt_text())
        return self

    @property
    def texts(self) -> dict[str, str]:
        out = super().texts
        if getattr(self, "flexor_label", None) is not None:
            out["flexors"] = self.flexor_label.get_text()
        return out

    def alt_text(self) -> str:
        base = super().alt_text()
        if self.result is None or not hasattr(self, "flexor_label"):
            return base
        extra = (" A dashed outline shows where the pelvis would be if the flexors were long enough."
                 if self.result.compensatory_tilt_deg > 0 else "")
        return f"{base} {self.result.summary()}{extra}"


def flexor_figure(wanted_deg: float = 15.0, available_deg: float = 15.0) -> Figure:
    """A finished hip-flexor-length figure for a book page."""
    return FlexorView(wanted=wanted_deg, available=available_deg).fig
