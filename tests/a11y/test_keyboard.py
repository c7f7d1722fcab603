"""The book without a mouse: Tab, Enter, Space and the arrow keys reach and work every
self-check, widget control, the search and the navigation, each with a visible focus ring."""

from __future__ import annotations

import pytest

from coursekit import bank

pytestmark = [pytest.mark.book, pytest.mark.browser]

# Where focus is and whether it can be seen: an outline or a box-shadow ring.
_FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const cs = getComputedStyle(el);
  const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) || cs.boxShadow !== 'none';
  const form = el.closest('form.coursekit-sc-form');
  return {tag: el.tagName, type: el.type || '', role: el.getAttribute('role') || '', cls: String(el.className),
          text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 60),
          href: el.getAttribute('href') || '', question: form ? form.dataset.question : '', ring: ring};
}"""


def tab_to(page, wanted, *, limit: int = 600, key: str = "Tab") -> dict:
    """Press Tab until ``wanted(focus)`` holds; every stop on the way must show its focus."""
    unseen = []
    for _ in range(limit):
        page.keyboard.press(key)
        focus = page.evaluate(_FOCUS_JS)
        if focus is None:
            continue
        if not focus["ring"]:
            unseen.append(focus)
        if wanted(focus):
            assert unseen == [], f"focus not visible on: {unseen}"
            return focus
    raise AssertionError(f"not reachable with {key} in {limit} presses")


def feedback(page, qid: str) -> tuple[str, str, str]:
    box = page.locator(f'form[data-question="{qid}"] .coursekit-sc-feedback')
    return box.get_attribute("class"), box.get_attribute("role"), box.inner_text()


def test_a_self_check_is_answered_checked_and_revealed_with_the_keyboard(visit):
    page = visit("book/rotation.html", screenshot=False).page
    qid = "lessons.rotation.iliopsoas"
    q = bank.question(qid)
    right = next(i for i, o in enumerate(q.options) if o.correct)
    tab_to(page, lambda f: f["question"] == qid and f["type"] == "radio")
    for _ in range(right):
        page.keyboard.press("ArrowDown")          # arrows move the choice within the group
    page.keyboard.press("Space")
    checked = page.locator(f'form[data-question="{qid}"] input:checked')
    assert checked.count() == 1 and checked.get_attribute("value") == q.options[right].key
    tab_to(page, lambda f: f["question"] == qid and "coursekit-sc-check" in f["cls"], limit=5)
    page.keyboard.press("Enter")
    classes, role, text = feedback(page, qid)
    assert "coursekit-sc-right" in classes and "Correct." in text
    assert role == "status"                        # announced by screen readers (polite live region)
    tab_to(page, lambda f: f["question"] == qid and "coursekit-sc-reveal" in f["cls"], limit=3)
    page.keyboard.press("Space")
    reveal = page.locator(f'form[data-question="{qid}"] .coursekit-sc-reveal')
    assert reveal.get_attribute("aria-expanded") == "true"
    answer = page.locator(f"#{reveal.get_attribute('aria-controls')}")
    assert answer.is_visible() and "Disputed" in answer.inner_text()


def test_a_number_self_check_is_typed_and_submitted_with_enter(visit):
    page = visit("book/hip-movements.html", screenshot=False).page
    qid = "lessons.hip-movements.sign"
    focus = tab_to(page, lambda f: f["question"] == qid and f["tag"] == "INPUT")
    assert focus["ring"]
    page.keyboard.type("20")
    page.keyboard.press("Enter")
    classes, _, text = feedback(page, qid)
    assert "coursekit-sc-wrong" in classes and "wrong sign" in text
    page.keyboard.press("Control+A")
    page.keyboard.type("-20")
    page.keyboard.press("Enter")
    classes, _, text = feedback(page, qid)
    assert "coursekit-sc-right" in classes and "Correct." in text


def test_a_widget_slider_moves_with_the_arrow_keys(visit):
    page = visit("book/widgets-offline.html", screenshot=False).page
    page.locator(".widget-slider").first.wait_for(state="visible", timeout=15000)
    readout = page.locator(".widget-readout").first
    before = int(readout.inner_text().replace("\u2212", "-"))
    focus = tab_to(page, lambda f: f["role"] == "slider")
    assert focus["ring"]
    handle = page.locator(".widget-slider [role=slider]").first
    value = lambda: float(handle.get_attribute("aria-valuenow"))  # noqa: E731
    page.keyboard.press("ArrowRight")
    step = value() - before
    assert step > 0, "ArrowRight did not move the slider"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(200)
    assert value() == before + 3 * step
    assert int(readout.inner_text().replace("\u2212", "-")) == before + 3 * step   # the readout follows
    page.keyboard.press("Home")
    assert value() == float(handle.get_attribute("aria-valuemin"))
    label = page.evaluate("el => document.getElementById(el.getAttribute('aria-labelledby')).textContent",
                          handle.element_handle())
    assert "Hip angle" in label


def test_a_kernel_free_exercise_is_driven_with_the_keyboard(visit):
    page = visit("book/gripping.html", screenshot=False).page
    select = page.locator(".jupyter-widgets select").last
    select.wait_for(state="visible", timeout=20000)
    image = page.locator(".jupyter-widgets img").last
    before = image.get_attribute("src")
    tab_to(page, lambda f: f["tag"] == "SELECT" and page.evaluate(
        "el => el === document.activeElement", select.element_handle()))
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)
    assert image.get_attribute("src") != before


def test_search_opens_from_the_keyboard_and_finds_a_muscle(visit):
    page = visit("book/index.html", screenshot=False).page
    tab_to(page, lambda f: "search-button" in f["cls"])
    page.keyboard.press("Enter")
    field = page.locator("#pst-search-dialog input[type=search], .search-button__wrapper input[type=search]").first
    field.wait_for(state="visible", timeout=5000)
    assert page.evaluate("() => document.activeElement.type") == "search"
    page.keyboard.type("piriformis")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search.html?q=piriformis*")
    page.locator("#search-results li").first.wait_for(timeout=15000)
    hrefs = [a.get_attribute("href") for a in page.locator("#search-results li a").all()]
    assert any("book/muscles.html" in h for h in hrefs)


def test_navigation_skips_to_content_and_goes_to_the_next_chapter(visit):
    page = visit("book/hip-movements.html", screenshot=False).page
    page.keyboard.press("Tab")
    first = page.evaluate(_FOCUS_JS)
    assert first["href"] == "#main-content" and first["ring"]   # the skip link comes first
    tab_to(page, lambda f: "right-next" in f["cls"])
    page.keyboard.press("Enter")
    page.wait_for_url("**/book/pelvic-tilt.html")
    assert "tilt" in page.locator("h1").first.inner_text().lower()
