"""The book's pages are executed in parallel into jupyter-cache, and re-executed only when needed.

A small book in a temporary folder (with the course's own ``execute:`` settings) is built
with ``python -m coursekit.bookexec --build`` (what ``make book`` runs): a clean build
executes every page, a rebuild with nothing changed executes none, editing one page's
code executes that page only, a change in the library executes every page, and a page
whose cell raises fails the build, naming the page and the error. The tests' own build
of the course (``book_build``) executes every page (a fresh cache: nothing is reused).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any, cast

import nbformat
import pytest
import yaml

from coursekit import bookexec

ROOT = Path(__file__).resolve().parents[1]
ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")

PAGE = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# {title}

```{{code-cell}} ipython3
print({expr})
```
"""


def _course_execute_settings() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["execute"]


def make_book(root: Path, pages: dict[str, str]) -> Path:
    """A book with the course's execute settings and one page per (name -> printed expression)."""
    (root / "book").mkdir(parents=True, exist_ok=True)
    config = {"title": "mini", "author": "tests", "only_build_toc_files": True,
              "exclude_patterns": ["_build", "src", ".*"], "execute": _course_execute_settings(),
              "sphinx": {"extra_extensions": ["coursekit.sphinx.downloads", bookexec.GATE_EXTENSION]}}
    (root / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    names = list(pages)
    toc = {"format": "jb-book", "root": f"book/{names[0]}", "chapters": [{"file": f"book/{n}"} for n in names[1:]]}
    (root / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    for name, expr in pages.items():
        (root / "book" / f"{name}.md").write_text(PAGE.format(title=name, expr=expr), encoding="utf-8")
    (root / "src" / "coursekit").mkdir(parents=True, exist_ok=True)
    (root / "src" / "coursekit" / "facts.csv").write_text("muscle,action\ngluteus maximus,extension\n")
    return root


def build(root: Path) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "coursekit.bookexec", "--build", "--root", str(root)],
                          capture_output=True, text=True, timeout=600)
    return done.returncode, ANSI_RE.sub("", done.stdout + done.stderr)


def executed(log: str) -> list[str]:
    """Pages the parallel runner or the build itself executed, by file name."""
    pool = re.findall(r"^coursekit: +book/(\S+?)\.md: (?:ok|FAILED)", log, re.M)
    inline = re.findall(r"book/(\S+?)\.md: Executing notebook", log)
    return sorted(pool + inline)


def html_text(root: Path, name: str) -> str:
    return (root / "_build" / "html" / "book" / f"{name}.html").read_text(encoding="utf-8")


def downloaded_output(root: Path, name: str) -> str:
    """What the page's code printed, in the notebook its download button links."""
    assert f'href="../_sources/book/{name}.ipynb"' in html_text(root, name)
    nb = nbformat.read(root / "_build" / "html" / "_sources" / "book" / f"{name}.ipynb", as_version=4)
    return "".join(out.get("text", "") for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs)


def test_toc_files_lists_the_course_pages_root_first():
    files = bookexec.toc_files(ROOT)
    assert files[0] == ROOT / "book" / "index.md"
    assert ROOT / "book" / "pelvic-tilt.md" in files and all(f.is_file() for f in files)


def test_the_library_digest_follows_the_library_and_the_execute_settings(tmp_path):
    root = make_book(tmp_path, {"intro": "1"})
    first = bookexec.library_digest(root)
    (root / "src" / "coursekit" / "facts.csv").write_text("muscle,action\ngluteus maximus,extension,abduction\n")
    second = bookexec.library_digest(root)
    config = yaml.safe_load((root / "_config.yml").read_text())
    config["execute"]["timeout"] = 99
    (root / "_config.yml").write_text(yaml.safe_dump(config))
    assert len({first, second, bookexec.library_digest(root)}) == 3


@pytest.mark.book
def test_rebuilds_execute_only_the_pages_that_need_it(tmp_path):
    root = make_book(tmp_path, {"intro": "6 * 7", "lesson": "'hip' + 'extension'", "other": "2 ** 10"})

    code, log = build(root)
    assert code == 0, log[-3000:]
    assert executed(log) == ["intro", "lesson", "other"]
    assert "executing 3 of 3 pages on" in log and "(every page read: --all)" in log
    assert "42" in html_text(root, "intro") and "hipextension" in html_text(root, "lesson")
    # the outputs came from jupyter-cache; the downloadable notebook has them too
    assert downloaded_output(root, "intro") == "42\n" and downloaded_output(root, "lesson") == "hipextension\n"

    code, log = build(root)
    assert code == 0, log[-3000:]
    assert executed(log) == [] and "nothing changed since the last successful build" in log
    assert "Running Jupyter-Book" not in log and "42" in html_text(root, "intro")

    (root / "book" / "other.md").write_text((root / "book" / "other.md").read_text() + "\nMore text.\n")
    code, log = build(root)             # text only: no page executed, one page read again
    assert code == 0, log[-3000:]
    assert executed(log) == [] and "all 3 pages are up to date" in log
    assert "(only changed pages read)" in log and "More text." in html_text(root, "other")

    page = root / "book" / "lesson.md"
    page.write_text(page.read_text().replace("'hip' + 'extension'", "'hip' + ' flexion'"))
    code, log = build(root)
    assert code == 0, log[-3000:]
    assert executed(log) == ["lesson"]
    assert "hip flexion" in html_text(root, "lesson") and "42" in html_text(root, "intro")
    assert downloaded_output(root, "lesson") == "hip flexion\n" and downloaded_output(root, "intro") == "42\n"

    (root / "src" / "coursekit" / "facts.csv").write_text("muscle,action\niliacus,flexion\n")
    code, log = build(root)
    assert code == 0, log[-3000:]
    assert executed(log) == ["intro", "lesson", "other"] and "the library or the execute settings changed" in log


