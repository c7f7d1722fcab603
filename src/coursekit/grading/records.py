"""Per-submission grading records: status, reason, flags, scores and exported answers.

One JSON file per student and notebook under ``<course>/coursekit-grades/<assignment>/records``,
written atomically after the gradebook commit: a re-run skips what is recorded (unless
forced) and Ctrl-C never loses a graded submission. Every record carries
:data:`RECORD_VERSION`; a damaged record, or one written by an older coursekit, is
reported by name (:class:`RecordProblem`) and its submission regraded, never dropped.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, TypedDict

from coursekit.errors import UntrustedFileError
from coursekit.untrusted.files import is_plain_dir, read_regular, walk_regular

__all__ = ["Record", "RecordProblem", "QuestionRecord", "CellRecord", "OK", "FLAGGED", "FAILED", "RECORD_VERSION",
           "records_dir", "load_record", "save_record", "load_records", "fingerprint"]

OK, FLAGGED, FAILED = "ok", "flagged", "failed"
RECORD_VERSION = 1


class QuestionRecord(TypedDict):
    """One judged ``grade()`` call (a :class:`coursekit.grading.verdicts.QuestionVerdict`)."""

    question: str
    points: float
    earned: float
    answered: bool
    answer: Any
    feedback: list[str]
    problem: str | None


class CellRecord(TypedDict):
    """One test cell: its score, its maximum and its questions."""

    score: float
    max: float
    questions: list[QuestionRecord]


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
    cells: dict[str, CellRecord] = field(default_factory=dict)
    fingerprint: str = ""
    seconds: float = 0.0
    sandbox: str = ""
    #: earlier grades of this notebook, oldest first (each a record without its own history, plus
    #: ``replaced``: "resubmitted" when the submission changed, "regraded" when it did not)
    history: list[dict[str, Any]] = field(default_factory=list)
    version: int = RECORD_VERSION


class RecordProblem(Exception):
    """A record file that cannot be used: damaged, or written by another version."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    @property
    def name(self) -> str:
        """``<student>/<notebook>``, the submission the record stands for."""
        return f"{self.path.parent.name}/{self.path.stem}"


_FIELDS = {f.name for f in fields(Record)}


def records_dir(course_root: Path, assignment: str) -> Path:
    return Path(course_root) / "coursekit-grades" / assignment / "records"


def _path(course_root: Path, assignment: str, student: str, notebook: str) -> Path:
    return records_dir(course_root, assignment) / student / f"{notebook}.json"


def read_record(path: Path) -> Record:
    """The record in ``path``; raise :class:`RecordProblem` saying what is wrong with it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as err:
        raise RecordProblem(path, f"damaged ({type(err).__name__}: {str(err)[:80]})") from None
    if not isinstance(data, dict):
        raise RecordProblem(path, "damaged (not a JSON object)")
    version = data.get("version")
    if version != RECORD_VERSION:
        raise RecordProblem(path, f"written by another coursekit (record version {version!r}, "
                                  f"this one reads {RECORD_VERSION})")
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        raise RecordProblem(path, f"damaged (unknown fields {', '.join(unknown)})")
    try:
        record = Record(**data)
    except TypeError as err:
        raise RecordProblem(path, f"damaged ({err})") from None
    if record.status not in (OK, FLAGGED, FAILED) or not isinstance(record.cells, dict):
        raise RecordProblem(path, f"damaged (status {record.status!r})")
    return record


def load_record(course_root: Path, assignment: str, student: str, notebook: str) -> Record | None:
    """The record of one notebook, None when there is none; :class:`RecordProblem` when unusable."""
    path = _path(course_root, assignment, student, notebook)
    if not path.exists():
        return None
    return read_record(path)


def save_record(course_root: Path, record: Record) -> Path:
    """Write ``record`` atomically (temp file + rename); the grade it replaces goes into its history."""
    path = _path(course_root, record.assignment, record.student, record.notebook)
    try:
        old = load_record(course_root, record.assignment, record.student, record.notebook)
    except RecordProblem:  # a damaged record is replaced (and was reported when it was read)
        old = None
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


def load_records(course_root: Path, assignment: str, problems: list[RecordProblem] | None = None) -> list[Record]:
    """All usable records of an assignment, sorted by student and notebook.

    Unusable ones are appended to ``problems`` (when given), never silently left out.
    """
    found = []
    for path in sorted(records_dir(course_root, assignment).glob("*/*.json")):
        try:
            found.append(read_record(path))
        except RecordProblem as problem:
            if problems is not None:
                problems.append(problem)
    return found


def fingerprint(folder: Path) -> str:
    """A hash of the names, sizes and notebook bytes of a submission folder.

    >>> len(fingerprint(Path("/nonexistent")))
    64
    """
    digest = hashlib.sha256()
    if is_plain_dir(folder):  # walked without recursion or links, bounded (a student controls this tree)
        files, refused = walk_regular(folder)
        for path in files:
            try:
                info = path.lstat()
            except OSError:
                continue
            digest.update(f"{path.relative_to(folder)}:{info.st_size}:{int(info.st_mtime)}".encode())
            if path.suffix == ".ipynb":
                try:
                    digest.update(read_regular(path, 60_000_000))
                except UntrustedFileError:
                    continue
        for entry in refused:
            digest.update(f"refused {entry.name}: {entry.reason}".encode())
    return digest.hexdigest()
