"""``coursekit grade``: grade every submission of an assignment, safely and in parallel.

Per submitted notebook: rebuild it from the source, run it in a sandboxed warm worker
(export mode), judge the exported answers here, then commit the gradebook rows,
the autograded notebook and the record, in that order. A broken submission gets a
``failed`` record with the reason and never stops the batch.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from coursekit.grading import records as rec
from coursekit.grading.autograded import build_autograded
from coursekit.grading.cgroups import CgroupLimits
from coursekit.grading.config import GradeConfig
from coursekit.grading.nbgrader_io import Course, GradeWrite, gradebook, open_course, write_grades
from coursekit.grading.notebooks import grade_id, is_solution, is_test
from coursekit.grading.sandbox import Sandbox, create_sandbox
from coursekit.grading.submissions import (Sources, Submission, discover, job_payload, load_sources, prepare,
                                           source_imports)
from coursekit.grading.verdicts import CellVerdict, judge_cell
from coursekit.grading.workers import Job, WorkerHandle, run_jobs

__all__ = ["BatchSummary", "grade_assignment"]


@dataclass
class BatchSummary:
    """What a grading run did."""

    assignment: str
    sandbox: str
    graded: list[rec.Record] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    outputs: dict[str, Path] = field(default_factory=dict)
    feedback_problems: dict[str, str] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.graded)

    def text(self) -> str:
        lines = [f"{self.assignment}: {len(self.graded)} graded in {self.seconds:.1f} s "
                 f"({self.count(rec.OK)} ok, {self.count(rec.FLAGGED)} flagged for review, "
                 f"{self.count(rec.FAILED)} failed to grade), {len(self.skipped)} already graded (use --force to regrade)"]
        for r in self.graded:
            if r.status != rec.OK:
                lines.append(f"  {r.status:8} {r.student}/{r.notebook}: {r.reason or '; '.join(r.flags)}")
        lines += [f"  {name}: {path}" for name, path in self.outputs.items()]
        lines += [f"  feedback failed for {s}: {p}" for s, p in self.feedback_problems.items()]
        return "\n".join(lines)


class _Grader:
    """State of one run, shared by the preparation and result handlers."""

    def __init__(self, config: GradeConfig, course: Course, sources: Sources, sandbox: Sandbox) -> None:
        self.config = config
        self.course = course
        self.sources = sources
        self.sandbox = sandbox

    def record(self, sub: Submission, status: str, reason: str, score: float | None,
               cells: dict[str, Any], started: float) -> rec.Record:
        max_score = sum(float(c.metadata.nbgrader.get("points", 0)) for c in self.sources.notebooks[sub.notebook].cells
                        if c.get("metadata", {}).get("nbgrader", {}).get("grade"))
        return rec.Record(sub.student, self.config.assignment, sub.notebook, status, reason, list(sub.flags),
                          score, max_score, cells, rec.fingerprint(sub.folder), round(time.monotonic() - started, 3),
                          self.sandbox.kind)

    def fail(self, gb: Any, sub: Submission, reason: str, started: float) -> rec.Record:
        try:
            write_grades(gb, GradeWrite(sub.student, self.config.assignment, sub.notebook, {}, set(), True, True,
                                        self.course.timestamp(sub.student, self.config.assignment)))
        except Exception as err:  # noqa: BLE001 - record the failure even when the gradebook refuses it
            gb.db.rollback()
            reason += f" (and the gradebook could not be updated: {err!r})"
        record = self.record(sub, rec.FAILED, reason, None, {}, started)
        rec.save_record(self.course.root, record)
        return record

    def finish(self, gb: Any, sub: Submission, result: dict[str, Any], started: float) -> rec.Record:
        """Judge, then commit gradebook, autograded notebook and record (in that order)."""
        assert sub.prepared is not None
        nb = sub.prepared.notebook
        source_cells = {grade_id(c): c for c in self.sources.notebooks[sub.notebook].cells if grade_id(c)}
        verdicts: dict[str, CellVerdict] = {}
        for index, cell in enumerate(nb.cells):
            gid = grade_id(cell)
            if is_test(cell) and gid in source_cells:
                src = source_cells[gid]
                verdicts[gid] = judge_cell(gid, src.source, float(src.metadata.nbgrader.get("points", 0)),
                                           _outputs(result, index))
        flags = sub.flags + _run_flags(nb, result)
        sub.flags = flags
        self._write_autograded(sub, build_autograded(nb, result.get("cells", {}), verdicts))
        unanswered = _unanswered(nb)
        timestamp = self.course.timestamp(sub.student, self.config.assignment)
        write_grades(gb, GradeWrite(sub.student, self.config.assignment, sub.notebook,
                                    {g: v.score for g, v in verdicts.items()}, unanswered, False, bool(flags), timestamp))
        status = rec.FLAGGED if flags else rec.OK
        reason = "; ".join(flags[:3]) if flags else ""
        cells = {g: {"score": v.score, "max": v.max_points,
                     "questions": [q.__dict__ for q in v.questions]} for g, v in verdicts.items()}
        score = round(sum(v.score for v in verdicts.values()), 6)
        record = self.record(sub, status, reason, score, cells, started)
        rec.save_record(self.course.root, record)
        return record

    def _write_autograded(self, sub: Submission, nb: Any) -> None:
        folder = self.course.autograded_dir(sub.student, self.config.assignment)
        folder.mkdir(parents=True, exist_ok=True)
        for rel, data in self.sources.data_files.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_bytes(data)
        stamp = sub.folder / "timestamp.txt"
        if stamp.is_file() and not stamp.is_symlink() and stamp.stat().st_size < 1000:
            (folder / "timestamp.txt").write_bytes(stamp.read_bytes())
        nbformat.write(nb, folder / f"{sub.notebook}.ipynb")


def _label(nb: Any, index: Any) -> str:
    if not isinstance(index, int) or not 0 <= index < len(nb.cells):
        return "a cell"
    gid = grade_id(nb.cells[index])
    return f"cell {index + 1}" + (f" ({gid})" if gid else "")


def _run_flags(nb: Any, result: dict[str, Any]) -> list[str]:
    """Reasons to review: cells that hung or killed Python, time limits hit, output truncated."""
    flags = [f"{_label(nb, e.get('cell'))}: {e.get('reason')}" for e in result.get("events", []) if isinstance(e, dict)]
    skipped = {e.get("cell") for e in result.get("events", []) if isinstance(e, dict)}
    for index in range(len(nb.cells)):
        if index in skipped:
            continue
        for out in _outputs(result, index):
            if out.get("output_type") == "error" and out.get("ename") == "TimeoutError" \
                    and "grading limit per cell" in str(out.get("evalue")):
                flags.append(f"{_label(nb, index)}: stopped at the time limit per cell")
    return flags + [str(n) for n in result.get("notes", [])[:5]]


def _outputs(result: dict[str, Any], index: int) -> list[dict[str, Any]]:
    cells = result.get("cells")
    outputs = cells.get(str(index)) if isinstance(cells, dict) else None
    return outputs if isinstance(outputs, list) else []


def _unanswered(nb: Any) -> set[str]:
    from nbgrader.utils import compute_checksum

    found = set()
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if is_solution(cell) and meta.get("checksum") and meta["checksum"] == compute_checksum(cell):
            found.add(meta.get("grade_id"))
    return found


def _progress(total: int, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit="nb", desc="grading", disable=not enabled, smoothing=0.1)


def grade_assignment(config: GradeConfig, echo: Callable[[str], None] = print) -> BatchSummary:
    """Grade ``config.assignment`` of the course in ``config.course``; see the module docstring."""
    config.validate()
    started_run = time.monotonic()
    budget = CgroupLimits(memory_mb=config.memory_mb * 2 + 1536, pids=config.nproc * 2 + 64)
    sandbox = create_sandbox(config.sandbox, keep_out=[Path(config.course)], cgroup=budget)
    sandbox.warm = source_imports(Path(config.course) / "source" / config.assignment)
    echo(sandbox.summary())
    log_dir = Path(config.course).resolve() / "coursekit-grades" / config.assignment / "logs"
    workers = [WorkerHandle(sandbox, i, {}, log_dir) for i in range(config.workers)]
    try:
        for worker in workers:  # warm up while the grader reads the course
            worker.spawn()
        return _grade(config, sandbox, workers, started_run, echo)
    finally:
        for worker in workers:
            worker.stop()


def _grade(config: GradeConfig, sandbox: Sandbox, workers: list[WorkerHandle], started_run: float,
           echo: Callable[[str], None]) -> BatchSummary:
    course = open_course(config.course)
    from coursekit.coursekeys import require_keys  # keys: <course>/bank, read here, outside the sandbox

    require_keys(config.course, config.assignment)
    names = course.notebooks(config.assignment)
    sources = load_sources(course.source_dir(config.assignment), course.release_dir(config.assignment), names,
                           list(course.coursedir.ignore))
    summary = BatchSummary(config.assignment, sandbox.summary())
    grader = _Grader(config, course, sources, sandbox)
    students, unsafe = discover(course.submitted_root(), config.assignment, config.students)
    if unsafe:
        echo(f"skipped submission folders with unusual names (rename them to a plain student id): {', '.join(unsafe)}")
    todo: list[Submission] = []
    for student in students:
        folder = course.submitted_dir(student, config.assignment)
        for name in names:
            old = rec.load_record(course.root, config.assignment, student, name)
            if (old and not config.force and old.status != rec.FAILED
                    and old.fingerprint == rec.fingerprint(folder)):
                summary.skipped.append(f"{student}/{name}")
                continue
            todo.append(Submission(student, name, folder))
    _run(grader, todo, summary, workers)
    summary.seconds = time.monotonic() - started_run
    if summary.graded:
        _outputs_after(config, course, summary, echo)
    summary.seconds = time.monotonic() - started_run
    return summary


def _run(grader: _Grader, todo: list[Submission], summary: BatchSummary, workers: list[WorkerHandle]) -> None:
    config = grader.config
    jobs: list[Job] = []
    prepared: dict[str, tuple[Submission, float]] = {}
    limits = config.limits()
    timeout = config.total_timeout + 30  # the worker stops every job by total_timeout; 30 s to clean up
    with gradebook(grader.course) as gb, _progress(len(todo), config.progress) as bar:
        for sub in todo:
            started = time.monotonic()
            prepare(sub, grader.sources, list(grader.sources.notebooks), int(config.extra_file_mb * 2**20),
                    int(config.extra_total_mb * 2**20))
            if sub.problem:
                summary.graded.append(grader.fail(gb, sub, sub.problem, started))
                bar.update()
                continue
            key = f"{sub.student}/{sub.notebook}"
            prepared[key] = (sub, started)
            jobs.append(Job(key, job_payload(key, sub, limits), timeout))

        def on_result(job: Job, result: dict[str, Any] | None, failure: str | None) -> None:
            sub, started = prepared[job.key]
            try:
                if result is None:
                    record = grader.fail(gb, sub, failure or "the sandbox failed", started)
                else:
                    record = grader.finish(gb, sub, result, started)
            except Exception as err:  # noqa: BLE001 - one submission never stops the batch
                gb.db.rollback()
                record = grader.fail(gb, sub, f"grader error while judging: {err!r}", started)
            summary.graded.append(record)
            bar.update()

        if jobs:
            run_jobs(jobs, workers[: len(jobs)], on_result)


def _outputs_after(config: GradeConfig, course: Course, summary: BatchSummary, echo: Callable[[str], None]) -> None:
    from coursekit.grading.exports import write_exports

    if config.reports:
        summary.outputs.update(write_exports(course, config.assignment))
    if config.feedback:
        from coursekit.grading.nbgrader_io import generate_feedback

        graded = sorted({r.student for r in summary.graded if r.status != rec.FAILED})
        summary.feedback_problems = generate_feedback(course, config.assignment, graded)
        summary.outputs["feedback"] = course.root / course.coursedir.feedback_directory
