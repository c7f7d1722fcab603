"""The gradebook import file Canvas accepts as it is, and a validator of Canvas's import rules.

Canvas's gradebook import (https://community.canvaslms.com/t5/Instructor-Guide/
How-do-I-import-grades-in-the-Gradebook/ta-p/807; the parser is
``lib/gradebook_importer.rb`` in instructure/canvas-lms) reads:

- a header whose first columns identify the student: ``Student``, ``ID``, then
  ``SIS User ID`` and ``SIS Login ID``, and ``Section`` as the last identity column;
- then one column per assignment, ``<title> (<assignment id>)``; a column it cannot
  match to an existing assignment **creates a new assignment**;
- one row per student, matched by the Canvas user ``ID`` first (then SIS ids, then name);
- a score cell as a number; an empty cell leaves the grade unset.

So coursekit writes the five identity columns, exactly the assignment's column header
from the roster, one row per roster student, scores as numbers and nothing else. A
submission that failed to grade gets an empty cell; the reason goes to the report file
next to the import, never into it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from pathlib import Path

from coursekit.errors import DataError
from coursekit.lms.canvas_roster import IDENTITY_COLUMNS, NON_ASSIGNMENT_COLUMNS, CanvasRoster, read_canvas_csv
from coursekit.lms.csvsafe import is_neutral, neutralise, number_cell
from coursekit.lms.results import GradeFileResult, StudentGrade, write_report_csv

__all__ = ["write_canvas_import", "validate_canvas_import", "REPORT_SUFFIX"]

REPORT_SUFFIX = "-report.csv"
_SCORE = re.compile(r"^(0|[1-9]\d*)(\.\d+)?$")


def write_canvas_import(path: Path | str, assignment: str, grades: Mapping[str, StudentGrade], *,
                        roster: CanvasRoster | None = None, column: str | None = None,
                        names: Mapping[str, str] | None = None) -> GradeFileResult:
    """Write the import file for one assignment; keys of ``grades`` are Canvas user ids.

    Without a roster the column is headed by the assignment's title (Canvas matches a
    column without an id by title) and the students are the graded ids; the result's
    notes say so. Returns where the file and its report are, and what to check.
    """
    path = Path(path)
    report = path.with_name(path.stem + REPORT_SUFFIX)
    notes: list[str] = []
    rows, report_rows = [], []
    if roster is not None:
        header = roster.column_for(column or assignment)
        heading = neutralise(header.header)  # Canvas matches "<title> (<id>)" by the id, so a quote is harmless
        students = [(s.canvas_id, [s.name, s.canvas_id, s.sis_user_id, s.sis_login_id, s.section])
                    for s in roster.real_students]
        outside = sorted(set(grades) - {s.canvas_id for s in roster.students}, key=_id_order)
        if outside:
            notes.append(f"graded but not in the roster (left out of the import): {', '.join(outside)}")
            report_rows += [[sid, (names or {}).get(sid, ""), "not in roster", "", ""] for sid in outside]
        over = [sid for sid, g in grades.items() if header.points_possible is not None and g.total is not None
                and g.total > header.points_possible]
        if over:
            notes.append(f"scores above the {number_cell(header.points_possible or 0)} points possible in Canvas: "
                         + ", ".join(sorted(over, key=_id_order)))
    else:
        heading = column or assignment
        bad = sorted(sid for sid in grades if not sid.isdigit())
        if bad:
            raise DataError(str(path), f"student ids {bad} are not Canvas user ids; collect from a Canvas zip "
                            "or pass the Canvas roster")
        students = [(sid, [(names or {}).get(sid, ""), sid, "", "", ""]) for sid in sorted(grades, key=_id_order)]
        notes.append(f"no roster: rows are identified by Canvas user id only ({', '.join(s for s, _ in students)}); "
                     f"the column {heading!r} must be the assignment's exact title in Canvas, or pass --roster")
    for canvas_id, identity in students:
        grade = grades.get(canvas_id)
        total = None if grade is None else grade.total
        rows.append([neutralise(cell) for cell in identity] + ["" if total is None else number_cell(total)])
        status = "no submission" if grade is None else ("failed" if total is None else "graded")
        report_rows.append([canvas_id, identity[0], status, rows[-1][-1], "; ".join(grade.notes() if grade else [])])
    failed = [r[0] for r in report_rows if r[2] == "failed"]
    if failed:
        notes.append(f"failed to grade (empty cell, reason in the report): {', '.join(failed)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([*IDENTITY_COLUMNS, heading])
        writer.writerows(rows)
    write_report_csv(report, ["ID", "Student", "Status", heading, "Notes"], report_rows)
    return GradeFileResult(path, report, len(rows), notes)


def validate_canvas_import(path: Path | str, *, roster: CanvasRoster | None = None) -> list[str]:
    """Every way ``path`` breaks Canvas's documented import rules (empty list: Canvas accepts it).

    Checked: UTF-8; the identity columns first; only assignment columns after them, each
    one Canvas knows (in the roster, when given; otherwise ``<title> (<id>)`` or a bare
    title); one row per Canvas user id, each a number (and each roster student present,
    when given); every score cell empty or a non-negative number; every cell of the right
    count; no text cell that a spreadsheet would read as a formula.
    """
    path = Path(path)
    try:
        rows = read_canvas_csv(path)
    except DataError as err:
        return [str(err)]
    if not rows:
        return [f"{path}: empty file"]
    header, problems = rows[0], []
    if tuple(header[:5]) != IDENTITY_COLUMNS:
        problems.append(f"header: the first columns must be {', '.join(IDENTITY_COLUMNS)} (found {header[:5]})")
    assignments = header[5:]
    if not assignments:
        problems.append("header: no assignment column")
    known = {neutralise(c.header) for c in roster.columns} if roster else None
    problems += [f"header: {h!r} could be read as a formula" for h in header if not is_neutral(h)]
    for name in assignments:
        if not name.strip() or any(n in name for n in NON_ASSIGNMENT_COLUMNS) or name in IDENTITY_COLUMNS:
            problems.append(f"header: {name!r} is not an assignment column")
        elif known is not None and name not in known:
            problems.append(f"header: {name!r} is not an assignment of the roster: "
                            "Canvas would create a new assignment")
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if row and "Points Possible" in row[0]:
            continue
        if len(row) != len(header):
            problems.append(f"row {number}: {len(row)} cells for {len(header)} columns")
            continue
        canvas_id = row[1]
        if not canvas_id.isdigit():
            problems.append(f"row {number}: ID {canvas_id!r} is not a Canvas user id")
        elif canvas_id in seen:
            problems.append(f"row {number}: Canvas user id {canvas_id} is also on row {seen[canvas_id]}")
        else:
            seen[canvas_id] = number
        if roster is not None and canvas_id not in roster.by_id():
            problems.append(f"row {number}: Canvas user id {canvas_id} is not in the roster")
        problems += [f"row {number}, column {header[i]!r}: {c!r} could be read as a formula"
                     for i, c in enumerate(row[:5]) if not is_neutral(c)]
        problems += [f"row {number}, column {header[i]!r}: score {c!r} is not a number"
                     for i, c in enumerate(row[5:], start=5) if c and not _SCORE.match(c)]
    if roster is not None:
        missing = [s.canvas_id for s in roster.real_students if s.canvas_id not in seen]
        if missing:
            problems.append(f"roster students without a row: {', '.join(missing)}")
    return [f"{path}: {p}" for p in problems]


def _id_order(canvas_id: str) -> tuple[int, str]:
    return (int(canvas_id) if canvas_id.isdigit() else -1, canvas_id)
