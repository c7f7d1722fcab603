"""Exercise 2, hip-flexor length: how much the pelvis must tip (and the back arch) to reach a position."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from coursekit.diagrams.pelvis import FlexorView
from coursekit.model import flexor_stretch_cm, hip_flexor_length
from coursekit.widgets._base import KERNEL_FREE_NOTE, Exercise, flipbook, slider

__all__ = ["FlexorLength"]


class FlexorLength(Exercise):
    """Hip flexor length (the logic of the Thomas test).

    Controls: ``wanted`` (thigh extension sought, degrees behind the vertical) and
    ``available`` (hip extension the flexors allow, degrees). Outputs are the fields
    of :class:`coursekit.model.FlexorResult` plus ``stretch_cm``.

    >>> ex = FlexorLength()
    >>> ex.set(wanted=20, available=5)
    True
    >>> ex.outputs["compensatory_tilt_deg"], ex.outputs["extra_lumbar_extension_deg"]
    (15.0, 11.25)
    """

    title = "Hip flexor length: the Thomas test logic"
    intro = ("Choose how far back the thigh should go and how much hip extension the hip flexors allow. "
             "Whatever the hip cannot give, the pelvis and low back must.")

    def __init__(self, wanted: float = 15.0, available: float = 15.0) -> None:
        self._start = (wanted, available)
        super().__init__()

    def _controls(self) -> dict[str, widgets.ValueWidget]:
        wanted, available = self._start
        return {
            "wanted": slider("Thigh extension wanted (°)", wanted, 0, 40,
                             tooltip="How far behind the vertical the thigh should go, in degrees"),
            "available": slider("Extension the flexors allow (°)", available, -20, 40,
                                tooltip="Hip extension (against the pelvis) the hip flexors allow; "
                                        "smaller = shorter flexors"),
        }

    def _view(self) -> FlexorView:
        return FlexorView(wanted=self._start[0], available=self._start[1])

    def compute(self, values: Mapping[str, Any]) -> dict[str, Any]:
        res = hip_flexor_length(float(values["wanted"]), float(values["available"]))
        return {"wanted_deg": res.wanted_deg, "available_deg": res.available_deg,
                "hip_extension_deg": res.hip_extension_deg, "compensatory_tilt_deg": res.compensatory_tilt_deg,
                "extra_lumbar_extension_deg": res.extra_lumbar_extension_deg,
                "thomas_thigh_lift_deg": res.thomas_thigh_lift_deg, "thomas_positive": res.thomas_positive,
                "stretch_cm": round(flexor_stretch_cm(max(res.hip_extension_deg, 0.0)), 3),
                "summary": res.summary()}

    def show(self, outputs: dict[str, Any]) -> str:
        self.view.update_flexors(outputs["wanted_deg"], outputs["available_deg"])
        lift = outputs["thomas_thigh_lift_deg"]
        thomas = (f"Thomas test: with the other knee pulled in, the pelvis is held, so the thigh would stay "
                  f"{lift:.0f}° above the table (a positive test: the hip flexors are short)." if lift > 0 else
                  "Thomas test: with the other knee pulled in, the thigh can lie flat on the table (negative test).")
        stretch = (f"Extending the hip {outputs['hip_extension_deg']:g}° lengthens the flexors by about "
                   f"{outputs['stretch_cm']:.1f} cm (moment arm 2 cm × angle in radians; a course estimate)."
                   if outputs["stretch_cm"] > 0 else "The hip does not extend past neutral, so the flexors are "
                   "not lengthened beyond their standing length.")
        items = [outputs["summary"], thomas, stretch,
                 "Caveat: in standing, short hip flexors are only weakly linked to anterior tilt (JOSPT 1990)."]
        return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"

    def kernel_free(self) -> widgets.VBox:
        """Thigh 20° back, with flexors that allow from 25° down to −10° of extension."""
        view = FlexorView()           # one figure, redrawn in place for each frame
        frames = [(f"{a}°", lambda a=a: view.update_flexors(20, a)) for a in range(25, -11, -5)]
        return flipbook("Extension the flexors allow", frames,
                        note=KERNEL_FREE_NOTE + " The thigh is taken 20° back in every picture.")
