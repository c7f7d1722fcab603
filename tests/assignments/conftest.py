"""One generated course shared by the assignment tests, and scripted submissions.

``released_course`` copies ``assignments/`` to a temporary folder, builds the source
notebooks from the specs and releases every assignment through nbgrader (once per
session). ``graded_course`` then places the scripted submissions of :data:`SCENARIOS`
in ``submitted/<student>/<ps>/``, runs stock ``nbgrader autograde`` and
``generate_feedback`` through nbgrader's Python API, and exports the grades to CSV.

Each scenario gives answers by answer-cell grade id (Python source, as a student would
type it) on top of a base: ``"solution"`` (the source notebook's key) or ``"blank"``
(the released notebook untouched). Expected scores are exact: they follow the scoring
rules of :mod:`coursekit.checks` (partial credit ``(right - wrong) / expected`` for sets,
rows and multiple choice; ``wrong_sign_credit`` for a number with the wrong sign).
"""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from coursekit import assignments
from filelocks import file_lock, shared_dir
from scripted_submissions import fill, solution_answers, write_submission

REPO = Path(__file__).resolve().parents[2]
COURSE = REPO / "assignments"


@dataclass(frozen=True)
class Scenario:
    """A scripted submission and the score it must get (autograded points only)."""

    student: str
    base: str  # "solution" or "blank"
    answers: dict[str, str] = field(default_factory=dict)
    expected: float = 0.0
    edit_test_cells: dict[str, str] = field(default_factory=dict)
    free_text: str | None = None


SCENARIOS: dict[str, list[Scenario]] = {
    "ps1": [
        Scenario("alice", "solution", expected=13.0),
        Scenario("bob", "blank", expected=0.0),
        Scenario(
            "carol",
            "solution",
            {
                "ps1-hip-angle-lunge-answer": "hip_lunge = 10.55  # wrong sign: half of 2 points",
                "ps1-tilt-classes-answer": (
                    "tilt_classes = pd.DataFrame({'pose': ['tadasana', 'tadasana-tucked', 'chair',"
                    " 'anjaneyasana-back', 'virabhadrasana1-back'], 'tilt_class': ['anterior', 'neutral',"
                    " 'anterior', 'anterior', 'anterior']})  # 3 right, 2 wrong: 0.2 of 3 points"
                ),
                "ps1-flexors-limit-extension-answer": "limiting_flexors = ['iliopsoas', 'rectus femoris']  # 2 of 4",
            },
            expected=13 - 1.0 - 2.4 - 1.0,
        ),
        Scenario(
            "dave",
            "solution",
            {
                "ps1-landmark-front-crest-answer": "front_crest = 'a'",
                "ps1-sitting-movement-answer": "sitting_movement = 'extension'",
                "ps1-tilt-lunge-answer": "tilt_lunge = math.radians(18.68)  # wrong unit, no credit",
                "ps1-lunge-compensation-answer": "compensation = 'b'",
                "ps1-flexors-limit-extension-answer": (
                    "limiting_flexors = ['Iliopsoas', 'rectus femoris', 'TFL', 'sartorius', 'gluteus maximus']"
                ),
            },
            expected=2 + 3 + 1 + 1.5,
        ),
        # Edits a locked test cell: nbgrader restores it (and warns about that cell only).
        Scenario("erin", "solution", expected=13.0, edit_test_cells={"ps1-hip-angle-lunge-test": "print('skip')"}),
    ],
    "ps2": [
        Scenario("alice", "solution", expected=14.0),
        Scenario("bob", "blank", expected=0.0),
        Scenario(
            "carol",
            "solution",
            {
                "ps2-extend-and-rotate-out-answer": "extend_and_rotate_out = ['gluteus maximus']  # 1 of 2",
                "ps2-internal-rotators-answer": (
                    "internal_rotators = ['gluteus medius', 'gluteus minimus', 'tensor fasciae latae',"
                    " 'semitendinosus', 'piriformis', 'gluteus maximus', 'sartorius', 'iliopsoas']"
                    "  # 4 of 7 right, 4 wrong: no credit"
                ),
                "ps2-rotation-statements-answer": "true_statements = ['a']  # 1 of 2 right options",
            },
            expected=8 + 1.0 + 0.0 + 1.0,
        ),
        Scenario(
            "dave",
            "blank",
            {
                "ps2-ischial-origin-answer": (
                    "from_sit_bones = ['biceps femoris long head', 'semitendinosis', 'Semimembranosus',"
                    " 'adductor magnus (hamstring part)', 'inferior gemellus', 'quadratus femoris']"
                ),
                "ps2-insertion-match-answer": (
                    "insertion_sites = pd.DataFrame({'name': ['gluteus maximus', 'biceps femoris (long head)',"
                    " 'semitendinosus', 'semimembranosus', 'adductor magnus (hamstring part)'],"
                    " 'site': ['D', 'A', 'C', 'B', 'E']})  # two swapped"
                ),
                "ps2-iliopsoas-rotation-answer": "iliopsoas_rotation = 'a'",
            },
            expected=2 + 0.6,
        ),
    ],
    "ps3": [
        Scenario("alice", "solution", expected=12.0),
        Scenario("bob", "blank", expected=0.0),
        Scenario(
            "carol",
            "solution",
            {
                "ps3-gmax-alone-rotation-answer": "gmax_rotation = -37.5  # wrong sign: half of 2",
                "ps3-gmax-flexed-rotation-answer": "gmax_rotation_flexed = 37.5",
                "ps3-cancel-rotation-answer": "internal_activation = 0.70  # read off the slider",
                "ps3-balance-helpers-answer": "helpers = ['semitendinosus', 'biceps femoris (long head)']",
                "ps3-gripping-evidence-answer": "evidence = 'a'",
            },
            expected=1 + 1 + 0 + 2 + 1 + 0 + 0 + 1 + 1,
            free_text="Gripping the glutes turns the thighs out because gluteus maximus is an external rotator.",
        ),
        Scenario(
            "dave",
            "blank",
            {
                "ps3-gmax-alone-rotation-answer": "gmax_rotation = 37.5",
                "ps3-balance-helpers-answer": (
                    "helpers = ['semitendinosus', 'semimembranosus', 'adductor magnus (hamstring part)']"
                ),
            },
            expected=4.0,
        ),
    ],
    "ps4": [
        Scenario("alice", "solution", expected=26.0),
        Scenario("bob", "blank", expected=0.0),
        Scenario(
            "carol",
            "solution",
            {
                "ps4-thomas-thigh-answer": "thigh_angle = -9.98  # wrong sign: half of 2 points",
                "ps4-posterior-couple-answer": (
                    "back_couple = ['gluteus maximus', 'biceps femoris (long head)', 'semitendinosus',"
                    " 'semimembranosus', 'iliopsoas']  # 4 right, 1 wrong of 5: 0.6 of 2 points"
                ),
                "ps4-limit-knee-answer": "possible_limits = ['a']  # 1 of 2 right options",
                "ps4-photo-asis-answer": "asis_point = 'a'  # the trochanter",
            },
            expected=26 - 1.0 - 0.8 - 1.0 - 1.0,
        ),
    ],
}

