"""Moodle's offline grading worksheet: read it, fill in grades and feedback, give it back unchanged otherwise.

With the "Offline grading worksheet" feedback type on (Assignment settings, Feedback
types: https://docs.moodle.org/en/Assignment_settings), "Download grading worksheet"
gives a CSV with ``Identifier`` (``Participant 12345``), ``Full name``, the identity
fields (``Email address``...), ``Status``, ``Grade``, ``Maximum Grade``, ``Grade can be
changed``, ``Last modified (submission)``, ``Last modified (grade)`` and, with feedback
comments on, ``Feedback comments``. "Upload grading worksheet" reads it back by the rules
of ``mod/assign/feedback/offline/importgradeslib.php`` and ``locallib.php``
(moodle/moodle): the ``Identifier``, ``Grade`` and ``Last modified (grade)`` columns must
be there (else "invalid grade import"); the participant number is what follows the
``Participant`` prefix; a grade is skipped when empty, negative, above the maximum
grade, unchanged, locked, or when the grade in Moodle changed after the worksheet was
downloaded (unless "Allow updating records that have been modified more recently in
Moodle" is ticked); feedback columns are matched by their title.

coursekit changes the ``Grade`` cell and the ``Feedback comments`` cell of graded rows
and nothing else: encoding, byte-order mark, delimiter, quoting and line endings stay.
The participant number is per assignment in Moodle (``get_uniqueid_for_user``); it is
also the number in the "Download all submissions" file names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from coursekit.errors import DataError
from coursekit.lms.csvsafe import is_neutral, neutralise, number_cell
from coursekit.lms.csvspans import DELIMITERS, Table, decode, edit, parse
from coursekit.lms.results import GradeFileResult, StudentGrade, write_report_csv

__all__ = ["MoodleColumns", "Worksheet", "read_moodle_worksheet", "fill_moodle_worksheet",
           "validate_moodle_worksheet", "participant_id"]

_PARTICIPANT = re.compile(r"^\D*?(\d+)\s*$")


@dataclass(frozen=True)
class MoodleColumns:
    """Column titles of the worksheet (Moodle's English strings; pass others for a translated site)."""

    identifier: str = "Identifier"            #: get_string('recordid', 'assign')
    full_name: str = "Full name"
    grade: str = "Grade"                      #: get_string('grade')
    maximum: str = "Maximum Grade"
    can_change: str = "Grade can be changed"
    modified_grade: str = "Last modified (grade)"  #: get_string('lastmodifiedgrade', 'assign')
    feedback: str = "Feedback comments"       #: the comments feedback plugin's editor field
    no: str = "No"


def participant_id(identifier: str) -> str | None:
    """The participant number of an ``Identifier`` cell (the prefix is translated on some sites).

    >>> participant_id("Participant 12345"), participant_id("Teilnehmer/in12"), participant_id("x")
    ('12345', '12', None)
    """
    found = _PARTICIPANT.match(identifier.strip())
    return found.group(1) if found else None


@dataclass
class Worksheet:
    """A worksheet as read: its bytes, text, table with field positions, and column indexes."""

    path: Path
    raw: bytes
    encoding: str
    table: Table
    columns: MoodleColumns

    @property
    def header(self) -> list[str]:
        return [f.value for f in self.table.rows[0]]

    def index(self, title: str) -> int | None:
        return self.header.index(title) if title in self.header else None

    def rows(self) -> dict[str, int]:
        """participant id -> row index; raises on a malformed or repeated identifier."""
        out: dict[str, int] = {}
        col = self.index(self.columns.identifier)
        assert col is not None
        for r, row in enumerate(self.table.rows[1:], start=1):
            if len(row) == 1 and not row[0].value:
                continue
            pid = participant_id(row[col].value) if col < len(row) else None
            if pid is None:
                raise DataError(str(self.path), f"{row[col].value if col < len(row) else ''!r} is not a "
                                "participant identifier", row=r + 1, column=self.columns.identifier)
            if pid in out:
                raise DataError(str(self.path), f"participant {pid} is also on row {out[pid] + 1}", row=r + 1,
                                column=self.columns.identifier)
            out[pid] = r
        return out

    def cell(self, row: int, title: str) -> str:
        col = self.index(title)
        fields = self.table.rows[row]
        return fields[col].value if col is not None and col < len(fields) else ""


def read_moodle_worksheet(path: Path | str, columns: MoodleColumns = MoodleColumns()) -> Worksheet:
    """Read a downloaded worksheet; raises :class:`DataError` when Moodle could not take it back."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        text, encoding = decode(raw)
    except OSError as err:
        raise DataError(str(path), f"cannot read the worksheet ({err.strerror})") from err
    except UnicodeError as err:
        raise DataError(str(path), f"{err}; download the grading worksheet from Moodle again") from err
    required = (columns.identifier, columns.grade, columns.modified_grade)
    for delimiter in DELIMITERS:
        table = parse(text, delimiter)
        if table.rows and all(c in [f.value for f in table.rows[0]] for c in required):
            sheet = Worksheet(path, raw, encoding, table, columns)
            sheet.rows()
            return sheet
    raise DataError(str(path), f"not a Moodle grading worksheet: the columns {', '.join(map(repr, required))} "
                    "are required (Assignment > View all submissions > Download grading worksheet)", row=1)


def fill_moodle_worksheet(worksheet: Path | str, grades: Mapping[str, StudentGrade], out: Path | str, *,
                          columns: MoodleColumns = MoodleColumns()) -> GradeFileResult:
    """Write ``out``: the worksheet with ``Grade`` and ``Feedback comments`` filled for graded participants.

    Keys of ``grades`` are participant ids. A failed submission keeps the cell as it
    was (its reason goes to the report); a grade above the maximum or a locked grade is
    reported and left as it was, since Moodle would skip it.
    """
    sheet = read_moodle_worksheet(worksheet, columns)
    out = Path(out)
    report = out.with_name(out.stem + "-report.csv")
    rows = sheet.rows()
    grade_col, feedback_col = sheet.index(columns.grade), sheet.index(columns.feedback)
    assert grade_col is not None
    comma = "," in sheet.cell(1, columns.maximum) and "." not in sheet.cell(1, columns.maximum) if rows else False
    changes: dict[tuple[int, int], str] = {}
    report_rows: list[list[str]] = []
    notes: list[str] = []
    for pid, r in rows.items():
        name, grade = sheet.cell(r, columns.full_name), grades.get(pid)
        if grade is None:
            report_rows.append([pid, name, "no submission", sheet.cell(r, columns.grade), ""])
            continue
        status, cell = _grade_cell(sheet, r, grade, comma)
        if cell is not None:
            changes[(r, grade_col)] = cell
        text = "; ".join(x for x in [grade.comment, *grade.notes()] if x)
        if text and feedback_col is not None and feedback_col < len(sheet.table.rows[r]):
            changes[(r, feedback_col)] = neutralise(text)
        report_rows.append([pid, name, status, cell if cell is not None else sheet.cell(r, columns.grade),
                            "; ".join(grade.notes())])
    if feedback_col is None and any(g.comment or g.notes() for g in grades.values()):
        notes.append(f"the worksheet has no {columns.feedback!r} column: turn on feedback comments in the "
                     "assignment settings and download the worksheet again to send comments")
    outside = sorted(set(grades) - set(rows), key=int)
    if outside:
        notes.append(f"graded but not in the worksheet: participants {', '.join(outside)}")
        report_rows += [[pid, "", "not in worksheet", "", ""] for pid in outside]
    skipped = [r[0] for r in report_rows if r[2] not in ("graded", "no submission", "not in worksheet")]
    if skipped:
        notes.append(f"not filled in (see the report): participants {', '.join(skipped)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(edit(sheet.table, changes).encode(sheet.encoding))
    write_report_csv(report, ["Participant", "Full name", "Status", "Grade", "Notes"], report_rows)
    return GradeFileResult(out, report, len(rows), notes)


def _grade_cell(sheet: Worksheet, r: int, grade: StudentGrade, comma: bool) -> tuple[str, str | None]:
    cols = sheet.columns
    total = grade.total
    if total is None:
        return "failed", None
    if sheet.cell(r, cols.can_change).strip() == cols.no:
        return "grade locked in Moodle", None
    maximum = _number(sheet.cell(r, cols.maximum))
    if maximum is not None and total > maximum + 1e-9:
        return f"score {number_cell(total)} is above the maximum grade {number_cell(maximum)}", None
    return "graded", number_cell(total, decimals=5, decimal_separator="," if comma else ".")


def _number(text: str) -> float | None:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


def validate_moodle_worksheet(path: Path | str, *, original: Path | str | None = None,
                              columns: MoodleColumns = MoodleColumns()) -> list[str]:
    """Every way ``path`` breaks Moodle's upload rules (empty list: Moodle takes it).

    Checked: readable encoding; the ``Identifier``, ``Grade`` and ``Last modified
    (grade)`` columns; every identifier a participant number, once; every grade empty or
    a number between 0 and the row's maximum grade; no feedback a spreadsheet would read
    as a formula. With ``original`` (the downloaded worksheet): the same encoding, BOM
    and delimiter, and every byte outside the Grade and Feedback comments cells the same.
    """
    try:
        sheet = read_moodle_worksheet(path, columns)
    except DataError as err:
        return [str(err)]
    problems = []
    for r in sheet.rows().values():
        grade = sheet.cell(r, columns.grade).strip()
        value = _number(grade) if grade else None
        if grade and value is None:
            problems.append(f"row {r + 1}: grade {grade!r} is not a number")
        maximum = _number(sheet.cell(r, columns.maximum))
        if value is not None and (value < 0 or (maximum is not None and value > maximum)):
            problems.append(f"row {r + 1}: grade {grade} is outside 0..{sheet.cell(r, columns.maximum)}")
        if not is_neutral(sheet.cell(r, columns.feedback)):
            problems.append(f"row {r + 1}: feedback could be read as a formula")
    if original is not None:
        problems += _unchanged_outside(read_moodle_worksheet(original, columns), sheet)
    return [f"{path}: {p}" for p in problems]


def _unchanged_outside(before: Worksheet, after: Worksheet) -> list[str]:
    if before.encoding != after.encoding or before.raw[:3] == b"\xef\xbb\xbf" != after.raw[:3]:
        return [f"encoding changed from {before.encoding} to {after.encoding}"]
    if before.table.delimiter != after.table.delimiter:
        return [f"delimiter changed from {before.table.delimiter!r} to {after.table.delimiter!r}"]
    if len(before.table.rows) != len(after.table.rows):
        return [f"{len(after.table.rows)} rows instead of {len(before.table.rows)}"]
    editable = {before.index(before.columns.grade), before.index(before.columns.feedback)}

    def skeleton(sheet: Worksheet) -> str:
        """The text with every editable cell (quotes included) cut out."""
        text, parts, pos = sheet.table.text, [], 0
        for row in sheet.table.rows[1:]:
            for c, cell in enumerate(row):
                if c in editable:
                    parts += [text[pos:cell.start], "\x00"]
                    pos = cell.end
        return "".join(parts) + text[pos:]

    if before.header != after.header:
        return ["the header row changed"]
    if skeleton(before) != skeleton(after):
        return ["bytes outside the Grade and Feedback comments cells changed"]
    return []
