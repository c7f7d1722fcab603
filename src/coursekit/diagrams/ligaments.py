"""The hip ligaments side by side: how big each is and which movements make it taut.

Bars show the mean cross-sectional area of each ligament from ``ligaments.csv``
(one cadaver study; the capsule itself has no single area and is left out); the text
beside each bar lists the movements that wind it tight, from the same file.

>>> fig = ligament_figure()
>>> from coursekit.diagrams.style import alt_text
>>> "iliofemoral ligament 53.5" in alt_text(fig)
True
"""

from __future__ import annotations

from matplotlib.figure import Figure

from coursekit import clinical
from coursekit.diagrams.style import PALETTE, new_figure, set_alt_text

__all__ = ["ligament_figure", "measured_ligaments"]


def measured_ligaments() -> list[clinical.Ligament]:
    """The ligaments with a measured cross-section, largest first."""
    found = [lig for lig in clinical.ligaments() if lig.cross_section_mm2 is not None]
    return sorted(found, key=lambda lig: -(lig.cross_section_mm2 or 0.0))


def ligament_figure() -> Figure:
    """Horizontal bars of ligament cross-section (mm²) labelled with what tightens each."""
    ligs = measured_ligaments()
    fig = new_figure(7.6, 3.2)
    ax = fig.subplots()
    names = [lig.name for lig in ligs]
    areas = [lig.cross_section_mm2 or 0.0 for lig in ligs]
    colours = [PALETTE["blue"] if i == 0 else PALETTE["sky"] for i in range(len(ligs))]
    ax.barh(names, areas, color=colours, edgecolor=PALETTE["black"], height=0.55)
    ax.invert_yaxis()
    for y, lig in enumerate(ligs):
        taut = ", ".join(a.label for a in lig.taut_in)
        ax.text((lig.cross_section_mm2 or 0.0) + 1.5, y, f"{lig.cross_section_mm2:g} mm²; taut in {taut}",
                va="center", fontsize=9)
    ax.set_xlim(0, max(areas) * 2.1)
    ax.set_xlabel("mean cross-sectional area (mm²), cadaver hips")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title("The hip ligaments: size and what makes each taut", fontsize=10)
    parts = "; ".join(f"{lig.name} {lig.cross_section_mm2:g} square millimetres, taut in "
                      f"{', '.join(a.label for a in lig.taut_in)}" for lig in ligs)
    ratio = areas[0] / max(areas[1:]) if len(areas) > 1 else 1.0
    common = [a.label for a in clinical.Action if all(a in lig.taut_in for lig in ligs)]
    summary = f" The {names[0]} is {ratio:.1f} times the size of the next largest"
    summary += f", and all {len(ligs)} are taut in {' and '.join(common)}." if common else "."
    set_alt_text(fig, "Horizontal bar chart of the mean cross-sectional area of the hip ligaments in cadaver hips, "
                      f"largest first: {parts}.{summary}")
    return fig
