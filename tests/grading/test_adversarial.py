"""One batch: honest students, then one attacker per attack, then honest students again.

Every attacker gets at most its honest score, every honest student exactly its score,
a classmate graded earlier keeps the grade, the gradebook stays intact and no process
a submission started is left running.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import nbformat
import pytest

from coursekit.grading import GradeConfig, grade_assignment, uids
from coursekit.grading import records as rec

from .attacks import ATTACKS, FIRST, Attack
from .factory import (
    ASSIGNMENT,
    REPO,
    correct_answers,
    needs_bwrap,
    needs_cgroup_v1,
    needs_root,
    points_per_answer,
    release_nb,
    submit,
)

pytestmark = pytest.mark.nbgrader

PARTIAL = ["ps1-landmark-front-crest-answer", "ps1-sitting-movement-answer"]


def stub(course: Path, gid: str) -> str:
    return next(c.source for c in release_nb(course).cells if c.metadata.get("nbgrader", {}).get("grade_id") == gid)


def attack_answers(course: Path, attack: Attack) -> dict[str, str]:
    answers = dict(correct_answers(course)) if attack.honest == "correct" else {}
    code = attack.code.format(course=course, source=course / "source/ps1/ps1.ipynb",
                              bank=REPO / "src/coursekit/data/bank")
    answers[attack.cell] = answers.get(attack.cell, stub(course, attack.cell)) + "\n" + code
    return answers


def honest_scores(course: Path) -> dict[str, float]:
    points = points_per_answer(course)
    return {"correct": sum(points.values()), "partial": sum(points[g] for g in PARTIAL), "blank": 0.0}


def write_corpus(course: Path) -> dict[str, tuple[str, float]]:
    """student -> (expectation, honest score)."""
    answers, scores = correct_answers(course), honest_scores(course)
    plan: dict[str, tuple[str, float]] = {}
    for prefix in ("b", "z"):
        submit(course, f"{prefix}-honest-correct", answers=answers)
        submit(course, f"{prefix}-honest-partial", answers={g: answers[g] for g in PARTIAL})
        submit(course, f"{prefix}-honest-blank", answers={})
        plan.update({f"{prefix}-honest-correct": ("exact", scores["correct"]),
                     f"{prefix}-honest-partial": ("exact", scores["partial"]),
                     f"{prefix}-honest-blank": ("exact", 0.0)})
    spy = answers[FIRST] + ("\nimport os, ctypes\nif any(os.path.exists(p) for p in ['/tmp/ck-leak', '/scratch/ck-leak', "
                            "'/dev/shm/ck-leak', os.path.expanduser('~/ck-leak')]) or ctypes.CDLL(None).shmget(0x636b, 0, 0) >= 0:\n"
                            "    front_crest = 'a'")
    submit(course, "z-spy", answers={**answers, FIRST: spy})
    plan["z-spy"] = ("exact", scores["correct"])
    for attack in ATTACKS:
        submit(course, f"m-{attack.name}", answers=attack_answers(course, attack))
        plan[f"m-{attack.name}"] = (attack.expect, scores[attack.honest])
    _broken_files(course, answers, scores, plan)
    return plan


def _broken_files(course: Path, answers: dict[str, str], scores: dict[str, float], plan: dict) -> None:
    from scripted_submissions import fill

    full = fill(release_nb(course), answers)
    text = json.dumps(full)
    submit(course, "m-truncated", raw=text[: len(text) // 2].encode())
    submit(course, "m-empty", raw=b"")
    submit(course, "m-old-nbformat", raw=json.dumps(nbformat.convert(fill(release_nb(course), {}), 3)).encode())
    submit(course, "m-wrong-file-name", answers=answers, name="ps1 (1).ipynb")
    renamed = fill(release_nb(course), answers)
    next(c for c in renamed.cells if c.metadata.get("nbgrader", {}).get("grade_id") == FIRST).metadata.nbgrader[
        "grade_id"] = "my-own-id"
    submit(course, "m-renamed-grade-id", renamed)
    flipped = fill(release_nb(course), {})
    test = next(c for c in flipped.cells if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("-test"))
    test.metadata.nbgrader.update(grade=False, solution=True)
    test.source = "print(1.0)\n1.0"
    submit(course, "m-flipped-grade-flag", flipped)
    big = submit(course, "m-huge-extra-file", answers=answers).parent
    (big / "data.bin").write_bytes(b"0" * (30 * 1024 * 1024))
    link = submit(course, "m-symlink-to-gradebook", answers=answers).parent
    os.symlink(course / "gradebook.db", link / "pose_landmarks.csv")
    plan.update({"m-truncated": ("failed", 0.0), "m-empty": ("failed", 0.0), "m-old-nbformat": ("at_most", 0.0),
                 "m-wrong-file-name": ("exact", scores["correct"]), "m-renamed-grade-id": ("exact", scores["correct"]),
                 "m-flipped-grade-flag": ("at_most", 0.0), "m-huge-extra-file": ("exact", scores["correct"]),
                 "m-symlink-to-gradebook": ("exact", scores["correct"])})


def gradebook_totals(course: Path) -> dict[str, float | None]:
    from nbgrader.api import Gradebook

    out = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for sub in gb.assignment_submissions(ASSIGNMENT):
            grades = [g for nb in sub.notebooks for g in nb.grades if g.cell.name.endswith("-test")]
            missing = any(g.auto_score is None and g.manual_score is None for g in grades)
            out[sub.student.id] = None if missing else round(sum(g.score for g in grades), 4)
    return out


def leftover_processes() -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            uid = entry.stat().st_uid
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if (uids.FIRST <= uid < uids.FIRST + uids.COUNT and not uids.leased(uid)) or "ckattack" in cmd or cmd.startswith("sleep 317"):
            found.append(f"{entry.name} uid={uid} {cmd[:80]}")
    return found


def leftover_cgroups() -> list[str]:
    return [p.name for p in Path("/sys/fs/cgroup/memory").glob("coursekit-*")]


def settled_leftovers(timeout: float = 30.0) -> tuple[list[str], list[str]]:
    """Processes and cgroups still left once the kernel has had ``timeout`` s to reap them."""
    deadline = time.monotonic() + timeout
    while True:
        procs, groups = leftover_processes(), leftover_cgroups()
        if (not procs and not groups) or time.monotonic() > deadline:
            return procs, groups
        time.sleep(0.2)


def config(course: Path, **extra) -> GradeConfig:
    return GradeConfig(course=course, assignment=ASSIGNMENT, cell_timeout=3, total_timeout=60, memory_mb=512,
                       feedback=False, progress=False, **extra)


@needs_bwrap
@needs_root
@needs_cgroup_v1
def test_adversarial_batch(course: Path):
    submit(course, "a-prior", answers=correct_answers(course))
    first = grade_assignment(config(course))
    assert [(r.student, r.status, r.score) for r in first.graded] == [("a-prior", "ok", 13.0)]

    plan = write_corpus(course)
    summary = grade_assignment(config(course))
    records = {r.student: r for r in summary.graded}
    assert sorted(records) == sorted(plan)
    # an escaped background process could still change the gradebook: wait until none is left
    leftovers = settled_leftovers()

    totals = gradebook_totals(course)
    problems = []
    for student, (expect, honest) in plan.items():
        r = records[student]
        got = totals.get(student)
        if expect == "failed":
            ok = r.status == rec.FAILED and r.score is None and got is None and bool(r.reason)
        elif expect == "exact":
            ok = r.status != rec.FAILED and r.score == honest == got
        else:
            ok = r.status == rec.FAILED or (r.score is not None and got is not None and r.score <= honest
                                            and got <= honest)
        if not ok:
            problems.append(f"{student}: expected {expect} {honest}, record {r.status} {r.score} ({r.reason}), gradebook {got}")
    assert problems == []
    assert totals["a-prior"] == 13.0
    assert set(totals) == set(plan) | {"a-prior"}
    assert leftovers == ([], []) and settled_leftovers() == ([], [])
    assert "cgroup per worker" in summary.sandbox
    # failed-to-grade is not a zero in the export
    grades_csv = (course / "coursekit-grades/ps1/grades.csv").read_text().splitlines()
    assert any(line.startswith("m-empty,failed,,") for line in grades_csv)
    assert any(line.startswith("b-honest-blank,ok,0,") for line in grades_csv)
    # fairness cases are graded and flagged with a reason
    assert records["m-wrong-file-name"].status == rec.FLAGGED
    assert "wrong file name" in records["m-wrong-file-name"].reason
    assert any("id changed" in f for f in records["m-renamed-grade-id"].flags)
    assert any("metadata" in f for f in records["m-flipped-grade-flag"].flags)
    assert records["m-stderr-warning"].status == rec.OK
    assert any("did not stop" in f for f in records["m-uninterruptible-loop"].flags)
    huge = (course / "autograded/m-huge-output/ps1/ps1.ipynb").stat().st_size
    assert huge < 1_000_000


def test_rerun_resumes_and_force_regrades(course: Path):
    submit(course, "s1", answers=correct_answers(course))
    submit(course, "s2", answers={})
    first = grade_assignment(config(course))
    assert sorted((r.student, r.score) for r in first.graded) == [("s1", 13.0), ("s2", 0.0)]
    again = grade_assignment(config(course))
    assert again.graded == [] and sorted(again.skipped) == ["s1/ps1", "s2/ps1"]
    submit(course, "s2", answers=correct_answers(course))  # resubmitted: graded again
    third = grade_assignment(config(course))
    assert [(r.student, r.score) for r in third.graded] == [("s2", 13.0)]
    forced = grade_assignment(config(course, force=True))
    assert sorted(r.student for r in forced.graded) == ["s1", "s2"]


@needs_bwrap
def test_nothing_leaks_to_the_next_submission_on_the_same_worker(course: Path):
    """Files, System V IPC and background processes of one student are gone before the next runs."""
    answers = correct_answers(course)
    leak = stub(course, FIRST) + """
