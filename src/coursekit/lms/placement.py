"""Put chosen submission files into nbgrader's ``submitted/<student>/<assignment>/``.

Only this module writes into the course. Each destination is checked to stay inside
``submitted/`` (:func:`~coursekit.lms.safezip.inside`); a student's ``timestamp.txt``
is written the way nbgrader's own collect writes it (one line, a time and its zone,
read by ``CourseDirectory.get_existing_timestamp``) when the LMS gives a submission time.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from coursekit.grading.submissions import safe_student_id
from coursekit.lms.results import Placed
from coursekit.lms.safezip import inside

__all__ = ["place", "timestamp_line", "valid_student_id"]


def valid_student_id(student: str) -> bool:
    """Whether ``student`` can be an nbgrader student id and a folder name."""
    return safe_student_id(student)


def timestamp_line(placed: Placed) -> str | None:
    """The ``timestamp.txt`` line for a file with a known UTC time.

    >>> from datetime import datetime
    >>> timestamp_line(Placed("1", "ps1.ipynb", "e", submitted_at=datetime(2026, 3, 1, 9, 30)))
    '2026-03-01 09:30:00.000000 UTC'
    """
    return None if placed.submitted_at is None else placed.submitted_at.strftime("%Y-%m-%d %H:%M:%S.%f UTC")


def place(submitted_root: Path, assignment: str, files: Iterable[tuple[Placed, bytes]]) -> list[Path]:
    """Write every file atomically; the newest known submission time goes to ``timestamp.txt``."""
    written: list[Path] = []
    times: dict[str, str] = {}
    for placed, data in files:
        folder = inside(submitted_root, f"{placed.student}/{assignment}")
        dest = inside(folder, placed.filename)
        dest.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(dest, data)
        written.append(dest)
        line = timestamp_line(placed)
        if line and line > times.get(placed.student, ""):
            times[placed.student] = line
    for student, line in times.items():
        _atomic_write(inside(submitted_root, f"{student}/{assignment}/timestamp.txt"), (line + "\n").encode())
    return written


def _atomic_write(dest: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".coursekit-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