@pytest.mark.book
def test_a_page_whose_cell_raises_fails_the_build_and_says_where(tmp_path):
    root = make_book(tmp_path, {"intro": "1", "broken": "hip_angle_of('wheel pose')"})
    code, log = build(root)
    assert code != 0
    assert re.search(r"book/broken\.md: FAILED .*NameError: name 'hip_angle_of' is not defined", log), log[-3000:]
    # the build itself executes the page again and turns the failure into an error
    assert re.search(r"broken\.md.*Executing notebook failed", log), log[-3000:]
    assert "build succeeded" not in log

    code, log = build(root)             # still failing on the next run: a failed page is never cached
    assert code != 0 and executed(log).count("broken") >= 1 and "intro" not in executed(log)


@pytest.mark.book
def test_the_test_suite_build_executes_every_page(book_build):
    if book_build.reused:
        pytest.skip("COURSEKIT_REUSE_BOOK=1 reuses the site from `make book`")
    from myst_nb.core.read import myst_nb_reader_plugin

    log = ANSI_RE.sub("", book_build.log)
    pages = [p for p in bookexec.toc_files(ROOT) if p.suffix == ".md"]
    with_code = {p.stem for p in pages if any(c.cell_type == "code" for c in myst_nb_reader_plugin(str(p)).cells)}
    ran = set(re.findall(r"book/(\S+?)\.md: Executed notebook in", log))
    cached = set(re.findall(r"book/(\S+?)\.md: Using cached notebook", log))
    assert len(with_code) >= 10 and with_code <= ran
    # pages without code cells all hash alike: the first is "executed", the others share its record
    assert not cached & with_code


def test_the_sphinx_extension_rereads_the_pages_without_reexecuting_them(tmp_path):
    root = make_book(tmp_path, {"intro": "1"})
    (root / "src" / "coursekit" / "sphinx").mkdir()
    css = root / "src" / "coursekit" / "sphinx" / "site.css"
    css.write_text("body { color: black; }\n")
    library, site = bookexec.library_digest(root), bookexec.site_digest(root)
    css.write_text("body { color: #222; }\n")
    assert bookexec.library_digest(root) == library and bookexec.site_digest(root) != site


@pytest.mark.book
def test_a_page_whose_kernel_cannot_start_fails_alone(tmp_path):
    root = make_book(tmp_path, {"intro": "6 * 7", "odd": "1"})
    page = root / "book" / "odd.md"
    page.write_text(page.read_text().replace("name: python3", "name: no-such-kernel"))
    cache = bookexec.cache_folder(root)
    runs = {r.path.stem: r for r in bookexec.execute_pages(root, cache, log=lambda _: None)}
    assert runs["intro"].ok and not runs["odd"].ok
    assert "no-such-kernel" in runs["odd"].error
    code, log = build(root)             # the build names the page and fails; intro comes from the cache
    assert code != 0 and "intro" not in executed(log) and "build succeeded" not in log


def test_the_sources_digest_follows_every_file_a_build_reads(tmp_path):
    root = make_book(tmp_path, {"intro": "1", "lesson": "2"})
    (root / "book" / "references.bib").write_text("@book{a, title={Hip}}\n")
    first = bookexec.sources_digest(root)
    assert bookexec.sources_digest(root) == first                    # nothing changed: the build is skipped
    seen = {first}
    for path, text in [(root / "book" / "references.bib", "@book{a, title={Hips}}\n"),
                       (root / "book" / "_snippets" / "note.md", "A note.\n"),
                       (root / "book" / "lesson.md", (root / "book" / "lesson.md").read_text() + "\nMore.\n"),
                       (root / "_toc.yml", (root / "_toc.yml").read_text() + "\n"),
                       (root / "src" / "coursekit" / "facts.csv", "muscle,action\niliacus,flexion\n")]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        seen.add(bookexec.sources_digest(root))
    assert len(seen) == 6


def test_a_hub_address_given_at_build_time_rebuilds_the_site(tmp_path, monkeypatch):
    root = make_book(tmp_path, {"intro": "1"})
    monkeypatch.delenv("COURSEKIT_HUB_URL", raising=False)
    default = bookexec.sources_digest(root)
    monkeypatch.setenv("COURSEKIT_HUB_URL", "https://hub.example.edu")
    assert bookexec.sources_digest(root) != default   # the launch buttons change: never skipped


def test_sphinx_waits_for_the_executor_before_reading_pages(tmp_path, monkeypatch):
    import threading
    import time

    from coursekit.sphinx import execgate

    gate = tmp_path / "bookexec-pages-ready"
    monkeypatch.setenv(execgate.GATE_VARIABLE, str(gate))
    timer = threading.Timer(0.3, gate.touch)
    started = time.monotonic()
    timer.start()
    execgate.wait_for_pages(cast(Any, None), cast(Any, None), [])     # returns once the executor wrote the gate
    assert gate.exists() and time.monotonic() - started >= 0.25
    monkeypatch.delenv(execgate.GATE_VARIABLE)
    gate.unlink()
    execgate.wait_for_pages(cast(Any, None), cast(Any, None), [])     # any other build: no wait
