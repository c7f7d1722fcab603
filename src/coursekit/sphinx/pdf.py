"""Print the whole course as one PDF: Jupyter Book's single-page HTML, printed by Chromium.

``make pdf`` builds the book with the ``singlehtml`` builder (every page executed, as for
the site) and then runs::

    python -m coursekit.sphinx.pdf _build/singlehtml _build/pdf/course.pdf

which serves that folder on 127.0.0.1, opens it in headless Chromium (Debian's
``/usr/bin/chromium`` or ``$COURSEKIT_CHROMIUM``, driven by Playwright, the browser the
tests use; no LaTeX), waits for maths and widgets, collects the self-check answers
into an "Answers to the self-checks" section at the end (``coursekit-selfcheck.js``)
and prints with the site's print styles (``coursekit-a11y.css``): no navigation,
figures with their captions, each self-check with its question and a pointer to its
answer, and the bibliography.

Sphinx writes the single page to ``<root_doc>.html`` (``book/index.html``) but links
its assets relative to the output folder (``_static/...``), so the page is printed from
a copy beside ``_static/`` (:func:`printable_page`).

>>> footer_template("coursekit")[:34]
'<div style="font-size:8px;width:10'
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import threading
from collections.abc import Iterator
from functools import partial
from html import escape
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from coursekit.errors import PrintError

__all__ = ["CHROMIUM", "PRINT_PAGE", "footer_template", "main", "print_pdf", "printable_page"]

#: The browser that prints (the same one the browser tests drive).
CHROMIUM = Path(os.environ.get("COURSEKIT_CHROMIUM", "/usr/bin/chromium"))

#: The copy of the single page that is printed (beside ``_static/``).
PRINT_PAGE = "coursekit-print.html"
_REFRESH = re.compile(r'http-equiv="Refresh"\s+content="0;\s*url=([^"]+)"', re.I)

#: Waits until MathJax has typeset, saved widgets have rendered and images have loaded
#: (the browser tests settle every page with it too).
SETTLE_JS = """async () => {
  if (window.MathJax && window.MathJax.startup && window.MathJax.startup.promise) {
    await window.MathJax.startup.promise;
  }
  if (document.querySelector('script[type="application/vnd.jupyter.widget-view+json"]')) {
    const t0 = Date.now();
    while (!document.querySelector('.jupyter-widgets, .widget-error') && Date.now() - t0 < 30000) {
      await new Promise(r => setTimeout(r, 100));
    }
  }
  await Promise.all(Array.from(document.images).map(img => img.complete ? null :
    new Promise(r => { img.onload = img.onerror = r; })));
}"""
_COLLECT_ANSWERS_JS = "() => window.coursekitSelfcheck ? window.coursekitSelfcheck.collectAnswers() : -1"


def footer_template(title: str) -> str:
    """Chromium's page footer: the course title and "page n of N"."""
    return (f'<div style="font-size:8px;width:100%;padding:0 12mm;display:flex;justify-content:space-between;'
            f'color:#555"><span>{escape(title)}</span><span>page <span class="pageNumber"></span> of '
            f'<span class="totalPages"></span></span></div>')


class _Quiet(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript",
                      ".woff2": "font/woff2", ".svg": "image/svg+xml"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@contextlib.contextmanager
def _serve(folder: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def printable_page(folder: Path) -> Path:
    """The single-page book of the ``singlehtml`` output *folder*, as a file beside ``_static/``.

    Follows Jupyter Book's redirecting ``index.html`` to the page Sphinx wrote.
    """
    folder = Path(folder)
    index = folder / "index.html"
    if not index.is_file() or not (folder / "_static").is_dir():
        raise PrintError(f"{folder}: no single-page book to print (no index.html and _static/); build it "
                         "first (`jupyter-book build . --builder singlehtml`, or `make pdf`).")
    page = index
    redirect = _REFRESH.search(index.read_text(encoding="utf-8", errors="replace")[:2000])
    if redirect:
        page = folder / redirect.group(1)
        if not page.is_file():
            raise PrintError(f"{index} redirects to {redirect.group(1)}, which is missing.")
    if page.parent == folder:
        return page
    copy = folder / PRINT_PAGE
    copy.write_text(page.read_text(encoding="utf-8"), encoding="utf-8")
    return copy


def print_pdf(folder: Path, output: Path, *, chromium: Path = CHROMIUM) -> int:
    """Print the single-page book in *folder* to *output*; returns the number of self-checks."""
    page, output = printable_page(folder), Path(output)
    if not chromium.is_file():
        raise PrintError(f"{chromium}: Chromium not found; install Debian's chromium "
                         "or point COURSEKIT_CHROMIUM at a Chromium or Chrome binary.")
    from playwright.sync_api import sync_playwright

    output.parent.mkdir(parents=True, exist_ok=True)
    with _serve(page.parent) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        try:
            tab = browser.new_page(viewport={"width": 1100, "height": 1400})
            tab.goto(base + page.name, wait_until="load")
            tab.wait_for_load_state("networkidle")
            tab.evaluate(SETTLE_JS)
            checks = int(tab.evaluate(_COLLECT_ANSWERS_JS))
            if checks < 0:
                raise PrintError(f"{page}: coursekit-selfcheck.js did not load; was the book built "
                                 "with the coursekit.sphinx extension?")
            tab.emulate_media(media="print")
            title = tab.title().split(" \u2014 ")[0]
            tab.pdf(path=str(output), format="A4", print_background=True, outline=True, tagged=True,
                    margin={"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
                    display_header_footer=True, header_template="<span></span>",
                    footer_template=footer_template(title))
        finally:
            browser.close()
    return checks


def main(argv: list[str] | None = None) -> int:
    """``python -m coursekit.sphinx.pdf FOLDER OUTPUT``."""
    parser = argparse.ArgumentParser(prog="python -m coursekit.sphinx.pdf", description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="the singlehtml build, e.g. _build/singlehtml")
    parser.add_argument("output", type=Path, help="the PDF to write, e.g. _build/pdf/course.pdf")
    args = parser.parse_args(argv)
    try:
        checks = print_pdf(args.folder, args.output)
    except PrintError as err:
        parser.exit(1, f"coursekit: {err}\n")
    print(f"coursekit: wrote {args.output} ({checks} self-checks, answers at the end)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
