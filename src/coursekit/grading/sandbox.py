"""How a warm worker is started: inside ``bwrap`` or, where that is impossible, with limits only.

:func:`create_sandbox` picks the strategy (bubblewrap with user/mount/PID/network
namespaces, or the rlimit fallback) and every strategy reports which protections it
actually gives, so ``coursekit grade`` can print them.

Inside ``bwrap`` the worker sees only the Python installation, the virtual
environment, the ``coursekit`` package (its question bank hidden under an empty
tmpfs), ``/usr`` and ``/etc`` read-only, and two private tmpfs (``/tmp``,
``/scratch``). The course directory, gradebook, source and release notebooks and
submissions are not mounted. When ``coursekit grade`` runs as root, the worker keeps
only the capabilities it needs (setuid/setgid, kill, and overriding file permissions to
clean up) and runs every submission as an unprivileged uid of its own, so process
limits apply, files of the grading user stay unwritable and student code can neither
signal nor trace the worker. Without root, bwrap adds a user namespace instead and the
worker and its submissions share one uid. An mqueue filesystem of the sandbox's own
IPC namespace is mounted at ``/dev/mqueue`` so the worker can remove every POSIX message
queue a submission left (an IPC namespace per submission would need CAP_SYS_ADMIN in the
worker). In every mode each submission's child runs under the seccomp filter of
:mod:`.seccomp` (no user namespace, no keyrings) where the architecture is known.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from coursekit.grading import cgroups, seccomp
from coursekit.grading.cgroups import CgroupLimits
from coursekit.grading.protocol import OutputCaps, WorkerConfig
from coursekit.grading.uids import UidLease, lease_uid

__all__ = ["Sandbox", "BwrapSandbox", "RlimitSandbox", "bwrap_unavailable", "create_sandbox"]

SCRATCH = "/scratch"
#: Loaded by every rlimits worker that runs submissions as another uid (see RlimitSandbox.popen).
PLOTTING = ("matplotlib", "matplotlib.pyplot", "ipywidgets")
MQUEUE = "/dev/mqueue"


def _package_dir() -> Path:
    import coursekit

    return Path(coursekit.__file__).resolve().parent


def _installation() -> set[Path]:
    """Where a worker's code lives: the Python installation, the environment and the coursekit package."""
    return {Path(sys.base_prefix).resolve(), Path(sys.prefix).absolute(), _package_dir()}


def _bank_dir() -> Path:
    return _package_dir() / "data" / "bank"


def _env(home: str) -> dict[str, str]:
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8",
            "MPLBACKEND": "Agg", "MPLCONFIGDIR": f"{home}/.mpl", "IPYTHONDIR": f"{home}/.ipython",
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "PYTHONDONTWRITEBYTECODE": "1", "COURSEKIT_MODE": "export", "PYTHONNOUSERSITE": "1"}


@dataclass
class Sandbox:
    """A way to start a worker; subclasses fill in :meth:`command`."""

    kind: str = "none"
    protections: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def worker_uid(self, index: int) -> UidLease | None:
        """Lease the unprivileged uid the submissions of worker ``index`` run as (only when grading as root).

        The worker itself keeps another uid, so student code can neither signal nor trace it;
        no other worker on the machine, of this run or another, gets the same uid while the
        worker lives (:mod:`.uids`).
        """
        return lease_uid(index) if os.geteuid() == 0 else None

    warm: list[str] = field(default_factory=list)
    cgroup: CgroupLimits | None = None

    def _launch(self, index: int, argv: list[str], log: IO[bytes], lease: UidLease | None,
                **kwargs: Any) -> subprocess.Popen[bytes]:
        """Start ``argv`` (in the worker's own cgroups when configured), holding ``lease`` while it lives."""
        try:
            groups = self.cgroup.create(f"coursekit-{os.getpid()}-w{index}") if self.cgroup else []
            proc = subprocess.Popen(cgroups.wrap(argv, groups) if groups else argv, stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=log, start_new_session=True, close_fds=True,
                                    **kwargs)
        except BaseException:
            if lease:
                lease.release()
            raise
        proc.coursekit_cgroups = groups  # type: ignore[attr-defined]  # removed by WorkerHandle.stop
        proc.coursekit_uid_lease = lease  # type: ignore[attr-defined]  # released by WorkerHandle.stop
        return proc

    def popen(self, index: int, caps: OutputCaps, log: IO[bytes]) -> subprocess.Popen[bytes]:
        raise NotImplementedError

    def summary(self) -> str:
        text = f"sandbox: {self.kind}; active: {', '.join(self.protections)}"
        if self.missing:
            text += f"; NOT active: {', '.join(self.missing)}"
        return text


def _server_argv(config: WorkerConfig) -> list[str]:
    """``python -P``: the worker's cwd (writable by submissions) is never on its import path."""
    return [sys.executable, "-P", "-m", "coursekit.grading.server", config.to_json()]


