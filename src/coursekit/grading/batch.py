"""``coursekit grade``: grade every submission of an assignment, safely and in parallel.

Per submitted notebook: rebuild it from the source, run it in a sandboxed warm worker
(export mode), judge the exported answers here, then commit the gradebook rows,
the autograded notebook and the record, in that order. A broken submission gets a
``failed`` record with the reason and never stops the batch.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from coursekit.course import Course, GradeWrite, write_grades
from coursekit.course.cells import grade_id, is_grade, is_solution, is_test, is_unanswered, points
from coursekit.course.gradebook import ensure_submissions
from coursekit.errors import UntrustedFileError
from coursekit.grading import records as rec
from coursekit.grading.autograded import build_autograded
from coursekit.grading.config import GradeConfig
from coursekit.grading.protocol import Job, Output, Reply
from coursekit.grading.sandbox import Sandbox
from coursekit.grading.submissions import (
    Sources,
    Submission,
    discover,
    job_payload,
    prepare,
)
from coursekit.grading.verdicts import CellVerdict, judge_cell
from coursekit.grading.workers import WorkerHandle, run_jobs
from coursekit.untrusted.files import read_regular
from coursekit.untrusted.html import sanitize_notebook

__all__ = ["BatchSummary", "WarmGrading", "grade_assignment"]

from coursekit.grading.warmup import WarmGrading, grade_assignment  # noqa: E402 - light; re-exported


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
    record_problems: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)

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
        lines += [f"  feedback failed for {s}: {p} (a plain page says so in its place; the grades stand)"
                  for s, p in self.feedback_problems.items()]
        lines += [f"  {p}" for p in self.record_problems]
        lines += [f"  {p}" for p in self.late]
        return "\n".join(lines)


class _Grader:
    """State of one run, shared by the preparation and result handlers."""

    def __init__(self, config: GradeConfig, course: Course, sources: Sources, sandbox: Sandbox) -> None:
        self.config = config
        self.course = course
        self.sources = sources
        self.sandbox = sandbox
        #: (student, notebook) -> autograded notebook written in this run, until its feedback is made
        self.autograded: dict[tuple[str, str], NotebookNode] = {}
        #: students whose gradebook rows were created up front (ensure_submissions)
        self.known: set[str] = set()
        self._stamps: dict[str, datetime | None] = {}

    def timestamp(self, student: str) -> datetime | None:
        """The student's submission time, read once per run (the rows up front and every grade use it)."""
        if student not in self._stamps:
            self._stamps[student] = self.course.timestamp(student, self.config.assignment)
        return self._stamps[student]

    def ensure(self, gb: Any, todo: list[Submission]) -> None:
        """Create the run's missing students and submissions in one transaction (see ensure_submissions)."""
        students = {sub.student for sub in todo}
        if students and ensure_submissions(gb, self.config.assignment, {s: self.timestamp(s) for s in students}):
            self.known = students

    def record(self, sub: Submission, status: str, reason: str, score: float | None,
               cells: dict[str, Any], started: float) -> rec.Record:
        max_score = sum(points(c) for c in self.sources.notebooks[sub.notebook].cells)
        return rec.Record(sub.student, self.config.assignment, sub.notebook, status, reason, list(sub.flags),
                          score, max_score, cells, rec.fingerprint(sub.folder), round(time.monotonic() - started, 3),
                          self.sandbox.kind)

    def fail(self, gb: Any, sub: Submission, reason: str, started: float) -> rec.Record:
        try:
            write_grades(gb, GradeWrite(sub.student, self.config.assignment, sub.notebook, {}, set(), True, True,
                                        self.timestamp(sub.student)),
                         known=sub.student in self.known)
        except Exception as err:  # noqa: BLE001 - record the failure even when the gradebook refuses it
            gb.db.rollback()
            reason += f" (and the gradebook could not be updated: {err!r})"
        try:
            record = self.record(sub, rec.FAILED, reason, None, {}, started)
        except Exception as err:  # noqa: BLE001 - even a folder that defeats the fingerprint gets its record
            record = rec.Record(sub.student, self.config.assignment, sub.notebook, rec.FAILED,
                                f"{reason} (and its folder could not be read: {err!r})", list(sub.flags))
        rec.save_record(self.course.root, record)
        return record

    def finish(self, gb: Any, sub: Submission, result: Reply, started: float) -> rec.Record:
        """Judge, then commit gradebook, autograded notebook and record (in that order)."""
        assert sub.prepared is not None
        nb = sub.prepared.notebook
        source_cells = {grade_id(c): c for c in self.sources.notebooks[sub.notebook].cells if grade_id(c)}
        verdicts: dict[str, CellVerdict] = {}
        for index, cell in enumerate(nb.cells):
            gid = grade_id(cell)
            if gid is not None and is_test(cell) and gid in source_cells:
                src = source_cells[gid]
                verdicts[gid] = judge_cell(gid, src.source, points(src), _outputs(result, index))
        flags = sub.flags + _run_flags(nb, result)
        sub.flags = flags
        graded = sanitize_notebook(self.course.limit_output(
            build_autograded(nb, result.cells, verdicts, delimiters=self.course.delimiters)))
        graded_before = self.course.autograded_dir(sub.student, self.config.assignment) / f"{sub.notebook}.ipynb"
        hand_changed = _hand_changed(graded_before, graded)  # before it is overwritten: what formgrader showed
        self._write_autograded(sub, graded)
        self.autograded[(sub.student, sub.notebook)] = graded  # for the feedback page, without reading it back
        unanswered = _unanswered(nb)
        timestamp = self.timestamp(sub.student)
        write_grades(gb, GradeWrite(sub.student, self.config.assignment, sub.notebook,
                                    {g: v.score for g, v in verdicts.items()}, unanswered, False, bool(flags), timestamp,
                                    hand_changed), known=sub.student in self.known)
        status = rec.FLAGGED if flags else rec.OK
        reason = "; ".join(flags[:3]) if flags else ""
        cells = {g: {"score": v.score, "max": v.max_points,
                     "questions": [q.__dict__ for q in v.questions]} for g, v in verdicts.items()}
        score = round(sum(v.score for v in verdicts.values()), 6)
        record = self.record(sub, status, reason, score, cells, started)
        rec.save_record(self.course.root, record)
        return record

    def _write_autograded(self, sub: Submission, nb: NotebookNode) -> None:
        folder = self.course.autograded_dir(sub.student, self.config.assignment)
        folder.mkdir(parents=True, exist_ok=True)
        for rel, data in self.sources.data_files.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_bytes(data)
        # As nbgrader's autograde: the submission's timestamp and the exchange's submission
        # secret travel on to autograded/ and feedback/ (release_feedback needs the secret).
        for name in ("timestamp.txt", "submission_secret.txt"):
            try:
                (folder / name).write_bytes(read_regular(sub.folder / name, 1000))
            except UntrustedFileError:
                continue  # missing, a link, a pipe or too large: nbgrader then uses the collect time
        # What formgrader and the feedback render: the student's outputs and markdown, made inert (finish).
        nbformat.write(nb, folder / f"{sub.notebook}.ipynb")


