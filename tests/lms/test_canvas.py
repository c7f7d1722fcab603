"""Canvas round trip: a "Download Submissions" zip and a gradebook export in, an import file out."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest

from coursekit.errors import DataError
from coursekit.lms import StudentGrade, collect_canvas, read_canvas_roster, validate_canvas_import, write_canvas_import

from .factory import CANVAS_ROSTER, add, notebook_bytes, symlink


@pytest.fixture
def roster_path(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_bytes(b"\xef\xbb\xbf" + CANVAS_ROSTER.encode())
    return path


@pytest.fixture
def canvas_zip(tmp_path: Path) -> Path:
    """Two Jane Does, a late file, a resubmission, and everything that must not be placed."""
    path = tmp_path / "submissions.zip"
    with zipfile.ZipFile(path, "w") as zf:
        add(zf, "doejane_1001_70001_ps1.ipynb", notebook_bytes("jane-1001"))
        add(zf, "doejane_late_1002_70002_ps1.ipynb", notebook_bytes("jane-1002-first"))
        add(zf, "doejane_late_1002_70010_ps1-1.ipynb", notebook_bytes("jane-1002-resubmitted"))
        add(zf, "leeann_1003_70003_ps1.ipynb", notebook_bytes("ann"))
        add(zf, "leeann_1003_70004_notes.txt", "my notes")
        add(zf, "cmdcalcevil_1004_70005_ps1.ipynb", notebook_bytes("evil"))
        add(zf, "studenttest_9999_70006_ps1.ipynb", notebook_bytes("test student"))
        add(zf, "stranger_4242_70007_ps1.ipynb", notebook_bytes("not enrolled"))
        add(zf, "leeann_1003_text.html", "<p>typed answer</p>")
        add(zf, "README.txt", "stray file")
        add(zf, "../escape_1003_70008_ps1.ipynb", notebook_bytes("escape"))
        add(zf, "/abs_1003_70009_ps1.ipynb", notebook_bytes("absolute"))
        add(zf, "folder/", b"", mode=0o040755)
        symlink(zf, "link_1003_70011_ps1.ipynb", "/etc/passwd")
        add(zf, "big_1003_70012_ps1.ipynb", b"x" * 2048)
        add(zf, "__MACOSX/._doejane_1001_70001_ps1.ipynb", b"meta")
    return path


def _collect(tmp_path: Path, canvas_zip: Path, roster_path: Path):
    from coursekit.lms import Limits

    return collect_canvas(tmp_path / "course" / "submitted", "ps1", canvas_zip, roster=read_canvas_roster(roster_path),
                          expected={"ps1.ipynb"}, limits=Limits(max_entry_bytes=1024))


def test_two_students_with_one_name_stay_two_and_the_newest_upload_is_placed(tmp_path, canvas_zip, roster_path):
    result = _collect(tmp_path, canvas_zip, roster_path)
    submitted = tmp_path / "course" / "submitted"
    assert result.students == ["1001", "1002", "1003", "1004"]
    tags = {s: json.loads((submitted / s / "ps1" / "ps1.ipynb").read_text())["metadata"]["tag"]
            for s in result.students}
    assert tags == {"1001": "jane-1001", "1002": "jane-1002-resubmitted", "1003": "ann", "1004": "evil"}
    assert result.late_students == ["1002"]
    assert {p.student: p.name for p in result.placed}["1002"] == "Doe, Jane"
    assert sorted(p.name for p in submitted.iterdir()) == ["1001", "1002", "1003", "1004"]
    assert not (submitted / "1002" / "ps1" / "timestamp.txt").exists()  # the zip has no submission times
    assert not list((tmp_path).glob("escape*")) and not Path("/abs_1003_70009_ps1.ipynb").exists()


def test_every_entry_that_is_not_placed_is_reported_with_its_reason(tmp_path, canvas_zip, roster_path):
    result = _collect(tmp_path, canvas_zip, roster_path)
    reasons = {u.entry: u.reason for u in result.unplaced}
    assert set(reasons) == {
        "doejane_late_1002_70002_ps1.ipynb", "leeann_1003_70004_notes.txt", "studenttest_9999_70006_ps1.ipynb",
        "stranger_4242_70007_ps1.ipynb", "leeann_1003_text.html", "README.txt", "../escape_1003_70008_ps1.ipynb",
        "/abs_1003_70009_ps1.ipynb", "folder/", "link_1003_70011_ps1.ipynb", "big_1003_70012_ps1.ipynb",
        "__MACOSX/._doejane_1001_70001_ps1.ipynb"}
    assert reasons["doejane_late_1002_70002_ps1.ipynb"] == "an older upload of ps1.ipynb (kept doejane_late_1002_70010_ps1-1.ipynb)"
    assert "not a file of this assignment" in reasons["leeann_1003_70004_notes.txt"]
    assert reasons["studenttest_9999_70006_ps1.ipynb"] == "Canvas's Test Student"
    assert "4242 is not in the roster" in reasons["stranger_4242_70007_ps1.ipynb"]
    assert "text entry or URL" in reasons["leeann_1003_text.html"]
    assert "does not follow Canvas's" in reasons["README.txt"]
    assert "'..'" in reasons["../escape_1003_70008_ps1.ipynb"]
    assert reasons["/abs_1003_70009_ps1.ipynb"] == "an absolute path"
    assert reasons["folder/"] == "a directory entry (nothing to place)"
    assert "symbolic link" in reasons["link_1003_70011_ps1.ipynb"]
    assert reasons["big_1003_70012_ps1.ipynb"] == "2048 bytes is more than the 1024 byte limit"
    assert result.notes == ["no submission from Nosub, Nick (1005)"]
    assert "not placed: README.txt: the name does not follow" in result.text()


def test_round_trip_import_passes_the_validator_with_every_score_right(tmp_path, canvas_zip, roster_path):
    result = _collect(tmp_path, canvas_zip, roster_path)
    roster = read_canvas_roster(roster_path)
    fake = {"1001": StudentGrade(13.0), "1002": StudentGrade(11.5, late_penalty=2.0),
            "1003": StudentGrade(None, reason="kernel died in cell 4"), "1004": StudentGrade(0.0, manual_pending=True)}
    assert sorted(fake) == result.students
    out = write_canvas_import(tmp_path / "grades" / "canvas-import.csv", "ps1", fake, roster=roster)
    assert validate_canvas_import(out.path, roster=roster) == []
    with open(out.path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "ps1 (5551)"]
    assert {r[1]: r[5] for r in rows[1:]} == {"1001": "13", "1002": "9.5", "1003": "", "1004": "0", "1005": ""}
    assert rows[4][:5] == ["'=cmd|calc, Evil", "1004", "'@S-1004", "'+evil", "'-Lab C"]
    assert len(rows) == 6  # five roster students, no Test Student, nothing else
    with open(out.report, newline="", encoding="utf-8") as fh:
        report = {r["ID"]: r for r in csv.DictReader(fh)}
    assert report["1003"]["Status"] == "failed" and "kernel died in cell 4" in report["1003"]["Notes"]
    assert report["1005"]["Status"] == "no submission"
    assert report["1002"]["Notes"] == "late penalty 2"
    assert report["1004"]["Notes"] == "manual grading pending" and report["1004"]["ps1 (5551)"] == "0"
    assert out.notes == ["failed to grade (empty cell, reason in the report): 1003"]


def test_without_a_roster_the_output_says_which_ids_were_used(tmp_path, canvas_zip):
    result = collect_canvas(tmp_path / "submitted", "ps1", canvas_zip, expected={"ps1.ipynb"})
    assert "4242" in result.students and "9999" in result.students
    assert "identified by the Canvas user id" in result.notes[0]
    names = {p.student: p.name for p in result.placed}
    out = write_canvas_import(tmp_path / "import.csv", "ps1", {"1001": StudentGrade(3.0), "4242": StudentGrade(1.0)},
                              names=names)
    assert validate_canvas_import(out.path) == []
    assert "rows are identified by Canvas user id only (1001, 4242)" in out.notes[0]
    assert (tmp_path / "import.csv").read_text().splitlines()[1] == "doejane,1001,,,,3"


def test_the_old_lms_csv_and_other_broken_imports_fail_the_validator(tmp_path, roster_path):
    roster = read_canvas_roster(roster_path)
    old = tmp_path / "lms.csv"
    old.write_text("Student ID,ps1 Score,Max Points,Grading Status,Comment\ndoejane,13,13,ok,\n")
    assert any("the first columns must be" in p for p in validate_canvas_import(old, roster=roster))
    bad = tmp_path / "bad.csv"
    bad.write_text("Student,ID,SIS User ID,SIS Login ID,Section,ps1 (5551),Comment\n"
                   "a,1001,,,,13,hi\na,1001,,,,-1,\n=x,abc,,,,13 points,\n")
    problems = "\n".join(validate_canvas_import(bad, roster=roster))
    for expected in ("'Comment' is not an assignment of the roster: Canvas would create a new assignment",
                     "row 3: Canvas user id 1001 is also on row 2", "score '-1' is not a number",
                     "ID 'abc' is not a Canvas user id", "'=x' could be read as a formula",
                     "score '13 points' is not a number", "roster students without a row: 1002, 1003, 1004, 1005"):
        assert expected in problems


def test_roster_reading_names_the_assignment_column_and_explains_a_missing_one(roster_path):
    roster = read_canvas_roster(roster_path)
    assert [(c.header, c.points_possible) for c in roster.columns] == [("ps1 (5551)", 13.0), ("ps2 (5552)", 14.0)]
    assert roster.column_for("PS2").header == "ps2 (5552)"
    assert [s.canvas_id for s in roster.real_students] == ["1001", "1002", "1003", "1004", "1005"]
    with pytest.raises(DataError, match=r"no assignment column titled 'ps9'; the columns are 'ps1 \(5551\)', 'ps2"):
        roster.column_for("ps9")


def test_a_roster_with_a_repeated_id_is_refused_with_its_row(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Student,ID,SIS User ID,SIS Login ID,Section,ps1 (1)\nA,5,,,,\nB,5,,,,\n")
    with pytest.raises(DataError, match=r"r.csv, row 3, column 'ID': Canvas user id 5 is also on row 2"):
        read_canvas_roster(path)


def test_semicolon_exports_are_read_like_canvas_reads_them(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Student;ID;SIS User ID;SIS Login ID;Section;ps1 (7)\nDoe, J;12;;;A;\n")
    roster = read_canvas_roster(path)
    assert roster.students[0].name == "Doe, J" and roster.column_for("ps1").canvas_id == "7"


def test_an_assignment_title_that_looks_like_a_formula_is_neutralised_and_still_matches_by_id(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text('Student,ID,SIS User ID,SIS Login ID,Section,"=1+1 (77)"\n"Doe, J",12,,,A,\n')
    roster = read_canvas_roster(path)
    out = write_canvas_import(tmp_path / "i.csv", "=1+1", {"12": StudentGrade(2.0)}, roster=roster)
    assert out.path.read_text().splitlines()[0].endswith(",'=1+1 (77)")
    assert validate_canvas_import(out.path, roster=roster) == []
    raw = tmp_path / "raw.csv"
    raw.write_text("Student,ID,SIS User ID,SIS Login ID,Section,=1+1 (77)\n\"Doe, J\",12,,,A,2\n")
    assert any("'=1+1 (77)' could be read as a formula" in p for p in validate_canvas_import(raw, roster=roster))
