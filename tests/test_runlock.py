"""Two ``coursekit grade`` runs on one course: the second is refused and told who holds the course."""

from __future__ import annotations

import getpass
import json
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from coursekit.errors import GradingError
from coursekit.runlock import LOCK_FILE, course_lock, lock_holder

HOLD = """
import sys, time
from coursekit.runlock import course_lock
with course_lock(sys.argv[1], command="coursekit grade ps1"):
    print("locked", flush=True)
    time.sleep(60)
"""


def test_a_second_run_is_refused_and_names_pid_user_host_and_start(tmp_path: Path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(GradingError) as caught, course_lock(tmp_path, command="coursekit grade ps2"):
            pass
        message = str(caught.value)
        info = json.loads((tmp_path / LOCK_FILE).read_text())
        assert f"pid {holder.pid}, user {getpass.getuser()} on {socket.gethostname()}, since {info['started']}" in message
        assert "(coursekit grade ps1)" in message and "Wait for it to finish" in message
        assert lock_holder(tmp_path).pid == holder.pid  # type: ignore[union-attr]
    finally:
        holder.kill()
        holder.wait()
    with course_lock(tmp_path, command="coursekit grade ps2") as me:  # the kernel released the killed holder's lock
        assert me.pid != holder.pid and lock_holder(tmp_path).command == "coursekit grade ps2"  # type: ignore[union-attr]
    assert lock_holder(tmp_path) is None


def test_the_lock_is_released_after_the_run_even_when_it_fails(tmp_path: Path):
    with pytest.raises(RuntimeError), course_lock(tmp_path):
        raise RuntimeError("grading crashed")
    before = datetime.now(UTC).replace(microsecond=0)
    with course_lock(tmp_path) as me:
        after = datetime.now(UTC)
        assert before <= datetime.fromisoformat(me.started) <= after  # a fresh lock, not the crashed run's


def test_two_locks_in_one_process_conflict_too(tmp_path: Path):
    with course_lock(tmp_path, command="first"):
        with pytest.raises(GradingError, match=r"holds this course: pid \d+, .*\(first\)"):
            with course_lock(tmp_path, command="second"):
                pass
