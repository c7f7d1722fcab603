"""Grader side of the warm workers: start them, send jobs, survive their death.

A :class:`WorkerHandle` owns one sandboxed worker process and speaks the typed protocol
of :mod:`coursekit.grading.protocol` with it: a job is a header line and the job's
JSON (read by the worker's per-job supervisor, never by its template); the answer is the
supervisor's :class:`Reply`, then the template's :class:`Cleaned` once the submission's
processes and kernel objects are gone. :func:`run_jobs` spreads jobs over a thread
pool (one thread per worker) and hands every result back to the caller's thread, in
completion order, so the gradebook is written by one thread only.
"""

from __future__ import annotations

import os
import queue
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from coursekit.grading.cgroups import remove as remove_cgroups
from coursekit.grading.protocol import (
    Cleaned,
    Job,
    OutputCaps,
    ProtocolError,
    Ready,
    Reply,
    job_header,
    worker_message,
)
from coursekit.grading.sandbox import Sandbox

__all__ = ["WorkerHandle", "WorkerFailure", "run_jobs"]

START_TIMEOUT = 120.0
#: How long the template may take to kill and wipe what a submission left.
CLEAN_TIMEOUT = 60.0


class WorkerFailure(Exception):
    """The worker died or stopped answering while running a job."""


class WorkerHandle:
    """One warm worker process in its sandbox."""

    def __init__(self, sandbox: Sandbox, index: int, caps: OutputCaps, log_dir: Path) -> None:
        self.sandbox = sandbox
        self.index = index
        self.caps = caps
        self.log_path = log_dir / f"worker{index}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.buffer = b""
        self.info: Ready | None = None
        self.cleaning = False  # a reply came; the template's Cleaned line is still due
        self.closed = False  # set by close(): no new worker process is started afterwards
        self.lock = threading.Lock()  # stop() from the batch's thread and from a worker thread

    def spawn(self) -> None:
        """Start the worker process; it warms up while the grader prepares jobs."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.lock, open(self.log_path, "ab") as log:
            if self.closed:
                raise WorkerFailure("grading was stopped")
            self.proc = self.sandbox.popen(self.index, self.caps, log)
        self.buffer = b""
        self.info = None
        self.cleaning = False

    def wait_ready(self) -> None:
        try:
            self.info = Ready.from_json(self._read_line(time.monotonic() + START_TIMEOUT))
        except (ProtocolError, WorkerFailure) as err:
            self.stop()
            raise WorkerFailure(f"worker {self.index} did not start ({err}); see {self.log_path}") from err

    def start(self) -> None:
        self.spawn()
        self.wait_ready()

    def _settle(self) -> None:
        """Wait for the previous job's Cleaned line; a worker that does not send it is restarted."""
        if not self.cleaning:
            return
        try:
            Cleaned.from_json(self._read_line(time.monotonic() + CLEAN_TIMEOUT))
            self.cleaning = False
        except (ProtocolError, WorkerFailure):
            self.stop()

    def run(self, job: Job, timeout: float) -> Reply:
        """Send ``job``, wait up to ``timeout`` seconds for its reply."""
        self._settle()
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        elif self.info is None:
            self.wait_ready()
        assert self.proc is not None and self.proc.stdin is not None
        payload = job.to_json().encode()
        try:
            self.proc.stdin.write(job_header(len(payload)) + payload)
            self.proc.stdin.flush()
            result = worker_message(self._read_line(time.monotonic() + timeout))
        except (OSError, ProtocolError, WorkerFailure) as err:
            self.stop()
            raise WorkerFailure(f"the sandbox worker stopped while running this submission ({err})") from err
        if isinstance(result, Cleaned):  # the supervisor ended without an answer; its input may be half-read
            self.stop()
            raise WorkerFailure(f"the sandbox worker stopped while running this submission ({result.status})")
        self.cleaning = True
        if result.job != job.key:
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

    def close(self) -> None:
        """Stop the worker for good: a thread still running a job cannot start a new one."""
        self.closed = True
        self.stop()

    def stop(self) -> None:
        """Kill the worker's whole process group (and so its sandbox)."""
        with self.lock:
            self._stop()

    def _stop(self) -> None:
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
        lease = getattr(self.proc, "coursekit_uid_lease", None)
        if lease is not None:
            lease.release()  # only now that its processes are gone may another worker take the uid
        self.proc = None
        self.cleaning = False


def run_jobs(jobs: Iterable[Job], timeout: float, workers: list[WorkerHandle],
             on_result: Callable[[Job, Reply | None, str | None], None], *, stop_workers: bool = True,
             ready: Callable[[], None] | None = None) -> None:
    """Run ``jobs`` on ``workers``; call ``on_result(job, reply, failure)`` in this thread, in completion order.

    ``jobs`` may be made as they are taken (a generator): the first runs while the rest are
    made. ``ready`` is called once every job is handed out, before the first result is handed
    over, so what only the results need is done while the workers run.
    ``stop_workers=False`` keeps the workers warm afterwards (a warm grader between submissions).

    A thread pool with one thread per worker; each job borrows a free worker. Ctrl-C stops
    dispatching, kills the workers and re-raises; results already passed to ``on_result``
    are kept by the caller.
    """
    free: queue.SimpleQueue[WorkerHandle] = queue.SimpleQueue()
    for worker in workers:
        free.put(worker)

    def run(job: Job) -> tuple[Reply | None, str | None]:
        worker = free.get()
        try:
            return worker.run(job, timeout), None
        except WorkerFailure as err:
            return None, str(err)
        except Exception as err:  # noqa: BLE001 - a worker thread must report, not vanish
            worker.stop()
            return None, f"unexpected grader error: {err!r}"
        finally:
            free.put(worker)

    pool = ThreadPoolExecutor(max_workers=max(1, len(workers)), thread_name_prefix="coursekit-grade")
    try:
        futures = {pool.submit(run, job): job for job in jobs}
        if ready is not None:
            ready()
        for future in as_completed(futures):
            reply, failure = future.result()
            on_result(futures[future], reply, failure)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        interrupted = sys.exc_info()[0] is not None
        for worker in workers:
            if stop_workers or interrupted:
                worker.close()
        pool.shutdown(wait=True)
        for worker in workers:  # every thread is done: the handles may start workers again
            worker.closed = False
