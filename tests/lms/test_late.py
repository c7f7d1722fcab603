"""Late penalties: coursekit's totals equal stock ``nbgrader autograde``'s for none, zero and a custom plugin.

A small nbgrader course is made in a temporary folder: one notebook with two autograded
test cells (5 points that pass, 3 that fail), a due date in the gradebook, and three
submissions with ``timestamp.txt`` (on time, 90 minutes late, 7 hours late). Stock
nbgrader autogrades it once per penalty configuration. coursekit's situation is then
rebuilt from the run with no penalty (scores written, no penalty, as ``coursekit grade``
leaves them) and :func:`apply_late_penalties` must store what nbgrader stored.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from coursekit.errors import GradingError
from coursekit.lms import apply_late_penalties, late_penalty_preprocessor, penalty_for

pytestmark = [pytest.mark.nbgrader, pytest.mark.xdist_group("lms-late")]

DUE = "2026-03-01 12:00:00 UTC"
STUDENTS = {"ontime": "2026-03-01 11:00:00 UTC", "late90m": "2026-03-01 13:30:00 UTC",
            "late7h": "2026-03-01 19:00:00 UTC"}
CONFIG = {
    "none": "",
    "zero": "c.LateSubmissionPlugin.penalty_method = 'zero'\n",
    "custom": "c.AssignLatePenalties.plugin_class = 'late.SubMarks'\n",
}
#: nbgrader's own example plugin (docs/source/plugins/late-plugin.rst): 1 point per hour late.
LATE_PY = '''
from nbgrader.plugins import BasePlugin


class SubMarks(BasePlugin):
    def late_submission_penalty(self, student_id, score, total_seconds_late):
        """Penalty of 1 mark per hour late"""
        hours_late = total_seconds_late / 3600
        return round(hours_late, 0)
'''


def _grade_cell(source: str, grade_id: str, points: float) -> nbformat.NotebookNode:
    return new_code_cell(source, metadata={"nbgrader": {"grade": True, "solution": False, "locked": True,
                                                        "points": points, "grade_id": grade_id,
                                                        "schema_version": 3}})


def _write_config(root: Path, method: str) -> None:
    (root / "nbgrader_config.py").write_text(
        "import os\nc = get_config()\nhere = os.path.dirname(os.path.abspath(__file__))\n"
        "c.CourseDirectory.root = here\nc.CourseDirectory.course_id = 'late-test'\n"
        "c.CourseDirectory.db_url = 'sqlite:///' + os.path.join(here, 'gradebook.db')\n"
        "c.Exchange.root = os.path.join(here, 'exchange')\n" + CONFIG[method], encoding="utf-8")


def _api(root: Path):
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    return NbGraderAPI(config=config)


def _make_course(root: Path, method: str) -> None:
    from nbgrader.api import Gradebook

    (root / "source" / "ps1").mkdir(parents=True)
    (root / "late.py").write_text(LATE_PY, encoding="utf-8")
    _write_config(root, method)
    nb = new_notebook(cells=[_grade_cell("assert True", "passes", 5), _grade_cell("assert False", "fails", 3)],
                      metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.write(nb, root / "source" / "ps1" / "ps1.ipynb")
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "late-test") as gb:
        gb.update_or_create_assignment("ps1", duedate=DUE)  # nbgrader db assignment add ps1 --duedate=...
    assert _api(root).generate_assignment("ps1", force=True, create=True)["success"]
    for student, stamp in STUDENTS.items():
        folder = root / "submitted" / student / "ps1"
        folder.mkdir(parents=True)
        shutil.copy(root / "release" / "ps1" / "ps1.ipynb", folder / "ps1.ipynb")
        (folder / "timestamp.txt").write_text(stamp + "\n", encoding="utf-8")


def _stock_autograde(root: Path) -> None:
    from coursekit.course.directory import env_bin_on_path

    old = os.getcwd()
    os.chdir(root)
    sys.path.insert(0, str(root))  # what nbgrader's command line does (NbGrader.add_to_sys_path)
    try:
        with env_bin_on_path():
            api = _api(root)
            for student in STUDENTS:
                result = api.autograde("ps1", student, force=True, create=True)
                assert result["success"], result.get("log")
    finally:
        sys.path.remove(str(root))
        os.chdir(old)


def _gradebook_state(root: Path) -> dict[str, tuple[float, float | None, float]]:
    """student -> (score, stored late penalty, score minus penalty)."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "late-test") as gb:
        out = {}
        for sub in gb.assignment_submissions("ps1"):
            penalty = sub.notebooks[0].late_submission_penalty
            out[sub.student.id] = (float(sub.score), penalty, float(sub.score) - float(sub.late_submission_penalty))
        return out


