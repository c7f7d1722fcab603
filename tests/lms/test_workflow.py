"""The three calls the CLI makes: collect_lms, lms_late_flags, write_lms_exports; and the public names."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest

import coursekit.lms as lms
from coursekit.errors import GradingError
from coursekit.lms import (
    StudentGrade,
    collect_lms,
    detect_lms,
    lms_late_flags,
    read_canvas_roster,
    validate_canvas_import,
    validate_moodle_worksheet,
    write_lms_exports,
)

from .factory import CANVAS_ROSTER, add, moodle_worksheet, notebook_bytes


def test_public_api_is_pinned():
    assert sorted(lms.__all__) == sorted([
        "AssignmentColumn", "CanvasRoster", "CollectResult", "GradeFileResult", "LatePenalty", "Limits", "MANIFEST",
        "MoodleColumns", "Placed", "RosterStudent", "StudentGrade", "Unplaced", "Worksheet", "apply_late_penalties",
        "collect_canvas", "collect_lms", "collect_moodle", "detect_lms", "fill_moodle_worksheet",
        "late_penalty_preprocessor", "lms_folder", "lms_late_flags", "neutralise", "number_cell",
        "parse_canvas_name", "parse_moodle_name", "penalty_for", "read_canvas_roster", "read_moodle_worksheet",
        "seconds_late", "validate_canvas_import", "validate_moodle_worksheet", "write_canvas_import",
        "write_lms_exports"])
    assert all(hasattr(lms, name) for name in lms.__all__)


def test_canvas_collect_then_export_in_the_course(tmp_path: Path):
    roster = tmp_path / "export.csv"
    roster.write_text(CANVAS_ROSTER, encoding="utf-8")
    archive = tmp_path / "canvas.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        add(zf, "doejane_1001_1_ps1.ipynb", notebook_bytes("a"))
        add(zf, "doejane_late_1002_2_ps1.ipynb", notebook_bytes("b"))
    course = tmp_path / "course"
    assert detect_lms(archive) == "canvas"
    result = collect_lms(course, "ps1", archive, roster=roster, expected={"ps1.ipynb"})
    assert result.students == ["1001", "1002"] and (course / "submitted/1002/ps1/ps1.ipynb").exists()
    assert lms_late_flags(course, "ps1") == {"1001": False, "1002": True}
    roster.unlink()  # the exports use the copy kept with the assignment's grades
    [out] = write_lms_exports(course, "ps1", {"1001": StudentGrade(12.0), "1002": StudentGrade(13.0, late_penalty=13.0)})
    assert out.path == course / "coursekit-grades/ps1/lms/canvas-import.csv"
    kept = read_canvas_roster(course / "coursekit-grades/ps1/lms/canvas-roster.csv")
    assert validate_canvas_import(out.path, roster=kept) == []
    with open(out.path, newline="", encoding="utf-8") as fh:
        assert {r["ID"]: r["ps1 (5551)"] for r in csv.DictReader(fh)} == {
            "1001": "12", "1002": "0", "1003": "", "1004": "", "1005": ""}


def test_moodle_collect_then_export_in_the_course(tmp_path: Path):
    sheet = tmp_path / "Grades-ps1.csv"
    sheet.write_bytes(moodle_worksheet())
    archive = tmp_path / "moodle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        add(zf, "Jane Doe_501_assignsubmission_file/ps1.ipynb", notebook_bytes("a"))
        add(zf, "Jane Doe_502_assignsubmission_file/ps1.ipynb", notebook_bytes("b"))
    course = tmp_path / "course"
    assert detect_lms(archive) == "moodle"
    collect_lms(course, "ps1", archive, worksheet=sheet)
    [out] = write_lms_exports(course, "ps1", {"501": StudentGrade(13.0), "502": StudentGrade(None, reason="timeout")})
    assert validate_moodle_worksheet(out.path, original=sheet) == []
    filled = lms.read_moodle_worksheet(out.path)
    assert filled.cell(filled.rows()["501"], "Grade") == "13" and filled.cell(filled.rows()["502"], "Grade") == "4.00"


def test_a_zip_from_neither_lms_and_mismatched_files_are_explained(tmp_path: Path):
    plain = tmp_path / "plain.zip"
    with zipfile.ZipFile(plain, "w") as zf:
        add(zf, "ada/ps1.ipynb", "{}")
    with pytest.raises(GradingError, match="no file is named as Canvas or Moodle name submissions"):
        detect_lms(plain)
    moodle = tmp_path / "m.zip"
    with zipfile.ZipFile(moodle, "w") as zf:
        add(zf, "Jane Doe_501_assignsubmission_file/ps1.ipynb", "{}")
    with pytest.raises(GradingError, match="is a Moodle download; pass its grading worksheet, not a Canvas roster"):
        collect_lms(tmp_path / "c", "ps1", moodle, roster=tmp_path / "r.csv")
    assert write_lms_exports(tmp_path / "never-collected", "ps1", {}) == []