def _ancestors(paths: list[str]) -> list[str]:
    """Every parent directory of ``paths`` (outermost first), for ``--dir`` with mode 0755."""
    seen: list[str] = []
    for path in paths:
        parts = Path(path).parts
        for depth in range(2, len(parts)):
            parent = str(Path(*parts[:depth]))
            if parent not in seen:
                seen.append(parent)
    return seen


@dataclass
class BwrapSandbox(Sandbox):
    """Each worker runs in its own bubblewrap sandbox (namespaces + read-only system)."""

    bwrap: str = "/usr/bin/bwrap"
    hide: list[str] = field(default_factory=list)
    tmp_mb: int = 512
    mqueue: bool = True  # mount the sandbox's mqueue fs at /dev/mqueue (emptied after every submission)

    def _binds(self) -> list[str]:
        binds = sorted(map(str, _installation()))
        return [b for b in binds if not any(b != o and b.startswith(o + os.sep) for o in binds)]

    def command(self, index: int, config: WorkerConfig) -> list[str]:
        binds = self._binds()
        argv = [self.bwrap, "--die-with-parent", "--new-session", "--unshare-ipc", "--unshare-pid",
                "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
        if os.geteuid() == 0:  # the worker keeps just enough to run children as another user and clean up
            argv += ["--cap-drop", "ALL"]
            for cap in ("CAP_SETUID", "CAP_SETGID", "CAP_KILL", "CAP_DAC_OVERRIDE", "CAP_FOWNER"):
                argv += ["--cap-add", cap]
        else:
            argv += ["--unshare-user", "--disable-userns"]
        argv += ["--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]
        # The private tmpfs come before the binds: a course checked out under /tmp must
        # stay visible (a later tmpfs would hide the venv and the package below it).
        size = str(self.tmp_mb * 1024 * 1024)
        argv += ["--proc", "/proc", "--dev", "/dev", *(["--mqueue", MQUEUE] if self.mqueue else []),
                 "--perms", "1777", "--size", size, "--tmpfs", "/tmp",
                 "--perms", "1777", "--size", size, "--tmpfs", SCRATCH]
        for name in ("bin", "lib", "lib64", "lib32", "sbin"):
            path = Path("/") / name
            if path.is_symlink():
                argv += ["--symlink", os.readlink(path), str(path)]
            elif path.is_dir():
                argv += ["--ro-bind", str(path), str(path)]
        for parent in _ancestors(binds):
            argv += ["--perms", "0755", "--dir", parent]
        for bind in binds:
            argv += ["--ro-bind", bind, bind]
        cache = os.environ.get("PYTHONPYCACHEPREFIX")
        if cache and Path(cache).is_dir():  # compiled modules, read-only (never a channel between submissions)
            argv += ["--ro-bind", cache, "/pycache", "--setenv", "PYTHONPYCACHEPREFIX", "/pycache"]
        for hidden in self.hide:
            argv += ["--perms", "0755", "--tmpfs", hidden]
        argv += ["--chdir", SCRATCH]
        env = ["--clearenv"]
        for key, value in _env("/tmp").items():
            env += ["--setenv", key, value]
        return argv[:1] + env + argv[1:] + _server_argv(config)

    def popen(self, index: int, caps: OutputCaps, log: IO[bytes]) -> subprocess.Popen[bytes]:
        lease = self.worker_uid(index)
        config = WorkerConfig(SCRATCH, True, lease.uid if lease else None, caps, list(self.warm), _seccomp(),
                              [MQUEUE] if self.mqueue else [])
        return self._launch(index, self.command(index, config), log, lease)


@dataclass
class RlimitSandbox(Sandbox):
    """Fallback: a separate process and directory with rlimits, no namespaces."""

    def popen(self, index: int, caps: OutputCaps, log: IO[bytes]) -> subprocess.Popen[bytes]:
        lease = self.worker_uid(index)
        scratch = tempfile.mkdtemp(prefix=f"coursekit-worker{index}-")
        if lease is not None:
            os.chown(scratch, lease.uid, lease.uid)
        # The submissions' uid may not be able to read the Python installation (under a private
        # home, say) where bwrap would have mounted it: what a student may plot with is loaded first.
        warm = [*self.warm, *(PLOTTING if lease is not None else ())]
        config = WorkerConfig(scratch, False, lease.uid if lease else None, caps, warm, _seccomp())
        env = _env(scratch)
        env["PYTHONPATH"] = str(_package_dir().parent)
        proc = self._launch(index, _server_argv(config), log, lease, env=env, cwd=scratch)
        proc.coursekit_scratch = scratch  # type: ignore[attr-defined]  # removed by WorkerHandle.stop
        return proc


def _seccomp() -> bool:
    return seccomp.unsupported() is None


def _bwrap_works(bwrap: str, extra: tuple[str, ...] = ()) -> str | None:
    """``None`` when a trivial sandbox starts, else the reason it does not."""
    argv = [bwrap, "--unshare-pid", "--unshare-net", "--unshare-ipc", "--die-with-parent", "--ro-bind", "/", "/",
            "--proc", "/proc", "--dev", "/dev", *extra, "true"]
    if os.geteuid() != 0:
        argv.insert(1, "--unshare-user")
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as err:
        return str(err)
    return None if done.returncode == 0 else (done.stderr.strip() or f"exit code {done.returncode}")


def bwrap_unavailable() -> str | None:
    """Why the bubblewrap sandbox cannot be used here (None when it can)."""
    bwrap = shutil.which("bwrap") or "/usr/bin/bwrap"
    return _bwrap_works(bwrap) if os.path.exists(bwrap) else "bwrap not found"


def create_sandbox(kind: str = "auto", *, keep_out: list[Path] | None = None,
                   cgroup: CgroupLimits | None = None) -> Sandbox:
    """Pick the strongest available sandbox (``auto``), or force ``bwrap`` / ``rlimits``.

    ``keep_out`` are directories (course dir, gradebook, ...) that must never be visible;
    if one of them lies inside a mounted directory it is hidden under an empty tmpfs.
    """
    common = ["rlimits (CPU, memory, file size, processes, open files)", "wall-clock timeout per cell",
              "output-size caps", "fresh directory per submission", "verdicts computed outside the sandbox"]
    bwrap = shutil.which("bwrap") or "/usr/bin/bwrap"
    problem = _bwrap_works(bwrap) if kind in ("auto", "bwrap") and os.path.exists(bwrap) else "bwrap not found"
    uid_note = (["submissions run as an unprivileged uid of their own (cannot signal or trace the worker)"]
                if os.geteuid() == 0 else [])
    no_seccomp = seccomp.unsupported()
    seccomp_note = [] if no_seccomp else ["seccomp filter per submission (no user namespaces, no keyrings)"]
    seccomp_missing = [f"user namespaces denied to submissions ({no_seccomp})"] if no_seccomp else []
    template = ("warm template that never holds a submission (each runs in a fresh fork of it; "
                "no earlier student's data in its memory)")
    if kind != "rlimits" and problem is None:
        mqueue = _bwrap_works(bwrap, ("--mqueue", MQUEUE)) is None
        box = BwrapSandbox(kind="bwrap", mqueue=mqueue, protections=[
            "PID namespace (every process killed after each submission)", "network namespace (no network)",
            "mount namespace (read-only system; course dir, gradebook, source and question bank not mounted)",
            "IPC/UTS namespaces", template,
            "files, System V IPC" + (" and POSIX message queues" if mqueue else "")
            + " of a submission removed before the next", *uid_note, *seccomp_note, *common],
            missing=[*seccomp_missing, *([] if mqueue else ["POSIX message queue cleanup (bwrap --mqueue failed)"])])
        box.hide = [str(p) for p in _hidden(box._binds(), keep_out or [])]
        if os.geteuid() != 0:
            box.protections.insert(0, "user namespace")
        return _with_cgroup(box, cgroup)
    if kind == "bwrap":
        from coursekit.errors import GradingError

        raise GradingError(f"bubblewrap sandbox unavailable ({problem}). Install it with "
                           "`apt-get install bubblewrap`, or pass --sandbox rlimits to grade with limits only.")
    return _with_cgroup(RlimitSandbox(
        kind="rlimits", protections=[*uid_note, "own session (process group killed)", template, *seccomp_note,
                                     *common],
        missing=[f"namespaces (bwrap unavailable: {problem})", "network isolation",
                 "filesystem isolation (gradebook and bank readable if permissions allow)",
                 "removal of /tmp files, System V IPC and POSIX message queues a submission leaves (host-wide)",
                 *seccomp_missing, *_private_installation()]), cgroup)


def _private_installation() -> list[str]:
    """What the rlimits fallback cannot give when the submissions' uid cannot enter the Python installation.

    As root, submissions run as another uid; a folder on the way to the installation that
    others may not enter (a private home such as ``/root``) leaves that uid only the modules
    the worker loaded first. bwrap mounts the installation and is not affected.
    """
    if os.geteuid() != 0:
        return []
    closed = sorted({str(folder) for prefix in _installation() for folder in (prefix, *prefix.parents)
                     if folder.is_dir() and not folder.stat().st_mode & 0o001})
    if not closed:
        return []
    return [f"imports beyond the preloaded modules in submissions ({', '.join(closed)} cannot be entered by the "
            "submissions' uid: install Python and the course's environment outside a private home, or use bwrap)"]


def _with_cgroup(box: Sandbox, cgroup: CgroupLimits | None) -> Sandbox:
    if cgroup is not None and cgroup.available():
        box.cgroup = cgroup
        box.protections.append(f"cgroup per worker (memory {cgroup.memory_mb} MiB, {cgroup.pids} processes)")
    else:
        box.missing.append("cgroup memory/process budget per worker (needs root and cgroup v1 memory+pids)")
    return box


def _hidden(binds: list[str], keep_out: list[Path]) -> list[Path]:
    found = [_bank_dir()] if _bank_dir().is_dir() else []
    for path in keep_out:
        path = path.resolve()
        if path.is_dir() and any(str(path).startswith(b + os.sep) for b in binds):
            found.append(path)
    return found