@pytest.fixture(scope="module")
def stock(tmp_path_factory) -> dict[str, Path]:
    """One course per configuration, autograded by stock nbgrader."""
    base = tmp_path_factory.mktemp("late-courses")
    out = {}
    from coursekit.course.directory import env_bin_on_path

    for method in CONFIG:
        root = base / f"stock-{method}"
        with env_bin_on_path():  # nbgrader runs alembic by name when it creates a gradebook
            _make_course(root, method)
        _stock_autograde(root)
        out[method] = root
    return out


@pytest.mark.parametrize("method", list(CONFIG))
def test_coursekit_penalties_and_totals_equal_stock_nbgrader(stock, method, tmp_path):
    expected = _gradebook_state(stock[method])
    # coursekit grade's situation: scores in the gradebook and no penalty (the 'none' run), config of `method`
    mine = tmp_path / "course"
    shutil.copytree(stock["none"], mine)
    _write_config(mine, method)
    assert all(p is None for _, p, _ in _gradebook_state(mine).values())
    from nbgrader.api import Gradebook

    pre = late_penalty_preprocessor(mine)
    with Gradebook(f"sqlite:///{mine / 'gradebook.db'}", "late-test") as gb:
        for student in STUDENTS:
            apply_late_penalties(gb, pre, "ps1", student)
    assert _gradebook_state(mine) == expected
    totals = {s: t for s, (_, _, t) in expected.items()}
    assert totals == {"none": {"ontime": 5.0, "late90m": 5.0, "late7h": 5.0},
                      "zero": {"ontime": 5.0, "late90m": 0.0, "late7h": 0.0},
                      "custom": {"ontime": 5.0, "late90m": 3.0, "late7h": 0.0}}[method]


def test_the_instructors_plugin_is_loaded_from_the_course_directory(tmp_path):
    (tmp_path / "halfoff_unique_plugin.py").write_text(
        "from nbgrader.plugins import BasePlugin\n\nclass Half(BasePlugin):\n"
        "    def late_submission_penalty(self, student_id, score, total_seconds_late):\n        return score / 2\n")
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\nc.AssignLatePenalties.plugin_class = 'halfoff_unique_plugin.Half'\n")
    pre = late_penalty_preprocessor(tmp_path)
    assert type(pre.plugin_inst).__name__ == "Half"
    assert penalty_for(pre, "ada", 8.0, 60) == 4.0 and penalty_for(pre, "ada", 8.0, 0) is None
    assert str(tmp_path) not in sys.path


def test_a_plugin_that_cannot_be_loaded_names_the_setting(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.AssignLatePenalties.plugin_class = 'nowhere.Nope'\n")
    with pytest.raises(GradingError, match=r"nbgrader_config.py: c.AssignLatePenalties.plugin_class cannot be used"):
        late_penalty_preprocessor(tmp_path)


def test_penalties_are_clamped_to_the_score_as_nbgrader_clamps_them(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.LateSubmissionPlugin.penalty_method = 'zero'\n")
    pre = late_penalty_preprocessor(tmp_path)
    assert penalty_for(pre, "bo", 7.5, 1.0) == 7.5 and penalty_for(pre, "bo", 0.0, 10.0) == 0.0


def test_a_canvas_late_flag_without_a_time_still_gets_the_configured_penalty(stock, tmp_path):
    from nbgrader.api import Gradebook

    mine = tmp_path / "course"
    shutil.copytree(stock["none"], mine)
    _write_config(mine, "zero")
    pre = late_penalty_preprocessor(mine)
    with Gradebook(f"sqlite:///{mine / 'gradebook.db'}", "late-test") as gb:
        sub = gb.find_submission("ps1", "ontime")
        sub.timestamp = None  # Canvas's zip has no submission time
        gb.db.commit()
        [unflagged] = apply_late_penalties(gb, pre, "ps1", "ontime")
        [flagged] = apply_late_penalties(gb, pre, "ps1", "ontime", lms_late=True)
    assert unflagged.penalty is None and unflagged.time_known
    assert (flagged.penalty, flagged.score, flagged.time_known) == (5.0, 5.0, False)
    assert _gradebook_state(mine)["ontime"] == (5.0, 5.0, 0.0)
