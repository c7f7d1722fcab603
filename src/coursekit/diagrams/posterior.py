"""Posterior view of the pelvis and thighs: gluteus maximus and the hamstrings.

The left half of the picture (the person's left, seen from behind) shows the superficial
layer, gluteus maximus and the iliotibial tract; the right half shows the hamstrings and
the hamstring part of adductor magnus with gluteus maximus taken away. Origins are
circles and insertions squares; each attachment label is a phrase taken from the
muscle's origin or insertion in ``muscles.csv`` (see :data:`ATTACHMENTS`).

>>> fig = posterior_figure()
>>> sorted(drawn_muscles(fig))[:2]
['adductor magnus (hamstring part)', 'biceps femoris (long head)']
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Ellipse, Polygon

from coursekit import anatomy
from coursekit.anatomy import data_path, read_rows
from coursekit.diagrams.style import PALETTE, new_figure, set_alt_text

__all__ = ["ATTACHMENTS", "LANDMARKS", "drawn_muscles", "layers", "posterior_figure", "zorder_of"]

Pt = tuple[float, float]

#: Where each attachment phrase sits in the drawing (right side; mirrored for the left).
LANDMARKS: dict[str, Pt] = {
    "ischial tuberosity": (0.84, 0.10),
    "linea aspera": (1.25, -1.45),
    "head of the fibula": (1.58, -4.02),
    "pes anserinus": (0.84, -4.32),
    "medial condyle of the tibia": (0.82, -3.96),
    "adductor tubercle": (0.80, -3.18),
    "posterior iliac crest": (0.72, 2.16),
    "sacrum": (0.30, 1.30),
    "coccyx": (0.04, 0.40),
    "iliotibial tract": (1.86, 0.25),
    "gluteal tuberosity": (1.40, -0.32),
}

#: muscle → (origin phrases, insertion phrases); every phrase occurs in the data text.
ATTACHMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "gluteus maximus": (("posterior iliac crest", "sacrum", "coccyx"),
                        ("iliotibial tract", "gluteal tuberosity")),
    "adductor magnus (hamstring part)": (("ischial tuberosity",), ("adductor tubercle",)),
    "semimembranosus": (("ischial tuberosity",), ("medial condyle of the tibia",)),
    "biceps femoris (short head)": (("linea aspera",), ("head of the fibula",)),
    "semitendinosus": (("ischial tuberosity",), ("pes anserinus",)),
    "biceps femoris (long head)": (("ischial tuberosity",), ("head of the fibula",)),
}

#: Hamstring-side muscles: (name, path through a mid point, width, colour, hatch). The drawing
#: order and z-order come from the layers in ``data/posterior_layers.csv`` (deepest first).
_BELLIES: tuple[tuple[str, Sequence[Pt], float, str, str], ...] = (
    ("adductor magnus (hamstring part)", ((0.78, 0.04), (0.22, -1.5), (0.80, -3.18)), 0.46, "purple", "xx"),
    ("semimembranosus", ((0.92, 0.06), (0.46, -2.1), (0.80, -3.96)), 0.58, "sky", "..."),
    ("biceps femoris (short head)", ((1.25, -1.45), (1.62, -2.9), (1.58, -4.02)), 0.30, "yellow", "\\\\"),
    ("semitendinosus", ((0.80, 0.10), (0.56, -2.0), (0.84, -4.32)), 0.24, "blue", ""),
    ("biceps femoris (long head)", ((0.88, 0.12), (1.50, -1.9), (1.58, -4.02)), 0.36, "orange", ""),
)


@functools.lru_cache(maxsize=1)
def layers() -> dict[str, int]:
    """Depth layer of each drawn muscle (1 = deepest), from ``data/posterior_layers.csv``.

    >>> layers()["semimembranosus"] < layers()["semitendinosus"]
    True
    """
    rows = read_rows(data_path("posterior_layers.csv"), ("muscle", "layer", "source"))
    out = {}
    for row in rows:
        row.text("source")
        name = row.text("muscle")
        anatomy.muscle(name)  # a name the muscle data know
        out[name] = int(row.number("layer"))
    return out


def zorder_of(name: str) -> float:
    """Z-order of a muscle: deeper layers are drawn first and lower."""
    return 2.5 + 0.4 * layers()[name]


def _mirror(p: Pt) -> Pt:
    return (-p[0], p[1])


def _bezier(pts: Sequence[Pt], n: int = 40) -> np.ndarray:
    (x0, y0), (x1, y1), (x2, y2) = pts
    t = np.linspace(0, 1, n)[:, None]
    return (1 - t) ** 2 * np.array([x0, y0]) + 2 * (1 - t) * t * np.array([x1, y1]) + t ** 2 * np.array([x2, y2])


def _spindle(pts: Sequence[Pt], width: float) -> np.ndarray:
    """Outline of a muscle belly along a curved path: fleshy middle, thin tendons."""
    line = _bezier(pts)
    d = np.gradient(line, axis=0)
    normal = np.stack([-d[:, 1], d[:, 0]], axis=1)
    normal /= np.linalg.norm(normal, axis=1, keepdims=True)
    t = np.linspace(0, 1, len(line))
    half = 0.03 + width / 2 * np.sin(np.pi * np.clip((t - 0.06) / 0.82, 0, 1)) ** 0.7
    return np.vstack([line + normal * half[:, None], (line - normal * half[:, None])[::-1]])


_HIP_BONE: tuple[Pt, ...] = (
    (0.50, 1.75), (0.66, 2.12), (0.95, 2.36), (1.32, 2.44), (1.66, 2.34), (1.88, 2.08),
    (1.84, 1.76), (1.64, 1.42), (1.50, 1.12), (1.26, 0.72), (1.08, 0.34), (1.04, 0.08),
    (0.90, -0.04), (0.72, 0.00), (0.48, 0.16), (0.22, 0.30), (0.06, 0.36), (0.06, 0.62),
    (0.36, 0.70), (0.62, 0.80), (0.70, 1.08), (0.56, 1.40),
)
_FEMUR: tuple[Pt, ...] = (
    (1.22, 1.02), (1.52, 1.02), (1.72, 1.00), (1.82, 0.62), (1.58, 0.20), (1.44, -1.2),
    (1.34, -3.15), (0.90, -3.15), (1.06, -1.2), (1.10, 0.22), (1.06, 0.40), (1.16, 0.52),
    (1.18, 0.80),
)
_TIBIA: tuple[Pt, ...] = (
    (0.70, -3.82), (1.50, -3.82), (1.42, -4.05), (1.24, -4.40), (1.20, -5.30), (0.96, -5.30),
    (0.92, -4.40), (0.74, -4.05),
)


def _bones(ax: Axes) -> None:
    bone: dict[str, Any] = dict(fc=PALETTE["bone"], ec=PALETTE["bone_edge"], lw=1.3, zorder=1)
    for s in (1, -1):
        def m(pts: Sequence[Pt], s: int = s) -> list[Pt]:
            return [(s * x, y) for x, y in pts]
        ax.add_patch(Circle(m([(1.26, 0.90)])[0], 0.21, **bone))  # femoral head
        ax.add_patch(Polygon(m(_FEMUR), **bone))
        for cx in (0.92, 1.32):  # femoral condyles
            ax.add_patch(Ellipse(m([(cx, -3.42)])[0], 0.46, 0.56, **bone))
        ax.add_patch(Polygon(m(_TIBIA), **bone))
        ax.add_patch(Polygon(m([(1.50, -3.98), (1.64, -3.96), (1.46, -5.30), (1.38, -5.30)]), **bone))
        ax.add_patch(Polygon(m(_HIP_BONE), **{**bone, "zorder": 1.5}))
        ax.add_patch(Ellipse(m([(0.50, 0.42)])[0], 0.34, 0.26, fc="white", ec=PALETTE["bone_edge"],
                             lw=1, zorder=1.6))  # obturator foramen
    ax.add_patch(Polygon([(-0.52, 1.80), (0.52, 1.80), (0.34, 0.90), (0.0, 0.56), (-0.34, 0.90)],
                         **{**bone, "zorder": 1.7}))  # sacrum
    ax.plot([0, 0], [0.56, 0.32], color=PALETTE["bone_edge"], lw=4, solid_capstyle="round", zorder=1.7)


def _gluteus_maximus(ax: Axes) -> None:
    colour = PALETTE["vermillion"]
    outline = [(0.66, 2.22), (0.44, 1.55), (0.22, 0.90), (0.04, 0.40), (0.62, -0.10), (1.30, -0.46),
               (1.62, -0.30), (1.90, 0.40), (1.80, 1.40), (1.20, 2.18)]
    ax.add_patch(Polygon([_mirror(p) for p in outline], fc=colour, ec="#8a3c00", lw=1.2, alpha=0.9,
                         zorder=zorder_of("gluteus maximus"), gid="muscle|gluteus maximus"))
    for k in range(1, 8):  # fibre direction: down and out
        a = k / 8
        start = (0.62 - 0.55 * a, 2.18 - 1.75 * a)
        end = (1.84 - 0.3 * a, 1.5 - 1.8 * a)
        ax.plot([-start[0], -end[0]], [start[1], end[1]], color="#8a3c00", lw=0.6, alpha=0.5,
                zorder=zorder_of("gluteus maximus") + 0.05)
    ax.text(-1.05, 0.95, anatomy.muscle("gluteus maximus").name.replace(" ", "\n"), color="white",
            fontsize=11, fontweight="bold", ha="center", va="center", zorder=5.5,
            gid="label|gluteus maximus")
    ax.add_patch(Polygon([(-1.74, 0.55), (-1.94, 0.2), (-1.52, -3.85), (-1.40, -3.85)],
                         fc="#f3c7a6", ec="#8a3c00", lw=1, zorder=2, gid="iliotibial tract"))
    ax.text(-1.95, -1.9, "iliotibial tract", rotation=84, fontsize=8.5, ha="center", va="center",
            color="#8a3c00")


def _hamstrings(ax: Axes) -> None:
    """Each belly at the z-order of its layer; deep bellies are hatched so depth is not colour alone."""
    for name, pts, width, colour, hatch in sorted(_BELLIES, key=lambda b: zorder_of(b[0])):
        ax.add_patch(Polygon(_spindle(pts, width), fc=PALETTE[colour], ec=PALETTE["black"], lw=0.9,
                             hatch=hatch, zorder=zorder_of(name), gid=f"muscle|{name}"))


def _marks(ax: Axes) -> None:
    for name, (origins, insertions) in ATTACHMENTS.items():
        side = _mirror if name == "gluteus maximus" else (lambda p: p)
        for phrase in origins:
            ax.plot(*side(LANDMARKS[phrase]), marker="o", ms=7, mfc="white", mec="black", mew=1.6,
                    zorder=6, gid=f"origin|{name}|{phrase}")
        for phrase in insertions:
            ax.plot(*side(LANDMARKS[phrase]), marker="s", ms=7, mfc="black", mec="black",
                    zorder=6, gid=f"insertion|{name}|{phrase}")


def _label(ax: Axes, text: str, xy: Pt, xytext: Pt, **kw: Any) -> None:
    ax.annotate(text, xy=xy, xytext=xytext, fontsize=9, va="center",
                arrowprops=dict(arrowstyle="-", color="#444444", lw=0.8, shrinkA=2, shrinkB=3),
                zorder=7, **kw)


#: Right-hand label column, top to bottom: (text, muscle name or None for a landmark).
_RIGHT_LABELS: tuple[tuple[str, Pt], ...] = (
    ("ischial tuberosity", LANDMARKS["ischial tuberosity"]),
    ("adductor magnus (hamstring part)", (0.38, -1.0)),
    ("linea aspera", LANDMARKS["linea aspera"]),
    ("biceps femoris (long head)", (1.45, -1.75)),
    ("semitendinosus", (0.70, -2.0)),
    ("semimembranosus", (0.50, -2.8)),
    ("biceps femoris (short head)", (1.68, -3.1)),
    ("adductor tubercle", LANDMARKS["adductor tubercle"]),
    ("medial condyle of the tibia", LANDMARKS["medial condyle of the tibia"]),
    ("head of the fibula", LANDMARKS["head of the fibula"]),
    ("pes anserinus", LANDMARKS["pes anserinus"]),
)


def _labels(ax: Axes) -> None:
    """Muscle names (bold, exactly as in the data) and attachment phrases (italic)."""
    muscles = set(anatomy.muscle_names())
    for i, (text, xy) in enumerate(_RIGHT_LABELS):
        y = 0.25 - i * 0.5
        if text in muscles:
            _label(ax, anatomy.muscle(text).name, xy, (2.3, y), ha="left", fontweight="bold",
                   gid=f"label|{text}")
        else:
            _label(ax, text, xy, (2.3, y), ha="left", style="italic")
    for i, phrase in enumerate(("posterior iliac crest", "sacrum", "coccyx", "iliotibial tract",
                                "gluteal tuberosity")):
        _label(ax, phrase, _mirror(LANDMARKS[phrase]), (-3.55, 2.3 - i * 0.65), ha="left",
               style="italic")


def posterior_figure() -> Figure:
    """Gluteus maximus (left) and the hamstrings (right) on a posterior pelvis and thighs."""
    fig = new_figure(8.0, 7.4)
    ax = fig.add_subplot()
    _bones(ax)
    _gluteus_maximus(ax)
    _hamstrings(ax)
    _marks(ax)
    _labels(ax)
    ax.text(-0.15, 2.95, "superficial layer", ha="right", fontsize=10, color="#444444")
    ax.text(0.15, 2.95, "gluteus maximus removed", ha="left", fontsize=10, color="#444444")
    ax.plot([0, 0], [2.6, 3.1], color=PALETTE["grey"], lw=0.8)
    ax.text(1.95, -4.95, "Hatched: deeper muscles, partly hidden;\nplain: superficial (semitendinosus,\n"
                         "biceps femoris long head)", fontsize=8, va="top", ha="left", color="#333333")
    ax.plot([-3.2], [-5.0], marker="o", ms=7, mfc="white", mec="black", mew=1.6)
    ax.text(-3.0, -5.0, "origin", va="center", fontsize=9)
    ax.plot([-3.2], [-5.35], marker="s", ms=7, color="black")
    ax.text(-3.0, -5.35, "insertion", va="center", fontsize=9)
    ax.set_aspect("equal")
    ax.set_xlim(-3.6, 4.9)
    ax.set_ylim(-5.6, 3.2)
    ax.axis("off")
    set_alt_text(fig, _alt())
    return fig


def _alt() -> str:
    parts = []
    for name, (origins, insertions) in ATTACHMENTS.items():
        parts.append(f"{name} from the {' and '.join(origins)} to the {' and '.join(insertions)}")
    return ("Posterior view of the pelvis, thighs and upper lower legs. On the person's left, "
            "gluteus maximus covers the buttock and continues into the iliotibial tract; on the "
            "right it is removed to show the hamstrings in their layers: semimembranosus lies deep to "
            "semitendinosus and shows on either side of it low in the thigh; the long head of biceps "
            "femoris runs down the lateral side over its short head; the hamstring part of adductor magnus "
            "lies deepest and most medial. Drawn: " + "; ".join(parts) + ".")


def drawn_muscles(fig: Figure) -> dict[str, dict[str, set[str]]]:
    """muscle → {'origin': phrases, 'insertion': phrases} as marked in ``fig`` (for tests)."""
    out: dict[str, dict[str, set[str]]] = {}
    for ax in fig.axes:
        for line in ax.get_lines():
            gid = line.get_gid() or ""
            kind, _, rest = gid.partition("|")
            if kind in ("origin", "insertion"):
                name, phrase = rest.split("|")
                out.setdefault(name, {"origin": set(), "insertion": set()})[kind].add(phrase)
    return out

