"""Benchmark: building the course site, clean, after editing one lesson, and with nothing changed.

Copies the book's sources (``_config.yml``, ``_toc.yml``, ``book/``, ``src/coursekit``)
into a temporary folder and times, in one run, the command ``make book`` runs
(``python -m coursekit.bookexec --build``: changed pages executed in parallel into
jupyter-cache, then ``jupyter-book build``):

* **clean**: empty cache, every page executed (what a fresh checkout, CI and the tests pay);
* **one page edited**: a code cell of one lesson changed, only that page re-executed;
* **no change**: the same command again;

and, as the baseline, the previous way (``execute_notebooks: force``, ``jupyter-book build
--all``: every page executed one after another at every build). The bytecode cache is on
(``PYTHONDONTWRITEBYTECODE`` is unset for every command), as on an author's machine.

    uv run python benchmarks/book.py [--page book/pelvic-tilt.md] [--no-baseline]

Targets: clean <= 45 s on 2 cores; one page <= 1/4 of clean; no change <= 15% of clean.
Exits 1 when a build fails or a target is missed. Timings on a shared machine are noisy:
compare the ratios.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SOURCES = ("_config.yml", "_toc.yml", "book", "src/coursekit")
CLEAN_TARGET_S = 45.0
ONE_PAGE_SHARE = 0.25
NO_CHANGE_SHARE = 0.15


@dataclass(frozen=True)
class Step:
    name: str
    seconds: float
    cpu_seconds: float   # user + system time of every process the build started
    executed: int        # pages executed (by the parallel runner or by the build itself)
    returncode: int


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    env.setdefault("MPLCONFIGDIR", str(REPO / "_build" / "mplconfig"))
    return env


def copy_book(dest: Path) -> Path:
    """A copy of the book's sources (no _build, no caches)."""
    for entry in SOURCES:
        src = REPO / entry
        if src.is_dir():
            shutil.copytree(src, dest / entry, ignore=shutil.ignore_patterns("__pycache__", "_build"))
        else:
            (dest / entry).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / entry)
    return dest


def _executed(log: str) -> int:
    ran = len(re.findall(r"^coursekit: +\S+: (?:ok|FAILED) \(", log, re.M))
    return ran + len(re.findall(r"Executing notebook using", log))


def run_step(name: str, cmd: list[str], cwd: Path, logs: Path) -> Step:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=_env(), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    log = done.stdout + done.stderr
    (logs / f"{re.sub(r'[^a-z0-9]+', '-', name)}.log").write_text(log, encoding="utf-8")
    if done.returncode != 0:
        print(f"{name}: exit {done.returncode}; end of the log:\n" + "\n".join(log.splitlines()[-25:]),
              file=sys.stderr)
    return Step(name, seconds, cpu, _executed(log), done.returncode)


def edit_code_cell(page: Path) -> None:
    """Change the first code cell of *page* (a comment line), so its code hash changes."""
    text = page.read_text(encoding="utf-8")
    marker = "```{code-cell} ipython3\n"
    at = text.index(marker) + len(marker)
    while text.startswith(":", at):            # keep the cell's option lines first
        at = text.index("\n", at) + 1
    page.write_text(text[:at] + f"# edited by benchmarks/book.py at {time.time()}\n" + text[at:], encoding="utf-8")


def force_config(root: Path) -> None:
    """The previous configuration: every page executed at every build."""
    config = root / "_config.yml"
    text = re.sub(r"execute_notebooks: *\w+", "execute_notebooks: force", config.read_text(encoding="utf-8"))
    config.write_text(text, encoding="utf-8")


def run(page: str = "book/pelvic-tilt.md", baseline: bool = True, keep: bool = False) -> list[Step]:
    """Time the builds; returns the steps in order (baseline first when asked)."""
    work = Path(tempfile.mkdtemp(prefix="coursekit-bench-book-"))
    logs = work / "logs"
    logs.mkdir()
    steps: list[Step] = []
    try:
        if baseline:
            old = copy_book(work / "old")
            force_config(old)
            steps.append(run_step("before: force, serial, --all", [str(BIN / "jupyter-book"), "build", ".", "--all",
                                                                    "-W", "-n", "--keep-going"], old, logs))
        book = copy_book(work / "new")
        cmd = [str(BIN / "python"), "-m", "coursekit.bookexec", "--build"]
        steps.append(run_step("clean (empty cache)", cmd, book, logs))
        edit_code_cell(book / page)
        steps.append(run_step(f"one page edited ({page})", cmd, book, logs))
        steps.append(run_step("no change", cmd, book, logs))
        return steps
    finally:
        if keep:
            print(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _target(step: Step, clean: float | None) -> tuple[str, str]:
    """The step's target and whether it is met ("-" for the baseline)."""
    if step.name.startswith("clean"):
        return f"<= {CLEAN_TARGET_S:.0f} s", "yes" if step.seconds <= CLEAN_TARGET_S else "NO"
    share = ONE_PAGE_SHARE if step.name.startswith("one page") else NO_CHANGE_SHARE if step.name == "no change" else None
    if share is None or not clean:
        return "-", "-"
    return f"<= {share:.0%} of clean", "yes" if step.seconds <= share * clean else "NO"


def table(steps: list[Step]) -> str:
    clean = next((s.seconds for s in steps if s.name.startswith("clean")), None)
    rows = [("build", "seconds", "share of clean", "target", "met", "cpu seconds", "pages executed", "exit")]
    for s in steps:
        share = f"{s.seconds / clean:.0%}" if clean else "-"
        rows.append((s.name, f"{s.seconds:.1f}", share, *_target(s, clean), f"{s.cpu_seconds:.1f}", str(s.executed),
                     str(s.returncode)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def verdict(steps: list[Step]) -> list[str]:
    """The targets missed (empty when all are met)."""
    by = {s.name.split(" (")[0]: s for s in steps}
    clean, one, same = by["clean"], by["one page edited"], by["no change"]
    problems = [f"{s.name}: exit {s.returncode}" for s in steps if s.returncode]
    if clean.seconds > CLEAN_TARGET_S:
        problems.append(f"clean build {clean.seconds:.1f} s > {CLEAN_TARGET_S:.0f} s")
    if one.seconds > ONE_PAGE_SHARE * clean.seconds:
        problems.append(f"one-page rebuild {one.seconds / clean.seconds:.0%} of clean > {ONE_PAGE_SHARE:.0%}")
    if same.seconds > NO_CHANGE_SHARE * clean.seconds:
        problems.append(f"no-change rebuild {same.seconds / clean.seconds:.0%} of clean > {NO_CHANGE_SHARE:.0%}")
    if one.executed != 1:
        problems.append(f"one-page rebuild executed {one.executed} pages, not 1")
    if same.executed != 0:
        problems.append(f"no-change rebuild executed {same.executed} pages, not 0")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", default="book/pelvic-tilt.md", help="the lesson edited for the one-page rebuild")
    parser.add_argument("--no-baseline", action="store_true", help="skip the previous (force, serial) build")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (and the logs)")
    args = parser.parse_args(argv)
    steps = run(args.page, baseline=not args.no_baseline, keep=args.keep)
    print(table(steps))
    before = next((s for s in steps if s.name.startswith("before")), None)
    clean = next(s for s in steps if s.name.startswith("clean"))
    if before:
        print(f"clean build vs before: {before.seconds / clean.seconds:.1f}x faster   "
              f"(cores: {len(os.sched_getaffinity(0))}; shared machine: compare ratios)")
    problems = verdict(steps)
    for line in problems:
        print("MISSED:", line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
