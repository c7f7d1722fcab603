"""A Canvas gradebook export (the roster): students, their ids and sections, assignment columns.

Canvas's gradebook export ("Export Entire Gradebook"; Canvas Instructor Guide, "How do I
export grades in the Gradebook?")
starts with the identity columns ``Student, ID, SIS User ID, SIS Login ID, Section``
(the SIS columns are missing for some roles), may have custom columns and then one
column per assignment named ``<title> (<assignment id>)``, then read-only totals
(``Current Score``...). The second row is ``Points Possible``; Canvas's own Test Student
appears as ``Student, Test``. Canvas reads the file back by the same rules
(``lib/gradebook_importer.rb`` in instructure/canvas-lms: ``row_has_student_headers?``,
``update_column_count``, ``Assignment.title_and_id``), which is what this reader follows.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from coursekit.errors import DataError

__all__ = ["CanvasRoster", "RosterStudent", "AssignmentColumn", "read_canvas_roster", "IDENTITY_COLUMNS",
           "NON_ASSIGNMENT_COLUMNS", "TEST_STUDENT", "title_and_id", "read_canvas_csv"]

#: The identity columns, in Canvas's order, that an import file starts with.
IDENTITY_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
#: Read-only columns of the export that are not assignments (gradebook_importer.rb).
NON_ASSIGNMENT_COLUMNS = ("Current Score", "Current Points", "Current Grade", "Final Score", "Final Points",
                          "Final Grade", "Override Score", "Override Grade", "Override Status")
#: Canvas's "Test Student" (Student View) as the export names it.
TEST_STUDENT = "Student, Test"
_OPTIONAL_IDENTITY = ("SIS User ID", "SIS Login ID", "Integration ID", "Root Account")


def title_and_id(header: str) -> tuple[str, str | None]:
    """An assignment column header split as Canvas splits it (``Assignment.title_and_id``).

    >>> title_and_id("ps1 (5551)"), title_and_id("Quiz (draft) (12)"), title_and_id("ps1")
    (('ps1', '5551'), ('Quiz (draft)', '12'), ('ps1', None))
    """
    found = re.match(r"^(.*) \((\d+)\)$", header)
    return (found.group(1), found.group(2)) if found else (header, None)


@dataclass(frozen=True)
class RosterStudent:
    """One student row of the export."""

    name: str           #: "Doe, Jane" (Canvas's sortable name)
    canvas_id: str      #: Canvas user id, the identity coursekit keeps
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""
    row: int = 0        #: the row in the export (1 = header)

    @property
    def is_test_student(self) -> bool:
        return self.name == TEST_STUDENT


@dataclass(frozen=True)
class AssignmentColumn:
    """One assignment column of the export."""

    header: str                 #: exactly as in the export, e.g. "ps1 (5551)"
    title: str
    canvas_id: str | None
    points_possible: float | None = None


@dataclass
class CanvasRoster:
    """The students and assignment columns of a Canvas gradebook export."""

    path: Path
    students: list[RosterStudent] = field(default_factory=list)
    columns: list[AssignmentColumn] = field(default_factory=list)

    @property
    def real_students(self) -> list[RosterStudent]:
        """Every student but Canvas's Test Student."""
        return [s for s in self.students if not s.is_test_student]

    def by_id(self) -> dict[str, RosterStudent]:
        return {s.canvas_id: s for s in self.students}

    def column_for(self, assignment: str) -> AssignmentColumn:
        """The column of ``assignment``, matched by title (exactly, then ignoring case), or by header."""
        for same in (lambda c: c.header == assignment or c.title == assignment,
                     lambda c: c.title.casefold() == assignment.casefold()):
            found = [c for c in self.columns if same(c)]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise DataError(str(self.path), f"{len(found)} assignment columns are titled {assignment!r} "
                                f"({', '.join(c.header for c in found)}); pass the exact column header")
        known = ", ".join(repr(c.header) for c in self.columns) or "none"
        raise DataError(str(self.path), f"no assignment column titled {assignment!r}; the columns are {known}. "
                        "Create the assignment in Canvas and export the gradebook again, or pass the column header")


def read_canvas_csv(path: Path) -> list[list[str]]:
    """Rows of a Canvas CSV: UTF-8 (a byte-order mark is fine), comma or semicolon as Canvas detects."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise DataError(str(path), f"cannot read the file ({err.strerror})") from err
    except UnicodeDecodeError as err:
        raise DataError(str(path), f"not UTF-8 text (byte {err.start}); export the gradebook from Canvas again "
                        "or save the file as 'CSV UTF-8'") from err
    first = text.splitlines()[:3]
    counts = {}
    for sep in ";,":
        sizes = {len(next(csv.reader([line], delimiter=sep), [])) for line in first}
        counts[sep] = sizes.pop() if len(sizes) == 1 else 0
    delimiter = ";" if counts[";"] > counts[","] else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def read_canvas_roster(path: Path | str) -> CanvasRoster:
    """Read a Canvas gradebook export; a malformed file raises :class:`DataError` naming row and column."""
    path = Path(path)
    rows = read_canvas_csv(path)
    if not rows:
        raise DataError(str(path), "the file is empty; export the gradebook from Canvas")
    header = [h.strip() for h in rows[0]]
    if len(header) < 3 or "Student" not in header[0] or "ID" not in header[1]:
        raise DataError(str(path), "not a Canvas gradebook export: the first columns must be 'Student' and 'ID' "
                        f"(found {header[:2]})", row=1)
    if "Section" not in header:
        raise DataError(str(path), "no 'Section' column: export the entire gradebook from Canvas", row=1)
    where = {name: header.index(name) for name in (*IDENTITY_COLUMNS, *_OPTIONAL_IDENTITY) if name in header}
    section = where["Section"]
    roster = CanvasRoster(path)
    for name in header[section + 1:]:
        if not name or any(name.startswith((n, "Unposted " + n)) for n in NON_ASSIGNMENT_COLUMNS):
            continue
        title, canvas_id = title_and_id(name)
        if canvas_id is not None:
            roster.columns.append(AssignmentColumn(name, title, canvas_id))
    points: dict[str, float] = {}
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        if "Points Possible" in row[0]:
            points = {c.header: v for c in roster.columns if (v := _float(_cell(row, header.index(c.header))))
                      is not None}
            continue
        if all(re.fullmatch(r"\s*(Muted|Manual Posting.*)?\s*", cell, flags=re.I) for cell in row):
            continue
        canvas_id = _cell(row, 1).strip()
        if not canvas_id.isdigit():
            raise DataError(str(path), f"Canvas user id {canvas_id!r} is not a number", row=number, column="ID")
        if canvas_id in seen:
            raise DataError(str(path), f"Canvas user id {canvas_id} is also on row {seen[canvas_id]}",
                            row=number, column="ID")
        seen[canvas_id] = number
        get = {k: _cell(row, i).strip() for k, i in where.items()}
        roster.students.append(RosterStudent(_cell(row, 0).strip(), canvas_id, get.get("SIS User ID", ""),
                                             get.get("SIS Login ID", ""), get.get("Section", ""), number))
    roster.columns = [AssignmentColumn(c.header, c.title, c.canvas_id, points.get(c.header)) for c in roster.columns]
    return roster


def _cell(row: list[str], index: int) -> str:
    return row[index] if index < len(row) else ""


def _float(text: str) -> float | None:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None
