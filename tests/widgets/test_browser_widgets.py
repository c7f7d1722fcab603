"""Each exercise renders on its static book page: real controls, alt text, no kernel needed."""

from __future__ import annotations

import pytest

from coursekit.widgets import ActionFinder, FlexorLength, RotationBalance, TiltExplorer

pytestmark = [pytest.mark.browser, pytest.mark.book]

PAGES = {
    "pelvic-tilt": TiltExplorer,
    "hip-flexors": FlexorLength,
    "rotation": ActionFinder,
    "gripping": RotationBalance,
}


def _labels(widget_class) -> list[str]:
    return [c.description for c in widget_class().controls.values() if getattr(c, "description", "")]


@pytest.mark.parametrize("chapter", sorted(PAGES))
def test_exercise_renders_its_controls_from_saved_state(visit, chapter):
    report = visit(f"book/{chapter}.html")
    page = report.page
    widgets = page.locator(".jupyter-widgets")
    widgets.first.wait_for(state="visible", timeout=20000)
    page_text = page.locator("main").inner_text()
    for label in _labels(PAGES[chapter]):
        assert label.replace("  ", " ") in page_text, f"{chapter}: control {label!r} not rendered"
    images = page.locator(".jupyter-widgets img")
    assert images.count() >= 2, "the live view and the kernel-free view both show a figure"
    for i in range(images.count()):
        assert (images.nth(i).get_attribute("alt") or "").strip()
    assert page.locator(".widget-error").count() == 0
    assert report.problems == {}


def test_kernel_free_exercise_changes_picture_without_python(visit):
    report = visit("book/gripping.html", screenshot=False)
    page = report.page
    select = page.locator(".jupyter-widgets select").last
    select.wait_for(state="visible", timeout=20000)
    image = page.locator(".jupyter-widgets img").last
    before = image.get_attribute("src")
    options = select.locator("option")
    assert options.count() >= 2
    select.select_option(index=options.count() - 1)
    page.wait_for_timeout(500)
    assert image.get_attribute("src") != before
    assert report.problems == {}
