"""A generated source notebook against its golden file (``pytest --update-goldens`` rewrites it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursekit.assignments.notebook import build_notebook, notebook_text
from coursekit.assignments.spec import load_spec
from goldens import check_golden

SPECS = Path(__file__).resolve().parents[2] / "assignments" / "specs"


def test_generated_notebook_matches_its_golden_file(request: pytest.FixtureRequest) -> None:
    check_golden(request, "notebooks/ps1.ipynb", notebook_text(build_notebook(load_spec(SPECS / "ps1.md"))))