def _label(nb: NotebookNode, index: int | None) -> str:
    if not isinstance(index, int) or not 0 <= index < len(nb.cells):
        return "a cell"
    gid = grade_id(nb.cells[index])
    return f"cell {index + 1}" + (f" ({gid})" if gid else "")


def _run_flags(nb: NotebookNode, result: Reply) -> list[str]:
    """Reasons to review: cells that hung or killed Python, time limits hit, output truncated."""
    flags = [f"{_label(nb, e.cell)}: {e.reason}" for e in result.events]
    skipped = {e.cell for e in result.events}
    for index in range(len(nb.cells)):
        if index in skipped:
            continue
        for out in _outputs(result, index):
            if out.get("output_type") == "error" and out.get("ename") == "TimeoutError" \
                    and "grading limit per cell" in str(out.get("evalue")):
                flags.append(f"{_label(nb, index)}: stopped at the time limit per cell")
    return flags + result.notes[:5]


def _outputs(result: Reply, index: int) -> list[Output]:
    return result.cells.get(str(index), [])


def _unanswered(nb: NotebookNode) -> set[str]:
    return {gid for cell in nb.cells if is_unanswered(cell) and (gid := grade_id(cell))}


def _hand_answers(nb: NotebookNode) -> dict[str, str]:
    """grade id -> text of every answer cell graded by hand (a grade cell that is also an answer cell)."""
    return {grade_id(c) or "": str(c.get("source", "")) for c in nb.cells if is_solution(c) and is_grade(c)}


