"""``coursekit collect``: put an LMS download (a zip of files named by student) into ``submitted/``.

File names are matched with a regular expression whose ``student`` and ``file`` groups
give the student id and the file name. The default understands Canvas
(``doeJane_12345_67890_ps1.ipynb``, ``doejane_LATE_12345_67890_ps1-1.ipynb``) and the
simple ``<student>_<file>`` / ``<student>/<file>`` layouts.

>>> match_entry("doejane_LATE_12345_67890_ps1-1.ipynb")
('doejane', 'ps1-1.ipynb')
>>> match_entry("ada/ps1.ipynb")
('ada', 'ps1.ipynb')
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from coursekit.course import Course
from coursekit.errors import GradingError
from coursekit.grading.submissions import safe_student_id

__all__ = ["CollectSummary", "collect_zip", "match_entry", "PATTERNS"]

PATTERNS = (
    r"^(?P<student>[A-Za-z0-9.@+-]+)_(?:late_)?\d+_\d+_(?P<file>[^/]+)$",
    r"^(?P<student>[A-Za-z0-9.@+-]+)/(?P<file>[^/]+)$",
    r"^(?P<student>[A-Za-z0-9.@+-]+)_(?P<file>[^/]+)$",
)
MAX_ENTRY_BYTES = 50_000_000
MAX_RATIO = 200


@dataclass
class CollectSummary:
    """What was collected, and what was skipped and why."""

    collected: dict[str, list[str]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = [f"collected {sum(map(len, self.collected.values()))} files for {len(self.collected)} students"]
        lines += [f"  skipped {s}" for s in self.skipped]
        return "\n".join(lines)


def match_entry(name: str, pattern: str | None = None) -> tuple[str, str] | None:
    """(student, file) for a zip entry name, or None."""
    for regex in [pattern] if pattern else PATTERNS:
        found = re.match(regex, name, flags=re.IGNORECASE)
        if found and safe_student_id(found.group("student")):
            return found.group("student").lower() if not pattern else found.group("student"), found.group("file")
    return None


def collect_zip(course: Course | Path | str, assignment: str, zip_path: Path | str, *, pattern: str | None = None) -> CollectSummary:
    """Copy every recognised file of ``zip_path`` to ``submitted/<student>/<assignment>/``.

    Entries are read with size limits (no ``extractall``: no path traversal, no zip bombs);
    ``timestamp.txt`` gets the entry's time, as nbgrader's collect does. ``course`` is a
    :class:`coursekit.course.Course` or its folder.
    """
    course = course if isinstance(course, Course) else Course(course, require_config=False)
    summary = CollectSummary()
    try:
        archive = zipfile.ZipFile(zip_path)
    except (OSError, zipfile.BadZipFile) as err:
        raise GradingError(f"{zip_path}: not a readable zip file ({err}); download the submissions again") from err
    with archive:
        for info in archive.infolist():
            if info.is_dir() or "__MACOSX" in info.filename:
                continue
            name = PurePosixPath(info.filename)
            if name.is_absolute() or ".." in name.parts:
                summary.skipped.append(f"{info.filename}: unsafe path")
                continue
            matched = match_entry(str(name), pattern)
            if matched is None:
                summary.skipped.append(f"{info.filename}: no student id in the name (pass --pattern)")
                continue
            problem = _too_big(info)
            if problem:
                summary.skipped.append(f"{info.filename}: {problem}")
                continue
            student, filename = matched
            dest = course.submitted_dir(student, assignment)
            dest.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as src:
                data = src.read(MAX_ENTRY_BYTES + 1)
            (dest / PurePosixPath(filename).name).write_bytes(data)
            (dest / "timestamp.txt").write_text(str(datetime(*info.date_time)), encoding="utf-8")
            summary.collected.setdefault(student, []).append(filename)
    return summary


def _too_big(info: zipfile.ZipInfo) -> str | None:
    if info.file_size > MAX_ENTRY_BYTES:
        return f"{info.file_size} bytes is more than the {MAX_ENTRY_BYTES} byte limit"
    if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1_000_000:
        return "suspicious compression ratio (zip bomb?)"
    return None
