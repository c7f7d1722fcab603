"""One configuration object for ``coursekit grade``: the only place grading defaults live.

Every field carries its help text in its metadata; the ``coursekit grade`` options read
their defaults and help from here (:func:`option_help`). The per-cell timeout defaults to
the course's own ``Execute.timeout`` (``nbgrader_config.py``).
"""

from __future__ import annotations

import os
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any

from coursekit.errors import GradingError
from coursekit.grading.protocol import Limits, OutputCaps

__all__ = ["GradeConfig", "option_help", "option_default"]


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - non-Linux
        return max(1, os.cpu_count() or 1)


def _own_processes() -> int:
    """Processes and threads of this user now (RLIMIT_NPROC counts them all)."""
    import psutil

    uid, count = os.getuid(), 0
    for proc in psutil.process_iter(["uids", "num_threads"]):
        uids, threads = proc.info.get("uids"), proc.info.get("num_threads")
        if uids is not None and uid in (uids.real, uids.effective):
            count += int(threads or 1)
    return count


def _help(text: str) -> dict[str, str]:
    return {"help": text}


@dataclass
class GradeConfig:
    """Settings of one grading run; every field carries its help text.

    >>> GradeConfig(course=Path("."), assignment="ps1", workers=0).validate()
    Traceback (most recent call last):
    ...
    coursekit.errors.GradingError: grading config: workers must be at least 1 (got 0); pass --workers 1 or more
    """

    course: Path = field(metadata=_help("nbgrader course directory (holds nbgrader_config.py)"))
    assignment: str = field(metadata=_help("assignment id, e.g. ps1"))
    students: list[str] | None = field(default=None, metadata=_help("only these students (default: all submitted)"))
    workers: int = field(default_factory=_cores, metadata=_help("sandboxed workers run in parallel (default: CPU cores)"))
    force: bool = field(default=False, metadata=_help("regrade submissions that are already graded"))
    sandbox: str = field(default="auto", metadata=_help("isolation: bubblewrap namespaces (bwrap), rlimits only, or auto"))
    cell_timeout: float | None = field(default=None, metadata=_help(
        "seconds one cell may run (default: Execute.timeout of the course's nbgrader_config.py)"))
    total_timeout: float = field(default=300.0, metadata=_help("seconds one notebook may run"))
    memory_mb: int = field(default=1024, metadata=_help("extra memory (MiB) a submission may allocate"))
    cpu_seconds: int = field(default=300, metadata=_help("CPU seconds per submission"))
    file_mb: int = field(default=32, metadata=_help("largest file a submission may write (MiB)"))
    nproc: int = field(default=64, metadata=_help("processes/threads a submission may run at once"))
    extra_file_mb: float = field(default=5.0, metadata=_help("largest extra submitted file copied in (MiB)"))
    extra_total_mb: float = field(default=20.0, metadata=_help("all extra submitted files together (MiB)"))
    stream_chars: int = field(default=100_000, metadata=_help("characters kept per stream and cell"))
    data_bytes: int = field(default=2_000_000, metadata=_help("largest single display/result (JSON bytes)"))
    answer_bytes: int = field(default=8_000_000, metadata=_help("largest exported answer (JSON bytes)"))
    cell_outputs: int = field(default=50, metadata=_help("outputs kept per cell"))
    total_bytes: int = field(default=16_000_000, metadata=_help("all outputs of a notebook together (bytes)"))
    feedback: bool = field(default=True, metadata=_help("generate nbgrader feedback HTML afterwards"))
    reports: bool = field(default=True, metadata=_help("write grades CSV, LMS CSV and class report"))
    progress: bool = field(default=True, metadata=_help("show a progress bar with ETA"))

    def validate(self) -> GradeConfig:
        """Check the values once; raise :class:`GradingError` naming the field and the fix."""
        if self.workers < 1:
            raise GradingError(f"grading config: workers must be at least 1 (got {self.workers}); pass --workers 1 or more")
        if self.sandbox not in ("auto", "bwrap", "rlimits"):
            raise GradingError(f"grading config: sandbox {self.sandbox!r} unknown; choose auto, bwrap or rlimits")
        if self.cell_timeout is not None and self.cell_timeout <= 0:
            raise GradingError(f"grading config: cell_timeout must be positive (got {self.cell_timeout})")
        for name in ("total_timeout", "memory_mb", "cpu_seconds", "file_mb", "nproc", "stream_chars", "data_bytes",
                     "answer_bytes", "cell_outputs", "total_bytes"):
            if getattr(self, name) <= 0:
                raise GradingError(f"grading config: {name} must be positive (got {getattr(self, name)})")
        self.course = Path(self.course)
        return self

    def limits(self, course_cell_timeout: float) -> Limits:
        """The limits sent to the sandbox with each job (``cell_timeout`` or the course's own)."""
        cell = self.cell_timeout if self.cell_timeout is not None else course_cell_timeout
        cell = min(cell, self.total_timeout)  # no cell outlives its notebook (the course may set no limit: inf)
        return Limits(float(cell), float(self.total_timeout), self.memory_mb, self.cpu_seconds, self.file_mb,
                      self.nproc + (0 if os.geteuid() == 0 else _own_processes()))

    def caps(self) -> OutputCaps:
        """The output caps every worker applies."""
        return OutputCaps(self.stream_chars, self.data_bytes, self.answer_bytes, self.cell_outputs, self.total_bytes)


def option_help(name: str) -> str:
    """The help text of a :class:`GradeConfig` field, for the command line."""
    return str(next(f for f in fields(GradeConfig) if f.name == name).metadata["help"])


def option_default(name: str) -> Any:
    """The default of a :class:`GradeConfig` field (``None`` when it has none or is computed)."""
    found = next(f for f in fields(GradeConfig) if f.name == name)
    return None if found.default is MISSING else found.default
