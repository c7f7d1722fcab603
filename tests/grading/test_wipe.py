"""The clean-up between submissions empties /tmp but keeps what the sandbox mounted there."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from coursekit.grading.proc import mount_points, wipe


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_wipe_keeps_mounts_and_the_folders_holding_them_with_their_modes(tmp_path: Path):
    # As bwrap lays out a sandbox whose venv is in /tmp/ci/.venv: a private /tmp (1777), a
    # folder it made (755) and the read-only mount of the venv inside it.
    root = tmp_path / "tmp"
    venv = root / "ci" / ".venv" / "lib"
    venv.mkdir(parents=True)
    (venv / "timing.py").write_text("x = 1\n")
    os.chmod(root, 0o1777)
    os.chmod(root / "ci", 0o755)
    (root / "ci" / "left-by-student.txt").write_text("answers")
    (root / ".mpl").mkdir()
    locked = root / "locked"
    (locked / "deep").mkdir(parents=True)
    (locked / "deep" / "f").write_text("x")
    os.chmod(locked / "deep", 0o500)  # a submission made it hard to delete
    os.chmod(locked, 0o500)
    (root / "link").symlink_to(venv)

    wipe(root, {str(root / "ci" / ".venv"), "/", "/proc"})

    assert sorted(p.name for p in root.iterdir()) == ["ci"]
    assert sorted(p.name for p in (root / "ci").iterdir()) == [".venv"]
    assert (venv / "timing.py").read_text() == "x = 1\n"  # the mount's content is untouched
    assert (_mode(root), _mode(root / "ci")) == (0o1777, 0o755)  # still open to the submissions' uid


def test_wipe_without_mounts_empties_the_folder(tmp_path: Path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "c.txt").write_text("c")
    wipe(tmp_path, set())
    assert list(tmp_path.iterdir()) == []


def test_mount_points_are_read_from_mountinfo():
    found = mount_points()
    assert "/" in found and "/proc" in found