#: The manual score an instructor gives to alice's ps3 free text in the export test.
MANUAL_SCORE = 3.0


@dataclass
class GradedCourse:
    """The shared course after autograde, feedback and export."""

    course: assignments.Course
    logs: dict[tuple[str, str], str]
    csv_rows: list[dict[str, str]]


def _submission(course: assignments.Course, ps: str, scenario: Scenario) -> nbformat.NotebookNode:
    released = nbformat.read(course.release(ps), as_version=4)
    answers = solution_answers(nbformat.read(course.source(ps), as_version=4)) if scenario.base == "solution" else {}
    if scenario.free_text is not None:
        answers.update({k: scenario.free_text for k in answers if k.endswith("-answer") and "explanation" in k})
    answers.update(scenario.answers)
    nb = fill(released, answers, name=f"{ps}/{scenario.student}")
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in scenario.edit_test_cells:
            cell.source = scenario.edit_test_cells[gid]
    return nb


@pytest.fixture(scope="session")
def released_course(tmp_path_factory: pytest.TempPathFactory) -> assignments.Course:
    """A tmp copy of the course, built from the specs and released by nbgrader (once per run)."""
    shared = shared_dir(tmp_path_factory)
    root = shared / "coursekit-course" / "assignments"
    with file_lock(shared / "coursekit-course.lock"):
        if not (root.parent / "released").exists():
            shutil.rmtree(root.parent, ignore_errors=True)
            shutil.copytree(COURSE, root, ignore=shutil.ignore_patterns(
                "release", "submitted", "autograded", "feedback", "gradebook.db", "exchange", "__pycache__"))
            assignments.build(root)
            assignments.release(root)
            (root.parent / "released").touch()
    return assignments.Course(root)


@pytest.fixture(scope="session")
def graded_course(released_course: assignments.Course, tmp_path_factory: pytest.TempPathFactory) -> GradedCourse:
    """Scripted submissions autograded, feedback generated and grades exported (once per run)."""
    course = released_course
    done = course.root.parent / "graded.json"
    with file_lock(shared_dir(tmp_path_factory) / "coursekit-graded.lock"):
        if done.exists():
            logs = {tuple(k.split("/")): v for k, v in json.loads(done.read_text(encoding="utf-8")).items()}
        else:
            logs = _grade_everything(course)
            done.write_text(json.dumps({"/".join(k): v for k, v in logs.items()}), encoding="utf-8")
    with (course.root / "grades.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return GradedCourse(course, logs, rows)


def _grade_everything(course: assignments.Course) -> dict[tuple[str, str], str]:
    logs = {}
    for ps, scenarios in SCENARIOS.items():
        for scenario in scenarios:
            write_submission(course.root, scenario.student, ps, _submission(course, ps, scenario))
            logs[(ps, scenario.student)] = course.autograde(ps, scenario.student)
    _grade_free_text(course, "ps3", "alice", MANUAL_SCORE)
    for ps in SCENARIOS:
        problems = course.generate_feedback(ps)  # every autograded student of the assignment
        assert problems == {}, problems
    course.export_csv(course.root / "grades.csv")
    return logs


def _grade_free_text(course: assignments.Course, ps: str, student: str, score: float) -> None:
    """What an instructor does in formgrader: give points to a free-text answer."""
    with course.gradebook() as gradebook:
        submission = gradebook.find_submission_notebook(ps, ps, student)
        for grade in submission.grades:
            if grade.cell.name.endswith("-answer"):
                grade.manual_score = score
        gradebook.db.commit()
