"""Run notebook cells in-process with IPython and capture their outputs, size-capped.

Used inside the sandbox, in a forked child per submission: there is no ZMQ kernel,
the cells run in an :class:`IPython.core.interactiveshell.InteractiveShell` and every
output (streams, displays, results, errors) is recorded as an nbformat v4 output dict.
Huge outputs are truncated so one 50 MB line never reaches the graded notebook.

The shell behaves like ipykernel's ``ZMQInteractiveShell`` for what students normally
write (see :func:`make_shell`): ``%matplotlib inline`` and figures shown inline as
``image/png`` (matplotlib-inline is the default backend, as in a kernel), ``!cmd`` run
through pipes with its output in the cell's stdout, ``input()``/``getpass()`` failing at
once (nbgrader runs kernels without stdin), and ``%pip``/``%conda`` saying they do not run.

>>> truncate_text("x" * 25, 10)
'xxxxxxxxxx\\n[... output truncated by coursekit: 15 more characters]\\n'
"""

from __future__ import annotations

import builtins
import codecs
import getpass
import json
import os
import subprocess
import sys
from typing import Any

from coursekit.checks.export import MIME
from coursekit.grading.protocol import OutputCaps

__all__ = ["OutputCaps", "CellRecorder", "make_shell", "capture_streams", "truncate_text", "ANSWER_MIME",
           "INLINE_BACKEND", "NO_STDIN", "NO_INSTALL"]

ANSWER_MIME = MIME  # the mime coursekit.checks.grade displays in export mode
#: matplotlib's backend in the grading shell, as ipykernel makes it the default in a kernel
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
NO_STDIN = ("{what} was called, but notebooks are graded without a keyboard: nobody can type an answer. "
            "Put the value in your code instead (e.g. name = \"Ada\").")
NO_INSTALL = ("coursekit: %{magic} is not run when grading: nothing can be installed in the grading sandbox, "
              "which has the course's packages already. The rest of the cell runs.\n")


def truncate_text(text: str, limit: int) -> str:
    """Keep the first ``limit`` characters and say how many were dropped."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}\n[... output truncated by coursekit: {len(text) - limit} more characters]\n"


class CellRecorder:
    """Collects the outputs of the current cell, enforcing :class:`OutputCaps`."""

    def __init__(self, caps: OutputCaps) -> None:
        self.caps = caps
        self.outputs: list[dict[str, Any]] = []
        self.used_bytes = 0
        self.notes: list[str] = []

    def new_cell(self) -> None:
        self.outputs = []

    def _room(self, size: int, what: str) -> bool:
        if self.used_bytes + size > self.caps.total_bytes:
            self._note(f"{what} dropped: the notebook's outputs exceed {self.caps.total_bytes} bytes")
            return False
        if len(self.outputs) >= self.caps.cell_outputs:
            self._note(f"{what} dropped: more than {self.caps.cell_outputs} outputs in one cell")
            return False
        self.used_bytes += size
        return True

    def _note(self, text: str) -> None:
        if text not in self.notes and len(self.notes) < 20:
            self.notes.append(text)

    def stream(self, name: str, text: str) -> None:
        if len(text) > self.caps.stream_chars:
            self._note(f"a cell printed more than {self.caps.stream_chars} characters; the output was truncated")
        last = self.outputs[-1] if self.outputs else None
        if last is not None and last["output_type"] == "stream" and last["name"] == name:
            kept = len(last["text"])
            new = truncate_text(last["text"] + text, self.caps.stream_chars) if kept <= self.caps.stream_chars else last["text"]
            self.used_bytes += max(0, len(new) - kept)
            last["text"] = new
            return
        text = truncate_text(text, self.caps.stream_chars)
        if self._room(len(text), f"{name} output"):
            self.outputs.append({"output_type": "stream", "name": name, "text": text})

    def data(self, output_type: str, data: dict[str, Any], metadata: dict[str, Any] | None = None) -> None:
        clean = _jsonable(data)
        if not isinstance(clean, dict):
            return
        size = len(json.dumps(clean))
        limit = self.caps.answer_bytes if ANSWER_MIME in clean else self.caps.data_bytes
        if size > limit:
            clean = {"text/plain": f"[output of {size} bytes removed by coursekit: limit {limit}]"}
            size = len(clean["text/plain"])
        if not self._room(size, "display output"):
            return
        out: dict[str, Any] = {"output_type": output_type, "data": clean, "metadata": _jsonable(metadata or {}) or {}}
        if output_type == "execute_result":
            out["execution_count"] = None
        self.outputs.append(out)

    def error(self, ename: str, evalue: str, traceback: list[str]) -> None:
        tb = [truncate_text(str(line), 5_000) for line in traceback[-30:]]
        size = sum(len(line) for line in tb) + len(evalue)
        if self._room(min(size, 200_000), "error"):
            self.outputs.append({"output_type": "error", "ename": truncate_text(str(ename), 200),
                                 "evalue": truncate_text(str(evalue), 5_000), "traceback": tb})

    def clear(self) -> None:
        self.outputs = []


def _jsonable(value: Any) -> Any:
    """A JSON round trip; ``None`` when the value cannot be serialised."""
    try:
        return json.loads(json.dumps(value))
    except (TypeError, ValueError, RecursionError):
        return None


class _Stream:
    """A text stream object that records writes into the recorder."""

    def __init__(self, recorder: CellRecorder, name: str) -> None:
        self.recorder = recorder
        self.name = name
        self.encoding = "utf-8"

    def write(self, text: Any) -> int:
        text = str(text)
        self.recorder.stream(self.name, text)
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return 1 if self.name == "stdout" else 2


def _no_stdin(what: str) -> Any:
    from IPython.core.error import StdinNotImplementedError

    def refuse(*args: Any, **kwargs: Any) -> str:
        raise StdinNotImplementedError(NO_STDIN.format(what=what))

    return refuse


def _run_piped(command: str) -> int:
    """Run ``command`` with ``sh -c``, its output (stderr merged, as a kernel's pty does) to ``sys.stdout``."""
    env = {**os.environ, "PAGER": "cat", "GIT_PAGER": "cat",
           "PATH": os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "/usr/bin:/bin")])}
    proc = subprocess.Popen(["/bin/sh", "-c", command], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=env)
    assert proc.stdout is not None
    fd, decoder = proc.stdout.fileno(), codecs.getincrementaldecoder("utf-8")("replace")
    try:
        for chunk in iter(lambda: os.read(fd, 65536), b""):
            sys.stdout.write(decoder.decode(chunk))
        sys.stdout.write(decoder.decode(b"", final=True))
        return proc.wait()
    finally:
        if proc.poll() is None:  # the cell timed out (or was interrupted) while the command ran
            proc.kill()
            proc.wait()
        proc.stdout.close()


