"""The student flow in a real JupyterLab on 127.0.0.1, driven by headless Chromium.

A student workspace is made from the released course exactly as ``make lab`` does
(:func:`coursekit.assignments.workspace`); JupyterLab serves it with a token on a free
port. The test opens ps1, runs all cells, answers one question in the editor, runs its
check and reads the visible feedback. Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from coursekit import assignments
from coursekit.course import cells as md
from jupyter_servers import jupyter_lab

from .conftest import REPO

pytestmark = pytest.mark.browser
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


@pytest.fixture
def lab(released_course, tmp_path) -> Iterator[tuple[str, str, Path]]:
    student = tmp_path / "student"
    assignments.workspace(released_course.root, ["ps1"], to=student)
    with jupyter_lab(student, tmp_path / "jupyter", settings=SETTINGS, expose_app=True) as (base, token):
        yield base, token, student


def _cell_index(notebook: Path, grade_id: str) -> int:
    nb = nbformat.read(notebook, as_version=4)
    return next(i for i, c in enumerate(nb.cells) if md.grade_id(c) == grade_id)


def _wait_idle(page, timeout_ms: int = 90_000) -> None:
    """Until every code cell has run (no '[*]' prompt) and the kernel is idle."""
    page.wait_for_function(
        """() => {
            const app = window.jupyterapp;
            const panel = app && app.shell.currentWidget;
            if (!panel || !panel.sessionContext || !panel.sessionContext.session) return false;
            const busy = [...document.querySelectorAll('.jp-InputPrompt')].some(p => p.textContent.includes('*'));
            return !busy && panel.sessionContext.session.kernel.status === 'idle';
        }""",
        timeout=timeout_ms,
    )


def test_a_student_runs_all_cells_answers_a_question_and_sees_the_visible_feedback(lab, browser_page):
    base, token, student = lab
    page = browser_page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{base}lab/tree/ps1/ps1.ipynb?token={token}", wait_until="domcontentloaded")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget && "
                           "window.jupyterapp.shell.currentWidget.sessionContext.session", timeout=60_000)
    _wait_idle(page)

    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_timeout(500)
    _wait_idle(page)
    cells = page.locator(".jp-Notebook .jp-Cell")
    notebook = student / "ps1" / "ps1.ipynb"
    answer_at = _cell_index(notebook, "ps1-hip-angle-lunge-answer")
    test = cells.nth(_cell_index(notebook, "ps1-hip-angle-lunge-test"))
    # Run all: every check cell shows the "no answer yet" feedback of the visible check.
    assert "Give one number" in test.locator(".jp-OutputArea").inner_text()
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    assert page.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.error']").count() == 0
    page.screenshot(path=str(SCREENSHOTS / "assignments-lab-ps1-run-all.png"), full_page=False)

    # Answer with the wrong sign: the visible check explains why.
    editor = cells.nth(answer_at).locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("hip_lunge = 10.55")
    page.keyboard.press("Shift+Enter")  # runs the answer, moves to the check cell
    page.keyboard.press("Shift+Enter")  # runs the check
    page.wait_for_timeout(300)
    _wait_idle(page)
    feedback = test.locator(".coursekit-result")
    feedback.wait_for(timeout=30_000)
    text = " ".join(feedback.inner_text().split())
    assert "back relative to the pelvis, so the hip is extended" in text
    test.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "assignments-lab-ps1-feedback.png"), full_page=False)

    # Fix the sign: the visible check passes.
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("hip_lunge = -10.55")
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")
    page.wait_for_timeout(300)
    _wait_idle(page)
    test.locator(".coursekit-result.coursekit-passed").wait_for(timeout=30_000)
    assert "back relative to the pelvis" not in test.locator(".jp-OutputArea").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "assignments-lab-ps1-passed.png"), full_page=False)


def test_the_feedback_page_shows_score_and_feedback_without_hidden_checks(graded_course, browser_page):
    page = browser_page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = graded_course.course.feedback("carol", "ps1")
    page.goto(path.as_uri(), wait_until="load")
    text = " ".join(page.inner_text("body").split())
    assert "Right size, wrong sign." in text and "3 of 5 rows right" in text
    assert "HIDDEN TESTS" not in text and 'grade("' not in text
    page.locator("text=Right size, wrong sign.").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "assignments-feedback-ps1-carol.png"), full_page=False)
