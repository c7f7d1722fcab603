"""The warm worker that runs submissions inside the sandbox.

Started once per worker (``python -P -m coursekit.grading.server CONFIG_JSON``, a
:class:`~coursekit.grading.protocol.WorkerConfig`), normally inside ``bwrap``. It imports
the course's libraries once and becomes the *template*: a process that never receives,
parses or keeps a submission. For every job it reads only the short header line
(:func:`~coursekit.grading.protocol.job_header`, byte by byte, so not one byte of the
job itself) and forks a *supervisor*, a copy of the clean template, which reads the
:class:`~coursekit.grading.protocol.Job` from the pipe itself, runs the attempts and
writes the :class:`~coursekit.grading.protocol.Reply` line to the grader. Each attempt
is a grandchild that switches to the submissions' uid (when started as root), installs
the seccomp filter of :mod:`.seccomp`, creates a fresh directory, starts a new session,
applies rlimits and runs the cells with IPython (see :mod:`.capture`), streaming its
outputs back through a pipe. When the supervisor has exited the template kills every
process left in its PID namespace and wipes the scratch space, ``/tmp``, ``/dev/shm``,
System V IPC and POSIX message queues, then answers
:class:`~coursekit.grading.protocol.Cleaned` and only then reads the next header. So
every submission starts from a state that has never held another student's data.

The worker never computes a verdict and never sees the gradebook, the source notebooks
or the question bank.
"""

from __future__ import annotations

import base64
import ctypes
import os
import select
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from coursekit.grading import seccomp
from coursekit.grading.capture import INLINE_BACKEND, CellRecorder, capture_streams, make_shell
from coursekit.grading.proc import (
    Attempt,
    Reader,
    describe_status,
    outcome,
    processes,
    quietly,
    reap,
    remove_sysv_ipc,
    send,
    set_limits,
    sysv_ipc_present,
    wait_status,
    wipe,
)
from coursekit.grading.protocol import (
    MAX_HEADER_BYTES,
    Cleaned,
    Event,
    Job,
    Limits,
    ProtocolError,
    Ready,
    Reply,
    WorkerConfig,
    parse_job_header,
    write_line,
)

__all__ = ["main"]

#: Loaded by every warm worker (what the grading shell and the checking API need); the modules
#: the assignments' own cells import are added per course (``WorkerConfig.warm``). Plotting and
#: widgets are left to the courses that use them: a worker of a course without them is ready
#: sooner, and a student who imports one anyway pays only that import.
WARM_MODULES = ("numpy", "pandas", "coursekit", "coursekit.anatomy", "coursekit.checks", "coursekit.names")
MAX_ATTEMPTS = 3
GRACE_SECONDS = 2.0


def _log(text: str) -> None:
    os.write(2, f"[coursekit worker {os.getpid()}] {text}\n".encode())


def _read_header(fd: int) -> bytes | None:
    """One header line, read a byte at a time so nothing after it leaves the pipe; None at end of input."""
    line = b""
    while not line.endswith(b"\n"):
        if len(line) >= MAX_HEADER_BYTES:
            raise ProtocolError(f"job header: longer than {MAX_HEADER_BYTES} bytes")
        byte = os.read(fd, 1)
        if not byte:
            if line:
                raise ProtocolError("job header: input ended inside it")
            return None
        line += byte
    return line