def _activate_inline(shell: Any) -> None:
    """Make matplotlib-inline the backend, as ipykernel does: figures become ``image/png`` displays."""
    os.environ["MPLBACKEND"] = INLINE_BACKEND
    if "matplotlib" in sys.modules:  # already imported (a warm worker): switch it now, as %matplotlib inline does
        try:
            shell.enable_matplotlib("inline")
        except Exception:  # noqa: BLE001 - a broken matplotlib must not stop the shell; its cells will say why
            pass


def make_shell(recorder: CellRecorder) -> Any:
    """An ``InteractiveShell`` whose displays, results, streams and errors go to ``recorder``.

    It behaves like ipykernel's ``ZMQInteractiveShell`` run by nbgrader (no stdin): GUI event
    loops are accepted and ignored (``%matplotlib inline`` works), figures display inline,
    ``!cmd`` output reaches the cell's stdout, ``input()`` fails at once with a clear message,
    and package-manager magics print that they do not run instead of failing the cell.
    """
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    class Publisher(DisplayPublisher):
        def publish(self, data: Any, metadata: Any = None, source: Any = None, *, transient: Any = None,
                    update: bool = False, **kwargs: Any) -> None:
            recorder.data("display_data", data, metadata)

        def clear_output(self, wait: bool = False) -> None:
            recorder.clear()

    class Hook(DisplayHook):
        def write_output_prompt(self) -> None:
            return None

        def write_format_data(self, format_dict: Any, md_dict: Any = None) -> None:
            recorder.data("execute_result", format_dict, md_dict)

        def finish_displayhook(self) -> None:
            return None

    class Shell(InteractiveShell):
        def _showtraceback(self, etype: Any, evalue: Any, stb: Any) -> None:
            recorder.error(getattr(etype, "__name__", str(etype)), str(evalue), list(stb))

        def init_displayhook(self) -> None:
            self.displayhook_class = Hook
            super().init_displayhook()

        def enable_gui(self, gui: Any = None) -> None:
            # ipykernel starts the toolkit's event loop; a graded notebook has no screen, and
            # inline figures (gui None) need none
            self.active_eventloop = gui

        def system_piped(self, cmd: str) -> None:
            if cmd.rstrip().endswith("&"):
                raise OSError("Background processes not supported.")  # ipykernel's message
            self.user_ns["_exit_code"] = _run_piped(self.var_expand(cmd, depth=1))

        system = system_piped

        def run_cell(self, *args: Any, **kwargs: Any) -> Any:
            saved = builtins.input, getpass.getpass
            builtins.input, getpass.getpass = _no_stdin("input()"), _no_stdin("getpass()")
            try:
                return super().run_cell(*args, **kwargs)
            finally:
                builtins.input, getpass.getpass = saved

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    config.InteractiveShell.xmode = "Plain"
    shell = Shell.instance(config=config, display_pub_class=Publisher)
    for magic in ("pip", "conda", "mamba", "micromamba", "uv"):
        shell.register_magic_function(_not_installed(magic), "line", magic)
    _activate_inline(shell)
    return shell


def _not_installed(magic: str) -> Any:
    def refuse(line: str = "") -> None:
        sys.stdout.write(NO_INSTALL.format(magic=f"{magic} {line}".strip()))

    return refuse


def capture_streams(recorder: CellRecorder) -> None:
    """Send ``print`` and ``sys.stderr`` writes to ``recorder`` (call in the child only)."""
    sys.stdout = _Stream(recorder, "stdout")  # type: ignore[assignment]
    sys.stderr = _Stream(recorder, "stderr")  # type: ignore[assignment]
