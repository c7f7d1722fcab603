"""axe-core (vendored from npm) on every page of the built book: no serious or critical
WCAG 2.1 A/AA violation on the page as it loads, on its self-checks once answered and
revealed, and on its widgets after a reader has moved them.

Each run keeps axe's full result (every impact) in ``test-artifacts/axe/``.
"""

from __future__ import annotations

import pytest

from coursekit import bank

pytestmark = [pytest.mark.book, pytest.mark.browser]

#: Pages whose widgets the tests move (chapter -> exercise on the page).
WIDGET_PAGES = ["pelvic-tilt", "hip-flexors", "rotation", "gripping", "widgets-offline"]


def _wrong_answer(q) -> str | list[str]:
    if q.kind in ("choice", "multichoice"):
        return [next(o.key for o in q.options if not o.correct)]
    return {"muscles": "gluteus maximus, biceps brachii, xyz", "action": "flexion",
            "number": "999"}.get(q.kind, "an answer")


def _answer_every_self_check(page) -> int:
    """Answer each self-check wrongly, check it, then reveal its answer."""
    forms = page.locator("form.coursekit-sc-form")
    for i in range(forms.count()):
        form = forms.nth(i)
        q = bank.question(form.get_attribute("data-question"))
        answer = _wrong_answer(q)
        if isinstance(answer, list):
            for key in answer:
                form.locator(f'input[value="{key}"]').check()
        else:
            form.locator(".coursekit-sc-input").fill(answer)
        form.locator(".coursekit-sc-check").click()
        assert form.locator(".coursekit-sc-feedback").inner_text().strip(), q.id
        form.locator(".coursekit-sc-reveal").click()
    return forms.count()


def test_axe_finds_no_serious_violation_on_the_page(visit, axe, toc_page):
    report = visit(toc_page, screenshot=False)
    result = axe(report.page, f"page-{toc_page}")
    assert result.version.startswith("4.")
    assert result.blocking == {}, f"{toc_page}: see {result.saved}"


@pytest.mark.parametrize("name", ["index", "hip-movements", "pelvic-tilt", "hip-flexors", "hip-extensors",
                                  "rotation", "gripping", "poses", "hamstring-strength"])
def test_axe_finds_no_serious_violation_on_answered_self_checks(visit, axe, name):
    page = visit(f"book/{name}.html", screenshot=False).page
    assert _answer_every_self_check(page) > 0
    assert page.locator(".coursekit-sc-answer.coursekit-sc-shown").count() > 0
    result = axe(page, f"self-checks-answered-{name}")
    assert result.blocking == {}, f"{name}: see {result.saved}"


@pytest.mark.parametrize("name", WIDGET_PAGES)
def test_axe_finds_no_serious_violation_on_widgets_before_and_after_use(visit, axe, name):
    page = visit(f"book/{name}.html", screenshot=False).page
    page.locator(".jupyter-widgets").first.wait_for(state="visible", timeout=20000)
    static = axe(page, f"widgets-static-{name}")
    assert static.blocking == {}, f"{name} (as loaded): see {static.saved}"
    used = 0
    handles = page.locator(".jupyter-widgets [role=slider]")
    for i in range(handles.count()):
        handle = handles.nth(i)
        assert page.evaluate("el => document.getElementById(el.getAttribute('aria-labelledby'))?.textContent.trim()",
                             handle.element_handle()), f"{name}: slider {i} has no label"
        before = handle.get_attribute("aria-valuenow")
        handle.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        if handle.get_attribute("aria-valuenow") == before:  # at the top of its range
            page.keyboard.press("Home")
        assert handle.get_attribute("aria-valuenow") != before, f"{name}: slider {i} did not move"
        used += 1
    toggles = page.locator(".jupyter-widgets button.widget-toggle-button, .jupyter-widgets .widget-toggle-buttons button")
    for i in range(min(toggles.count(), 3)):
        before = toggles.nth(i).get_attribute("class")
        toggles.nth(i).focus()
        page.keyboard.press("Space")
        page.wait_for_timeout(100)
        assert toggles.nth(i).get_attribute("class") != before, f"{name}: toggle {i} did not change"
        used += 1
    selects = page.locator(".jupyter-widgets select")
    for i in range(selects.count()):
        selects.nth(i).select_option(index=selects.nth(i).locator("option").count() - 1)
        used += 1
    assert used > 0, f"{name}: no widget control found"
    live = axe(page, f"widgets-used-{name}")
    assert live.blocking == {}, f"{name} (after use): see {live.saved}"
