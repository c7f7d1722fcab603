"""Process plumbing of the warm worker: limits, messages from the child, killing, cleaning.

>>> describe_status(9)
'killed: memory or process limit'
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import resource
import shutil
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from coursekit.grading.protocol import Limits, Output

__all__ = ["Attempt", "Reader", "outcome", "describe_status", "send", "set_limits", "processes", "reap", "wait_status",
           "quietly", "entries", "force_remove", "mount_points", "wipe", "remove_sysv_ipc", "sysv_ipc_present"]


def sysv_ipc_present() -> bool:
    """True when any System V shared memory, semaphore or message queue exists (in our IPC namespace)."""
    for kind in ("shm", "sem", "msg"):
        try:
            if len(Path(f"/proc/sysvipc/{kind}").read_text().splitlines()) > 1:
                return True
        except OSError:
            continue
    return False


def remove_sysv_ipc() -> None:
    """Delete System V shared memory, semaphores and queues (private IPC namespace) left by a job."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return
    for kind, call in (("shm", "shmctl"), ("sem", "semctl"), ("msg", "msgctl")):
        try:
            lines = Path(f"/proc/sysvipc/{kind}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 1 and fields[1].isdigit():
                if kind == "sem":
                    getattr(libc, call)(int(fields[1]), 0, 0, None)
                else:
                    getattr(libc, call)(int(fields[1]), 0, None)  # IPC_RMID


class Reader:
    """Reads the child's JSON lines, keeping at most ``cap`` bytes."""

    def __init__(self, fd: int, cap: int) -> None:
        self.fd = fd
        self.cap = cap
        self.buffer = b""
        self.total = 0
        self.cells: dict[str, list[Output]] = {}
        self.current: int | None = None
        self.started = 0.0
        self.ended = False
        self.notes: list[str] = []

    def read(self) -> bool:
        try:
            data = os.read(self.fd, 1 << 20)
        except BlockingIOError:
            return True
        if not data:
            return False
        self.total += len(data)
        if self.total > self.cap:
            if "outputs exceeded the size limit" not in self.notes:
                self.notes.append("outputs exceeded the size limit; the rest was dropped")
            return True
        self.buffer += data
        *lines, self.buffer = self.buffer.split(b"\n")
        for line in lines:
            self._message(line)
        return True

    def drain(self) -> None:
        os.set_blocking(self.fd, False)
        while self.read():
            if self.total > self.cap * 2:
                break

    def _message(self, line: bytes) -> None:
        try:
            msg = json.loads(line)
        except (ValueError, RecursionError):
            return
        if not isinstance(msg, dict):
            return
        if isinstance(msg.get("start"), int):
            self.current, self.started = msg["start"], time.monotonic()
        elif isinstance(msg.get("done"), int) and isinstance(msg.get("outputs"), list):
            self.cells[str(msg["done"])] = msg["outputs"]
            self.current = None
        elif msg.get("end") is True:
            self.ended = True
            self.notes.extend(str(n) for n in msg.get("notes", [])[:20])


@dataclass
class Attempt:
    """One run of a submission's cells in a forked child, as the worker saw it."""

    cells: dict[str, list[Output]]
    notes: list[str]
    finished: bool
    bad_cell: int | None = None
    reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def outcome(reader: Reader, hung: bool, status: int, cell_timeout: float) -> Attempt:
    out = Attempt(reader.cells, reader.notes, reader.ended and not hung)
    if out.finished:
        return out
    if hung:
        reason = (f"the cell did not stop within {cell_timeout:g} s, even when interrupted"
                  if reader.current is not None else "the notebook exceeded the total time limit")
    else:
        reason = f"the Python process running the notebook died ({describe_status(status)}) in this cell"
    out.bad_cell, out.reason = reader.current, reason
    return out


def describe_status(status: int) -> str:
    if status < 0:
        return "stopped by the grader"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        names: dict[int, str] = {signal.SIGKILL: "killed: memory or process limit", signal.SIGXCPU: "CPU time limit",
                 signal.SIGXFSZ: "file size limit", signal.SIGSEGV: "segmentation fault"}
        return names.get(sig, f"signal {sig}")
    return f"exit code {os.WEXITSTATUS(status)}"


def send(fd: int, message: dict[str, Any]) -> None:
    data = (json.dumps(message) + "\n").encode()
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def set_limits(limits: Limits) -> None:
    """Apply the job's rlimits (memory on top of what this process already maps)."""
    mib = 1024 * 1024
    vm = vm_size()
    wanted = {
        resource.RLIMIT_CPU: limits.cpu_seconds,
        resource.RLIMIT_AS: vm + limits.memory_mb * mib,
        resource.RLIMIT_FSIZE: limits.file_mb * mib,
        resource.RLIMIT_NOFILE: 256,
        resource.RLIMIT_CORE: 0,
        resource.RLIMIT_NPROC: limits.nproc,
    }
    for which, value in wanted.items():
        soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        hard_new = value + 5 if which == resource.RLIMIT_CPU else value
        if hard != resource.RLIM_INFINITY:
            hard_new = min(hard_new, hard)
        resource.setrlimit(which, (value, hard_new))


def vm_size() -> int:
    """Bytes of virtual memory this process maps now."""
    return int(psutil.Process().memory_info().vms)


def processes(everyone: bool, uid: int | None = None, keep: tuple[int, ...] = ()) -> list[int]:
    """Other processes: all but pid 1, us and ``keep`` (``everyone``, in our PID namespace), else those of ``uid``."""
    me = os.getpid()
    uid = os.getuid() if uid is None else uid
    found = []
    for proc in psutil.process_iter(["uids"]):
        if proc.pid in (1, me, *keep):
            continue
        uids = proc.info.get("uids")
        if everyone or (uids is not None and uid in (uids.real, uids.effective)):
            found.append(proc.pid)
    return found


def reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def wait_status(pid: int) -> int:
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return 0


def quietly(func: Callable[..., object], *args: Any) -> None:
    try:
        func(*args)
    except (ProcessLookupError, PermissionError):
        pass


def entries(path: Path) -> list[Path]:
    try:
        return list(path.iterdir())
    except OSError:
        return []


def mount_points() -> set[str]:
    """Where something is mounted in this process's mount namespace (``/proc/self/mountinfo``)."""
    try:
        lines = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return set()
    found = set()
    for line in lines:
        fields = line.split(" ")
        if len(fields) > 4:  # the fifth field is the mount point, with octal escapes (\040 for a space)
            found.add(re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[4]))
    return found