def _hand_changed(graded_before: Path, autograded: NotebookNode) -> set[str]:
    """Hand-graded cells whose answer differs from the autograded notebook formgrader showed (all if none)."""
    now = _hand_answers(autograded)
    if not now:
        return set()  # nothing graded by hand: no need to read the earlier notebook
    try:
        before = _hand_answers(nbformat.read(graded_before, as_version=4))
    except (OSError, ValueError, AttributeError):
        before = {}
    return {gid for gid, text in now.items() if before.get(gid) != text}


def _progress(total: int, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit="nb", desc="grading", disable=not enabled, smoothing=0.1)


def _grade(config: GradeConfig, warm: WarmGrading, started_run: float, echo: Callable[[str], None],
           keep_workers: bool) -> BatchSummary:
    course = warm.course
    with course.gradebook():  # one connection for the whole run (nested uses share it)
        names = course.notebooks(config.assignment)
        sources = warm.sources(config.assignment, names)
        summary = BatchSummary(config.assignment, warm.sandbox.summary())
        grader = _Grader(config, course, sources, warm.sandbox)
        students, unsafe = discover(course.submitted_root(), config.assignment, config.students)
        if unsafe:
            echo(f"skipped submission folders (rename them to a plain student id, never a link): {', '.join(unsafe)}")
        todo: list[Submission] = []
        for student in students:
            folder = course.submitted_dir(student, config.assignment)
            for name in names:
                try:
                    old = rec.load_record(course.root, config.assignment, student, name)
                except rec.RecordProblem as problem:
                    summary.record_problems.append(f"record {problem.name} {problem.reason}; regraded")
                    old = None
                if (old and not config.force and old.status != rec.FAILED
                        and old.fingerprint == rec.fingerprint(folder)):
                    summary.skipped.append(f"{student}/{name}")
                    continue
                todo.append(Submission(student, name, folder))
        after = _AfterStudent(config, course, names, summary, warm.feedback if config.feedback else None,
                              grader.autograded, warm.feedback_helper)
        # the keys (<course>/bank, read here, outside the sandbox) once the first submissions run
        _run(grader, todo, summary, warm.workers, after, keep_workers, lambda: warm.require_keys(config.assignment))
        if summary.graded:
            _outputs_after(config, course, summary)
        after.finish()  # the feedback helper's last pages, written meanwhile
    summary.seconds = time.monotonic() - started_run
    return summary


class _AfterStudent:
    """Once all of a student's notebooks are graded: nbgrader's late penalty, then the feedback pages.

    Done per student while the others are still being graded, so feedback overlaps grading.
    """

    def __init__(self, config: GradeConfig, course: Course, names: list[str], summary: BatchSummary,
                 feedback: Any, autograded: dict[tuple[str, str], NotebookNode], helper: Any = None) -> None:
        from coursekit.course.late import late_penalty_preprocessor
        from coursekit.lms import lms_late_flags

        self.config, self.course, self.names, self.summary, self.feedback = config, course, names, summary, feedback
        self.autograded = autograded
        self.helper = helper  #: a FeedbackHelper writing the pages in another process, or None
        self.waiting: dict[str, int] = {}
        self.records: dict[str, list[rec.Record]] = {}  #: student -> their records of this run
        self.pre = late_penalty_preprocessor(course.root, course.config)
        self.lms_late = lms_late_flags(course.root, config.assignment)

    def expect(self, todo: list[Submission]) -> None:
        for sub in todo:
            self.waiting[sub.student] = self.waiting.get(sub.student, 0) + 1

    def done(self, gb: Any, record: rec.Record) -> None:
        """Count ``record``; after the student's last notebook, store the penalty and write the feedback."""
        from coursekit.course.late import apply_late_penalties

        student = record.student
        self.records.setdefault(student, []).append(record)
        self.waiting[student] -= 1
        if self.waiting[student]:
            return
        written = {n: self.autograded.pop((student, n)) for n in self.names if (student, n) in self.autograded}
        mine = self.records.pop(student)
        if all(r.status == rec.FAILED for r in mine):
            return
        try:
            for penalty in apply_late_penalties(gb, self.pre, self.config.assignment, student,
                                                lms_late=self.lms_late.get(student, False)):
                if penalty.penalty:
                    self.summary.late.append(f"{student}/{penalty.notebook}: late penalty {penalty.penalty:g}")
        except Exception as err:  # noqa: BLE001 - one student's penalty never stops the batch
            gb.db.rollback()
            self.summary.late.append(f"{student}: the late penalty could not be stored ({err!r})")
        if self.feedback is None:
            return
        failed = {r.notebook for r in mine if r.status == rec.FAILED}
        folder = self.course.autograded_dir(student, self.config.assignment)
        notebooks = [n for n in self.names if n not in failed and (folder / f"{n}.ipynb").is_file()]
        if self.helper is not None:
            try:
                grades = self.feedback.read_grades(gb, student, self.config.assignment, notebooks)
            except Exception:  # noqa: BLE001 - written here instead, which reports the problem
                grades = None
            if grades is not None and self.helper.submit(student, self.config.assignment, notebooks, grades):
                return
        self._write(gb, student, self.config.assignment, notebooks, written)

    def _write(self, gb: Any, student: str, assignment: str, notebooks: list[str],
               written: dict[str, NotebookNode] | None = None) -> None:
        result = self.feedback.write(gb, student, assignment, notebooks, written)
        if result.problem:
            self.summary.feedback_problems[student] = result.problem

    def finish(self) -> None:
        """Wait for the helper's pages; those it did not write (it failed or stopped answering) are written here."""
        if self.helper is None:
            return
        done, left = self.helper.collect()
        self.summary.feedback_problems.update({student: problem for student, problem in done.items() if problem})
        if left:
            with self.course.gradebook() as gb:
                for student, (assignment, notebooks) in left.items():
                    self._write(gb, student, assignment, notebooks)


