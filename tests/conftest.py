"""Shared fixtures: the built book, a local server for it, and a headless Chromium.

Fixtures other test files can use:

* ``book_build`` -> :class:`BookBuild` (html dir, build log, exit code, warnings);
  the book is built once per test run, also under pytest-xdist (a file lock makes
  the other workers wait and reuse it). ``COURSEKIT_REUSE_BOOK=1`` reuses the site
  from ``make book`` (``_build/html``) when it is newer than every source.
* ``built_book`` -> the html directory (``Path``).
* ``book_server`` -> base URL (``http://127.0.0.1:<port>/``) serving the built book.
* ``browser_page`` -> a Playwright page that records ``page.requests`` (every URL),
  ``page.console_errors`` and ``page.failed_requests``.
* ``visit`` -> ``visit("book/index.html") -> VisitReport``: opens a page of the book,
  lets scripts settle, saves a screenshot to ``test-artifacts/screenshots/`` and
  reports requests off the local host, console errors and images without alt text.
* ``screenshots`` -> ``test-artifacts/screenshots/`` (created), for extra screenshots.
  (Use the fixtures rather than ``from conftest import ...``: with several conftest.py
  files in tests/, the module named ``conftest`` may not be this one.)
* ``--update-goldens``: rewrite ``tests/goldens/`` instead of comparing (see ``tests/goldens.py``).
* ``toc_page``: a test that takes this argument runs once per page a reader can open
  (every file in ``_toc.yml`` plus Sphinx's index and search pages), e.g. ``"book/index.html"``.

Browser tests are skipped (with the reason) only when ``/usr/bin/chromium`` is absent;
``make test`` installs it with apt-get when it can.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from coursekit.sphinx.pdf import SETTLE_JS
from filelocks import file_lock, shared_dir

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
BOOK_SOURCES = ("_config.yml", "_toc.yml", "book", "src/coursekit")
CHROMIUM = Path(os.environ.get("COURSEKIT_CHROMIUM", "/usr/bin/chromium"))
# The tests work on the instructor's side: the course's graded keys (assignments/bank/)
# are loaded, in this process and in the kernels and graders it starts. tests/keys/
# builds a student's environment without them.
os.environ.setdefault("COURSEKIT_BANK_PATH", str(Path(__file__).resolve().parents[1] / "assignments" / "bank"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-domain-reliability", "--no-pings",
]
# A Sphinx/docutils problem line: "path:line: WARNING: ..." or "WARNING: ..." (not the
# "[IPKernelApp] WARNING | ..." notices a kernel prints to its own stderr).
WARNING_RE = re.compile(r"(?:^|\s)(WARNING|ERROR|SEVERE|CRITICAL):\s")
ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")
# Pages Sphinx generates on its own; they are checked in the browser too.
GENERATED_PAGES = ("genindex.html", "search.html")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="rewrite the golden files in tests/goldens/ instead of comparing with them")


# ----------------------------------------------------------------------------- the book


@dataclass(frozen=True)
class BookBuild:
    """One build of the course site."""

    html_dir: Path
    log: str
    returncode: int
    reused: bool = False

    @property
    def warnings(self) -> list[str]:
        """Sphinx warnings and errors from the build log (ANSI colours stripped)."""
        return [line for line in ANSI_RE.sub("", self.log).splitlines() if WARNING_RE.search(line)]

    @property
    def succeeded(self) -> bool:
        return self.returncode == 0 and "build succeeded" in ANSI_RE.sub("", self.log)

    def pages(self) -> list[Path]:
        """Built pages of the book (from _toc.yml) plus Sphinx's generated pages."""
        return [self.html_dir / p for p in toc_pages()]


