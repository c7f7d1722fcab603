"""The messages between the batch, the sandbox and the warm worker, typed and versioned.

Defined once, here; every message carries :data:`PROTOCOL_VERSION`, and a message of
another version or shape is refused with :class:`ProtocolError`, never half-read. The
values come from :class:`coursekit.grading.config.GradeConfig` (the only place with
defaults) and from the course's ``nbgrader_config.py``.

* :class:`WorkerConfig`: how the sandbox starts a worker (argv of ``coursekit.grading.server``);
* :class:`Ready`: the worker's first line, once warm;
* :class:`Job`: one submission's code cells, files and :class:`Limits`, sent on stdin after
  a short header line (:func:`job_header`): the warm template reads only that header,
  byte by byte, and forks a supervisor that reads the job itself, so the process that
  forks every submission's child never holds a submission;
* :class:`Reply`: the supervisor's answer to a job (one line on stdout);
* :class:`Cleaned`: the template's line once that supervisor has ended and every process
  and kernel object of the submission is gone (the worker is ready for the next job).

Every JSON message names its type, so a line of one kind is never read as another.

>>> job = Job("ada/ps1", [CellCode(0, "x = 1")], {}, Limits(60, 300, 1024, 300, 32, 64))
>>> Job.from_json(job.to_json()) == job
True
>>> Job.from_json('{"version": 0}')
Traceback (most recent call last):
...
coursekit.grading.protocol.ProtocolError: job: protocol version 0, expected 2
>>> parse_job_header(job_header(512))
512
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

from coursekit.errors import GradingError

__all__ = ["PROTOCOL_VERSION", "ProtocolError", "Limits", "OutputCaps", "WorkerConfig", "Ready", "CellCode", "Job",
           "Event", "Reply", "Cleaned", "Output", "job_header", "parse_job_header", "worker_message",
           "MAX_HEADER_BYTES", "MAX_JOB_BYTES", "write_line"]

PROTOCOL_VERSION = 2
#: The longest header line the template reads before it gives up (and exits).
MAX_HEADER_BYTES = 48
#: The largest job the grader may announce (a submission's cells and files, base64).
MAX_JOB_BYTES = 1 << 30

#: One nbformat v4 output dict as the sandbox recorded it (untrusted until sanitised).
Output = dict[str, Any]

T = TypeVar("T")


class ProtocolError(GradingError):
    """A message between grader and worker is of another version or malformed."""


def _load(text: str | bytes, what: str, kind: str | None = None) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as err:
        raise ProtocolError(f"{what}: not JSON ({str(err)[:80]})") from None
    if not isinstance(data, dict):
        raise ProtocolError(f"{what}: not a JSON object")
    if data.get("version") != PROTOCOL_VERSION:
        raise ProtocolError(f"{what}: protocol version {data.get('version')!r}, expected {PROTOCOL_VERSION}")
    if kind is not None and data.get("type") != kind:
        raise ProtocolError(f"{what}: a message of type {data.get('type')!r}, expected {kind!r}")
    return data


def _get(data: dict[str, Any], key: str, kind: type[T] | tuple[type, ...], what: str) -> T:
    value = data.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, float, (int, float))):
        raise ProtocolError(f"{what}: field {key!r} is missing or not {getattr(kind, '__name__', kind)}")
    return value  # type: ignore[return-value]


def _dump(obj: Any) -> str:
    return json.dumps({"version": PROTOCOL_VERSION, "type": type(obj).__name__.lower(), **asdict(obj)})


def write_line(fd: int, text: str) -> None:
    """Write ``text`` and a newline to the pipe ``fd`` in full (one message of a line-based protocol)."""
    view = memoryview((text + "\n").encode())
    while view:
        view = view[os.write(fd, view):]


def job_header(nbytes: int) -> bytes:
    """The line announcing a job of ``nbytes`` bytes (``job <version> <nbytes>``)."""
    return f"job {PROTOCOL_VERSION} {nbytes}\n".encode()


def parse_job_header(line: bytes) -> int:
    """The size announced by a header line (without or with its newline); ProtocolError if malformed."""
    parts = line.rstrip(b"\n").split(b" ")
    if len(parts) != 3 or parts[0] != b"job" or not all(p.isdigit() for p in parts[1:]):
        raise ProtocolError(f"job header: malformed ({line[:MAX_HEADER_BYTES]!r})")
    if int(parts[1]) != PROTOCOL_VERSION:
        raise ProtocolError(f"job header: protocol version {int(parts[1])}, expected {PROTOCOL_VERSION}")
    size = int(parts[2])
    if not 0 < size <= MAX_JOB_BYTES:
        raise ProtocolError(f"job header: a job of {size} bytes (limit {MAX_JOB_BYTES})")
    return size


@dataclass(frozen=True)
class Limits:
    """Resource limits of one submission (from :class:`GradeConfig` and ``Execute.timeout``)."""

    cell_timeout: float
    total_timeout: float
    memory_mb: int
    cpu_seconds: int
    file_mb: int
    nproc: int

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Limits:
        what = "limits"
        return cls(float(_get(data, "cell_timeout", (int, float), what)),
                   float(_get(data, "total_timeout", (int, float), what)),
                   _get(data, "memory_mb", int, what), _get(data, "cpu_seconds", int, what),
                   _get(data, "file_mb", int, what), _get(data, "nproc", int, what))


@dataclass(frozen=True)
class OutputCaps:
    """Size limits on what one submission's cells may output (from :class:`GradeConfig`)."""

    stream_chars: int
    data_bytes: int
    answer_bytes: int
    cell_outputs: int
    total_bytes: int

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutputCaps:
        what = "output caps"
        return cls(*(_get(data, name, int, what) for name in
                     ("stream_chars", "data_bytes", "answer_bytes", "cell_outputs", "total_bytes")))


