"""The muscles × actions matrix: which muscle does what at the hip (or knee), and how firmly.

Each cell shows how the data list that action for that muscle: primary (the
reference-text action), secondary, fibre-specific, position-dependent or disputed.
Where ``conditional_actions.csv`` qualifies a reference-text action (the medial
hamstrings' hip rotation is secondary; knee rotation needs a bent knee), the
qualification is shown. Cells come from :func:`action_cells`, so the picture and the
data cannot drift.

>>> cells = action_cells(["piriformis"])
>>> cells.loc["piriformis", "external_rotation"], cells.loc["piriformis", "internal_rotation"]
('primary', 'position_dependent')
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from coursekit import anatomy
from coursekit.anatomy import JOINT_ACTIONS, Action, Joint, Status
from coursekit.diagrams.style import PALETTE, new_figure, set_alt_text

__all__ = ["MARKS", "action_cells", "drawn_cells", "matrix_figure"]

#: Status → (marker, face colour, edge colour, size, legend text). Shape and fill differ,
#: so the marks read without colour too.
MARKS: dict[str, tuple[str, str, str, float, str]] = {
    Status.PRIMARY: ("o", PALETTE["blue"], PALETTE["blue"], 150, "primary action"),
    Status.SECONDARY: ("o", PALETTE["sky"], PALETTE["blue"], 60, "secondary (weaker)"),
    Status.FIBRE_SPECIFIC: ("s", "white", PALETTE["green"], 70, "some fibres only"),
    Status.POSITION_DEPENDENT: ("^", PALETTE["orange"], PALETTE["black"], 90,
                                "depends on joint position"),
    Status.DISPUTED: ("$?$", PALETTE["vermillion"], PALETTE["vermillion"], 110,
                      "sources disagree"),
}
#: A qualification in the conditional file wins over the plain reference-text listing.
_RANK = [Status.SECONDARY, Status.POSITION_DEPENDENT, Status.FIBRE_SPECIFIC, Status.DISPUTED,
         Status.PRIMARY]


def _actions(joint: Joint) -> list[Action]:
    return [a for a in Action if a in JOINT_ACTIONS[joint]]


def action_cells(
    names: Sequence[str] | None = None,
    joint: Joint | str = Joint.HIP,
    actions: Sequence[Action | str] | None = None,
) -> pd.DataFrame:
    """Muscle × action table of statuses ('' where the data list nothing)."""
    joint = Joint(joint)
    names = list(names) if names is not None else anatomy.muscle_names()
    columns = [Action(a) for a in actions] if actions is not None else _actions(joint)
    rows = {}
    for name in names:
        m = anatomy.muscle(name)
        row = {}
        for action in columns:
            found = [s for s in _RANK if action in m.actions(joint, statuses=[s])]
            row[action.value] = found[0].value if found else ""
        rows[m.name] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def matrix_figure(
    names: Sequence[str] | None = None,
    joint: Joint | str = Joint.HIP,
    *,
    actions: Sequence[Action | str] | None = None,
    title: str | None = None,
) -> Figure:
    """Draw :func:`action_cells` as a grid with a legend; muscles in data order."""
    cells = action_cells(names, joint, actions)
    actions = list(cells.columns)
    n = len(cells)
    fig = new_figure(max(1.05 * len(actions) + 3.4, 7.0), 0.34 * n + 1.9)
    ax = fig.add_subplot()
    for i, (muscle, row) in enumerate(cells.iterrows()):
        y = n - 1 - i
        if i % 2 == 0:
            ax.axhspan(y - 0.5, y + 0.5, color="#f2f2f2", zorder=0, lw=0)
        first_group = anatomy.muscle(muscle).groups[0]
        if i and first_group != anatomy.muscle(cells.index[i - 1]).groups[0]:
            ax.axhline(y + 0.5, color=PALETTE["grey"], lw=0.8, zorder=1)
        for j, action in enumerate(actions):
            status = row[action]
            if not status:
                continue
            marker, face, edge, size, _ = MARKS[status]
            ax.scatter([j], [y], marker=marker, s=size, c=face, edgecolors=edge, linewidths=1.4,
                       zorder=3, gid=f"cell|{muscle}|{action}|{status}")
    ax.set_xticks(range(len(actions)), [a.replace("_", "\n") for a in actions], fontsize=9.5)
    ax.xaxis.tick_top()
    ax.set_yticks(range(n), list(reversed(cells.index)), fontsize=9.5)
    ax.set_xlim(-0.6, len(actions) - 0.4)
    ax.set_ylim(-0.6, n - 0.4)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    handles = [Line2D([], [], ls="", marker=m, ms=(s ** 0.5) * 0.8, mfc=f, mec=e, mew=1.4, label=t)
               for m, f, e, s, t in MARKS.values()]
    fig.legend(handles=handles, loc="outside lower center", ncol=3, frameon=False, fontsize=9)
    joint = Joint(joint)
    if title:
        ax.set_title(title, fontsize=12, pad=12)
    set_alt_text(fig, _alt(cells, joint))
    return fig


def _alt(cells: pd.DataFrame, joint: Joint) -> str:
    parts = []
    for muscle, row in cells.iterrows():
        listed = [f"{a.replace('_', ' ')} ({s.replace('_', ' ')})" for a, s in row.items() if s]
        parts.append(f"{muscle}: {', '.join(listed) if listed else 'none'}")
    return (f"Grid of {joint.value} actions for {len(cells)} muscles; a mark shows the action "
            f"and how firmly the sources support it. " + "; ".join(parts) + ".")


def drawn_cells(fig: Figure) -> dict[tuple[str, str], str]:
    """(muscle, action) → status of every mark drawn in ``fig`` (for tests)."""
    out = {}
    for ax in fig.axes:
        for coll in ax.collections:
            gid = coll.get_gid() or ""
            if gid.startswith("cell|"):
                _, muscle, action, status = gid.split("|")
                out[(muscle, action)] = status
    return out
