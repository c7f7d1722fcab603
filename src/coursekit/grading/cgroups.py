"""Optional per-worker cgroup limits (memory and number of processes).

rlimits bound each process; a submission that forks many processes could still use
much more memory in total. Where the cgroup v1 ``memory`` and ``pids`` hierarchies are
writable (grading as root), each worker's sandbox is put into its own cgroups so the
whole worker (all its submissions' processes) shares one memory budget and one
process budget. Elsewhere this is skipped and reported as not active.

>>> CgroupLimits(memory_mb=100, pids=10).available(Path("/nonexistent"))
False
"""

from __future__ import annotations

import os
import shlex
import signal
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CgroupLimits", "CGROUP_ROOT", "wrap", "remove"]

CGROUP_ROOT = Path("/sys/fs/cgroup")


@dataclass(frozen=True)
class CgroupLimits:
    """Memory (MiB) and process limits for one worker's cgroups."""

    memory_mb: int
    pids: int

    def available(self, root: Path = CGROUP_ROOT) -> bool:
        """True when both v1 controllers exist and we may create groups in them."""
        return all((root / c).is_dir() and os.access(root / c, os.W_OK) for c in ("memory", "pids")) \
            and os.geteuid() == 0

    def create(self, name: str, root: Path = CGROUP_ROOT) -> list[Path]:
        """Create the worker's groups and set the limits; returns their directories."""
        made = []
        settings = {"memory": {"memory.limit_in_bytes": str(self.memory_mb * 1024 * 1024)},
                    "pids": {"pids.max": str(self.pids)}}
        for controller, values in settings.items():
            group = root / controller / name
            group.mkdir(exist_ok=True)
            for key, value in values.items():
                (group / key).write_text(value)
            made.append(group)
        return made


def wrap(argv: list[str], groups: list[Path]) -> list[str]:
    """``argv`` run through ``sh``, which first moves itself into ``groups``, then execs ``argv``.

    (Not a ``preexec_fn``: that is unsafe in a process with threads.)

    >>> wrap(["true"], [Path("/g/memory/x")])
    ['/bin/sh', '-c', 'echo $$ > /g/memory/x/cgroup.procs && exec "$@"', 'sh', 'true']
    """
    moves = " && ".join(f"echo $$ > {shlex.quote(str(group / 'cgroup.procs'))}" for group in groups)
    return ["/bin/sh", "-c", f'{moves} && exec "$@"', "sh", *argv]


def _kill_members(group: Path) -> None:
    """SIGKILL every process still in ``group`` (a sandbox may outlive its killed parent briefly)."""
    try:
        pids = (group / "cgroup.procs").read_text().split()
    except OSError:
        return
    for pid in pids:
        try:
            os.kill(int(pid), signal.SIGKILL)
        except (ProcessLookupError, PermissionError, ValueError):
            pass


def remove(groups: list[Path], wait: float = 10.0) -> list[Path]:
    """Kill what is left in the groups and remove them; returns those still busy after ``wait`` s."""
    deadline = time.monotonic() + wait
    left = list(groups)
    while left:
        for group in list(left):
            _kill_members(group)
            try:
                group.rmdir()
                left.remove(group)
            except FileNotFoundError:
                left.remove(group)
            except OSError:
                continue
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    return left