@dataclass(frozen=True)
class WorkerConfig:
    """How one worker runs: its scratch space, isolation and the output caps."""

    scratch: str
    pidns: bool
    child_uid: int | None
    caps: OutputCaps
    warm: list[str] = field(default_factory=list)
    #: install :mod:`coursekit.grading.seccomp` in every child; a child that cannot, runs nothing
    seccomp: bool = False
    #: directories of kernel objects (e.g. the mqueue fs) emptied after every submission
    wipe: list[str] = field(default_factory=list)

    @property
    def dedicated_uid(self) -> bool:
        """True when submissions run as a uid of their own (grading as root)."""
        return self.child_uid is not None

    def to_json(self) -> str:
        return _dump(self)

    @classmethod
    def from_json(cls, text: str | bytes) -> WorkerConfig:
        what = "worker config"
        data = _load(text, what, "workerconfig")
        uid = data.get("child_uid")
        if uid is not None and not isinstance(uid, int):
            raise ProtocolError(f"{what}: field 'child_uid' is not an int")
        warm = _get(data, "warm", list, what)
        return cls(_get(data, "scratch", str, what), bool(data.get("pidns")), uid,
                   OutputCaps.from_dict(_get(data, "caps", dict, what)), [str(m) for m in warm],
                   _get(data, "seccomp", bool, what), [str(p) for p in _get(data, "wipe", list, what)])


@dataclass(frozen=True)
class Ready:
    """The worker's first line: warm and waiting for jobs."""

    uid: int
    pid: int
    warm: list[str]

    def to_json(self) -> str:
        return _dump(self)

    @classmethod
    def from_json(cls, text: str | bytes) -> Ready:
        data = _load(text, "ready", "ready")
        return cls(_get(data, "uid", int, "ready"), _get(data, "pid", int, "ready"),
                   [str(m) for m in _get(data, "warm", list, "ready")])


@dataclass(frozen=True)
class CellCode:
    """One code cell of a restored submission: its index in the notebook and its source."""

    index: int
    source: str


@dataclass(frozen=True)
class Job:
    """One submission for the worker: code cells, extra files (base64) and limits."""

    key: str
    cells: list[CellCode]
    files: dict[str, str]
    limits: Limits

    def to_json(self) -> str:
        return _dump(self)

    @classmethod
    def from_json(cls, text: str | bytes) -> Job:
        what = "job"
        data = _load(text, what, "job")
        cells = [CellCode(_get(c, "index", int, what), _get(c, "source", str, what))
                 for c in _get(data, "cells", list, what) if isinstance(c, dict)]
        files = {str(k): str(v) for k, v in _get(data, "files", dict, what).items()}
        return cls(_get(data, "key", str, what), cells, files, Limits.from_dict(_get(data, "limits", dict, what)))


@dataclass(frozen=True)
class Event:
    """A cell the worker had to skip on a retry (it hung or killed Python) and why."""

    cell: int | None
    reason: str


@dataclass
class Reply:
    """The worker's answer: outputs per cell index, skipped cells, timing and notes."""

    job: str
    status: str  # "ok" | "incomplete"
    cells: dict[str, list[Output]]
    events: list[Event] = field(default_factory=list)
    timing: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return _dump(self)

    @classmethod
    def from_json(cls, text: str | bytes) -> Reply:
        return cls.from_data(_load(text, "reply", "reply"))

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Reply:
        what = "reply"
        cells = {str(k): [o for o in v if isinstance(o, dict)] for k, v in _get(data, "cells", dict, what).items()
                 if isinstance(v, list)}
        events = [Event(e.get("cell") if isinstance(e.get("cell"), int) else None, str(e.get("reason", "")))
                  for e in data.get("events", []) if isinstance(e, dict)]
        timing = {str(k): float(v) for k, v in (data.get("timing") or {}).items() if isinstance(v, (int, float))}
        notes = [str(n) for n in data.get("notes", []) if isinstance(n, (str, int, float))]
        return cls(_get(data, "job", str, what), str(data.get("status", "")), cells, events, timing, notes)


@dataclass(frozen=True)
class Cleaned:
    """The template's line after a job: its supervisor ended (``status``) and everything it left is gone."""

    status: str
    seconds: float

    def to_json(self) -> str:
        return _dump(self)

    @classmethod
    def from_json(cls, text: str | bytes) -> Cleaned:
        data = _load(text, "cleaned", "cleaned")
        return cls(_get(data, "status", str, "cleaned"), float(_get(data, "seconds", (int, float), "cleaned")))


def worker_message(text: str | bytes) -> Reply | Cleaned:
    """A line from the worker after a job was sent: the supervisor's :class:`Reply` or the template's :class:`Cleaned`."""
    data = _load(text, "worker message")
    if data.get("type") == "reply":
        return Reply.from_data(data)
    if data.get("type") == "cleaned":
        return Cleaned.from_json(text)
    raise ProtocolError(f"worker message: unexpected type {data.get('type')!r}")
