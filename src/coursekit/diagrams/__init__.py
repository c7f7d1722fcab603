"""Figures drawn from the course data and models.

Every diagram function returns a :class:`matplotlib.figure.Figure` built without
pyplot (no global state, no automatic display), draws the same picture for the
same inputs, labels what it shows, uses the colour-blind-safe palette in
:mod:`coursekit.diagrams.style`, and carries alt text (:func:`style.alt_text`).
"""

from __future__ import annotations

from coursekit.diagrams.style import PALETTE, alt_text, set_alt_text, show

__all__ = ["PALETTE", "alt_text", "set_alt_text", "show"]