def _read_exact(fd: int, size: int) -> bytes:
    chunks: list[bytes] = []
    left = size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise ProtocolError(f"job: input ended after {size - left} of {size} bytes")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _non_dumpable() -> None:
    """Forbid ptrace and /proc/<pid>/mem access to this process (PR_SET_DUMPABLE = 0)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _warm_up(extra: list[str]) -> list[str]:
    import importlib

    loaded = []
    for name in dict.fromkeys([*WARM_MODULES, *extra]):
        try:
            module = importlib.import_module(name)
            for public in getattr(module, "__all__", ()) if name.startswith("coursekit") else ():
                getattr(module, public)  # a package that loads its names on first use: load them now
            loaded.append(name)
        except Exception as err:  # noqa: BLE001 - a missing optional library must not stop grading
            _log(f"could not pre-import {name}: {err}")
    return loaded


def _drop_privileges(uid: int | None) -> None:
    if uid is not None and os.getuid() == 0:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)


def _write_files(jobdir: Path, files: dict[str, str]) -> None:
    """Create the job's fresh directory (mode 700) and its data files, as the child's user."""
    jobdir.mkdir(mode=0o700)
    for rel, b64 in files.items():
        target = (jobdir / rel).resolve()
        if jobdir.resolve() not in target.parents:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(b64))


WARM_UP_CELLS = (
    "import io, math, json\nimport numpy as np\nimport pandas as pd\n"
    "df = pd.read_csv(io.StringIO('pose,landmark,x_cm,y_cm\\na,b,1.5,2\\n'))\n"
    "row = df[(df['pose'] == 'a') & (df['landmark'] == 'b')]\nfloat(row['x_cm'].iloc[0])\n"
    "math.degrees(math.atan2(1.0, 2.0))",
    "df.head(10)",
    "import os\nos.environ['COURSEKIT_MODE'] = 'export'\nfrom coursekit.checks import check, grade\n"
    "check('warm.up', 1)\ngrade('warm.up', ['a', 1, 2.5, None, {'k': [True]}], 1)\n"
    "grade('warm.up', df, 1)\nos.environ.pop('COURSEKIT_MODE')",
)
#: Run only when the course's cells import matplotlib (its first figure costs a font cache and a backend).
WARM_UP_FIGURE = ("import io\nfrom matplotlib.figure import Figure\nfig = Figure()\nfig.subplots().plot([1, 2])\n"
                  "fig.savefig(io.BytesIO(), format='png')")


def _warm_shell(worker: Worker) -> None:
    """Run trusted warm-up cells once, so children do not pay first-use costs; then reset."""
    import io

    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = io.StringIO()
    try:
        for source in (*WARM_UP_CELLS, *([WARM_UP_FIGURE] if "matplotlib" in sys.modules else [])):
            worker.shell.run_cell(source, store_history=False)
        worker.shell.reset(new_session=False)
    finally:
        sys.stdout, sys.stderr = saved
        worker.recorder.new_cell()
        worker.recorder.used_bytes = 0
        worker.recorder.notes = []


class Worker:
    """State of one warm worker: config, scratch space and the prebuilt shell."""

    def __init__(self, config: WorkerConfig) -> None:
        self.config = config
        self.scratch = Path(config.scratch)
        self.pidns = config.pidns
        self.dedicated_uid = config.dedicated_uid
        self.child_uid = config.child_uid
        self.caps = config.caps
        self.recorder = CellRecorder(self.caps)
        self.shell = make_shell(self.recorder)
        self.jobs = 0
        self.template: int | None = None  # in a supervisor: the template's pid (never killed)

    # -- the template ----------------------------------------------------------------------
    def serve(self, proto: int) -> None:
        """Fork one supervisor per job header on stdin; after each, kill and wipe everything it left."""
        while True:
            header = _read_header(0)
            if header is None:
                return
            size = parse_job_header(header)
            started = time.monotonic()
            pid = os.fork()
            if pid == 0:
                self.supervisor(size, proto)
            status = wait_status(pid)
            self._killall(None)
            self._clean()
            write_line(proto, Cleaned(describe_status(status), round(time.monotonic() - started, 4)).to_json())

    def supervisor(self, size: int, proto: int) -> None:
        """In the forked supervisor: read the job from stdin, run it, write the reply; never returns."""
        code = 0
        try:
            self.template = os.getppid()
            job = Job.from_json(_read_exact(0, size))
            write_line(proto, self.run_job(job).to_json())
        except BaseException as err:  # noqa: BLE001 - the template reports the exit code to the grader
            _log(f"supervisor failed: {type(err).__name__}: {str(err)[:200]}")
            code = 4
        os._exit(code)

    # -- the child -------------------------------------------------------------------------
    def child(self, job: Job, jobdir: Path, wfd: int, skip: dict[int, str]) -> None:
        """Run in the forked child: never returns."""
        code = 0
        try:
            self._enter(jobdir, wfd, job)
            self._run_cells(job, wfd, skip)
        except BaseException:  # noqa: BLE001 - report nothing; the supervisor sees the crash
            code = 3
        os._exit(code)

    def _enter(self, jobdir: Path, wfd: int, job: Job) -> None:
        os.setsid()
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.closerange(3, wfd)
        os.closerange(wfd + 1, 65536)
        _drop_privileges(self.child_uid)  # student code never runs as the worker's uid
        if self.config.seccomp:
            seccomp.install()  # raises: a child that cannot deny user namespaces runs nothing
        _write_files(jobdir, job.files)
        os.chdir(jobdir)
        os.environ.update({"HOME": str(jobdir), "TMPDIR": str(jobdir / ".tmp"), "COURSEKIT_MODE": "export",
                           "MPLBACKEND": INLINE_BACKEND, "PYTHONDONTWRITEBYTECODE": "1"})  # as in a kernel
        (jobdir / ".tmp").mkdir(exist_ok=True)
        sys.path.insert(0, str(jobdir))
        set_limits(job.limits)
        capture_streams(self.recorder)

    def _run_cells(self, job: Job, wfd: int, skip: dict[int, str]) -> None:
        cell_timeout = max(0.5, float(job.limits.cell_timeout))  # fractions count (setitimer, not alarm)

        def on_alarm(signum: int, frame: Any) -> None:
            raise TimeoutError(f"this cell ran longer than {cell_timeout:g} s, the grading limit per cell")

        signal.signal(signal.SIGALRM, on_alarm)
        for cell in job.cells:
            index = cell.index
            self.recorder.new_cell()
            if index in skip:
                self.recorder.error("CellSkipped", skip[index], [skip[index]])
            else:
                send(wfd, {"start": index})
                signal.setitimer(signal.ITIMER_REAL, cell_timeout)
                try:
                    self.shell.run_cell(cell.source, store_history=True)
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            send(wfd, {"done": index, "outputs": self.recorder.outputs})
        send(wfd, {"end": True, "notes": self.recorder.notes})

    # -- the supervisor ----------------------------------------------------------------------
    def run_job(self, job: Job) -> Reply:
        """Run one submission, retrying around cells that hang or kill the interpreter."""
        skip: dict[int, str] = {}
        events: list[Event] = []
        outcome = Attempt({}, [], False)
        timing = {"run": 0.0, "cleanup": 0.0}
        deadline = time.monotonic() + job.limits.total_timeout  # for all attempts together
        for _attempt in range(MAX_ATTEMPTS):
            t0 = time.monotonic()
            outcome = self._attempt(job, skip, deadline)
            t1 = time.monotonic()
            self._clean()
            timing["run"] += t1 - t0
            timing["cleanup"] += time.monotonic() - t1
            bad = outcome.bad_cell
            if outcome.finished or bad is None or bad in skip or time.monotonic() >= deadline:
                if not outcome.finished and time.monotonic() >= deadline:
                    outcome.reason = "the notebook exceeded the total time limit"
                break
            skip[bad] = outcome.reason
            events.append(Event(bad, outcome.reason))
        status = "ok" if outcome.finished else "incomplete"
        return Reply(job.key, status, outcome.cells, events, timing,
                     outcome.notes + ([outcome.reason] if not outcome.finished else []))

    def _attempt(self, job: Job, skip: dict[int, str], deadline: float) -> Attempt:
        self.jobs += 1
        jobdir = self.scratch / f"job{self.jobs}"
        rfd, wfd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(rfd)
            self.child(job, jobdir, wfd, skip)
        os.close(wfd)
        try:
            return self._supervise(pid, rfd, job.limits, deadline)
        finally:
            os.close(rfd)

    def _supervise(self, pid: int, rfd: int, limits: Limits, total_deadline: float) -> Attempt:
        reader = Reader(rfd, self.caps.total_bytes + self.caps.answer_bytes)
        pidfd = os.pidfd_open(pid)
        cell_timeout = limits.cell_timeout + GRACE_SECONDS
        hung = False
        try:
            while True:
                now = time.monotonic()
                deadline = total_deadline
                if reader.current is not None:
                    deadline = min(deadline, reader.started + cell_timeout)
                ready, _, _ = select.select([rfd, pidfd], [], [], max(0.0, deadline - now))
                if rfd in ready:
                    reader.read()
                if pidfd in ready:
                    break
                if not ready and time.monotonic() >= deadline:
                    hung = True
                    break
        finally:
            os.close(pidfd)
        status = -1 if hung else wait_status(pid)
        self._killall(pid)
        reader.drain()
        return outcome(reader, hung, status, cell_timeout - GRACE_SECONDS)

    def _killall(self, pid: int | None) -> None:
        """Kill the child and everything it started (the whole PID namespace but us and the template)."""
        keep = (self.template,) if self.template else ()
        for _ in range(500):
            if self.pidns and not keep:
                quietly(os.kill, -1, signal.SIGKILL)
            elif self.pidns:
                for other in processes(True, keep=keep):
                    quietly(os.kill, other, signal.SIGKILL)
            else:
                if pid is not None:
                    quietly(os.killpg, pid, signal.SIGKILL)
                if self.dedicated_uid:
                    for other in processes(False, self.child_uid):
                        quietly(os.kill, other, signal.SIGKILL)
            reap()
            if not (self.pidns or self.dedicated_uid) or not processes(self.pidns, self.child_uid, keep):
                return
            time.sleep(0.005)
        _log("some processes did not die")

    def _clean(self) -> None:
        roots = [self.scratch, *([Path("/tmp"), Path("/dev/shm")] if self.pidns else []), *map(Path, self.config.wipe)]
        for root in roots:
            wipe(root)
        if self.pidns and sysv_ipc_present():
            self._as_child_user(remove_sysv_ipc)  # only the creator (or CAP_SYS_ADMIN) may remove IPC objects

    def _as_child_user(self, func: Callable[[], None]) -> None:
        """Run ``func`` in a short-lived child with the submissions' uid."""
        if self.child_uid is None:
            func()
            return
        pid = os.fork()
        if pid == 0:
            try:
                _drop_privileges(self.child_uid)
                func()
            finally:
                os._exit(0)
        wait_status(pid)


def main(argv: list[str] | None = None) -> None:
    """Entry point inside the sandbox: warm up, announce readiness, serve jobs."""
    config = WorkerConfig.from_json((argv or sys.argv[1:])[0])
    proto = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _non_dumpable()
    loaded = _warm_up(config.warm)
    worker = Worker(config)
    _warm_shell(worker)
    Path(config.scratch).mkdir(parents=True, exist_ok=True)
    _non_dumpable()
    write_line(proto, Ready(os.getuid(), os.getpid(), loaded).to_json())
    try:
        worker.serve(proto)
    except ProtocolError as err:  # the grader restarts a worker that stops
        _log(str(err))
        sys.exit(2)


if __name__ == "__main__":
    main()
