"""The rotation model reads its table with the validating CSV reader and labels itself a toy."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from coursekit.anatomy import data_path
from coursekit.errors import DataError
from coursekit.model import rotation

REPO = Path(__file__).resolve().parents[2]


def _copy(tmp_path: Path, edit) -> Path:
    rows = list(csv.reader(open(data_path("moment_arms.csv"), encoding="utf-8")))
    edit(rows)
    path = tmp_path / "moment_arms.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_a_non_number_names_file_row_and_column(tmp_path):
    path = _copy(tmp_path, lambda rows: rows[2].__setitem__(rows[0].index("at_0deg"), "six"))
    with pytest.raises(DataError) as info:
        rotation.load_actors(path)
    assert str(info.value).startswith("moment_arms.csv, row 3, column 'at_0deg': must be a number")


def test_a_missing_source_and_an_unknown_quantity_are_data_errors(tmp_path):
    path = _copy(tmp_path, lambda rows: rows[1].__setitem__(rows[0].index("source"), ""))
    with pytest.raises(DataError, match="row 2, column 'source'"):
        rotation.load_actors(path)
    path = _copy(tmp_path, lambda rows: rows[1].__setitem__(rows[0].index("quantity"), "lever"))
    with pytest.raises(DataError, match="unknown quantity 'lever'"):
        rotation.load_actors(path)


def test_every_number_of_the_model_is_labelled_a_toy_value_with_its_sign_source():
    rows = list(csv.DictReader(open(data_path("moment_arms.csv"), encoding="utf-8")))
    assert {r["evidence"] for r in rows} == {"toy"}
    assert all(r["source"].startswith("Toy value (course assumption)") for r in rows)
    rot = {r["actor"]: float(r["at_0deg"]) for r in rows if r["quantity"] == "rotation_arm"}
    # signs follow the data: gluteus maximus the largest external arm, medial hamstrings small and internal
    assert rot["gluteus_maximus"] == max(rot.values()) > 0
    assert -1.0 < rot["medial_hamstrings"] < 0 and rot["adductor_magnus"] == 0


def test_the_lesson_and_the_problem_set_state_the_toy_assumptions():
    for page in (REPO / "book" / "gripping.md", REPO / "assignments" / "specs" / "ps3.md"):
        text = page.read_text(encoding="utf-8")
        assert "toy model" in text and "not a published musculoskeletal model" in text, page.name
