"""The LMS round trip in three calls, for ``coursekit collect``, ``grade`` and the exports.

- :func:`collect_lms` reads a Canvas or Moodle zip (told apart by its file names),
  places the submissions, keeps a copy of the roster / worksheet and a manifest in
  ``coursekit-grades/<assignment>/lms/``;
- :func:`lms_late_flags` gives the LMS's late flag per student (for
  :func:`~coursekit.course.late.apply_late_penalties`);
- :func:`write_lms_exports` writes the file the LMS takes back (Canvas's gradebook import,
  or Moodle's filled worksheet) and its report, from the grades coursekit computed.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Collection, Mapping
from pathlib import Path

from coursekit.errors import GradingError
from coursekit.lms.canvas_import import write_canvas_import
from coursekit.lms.canvas_roster import read_canvas_roster
from coursekit.lms.canvas_zip import collect_canvas, parse_canvas_name
from coursekit.lms.moodle_worksheet import fill_moodle_worksheet, read_moodle_worksheet
from coursekit.lms.moodle_zip import collect_moodle, parse_moodle_name
from coursekit.lms.results import MANIFEST, CollectResult, GradeFileResult, StudentGrade
from coursekit.lms.safezip import DEFAULT_LIMITS, Limits, open_zip

__all__ = ["detect_lms", "collect_lms", "lms_folder", "lms_late_flags", "write_lms_exports", "CANVAS_IMPORT",
           "MOODLE_UPLOAD"]

CANVAS_IMPORT = "canvas-import.csv"
MOODLE_UPLOAD = "moodle-grading-worksheet.csv"
_ROSTER, _WORKSHEET = "canvas-roster.csv", "moodle-worksheet-downloaded.csv"


def lms_folder(course_root: Path | str, assignment: str) -> Path:
    """``<course>/coursekit-grades/<assignment>/lms``: the manifest, the roster or worksheet, the LMS files."""
    return Path(course_root) / "coursekit-grades" / assignment / "lms"


def detect_lms(zip_path: Path | str) -> str:
    """``"canvas"`` or ``"moodle"``, by which naming most entries follow."""
    with open_zip(zip_path) as archive:
        names = [i.filename for i in archive.infolist() if not i.is_dir()]
    moodle = sum(parse_moodle_name(n) is not None for n in names)
    canvas = sum(parse_canvas_name(n) is not None for n in names)
    if not moodle and not canvas:
        raise GradingError(f"{zip_path}: no file is named as Canvas or Moodle name submissions; download the "
                           "submissions from the LMS again (Canvas: Download Submissions; Moodle: Download all "
                           "submissions)")
    return "moodle" if moodle >= canvas else "canvas"


def collect_lms(course_root: Path | str, assignment: str, zip_path: Path | str, *,
                roster: Path | str | None = None, worksheet: Path | str | None = None,
                expected: Collection[str] | None = None, submitted: str = "submitted", timezone: str = "UTC",
                limits: Limits = DEFAULT_LIMITS) -> CollectResult:
    """Collect ``zip_path`` into ``<course>/<submitted>/``; remember what the exports will need."""
    course_root = Path(course_root)
    kind = detect_lms(zip_path)
    folder = lms_folder(course_root, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "canvas":
        if worksheet is not None:
            raise GradingError(f"{zip_path} is a Canvas download; a Moodle worksheet does not go with it")
        book = read_canvas_roster(roster) if roster else None
        result = collect_canvas(course_root / submitted, assignment, zip_path, roster=book, expected=expected,
                                limits=limits)
        if roster:
            shutil.copyfile(roster, folder / _ROSTER)
    else:
        if roster is not None:
            raise GradingError(f"{zip_path} is a Moodle download; pass its grading worksheet, not a Canvas roster")
        sheet = read_moodle_worksheet(worksheet) if worksheet else None
        result = collect_moodle(course_root / submitted, assignment, zip_path, worksheet=sheet, expected=expected,
                                timezone=timezone, limits=limits)
        if worksheet:
            shutil.copyfile(worksheet, folder / _WORKSHEET)
    result.write_manifest(folder)
    return result


def _manifest(course_root: Path | str, assignment: str) -> dict | None:
    try:
        return json.loads((lms_folder(course_root, assignment) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def lms_late_flags(course_root: Path | str, assignment: str) -> dict[str, bool]:
    """student -> whether the LMS marked any of their files late (empty without an LMS collect)."""
    manifest = _manifest(course_root, assignment) or {"placed": []}
    out: dict[str, bool] = {}
    for placed in manifest["placed"]:
        out[placed["student"]] = out.get(placed["student"], False) or bool(placed["late"])
    return out


def write_lms_exports(course_root: Path | str, assignment: str,
                      grades: Mapping[str, StudentGrade]) -> list[GradeFileResult]:
    """Write the LMS file for the assignment's last LMS collect (none when it was not collected from an LMS)."""
    manifest = _manifest(course_root, assignment)
    if manifest is None:
        return []
    folder = lms_folder(course_root, assignment)
    if manifest["lms"] == "canvas":
        roster = read_canvas_roster(folder / _ROSTER) if (folder / _ROSTER).exists() else None
        names = {p["student"]: p["name"] for p in manifest["placed"]}
        return [write_canvas_import(folder / CANVAS_IMPORT, assignment, grades, roster=roster, names=names)]
    if (folder / _WORKSHEET).exists():
        return [fill_moodle_worksheet(folder / _WORKSHEET, grades, folder / MOODLE_UPLOAD)]
    raise GradingError(f"{assignment}: collected from Moodle without its grading worksheet; download it "
                       "(View all submissions > Download grading worksheet) and collect again with --worksheet")
