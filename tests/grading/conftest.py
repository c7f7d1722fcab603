from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .factory import release_course


@pytest.fixture(scope="session")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real ps1, released once per session (copy it before grading)."""
    return release_course(tmp_path_factory.mktemp("released") / "course")


@pytest.fixture
def course(released: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "course"
    shutil.copytree(released, dest)
    return dest
