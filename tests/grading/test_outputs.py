"""Feedback HTML, CSV exports and the class report, looked at in Chromium."""

from __future__ import annotations

import csv
import re
import threading
from pathlib import Path

import pytest

from coursekit.grading import GradeConfig, grade_assignment
from goldens import check_golden

from .factory import ASSIGNMENT, REPO, correct_answers, submit

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = REPO / "test-artifacts" / "screenshots"
WRONG = {"ps1-landmark-front-crest-answer": 'front_crest = "a"',
         "ps1-flexors-limit-extension-answer": 'limiting_flexors = ["iliopsoas", "gluteus maximus"]'}


@pytest.fixture(scope="module")
def graded(released: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    course = tmp_path_factory.mktemp("outputs") / "course"
    shutil.copytree(released, course)
    answers = correct_answers(course)
    for i in range(3):
        submit(course, f"full{i}", answers=answers)
        submit(course, f"wrong{i}", answers={**answers, **WRONG})
        submit(course, f"blank{i}", answers={})
    submit(course, "broken", raw=b'{"cells": [')
    grade_assignment(GradeConfig(course=course, assignment=ASSIGNMENT, cell_timeout=5, progress=False))
    return course


def test_feedback_shows_messages_but_no_hidden_tests_or_keys(graded: Path):
    page = (graded / "feedback/wrong0/ps1/ps1.html").read_text()
    assert "ps1.landmark-front-crest</strong>: 0 / 1 points" in page
    assert "ps1.hip-angle-lunge</strong>: 2 / 2 points" in page
    assert "BEGIN HIDDEN TESTS" not in page and "grade(&quot;ps1" not in page and 'grade("ps1' not in page
    blank = (graded / "feedback/blank0/ps1/ps1.html").read_text()
    assert "BEGIN SOLUTION" not in blank and 'point("anjaneyasana-back", "shoulder")' not in blank
    assert not (graded / "feedback/broken").exists()


def test_grades_and_lms_csv_tell_failed_from_zero(graded: Path):
    rows = {r["student"]: r for r in csv.DictReader(open(graded / "coursekit-grades/ps1/grades.csv"))}
    assert (rows["full0"]["status"], rows["full0"]["score"]) == ("ok", "13")
    assert (rows["blank0"]["status"], rows["blank0"]["score"]) == ("ok", "0")
    assert (rows["broken"]["status"], rows["broken"]["score"]) == ("failed", "")
    assert rows["wrong0"]["ps1.landmark-front-crest"] == "0"
    lms = list(csv.reader(open(graded / "coursekit-grades/ps1/lms.csv")))
    assert lms[0] == ["Student ID", "ps1 Score", "Max Points", "Grading Status", "Comment"]
    assert ["broken", "", "13", "failed"] == next(r for r in lms if r[0] == "broken")[:4]


def test_class_report_has_plots_with_alt_text_and_common_wrong_answers(graded: Path):
    page = (graded / "coursekit-grades/ps1/report.html").read_text()
    charts = re.findall(r'<svg [^>]*role="img" aria-label="([^"]+)"', page)
    assert len(charts) == 2 and all(len(alt) > 40 for alt in charts)
    assert "Histogram of 9 graded scores for ps1 out of 13 points" in charts[0]
    bars = dict(re.findall(r'<rect class="bar"[^>]*><title>([\d.]+) to [\d.]+: (\d+)</title>', page))
    assert sum(map(int, bars.values())) == 9 and bars["0"] == "3" and bars["12.07"] == "3"  # blank and full
    assert "<img" not in page  # drawn as SVG, without matplotlib
    assert "http://" not in page and "https://" not in page
    assert "&quot;a&quot;</td><td>3</td>" in page  # three students answered "a" to the ASIS question
    assert "(left blank)</td><td>3</td>" in page
    assert "failed to grade" in page and "broken" in page


def _feedback_fragments(page: str) -> str:
    """The coursekit feedback blocks of a feedback page (nbconvert's own markup left out)."""
    return "\n".join(re.findall(r'<div class="coursekit-feedback">.*?</div>', page, flags=re.S))


def test_feedback_and_exports_match_their_golden_files(graded: Path, request: pytest.FixtureRequest):
    folder = graded / "coursekit-grades/ps1"
    check_golden(request, "grading/feedback-wrong0.html",
                 _feedback_fragments((graded / "feedback/wrong0/ps1/ps1.html").read_text()))
    check_golden(request, "grading/grades.csv", (folder / "grades.csv").read_text())
    check_golden(request, "grading/lms.csv", (folder / "lms.csv").read_text())
    check_golden(request, "grading/report.html", (folder / "report.html").read_text())


def _structure(page: str) -> tuple[str, list[tuple[str, tuple[tuple[str, str], ...]]]]:
    """A page's text (whitespace folded) and its tags with their attributes, as a browser reads them."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    tags = [(t.name, tuple(sorted((k, str(v)) for k, v in t.attrs.items()))) for t in soup.find_all(True)]
    return " ".join(soup.get_text().split()), tags


def test_feedback_pages_are_the_ones_nbgrader_generate_feedback_makes(graded: Path, tmp_path: Path):
    """The grader's feedback page (template loaded once) reads as nbgrader's own, in nbgrader's layout."""
    import shutil

    from coursekit.course import Course

    stock = shutil.copytree(graded, tmp_path / "stock")
    shutil.rmtree(stock / "feedback")
    assert Course(stock).generate_feedback(ASSIGNMENT, ["wrong0", "full1"]) == {}  # nbgrader's own, per student
    for student in ("wrong0", "full1"):
        mine, theirs = (c / "feedback" / student / ASSIGNMENT for c in (graded, stock))
        assert sorted(p.name for p in mine.iterdir()) == sorted(p.name for p in theirs.iterdir())
        assert "timestamp.txt" in {p.name for p in mine.iterdir()}  # release_feedback reads it
        assert _structure((mine / "ps1.html").read_text()) == _structure((theirs / "ps1.html").read_text())
        assert oct((mine / "ps1.html").stat().st_mode & 0o777) == oct((theirs / "ps1.html").stat().st_mode & 0o777)


def test_a_feedback_page_past_its_time_limit_is_a_plain_page_and_a_note(graded: Path, tmp_path: Path):
    import shutil

    from coursekit.course import Course
    from coursekit.course.feedback import FeedbackPages

    course = Course(shutil.copytree(graded, tmp_path / "slow"))
    pages = FeedbackPages(course, seconds=0.0)
    with course.gradebook() as gb:
        result = pages.write(gb, "wrong0", ASSIGNMENT, [ASSIGNMENT])
        again = [FeedbackPages(course).write(gb, f"full{i % 3}", ASSIGNMENT, [ASSIGNMENT]) for i in range(20)]
    assert "took longer than the limit of 0 s" in result.problem
    page = (result.folder / "ps1.html").read_text()
    assert "could not be made: making the feedback page took longer" in page and "script-src 'none'" in page
    assert [r.problem for r in again] == [""] * 20  # one gradebook connection serves every page
    assert "ps1 (Score: 13.0 / 13.0)" in (course.feedback("full0", ASSIGNMENT)).read_text()


def _in_own_thread(func):
    """Run ``func`` in a fresh thread: Playwright's sync API refuses a thread whose
    event loop another library (nbclient, IPython) left running."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = func()
        except BaseException as err:  # noqa: BLE001 - re-raised in the test's thread
            outcome["error"] = err

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")
def test_screenshots_of_report_and_feedback(graded: Path):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = {"grading-class-report.png": graded / "coursekit-grades/ps1/report.html",
             "grading-feedback-wrong0.png": graded / "feedback/wrong0/ps1/ps1.html"}

    def shoot() -> tuple[int, list[str]]:
        requests: list[str] = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            for name, path in pages.items():
                page.goto(path.as_uri())
                page.wait_for_load_state("load")
                page.screenshot(path=str(SHOTS / name), full_page=True)
            page.goto(pages["grading-class-report.png"].as_uri())
            broken = page.evaluate("[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length")
            browser.close()
        return broken, requests

    broken_images, requests = _in_own_thread(shoot)
    assert broken_images == 0
    assert [u for u in requests if not u.startswith(("file://", "data:"))] == []
    assert all((SHOTS / name).stat().st_size > 10_000 for name in pages)