import os, ctypes, subprocess, sys
for path in ["/tmp/ck-leak", "/scratch/ck-leak", os.path.expanduser("~/ck-leak")]:
    open(path, "w").write("b")
assert ctypes.CDLL(None).shmget(0x636b, 4096, 0o1666) >= 0
subprocess.Popen([sys.executable, "-c", "import time\\nwhile True:\\n  open('/tmp/ck-leak2', 'w').write('b'); time.sleep(0.02)  # ckattack"],
                 start_new_session=True)
import time; time.sleep(0.3)
"""
    spy = answers[FIRST] + """
import os, ctypes, time
time.sleep(0.3)
seen = [p for p in ["/tmp/ck-leak", "/tmp/ck-leak2", "/scratch/ck-leak", "/dev/shm/ck-leak"] if os.path.exists(p)]
if seen or ctypes.CDLL(None).shmget(0x636b, 0, 0) >= 0:
    front_crest = "a"
"""
    submit(course, "a-leak", answers={FIRST: leak})
    submit(course, "b-spy", answers={**answers, FIRST: spy})
    summary = grade_assignment(config(course, workers=1))
    assert [(r.student, r.score) for r in summary.graded] == [("a-leak", 0.0), ("b-spy", 13.0)]
    leak_nb = nbformat.read(course / "autograded/a-leak/ps1/ps1.ipynb", as_version=4)
    first = next(c for c in leak_nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == FIRST)
    assert not any(o.get("output_type") == "error" for o in first.outputs)  # the leaker really did all of it
    assert settled_leftovers() == ([], [])
