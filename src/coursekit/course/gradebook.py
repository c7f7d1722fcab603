"""Autograder results into nbgrader's gradebook, so formgrader, feedback and export keep working."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["GradeWrite", "ensure_submissions", "submitted_notebook", "write_grades"]


@dataclass
class GradeWrite:
    """What to store for one submitted notebook."""

    student: str
    assignment: str
    notebook: str
    scores: dict[str, float | None]          # test-cell grade id -> auto score (None: failed)
    unanswered: set[str]                     # answer-cell ids left as released
    failed: bool
    flagged: bool
    timestamp: datetime | None = None
    #: hand-graded answer cells whose text differs from the autograded notebook an instructor
    #: graded; None: unknown, so every manual grade is sent back for review (nbgrader's rule)
    hand_changed: set[str] | None = None


def ensure_submissions(gb: Any, assignment: str, timestamps: dict[str, datetime | None]) -> bool:
    """nbgrader's ``update_or_create_student`` and ``update_or_create_submission`` for many students, one commit.

    ``timestamps``: student -> submission time (None: unknown). A missing student or
    submission gets the rows nbgrader creates (``add_submission``: a submitted notebook per
    notebook, a grade per grade cell, a comment per answer cell, both per task cell), with
    its time. An existing submission is left as it is: :func:`write_grades` with
    ``known=True`` stores its new time together with its new grades, in one commit, as
    nbgrader's two commits per student would. False, with nothing changed, when the
    gradebook refuses (the caller then lets :func:`write_grades` create each one as nbgrader does).
    """
    from nbgrader.api import Comment, Grade, Student, SubmittedAssignment, SubmittedNotebook
    from nbgrader.utils import parse_utc

    students = sorted(timestamps)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SQLAlchemy autoflush notices
            known = {row[0] for row in gb.db.query(Student.id).filter(Student.id.in_(students))}
            for student in students:
                if student not in known:
                    gb.db.add(Student(id=student))
            gb.db.flush()
            target = gb.find_assignment(assignment)
            existing = {sub.student_id: sub for sub in gb.db.query(SubmittedAssignment)
                        .filter(SubmittedAssignment.assignment_id == target.id,
                                SubmittedAssignment.student_id.in_(students))}
            for student in students:
                if student in existing:
                    continue
                stamp = parse_utc(timestamps[student])
                submission = SubmittedAssignment(assignment=target, student_id=student,
                                                 **({"timestamp": stamp} if stamp is not None else {}))
                with gb.db.no_autoflush:  # nothing is flushed half-built; all rows go at the commit
                    for notebook in target.notebooks:  # as nbgrader's add_submission mirrors the assignment
                        row = SubmittedNotebook(notebook=notebook, assignment=submission)
                        for cell in notebook.grade_cells:
                            Grade(cell_id=cell.id, notebook=row)
                        for cell in notebook.solution_cells:
                            Comment(cell_id=cell.id, notebook=row)
                        for cell in notebook.task_cells:
                            Comment(cell_id=cell.id, notebook=row)
                            Grade(cell_id=cell.id, notebook=row)
                    gb.db.add(submission)  # last, as nbgrader does: adding it cascades to the rows built above
            gb.db.commit()
    except Exception:  # noqa: BLE001 - the caller falls back to nbgrader's own calls, one per submission
        gb.db.rollback()
        return False
    return True


def write_grades(gb: Any, write: GradeWrite, *, known: bool = False) -> None:
    """Store one notebook's autograder results and commit (only this student's rows).

    ``known``: the student's row and submission exist with their time (:func:`ensure_submissions`),
    so nbgrader's ``update_or_create_*`` calls, and their commits, are skipped.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy autoflush notices from nbgrader's own API
        _write_grades(gb, write, known)


def _write_grades(gb: Any, write: GradeWrite, known: bool) -> None:
    if not known:
        gb.update_or_create_student(write.student)
        if write.timestamp:
            gb.update_or_create_submission(write.assignment, write.student, timestamp=write.timestamp)
        else:
            gb.update_or_create_submission(write.assignment, write.student)
    nb = submitted_notebook(gb, write.notebook, write.assignment, write.student)
    if known and write.timestamp:
        from nbgrader.utils import parse_utc

        nb.assignment.timestamp = parse_utc(write.timestamp)
    for grade in nb.grades:
        name = grade.cell.name
        if write.failed:
            grade.auto_score, grade.needs_manual_grade = None, True
        elif name in write.scores:
            grade.auto_score = write.scores[name]
            grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
        else:  # answer cells graded by hand: zero only when left unanswered, as nbgrader does
            grade.auto_score = 0.0 if name in write.unanswered else None
            if grade.manual_score is not None:  # a manual grade stands while the answer it graded is unchanged
                grade.needs_manual_grade = write.hand_changed is None or name in write.hand_changed
            else:
                grade.needs_manual_grade = grade.auto_score is None
    for comment in nb.comments:
        comment.auto_comment = "No response." if comment.cell.name in write.unanswered and not write.failed else None
    nb.flagged = write.flagged or write.failed
    gb.db.commit()


def submitted_notebook(gb: Any, notebook: str, assignment: str, student: str, *, scores: bool = False) -> Any:
    """nbgrader's ``find_submission_notebook``, its grades and comments loaded with their cells in the same read.

    nbgrader's own lookup loads each grade's and comment's cell lazily, one query each, and
    again after every commit; this asks for them together (and, with ``scores``, the
    notebook's score and maximum and every grade's maximum, the same SQL nbgrader defers).
    """
    from nbgrader.api import (
        Assignment,
        Comment,
        Grade,
        MissingEntry,
        Notebook,
        Student,
        SubmittedAssignment,
        SubmittedNotebook,
    )
    from sqlalchemy.orm import selectinload, undefer
    from sqlalchemy.orm.exc import NoResultFound

    grades = selectinload(SubmittedNotebook.grades)
    options = [grades.joinedload(Grade.cell), selectinload(SubmittedNotebook.comments).joinedload(Comment.cell)]
    if scores:
        options += [grades.undefer(Grade.max_score), undefer(SubmittedNotebook.score),
                    undefer(SubmittedNotebook.max_score)]
    try:
        return (gb.db.query(SubmittedNotebook)
                .join(Notebook, Notebook.id == SubmittedNotebook.notebook_id)
                .join(SubmittedAssignment, SubmittedAssignment.id == SubmittedNotebook.assignment_id)
                .join(Assignment, Assignment.id == SubmittedAssignment.assignment_id)
                .join(Student, Student.id == SubmittedAssignment.student_id)
                .filter(Notebook.name == notebook, Assignment.name == assignment, Student.id == student)
                .options(*options)
                .one())
    except NoResultFound as err:
        raise MissingEntry(f"No such submitted notebook: {assignment}/{notebook} for {student}") from err
