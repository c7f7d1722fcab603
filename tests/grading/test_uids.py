"""Worker uids are leased machine-wide: two grading runs at once never share one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from coursekit.errors import GradingError
from coursekit.grading.uids import lease_uid, leased

HOLD = """
import sys, time
from pathlib import Path
from coursekit.grading.uids import lease_uid
lease = lease_uid(0, directory=Path(sys.argv[1]), first=int(sys.argv[2]), count=3)
print(lease.uid, flush=True)
time.sleep(60)
"""


def test_two_leases_in_one_process_get_different_uids_and_a_released_one_is_reused(tmp_path: Path):
    first = lease_uid(0, directory=tmp_path, first=70001, count=3)
    second = lease_uid(0, directory=tmp_path, first=70001, count=3)  # worker 0 of a second run
    assert (first.uid, second.uid) == (70001, 70002)
    assert leased(70001, directory=tmp_path) and leased(70002, directory=tmp_path)
    assert not leased(70003, directory=tmp_path)
    first.release()
    assert not leased(70001, directory=tmp_path)
    assert lease_uid(0, directory=tmp_path, first=70001, count=3).uid == 70001
    third = lease_uid(2, directory=tmp_path, first=70001, count=3)  # preferred slot, wrapping round
    assert third.uid == 70003
    with pytest.raises(GradingError, match=r"all 3 worker uids \(70001-70003\) are in use .*" + str(tmp_path)):
        lease_uid(0, directory=tmp_path, first=70001, count=3)


def test_a_lease_held_by_another_process_is_skipped_and_freed_when_it_dies(tmp_path: Path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path), "70101"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "70101"
        mine = lease_uid(0, directory=tmp_path, first=70101, count=3)
        assert mine.uid == 70102 and leased(70101, directory=tmp_path)
    finally:
        holder.kill()
        holder.wait()
    assert not leased(70101, directory=tmp_path)  # the kernel dropped the dead holder's lock
    assert lease_uid(0, directory=tmp_path, first=70101, count=3).uid == 70101


@pytest.mark.skipif(os.geteuid() != 0, reason="running a process as another uid needs root")
def test_processes_a_crashed_holder_left_as_the_uid_are_killed_before_it_is_reused(tmp_path: Path):
    orphan = subprocess.Popen(["sleep", "300"], user=70201, group=70201)
    try:
        assert psutil.Process(orphan.pid).uids().real == 70201
        lease = lease_uid(0, directory=tmp_path, first=70201, count=1)
        assert lease.uid == 70201
        deadline = time.monotonic() + 10
        while orphan.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert orphan.returncode == -9
    finally:
        orphan.kill()
        orphan.wait()


@pytest.mark.skipif(os.geteuid() != 0, reason="submissions get a uid of their own only when grading runs as root")
def test_worker_0_of_two_grading_runs_at_once_runs_submissions_as_different_uids():
    # An rlimits run kills every process of its submissions' uid after each one; sharing the
    # uid with a bwrap run at the same time killed that run's honest students (CI, stop 19).
    from coursekit.grading.sandbox import BwrapSandbox, RlimitSandbox

    one, other = RlimitSandbox().worker_uid(0), BwrapSandbox().worker_uid(0)
    assert one is not None and other is not None
    try:
        assert one.uid != other.uid and leased(one.uid) and leased(other.uid)
    finally:
        one.release()
        other.release()
    assert not leased(one.uid)
