"""Exercise 4, muscle–action finder: choose hip actions, see (or name) the muscles that perform them."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

import ipywidgets as widgets

from coursekit import anatomy
from coursekit.diagrams.finder import HIP_ACTIONS, FinderView
from coursekit.errors import ModelInputError
from coursekit.widgets._base import Exercise, flipbook

__all__ = ["ActionFinder", "OPPOSITES"]

OPPOSITES = (("flexion", "extension"), ("abduction", "adduction"), ("external_rotation", "internal_rotation"))
_FRAMES = [("extension",), ("flexion",), ("abduction",), ("adduction",), ("external_rotation",),
           ("internal_rotation",), ("extension", "external_rotation"), ("extension", "internal_rotation"),
           ("extension", "adduction")]


def _words(actions: Iterable[str]) -> str:
    return " + ".join(a.replace("_", " ") for a in actions) or "nothing"


class ActionFinder(Exercise):
    """Muscle–action finder with a quiz mode.

    Controls: one toggle per hip action (``flexion`` … ``internal_rotation``) and
    ``mode`` (``"Explore"`` or ``"Quiz"``); in quiz mode, one checkbox per muscle in
    ``pick_boxes`` and :meth:`check` (also the *Check my answer* button), which asks
    :func:`coursekit.checks.check_muscles`. Outputs: ``actions``, ``muscles`` (from
    :func:`coursekit.anatomy.muscles_with`), ``shown`` (highlighted now), ``picked``.

    >>> ex = ActionFinder()
    >>> ex.set(extension=True, external_rotation=True)
    True
    >>> ex.outputs["muscles"]
    ['gluteus maximus', 'biceps femoris (long head)']
    """

    title = "Muscle–action finder"
    intro = ("Choose one or more hip actions. Explore: the muscles that perform all of them light up. "
             "Quiz: tick the muscles yourself, then check your answer.")

    def __init__(self, actions: Iterable[str] = (), mode: str = "Explore") -> None:
        self._start = (tuple(actions), mode)
        self.result = None
        self._revealed = False
        self.feedback = widgets.HTML()
        super().__init__()

    def _controls(self) -> dict[str, widgets.ValueWidget]:
        chosen, mode = self._start
        out: dict[str, widgets.ValueWidget] = {
            a: widgets.ToggleButton(value=a in chosen, description=a.replace("_", " "),
                                    tooltip=f"Hip {a.replace('_', ' ')}", layout=widgets.Layout(width="auto"))
            for a in HIP_ACTIONS}
        out["mode"] = widgets.ToggleButtons(options=["Explore", "Quiz"], value=mode, description="Mode",
                                            tooltips=["Show the muscles", "Pick the muscles yourself"])
        return out

    def _view(self) -> FinderView:
        view = FinderView()
        self.pick_boxes = {m: widgets.Checkbox(value=False, description=m, indent=False,
                                               layout=widgets.Layout(width="auto"))
                           for m in view.data.muscles}
        for box in self.pick_boxes.values():
            box.observe(self._changed, names="value")
        return view

    def _layout(self) -> list[widgets.Widget]:
        head, _, message, image, readout = super()._layout()
        toggles = widgets.HBox([self.controls[a] for a in HIP_ACTIONS], layout=widgets.Layout(flex_flow="row wrap"))
        self.check_button = widgets.Button(description="Check my answer", button_style="primary",
                                           tooltip="Compare your ticked muscles with the answer")
        self.check_button.on_click(lambda _b: self.check())
        grid = widgets.GridBox(list(self.pick_boxes.values()),
                               layout=widgets.Layout(grid_template_columns="repeat(3, 1fr)"))
        self.quiz_box = widgets.VBox([widgets.HTML("<b>Your answer</b>: tick every muscle that performs all "
                                                   "the chosen actions."), grid, self.check_button, self.feedback])
        return [head, widgets.HTML("<b>Hip actions</b>"), toggles, self.controls["mode"], message,
                self.quiz_box, image, readout]

    @property
    def values(self) -> dict[str, Any]:
        out = super().values
        out["picked"] = [m for m, box in getattr(self, "pick_boxes", {}).items() if box.value]
        return out

    def compute(self, values: Mapping[str, Any]) -> dict[str, Any]:
        actions = [a for a in HIP_ACTIONS if values[a]]
        for a, b in OPPOSITES:
            if a in actions and b in actions:
                raise ModelInputError("actions", _words(actions),
                                      f"{a.replace('_', ' ')} and {b.replace('_', ' ')} are opposite movements; "
                                      "no muscle does both at once in this table. Choose one of them.")
        muscles = anatomy.muscles_with(hip=actions) if actions else []
        quiz = values["mode"] == "Quiz"
        if self._revealed and (not quiz or actions != self.outputs.get("actions")):
            self._revealed = False
        shown = muscles if (not quiz or self._revealed) else []
        return {"actions": actions, "muscles": muscles, "shown": shown, "mode": values["mode"],
                "picked": list(values["picked"]) if quiz else []}

    def show(self, outputs: dict[str, Any]) -> str:
        quiz = outputs["mode"] == "Quiz"
        self.quiz_box.layout.display = "" if quiz else "none"
        self.view.update(actions=outputs["actions"], highlighted=outputs["shown"], picked=outputs["picked"])
        if not outputs["actions"]:
            return "<p>Choose at least one hip action above.</p>"
        if quiz and not self._revealed:
            return (f"<p><b>Quiz:</b> which muscles perform <b>{html.escape(_words(outputs['actions']))}</b>? "
                    "Tick them, then press <i>Check my answer</i>.</p>")
        names = ", ".join(outputs["shown"]) or "none in the course data (primary actions)"
        return (f"<p>Muscles whose primary hip actions include <b>{html.escape(_words(outputs['actions']))}</b>: "
                f"{html.escape(names)}.</p><p>Rings in the table mark secondary, fibre-specific, position-"
                "dependent or disputed actions; they are not counted here.</p>")

    def set(self, **values: Any) -> bool:
        """Set controls; ``picked=[...]`` ticks exactly those muscles (quiz mode)."""
        picked = values.pop("picked", None)
        if picked is not None:
            unknown = [m for m in picked if m not in self.pick_boxes]
            if unknown:
                self._refuse(f"{', '.join(map(repr, unknown))} is not in the list; tick muscles by their "
                             "course names (coursekit.anatomy.muscle_names())")
                return False
            with self._hold():
                for m, box in self.pick_boxes.items():
                    box.value = m in picked
        return super().set(**values)

    def check(self):  # noqa: ANN201 - returns coursekit.checks.Result or None
        """Check the ticked muscles against the chosen actions; shows and returns the Result."""
        actions = self.outputs.get("actions", [])
        if not actions:
            self._refuse("choose at least one hip action before checking an answer")
            return None
        from coursekit.checks import check_muscles

        result = check_muscles(self.outputs["picked"], self.outputs["muscles"])
        self.result = result
        self.feedback.value = result.to_html()
        if result.score >= 1.0:
            self._revealed = True
            self.refresh()
        return result

    def kernel_free(self) -> widgets.VBox:
        view = FinderView()           # one figure, redrawn in place for each frame
        frames = [(_words(acts), lambda acts=acts: view.update(actions=list(acts),
                                                              highlighted=anatomy.muscles_with(hip=list(acts))))
                  for acts in _FRAMES]
        return flipbook("Hip action(s)", frames, choose="menu",
                        note="Works without Python: choose actions from the menu to see which muscles "
                             "perform them. Run the page live for your own combinations and the quiz.")
