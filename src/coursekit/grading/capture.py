"""Run notebook cells in-process with IPython and capture their outputs, size-capped.

Used inside the sandbox, in a forked child per submission: there is no ZMQ kernel,
the cells run in an :class:`IPython.core.interactiveshell.InteractiveShell` and every
output (streams, displays, results, errors) is recorded as an nbformat v4 output dict.
Huge outputs are truncated so one 50 MB line never reaches the graded notebook.

>>> truncate_text("x" * 25, 10)
'xxxxxxxxxx\\n[... output truncated by coursekit: 15 more characters]\\n'
"""

from __future__ import annotations

import json
import sys
from typing import Any

from coursekit.checks.export import MIME
from coursekit.grading.protocol import OutputCaps

__all__ = ["OutputCaps", "CellRecorder", "make_shell", "capture_streams", "truncate_text", "ANSWER_MIME"]

ANSWER_MIME = MIME  # the mime coursekit.checks.grade displays in export mode


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


def make_shell(recorder: CellRecorder) -> Any:
    """An ``InteractiveShell`` whose displays, results, streams and errors go to ``recorder``."""
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

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    config.InteractiveShell.xmode = "Plain"
    return Shell.instance(config=config, display_pub_class=Publisher)


def capture_streams(recorder: CellRecorder) -> None:
    """Send ``print`` and ``sys.stderr`` writes to ``recorder`` (call in the child only)."""
    sys.stdout = _Stream(recorder, "stdout")  # type: ignore[assignment]
    sys.stderr = _Stream(recorder, "stderr")  # type: ignore[assignment]
