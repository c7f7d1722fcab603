"""Benchmark: stock ``nbgrader autograde`` against ``coursekit grade`` on the same submissions.

Builds a course from the real assignment (``assignments/source/<id>``), releases it,
generates N scripted submissions (correct, partial, blank), copies the course twice
and grades one copy with each tool, timed, in one run. Prints a table and exits with
status 1 when a score differs on any submission or (full mode) the speed-up is below 5x.

    uv run python benchmarks/grading.py              # 100 submissions
    uv run python benchmarks/grading.py --smoke      # 6 submissions, for the tests

Both tools get the same compiled-module cache (``PYTHONPYCACHEPREFIX``, warmed first),
so neither pays for compiling Python sources the other does not.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(REPO / "tests"))  # the scripted-submission fixture lives with the tests


@dataclass
class Timing:
    tool: str
    seconds: float
    submissions: int

    @property
    def per_submission(self) -> float:
        return self.seconds / max(1, self.submissions)


def _env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def make_course(root: Path, assignment: str, env: dict[str, str]) -> Path:
    """A released copy of the real course's assignment."""
    course = root / "base"
    course.mkdir(parents=True)
    shutil.copy(REPO / "assignments" / "nbgrader_config.py", course)
    shutil.copytree(REPO / "assignments" / "source" / assignment, course / "source" / assignment)
    for _ in range(3):  # generate_assignment occasionally fails while files are being rewritten
        done = subprocess.run([str(BIN / "nbgrader"), "generate_assignment", assignment, "--force"], cwd=course,
                              env=env, capture_output=True, text=True)
        if (course / "release" / assignment / f"{assignment}.ipynb").exists():
            return course
    raise SystemExit(f"nbgrader generate_assignment failed:\n{done.stderr[-3000:]}")


def make_submissions(course: Path, assignment: str, count: int, seed: int = 7) -> dict[str, str]:
    """``count`` scripted students: correct, partial (random half) and blank, in turn."""
    from scripted_submissions import fill, solution_answers, write_submission

    source = nbformat.read(course / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    release = nbformat.read(course / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    answers = solution_answers(source)
    rng = random.Random(seed)
    kinds = {}
    for i in range(count):
        kind = ("correct", "partial", "blank")[i % 3]
        chosen = answers if kind == "correct" else (
            {k: v for k, v in answers.items() if rng.random() < 0.5} if kind == "partial" else {})
        student = f"student{i:03d}"
        write_submission(course, student, assignment, fill(release, chosen))
        kinds[student] = kind
    return kinds


def totals(course: Path, assignment: str) -> dict[str, float | None]:
    """student -> total score in the gradebook (None when not graded)."""
    from nbgrader.api import Gradebook

    out: dict[str, float | None] = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for sub in gb.assignment_submissions(assignment):
            scores = [g.score for nb in sub.notebooks for g in nb.grades if g.cell.name.endswith("-test")]
            out[sub.student.id] = None if any(s is None for s in scores) or not scores else round(sum(scores), 4)
    return out


def run_stock(course: Path, assignment: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([str(BIN / "nbgrader"), "autograde", assignment, "--create"], cwd=course, env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
    return seconds


def run_coursekit(course: Path, assignment: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([str(BIN / "coursekit"), "grade", assignment, "--course", str(course), "--no-feedback",
                           "--no-progress"], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    print(done.stdout.strip().splitlines()[0] if done.stdout.strip() else done.stderr[-2000:])
    return seconds


def warm_cache(root: Path, base: Path, assignment: str, env: dict[str, str]) -> None:
    """Compile every module both tools use into the shared cache (untimed)."""
    warm = root / "warm"
    shutil.copytree(base, warm)
    keep = sorted((warm / "submitted").iterdir())[:1]
    for extra in sorted((warm / "submitted").iterdir())[1:]:
        shutil.rmtree(extra)
    run_stock(warm, assignment, env)
    subprocess.run([str(BIN / "python"), "-c", "import coursekit.grading.server, coursekit.grading.batch, "
                    "matplotlib.pyplot, pandas, ipywidgets, coursekit.checks, nbgrader.apps.api"], env=env)
    run_coursekit(warm, assignment, env)
    assert keep


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=100)
    parser.add_argument("--assignment", default="ps1")
    parser.add_argument("--smoke", action="store_true", help="6 submissions; no speed requirement")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args(argv)
    count = 6 if args.smoke else args.submissions
    root = Path(tempfile.mkdtemp(prefix="coursekit-bench-"))
    cache = root / "pycache"
    cache.mkdir()
    env = _env(cache)
    try:
        base = make_course(root, args.assignment, env)
        kinds = make_submissions(base, args.assignment, count)
        stock, mine = root / "stock", root / "coursekit"
        shutil.copytree(base, stock)
        shutil.copytree(base, mine)
        warm_cache(root, base, args.assignment, env)
        timings = [Timing("nbgrader autograde", run_stock(stock, args.assignment, env), count),
                   Timing("coursekit grade", run_coursekit(mine, args.assignment, env), count)]
        a, b = totals(stock, args.assignment), totals(mine, args.assignment)
        same = [s for s in kinds if a.get(s) is not None and a.get(s) == b.get(s)]
        differ = [f"{s} ({kinds[s]}): nbgrader {a.get(s)} vs coursekit {b.get(s)}" for s in kinds if s not in same]
        ratio = timings[0].seconds / timings[1].seconds
        rows = [["tool", "submissions", "seconds", "s/submission", "identical scores"]]
        rows += [[t.tool, str(t.submissions), f"{t.seconds:.1f}", f"{t.per_submission:.3f}", f"{len(same)}/{count}"]
                 for t in timings]
        print(table(rows))
        print(f"throughput ratio: {ratio:.1f}x   (cores: {len(os.sched_getaffinity(0))})")
        by_kind = {k: sorted({b.get(s) for s in kinds if kinds[s] == k}, key=lambda x: (x is None, x)) for k in ("correct", "partial", "blank")}
        print("coursekit scores by kind:", {k: v[:6] for k, v in by_kind.items()})
        for line in differ:
            print("DIFFERENT:", line)
        ok = not differ and (args.smoke or ratio >= 5)
        return 0 if ok else 1
    finally:
        if args.keep:
            print(f"work directory kept: {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
