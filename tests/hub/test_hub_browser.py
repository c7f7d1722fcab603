"""The course hub in Chromium, as its people use it.

Two students log in, fetch ps1 in nbgrader's Assignments tab, answer, validate and
submit; the first sees the score and feedback of grading on submission with nobody else
doing anything. The instructor sees both submissions in formgrader, grades the written
answer of the second student's ps3 by hand and releases the feedback, which the second
student fetches. Screenshots of every step: ``test-artifacts/screenshots/hub-*.png``.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from .conftest import PASSWORD, REPO, Hub
from .test_hub import answer, correct_answers, wait_for_history
from .test_launch import LESSON, build_small_book, hub_links

pytestmark = [pytest.mark.browser, pytest.mark.hub, pytest.mark.xdist_group("hub")]
SHOTS = REPO / "test-artifacts" / "screenshots"
WRITTEN_ANSWER = ("Gluteus maximus extends the hip and turns the thigh out, so gripping it in a backbend "
                  "pushes the knees apart; I would cue the inner thighs and hamstrings to share the work.")


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"hub-{name}.png"), full_page=False)


def log_in(browser: Any, hub: Hub, user: str) -> Any:
    """A fresh browser session of ``user``, logged in, with JupyterLab loaded."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(f"{hub.layout.url}/hub/login", wait_until="domcontentloaded")
    page.fill("#username_input", user)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    page.wait_for_url(re.compile(rf"/user/{re.escape(user)}/lab"), timeout=180_000)
    page.wait_for_selector("#jp-main-dock-panel", timeout=180_000)
    page.wait_for_selector(".lm-MenuBar-item", timeout=120_000)
    # the file browser has listed the home (every user has the lessons): the page has settled
    page.locator(".jp-DirListing-item", has_text="lessons").first.wait_for(timeout=120_000)
    return page


