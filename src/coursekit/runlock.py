"""One ``coursekit grade`` at a time per course: a lock that says who holds it.

The lock is ``<course>/.coursekit-grade.lock``, held with ``fcntl.flock`` for as long as
the run lasts. The kernel drops it when the holder exits, however it exits (Ctrl-C,
kill -9, a crash), so a stale lock never blocks the next run. The holder writes who it
is (pid, user, host, start time, command) into the file; a second run that finds the
lock taken raises :class:`~coursekit.errors.GradingError` with that, and what to do.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as course:
...     with course_lock(course, command="coursekit grade ps1") as me:
...         me.command
'coursekit grade ps1'
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import json
import os
import socket
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from coursekit.errors import GradingError

__all__ = ["Holder", "course_lock", "lock_holder", "LOCK_FILE"]

LOCK_FILE = ".coursekit-grade.lock"


@dataclass(frozen=True)
class Holder:
    """Who holds a course's lock."""

    pid: int
    user: str
    host: str
    started: str    #: ISO 8601, UTC
    command: str

    def text(self) -> str:
        return f"pid {self.pid}, user {self.user} on {self.host}, since {self.started} ({self.command})"


def _me(command: str) -> Holder:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid())
    return Holder(os.getpid(), user, socket.gethostname(), datetime.now(UTC).isoformat(timespec="seconds"),
                  command or " ".join(["coursekit", *sys.argv[1:]]))


def lock_holder(course: Path | str) -> Holder | None:
    """Who the lock file names, or None when there is none (or it cannot be read)."""
    try:
        return Holder(**json.loads((Path(course) / LOCK_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


@contextlib.contextmanager
def course_lock(course: Path | str, *, command: str = "") -> Iterator[Holder]:
    """Hold the course's grading lock for the ``with`` block, or raise naming who holds it."""
    path = Path(course) / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise GradingError(f"{path}: cannot create the grading lock ({err.strerror}); check the course "
                           "directory's permissions") from err
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = lock_holder(course)
            who = holder.text() if holder else "another process (it has not written its name yet)"
            raise GradingError(f"{Path(course)}: another coursekit grade run holds this course: {who}. Wait "
                               "for it to finish, or stop it, then run again") from None
        me = _me(command)
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(asdict(me)).encode(), 0)
        try:
            yield me
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
