"""Print the whole course as one PDF: Jupyter Book's single-page HTML, printed by Chromium.

``make pdf`` builds the book with the ``singlehtml`` builder (every page executed, as for
the site) and then runs::

    python -m coursekit.sphinx.pdf _build/singlehtml/index.html _build/pdf/course.pdf

which serves that folder on 127.0.0.1, opens it in headless Chromium (Debian's
``/usr/bin/chromium`` or ``$COURSEKIT_CHROMIUM``, driven by Playwright, the browser the
tests use; no LaTeX), waits for maths and widgets, collects the self-check answers
into an "Answers to the self-checks" section at the end (``coursekit-selfcheck.js``)
and prints with the site's print styles (``coursekit-a11y.css``): no navigation,
figures with their captions, each self-check with its question and a pointer to its
answer, and the bibliography.

>>> footer_template("coursekit")[:34]
'<div style="font-size:8px;width:10'
"""

from __future__ import annotations

import argparse
import contextlib
import os
import threading
from collections.abc import Iterator
from functools import partial
from html import escape
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from coursekit.errors import PrintError

__all__ = ["CHROMIUM", "footer_template", "main", "print_pdf"]

#: The browser that prints (the same one the browser tests drive).
CHROMIUM = Path(os.environ.get("COURSEKIT_CHROMIUM", "/usr/bin/chromium"))

_SETTLE_JS = """async () => {
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
  return window.coursekitSelfcheck ? window.coursekitSelfcheck.collectAnswers() : -1;
}"""


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


def print_pdf(page: Path, output: Path, *, chromium: Path = CHROMIUM) -> int:
    """Print *page* (the single-page book) to *output*; returns the number of self-checks."""
    page, output = Path(page), Path(output)
    if not page.is_file():
        raise PrintError(f"{page}: no single-page book to print; build it first "
                         "(`jupyter-book build . --builder singlehtml`, or `make pdf`).")
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
            checks = int(tab.evaluate(_SETTLE_JS))
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
    """``python -m coursekit.sphinx.pdf PAGE OUTPUT``."""
    parser = argparse.ArgumentParser(prog="python -m coursekit.sphinx.pdf", description=__doc__.split("\n")[0])
    parser.add_argument("page", type=Path, help="the single-page book, e.g. _build/singlehtml/index.html")
    parser.add_argument("output", type=Path, help="the PDF to write, e.g. _build/pdf/course.pdf")
    args = parser.parse_args(argv)
    try:
        checks = print_pdf(args.page, args.output)
    except PrintError as err:
        parser.exit(1, f"coursekit: {err}\n")
    print(f"coursekit: wrote {args.output} ({checks} self-checks, answers at the end)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