def open_assignments(page: Any) -> Any:
    """Nbgrader -> Assignment List, as a student clicks it; returns the panel."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
    panel = page.locator("#released_assignments_list").locator("xpath=ancestor::div[contains(@class,'lm-Widget')][1]")
    page.wait_for_selector("#course_list_default:not(:has-text('Loading'))")
    return panel


def refresh(page: Any) -> None:
    page.click("#refresh_assignments_list")
    page.wait_for_timeout(1500)


def row(page: Any, listing: str, assignment: str) -> Any:
    return page.locator(f"#{listing}_assignments_list .list_item").filter(has_text=assignment).first


def fetch_and_submit(page: Any, hub: Hub, user: str, assignment: str, answers: dict[str, str], tag: str) -> None:
    open_assignments(page)
    row(page, "released", assignment).locator("button", has_text="Fetch").click()
    row(page, "fetched", assignment).wait_for()
    # the file browser lists the fetched folder (it polls every 10 s; refreshed as a student would)
    page.locator(".jp-ToolbarButtonComponent[data-command='filebrowser:refresh']").first.click()
    page.locator(".jp-DirListing-item", has_text=assignment).first.wait_for(timeout=30_000)
    page.mouse.move(1, 1)  # no button left highlighted under the pointer
    shot(page, f"{tag}-fetched")
    answer(hub, user, assignment, answers)  # typed answers, written as the student would save them
    toggle = row(page, "fetched", assignment).locator("a.assignment-notebooks-link")
    toggle.click()
    notebooks = page.locator(f"[id='{toggle.get_attribute('aria-controls')}']")
    notebooks.locator("button", has_text="Validate").first.click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for()
    shot(page, f"{tag}-validated")
    dialog.locator("button", has_text="OK").click()
    row(page, "fetched", assignment).locator("button", has_text="Submit").click()
    row(page, "submitted", assignment).wait_for()
    shot(page, f"{tag}-submitted")


def fetch_feedback(page: Any, hub: Hub, user: str, assignment: str, tag: str, timeout: float = 300) -> str:
    """Wait until feedback can be fetched, fetch it in the Assignments tab, return its text."""
    deadline = time.monotonic() + timeout
    while "feedback available to fetch" not in row(page, "submitted", assignment).inner_text():
        assert time.monotonic() < deadline, f"no feedback for {user} {assignment} within {timeout} s"
        refresh(page)
    row(page, "submitted", assignment).locator("button", has_text="Fetch Feedback").click()
    link = row(page, "submitted", assignment).locator("a", has_text="view feedback")
    link.wait_for()
    shot(page, f"{tag}-feedback-fetched")
    feedback = sorted((hub.layout.home(user) / assignment / "feedback").glob("*/*.html"))[-1]
    relative = feedback.relative_to(hub.layout.home(user)).as_posix()
    view = page.context.new_page()
    view.goto(f"{hub.layout.url}/user/{user}/files/{relative}", wait_until="load")
    shot(view, f"{tag}-feedback-page")
    text = " ".join(view.inner_text("body").split())
    view.close()
    return text


def test_students_submit_in_the_browser_and_the_instructor_grades_by_hand(hub: Hub, browser: Any) -> None:
    first, second = hub.layout.students[2:4]  # students the command-line tests never touch
    ps1 = correct_answers("ps1")

    alice = log_in(browser, hub, first)
    shot(alice, "student1-lab")
    assert alice.locator(".lm-Menu-itemLabel", has_text="Formgrader").count() == 0
    fetch_and_submit(alice, hub, first, "ps1", ps1, "student1-ps1")

    bob = log_in(browser, hub, second)
    fetch_and_submit(bob, hub, second, "ps1", {}, "student2-ps1")
    written = next(gid for gid in correct_answers("ps3") if gid.endswith("explanation-answer"))
    fetch_and_submit(bob, hub, second, "ps3", {written: WRITTEN_ANSWER}, "student2-ps3")

    # Grading on submission: student 1 sees the score without anyone doing anything.
    text = fetch_feedback(alice, hub, first, "ps1", "student1-ps1")
    assert "Score: 13.0 / 13.0" in text

    # The instructor: both submissions in formgrader, the written answer graded by hand.
    wait_for_history(hub, second, "ps3", 1)
    teacher = log_in(browser, hub, hub.layout.instructor)
    base = f"{hub.layout.url}/user/{hub.layout.instructor}/formgrader"
    teacher.goto(f"{base}/manage_submissions/ps1", wait_until="load")
    teacher.wait_for_selector(f"text={first}")
    assert teacher.locator(f"text={second}").count() >= 1
    shot(teacher, "instructor-ps1-submissions")

    from coursekit.course import Course

    with Course(hub.layout.course).gradebook() as gb:  # formgrader shows submissions by their notebook id
        submission = gb.find_submission_notebook("ps3", "ps3", second).id
    teacher.goto(f"{base}/submissions/{submission}/?index=0", wait_until="load")
    score = teacher.locator(f"input.score[id='{written}']")  # formgrader names inputs by grade id
    score.wait_for()
    score.scroll_into_view_if_needed()
    with teacher.expect_response(lambda r: "/api/grade/" in r.url and r.request.method == "PUT"):
        score.fill("2")
        score.dispatch_event("change")  # formgrader saves a score when it changes
    comment = teacher.locator(f"textarea.comment[id='{written}-comment']")
    with teacher.expect_response(lambda r: "/api/comment/" in r.url and r.request.method == "PUT"):
        comment.fill("Right muscle and action; say which fibres of the adductors help.")
        comment.dispatch_event("change")
    teacher.wait_for_timeout(1500)
    shot(teacher, "instructor-ps3-manual-grade")

    teacher.goto(f"{base}/manage_assignments", wait_until="load")
    ps3_row = teacher.locator("tr", has_text="ps3").first
    ps3_row.locator(".generate-feedback a").click()
    teacher.locator(".modal-dialog button", has_text="OK").or_(teacher.locator(".modal-footer button")).first.click()
    ps3_row.locator(".release-feedback a").click()
    teacher.locator(".modal-footer button").first.click()
    shot(teacher, "instructor-released")

    # Student 2 fetches the feedback with the hand-given score and comment.
    text = fetch_feedback(bob, hub, second, "ps3", "student2-ps3")
    assert "Right muscle and action" in text
    assert re.search(r"Score: 2(\.0)? / ", text) or "2.0 / " in text


def test_the_books_launch_button_opens_the_lesson_as_a_notebook_on_the_hub(hub: Hub, browser: Any, tmp_path: Any) -> None:
    """The link of a page built with the hub's address, followed by a logged-in student."""
    site = build_small_book(tmp_path / "book", hub.layout.url)
    [link] = hub_links(site / "book" / f"{LESSON}.html")
    assert link == f"{hub.layout.url}/hub/user-redirect/lab/tree/lessons/book/{LESSON}.md"
    student = hub.layout.students[0]
    page = log_in(browser, hub, student)
    page.goto(link, wait_until="domcontentloaded")
    page.wait_for_url(re.compile(rf"/user/{re.escape(student)}/lab/tree/lessons/book/{LESSON}\.md"))
    notebook = page.locator(".jp-NotebookPanel:visible")
    notebook.locator(".jp-CodeCell").first.wait_for()
    page.wait_for_timeout(1000)
    shot(page, "student-lesson-notebook")
    lesson = (REPO / "book" / f"{LESSON}.md").read_text(encoding="utf-8")
    assert notebook.locator(".jp-CodeCell").count() == lesson.count("```{code-cell}")
    assert page.locator(".lm-TabBar-tab.jp-mod-current", has_text=f"{LESSON}.md").count() == 1
    # the server reads the MyST file as a notebook (jupytext's contents manager), as the page opened it
    reply = page.request.get(f"{hub.layout.url}/user/{student}/api/contents/lessons/book/{LESSON}.md"
                             "?type=notebook&content=1")
    assert reply.status == 200, reply.text()[:500]
    model = reply.json()
    assert model["type"] == "notebook" and model["format"] == "json"
    assert model["content"]["metadata"]["jupytext"]["text_representation"]["format_name"] == "myst"
    code = [c["source"] for c in model["content"]["cells"] if c["cell_type"] == "code"]
    assert len(code) == lesson.count("```{code-cell}") and all(src.strip() in lesson for src in code)
    page.context.close()
