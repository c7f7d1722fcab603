"""coursekit: anatomy data, diagrams, models, widgets, answer checking and grading
for a course on hip extension, the hip rotators and pelvic tilt."""

from __future__ import annotations

__all__ = ["__version__"]
__version__ = "0.1.0"
