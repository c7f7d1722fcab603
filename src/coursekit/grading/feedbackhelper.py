"""Feedback pages written by a forked copy of the grader, on the core the workers leave idle.

In a batch the grader's own thread is the bottleneck: the sandboxed workers wait for it
while it renders nbgrader's feedback pages (a third of its time per submission). A
:class:`FeedbackHelper` is a copy of the grader made with ``fork`` once the course and
the feedback exporter are loaded (template compiled, filters warm), before any thread,
gradebook connection or submission exists. The grader reads a student's grades from its
open gradebook, as before, and sends them (plain numbers, :class:`NotebookGrades`) with
the student's name; the helper reads the autograded notebooks the grader wrote, renders
the pages with the same :class:`~coursekit.course.feedback.FeedbackPages` (its time limit
included) and writes the student's feedback folder, then answers with the problem, if any.

Nothing is lost when the helper fails: a student it has not answered for, because it
died or stopped answering, gets the pages rendered by the grader itself in
:meth:`FeedbackHelper.collect` (the caller's fallback), so every student still gets a page.
The helper never opens the gradebook and never runs student code: it holds only what the
grader held before the first submission was read.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import signal
import sys
import threading
import time
from dataclasses import asdict
from typing import Any

from coursekit.grading.protocol import write_line

__all__ = ["FeedbackHelper"]

#: seconds the helper may stay silent beyond a student's time limit before the grader takes over
GRACE_SECONDS = 10.0
#: fcntl's F_SETPIPE_SZ (Linux)
F_SETPIPE_SZ = 1031


class FeedbackHelper:
    """A forked feedback writer; :meth:`submit` per student, :meth:`collect` at the end of a run."""

    def __init__(self, pid: int, requests: int, answers: int, seconds: float) -> None:
        self.pid, self.seconds = pid, seconds
        self._requests: int | None = requests
        self._answers: int | None = answers
        self._buffer = b""
        #: student -> (assignment, notebooks) sent and not answered yet
        self.pending: dict[str, tuple[str, list[str]]] = {}
        #: student -> problem ("" when the pages were written), answered and not collected yet
        self.done: dict[str, str] = {}
        #: student -> request the helper answered without writing the pages
        self.failed: dict[str, tuple[str, list[str]]] = {}

    @classmethod
    def fork(cls, pages: Any) -> FeedbackHelper | None:
        """A helper forked from this process now; None where forking is unsafe (threads running) or fails."""
        if not hasattr(os, "fork") or threading.active_count() != 1:
            return None  # a fork of a threaded process may inherit a lock held by another thread
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        req_r, req_w = os.pipe()
        ans_r, ans_w = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            for fd in (req_r, req_w, ans_r, ans_w):
                os.close(fd)
            return None
        if pid == 0:  # the helper
            code = 1
            try:
                os.close(req_w)
                os.close(ans_r)
                _serve(pages, req_r, ans_w)
                code = 0
            finally:
                os._exit(code)  # never the grader's clean-up (atexit, finalizers of its workers' handles)
        os.close(req_r)
        os.close(ans_w)
        try:  # room for every request of a large class, so the grader never waits to hand one over
            fcntl.fcntl(req_w, F_SETPIPE_SZ, 1 << 20)
        except OSError:
            pass  # the default 64 KiB: a helper that falls that far behind is stopped (see submit)
        os.set_blocking(req_w, False)
        return cls(pid, req_w, ans_r, pages.seconds)

    def submit(self, student: str, assignment: str, notebooks: list[str], grades: dict[str, Any]) -> bool:
        """Ask for ``student``'s pages (``grades``: notebook -> :class:`NotebookGrades`); False when the helper is gone.

        The grader never blocks here: a helper so far behind that its input is full is stopped,
        and its students are handed back by :meth:`collect` (this one by returning False).
        """
        if self._requests is None:
            return False
        line = json.dumps({"student": student, "assignment": assignment, "notebooks": notebooks,
                           "grades": {n: None if g is None else asdict(g) for n, g in grades.items()}})
        try:
            write_line(self._requests, line)
        except OSError:
            self._stop()
            return False
        self.pending[student] = (assignment, notebooks)
        self._read(0.0)
        return True

    def collect(self) -> tuple[dict[str, str], dict[str, tuple[str, list[str]]]]:
        """Wait for every answer: (student -> problem, for the answered; student -> request, for the rest).

        The helper answers one student at a time, each within its time limit; when it stays
        silent for longer than that (plus :data:`GRACE_SECONDS`) it is stopped, and the students
        it did not answer for are returned for the caller to write itself.
        """
        while self.pending and self._answers is not None:
            if not self._read(self.seconds + GRACE_SECONDS):
                self._stop()
        done, self.done = self.done, {}
        left = {**self.failed, **self.pending}
        self.failed, self.pending = {}, {}
        return done, left

    def _read(self, timeout: float) -> bool:
        """Take in the answers that arrive within ``timeout`` s (at least one, if any is pending); False if none did."""
        if self._answers is None:
            return False
        got = False
        deadline = time.monotonic() + timeout
        while True:
            ready, _, _ = select.select([self._answers], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                return got
            chunk = os.read(self._answers, 1 << 16)
            if not chunk:  # the helper ended
                self._stop()
                return got
            self._buffer += chunk
            while b"\n" in self._buffer:
                line, self._buffer = self._buffer.split(b"\n", 1)
                try:
                    answer = json.loads(line)
                    student, problem = str(answer["student"]), str(answer["problem"])
                except (ValueError, KeyError, TypeError):
                    continue
                request = self.pending.pop(student, None)
                if request is None:
                    continue
                got = True
                if answer.get("written"):
                    self.done[student] = problem
                else:  # the helper could not even try: the grader writes these pages itself
                    self.failed[student] = request
            if got and not self.pending:
                return True
            if got:
                deadline = time.monotonic()  # take what has arrived, without waiting for more

    def _stop(self) -> None:
        for name in ("_requests", "_answers"):
            fd = getattr(self, name)
            if fd is not None:
                setattr(self, name, None)
                try:
                    os.close(fd)
                except OSError:
                    pass
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
            self.pid = 0

    def close(self) -> None:
        """End the helper (it stops at the end of its input; killed if it does not)."""
        if self._requests is not None:
            os.close(self._requests)
            self._requests = None
        if self.pid:
            deadline = time.monotonic() + self.seconds + GRACE_SECONDS
            while time.monotonic() < deadline:
                done, _ = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    self.pid = 0
                    break
                time.sleep(0.01)
        self._stop()


def _serve(pages: Any, requests: int, answers: int) -> None:
    """The helper's loop: one request line per student, one answer line each, until the input ends."""
    import nbformat.v4

    from coursekit.course.feedback import NotebookGrades

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the grader's to handle; it then stops the helper
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):  # the grader's terminal or pipes are its own; warnings still reach stderr
        os.dup2(null, fd)
    os.close(null)
    keep = {0, 1, 2, requests, answers}
    for fd in _open_fds():  # the workers' pipes and the like: only the grader may hold them
        if fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass
    with os.fdopen(requests, "rb") as stream:
        for raw in stream:
            job: dict[str, Any] = {}
            try:
                job = json.loads(raw)
                student, assignment, names = str(job["student"]), str(job["assignment"]), list(job["notebooks"])
                grades = {n: None if g is None else NotebookGrades(**g) for n, g in job["grades"].items()}
                folder = pages.course.autograded_dir(student, assignment)
                # the notebooks the grader has just written (and validated): parsed, not validated again
                written = {n: nbformat.v4.reads((folder / f"{n}.ipynb").read_text(encoding="utf-8")) for n in names}
                result = pages.write(None, student, assignment, names, written, grades=grades)
                answer = {"student": job["student"], "problem": result.problem, "written": True}
            except Exception as err:  # noqa: BLE001 - the grader then writes this student's pages itself
                asked = job.get("student") if isinstance(job, dict) else None
                answer = {"student": asked, "problem": f"{type(err).__name__}: {err}", "written": False}
            write_line(answers, json.dumps(answer))


def _open_fds() -> list[int]:
    try:
        return [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        return list(range(3, 256))
