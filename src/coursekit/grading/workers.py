"""Grader side of the warm workers: start them, send jobs, survive their death.

A :class:`WorkerHandle` owns one sandboxed worker process. :func:`run_jobs` spreads
jobs over one thread per worker and hands every result back to the caller's thread,
in completion order, so the gradebook is written by one thread only.
"""

from __future__ import annotations

import json
import os
import queue
import select
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursekit.grading.cgroups import remove as remove_cgroups
from coursekit.grading.sandbox import Sandbox

__all__ = ["WorkerHandle", "WorkerFailure", "Job", "run_jobs"]

START_TIMEOUT = 120.0


class WorkerFailure(Exception):
    """The worker died or stopped answering while running a job."""


@dataclass
class Job:
    """One submission to run: ``payload`` is what the worker receives."""

    key: str
    payload: dict[str, Any]
    timeout: float


class WorkerHandle:
    """One warm worker process in its sandbox."""

    def __init__(self, sandbox: Sandbox, index: int, caps: dict[str, Any], log_dir: Path) -> None:
        self.sandbox = sandbox
        self.index = index
        self.caps = caps
        self.log_path = log_dir / f"worker{index}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.buffer = b""
        self.info: dict[str, Any] = {}

    def spawn(self) -> None:
        """Start the worker process; it warms up while the grader prepares jobs."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.proc = self.sandbox.popen(self.index, self.caps, log)
        self.buffer = b""
        self.info = {}

    def wait_ready(self) -> None:
        try:
            self.info = json.loads(self._read_line(time.monotonic() + START_TIMEOUT))
        except (ValueError, WorkerFailure) as err:
            self.stop()
            raise WorkerFailure(f"worker {self.index} did not start ({err}); see {self.log_path}") from err
        if not self.info.get("ready"):
            self.stop()
            raise WorkerFailure(f"worker {self.index} did not start; see {self.log_path}")

    def start(self) -> None:
        self.spawn()
        self.wait_ready()

    def run(self, payload: dict[str, Any], timeout: float) -> dict[str, Any]:
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        elif not self.info:
            self.wait_ready()
        assert self.proc is not None and self.proc.stdin is not None
        try:
            self.proc.stdin.write((json.dumps(payload) + "\n").encode())
            self.proc.stdin.flush()
            result = json.loads(self._read_line(time.monotonic() + timeout))
        except (OSError, ValueError, WorkerFailure) as err:
            self.stop()
            raise WorkerFailure(f"the sandbox worker stopped while running this submission ({err})") from err
        if result.get("job") != payload.get("job"):
            self.stop()
            raise WorkerFailure("the sandbox worker answered for another job")
        return result

    def _read_line(self, deadline: float) -> bytes:
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WorkerFailure("timed out")
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 22)
            if not chunk:
                raise WorkerFailure(f"worker exited (code {self.proc.poll()}); see {self.log_path}")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line

    def stop(self) -> None:
        """Kill the worker's whole process group (and so its sandbox)."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                if stream:
                    stream.close()
            except OSError:
                pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        scratch = getattr(self.proc, "coursekit_scratch", None)
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
        remove_cgroups(getattr(self.proc, "coursekit_cgroups", []))
        self.proc = None


def run_jobs(jobs: Iterable[Job], workers: list[WorkerHandle],
             on_result: Callable[[Job, dict[str, Any] | None, str | None], None]) -> None:
    """Run ``jobs`` on ``workers``; call ``on_result(job, result, failure)`` in this thread.

    Ctrl-C stops dispatching, kills the workers and re-raises; results already passed to
    ``on_result`` are kept by the caller.
    """
    todo: queue.Queue[Job | None] = queue.Queue()
    done: queue.Queue[tuple[Job, dict[str, Any] | None, str | None]] = queue.Queue()
    count = 0
    for job in jobs:
        todo.put(job)
        count += 1
    stop = threading.Event()

    def serve(worker: WorkerHandle) -> None:
        while not stop.is_set():
            try:
                job = todo.get_nowait()
            except queue.Empty:
                return
            if job is None:
                return
            try:
                done.put((job, worker.run(job.payload, job.timeout), None))
            except WorkerFailure as err:
                done.put((job, None, str(err)))
            except Exception as err:  # noqa: BLE001 - a worker thread must report, not vanish
                worker.stop()
                done.put((job, None, f"unexpected grader error: {err!r}"))

    threads = [threading.Thread(target=serve, args=(w,), daemon=True) for w in workers]
    for thread in threads:
        thread.start()
    try:
        for _ in range(count):
            on_result(*done.get())
    finally:
        stop.set()
        for worker in workers:
            worker.stop()
        for thread in threads:
            thread.join(timeout=10)
