"""One configuration object for ``coursekit grade``."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from coursekit.errors import GradingError

__all__ = ["GradeConfig"]


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - non-Linux
        return max(1, os.cpu_count() or 1)


def _own_processes() -> int:
    """Processes and threads of this user now (RLIMIT_NPROC counts them all)."""
    uid, count = os.getuid(), 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += len(os.listdir(entry / "task"))
            except OSError:
                continue
    return count


@dataclass
class GradeConfig:
    """Settings of one grading run; every field carries its help text.

    >>> GradeConfig(course=Path("."), assignment="ps1", workers=0).validate()
    Traceback (most recent call last):
    ...
    coursekit.errors.GradingError: grading config: workers must be at least 1 (got 0); pass --workers 1 or more
    """

    course: Path = field(metadata={"help": "nbgrader course directory (holds nbgrader_config.py)"})
    assignment: str = field(metadata={"help": "assignment id, e.g. ps1"})
    students: list[str] | None = field(default=None, metadata={"help": "only these students (default: all submitted)"})
    workers: int = field(default_factory=_cores, metadata={"help": "sandboxed workers run in parallel"})
    force: bool = field(default=False, metadata={"help": "regrade submissions that are already graded"})
    sandbox: str = field(default="auto", metadata={"help": "auto | bwrap | rlimits"})
    cell_timeout: float = field(default=30.0, metadata={"help": "seconds one cell may run"})
    total_timeout: float = field(default=300.0, metadata={"help": "seconds one notebook may run"})
    memory_mb: int = field(default=1024, metadata={"help": "extra memory (MiB) a submission may allocate"})
    cpu_seconds: int = field(default=300, metadata={"help": "CPU seconds per submission"})
    file_mb: int = field(default=32, metadata={"help": "largest file a submission may write (MiB)"})
    nproc: int = field(default=64, metadata={"help": "processes/threads a submission may run at once"})
    extra_file_mb: float = field(default=5.0, metadata={"help": "largest extra submitted file copied in (MiB)"})
    extra_total_mb: float = field(default=20.0, metadata={"help": "all extra submitted files together (MiB)"})
    feedback: bool = field(default=True, metadata={"help": "generate nbgrader feedback HTML afterwards"})
    reports: bool = field(default=True, metadata={"help": "write grades CSV, LMS CSV and class report"})
    progress: bool = field(default=True, metadata={"help": "show a progress bar with ETA"})

    def validate(self) -> GradeConfig:
        """Check the values once; raise :class:`GradingError` naming the field and the fix."""
        if self.workers < 1:
            raise GradingError(f"grading config: workers must be at least 1 (got {self.workers}); pass --workers 1 or more")
        if self.sandbox not in ("auto", "bwrap", "rlimits"):
            raise GradingError(f"grading config: sandbox {self.sandbox!r} unknown; choose auto, bwrap or rlimits")
        for name in ("cell_timeout", "total_timeout", "memory_mb", "cpu_seconds", "file_mb", "nproc"):
            if getattr(self, name) <= 0:
                raise GradingError(f"grading config: {name} must be positive (got {getattr(self, name)})")
        self.course = Path(self.course)
        return self

    def limits(self) -> dict[str, Any]:
        """The limits sent to the sandbox with each job."""
        return {"cell_timeout": self.cell_timeout, "total_timeout": self.total_timeout,
                "memory_mb": self.memory_mb, "cpu_seconds": self.cpu_seconds, "file_mb": self.file_mb,
                "nproc": self.nproc + (0 if os.geteuid() == 0 else _own_processes())}

    @classmethod
    def help(cls) -> dict[str, str]:
        return {f.name: f.metadata.get("help", "") for f in fields(cls)}

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["course"] = str(self.course)
        return data
