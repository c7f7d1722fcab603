"""Moodle round trip: "Download all submissions" zip and grading worksheet in, the worksheet back out."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from coursekit.errors import DataError
from coursekit.lms import (
    Limits,
    StudentGrade,
    collect_moodle,
    fill_moodle_worksheet,
    read_moodle_worksheet,
    validate_moodle_worksheet,
)
from coursekit.lms.csvspans import parse

from .factory import HEADER, add, notebook_bytes, symlink
from .factory import moodle_worksheet as _worksheet


@pytest.fixture
def moodle_zip(tmp_path: Path) -> Path:
    path = tmp_path / "moodle.zip"
    with zipfile.ZipFile(path, "w") as zf:
        add(zf, "Jane Doe_501_assignsubmission_file/ps1.ipynb", notebook_bytes("jane-501"),
            date_time=(2026, 3, 1, 11, 58, 0))
        add(zf, "Jane Doe_502_assignsubmission_file/ps1.ipynb", notebook_bytes("jane-502"),
            date_time=(2026, 3, 2, 9, 10, 0))
        add(zf, "Jane Doe_502_assignsubmission_file/data/angles.csv", "pose,angle\n", date_time=(2026, 3, 2, 9, 10, 0))
        add(zf, "José Ñúñez_503_assignsubmission_file_ps1.ipynb", notebook_bytes("jose"))
        add(zf, "Locked Larry_504_assignsubmission_file/ps1.ipynb", notebook_bytes("larry"))
        add(zf, "Jane Doe_501_assignsubmission_onlinetext/onlinetext.html", "<p>text</p>")
        add(zf, "Stranger_777_assignsubmission_file/ps1.ipynb", notebook_bytes("stranger"))
        add(zf, "Jane Doe_501_assignsubmission_file/../../escape.ipynb", notebook_bytes("escape"))
        symlink(zf, "Jane Doe_501_assignsubmission_file/link.ipynb", "/etc/shadow")
        add(zf, "Jane Doe_501_assignsubmission_file/", b"", mode=0o040755)
        add(zf, "Jane Doe_501_assignsubmission_file/huge.ipynb", b"x" * 5000)
        add(zf, "grades.xlsx", "stray")
    return path


@pytest.fixture
def sheet_path(tmp_path: Path) -> Path:
    path = tmp_path / "worksheet.csv"
    path.write_bytes(_worksheet())
    return path


def test_moodle_zip_is_placed_by_participant_with_upload_times_and_refusals(tmp_path, moodle_zip, sheet_path):
    sheet = read_moodle_worksheet(sheet_path)
    submitted = tmp_path / "course" / "submitted"
    result = collect_moodle(submitted, "ps1", moodle_zip, worksheet=sheet, timezone="Europe/Berlin",
                            limits=Limits(max_entry_bytes=4096))
    assert result.students == ["501", "502", "503", "504"]
    tags = {s: json.loads((submitted / s / "ps1" / "ps1.ipynb").read_text())["metadata"]["tag"] for s in result.students}
    assert tags == {"501": "jane-501", "502": "jane-502", "503": "jose", "504": "larry"}
    assert (submitted / "502" / "ps1" / "data" / "angles.csv").read_text() == "pose,angle\n"
    # 11:58 in Berlin (CET, UTC+1) is 10:58 UTC; nbgrader reads this line with parse_utc
    assert (submitted / "501" / "ps1" / "timestamp.txt").read_text() == "2026-03-01 10:58:00.000000 UTC\n"
    from nbgrader.utils import parse_utc
    assert parse_utc((submitted / "501" / "ps1" / "timestamp.txt").read_text().strip()) == datetime(2026, 3, 1, 10, 58)
    reasons = {u.entry: u.reason for u in result.unplaced}
    assert "onlinetext submission, not an uploaded file" in reasons["Jane Doe_501_assignsubmission_onlinetext/onlinetext.html"]
    assert reasons["Stranger_777_assignsubmission_file/ps1.ipynb"] == "participant 777 is not in the grading worksheet"
    assert "'..'" in reasons["Jane Doe_501_assignsubmission_file/../../escape.ipynb"]
    assert "symbolic link" in reasons["Jane Doe_501_assignsubmission_file/link.ipynb"]
    assert "directory" in reasons["Jane Doe_501_assignsubmission_file/"]
    assert "5000 bytes" in reasons["Jane Doe_501_assignsubmission_file/huge.ipynb"]
    assert "does not follow Moodle's" in reasons["grades.xlsx"]
    assert len(reasons) == 7
    assert result.notes[0] == "no submission from participants 505"
    assert not (tmp_path / "course" / "escape.ipynb").exists()


def test_round_trip_worksheet_is_filled_and_otherwise_byte_for_byte_unchanged(tmp_path, sheet_path):
    grades = {"501": StudentGrade(13.0, comment="Well done."), "502": StudentGrade(11.5, late_penalty=2.0),
              "503": StudentGrade(None, reason="notebook is not valid JSON"), "504": StudentGrade(7.0),
              "606": StudentGrade(1.0)}
    out = fill_moodle_worksheet(sheet_path, grades, tmp_path / "upload.csv")
    assert validate_moodle_worksheet(out.path, original=sheet_path) == []
    filled = read_moodle_worksheet(out.path)
    rows = filled.rows()
    grade = {pid: filled.cell(r, "Grade") for pid, r in rows.items()}
    comments = {pid: filled.cell(r, "Feedback comments") for pid, r in rows.items()}
    assert grade == {"501": "13", "502": "9.5", "503": "", "504": "", "505": ""}
    assert comments["501"] == "Well done." and comments["502"] == "late penalty 2"
    assert comments["503"] == "failed to grade: notebook is not valid JSON"  # kept out of the grade, said in feedback
    assert comments["505"] == ""
    expected = _worksheet(raw={("501", "Grade"): "13", ("501", "Feedback comments"): "Well done.",
                               ("502", "Grade"): "9.5", ("502", "Feedback comments"): "\"late penalty 2\"",  # was quoted: stays quoted
                               ("503", "Feedback comments"): "failed to grade: notebook is not valid JSON"})
    after = out.path.read_bytes()
    assert after == expected  # every other byte as Moodle wrote it
    assert "José Ñúñez".encode() in after
    report = out.report.read_text(encoding="utf-8")
    assert "504,Locked Larry,grade locked in Moodle" in report and "606,,not in worksheet" in report
    assert "503,José Ñúñez,failed" in report
    assert out.notes == ["graded but not in the worksheet: participants 606",
                         "not filled in (see the report): participants 503, 504"]


@pytest.mark.parametrize("delimiter,newline,bom,encoding", [(";", "\n", True, "utf-8"), ("\t", "\r\n", False, "cp1252")])
def test_bom_delimiter_line_ends_and_encoding_are_kept(tmp_path, delimiter, newline, bom, encoding):
    original = tmp_path / "ws.csv"
    original.write_bytes(_worksheet(delimiter, newline, bom, encoding))
    out = fill_moodle_worksheet(original, {"501": StudentGrade(12.25)}, tmp_path / "up.csv")
    assert validate_moodle_worksheet(out.path, original=original) == []
    before, after = original.read_bytes(), out.path.read_bytes()
    expected = before.replace(f"Participant 501\"{delimiter}\"Jane Doe\"".encode(encoding), b"", 1)
    assert expected != before  # the row is there, quoted as Moodle quotes it
    line = newline.encode()
    assert after.split(line)[1] == before.split(line)[1].replace(
        f'{delimiter}{delimiter}13.00'.encode(), f'{delimiter}12.25{delimiter}13.00'.encode(), 1)
    assert after.split(line)[2:] == before.split(line)[2:]
    assert after.startswith(b"\xef\xbb\xbf") is bom


def test_spreadsheet_formulas_in_feedback_are_neutralised(tmp_path, sheet_path):
    out = fill_moodle_worksheet(sheet_path, {"501": StudentGrade(1.0, comment="=HYPERLINK(\"http://x\")")},
                                tmp_path / "up.csv")
    sheet = read_moodle_worksheet(out.path)
    assert sheet.cell(sheet.rows()["501"], "Feedback comments") == "'=HYPERLINK(\"http://x\")"
    assert validate_moodle_worksheet(out.path, original=sheet_path) == []


def test_the_validator_catches_what_moodle_would_skip_or_refuse(tmp_path, sheet_path):
    text = _worksheet().decode()
    changed = tmp_path / "changed.csv"
    changed.write_text(text.replace("jane1@example.edu", "someone@else").replace(",4.00,", ",99,"), newline="")
    problems = "\n".join(validate_moodle_worksheet(changed, original=sheet_path))
    assert "grade 99 is outside 0..13.00" in problems
    assert "bytes outside the Grade and Feedback comments cells changed" in problems
    broken = tmp_path / "broken.csv"
    broken.write_text("Name,Grade\nJane,3\n")
    assert "the columns 'Identifier', 'Grade', 'Last modified (grade)' are required" in validate_moodle_worksheet(broken)[0]
    with pytest.raises(DataError, match="row 3, column 'Identifier': participant 501 is also on row 2"):
        dup = tmp_path / "dup.csv"
        dup.write_text(",".join(HEADER) + "\nParticipant 501,a,,,,13,Yes,,,\nParticipant 501,b,,,,13,Yes,,,\n")
        read_moodle_worksheet(dup)


def test_field_positions_survive_quotes_and_embedded_newlines():
    table = parse('a,"x\r\ny ""q""",c\r\n1,2,3', ",")
    assert [f.value for f in table.rows[0]] == ["a", 'x\r\ny "q"', "c"]
    assert [f.value for f in table.rows[1]] == ["1", "2", "3"]


def test_the_utc_extended_timestamp_wins_over_the_local_dos_time(tmp_path):
    import struct

    path = tmp_path / "ut.zip"
    with zipfile.ZipFile(path, "w") as zf:
        info = zipfile.ZipInfo("Ann Lee_9_assignsubmission_file/ps1.ipynb", date_time=(2026, 3, 1, 23, 0, 0))
        info.extra = struct.pack("<HHBi", 0x5455, 5, 1, int(datetime(2026, 3, 1, 21, 15).timestamp()
                                                              - datetime(1970, 1, 1).timestamp()))
        zf.writestr(info, notebook_bytes("ann"))
    collect_moodle(tmp_path / "submitted", "ps1", path, timezone="Asia/Tokyo")
    assert (tmp_path / "submitted/9/ps1/timestamp.txt").read_text() == "2026-03-01 21:15:00.000000 UTC\n"
