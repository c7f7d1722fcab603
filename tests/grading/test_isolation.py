"""Nothing of one submission reaches the next in a warm worker; no user namespace for student code (issue 12).

One batch on one worker (so every submission shares it, in name order) of the
:mod:`.corpus_isolation` corpus: honest students before and after a planter that
leaves its answers in every kernel object it can create, a scavenger that looks for
them everywhere (memory it inherited, files, IPC, message queues, sockets, keyrings)
and a submission that tries to become root in a user namespace.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from coursekit.grading import GradeConfig, grade_assignment
from coursekit.grading import records as rec

from . import corpus_isolation as corpus
from .factory import ASSIGNMENT, needs_bwrap, plan_problems

pytestmark = pytest.mark.nbgrader


def config(course: Path, **extra: object) -> GradeConfig:
    return GradeConfig(course=course, assignment=ASSIGNMENT, cell_timeout=30, total_timeout=120, memory_mb=768,
                       progress=False, workers=1, **extra)  # type: ignore[arg-type]


def printed(course: Path, student: str) -> str:
    """Everything the student's autograded notebook printed (stream outputs of every cell)."""
    nb = nbformat.read(course / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                   if o.get("output_type") == "stream")


def check_plan(plan: dict[str, tuple[str, float]], records: dict[str, rec.Record]) -> list[str]:
    problems = plan_problems(plan, records)
    for student, r in records.items():
        if any("time limit" in f or "did not stop" in f for f in r.flags):  # every search fits in its cell's time
            problems.append(f"{student}: {r.flags}")
    return problems


def user_namespace_denied(text: str) -> None:
    assert re.search(r"ckiso-userns unshare -1 EPERM \d+", text), text
    assert "ckiso-userns fork-then-unshare 1" in text, text
    command = re.search(r"ckiso-userns command (\d+) '(.*)'", text)
    assert command and command.group(1) != "0" and command.group(2) != "0", text
    assert "ckiso-userns keyring -1 EPERM" in text, text
    assert "ckiso-userns syspath []" in text, text


@needs_bwrap
def test_a_scavenger_after_honest_students_and_a_planter_finds_nothing(course: Path) -> None:
    plan = corpus.write(course)
    summary = grade_assignment(config(course, feedback=True))
    records = {r.student: r for r in summary.graded}
    assert sorted(records) == sorted(plan)
    assert check_plan(plan, records) == []

    planted = printed(course, corpus.PLANTER)  # the channels existed: the planter did create them
    assert re.search(r"ckiso-plant mqueue \d+ created", planted), planted
    assert "'mqueue'" in planted and "'sysv-msg'" in planted and "'sysv-shm'" in planted and "/tmp/ckiso-plant" in planted
    assert "ckiso-plant keyring -1 Operation not permitted" in planted

    seen = printed(course, corpus.SCAVENGER)
    found = re.search(r"ckiso-found (\{.*\}) (\[.*\])", seen)
    assert found, seen
    counts = json.loads(found.group(1))
    assert counts.get("memory", 0) == 0 and set(counts) >= {"memory", "files"}, counts
    assert all(n == 0 for n in counts.values()) and found.group(2) == "[]", seen
    assert "ckiso-mq-open -1 ENOENT" in seen, seen  # the planter's queue is gone
    assert "ckiso-socket ConnectionRefusedError" in seen and "ckiso-keyring -1 EPERM" in seen, seen

    others = {s: t for s, t in corpus.TOKENS.items() if s != corpus.SCAVENGER}
    assert len(others) == 5
    mine = [course / "autograded" / corpus.SCAVENGER / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
            course / "feedback" / corpus.SCAVENGER / ASSIGNMENT / f"{ASSIGNMENT}.html"]
    for path in mine:
        text = path.read_text(encoding="utf-8")
        assert [s for s, token in others.items() if token.split("-", 1)[1] in text] == [], path

    user_namespace_denied(printed(course, corpus.USERNS_STUDENT))
    assert "seccomp filter per submission" in summary.sandbox and "POSIX message queues" in summary.sandbox
    assert "never holds a submission" in summary.sandbox


def test_without_namespaces_student_code_still_gets_no_user_namespace(course: Path) -> None:
    """The rlimits fallback installs the same seccomp filter in every child."""
    plan = corpus.write(course)
    plan = {s: p for s, p in plan.items() if s in (corpus.USERNS_STUDENT, corpus.PREFIX + "a-honest-correct")}
    summary = grade_assignment(config(course, sandbox="rlimits", students=sorted(plan)))
    records = {r.student: r for r in summary.graded}
    assert sorted(records) == sorted(plan) and check_plan(plan, records) == []
    user_namespace_denied(printed(course, corpus.USERNS_STUDENT))
    assert "seccomp filter per submission" in summary.sandbox
