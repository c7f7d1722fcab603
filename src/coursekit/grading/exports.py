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

__all__ = ["write_exports", "grades_table", "GRADES_CSV", "LMS_CSV"]

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


def write_exports(course: Course, assignment: str,
                  problems: list[rec.RecordProblem] | None = None) -> dict[str, Path]:
    """Write ``grades.csv``, ``lms.csv`` and ``report.html`` next to the records.

    Records that cannot be read are appended to ``problems`` (see :func:`records.load_records`).
    """
    records = rec.load_records(course.root, assignment, problems)
    folder = rec.records_dir(course.root, assignment).parent
    columns, rows = grades_table(records)
    book = course.totals(assignment)
    columns[3:3] = ["gradebook_score", "manual_grading_pending"]
    for row in rows:
        total, pending = book.get(row["student"], (None, False))
        row["gradebook_score"] = "" if row["status"] == rec.FAILED or total is None else _num(total)
        row["manual_grading_pending"] = "yes" if pending and row["status"] != rec.FAILED else "no"
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
    try:
        from coursekit.grading.report import write_report
    except ImportError:
        return out
    out["class report"] = write_report(records, folder / "report.html", assignment)
    return out
