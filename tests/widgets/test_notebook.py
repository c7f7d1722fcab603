"""A notebook with all four exercises executes headless and saves widget state with alt-text images."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).parent / "notebooks" / "widgets_demo.ipynb"
VIEW = "application/vnd.jupyter.widget-view+json"
STATE = "application/vnd.jupyter.widget-state+json"


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(tmp_path_factory.mktemp("nb"))}}).execute()
    return nb


def _text(cell) -> str:
    return "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)


def test_the_widget_notebook_runs_without_errors(executed):
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    streams = [o.text for c in executed.cells if c.cell_type == "code" for o in c.outputs
               if o.output_type == "stream" and o.name == "stderr"]
    assert streams == []


def test_each_exercise_displays_as_a_widget_view(executed):
    views = [c for c in executed.cells if c.cell_type == "code" and any(VIEW in o.get("data", {}) for o in c.outputs)]
    sources = [c.source for c in views]
    names = [s.splitlines()[0].split(" = ")[0] for s in sources if " = " in s]
    assert names == ["tilt", "flexors", "rotation", "finder"]
    assert any("kernel_free" in s for s in sources)


def test_model_outputs_and_refusals_reach_the_notebook(executed):
    by_source = {c.source: _text(c) for c in executed.cells if c.cell_type == "code"}
    assert by_source["tilt.set(tilt=15, hip=-10), tilt.outputs['lordosis_deg']"] == "(True, 51.25)"
    assert by_source["flexors.outputs['compensatory_tilt_deg']"] == "15.0"
    assert "0° to 90°" in by_source["rotation.set(hip_flexion=100), rotation.refusal"]
    assert "biceps femoris (long head)" in by_source["finder.outputs['muscles']"]


def test_saved_widget_state_holds_every_image_with_alt_text(executed):
    state = executed.metadata["widgets"][STATE]["state"]
    html_values = [m["state"].get("value", "") for m in state.values() if m["model_name"] == "HTMLModel"]
    images = [v for v in html_values if "<img" in v]
    assert len(images) >= 4 + 11                    # four live figures + the kernel-free frames
    assert all('alt="' in v and 'alt=""' not in v for v in images)
    models = {m["model_name"] for m in state.values()}
    assert {"FloatSliderModel", "ToggleButtonModel", "SelectionSliderModel", "StackModel", "LinkModel"} <= models
    assert len(json.dumps(executed.metadata["widgets"])) < 8_000_000
