"""Interactive exercises: a model, a view updated in place, and labelled keyboard-usable controls.

* :class:`TiltExplorer`: pelvic tilt and hip angle → ASIS–PSIS angle and lumbar curve;
* :class:`FlexorLength`: thigh extension wanted vs hip-flexor length (Thomas-test logic);
* :class:`RotationBalance`: muscle activations → extension/rotation moments, knee, foot;
* :class:`ActionFinder`: hip actions → the muscles that perform them, with a quiz mode.

In a notebook, the exercise object displays itself (live in JupyterLab; on the static
book page it renders from the saved widget state, controls visible but inert).
``exercise.kernel_free()`` is a version that does useful work on a static page
(precomputed pictures behind a slider or menu, linked in the browser)::

    from coursekit.widgets import TiltExplorer
    TiltExplorer(tilt=10, hip=-10)          # live exercise

    TiltExplorer().kernel_free()            # works without Python on the book page

Every exercise exposes ``controls`` (name → ipywidget), ``set(**values)`` (as a student
would; returns False and shows a message when refused), ``outputs`` (model outputs),
``refusal`` (the last refusal message, or ""), ``view`` (the diagram object, updated in
place) and ``image`` (an ``ipywidgets.HTML`` holding ``<img alt=...>``).
"""

from __future__ import annotations

from coursekit.widgets._base import Exercise, flipbook
from coursekit.widgets.finder import ActionFinder
from coursekit.widgets.flexors import FlexorLength
from coursekit.widgets.rotation import RotationBalance
from coursekit.widgets.tilt import TiltExplorer

__all__ = ["ActionFinder", "Exercise", "FlexorLength", "RotationBalance", "TiltExplorer", "flipbook"]
