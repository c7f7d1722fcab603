"""Muscle–action finder: a muscles × hip-actions matrix with the chosen actions and muscles highlighted.

Filled dots are the actions reference texts give in the anatomical position (primary);
hollow rings are secondary, fibre-specific, position-dependent or disputed actions
(see ``coursekit.anatomy.conditional_actions``). Chosen action columns are shaded,
the muscles that perform *all* of them are highlighted, and in quiz mode the
student's picks are marked. ``FinderView.update(...)`` changes the existing artists.

>>> view = FinderView(actions=["flexion"], highlighted=["iliopsoas", "sartorius"])
>>> view.highlighted
['iliopsoas', 'sartorius']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from coursekit.diagrams.style import PALETTE, new_figure, set_alt_text
from coursekit.errors import NameMatchError

__all__ = ["FinderData", "FinderView", "finder_data", "finder_figure", "HIP_ACTIONS"]

HIP_ACTIONS = ("flexion", "extension", "abduction", "adduction", "external_rotation", "internal_rotation")
_HEAD = {"flexion": "flex-\nion", "extension": "exten-\nsion", "abduction": "abduc-\ntion",
         "adduction": "adduc-\ntion", "external_rotation": "external\nrotation",
         "internal_rotation": "internal\nrotation"}
_HIGHLIGHT = "#FBF3A6"   # light Okabe–Ito yellow
_COLUMN = "#D6ECF9"      # light Okabe–Ito sky


@dataclass(frozen=True)
class FinderData:
    """What the matrix shows: muscle names and their primary/other hip actions."""

    muscles: tuple[str, ...]
    primary: frozenset[tuple[str, str]]
    other: frozenset[tuple[str, str]]


def finder_data() -> FinderData:
    """Muscles crossing the hip and their hip actions, from :mod:`coursekit.anatomy`."""
    from coursekit import anatomy

    table = anatomy.muscles()
    table = table[table["crosses_hip"]]
    flags = table.set_index("name")
    primary = {(m, a) for m in flags.index for a in HIP_ACTIONS if flags.at[m, f"hip_{a}"]}
    cond = anatomy.conditional_actions()
    cond = cond[cond["joint"] == "hip"]
    names = set(table["name"])
    pairs = zip(cond["muscle"], cond["action"], strict=True)
    other = {(m, a) for m, a in pairs if (m, a) not in primary and m in names}
    return FinderData(tuple(table["name"]), frozenset(primary), frozenset(other))


class FinderView:
    """The matrix, drawn once; :meth:`update` highlights actions, muscles and picks."""

    def __init__(self, fig: Figure | None = None, data: FinderData | None = None, *,
                 actions: Iterable[str] = (), highlighted: Iterable[str] = (), picked: Iterable[str] = ()) -> None:
        self.data = data or finder_data()
        n = len(self.data.muscles)
        self.fig = fig if fig is not None else new_figure(6.4, 0.24 * n + 1.9)
        self.ax = self.fig.add_subplot()
        self.actions: list[str] = []
        self.highlighted: list[str] = []
        self.picked: list[str] = []
        self._build()
        self.update(actions=actions, highlighted=highlighted, picked=picked)

    def _build(self) -> None:
        ax, c, names = self.ax, PALETTE, self.data.muscles
        n = len(names)
        ax.set_xlim(-5.6, len(HIP_ACTIONS) - 0.4)
        ax.set_ylim(n + 0.3, -2.2)
        ax.axis("off")
        ax.set_title("Hip muscles and their actions", fontsize=11)
        self.columns = {a: ax.add_patch(Rectangle((i - 0.45, -0.5), 0.9, n, fc=_COLUMN, ec="none", zorder=0))
                        for i, a in enumerate(HIP_ACTIONS)}
        self.rows = {m: ax.add_patch(Rectangle((-5.5, j - 0.45), 5.5 + len(HIP_ACTIONS) - 0.5, 0.9,
                                               fc=_HIGHLIGHT, ec="none", zorder=0)) for j, m in enumerate(names)}
        # plain labels stay in the cached background; bold overlays (opaque box) mark the chosen ones
        self.heads = {a: ax.text(i, -0.8, _HEAD[a], ha="center", va="bottom", fontsize=8.5)
                      for i, a in enumerate(HIP_ACTIONS)}
        self.bold_heads = {a: ax.text(i, -0.8, _HEAD[a], ha="center", va="bottom", fontsize=8.5, fontweight="bold",
                                      bbox={"fc": "white", "ec": "none", "pad": 1.0}, zorder=4)
                           for i, a in enumerate(HIP_ACTIONS)}
        self.names = {m: ax.text(-0.7, j, m, ha="right", va="center", fontsize=8.5) for j, m in enumerate(names)}
        self.bold_names = {m: ax.text(-0.7, j, m, ha="right", va="center", fontsize=8.5, fontweight="bold",
                                      bbox={"fc": _HIGHLIGHT, "ec": "none", "pad": 0.5}, zorder=4)
                           for j, m in enumerate(names)}
        self.picks = {m: ax.text(-5.45, j, "", ha="left", va="center", fontsize=8, color=c["blue"],
                                 fontweight="bold") for j, m in enumerate(names)}
        for j in range(n + 1):
            ax.plot([-5.5, len(HIP_ACTIONS) - 0.5], [j - 0.5, j - 0.5], color="#E6E6E6", lw=0.5, zorder=0)
        col = {a: i for i, a in enumerate(HIP_ACTIONS)}
        row = {m: j for j, m in enumerate(names)}
        prim = sorted(self.data.primary)
        other = sorted(self.data.other)
        ax.scatter([col[a] for _, a in prim], [row[m] for m, _ in prim], s=42, c=c["black"], zorder=3)
        ax.scatter([col[a] for _, a in other], [row[m] for m, _ in other], s=30, facecolors="none",
                   edgecolors=c["grey"], linewidths=1.2, zorder=3)
        self.fig.text(0.02, 0.008, "●  primary action     ○  secondary, fibre-specific, position-dependent or disputed",
                      fontsize=7.5, color=c["black"])

    def _known(self, names: Iterable[str], kind: str) -> list[str]:
        out = []
        for m in names:
            if m not in self.names:
                raise NameMatchError(f"{kind}: {m!r} is not a muscle in the finder; use canonical names "
                                     "(coursekit.anatomy.muscle_names()).")
            out.append(m)
        return out

    def update(self, actions: Iterable[str] | None = None, highlighted: Iterable[str] | None = None,
               picked: Iterable[str] | None = None) -> FinderView:
        """Highlight ``actions`` (columns), ``highlighted`` muscles and the student's ``picked`` muscles."""
        if actions is not None:
            bad = [a for a in actions if a not in HIP_ACTIONS]
            if bad:
                raise NameMatchError(f"Unknown hip action(s) {bad}; use: {', '.join(HIP_ACTIONS)}.")
            self.actions = [a for a in HIP_ACTIONS if a in set(actions)]
        if highlighted is not None:
            self.highlighted = self._known(highlighted, "highlighted")
        if picked is not None:
            self.picked = self._known(picked, "picked")
        for a, rect in self.columns.items():
            on = a in self.actions
            rect.set_visible(on)
            self.bold_heads[a].set_visible(on)
        hl, pk = set(self.highlighted), set(self.picked)
        for m, rect in self.rows.items():
            rect.set_visible(m in hl)
            self.bold_names[m].set_visible(m in hl)
            self.picks[m].set_text("your pick ▸" if m in pk else "")
        set_alt_text(self.fig, self.alt_text())
        return self

    def dynamic_artists(self) -> list:
        """Artists that change on update (for blitting), with the dots drawn over the row shading."""
        return [*self.rows.values(), *self.columns.values(), *self.bold_names.values(),
                *self.bold_heads.values(), *self.picks.values(), *self.ax.collections]

    @property
    def shown(self) -> dict[str, list[str]]:
        """What is highlighted now (for tests): actions, muscles (bold) and picks."""
        return {"actions": [a for a in HIP_ACTIONS if self.columns[a].get_visible()],
                "muscles": [m for m, t in self.bold_names.items() if t.get_visible()],
                "picked": [m for m, t in self.picks.items() if t.get_text()]}

    def alt_text(self) -> str:
        acts = " and ".join(a.replace("_", " ") for a in self.actions) or "no action"
        found = ", ".join(self.highlighted) if self.highlighted else "none highlighted"
        picked = f" Your picks: {', '.join(self.picked)}." if self.picked else ""
        return (f"Matrix of {len(self.names)} hip muscles (rows) against six hip actions (columns); dots mark "
                f"each muscle's actions. Chosen: {acts}. Muscles highlighted: {found}.{picked}")


def finder_figure(actions: Sequence[str] = (), highlighted: Sequence[str] | None = None) -> Figure:
    """A finished finder figure; by default highlights ``anatomy.muscles_with(hip=actions)``."""
    if highlighted is None:
        from coursekit import anatomy

        highlighted = anatomy.muscles_with(hip=list(actions)) if actions else []
    return FinderView(actions=actions, highlighted=highlighted).fig
