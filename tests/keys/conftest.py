"""Shared fixtures of the key-boundary tests: the built wheel, a trial release, a student's venv.

``wheel`` is built once per session from this checkout (``uv build``). ``trial_release``
releases ps1-ps3 with nbgrader into a temporary copy of the course (what students
receive). ``student_python`` is a fresh virtual environment with only that wheel
installed (``uv venv`` + ``uv pip install``, pinned to ``uv.lock`` through ``uv export``,
from uv's cache when it can), the way ``make lab`` and a hub image install coursekit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coursekit import audit

REPO = Path(__file__).resolve().parents[2]
COURSE = REPO / "assignments"


def uv() -> str:
    found = audit._uv()
    if found is None:
        pytest.skip("uv is not installed (make setup installs it)")
    return found


def clean_env() -> dict[str, str]:
    """The environment of a student's process: no bank path, no grader mode, no venv of ours."""
    drop = {"COURSEKIT_BANK_PATH", "COURSEKIT_MODE", "VIRTUAL_ENV", "PYTHONPATH", "UV_PROJECT_ENVIRONMENT"}
    return {k: v for k, v in os.environ.items() if k not in drop}


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    uv()
    return audit.build_wheel(REPO, tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def trial_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return audit.build_release(COURSE, tmp_path_factory.mktemp("release"))


def _run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, env=clean_env(), **kwargs)  # type: ignore[call-overload]


@pytest.fixture(scope="session")
def student_python(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a fresh venv holding only the wheel and its locked dependencies."""
    root = tmp_path_factory.mktemp("student-venv")
    venv = root / "venv"
    done = _run([uv(), "venv", "--python", str(Path(sys.executable).resolve()), str(venv)])
    assert done.returncode == 0, done.stderr
    pins = root / "constraints.txt"
    done = _run([uv(), "export", "--frozen", "--no-dev", "--no-hashes", "--no-emit-project",
                 "--no-header", "-o", str(pins)], cwd=REPO)
    assert done.returncode == 0, done.stderr
    python = venv / "bin" / "python"
    install = [uv(), "pip", "install", "--python", str(python), "-c", str(pins), str(wheel)]
    done = _run([*install, "--offline"])
    if done.returncode != 0:  # not everything in uv's cache yet: fetch from the index
        done = _run(install)
    assert done.returncode == 0, done.stderr[-2000:]
    return python


def site_packages(python: Path) -> Path:
    out = subprocess.run([str(python), "-c", "import coursekit, pathlib; print(pathlib.Path(coursekit.__file__).parent)"],
                         capture_output=True, text=True, env=clean_env(), check=True)
    return Path(out.stdout.strip())


@pytest.fixture(scope="session")
def student_folder(trial_release: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A student's folder holding the released assignments, as ``make lab`` makes it."""
    folder = tmp_path_factory.mktemp("student")
    for ps in sorted(p for p in trial_release.iterdir() if p.is_dir()):
        shutil.copytree(ps, folder / ps.name)
    return folder
