"""The course's colours: Okabe & Ito (2008), a colour-blind-safe palette, by role.

Kept apart from :mod:`coursekit.diagrams.style` so that what draws without matplotlib
(the class report's SVG charts) uses the same colours without importing it.
"""

from __future__ import annotations

__all__ = ["PALETTE"]

PALETTE: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
    "bone": "#E8E2D0",
    "bone_edge": "#8C7B5A",
}