def wipe(root: Path, mounts: set[str] | None = None) -> None:
    """Remove everything in ``root`` but the mounts in it and the folders that lead to them.

    A sandbox whose Python lives under ``/tmp`` has that installation mounted inside its
    private ``/tmp``: those mounts, and the folders bwrap made to hold them, stay as they
    are (neither removed nor made private), so the next submission can still import.
    """
    mounts = mount_points() if mounts is None else mounts
    base = str(root).rstrip("/") + "/"
    inner = {m for m in mounts if m.startswith(base)}
    holders = {str(parent) for m in inner for parent in Path(m).parents if str(parent).startswith(base)}
    for entry in entries(root):
        name = str(entry)
        if name in inner:
            continue
        if name in holders:
            wipe(entry, inner)
            continue
        force_remove(entry, keep={str(root), *holders})


def force_remove(path: Path, *, keep: set[str] | frozenset[str] = frozenset()) -> None:
    """Remove ``path``, making what a submission locked writable first (never a folder in ``keep``)."""
    def fix(func: Any, name: str, exc: Any) -> None:
        try:
            for folder in (os.path.dirname(name), name):
                if folder not in keep:
                    os.chmod(folder, 0o700)
            func(name)
        except OSError:
            pass

    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, onerror=fix)
    else:
        try:
            path.unlink()
        except OSError:
            pass
