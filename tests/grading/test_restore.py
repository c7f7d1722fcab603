"""Rebuilding a submission on the source notebook: what is kept, restored and flagged."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from coursekit.course.regions import strip_hidden
from coursekit.grading.notebooks import BrokenSubmission, read_submission, restore

from .factory import make_answer_cell, make_grade_cell, make_locked_cell, make_notebook

TEST_SRC = 'check("q.a", a)\n### BEGIN HIDDEN TESTS\ngrade("q.a", a, 2)\n### END HIDDEN TESTS'


def source():
    return make_notebook(
        make_locked_cell("import math", "setup"),
        make_answer_cell("a = None\n### BEGIN SOLUTION\na = 1\n### END SOLUTION", "q-answer"),
        make_grade_cell(TEST_SRC, "q-test", 2),
    )


def student(answer: str = "a = 5"):
    nb = copy.deepcopy(source())
    nb.cells[1].source = answer
    nb.cells[2].source = 'check("q.a", a)'
    return nb


def sources(nb):
    return [c.source for c in nb.cells]


def test_answer_kept_and_test_cell_restored_with_hidden_part():
    prepared = restore(source(), student())
    assert sources(prepared.notebook) == ["import math", "a = 5", TEST_SRC]
    assert prepared.flags == []


def test_edited_test_cell_is_restored_from_source():
    nb = student()
    nb.cells[2].source = "print(13)"
    prepared = restore(source(), nb)
    assert prepared.notebook.cells[2].source == TEST_SRC


def test_flipped_grade_flag_restores_metadata_and_flags():
    nb = student()
    nb.cells[2].metadata.nbgrader.update(solution=True, grade=False)
    nb.cells[2].source = "grade = lambda *a: 2"
    prepared = restore(source(), nb)
    assert prepared.notebook.cells[2].source == TEST_SRC
    assert prepared.notebook.cells[2].metadata.nbgrader["grade"] is True
    assert any("metadata" in f and "q-test" in f for f in prepared.flags)


def test_renamed_answer_id_is_matched_by_position():
    nb = student("a = 1")
    nb.cells[1].metadata.nbgrader["grade_id"] = "my-answer"
    prepared = restore(source(), nb)
    assert sources(prepared.notebook) == ["import math", "a = 1", TEST_SRC]
    assert prepared.notebook.cells[1].metadata.nbgrader["grade_id"] == "q-answer"
    assert any("id changed" in f for f in prepared.flags)


def test_deleted_test_cell_is_put_back_in_place():
    nb = student()
    del nb.cells[2]
    prepared = restore(source(), nb)
    assert sources(prepared.notebook)[-1] == TEST_SRC
    assert any("q-test" in f and "deleted" in f for f in prepared.flags)


def test_deleted_answer_cell_gets_starter_code():
    nb = student()
    del nb.cells[1]
    prepared = restore(source(), nb)
    assert "BEGIN SOLUTION" not in prepared.notebook.cells[1].source
    assert any("q-answer" in f and "deleted" in f for f in prepared.flags)


def test_extra_student_cells_are_kept_in_order():
    nb = student("a = helper()")
    nb.cells.insert(1, make_notebook().cells or __import__("nbformat").v4.new_code_cell("def helper(): return 1"))
    prepared = restore(source(), nb)
    assert sources(prepared.notebook) == ["import math", "def helper(): return 1", "a = helper()", TEST_SRC]


def test_duplicated_test_cell_becomes_plain_cell():
    nb = student()
    nb.cells.append(copy.deepcopy(nb.cells[2]))
    prepared = restore(source(), nb)
    assert "nbgrader" not in prepared.notebook.cells[3].metadata
    assert any("duplicated" in f for f in prepared.flags)


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"),
    (b'{"cells": [{"cell_type": "code", "sou', "truncated"),
    (b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', "no cells"),
    (b"[1, 2]", "not a notebook"),
])
def test_broken_files_give_a_reason(tmp_path: Path, content: bytes, reason: str):
    path = tmp_path / "nb.ipynb"
    path.write_bytes(content)
    with pytest.raises(BrokenSubmission) as info:
        read_submission(path)
    assert reason in info.value.reason


def test_old_nbformat_is_converted_and_flagged(tmp_path: Path):
    import nbformat

    v3 = nbformat.convert(student(), 3)
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(v3))
    nb, flags = read_submission(path)
    assert nb.nbformat == 4 and flags == ["old notebook format (nbformat 3); converted to version 4"]
    assert [c.source for c in nb.cells][1] == "a = 5"


def test_strip_hidden_tests_keeps_visible_part():
    assert strip_hidden(TEST_SRC) == 'check("q.a", a)'
