"""What every exercise shares: labelled controls, a model, a view updated in place, refusals.

An :class:`Exercise` keeps its controls in ``controls`` (ipywidgets, each with a
description, operable by keyboard), runs its model on every change, redraws its view in
place through a :class:`~coursekit.widgets._render.Renderer`, and writes a readout.
A setting the model refuses (a :class:`coursekit.errors.CourseKitError`) is shown as a
message in the widget (``role="alert"``), the controls go back to the last accepted
setting, and the figure keeps showing it: the student never sees a traceback.

``kernel_free()`` returns a small widget that works on a static page without Python: a
slider linked in the browser (``jslink``) to a stack of precomputed pictures.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import ipywidgets as widgets
from matplotlib.figure import Figure

from coursekit.errors import CourseKitError
from coursekit.widgets._render import Renderer, figure_html

__all__ = ["Exercise", "flipbook", "slider", "KERNEL_FREE_NOTE"]

KERNEL_FREE_NOTE = ("Works without Python: move the slider (or use the arrow keys) to flip through "
                    "precomputed pictures. Run the page live for the full exercise.")
_STYLE = {"description_width": "16em"}
#: resolution of live widget images (a little below the book's 110 dpi, for speed)
WIDGET_DPI = 100


def slider(description: str, value: float, lo: float, hi: float, step: float = 1.0, *,
           tooltip: str = "", fmt: str = ".0f") -> widgets.FloatSlider:
    """A labelled, keyboard-operable float slider (arrow keys step it)."""
    return widgets.FloatSlider(value=value, min=lo, max=hi, step=step, description=description,
                               tooltip=tooltip or description, readout_format=fmt, continuous_update=False,
                               style=_STYLE, layout=widgets.Layout(width="34em"))


def _alert(text: str) -> str:
    return ('<div class="coursekit-refusal" role="alert" style="border-left:4px solid #D55E00;'
            f'padding:4px 8px;background:#FFF4EC"><b>Not possible:</b> {html.escape(text)}</div>')


def flipbook(label: str, frames: Sequence[tuple[str, Callable[[], Any]]], *, dpi: float = 80,
             note: str = KERNEL_FREE_NOTE, choose: str = "slider") -> widgets.VBox:
    """Precomputed pictures behind a chooser linked in the browser (no kernel needed).

    Each frame is ``(name, make)``: ``make()`` returns a finished ``Figure``, or a view of
    :mod:`coursekit.diagrams` (an object with ``fig`` and ``dynamic_artists``) that it has
    just updated. Frames returning the same view are drawn in place, one after another,
    as the live widget redraws (the layout of the first frame kept, only the moving
    artists drawn again): several times faster than laying out a fresh figure per frame.
    ``choose="slider"`` (an ordered series, short labels) or ``"menu"`` (named settings).
    """
    images = _frame_images([make for _, make in frames], dpi)
    stack = widgets.Stack(images, selected_index=0)
    names = [name for name, _ in frames]
    layout = widgets.Layout(width="95%", max_width="36em")
    if choose == "menu":
        chooser = widgets.Dropdown(options=names, index=0, description=label, style=_STYLE, layout=layout)
    else:
        chooser = widgets.SelectionSlider(options=names, index=0, description=label, continuous_update=True,
                                          style=_STYLE, layout=layout)
    link = widgets.jslink((chooser, "index"), (stack, "selected_index"))
    box = widgets.VBox([widgets.HTML(f"<p><em>{html.escape(note)}</em></p>"), chooser, stack],
                       layout=widgets.Layout(border="1px solid #ddd", padding="6px"))
    box.link = link   # kept with the box: the browser-side link is part of the saved widget state
    return box


def _frame_images(makers: Sequence[Callable[[], Any]], dpi: float) -> list[widgets.HTML]:
    """One ``<img alt>`` widget per frame; a view made again is redrawn by its own renderer."""
    renderers: dict[int, Renderer] = {}
    images = []
    for make in makers:
        made = make()
        image = widgets.HTML()
        if isinstance(made, Figure):
            image.value = figure_html(made, dpi=dpi)
        else:
            renderer = renderers.get(id(made))
            if renderer is None:
                renderer = renderers[id(made)] = Renderer(made.fig, getattr(made, "dynamic_artists", None),
                                                          image, dpi=dpi)
            renderer.target = image
            renderer.render()
        images.append(image)
    return images


class Exercise:
    """Base class: subclasses define ``title``, ``_controls()``, ``_view()``, ``compute()``, ``show()``."""

    title = "Exercise"
    intro = ""

    def __init__(self) -> None:
        self.controls: dict[str, widgets.ValueWidget] = self._controls()
        self.view = self._view()
        self.image = widgets.HTML(layout=widgets.Layout(min_height="200px"))
        self.renderer = Renderer(self.view.fig, getattr(self.view, "dynamic_artists", None), self.image, dpi=WIDGET_DPI)
        self.readout = widgets.HTML()
        self.message = widgets.HTML()
        self.outputs: dict[str, Any] = {}
        self.refusal = ""
        self._accepted: dict[str, Any] = {}
        self._holding = False
        for control in self.controls.values():
            control.observe(self._changed, names="value")
        self.widget = widgets.VBox(self._layout(), layout=widgets.Layout(max_width="960px"))
        self.refresh()

    # -- subclass hooks ------------------------------------------------------------------
    def _controls(self) -> dict[str, widgets.ValueWidget]:
        raise NotImplementedError

    def _view(self) -> Any:
        raise NotImplementedError

    def compute(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Run the model; raise a CourseKitError to refuse the setting."""
        raise NotImplementedError

    def show(self, outputs: dict[str, Any]) -> str:
        """Update the view in place for ``outputs`` (may add measured values); return the readout HTML."""
        raise NotImplementedError

    def _layout(self) -> list[widgets.Widget]:
        head = f"<h4 style='margin:4px 0'>{html.escape(self.title)}</h4>"
        if self.intro:
            head += f"<p style='margin:2px 0'>{html.escape(self.intro)}</p>"
        return [widgets.HTML(head), widgets.VBox(list(self.controls.values())), self.message,
                self.image, self.readout]

    # -- behaviour ---------------------------------------------------------------------
    @property
    def values(self) -> dict[str, Any]:
        """The current control values, by control name."""
        return {name: c.value for name, c in self.controls.items()}

    def _changed(self, _change: Mapping[str, Any]) -> None:
        if not self._holding:
            self.refresh()

    @contextmanager
    def _hold(self) -> Iterator[None]:
        self._holding, before = True, self._holding
        try:
            yield
        finally:
            self._holding = before

    def refresh(self) -> bool:
        """Recompute, redraw in place and update the readout; False when the setting was refused."""
        values = self.values
        try:
            outputs = self.compute(values)
            readout = self.show(outputs)
        except CourseKitError as err:
            self._refuse(str(err))
            return False
        self.outputs, self._accepted, self.refusal = outputs, values, ""
        self.message.value = ""
        self.renderer.render()
        self.readout.value = readout
        return True

    def _refuse(self, text: str) -> None:
        self.refusal = text
        self.message.value = _alert(text)
        if self._accepted:
            with self._hold():
                for name, value in self._accepted.items():
                    if name in self.controls:
                        self.controls[name].value = value

    def set(self, **values: Any) -> bool:
        """Set controls as a student would (one redraw at the end); False when refused."""
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            self._refuse(f"no control called {', '.join(unknown)}; the controls are {', '.join(self.controls)}")
            return False
        for name, value in values.items():
            problem = self._out_of_range(name, value)
            if problem:
                self._refuse(problem)
                return False
        with self._hold():
            for name, value in values.items():
                self.controls[name].value = value
        return self.refresh()

    def _out_of_range(self, name: str, value: Any) -> str:
        c = self.controls[name]
        options = getattr(c, "options", None)
        if options is not None:
            labels = [o[0] if isinstance(o, tuple) else o for o in options]
            if value in labels:
                return ""
            return f"{c.description} = {value!r}: choose one of {', '.join(map(str, labels))}"
        if isinstance(c, widgets.ToggleButton):
            return "" if isinstance(value, bool) else f"{c.description} = {value!r}: use True (on) or False (off)"
        lo, hi = getattr(c, "min", None), getattr(c, "max", None)
        if lo is None or hi is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
            return f"{c.description} = {value!r}: choose a value from {lo:g} to {hi:g}"
        return ""

    def kernel_free(self) -> widgets.VBox:
        """A version that works on a static page (precomputed frames, linked in the browser)."""
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
