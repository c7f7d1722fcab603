"""Start a Jupyter server for a test and wait until it answers: one helper for the browser tests.

* :func:`jupyter_lab` -- JupyterLab on a free port of 127.0.0.1 with a token, serving a
  folder, with Jupyter configuration, settings and runtime files of its own (nothing of the
  user's is read or written); yields ``(base URL, token)`` once a chosen URL answers.
* :func:`wait_for_url` -- until a URL answers 200 while the process serving it lives (also
  what the hub tests wait for JupyterHub with).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

__all__ = ["free_port", "jupyter_lab", "stop_process", "wait_for_url"]

#: No "Jupyter news" question and no update check: nothing covers the page in screenshots.
QUIET_SETTINGS = {"@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                                     "checkForUpdates": False}}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_url(url: str, process: subprocess.Popen[Any], log: Path, *, timeout: float, what: str) -> None:
    """Return once ``url`` answers 200; raise with the tail of ``log`` if ``process`` exits or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited ({process.returncode}); {log}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=5) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not answer {url.split('?')[0]} within {timeout:.0f} s; {log}:\n{_tail(log)}")
        time.sleep(0.3)


def _tail(log: Path) -> str:
    try:
        return log.read_text(encoding="utf-8", errors="replace")[-3000:]
    except OSError:
        return "(no log)"


@contextlib.contextmanager
def jupyter_lab(root: Path, home: Path, *, settings: Mapping[str, object] = QUIET_SETTINGS,
                ready: str = "api/status", timeout: float = 60, expose_app: bool = False) -> Iterator[tuple[str, str]]:
    """JupyterLab serving ``root`` (run in ``root``: nbgrader reads its config from there).

    ``home`` holds its configuration, ``settings`` (file name -> JSON) and ``lab.log``;
    ``ready`` is the path that must answer before the test goes on (e.g. formgrader's API);
    ``expose_app`` sets ``window.jupyterapp`` for tests that ask JupyterLab's state.
    """
    port, token = free_port(), secrets.token_hex(16)
    config, settings_dir = home / "config", home / "settings"
    config.mkdir(parents=True, exist_ok=True)
    for name, value in settings.items():
        (settings_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (settings_dir / name).write_text(json.dumps(value), encoding="utf-8")
    server = {
        "ServerApp": {"ip": "127.0.0.1", "port": port, "port_retries": 0, "open_browser": False, "root_dir": str(root),
                      "allow_root": True},
        "IdentityProvider": {"token": token},
        "LabApp": {"news_url": None, "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
                   "expose_app_in_browser": expose_app, "user_settings_dir": str(settings_dir),
                   "workspaces_dir": str(home / "workspaces")},
    }
    (config / "jupyter_server_config.json").write_text(json.dumps(server), encoding="utf-8")
    bindir = str(Path(sys.executable).parent)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "PATH": bindir + os.pathsep + os.environ.get("PATH", "")}
    log_path = home / "lab.log"
    base = f"http://127.0.0.1:{port}/"
    with log_path.open("w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "jupyterlab"], cwd=root, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
        try:
            wait_for_url(f"{base}{ready}?token={token}", proc, log_path, timeout=timeout, what="JupyterLab")
            yield base, token
        finally:
            stop_process(proc)


def stop_process(proc: subprocess.Popen[Any], timeout: float = 30) -> None:
    """Ask ``proc`` to stop (SIGTERM); kill it when it has not stopped within ``timeout`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