def toc_docnames() -> list[str]:
    """Docnames listed in ``_toc.yml`` (root first), e.g. ``book/index``."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    names = [toc["root"]]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "file" in node:
                names.append(str(node["file"]))
            for key in ("parts", "chapters", "sections"):
                for child in node.get(key, []) or []:
                    walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(toc)
    return [re.sub(r"\.(md|ipynb|rst)$", "", n) for n in names]


def toc_pages() -> list[str]:
    """HTML paths, relative to the html dir, of every page a reader can open."""
    return [f"{name}.html" for name in toc_docnames()] + list(GENERATED_PAGES)


def _newest_source_mtime() -> float:
    newest = 0.0
    for entry in BOOK_SOURCES:
        path = ROOT / entry
        files = [path] if path.is_file() else path.rglob("*")
        for f in files:
            if f.is_file() and "__pycache__" not in f.parts:
                newest = max(newest, f.stat().st_mtime)
    return newest


def _reusable_make_build() -> BookBuild | None:
    """The ``make book`` site, if COURSEKIT_REUSE_BOOK=1 and it is newer than every source."""
    html, log = ROOT / "_build" / "html", ROOT / "_build" / "book-build.log"
    if os.environ.get("COURSEKIT_REUSE_BOOK") != "1" or not (html / "index.html").is_file() or not log.is_file():
        return None
    if log.stat().st_mtime < _newest_source_mtime():
        return None
    text = log.read_text(encoding="utf-8", errors="replace")
    return BookBuild(html, text, 0 if "build succeeded" in ANSI_RE.sub("", text) else 1, reused=True)


def build_book(output: Path) -> BookBuild:
    """Build the book from the repository root into ``output/_build/html``."""
    output.mkdir(parents=True, exist_ok=True)
    bindir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    cmd = [str(bindir / "jupyter-book"), "build", str(ROOT), "--all", "-W", "-n", "--keep-going",
           "--path-output", str(output)]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    log = proc.stdout + proc.stderr
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "book-build.log").write_text(log, encoding="utf-8")
    return BookBuild(output / "_build" / "html", log, proc.returncode)


def _run_id() -> str:
    """Same for every xdist worker of one run, different between runs."""
    return os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"single-{os.getpid()}-{uuid.uuid4().hex}"


@pytest.fixture(scope="session")
def book_build(tmp_path_factory: pytest.TempPathFactory) -> BookBuild:
    """The course site, built once per test run (shared between xdist workers)."""
    reused = _reusable_make_build()
    if reused is not None:
        return reused
    shared = shared_dir(tmp_path_factory)
    out, stamp = shared / "coursekit-book", shared / "coursekit-book.json"
    with file_lock(shared / "coursekit-book.lock"):
        if stamp.is_file():
            data = json.loads(stamp.read_text(encoding="utf-8"))
            if data["run"] == _run_id():
                return BookBuild(Path(data["html_dir"]), data["log"], data["returncode"])
        build = build_book(out)
        stamp.write_text(json.dumps({"run": _run_id(), "html_dir": str(build.html_dir), "log": build.log,
                                     "returncode": build.returncode}), encoding="utf-8")
        return build


@pytest.fixture(scope="session")
def built_book(book_build: BookBuild) -> Path:
    """The html directory of the built book (fails with the log tail if nothing was built)."""
    if not (book_build.html_dir / "index.html").is_file():
        tail = "\n".join(book_build.log.splitlines()[-40:])
        pytest.fail(f"the book did not build (exit {book_build.returncode}); end of the log:\n{tail}")
    return book_build.html_dir


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize ``toc_page`` with every page of the book (read from ``_toc.yml``)."""
    if "toc_page" in metafunc.fixturenames:
        metafunc.parametrize("toc_page", toc_pages())


# ----------------------------------------------------------------------------- server


class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".woff2": "font/woff2", ".woff": "font/woff",
                      ".js": "text/javascript", ".svg": "image/svg+xml"}

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


@pytest.fixture(scope="session")
def book_server(built_book: Path) -> Iterator[str]:
    """Base URL of the built book served on 127.0.0.1 (a free port) from a thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(built_book)))
    thread = threading.Thread(target=server.serve_forever, name="book-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# ----------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright (one per xdist worker)."""
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is not installed and could not be installed "
                    "(run `make test` as root, or `apt-get install chromium`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _record(page: Any) -> Any:
    """Attach ``requests``, ``console_errors`` and ``failed_requests`` lists to *page*."""
    page.requests, page.console_errors, page.failed_requests = [], [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("console", lambda msg: page.console_errors.append(f"{msg.text} @ {msg.location.get('url', '')}")
            if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page.console_errors.append(f"uncaught: {exc}"))
    page.on("requestfailed", lambda request: page.failed_requests.append(f"{request.url} ({request.failure})"))
    page.on("response", lambda response: page.failed_requests.append(f"{response.url} (HTTP {response.status})")
            if response.status >= 400 else None)
    return page


@pytest.fixture
def browser_context(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def browser_page(browser_context: Any) -> Any:
    """A fresh page that records every request URL and console error."""
    return _record(browser_context.new_page())


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """The folder browser tests save screenshots in (``test-artifacts/screenshots/``)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@dataclass
class VisitReport:
    """What happened when a page of the book was opened."""

    url: str
    page: Any
    requests: list[str]
    console_errors: list[str]
    failed_requests: list[str]
    images_without_alt: list[str]
    screenshot: Path | None
    host: str = ""
    requests_off_host: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.host = urlsplit(self.url).netloc
        self.requests_off_host = [u for u in self.requests if not _is_local(u, self.host)]

    @property
    def problems(self) -> dict[str, list[str]]:
        """Everything that should be empty on a healthy, offline page."""
        found = {"requests off host": self.requests_off_host, "console errors": self.console_errors,
                 "failed requests": self.failed_requests, "images without alt": self.images_without_alt}
        return {k: v for k, v in found.items() if v}


def _is_local(url: str, host: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.netloc == host


_NO_ALT_JS = "() => Array.from(document.images).filter(i => !(i.getAttribute('alt') || '').trim()).map(i => i.src)"


def _screenshot_path(path: str, label: str) -> Path:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{path}-{label}".strip("-")).strip("-").lower()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{slug}.png"


@pytest.fixture
def visit(book_server: str, browser_context: Any, request: pytest.FixtureRequest) -> Callable[..., VisitReport]:
    """``visit(path, screenshot=True) -> VisitReport`` for a page of the built book."""
    label = re.sub(r"\[.*\]$", "", request.node.name)

    def _visit(path: str, *, screenshot: bool = True) -> VisitReport:
        page = _record(browser_context.new_page())
        url = urljoin(book_server, path)
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        page.evaluate(SETTLE_JS)
        page.wait_for_load_state("networkidle")
        shot = None
        if screenshot:
            shot = _screenshot_path(path, label)
            page.screenshot(path=str(shot), full_page=True)
        return VisitReport(url, page, list(page.requests), list(page.console_errors), list(page.failed_requests),
                           page.evaluate(_NO_ALT_JS), shot)

    return _visit
