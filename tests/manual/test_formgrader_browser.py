"""An instructor marks ps3's written answer in formgrader, then regrades: nothing is lost.

JupyterLab (with nbgrader's formgrader extension) serves the graded course directory on
127.0.0.1; headless Chromium opens Nbgrader > Formgrader, goes to Manual Grading, opens
carol's submission, types a score and a comment for the written answer. Then
``coursekit grade ps3 --force`` regrades everything, and the score and comment are
still in the gradebook, in formgrader, in the regenerated feedback HTML, in
``grades.csv``, the LMS CSV and nbgrader's own CSV export; alice's written answer, not
marked yet, is reported as pending in every export. Screenshots of each step go to
``test-artifacts/screenshots/manual-*.png``.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from jupyter_servers import jupyter_lab

from .conftest import PS, REPO, WRITTEN, WRITTEN_QUESTION, grade, gradebook_row, nbgrader_export, read_csv

CHROMIUM = Path(os.environ.get("COURSEKIT_CHROMIUM", "/usr/bin/chromium"))
# Skip before the (slow) graded course is built when there is no browser to drive formgrader with.
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"{CHROMIUM} is not installed (apt-get install chromium, "
                                                                "or run `make test` as root)")]
SHOTS = REPO / "test-artifacts" / "screenshots"
SCORE, COMMENT = "3", "Right about the rotation. Name the medial hamstrings that balance it, and what a teacher sees."
# No news pop-up, no update check: nothing covers formgrader in the screenshots.
SETTINGS = {"@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                               "checkForUpdates": False}}


@contextlib.contextmanager
def instructor_lab(course: Path, home: Path) -> Iterator[str]:
    """JupyterLab with formgrader serving the course directory; yields the base URL with the token."""
    with jupyter_lab(course, home, settings=SETTINGS, ready="formgrader/api/assignments", timeout=120) as (base, token):
        yield f"{base}lab?token={token}"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"manual-{name}.png"), full_page=False)


def _open_formgrader(page, lab_url: str):
    """Nbgrader > Formgrader in JupyterLab's menu bar; returns formgrader's frame."""
    page.goto(lab_url, wait_until="domcontentloaded")
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click(timeout=120_000)
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Formgrader$")).click()
    frame = page.frame_locator("iframe").first
    frame.locator("a", has_text="Manual Grading").first.wait_for(timeout=60_000)
    return frame


def _open_carol(frame) -> None:
    """Manual Grading > ps3 > ps3 > (show names) carol."""
    frame.locator("a", has_text="Manual Grading").first.click()
    frame.locator("td a", has_text=re.compile(f"^{PS}$")).click()        # the assignment
    frame.locator("td a", has_text=re.compile(f"^{PS}$")).click()        # its notebook
    frame.locator("td.name a.name-hidden").first.wait_for(timeout=60_000)


def _carol_row(frame):
    return frame.locator("tr", has=frame.locator("a.name-shown", has_text=re.compile("^carol$")))


def _poll(check, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "formgrader did not save in time"
        time.sleep(0.3)


def test_an_instructor_marks_the_written_answer_in_formgrader_and_a_forced_regrade_keeps_it(ps3_course, browser_page,
                                                                                             tmp_path):
    course, page = ps3_course, browser_page
    assert gradebook_row(course, "carol")["needs_manual_grade"] is True  # coursekit grade left it for a human
    with instructor_lab(course, tmp_path / "jupyter") as lab_url:
        frame = _open_formgrader(page, lab_url)
        _shot(page, "01-formgrader-in-jupyterlab")
        _open_carol(frame)
        frame.locator("text=Show All Names").click()
        row = _carol_row(frame)
        assert row.locator("td.needs-manual-grade .glyphicon-ok").count() == 1
        assert " ".join(row.inner_text().split()).startswith("carol 12 / 16")
        _shot(page, "02-manual-grading-ps3-submissions")
        row.locator("a.name-shown").click()

        # carol's submission: her written answer, an empty score box that needs a grade, a comment box.
        cell = frame.locator(".nbgrader_cell", has=frame.locator(f"input#{WRITTEN}"))
        cell.wait_for(timeout=60_000)
        assert "external rotator" in cell.inner_text()
        score, comment = frame.locator(f"input#{WRITTEN}"), frame.locator(f"textarea#{WRITTEN}-comment")
        assert "needs_manual_grade" in (score.get_attribute("class") or "")
        cell.scroll_into_view_if_needed()
        _shot(page, "03-written-answer-before")
        score.click()
        page.keyboard.type(SCORE)
        page.keyboard.press("Tab")
        comment.click()
        page.keyboard.type(COMMENT)
        page.keyboard.press("Tab")
        _poll(lambda: gradebook_row(course, "carol")["comment"] == COMMENT)
        _poll(lambda: gradebook_row(course, "carol")["manual_score"] == float(SCORE))
        assert "needs_manual_grade" not in (score.get_attribute("class") or "")
        cell.scroll_into_view_if_needed()
        _shot(page, "04-written-answer-graded")
        assert gradebook_row(course, "carol") == {
            "manual_score": 3.0, "auto_score": None, "needs_manual_grade": False, "comment": COMMENT, "total": 15.0,
            "submission_needs_manual_grade": False}

        # The instructor regrades everything (e.g. after fixing a hidden test).
        before = time.time()
        grade(course, "--force")

        # formgrader, reopened, still shows the score and the comment.
        frame = _open_formgrader(page, lab_url)
        _open_carol(frame)
        frame.locator("text=Show All Names").click()
        row = _carol_row(frame)
        assert " ".join(row.inner_text().split()).startswith("carol 15 / 16")
        assert row.locator("td.needs-manual-grade .glyphicon-ok").count() == 0
        _shot(page, "05-submissions-after-regrade")
        row.locator("a.name-shown").click()
        score, comment = frame.locator(f"input#{WRITTEN}"), frame.locator(f"textarea#{WRITTEN}-comment")
        # formgrader's script fills the boxes from its API after the page loads
        expect(score).to_have_value("3", timeout=60_000)
        expect(comment).to_have_value(COMMENT, timeout=60_000)
        frame.locator(".nbgrader_cell", has=score).scroll_into_view_if_needed()
        _shot(page, "06-written-answer-after-regrade")

    # The gradebook kept the hand grade, and it is not sent back for review: the answer did not change.
    assert gradebook_row(course, "carol") == {
        "manual_score": 3.0, "auto_score": None, "needs_manual_grade": False, "comment": COMMENT, "total": 15.0,
        "submission_needs_manual_grade": False}

    # The feedback HTML was regenerated by the regrade and shows the score and comment.
    feedback = course / "feedback" / "carol" / PS / f"{PS}.html"
    assert feedback.stat().st_mtime >= before
    page.goto(feedback.as_uri(), wait_until="load")
    panel = page.locator(".nbgrader_cell", has=page.locator(f"a[name='{WRITTEN}']"))
    text = " ".join(panel.inner_text().split())
    assert "Score: 3.0 / 4.0" in text and f"Comments: {COMMENT}" in text
    assert f"{PS} (Score: 15.0 / 16.0)" in " ".join(page.inner_text("body").split())
    panel.scroll_into_view_if_needed()
    _shot(page, "07-feedback-after-regrade")

    # Every export has carol's hand grade; alice's written answer, never marked, is pending in each.
    out = course / "coursekit-grades" / PS
    grades = read_csv(out / "grades.csv")
    assert {k: grades["carol"][k] for k in ("score", "gradebook_score", "manual_grading_pending", WRITTEN_QUESTION,
                                            f"{WRITTEN_QUESTION} comment")} == {
        "score": "12", "gradebook_score": "15", "manual_grading_pending": "no", WRITTEN_QUESTION: "3",
        f"{WRITTEN_QUESTION} comment": COMMENT}
    assert (grades["alice"]["manual_grading_pending"], grades["alice"][WRITTEN_QUESTION]) == ("yes", "")
    assert (grades["bob"]["manual_grading_pending"], grades["bob"][WRITTEN_QUESTION]) == ("no", "0")  # left blank
    lms = read_csv(out / "lms.csv")
    assert (lms["carol"][f"{PS} Score"], lms["carol"]["Comment"]) == ("15", "")
    assert (lms["alice"][f"{PS} Score"], lms["alice"]["Comment"]) == ("12", "answers graded by hand are not scored yet")
    report = " ".join((out / "report.html").read_text(encoding="utf-8").split())
    assert "<h2>Manual grading pending</h2>" in report and "<td>alice</td><td>answers graded by hand" in report
    assert "<td>carol</td><td>answers graded by hand" not in report
    export = nbgrader_export(course)
    assert (float(export["carol"]["raw_score"]), float(export["carol"]["max_score"])) == (15.0, 16.0)
    assert float(export["alice"]["raw_score"]) == 12.0
