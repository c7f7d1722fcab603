"""Factories for grading tests: nbgrader cells and notebooks, released courses, submissions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbformat import NotebookNode

from coursekit.grading.cgroups import CgroupLimits

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ASSIGNMENT = "ps1"


def _meta(gid: str, *, grade: bool, solution: bool, locked: bool, points: float | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"grade": grade, "grade_id": gid, "locked": locked, "schema_version": 3, "solution": solution}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def make_answer_cell(source: str, gid: str) -> NotebookNode:
    return nbformat.v4.new_code_cell(source, metadata=_meta(gid, grade=False, solution=True, locked=False))


def make_grade_cell(source: str, gid: str, points: float) -> NotebookNode:
    return nbformat.v4.new_code_cell(source, metadata=_meta(gid, grade=True, solution=False, locked=True, points=points))


def make_locked_cell(source: str, gid: str) -> NotebookNode:
    return nbformat.v4.new_code_cell(source, metadata=_meta(gid, grade=False, solution=False, locked=True))


def make_notebook(*cells: NotebookNode) -> NotebookNode:
    return nbformat.v4.new_notebook(cells=list(cells))


def _sandbox_problem() -> str | None:
    from coursekit.grading.sandbox import bwrap_unavailable

    return bwrap_unavailable()


_BWRAP_PROBLEM = _sandbox_problem()
#: Tests of protections only the bubblewrap sandbox gives.
needs_bwrap = pytest.mark.skipif(_BWRAP_PROBLEM is not None, reason=f"needs the bubblewrap sandbox: {_BWRAP_PROBLEM}")
#: Tests of what grading as root adds (a uid of its own per worker's submissions).
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root: submissions run as a uid of their own only then")
#: Tests of the per-worker memory/process budget.
needs_cgroup_v1 = pytest.mark.skipif(
    not CgroupLimits(memory_mb=1, pids=1).available(),
    reason="needs root and writable cgroup v1 memory+pids controllers (/sys/fs/cgroup/memory, /sys/fs/cgroup/pids)")


def release_course(dest: Path) -> Path:
    """A copy of the real course with ``ps1`` released (gradebook, release/); fails with nbgrader's log."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "assignments" / "nbgrader_config.py", dest)
    shutil.copytree(REPO / "assignments" / "source" / ASSIGNMENT, dest / "source" / ASSIGNMENT)
    # nbgrader runs `alembic` by name when it creates the gradebook: this environment's bin comes first
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run([str(BIN / "nbgrader"), "generate_assignment", ASSIGNMENT, "--force"], cwd=dest,
                          capture_output=True, text=True, env=env)
    if done.returncode != 0 or not (dest / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists():
        raise RuntimeError(f"nbgrader generate_assignment {ASSIGNMENT} failed (exit {done.returncode}) in {dest}:\n"
                           f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return dest


def source_nb(course: Path) -> NotebookNode:
    return nbformat.read(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)


def release_nb(course: Path) -> NotebookNode:
    return nbformat.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)


def correct_answers(course: Path) -> dict[str, str]:
    from scripted_submissions import solution_answers

    return solution_answers(source_nb(course))


def points_per_answer(course: Path) -> dict[str, float]:
    """answer-cell id -> points of its test cell."""
    out = {}
    for cell in source_nb(course).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            out[meta["grade_id"].replace("-test", "-answer")] = float(meta["points"])
    return out


def submit(course: Path, student: str, nb: NotebookNode | None = None, *, answers: dict[str, str] | None = None,
           name: str | None = None, raw: bytes | None = None) -> Path:
    """Write a submission (a filled release notebook, or raw bytes) into submitted/."""
    from scripted_submissions import fill

    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "timestamp.txt").write_text("2026-01-01 00:00:00.000000 UTC")
    path = folder / (name or f"{ASSIGNMENT}.ipynb")
    if raw is not None:
        path.write_bytes(raw)
        return path
    if nb is None:
        nb = fill(release_nb(course), answers or {})
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def honest_bookends(course: Path, correct: str, blank: str) -> dict[str, tuple[str, float]]:
    """An honest correct and a blank student before (``a-``) and after (``z-``) a corpus, and their plan."""
    answers = correct_answers(course)
    full = sum(points_per_answer(course).values())
    plan: dict[str, tuple[str, float]] = {}
    for prefix in ("a", "z"):
        submit(course, f"{prefix}-{correct}", answers=answers)
        submit(course, f"{prefix}-{blank}", answers={})
        plan |= {f"{prefix}-{correct}": ("exact", full), f"{prefix}-{blank}": ("exact", 0.0)}
    return plan


def plan_problems(plan: dict[str, tuple[str, float]], records: dict[str, Any]) -> list[str]:
    """What breaks a corpus's plan: student -> ("exact" | "at_most" | "failed", honest score).

    ``exact``: graded, exactly the honest score; ``at_most``: failed, or at most the honest
    score; ``failed``: not graded, no score, a reason given.
    """
    from coursekit.grading import records as rec

    problems = []
    for student, (expect, honest) in plan.items():
        r = records[student]
        if expect == "failed":
            ok = r.status == rec.FAILED and r.score is None and bool(r.reason)
        elif expect == "exact":
            ok = r.status != rec.FAILED and r.score == honest
        else:
            ok = r.status == rec.FAILED or (r.score is not None and r.score <= honest)
        if not ok:
            problems.append(f"{student}: expected {expect} {honest}, got {r.status} {r.score} ({r.reason})")
    return problems
