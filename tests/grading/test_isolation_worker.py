"""The warm worker's template never holds a submission; the job protocol around it (issue 12)."""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

import pytest

from coursekit.grading.config import GradeConfig
from coursekit.grading.protocol import (
    CellCode,
    Cleaned,
    Job,
    Limits,
    ProtocolError,
    Reply,
    job_header,
    parse_job_header,
    worker_message,
)
from coursekit.grading.sandbox import create_sandbox
from coursekit.grading.workers import WorkerHandle

from .factory import needs_root

LIMITS = Limits(10.0, 30.0, 512, 30, 16, 64)


def test_a_job_header_is_short_versioned_and_bounded() -> None:
    assert job_header(1234) == b"job 2 1234\n" and parse_job_header(b"job 2 1234\n") == 1234
    for line, problem in [(b"job 1 10\n", "protocol version 1, expected 2"), (b'{"version": 2}\n', "malformed"),
                          (b"job 2 0\n", "a job of 0 bytes"), (b"job 2 99999999999\n", "limit")]:
        with pytest.raises(ProtocolError, match=problem):
            parse_job_header(line)


def test_a_worker_line_is_a_reply_or_cleaned_by_its_type() -> None:
    reply = Reply("ada/ps1", "ok", {"0": []})
    assert worker_message(reply.to_json()) == reply
    assert worker_message(Cleaned("exit code 0", 0.5).to_json()) == Cleaned("exit code 0", 0.5)
    with pytest.raises(ProtocolError, match="unexpected type 'ready'"):
        worker_message('{"version": 2, "type": "ready", "uid": 0, "pid": 1, "warm": []}')
    with pytest.raises(ProtocolError, match="type 'cleaned', expected 'reply'"):
        Reply.from_json(Cleaned("exit code 0", 0.5).to_json())


def _memory_contains(pid: int, needle: bytes) -> bool:
    """Whether any readable mapping of process ``pid`` contains ``needle`` (needs root: the worker is non-dumpable)."""
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", buffering=0) as mem:
        for line in maps.read().splitlines():
            span, perms = line.split()[:2]
            lo, hi = (int(x, 16) for x in span.split("-"))
            if "r" not in perms or "[v" in line:
                continue
            try:
                if needle in os.pread(mem.fileno(), hi - lo, lo):
                    return True
            except OSError:
                continue
    return False


@needs_root
def test_the_template_never_holds_a_job_and_serves_the_next(tmp_path: Path) -> None:
    """After a job the template's memory has no byte of it; a malformed header stops it and it is restarted."""
    caps = GradeConfig(course=tmp_path, assignment="ps1").caps()
    worker = WorkerHandle(create_sandbox("rlimits"), 0, caps, tmp_path / "logs")  # a plain child: its memory is readable
    worker.start()
    try:
        assert worker.info is not None
        template = worker.info.pid
        secret = secrets.token_hex(24)
        reply = worker.run(Job("ada/ps1", [CellCode(0, f"answer = '{secret}'\nprint(answer[::-1])")], {}, LIMITS), 60)
        assert reply.status == "ok" and reply.cells["0"][0]["text"] == secret[::-1] + "\n"
        worker._settle()  # the template has killed and wiped everything of ada's
        assert not worker.cleaning and worker.proc is not None and worker.proc.poll() is None
        assert not _memory_contains(template, secret.encode())
        assert _memory_contains(template, b"coursekit.grading.server")  # the scan does read the template's memory
        again = worker.run(Job("bob/ps1", [CellCode(0, "print(6 * 7)")], {}, LIMITS), 60)
        assert again.cells["0"][0]["text"] == "42\n" and worker.info.pid == template  # the same warm template

        worker._settle()
        assert worker.proc is not None and worker.proc.stdin is not None
        worker.proc.stdin.write(b"not a header\n")
        worker.proc.stdin.flush()
        deadline = time.monotonic() + 20
        while worker.proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert worker.proc.returncode == 2
        log = (tmp_path / "logs" / "worker0.log").read_text()
        assert re.search(r"job header: (malformed|longer than)", log), log
        third = worker.run(Job("cy/ps1", [CellCode(0, "print('up')")], {}, LIMITS), 60)  # restarted
        assert third.cells["0"][0]["text"] == "up\n" and worker.info.pid != template
    finally:
        worker.stop()
