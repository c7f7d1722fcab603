"""The LMS side of a course: submissions in from Canvas and Moodle, grades back out.

Public API (each a plain function over files; nothing here imports grading internals):

- :func:`collect_lms`, :func:`lms_late_flags`, :func:`write_lms_exports`: the whole round
  trip in three calls (what ``coursekit collect``, ``grade`` and the exports call).

- :func:`collect_canvas` / :func:`collect_moodle` ``(submitted_root, assignment, zip, ...)
  -> CollectResult``: place an LMS download zip into nbgrader's ``submitted/`` folder,
  identity kept (Canvas user id, Moodle participant id), late flags and times recorded,
  every refused entry reported with its reason.
- :func:`read_canvas_roster` ``(csv) -> CanvasRoster``: Canvas's gradebook export.
- :func:`write_canvas_import` ``(path, assignment, {canvas_id: StudentGrade}, roster=...)``
  and :func:`validate_canvas_import`: the file Canvas's gradebook import accepts as is.
- :func:`read_moodle_worksheet`, :func:`fill_moodle_worksheet` ``(worksheet, {participant:
  StudentGrade}, out)`` and :func:`validate_moodle_worksheet`: Moodle's offline grading
  worksheet, filled in and otherwise byte for byte unchanged.
- :func:`late_penalty_preprocessor`, :func:`apply_late_penalties`: nbgrader's late
  penalties (``LateSubmissionPlugin`` or the course's own plugin) stored in the gradebook.
- :func:`neutralise`, :func:`number_cell`: spreadsheet-safe cells.
"""

from __future__ import annotations

from coursekit.course.late import (
                                            LatePenalty,
                                            apply_late_penalties,
                                            late_penalty_preprocessor,
                                            penalty_for,
                                            seconds_late,
)
from coursekit.lms.canvas_import import validate_canvas_import, write_canvas_import
from coursekit.lms.canvas_roster import AssignmentColumn, CanvasRoster, RosterStudent, read_canvas_roster
from coursekit.lms.canvas_zip import collect_canvas, parse_canvas_name
from coursekit.lms.csvsafe import neutralise, number_cell
from coursekit.lms.moodle_worksheet import (
                                            MoodleColumns,
                                            Worksheet,
                                            fill_moodle_worksheet,
                                            read_moodle_worksheet,
                                            validate_moodle_worksheet,
)
from coursekit.lms.moodle_zip import collect_moodle, parse_moodle_name
from coursekit.lms.results import MANIFEST, CollectResult, GradeFileResult, Placed, StudentGrade, Unplaced
from coursekit.lms.safezip import Limits
from coursekit.lms.workflow import collect_lms, detect_lms, lms_folder, lms_late_flags, write_lms_exports

__all__ = [
    "AssignmentColumn", "CanvasRoster", "CollectResult", "GradeFileResult", "LatePenalty", "Limits", "MANIFEST",
    "MoodleColumns", "Placed", "RosterStudent", "StudentGrade", "Unplaced", "Worksheet", "apply_late_penalties",
    "collect_canvas", "collect_moodle", "fill_moodle_worksheet", "late_penalty_preprocessor", "neutralise",
    "number_cell", "parse_canvas_name", "parse_moodle_name", "penalty_for", "read_canvas_roster",
    "read_moodle_worksheet", "seconds_late", "validate_canvas_import", "validate_moodle_worksheet",
    "write_canvas_import", "collect_lms", "detect_lms", "lms_folder", "lms_late_flags", "write_lms_exports",
]