def _run(grader: _Grader, todo: list[Submission], summary: BatchSummary, workers: list[WorkerHandle],
         after: _AfterStudent, keep_workers: bool, keys: Callable[[], None]) -> None:
    """Grade ``todo``: the submissions run while the rest are read and while the answer keys and the
    run's gradebook rows are loaded (``keys``, :meth:`_Grader.ensure`); nothing is judged or written
    to the gradebook before that."""
    config = grader.config
    prepared: dict[str, tuple[Submission, float]] = {}
    limits = config.limits(grader.course.cell_timeout)
    timeout = config.total_timeout + 30  # the worker stops every job by total_timeout; 30 s to clean up
    after.expect(todo)
    with grader.course.gradebook() as gb, _progress(len(todo), config.progress) as bar:
        unreadable: list[tuple[Submission, float]] = []  # recorded once the keys are loaded

        def begin() -> None:
            """Once every job is handed out, before the first result: the keys (a run without them stops
            here, the gradebook untouched), the run's gradebook rows, then the submissions that could not
            be read."""
            keys()
            grader.ensure(gb, todo)
            for sub, started in unreadable:
                record = grader.fail(gb, sub, sub.problem or "the submission could not be read", started)
                summary.graded.append(record)
                after.done(gb, record)
                bar.update()

        def jobs() -> Iterator[Job]:
            """Each submission read and rebuilt when a job is wanted, so the first runs while the rest are read."""
            for sub in todo:
                started = time.monotonic()
                key = f"{sub.student}/{sub.notebook}"
                try:
                    prepare(sub, grader.sources, list(grader.sources.notebooks), int(config.extra_file_mb * 2**20),
                            int(config.extra_total_mb * 2**20))
                    job = None if sub.problem else job_payload(key, sub, limits, grader.sources.delimiters)
                except Exception as err:  # noqa: BLE001 - one submission never stops the batch
                    sub.problem = f"grader error while reading the submission: {err!r}"
                    job = None
                if job is None:
                    unreadable.append((sub, started))
                    continue
                prepared[key] = (sub, started)
                yield job

        def on_result(job: Job, result: Reply | None, failure: str | None) -> None:
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
            after.done(gb, record)
            bar.update()

        run_jobs(jobs(), timeout, workers[: len(todo)], on_result, stop_workers=not keep_workers, ready=begin)


def _outputs_after(config: GradeConfig, course: Course, summary: BatchSummary) -> None:
    from coursekit.grading.exports import write_exports

    if config.reports:
        problems: list[rec.RecordProblem] = []
        summary.outputs.update(write_exports(course, config.assignment, problems))
        summary.record_problems += [f"record {p.name} {p.reason}; left out of the exports" for p in problems]
    if config.feedback:
        summary.outputs["feedback"] = course.feedback_root()
