"""The course object reads the course's nbgrader_config.py; discovery works like nbgrader's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursekit.cli import main
from coursekit.course import Course, Delimiters, find_course
from coursekit.course.regions import strip_hidden
from coursekit.errors import CourseKitError

REPO = Path(__file__).resolve().parents[2]
COURSE = REPO / "assignments"


def test_the_course_reads_its_settings_from_nbgrader_config():
    course = Course(COURSE)
    assert course.course_id == "coursekit-hip"
    assert (course.cell_timeout, course.startup_timeout) == (60.0, 60.0)
    assert (course.output_limits.max_lines, course.output_limits.max_traceback) == (200, 40)
    assert course.delimiters == Delimiters("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "BEGIN SOLUTION", "END SOLUTION")
    assert course.source("ps1") == COURSE / "source" / "ps1" / "ps1.ipynb"
    assert course.submitted_dir("ada", "ps1") == COURSE / "submitted" / "ada" / "ps1"
    assert course.db_url == f"sqlite:///{COURSE / 'gradebook.db'}"


def test_configured_delimiters_are_the_ones_stripped(tmp_path: Path):
    (tmp_path / "nbgrader_config.py").write_text(
        'c = get_config()\nc.ClearHiddenTests.begin_test_delimeter = "SECRET START"\n'
        'c.ClearHiddenTests.end_test_delimeter = "SECRET END"\nc.Execute.timeout = 7\n', encoding="utf-8")
    course = Course(tmp_path)
    assert course.cell_timeout == 7.0
    assert strip_hidden("a\n# SECRET START\nb\n# SECRET END\nc", course.delimiters) == "a\nc"
    assert strip_hidden("a\n### BEGIN HIDDEN TESTS\nb", course.delimiters).endswith("b")


def test_course_discovery_like_nbgrader(tmp_path: Path):
    assert find_course(cwd=COURSE).root == COURSE
    assert find_course(cwd=REPO).root == COURSE
    assert find_course(COURSE).root == COURSE
    with pytest.raises(CourseKitError, match=r"no nbgrader_config.py here or in .*assignments; run coursekit"):
        find_course(cwd=tmp_path)
    with pytest.raises(CourseKitError, match="not an nbgrader course directory"):
        Course(tmp_path)


def test_commands_run_inside_the_course_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    course = tmp_path / "mycourse"
    shutil.copytree(COURSE, course, ignore=shutil.ignore_patterns("release", "submitted", "autograded", "feedback",
                                                                  "gradebook.db", "exchange", "__pycache__"))
    monkeypatch.chdir(course)
    result = CliRunner().invoke(main, ["assignments", "validate", "ps1"])
    assert result.exit_code == 0, result.output
    assert f"validate ps1: 8 questions, 13 points -> {course / 'source/ps1/ps1.ipynb'}" in result.output
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["assignments", "validate", "ps1"])
    assert result.exit_code == 2 and "no nbgrader_config.py here" in result.output


def test_output_limits_are_nbgraders_limit_output():
    import nbformat

    text = "\n".join(str(i) for i in range(500))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "print(...)", outputs=[nbformat.v4.new_output("stream", name="stdout", text=text)])])
    lines = Course(COURSE).limit_output(nb).cells[0].outputs[0].text.splitlines()
    assert len(lines) == 200 and lines[-1] == "... Output truncated ..." and lines[0] == "0"


def test_paths_of_one_students_notebooks():
    course = Course(COURSE)
    assert course.submitted("ada", "ps1") == COURSE / "submitted/ada/ps1/ps1.ipynb"
    assert course.autograded("ada", "ps1") == COURSE / "autograded/ada/ps1/ps1.ipynb"
    assert course.feedback("ada", "ps1") == COURSE / "feedback/ada/ps1/ps1.html"
    assert course.release("ps1") == COURSE / "release/ps1/ps1.ipynb"
