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


_HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Grading tests run one after another on one xdist worker (``--dist loadgroup``).

    They check that no sandboxed worker process or cgroup is left over, which they can
    only tell apart from a concurrently running grading test's by running alone.
    """
    for item in items:
        if _HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.xdist_group("grading"))
