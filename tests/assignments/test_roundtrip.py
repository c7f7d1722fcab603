"""Round trip of every assignment through stock nbgrader: release, autograde, feedback, export."""

from __future__ import annotations

import re

import nbformat
import pytest
from bs4 import BeautifulSoup

from coursekit.course import cells as md
from scripted_submissions import solution_answers

from .conftest import MANUAL_SCORE, SCENARIOS

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]

ASSIGNMENTS = sorted(SCENARIOS)
CASES = [(ps, s) for ps, scenarios in SCENARIOS.items() for s in scenarios]


def _key_lines(course, ps: str) -> list[str]:
    """Distinctive lines of the answer key (solution code) of a source notebook."""
    source = nbformat.read(course.source(ps), as_version=4)
    lines = []
    for cell in source.cells:
        if md.is_autograded_answer(cell):
            inside = cell.source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
            lines += [line.strip() for line in inside.splitlines() if len(line.strip()) > 12]
    return lines


@pytest.mark.parametrize("ps", ASSIGNMENTS)
def test_released_notebook_has_no_solution_and_no_hidden_check(released_course, ps):
    released = nbformat.read(released_course.release(ps), as_version=4)
    files = sorted(p.name for p in released_course.release(ps).parent.iterdir())
    assert files == sorted(p.name for p in released_course.source(ps).parent.iterdir())  # no rubric, no spec
    text = nbformat.writes(released)
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
    assert "grade(" not in text.replace("graded", "")
    for line in _key_lines(released_course, ps):
        assert line not in text, f"{ps}: the key line {line!r} was released"
    tests = [c for c in released.cells if md.is_test(c)]
    assert tests and all(c.source.splitlines()[-1].startswith("check_answer(") for c in tests)
    answers = [c for c in released.cells if md.is_autograded_answer(c)]
    assert answers and all(c.source.endswith("# YOUR CODE HERE") and "= None" in c.source for c in answers)
    manual = [c for c in released.cells if md.is_manual(c)]
    assert all(c.source == "YOUR ANSWER HERE" for c in manual)


@pytest.mark.parametrize("ps,scenario", CASES, ids=[f"{ps}-{s.student}" for ps, s in CASES])
def test_autograde_gives_exactly_the_expected_score(graded_course, ps, scenario):
    scores = graded_course.course.scores(ps)
    expected = scenario.expected + (MANUAL_SCORE if (ps, scenario.student) == ("ps3", "alice") else 0)
    assert scores[scenario.student] == pytest.approx(expected, abs=1e-9)


def test_every_question_scores_full_points_for_the_key(graded_course):
    course = graded_course.course
    assert course.course_id == "coursekit-hip"
    with course.gradebook() as gradebook:
        for ps in ASSIGNMENTS:
            notebook = gradebook.find_submission_notebook(ps, ps, "alice")
            auto = {g.name: (g.auto_score, g.max_score) for g in notebook.grades if g.name.endswith("-test")}
            assert auto and all(score == top for score, top in auto.values()), auto


@pytest.mark.parametrize("ps", ASSIGNMENTS)
def test_autograde_logs_no_checksum_noise_for_honest_submissions(graded_course, ps):
    for scenario in SCENARIOS[ps]:
        log = graded_course.logs[(ps, scenario.student)]
        changed = re.findall(r"Attribute 'checksum' for cell (\S+) has changed", log)
        assert changed == list(scenario.edit_test_cells), (scenario.student, changed)


def test_a_tampered_test_cell_is_restored_and_graded(graded_course):
    autograded = nbformat.read(graded_course.course.autograded("erin", "ps1"), as_version=4)
    cell = next(c for c in autograded.cells if md.grade_id(c) == "ps1-hip-angle-lunge-test")
    assert 'grade("ps1.hip-angle-lunge", hip_lunge, 2)' in cell.source
    assert graded_course.course.scores("ps1")["erin"] == 13.0


def _feedback(graded_course, ps: str, student: str) -> tuple[str, BeautifulSoup]:
    html = graded_course.course.feedback(student, ps).read_text(encoding="utf-8")
    return html, BeautifulSoup(html, "html.parser")


@pytest.mark.parametrize("ps", ASSIGNMENTS)
def test_feedback_shows_messages_but_no_hidden_check_or_key(graded_course, ps):
    for scenario in SCENARIOS[ps]:
        html, soup = _feedback(graded_course, ps, scenario.student)
        text = soup.get_text(" ")
        assert "HIDDEN TESTS" not in html and "BEGIN SOLUTION" not in html
        assert not re.search(r"\bgrade\(\"", html), "a hidden grade() call is in the feedback"
        if scenario.base == "blank":
            for line in _key_lines(graded_course.course, ps):
                assert line not in html, f"{ps}/{scenario.student}: key line {line!r} in feedback"
        points = f"{scenario.expected:g}" if scenario.student != "alice" or ps != "ps3" else f"{scenario.expected + MANUAL_SCORE:g}"
        assert "Score" in text and points in text


def test_feedback_carries_the_checkers_messages(graded_course):
    _, soup = _feedback(graded_course, "ps1", "carol")
    text = " ".join(soup.get_text(" ").split())
    assert "Right size, wrong sign." in text
    assert "3 of 5 rows right" in text
    _, soup = _feedback(graded_course, "ps2", "dave")
    text = " ".join(soup.get_text(" ").split())
    assert "Counted 'semitendinosis' as semitendinosus." in text
    # Hidden question: the feedback never names the missing muscles of a partial answer.
    _, soup = _feedback(graded_course, "ps2", "carol")
    text = " ".join(soup.get_text(" ").split())
    assert "1 of 2" in text or "missing" in text.lower()
    section = text.split("Question 2.1")[1].split("Question 2.2")[0]
    assert "biceps femoris (long head)" not in section.split("check(")[-1]


def test_export_csv_has_exactly_the_scores(graded_course):
    rows = {(r["assignment"], r["student_id"]): r for r in graded_course.csv_rows}
    students = {s.student for _, s in CASES}
    assert set(rows) == {(ps, student) for ps in ASSIGNMENTS for student in students}
    submitted = {(ps, s.student) for ps, s in CASES}
    assert all(float(rows[k]["score"]) == 0.0 and rows[k]["timestamp"] == "" for k in set(rows) - submitted)
    for ps, scenario in CASES:
        row = rows[(ps, scenario.student)]
        expected = scenario.expected + (MANUAL_SCORE if (ps, scenario.student) == ("ps3", "alice") else 0)
        assert float(row["raw_score"]) == pytest.approx(expected)
        assert float(row["score"]) == pytest.approx(expected)
    assert {float(r["max_score"]) for r in graded_course.csv_rows if r["assignment"] == "ps3"} == {16.0}


def test_solution_answers_cover_every_answer_cell(released_course):
    for ps in ASSIGNMENTS:
        source = nbformat.read(released_course.source(ps), as_version=4)
        answers = solution_answers(source)
        assert set(answers) == {md.grade_id(c) for c in source.cells if md.is_answer(c)}
