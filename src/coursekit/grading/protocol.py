"""The messages between the batch, the sandbox and the warm worker, typed and versioned.

Defined once, here; every message carries :data:`PROTOCOL_VERSION`, and a message of
another version or shape is refused with :class:`ProtocolError`, never half-read. The
values come from :class:`coursekit.grading.config.GradeConfig` (the only place with
defaults) and from the course's ``nbgrader_config.py``.

* :class:`WorkerConfig`: how the sandbox starts a worker (argv of ``coursekit.grading.server``);
* :class:`Ready`: the worker's first line, once warm;
* :class:`Job`: one submission's code cells, files and :class:`Limits` (one line on stdin);
* :class:`Reply`: the worker's answer to a job (one line on stdout).

>>> job = Job("ada/ps1", [CellCode(0, "x = 1")], {}, Limits(60, 300, 1024, 300, 32, 64))
>>> Job.from_json(job.to_json()) == job
True
>>> Job.from_json('{"version": 0}')
Traceback (most recent call last):
...
coursekit.grading.protocol.ProtocolError: job: protocol version 0, expected 1
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

from coursekit.errors import GradingError

__all__ = ["PROTOCOL_VERSION", "ProtocolError", "Limits", "OutputCaps", "WorkerConfig", "Ready", "CellCode", "Job",
           "Event", "Reply", "Output"]

PROTOCOL_VERSION = 1

#: One nbformat v4 output dict as the sandbox recorded it (untrusted until sanitised).
Output = dict[str, Any]

T = TypeVar("T")


class ProtocolError(GradingError):
    """A message between grader and worker is of another version or malformed."""


def _load(text: str | bytes, what: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as err:
        raise ProtocolError(f"{what}: not JSON ({str(err)[:80]})") from None
    if not isinstance(data, dict):
        raise ProtocolError(f"{what}: not a JSON object")
    if data.get("version") != PROTOCOL_VERSION:
        raise ProtocolError(f"{what}: protocol version {data.get('version')!r}, expected {PROTOCOL_VERSION}")
    return data


def _get(data: dict[str, Any], key: str, kind: type[T] | tuple[type, ...], what: str) -> T:
    value = data.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, float, (int, float))):
        raise ProtocolError(f"{what}: field {key!r} is missing or not {getattr(kind, '__name__', kind)}")
    return value  # type: ignore[return-value]


def _dump(obj: Any) -> str:
    return json.dumps({"version": PROTOCOL_VERSION, **asdict(obj)})


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

    @property
    def dedicated_uid(self) -> bool:
        """True when submissions run as a uid of their own (grading as root)."""
        return self.child_uid is not None

    def to_json(self) -> str:
        return _dump(self)

    @classmethod
    def from_json(cls, text: str | bytes) -> WorkerConfig:
        what = "worker config"
        data = _load(text, what)
        uid = data.get("child_uid")
        if uid is not None and not isinstance(uid, int):
            raise ProtocolError(f"{what}: field 'child_uid' is not an int")
        warm = _get(data, "warm", list, what)
        return cls(_get(data, "scratch", str, what), bool(data.get("pidns")), uid,
                   OutputCaps.from_dict(_get(data, "caps", dict, what)), [str(m) for m in warm])


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
        data = _load(text, "ready")
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
        data = _load(text, what)
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
        what = "reply"
        data = _load(text, what)
        cells = {str(k): [o for o in v if isinstance(o, dict)] for k, v in _get(data, "cells", dict, what).items()
                 if isinstance(v, list)}
        events = [Event(e.get("cell") if isinstance(e.get("cell"), int) else None, str(e.get("reason", "")))
                  for e in data.get("events", []) if isinstance(e, dict)]
        timing = {str(k): float(v) for k, v in (data.get("timing") or {}).items() if isinstance(v, (int, float))}
        notes = [str(n) for n in data.get("notes", []) if isinstance(n, (str, int, float))]
        return cls(_get(data, "job", str, what), str(data.get("status", "")), cells, events, timing, notes)
