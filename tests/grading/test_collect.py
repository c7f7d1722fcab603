"""``coursekit collect``: an LMS zip into nbgrader's submitted/ tree."""

from __future__ import annotations

import zipfile
from pathlib import Path

from coursekit.grading.collect import collect_zip


def test_canvas_zip_is_collected_per_student_and_unsafe_entries_skipped(tmp_path: Path):
    archive = tmp_path / "subs.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("doejane_12345_67890_ps1.ipynb", "{}")
        zf.writestr("roeRichard_LATE_222_333_ps1-1.ipynb", "{}")
        zf.writestr("../../evil_1_2_ps1.ipynb", "{}")
        zf.writestr("readme.txt", "x")
    summary = collect_zip(tmp_path / "course", "ps1", archive)
    assert summary.collected == {"doejane": ["ps1.ipynb"], "roerichard": ["ps1-1.ipynb"]}
    assert (tmp_path / "course/submitted/doejane/ps1/ps1.ipynb").read_text() == "{}"
    assert (tmp_path / "course/submitted/doejane/ps1/timestamp.txt").exists()
    assert sorted(s.split(":")[0] for s in summary.skipped) == ["../../evil_1_2_ps1.ipynb", "readme.txt"]
    assert not (tmp_path / "evil_1_2_ps1.ipynb").exists()
