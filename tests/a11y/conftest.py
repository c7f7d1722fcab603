"""Helpers of the accessibility, phone, print and publish tests.

* ``axe`` -> ``axe(page, label) -> AxeReport``: injects the vendored axe-core
  (``vendor/axe-core-*/axe.min.js``, from npm; never a CDN) into an open page, runs
  the WCAG 2.1 A/AA rules and keeps the full result in ``test-artifacts/axe/<label>.json``.
* ``phone`` -> ``phone(path) -> page``: a page of the built book opened in a
  390 x 844 touch screen (a phone), scripts settled.
* ``phone_shots`` -> ``test-artifacts/phone/`` for the phone screenshots.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from coursekit.sphinx.pdf import SETTLE_JS

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE_VERSION = "4.14.1"
AXE_JS = Path(__file__).parent / "vendor" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
#: The rule sets the course site must meet: WCAG 2.0 and 2.1, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Impacts that fail a test.
BLOCKING = ("serious", "critical")
PHONE = {"width": 390, "height": 844}

_RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return {violations: result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 300),
                                    summary: n.failureSummary}))})),
          passes: result.passes.length, url: result.url, version: result.testEngine.version};
}"""

# The same settling the shared ``visit`` fixture does (MathJax, saved widget state).


@dataclass
class AxeReport:
    """The violations axe found on one page (all impacts), and where they are kept."""

    label: str
    violations: list[dict[str, Any]]
    version: str
    saved: Path

    @property
    def blocking(self) -> dict[str, list[str]]:
        """Serious and critical violations: rule id (impact) -> the offending elements."""
        return {f"{v['id']} ({v['impact']}): {v['help']}": [n["html"] for n in v["nodes"]]
                for v in self.violations if v["impact"] in BLOCKING}


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()


def run_axe(page: Any, label: str) -> AxeReport:
    """Run axe-core's WCAG 2.1 A/AA rules on *page*; keep the result as an artefact."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(_RUN_AXE, WCAG_TAGS)
    out = ARTIFACTS / "axe" / f"{slug(label)}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return AxeReport(label, result["violations"], result["version"], out)


@pytest.fixture
def axe() -> Callable[[Any, str], AxeReport]:
    """``axe(page, label) -> AxeReport`` (see :func:`run_axe`)."""
    return run_axe


@pytest.fixture(scope="session")
def phone_shots() -> Path:
    path = ARTIFACTS / "phone"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def phone_context(browser: Any) -> Iterator[Any]:
    """A phone-sized touch screen (390 px wide CSS viewport)."""
    context = browser.new_context(viewport=PHONE, screen=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, service_workers="block")
    try:
        yield context
    finally:
        context.close()


def open_page(context: Any, base: str, path: str) -> Any:
    """Open *path* of the built book in *context*, scripts and widgets settled."""
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.goto(urljoin(base, path), wait_until="load")
    page.wait_for_load_state("networkidle")
    page.evaluate(SETTLE_JS)
    page.wait_for_load_state("networkidle")
    return page


@pytest.fixture
def phone(book_server: str, phone_context: Any) -> Callable[[str], Any]:
    """``phone(path) -> page`` opened on the phone-sized touch screen."""
    return lambda path: open_page(phone_context, book_server, path)


@pytest.fixture
def desktop(book_server: str, browser_context: Any) -> Callable[[str], Any]:
    """``desktop(path) -> page`` opened at 1280 x 900 (the shared browser context)."""
    return lambda path: open_page(browser_context, book_server, path)


# ----------------------------------------------------------------------------- the PDF

BOOK_SOURCES = ("_config.yml", "_toc.yml", "book", "src/coursekit")


def _newest_source_mtime() -> float:
    newest = 0.0
    for entry in BOOK_SOURCES:
        path = ROOT / entry
        for f in [path] if path.is_file() else path.rglob("*"):
            if f.is_file() and "__pycache__" not in f.parts:
                newest = max(newest, f.stat().st_mtime)
    return newest


@dataclass(frozen=True)
class CoursePdf:
    """The printed course and the single-page HTML it was printed from."""

    pdf: Path
    single: Path


@pytest.fixture(scope="session")
def course_pdf(tmp_path_factory: pytest.TempPathFactory) -> CoursePdf:
    """The course as one PDF: ``make pdf``'s output when COURSEKIT_REUSE_BOOK=1 and it is
    newer than every source, else built here (singlehtml build, then printed)."""
    import os
    import subprocess
    import sys

    from coursekit.sphinx import pdf

    made, single = ROOT / "_build" / "pdf" / "course.pdf", ROOT / "_build" / "singlehtml"
    if (os.environ.get("COURSEKIT_REUSE_BOOK") == "1" and made.is_file()
            and made.stat().st_mtime > _newest_source_mtime()):
        return CoursePdf(made, single)
    if not pdf.CHROMIUM.is_file():
        pytest.skip(f"{pdf.CHROMIUM} is not installed; `make pdf` needs Chromium")
    out = tmp_path_factory.mktemp("coursekit-pdf")
    bindir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.run([str(bindir / "jupyter-book"), "build", str(ROOT), "--builder", "singlehtml", "-W", "-n",
                           "--keep-going", "--path-output", str(out)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=1800)
    single = out / "_build" / "singlehtml"
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    # Printed by `python -m coursekit.sphinx.pdf`, as `make pdf` does: a process of its own, so an
    # asyncio loop another test left on this worker cannot refuse Playwright's sync API.
    printed = subprocess.run([sys.executable, "-m", "coursekit.sphinx.pdf", str(single), str(out / "course.pdf")],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert printed.returncode == 0, (printed.stdout + printed.stderr)[-3000:]
    return CoursePdf(out / "course.pdf", single)
