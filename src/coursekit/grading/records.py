"""Per-submission grading records: status, reason, flags, scores and exported answers.

One JSON file per student and notebook under ``<course>/coursekit-grades/<assignment>/records``,
written atomically after the gradebook commit: a re-run skips what is recorded (unless
forced) and Ctrl-C never loses a graded submission.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Record", "OK", "FLAGGED", "FAILED", "records_dir", "load_record", "save_record",
           "load_records", "fingerprint"]

OK, FLAGGED, FAILED = "ok", "flagged", "failed"


@dataclass
class Record:
    """What happened to one submitted notebook."""

    student: str
    assignment: str
    notebook: str
    status: str
    reason: str = ""
    flags: list[str] = field(default_factory=list)
    score: float | None = None
    max_score: float = 0.0
    cells: dict[str, Any] = field(default_factory=dict)
    fingerprint: str = ""
    seconds: float = 0.0
    sandbox: str = ""
    #: earlier grades of this notebook, oldest first (each a record without its own history, plus
    #: ``replaced``: "resubmitted" when the submission changed, "regraded" when it did not)
    history: list[dict[str, Any]] = field(default_factory=list)


def records_dir(course_root: Path, assignment: str) -> Path:
    return Path(course_root) / "coursekit-grades" / assignment / "records"


def _path(course_root: Path, assignment: str, student: str, notebook: str) -> Path:
    return records_dir(course_root, assignment) / student / f"{notebook}.json"


def load_record(course_root: Path, assignment: str, student: str, notebook: str) -> Record | None:
    path = _path(course_root, assignment, student, notebook)
    try:
        return Record(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def save_record(course_root: Path, record: Record) -> Path:
    """Write ``record`` atomically (temp file + rename); the grade it replaces goes into its history."""
    path = _path(course_root, record.assignment, record.student, record.notebook)
    old = load_record(course_root, record.assignment, record.student, record.notebook)
    if old is not None and not record.history:
        previous = {k: v for k, v in asdict(old).items() if k != "history"}
        previous["replaced"] = "regraded" if old.fingerprint == record.fingerprint else "resubmitted"
        record.history = [*old.history, previous]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(asdict(record), fh, indent=1, sort_keys=True)
    os.replace(tmp, path)
    return path


def load_records(course_root: Path, assignment: str) -> list[Record]:
    """All records of an assignment, sorted by student and notebook."""
    found = []
    for path in sorted(records_dir(course_root, assignment).glob("*/*.json")):
        try:
            found.append(Record(**json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError, TypeError):
            continue
    return found


def fingerprint(folder: Path) -> str:
    """A hash of the names, sizes and notebook bytes of a submission folder.

    >>> len(fingerprint(Path("/nonexistent")))
    64
    """
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            try:
                info = path.lstat()
            except OSError:
                continue
            digest.update(f"{path.relative_to(folder)}:{info.st_size}:{int(info.st_mtime)}".encode())
            if path.suffix == ".ipynb" and path.is_file() and not path.is_symlink() and info.st_size < 50_000_000:
                digest.update(path.read_bytes())
    return digest.hexdigest()
