"""Exercise 1, pelvic tilt explorer: tilt and hip angle → pelvis, ASIS–PSIS angle, lumbar curve."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from coursekit.diagrams.pelvis import PelvisView, hip_words, tilt_words
from coursekit.model import COUPLING, check_hip, hip_flexion, lumbar_lordosis, pelvic_tilt, thigh_from_vertical
from coursekit.widgets._base import Exercise, flipbook, slider

__all__ = ["TiltExplorer"]


def _row(name: str, value: str) -> str:
    return f"<tr><th style='text-align:left;padding-right:1em'>{name}</th><td>{value}</td></tr>"


class TiltExplorer(Exercise):
    """Pelvic tilt explorer.

    Controls: ``tilt`` (degrees, anterior positive) and ``hip`` (degrees, flexion
    positive). Outputs: ``tilt_deg``, ``hip_deg``, ``lordosis_deg``,
    ``thigh_from_vertical_deg`` and the angles measured back from the drawn landmarks
    (``measured_tilt_deg``, ``measured_hip_deg``).

    >>> ex = TiltExplorer()
    >>> ex.set(tilt=10, hip=-10)
    True
    >>> ex.outputs["lordosis_deg"], ex.outputs["thigh_from_vertical_deg"]
    (47.5, -20.0)
    """

    title = "Pelvic tilt explorer"
    intro = ("Tip the pelvis forward (anterior tilt) or back (posterior tilt) and move the hip. "
             "Watch the ASIS–PSIS line, its angle, and the lumbar curve.")

    def __init__(self, tilt: float = 0.0, hip: float = 0.0) -> None:
        self._start = (tilt, hip)
        self._previous: dict[str, Any] | None = None
        super().__init__()

    def _controls(self) -> dict[str, widgets.ValueWidget]:
        tilt, hip = self._start
        return {
            "tilt": slider("Pelvic tilt (°, + anterior)", tilt, -20, 30,
                           tooltip="Pelvic tilt in degrees: positive = anterior (forward), negative = posterior"),
            "hip": slider("Hip angle (°, + flexion)", hip, -45, 125,
                          tooltip="Hip angle against the pelvis: positive = flexion, negative = extension"),
        }

    def _view(self) -> PelvisView:
        return PelvisView(tilt=self._start[0], hip=self._start[1])

    def compute(self, values: Mapping[str, Any]) -> dict[str, Any]:
        tilt, hip = float(values["tilt"]), check_hip(float(values["hip"]))
        return {"tilt_deg": tilt, "hip_deg": hip, "lordosis_deg": lumbar_lordosis(tilt),
                "thigh_from_vertical_deg": thigh_from_vertical(hip, tilt)}

    def show(self, outputs: dict[str, Any]) -> str:
        view: PelvisView = self.view
        view.update(tilt=outputs["tilt_deg"], hip=outputs["hip_deg"])
        # measure the drawing back with the model: the figure and the numbers must agree
        measured_tilt = pelvic_tilt(view.landmark("ASIS"), view.landmark("PSIS"))
        measured_hip = hip_flexion(_trunk_point(view), (0.0, 0.0), view.landmark("knee"))
        outputs.update(measured_tilt_deg=round(measured_tilt, 6), measured_hip_deg=round(measured_hip, 6))
        text = self._explain(outputs, self._previous)
        self._previous = outputs
        return text

    @staticmethod
    def _explain(now: Mapping[str, Any], before: Mapping[str, Any] | None) -> str:
        tilt, hip, thigh = now["tilt_deg"], now["hip_deg"], now["thigh_from_vertical_deg"]
        rows = "".join([
            _row("Pelvic tilt (ASIS–PSIS line)", tilt_words(tilt)),
            _row("Lumbar lordosis (teaching model)", f"≈ {now['lordosis_deg']:.0f}° "
                 f"(coupling {COUPLING.value:g} ± {COUPLING.uncertainty:g} °/°)"),
            _row("Hip angle (against the pelvis)", hip_words(hip)),
            _row("Thigh against the vertical", f"{abs(thigh):.0f}° {'behind' if thigh < 0 else 'in front'}"
                 if round(thigh) else "vertical"),
        ])
        changed = []
        if before is not None and before["tilt_deg"] != tilt:
            d = tilt - before["tilt_deg"]
            changed.append(f"The pelvis tipped {'forward' if d > 0 else 'back'} {abs(d):.0f}°, so the lumbar curve "
                           f"{'deepened' if d > 0 else 'flattened'} by about {abs(d) * COUPLING.value:.0f}°: "
                           "a tendency measured by Day et al. 1984, not a law.")
        if before is not None and before["hip_deg"] != hip:
            d = hip - before["hip_deg"]
            changed.append(f"The hip moved {abs(d):.0f}° toward {'flexion' if d > 0 else 'extension'}.")
        changed.append(TiltExplorer._backbend(tilt, hip, thigh))
        items = "".join(f"<li>{html.escape(c)}</li>" for c in changed)
        return f"<table>{rows}</table><ul>{items}</ul>"

    @staticmethod
    def _backbend(tilt: float, hip: float, thigh: float) -> str:
        if thigh < 0 and tilt > 0:
            return (f"In a backbend: the thigh is {-thigh:.0f}° behind the vertical, but only "
                    f"{max(0.0, -hip):.0f}° of that is hip extension; the rest is the pelvis tipping forward, "
                    "which arches the low back. Short hip flexors push the body into this pattern.")
        if thigh < 0:
            return ("In a backbend: the thigh goes back by true hip extension while the pelvis stays level "
                    "or tips back, so the stretch is at the front of the hip, not in the low back.")
        if tilt > 0:
            return ("Anterior tilt deepens the lumbar curve; in a backbend, tipping the pelvis back "
                    "(posterior tilt) keeps the movement at the hip.")
        return "Move the hip toward extension (negative angles) to see what a backbend asks of the hip."

    def kernel_free(self) -> widgets.VBox:
        """Standing (thigh vertical) with the pelvis tilted from 20° posterior to 30° anterior."""
        view = PelvisView()           # one figure, redrawn in place for each frame
        frames = [(f"{t:+d}°" if t else "0°", lambda t=t: view.update(tilt=t, hip=t)) for t in range(-20, 31, 5)]
        return flipbook("Pelvic tilt (°, + anterior)", frames)


def _trunk_point(view: PelvisView) -> tuple[float, float]:
    """A point on the pelvis line above the hip, as drawn."""
    x, y = view.pelvis_line.get_data()
    return float(x[0]), float(y[0])
