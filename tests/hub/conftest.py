"""A real course hub for the tests: Unix accounts, JupyterHub, its proxy, the exchange.

The hub is set up by ``coursekit hub setup`` (the command ``make hub`` runs) under
``/srv/coursekit-hub-test`` with accounts of its own (``cktest-*``), so it never touches
a demo hub on the same machine, and started with ``hub/jupyterhub_config.py``. It needs
root (accounts, permissions) and npm (the proxy); without them the tests skip and say why.
"""

from __future__ import annotations

import fcntl
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from coursekit.hub.layout import HubLayout
from coursekit.hub.provision import instructor_env
from jupyter_servers import stop_process, wait_for_url

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "coursekit-hub-test-password"
LAYOUT = HubLayout(root=Path("/srv/coursekit-hub-test"), instructor="cktest-instructor",
                   students=("cktest-student1", "cktest-student2", "cktest-student3", "cktest-student4"), port=0)


def _skip_reason() -> str | None:
    if os.geteuid() != 0:
        return "the hub tests need root: they create Unix accounts (run make test as root)"
    if not shutil.which("useradd", path="/usr/sbin:/sbin:/usr/bin"):
        return "the hub tests need useradd"
    if not (shutil.which("configurable-http-proxy") or shutil.which("npm")):
        return "the hub tests need configurable-http-proxy or npm to install it"
    return None


def _free_ports() -> int:
    """A port p with p, p+1 and p+2 free on 127.0.0.1 (proxy, hub, proxy API)."""
    for _ in range(200):
        port = random.randrange(20000, 40000)
        try:
            for p in (port, port + 1, port + 2):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", p))
        except OSError:
            continue
        return port
    raise RuntimeError("no three free ports in a row on 127.0.0.1")


@dataclass
class Hub:
    layout: HubLayout
    env: dict[str, str]
    process: subprocess.Popen[bytes]
    log: Path

    def as_user(self, user: str, script: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run a bash script as ``user`` in their home, with a student's environment."""
        home = self.layout.home(user)
        env = {"HOME": str(home), "USER": user, "LANG": "C.UTF-8",
               "PATH": f"{self.layout.env / 'bin'}:/usr/bin:/bin",
               "JUPYTER_CONFIG_PATH": str(self.layout.etc(self.layout.role(user))),
               "MPLCONFIGDIR": str(home / ".cache" / "matplotlib")}
        if user == self.layout.instructor:  # as the instructor's server and the grading service run
            env.update(instructor_env(self.layout))
        return subprocess.run(["bash", "-c", script], cwd=home, env=env, capture_output=True, text=True,
                              timeout=timeout, check=False, user=user, group=user, extra_groups=[])


def _proxy() -> str:
    found = shutil.which("configurable-http-proxy")
    if found:
        return found
    subprocess.run(["make", "--no-print-directory", "hub-proxy"], cwd=REPO, check=True, capture_output=True)
    return str(REPO / "_build" / "hub-node" / "node_modules" / ".bin" / "configurable-http-proxy")


def _clean(layout: HubLayout) -> None:
    """Start from nothing a previous run left: course, exchange, the users' files."""
    shutil.rmtree(layout.exchange, ignore_errors=True)
    shutil.rmtree(layout.state, ignore_errors=True)
    for user in layout.users:
        home = layout.home(user)
        if home.is_dir() and home.name == user:
            for child in home.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)


def _stop_leftovers(layout: HubLayout) -> None:
    """Stop a hub, proxy or user server that an earlier run left behind (their pid files, their users)."""
    for name in ("jupyterhub.pid", "proxy.pid"):
        try:
            os.kill(int((layout.state / name).read_text().strip()), signal.SIGTERM)
        except (OSError, ValueError):
            pass
    for user in layout.users:
        subprocess.run(["pkill", "-TERM", "-u", user], check=False, capture_output=True)
    time.sleep(0.5)


@pytest.fixture(scope="session")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    # One test hub at a time on this machine: the accounts and the root are shared, so a second
    # pytest worker (or run) waits here until the first one's hub is gone.
    LAYOUT.root.parent.mkdir(parents=True, exist_ok=True)
    lock = open(LAYOUT.root.parent / f"{LAYOUT.root.name}.lock", "w")  # noqa: SIM115 - held for the session
    fcntl.flock(lock, fcntl.LOCK_EX)
    _stop_leftovers(LAYOUT)
    port = _free_ports()
    layout = HubLayout(root=LAYOUT.root, instructor=LAYOUT.instructor, students=LAYOUT.students, port=port)
    env = {**os.environ, "COURSEKIT_HUB_ROOT": str(layout.root), "COURSEKIT_HUB_PORT": str(port),
           "COURSEKIT_HUB_INSTRUCTOR": layout.instructor, "COURSEKIT_HUB_STUDENTS": ",".join(layout.students),
           "COURSEKIT_HUB_PASSWORD": PASSWORD, "COURSEKIT_HUB_PROXY": _proxy()}
    _clean(layout)
    setup = subprocess.run([str(Path(sys.executable).parent / "coursekit"), "hub", "setup", "--repo", str(REPO)],
                           env=env, cwd=REPO, capture_output=True, text=True, check=False)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    log = tmp_path_factory.mktemp("hub") / "jupyterhub.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(REPO / "hub" / "jupyterhub_config.py")],
                                   env=env, cwd=layout.state, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_url(f"{layout.url}/hub/health", process, log, timeout=90, what="jupyterhub")
        yield Hub(layout, env, process, log)
    finally:
        stop_process(process)
        _stop_leftovers(layout)
        artifacts = REPO / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        shutil.copy(log, artifacts / "hub-jupyterhub.log")
        lock.close()
