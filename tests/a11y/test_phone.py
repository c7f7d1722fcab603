"""The book on a phone (390 px wide touch screen): no page scrolls sideways, self-checks
and widgets work by touch. Full-page screenshots are kept in ``test-artifacts/phone/``."""

from __future__ import annotations

import pytest

from coursekit import bank

from .conftest import PHONE, slug

pytestmark = [pytest.mark.book, pytest.mark.browser]

_WIDTHS_JS = """() => {
  const root = document.documentElement, limit = root.clientWidth + 1;
  const wide = Array.from(document.querySelectorAll('.bd-article *')).filter(el => {
    // an element wider than the screen, not inside a box that scrolls on its own
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX) && p !== root) return false;
    }
    return el.getBoundingClientRect().right > limit;
  }).slice(0, 5).map(el => el.tagName + '.' + el.className + ': ' + (el.textContent || '').trim().slice(0, 60));
  return {scroll: root.scrollWidth, client: root.clientWidth, wide: wide};
}"""


def test_no_page_scrolls_sideways_on_a_phone(phone, phone_shots, toc_page):
    page = phone(toc_page)
    widths = page.evaluate(_WIDTHS_JS)
    assert widths["client"] == PHONE["width"]
    assert widths["scroll"] <= widths["client"], f"{toc_page} is {widths['scroll']} px wide: {widths['wide']}"
    page.evaluate("() => window.scrollBy(200, 0)")
    assert page.evaluate("() => window.scrollX") == 0
    shot = phone_shots / f"{slug(toc_page)}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 5000
    assert page.errors == []


def test_self_checks_work_by_touch(phone, phone_shots):
    page = phone("book/rotation.html")
    qid = "lessons.rotation.iliopsoas"
    q = bank.question(qid)
    form = page.locator(f'form[data-question="{qid}"]')
    right = next(o.key for o in q.options if o.correct)
    option = form.locator("label.coursekit-sc-option", has=page.locator(f'input[value="{right}"]'))
    box = option.bounding_box()
    assert box["height"] >= 40 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    option.tap()
    assert form.locator(f'input[value="{right}"]').is_checked()
    check = form.locator(".coursekit-sc-check")
    assert check.bounding_box()["height"] >= 44
    check.tap()
    feedback = form.locator(".coursekit-sc-feedback")
    assert "coursekit-sc-right" in feedback.get_attribute("class") and "Correct." in feedback.inner_text()
    form.locator(".coursekit-sc-reveal").tap()
    assert page.locator(f"#{form.locator('.coursekit-sc-reveal').get_attribute('aria-controls')}").is_visible()
    form.scroll_into_view_if_needed()
    page.screenshot(path=str(phone_shots / "touch-self-check-answered.png"))

    page = phone("book/hip-extensors.html")
    qid = "lessons.hip-extensors.knee"
    form = page.locator(f'form[data-question="{qid}"]')
    form.locator(".coursekit-sc-input").tap()
    page.keyboard.type(", ".join(bank.question(qid).expected))
    form.locator(".coursekit-sc-check").tap()
    assert "Correct." in form.locator(".coursekit-sc-feedback").inner_text()


def test_a_widget_slider_moves_by_touch(phone, phone_shots):
    page = phone("book/pelvic-tilt.html")
    slider = page.locator(".jupyter-widgets.widget-slider").first
    slider.wait_for(state="visible", timeout=20000)
    slider.scroll_into_view_if_needed()
    whole = slider.bounding_box()
    assert whole["x"] >= 0 and whole["x"] + whole["width"] <= PHONE["width"], whole
    track = slider.locator(".noUi-target")
    handle = slider.locator("[role=slider]")
    box = track.bounding_box()
    assert box["width"] >= 150, "the slider's track is too short to use by touch"
    before = float(handle.get_attribute("aria-valuenow"))
    page.touchscreen.tap(box["x"] + box["width"] * 0.95, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)
    after = float(handle.get_attribute("aria-valuenow"))
    assert after > before
    handle_box = handle.bounding_box()
    assert handle_box["width"] >= 24 and handle_box["height"] >= 24   # WCAG 2.5.8 target size
    page.screenshot(path=str(phone_shots / "touch-widget-slider.png"))
