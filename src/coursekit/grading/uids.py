"""One unprivileged uid per running worker on the whole machine, never shared.

When grading runs as root, every worker's submissions run as a uid of their own. The
kernel counts ``RLIMIT_NPROC`` per uid across the machine, and the rlimits fallback
kills every process of that uid after a submission, so two grading runs at once (an
instructor's ``coursekit grade`` while the hub grades a submission, or two courses)
must never hand the same uid to two workers: one run's fork bomb would use up the other's
process budget, and its clean-up would kill the other run's honest student.

A uid is leased by holding an exclusive ``flock`` on ``<dir>/<uid>.lock`` (``/run/coursekit-uids``,
made by root, mode 755: a submission cannot create or lock a file there). The kernel
drops the lock when the holder exits, so a crashed grader never leaks a uid; processes a
crashed grader left running as the uid (possible only in the rlimits fallback) are killed
before the uid is handed out again.
"""

from __future__ import annotations

import fcntl
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from coursekit.errors import GradingError

__all__ = ["UidLease", "lease_uid", "lease_dir", "leased"]

FIRST, COUNT = 61001, 4000


def lease_dir() -> Path:
    """The root-owned directory of the lock files (``/run``, else the temporary directory)."""
    for base in (Path("/run"), Path(tempfile.gettempdir())):
        path = base / "coursekit-uids"
        try:
            path.mkdir(mode=0o755, exist_ok=True)
            info = path.lstat()
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & 0o022:
            return path
    raise GradingError("grading: no private directory to lease worker uids in (/run/coursekit-uids and "
                       f"{tempfile.gettempdir()}/coursekit-uids are missing, not directories, or writable by others)")


@dataclass
class UidLease:
    """A uid no other worker on this machine uses while the lease is held."""

    uid: int
    fd: int

    def release(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # closing the only descriptor drops the flock
            self.fd = -1


def lease_uid(preferred: int = 0, *, directory: Path | None = None, first: int = FIRST, count: int = COUNT) -> UidLease:
    """Lease a free uid, trying ``first + preferred`` first (so worker ``i`` usually keeps its uid)."""
    folder = directory or lease_dir()
    for step in range(count):
        uid = first + (preferred + step) % count
        fd = os.open(folder / f"{uid}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        _kill_leftovers(uid)
        return UidLease(uid, fd)
    raise GradingError(f"grading: all {count} worker uids ({first}-{first + count - 1}) are in use by other "
                       f"grading runs on this machine (lock files in {folder})")


def leased(uid: int, *, directory: Path | None = None) -> bool:
    """Whether a live worker holds ``uid`` now."""
    try:
        fd = os.open((directory or lease_dir()) / f"{uid}.lock", os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _kill_leftovers(uid: int) -> None:
    """Kill what an earlier, crashed holder of ``uid`` left running (nobody else may run as it)."""
    import signal

    from coursekit.grading.proc import processes, quietly

    for pid in processes(False, uid):
        quietly(os.kill, pid, signal.SIGKILL)
