"""Every page of the built book works in headless Chromium with no network but the local server."""

from __future__ import annotations

import pytest

from coursekit import anatomy

pytestmark = [pytest.mark.book, pytest.mark.browser]


def test_page_loads_offline_without_errors(visit, toc_page):
    report = visit(toc_page)
    assert report.requests, "the page made no request at all"
    assert report.problems == {}
    assert report.screenshot is not None and report.screenshot.stat().st_size > 5000


def test_slider_page_renders_a_live_slider_from_saved_state(visit):
    report = visit("book/widgets-offline.html")
    page = report.page
    slider = page.locator(".widget-slider")
    slider.first.wait_for(state="visible", timeout=15000)
    wheel = anatomy.pose("Wheel Pose")
    readout = page.locator(".widget-readout").first.inner_text().strip().replace("\u2212", "-")  # U+2212 minus
    assert readout == str(int(wheel.hip_angle_deg))
    assert "Hip angle" in page.locator(".widget-slider .widget-label").first.inner_text()
    assert wheel.english_name in page.locator(".widget-html").first.inner_text()
    assert page.locator(".widget-error").count() == 0
    assert report.problems == {}


def test_maths_is_typeset_by_the_bundled_mathjax(visit):
    report = visit("book/first-look.html")
    assert report.page.locator("mjx-container svg").count() >= 1
    assert any("coursekit-vendor/mathjax" in url for url in report.requests)
    assert report.problems == {}
