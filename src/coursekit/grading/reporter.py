"""The class report drawn by a helper process that loads its plotting library while grading runs.

Drawing the report's two figures needs matplotlib, which takes longer to import than
grading one submission. ``coursekit grade`` therefore starts :class:`ReportHelper` once
its workers are warm: the helper imports matplotlib on the core the workers' warm-up
leaves idle, while the grader is still loading, then waits. At the end the grader hands it the assignment; the helper reads the records
from the course (as the grader would), writes ``report.html`` and answers. Should the
helper be missing, fail or be too slow, the grader draws the report itself, so a report
is always written.

The helper runs the course's trusted code only; what it draws is escaped by the report's
template, as in the grader.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import IO

__all__ = ["ReportHelper", "main"]

#: how long the helper may take to draw one report before the grader draws it instead
REPORT_SECONDS = 60.0


class ReportHelper:
    """A started helper process; :meth:`write` uses it once, :meth:`close` ends it."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = None
        try:
            self.proc = subprocess.Popen([sys.executable, "-m", "coursekit.grading.reporter"], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                         close_fds=True)
        except OSError:
            self.proc = None

    def write(self, root: Path, assignment: str, path: Path, pending: list[str]) -> Path | None:
        """Have the helper write the report; None when it could not (the caller draws it then)."""
        proc, self.proc = self.proc, None
        if proc is None or proc.stdin is None or proc.stdout is None:
            return None
        try:
            proc.stdin.write(json.dumps({"root": str(root), "assignment": assignment, "path": str(path),
                                         "pending": pending}) + "\n")
            proc.stdin.close()
            answer = _read_line(proc.stdout, REPORT_SECONDS)
        except (OSError, ValueError):
            answer = ""
        finally:
            _end(proc)
        return path if answer.strip() == "ok" else None

    def close(self) -> None:
        if self.proc is not None:
            _end(self.proc)
            self.proc = None


def _read_line(stream: IO[str], seconds: float) -> str:
    import select

    ready, _, _ = select.select([stream], [], [], seconds)
    return stream.readline() if ready else ""


def _end(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    for stream in (proc.stdin, proc.stdout):
        if stream is not None:
            try:
                stream.close()
            except OSError:
                pass


def main() -> None:
    """The helper: import what drawing needs, then write the one report asked for on stdin."""
    import coursekit.diagrams.style  # noqa: F401 - matplotlib, loaded before the request comes
    from coursekit.grading import records as rec
    from coursekit.grading.report import write_report

    line = sys.stdin.readline()
    if not line:
        return
    try:
        job = json.loads(line)
        write_report(rec.load_records(Path(job["root"]), job["assignment"]), Path(job["path"]), job["assignment"],
                     pending=[str(s) for s in job["pending"]])
    except Exception as err:  # noqa: BLE001 - the grader draws the report itself
        print(f"error {type(err).__name__}: {err}", flush=True)
        return
    print("ok", flush=True)


if __name__ == "__main__":
    main()
