"""``make lab`` runs the student's JupyterLab from an environment built from the wheel."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from .conftest import REPO


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_lab_builds_a_wheel_venv_and_runs_its_jupyter_in_the_student_folder():
    done = subprocess.run(["make", "-n", "lab", "LAB_DIR=student"], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    recipe = done.stdout
    assert "uv build --wheel --out-dir _build/dist" in recipe
    assert "uv export --frozen --no-dev" in recipe
    assert "uv pip install --python _build/student-venv/bin/python" in recipe and "coursekit-*.whl" in recipe
    lab = next(line for line in recipe.splitlines() if "jupyter lab" in line or line.startswith("cd student"))
    assert lab.startswith("cd student && env -u COURSEKIT_BANK_PATH -u COURSEKIT_MODE")
    assert "/_build/student-venv/bin/jupyter lab" in recipe
    assert "--ServerApp.root_dir=." in recipe
    assert recipe.index("uv pip install") < recipe.index("coursekit assignments release") < recipe.index("jupyter lab")
