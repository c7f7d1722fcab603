"""Exercise 3, rotation balance: strong hip extension with the knee pointing forward."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from coursekit.diagrams.rotation import RotationView
from coursekit.errors import ModelInputError
from coursekit.model import ACTOR_IDS, actors, balance
from coursekit.widgets._base import Exercise, flipbook, slider

__all__ = ["RotationBalance", "PRESETS"]

#: settings shown on a static page (name → activations)
PRESETS: dict[str, dict[str, float]] = {
    "gluteus maximus alone": {"gluteus_maximus": 1.0},
    "hamstrings alone": {"biceps_femoris": 1.0, "medial_hamstrings": 1.0},
    "glutes + adductor magnus": {"gluteus_maximus": 1.0, "adductor_magnus": 1.0},
    "glutes + medial hamstrings + adductor": {"gluteus_maximus": 0.8, "medial_hamstrings": 1.0, "adductor_magnus": 1.0},
    "balanced (task met)": {"gluteus_maximus": 0.5, "medial_hamstrings": 1.0, "adductor_magnus": 1.0,
                            "internal_rotators": 0.8, "biceps_femoris": 0.2},
}


_LABELS = {"gluteus_maximus": "Gluteus maximus", "biceps_femoris": "Biceps femoris (long head)",
           "medial_hamstrings": "Medial hamstrings", "adductor_magnus": "Adductor magnus (hamstring)",
           "internal_rotators": "Internal rotators (TFL, ant. glutes)"}


class RotationBalance(Exercise):
    """Rotation balance.

    Controls: one activation slider (0–1) per actor in ``coursekit.model.ACTOR_IDS`` and
    ``hip_flexion`` (degrees). Outputs: ``net_extension``, ``net_rotation`` (N·m,
    external positive), ``net_rotation_uncertainty``, ``thigh_rotation_deg``,
    ``knee_direction``, ``foot_edge``, ``inner_edge_share``, ``task_met``.

    >>> ex = RotationBalance()
    >>> ex.set(gluteus_maximus=1.0)
    True
    >>> ex.outputs["knee_direction"], ex.outputs["foot_edge"]
    ('out', 'outer')
    """

    title = "Rotation balance: extend strongly, keep the knee forward"
    intro = ("Set how hard each muscle works (0 = off, 1 = maximal). Task: at least 120 N·m of hip extension "
             "with the knee pointing forward (net rotation within ±5 N·m).")

    def __init__(self, hip_flexion: float = 0.0, **activations: float) -> None:
        self._start = (hip_flexion, activations)
        super().__init__()

    def _controls(self) -> dict[str, widgets.ValueWidget]:
        flexion, acts = self._start
        table = actors()
        out = {key: slider(_LABELS[key], acts.get(key, 0.0), 0, 1, 0.05,
                           tooltip=f"Activation of {table[key].label}, 0 (off) to 1 (maximal)", fmt=".2f")
               for key in ACTOR_IDS}
        out["hip_flexion"] = slider("Hip flexion (°)", flexion, 0, 120, 5,
                                    tooltip="Hip flexion angle; rotation moment arms change with flexion")
        return out

    def _view(self) -> RotationView:
        return RotationView()

    def compute(self, values: Mapping[str, Any]) -> dict[str, Any]:
        if values["hip_flexion"] > 90:
            raise ModelInputError("hip flexion", values["hip_flexion"],
                                  "the moment arms are tabulated only from 0° to 90° of hip flexion (as measured "
                                  "by Delp et al. 1999); choose 90° or less")
        res = balance({k: float(values[k]) for k in ACTOR_IDS}, float(values["hip_flexion"]))
        return {"result": res, "net_extension": res.net_extension, "net_rotation": res.net_rotation,
                "net_rotation_uncertainty": res.net_rotation_uncertainty,
                "thigh_rotation_deg": res.thigh_rotation_deg, "knee_direction": res.knee_direction,
                "foot_edge": res.foot_edge, "inner_edge_share": res.inner_edge_share, "task_met": res.task_met,
                "extension": dict(res.extension), "rotation": dict(res.rotation)}

    def show(self, outputs: dict[str, Any]) -> str:
        res = outputs["result"]
        self.view.update(res)
        colour = "#009E73" if res.task_met else "#000000"
        hint = "" if res.task_met else (
            "<li>Hint: gluteus maximus extends strongly but turns the thigh out; which extensors do not, "
            "and which muscles turn it in?</li>")
        return (f"<p style='color:{colour}'><b>{html.escape(res.verdict())}</b></p><ul>"
                f"<li>{html.escape(res.summary())}</li>{hint}"
                "<li>A toy model: moment arms and strengths are round course numbers "
                "(data/moment_arms.csv); only their directions follow the sources (Delp et al. 1999).</li></ul>")

    def kernel_free(self) -> widgets.VBox:
        view = RotationView()         # one figure, redrawn in place for each frame
        frames = [(name, lambda a=acts: view.update(balance(a, 0.0))) for name, acts in PRESETS.items()]
        return flipbook("Muscles working", frames, choose="menu",
                        note="Works without Python: choose a setting (menu, or the arrow keys) to see "
                             "precomputed pictures. Run the page live to set each muscle yourself.")
