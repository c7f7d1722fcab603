"""Grades out of the records: a grades CSV, an LMS-ready CSV and the class report.

The ``status`` column tells "failed to grade" (no score: the instructor must look)
from a real zero. ``score`` is the autograded score computed here; ``gradebook_score``
is nbgrader's total (manual grades from formgrader included), which the LMS CSV uses.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from coursekit.course import Course
from coursekit.grading import records as rec

__all__ = ["write_exports", "grades_table", "hand_grades", "lms_grades", "GRADES_CSV", "LMS_CSV"]

GRADES_CSV = "grades.csv"
LMS_CSV = "lms.csv"


def grades_table(records: list[rec.Record]) -> tuple[list[str], list[dict[str, Any]]]:
    """One row per student: total, status, reason, and the score of every question."""
    questions: list[str] = []
    for r in records:
        for cell in r.cells.values():
            for q in cell["questions"]:
                if q["question"] not in questions:
                    questions.append(q["question"])
    by_student: dict[str, list[rec.Record]] = {}
    for r in records:
        by_student.setdefault(r.student, []).append(r)
    rows = []
    for student, mine in sorted(by_student.items()):
        failed = [r for r in mine if r.status == rec.FAILED]
        status = rec.FAILED if failed else (rec.FLAGGED if any(r.status == rec.FLAGGED for r in mine) else rec.OK)
        row: dict[str, Any] = {
            "student": student, "status": status,
            "score": "" if failed else _num(sum(r.score or 0 for r in mine)),
            "max_score": _num(sum(r.max_score for r in mine)),
            "reason": " | ".join(f"{r.notebook}: {r.reason}" for r in mine if r.reason),
        }
        for question in questions:
            row[question] = ""
        for r in mine:
            for cell in r.cells.values():
                for q in cell["questions"]:
                    row[q["question"]] = _num(q["earned"])
        rows.append(row)
    return ["student", "status", "score", "max_score", "reason", *questions], rows


def _num(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _hand_questions(course: Course, assignment: str) -> dict[str, str]:
    """grade id -> question id (coursekit metadata, else the grade id) of every answer cell graded by hand."""
    import nbformat

    from coursekit.course.cells import grade_id, is_grade, is_solution

    out = {}
    for path in sorted(course.source_dir(assignment).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            gid = grade_id(cell)
            if gid and is_grade(cell) and is_solution(cell):
                out[gid] = str(cell.get("metadata", {}).get("coursekit", {}).get("question") or gid)
    return out


def hand_grades(course: Course, assignment: str) -> dict[str, dict[str, tuple[float | None, str, bool]]]:
    """student -> question -> (score given by hand or None, the grader's comment, still pending) from the gradebook."""
    questions = _hand_questions(course, assignment)
    out: dict[str, dict[str, tuple[float | None, str, bool]]] = {}
    with course.gradebook() as gb:
        for sub in gb.assignment_submissions(assignment):
            mine = out.setdefault(sub.student.id, {})
            for nb in sub.notebooks:
                comments = {c.cell.name: c.manual_comment or "" for c in nb.comments}
                for grade in nb.grades:
                    if grade.cell.name in questions:
                        score = grade.manual_score if grade.manual_score is not None else grade.auto_score
                        mine[questions[grade.cell.name]] = (None if score is None else float(score),
                                                            comments.get(grade.cell.name, ""),
                                                            bool(grade.needs_manual_grade))
    return out


def lms_grades(course: Course, assignment: str, records: list[rec.Record],
               by_hand: dict[str, dict[str, tuple[float | None, str, bool]]] | None = None) -> dict[str, Any]:
    """student -> :class:`coursekit.lms.StudentGrade` from the gradebook (hand grades, comments, penalty, pending).

    ``by_hand``: :func:`hand_grades` when already read.
    """
    from coursekit.lms import StudentGrade

    failed = {r.student: f"{r.notebook}: {r.reason}" for r in records if r.status == rec.FAILED}
    if by_hand is None:
        by_hand = hand_grades(course, assignment)
    out = {}
    with course.gradebook() as gb:
        for sub in gb.assignment_submissions(assignment):
            sid = sub.student.id
            comments = "; ".join(f"{q}: {c}" for q, (_, c, _) in by_hand.get(sid, {}).items() if c)
            out[sid] = StudentGrade(None if sid in failed else float(sub.score), float(sub.max_score),
                                    failed.get(sid, ""), comments, float(sub.late_submission_penalty or 0.0),
                                    bool(sub.needs_manual_grade) and sid not in failed)
    return out


def write_exports(course: Course, assignment: str, problems: list[rec.RecordProblem] | None = None) -> dict[str, Path]:
    """Write ``grades.csv``, ``lms.csv`` and ``report.html`` next to the records.

    Records that cannot be read are appended to ``problems`` (see :func:`records.load_records`).
    """
    records = rec.load_records(course.root, assignment, problems)
    folder = rec.records_dir(course.root, assignment).parent
    columns, rows = grades_table(records)
    with course.gradebook():  # one connection for every read below
        book = course.totals(assignment)
        by_hand = hand_grades(course, assignment)
        from_book = lms_grades(course, assignment, records, by_hand)
    columns[3:3] = ["gradebook_score", "late_penalty", "manual_grading_pending"]
    for row in rows:
        total, pending = book.get(row["student"], (None, False))
        penalty = from_book[row["student"]].late_penalty if row["student"] in from_book else 0.0
        # nbgrader's total (hand grades included) less its late penalty, as nbgrader's own export gives it
        row["gradebook_score"] = "" if row["status"] == rec.FAILED or total is None else _num(max(total - penalty, 0))
        row["late_penalty"] = _num(penalty)
        row["manual_grading_pending"] = "yes" if pending and row["status"] != rec.FAILED else "no"
    for question in dict.fromkeys(q for mine in by_hand.values() for q in mine):
        columns += [question, f"{question} comment"]
        for row in rows:
            score, comment, pending = by_hand.get(row["student"], {}).get(question, (None, "", True))
            row[question] = "" if pending or score is None or row["status"] == rec.FAILED else _num(score)
            row[f"{question} comment"] = comment
    grades = folder / GRADES_CSV
    with open(grades, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    lms = folder / LMS_CSV
    with open(lms, "w", newline="", encoding="utf-8") as fh:
        lms_writer = csv.writer(fh)
        lms_writer.writerow(["Student ID", f"{assignment} Score", "Max Points", "Grading Status", "Comment"])
        for row in rows:
            notes = ["not graded yet: " + row["reason"]] if row["status"] == rec.FAILED else (
                ["flagged for review"] if row["status"] == rec.FLAGGED else [])
            if row["manual_grading_pending"] == "yes":
                notes.append("answers graded by hand are not scored yet")
            lms_writer.writerow([row["student"], row["gradebook_score"], row["max_score"], row["status"], "; ".join(notes)])
    out = {"grades CSV": grades, "LMS CSV": lms}
    from coursekit.lms import write_lms_exports  # the LMS's own file, when the assignment was collected from one

    for result in write_lms_exports(course.root, assignment, from_book):
        out[f"LMS import ({result.path.name})"], out[f"LMS report ({result.report.name})"] = result.path, result.report
    waiting = [row["student"] for row in rows if row["manual_grading_pending"] == "yes"]
    from coursekit.grading.report import write_report

    out["class report"] = write_report(records, folder / "report.html", assignment, pending=waiting)
    return out
