"""The course site builds cleanly, shows the data, and is self-contained (no CDN)."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from bs4 import BeautifulSoup
from myst_nb.core.config import ipywidgets_js_factory
from sphinx.errors import ExtensionError
from sphinx.ext.mathjax import MATHJAX_URL

from coursekit import anatomy, bookexec
from coursekit.sphinx import offline

book = pytest.mark.book
ROOT = Path(__file__).resolve().parents[1]

# Links a reader may click (repository, Binder) are fine; anything the browser would
# *load* by itself must come from the site.
LOADING_ATTRS = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src",
                 "audio": "src", "embed": "src", "object": "data", "track": "src"}
LOADING_LINK_RELS = {"stylesheet", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch", "icon",
                     "shortcut", "apple-touch-icon", "manifest"}
CSS_REMOTE_RE = re.compile(r"(?:@import\s+(?:url\()?|url\()\s*['\"]?(?:https?:)?//", re.I)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def html_pages(html_dir: Path) -> list[Path]:
    return sorted(p for p in html_dir.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


def table_rows(page: Path) -> list[list[str]]:
    """The row labels (first cell of each body row) of every rendered DataFrame on a page."""
    tables = soup(page).select("table.dataframe")
    return [[row.find(["th", "td"]).get_text(strip=True) for row in t.select("tbody tr")] for t in tables]


@book
def test_build_has_no_warnings(book_build):
    assert book_build.warnings == [], "the book build warned:\n" + "\n".join(book_build.warnings)
    assert book_build.succeeded, book_build.log[-3000:]


@book
def test_welcome_page_shows_every_muscle_that_crosses_the_hip(built_book):
    table = anatomy.muscles()
    expected = table.loc[table["crosses_hip"], "name"].tolist()
    assert expected, "the data has no hip muscles"
    assert expected in table_rows(built_book / "book" / "index.html")


@book
def test_a_lesson_page_shows_the_hip_extensors_table(built_book, book_build):
    extensors = anatomy.muscles_with(hip=["extension"])
    assert {"gluteus maximus", "semitendinosus"} <= set(extensors)
    lessons = [p for p in book_build.pages() if p.name not in {"index.html", "genindex.html", "search.html"}]
    with_table = [p for p in lessons if p.is_file() and extensors in table_rows(p)]
    assert with_table, f"no lesson page renders a table of exactly the hip extensors {extensors}"


@book
def test_every_toc_page_was_built(book_build, built_book):
    missing = [str(p.relative_to(built_book)) for p in book_build.pages() if not p.is_file()]
    assert missing == []


def _remote_loads(page: Path) -> list[str]:
    doc, found = soup(page), []
    for tag, attr in LOADING_ATTRS.items():
        found += [f"<{tag} {attr}={el[attr]}>" for el in doc.find_all(tag) if offline.is_remote(el.get(attr, ""))]
    for link in doc.find_all("link", href=True):
        if LOADING_LINK_RELS & {r.lower() for r in link.get("rel", [])} and offline.is_remote(link["href"]):
            found.append(f"<link rel={link.get('rel')} href={link['href']}>")
    for el in doc.find_all(attrs={"data-jupyter-widgets-cdn": True}):
        if offline.is_remote(el["data-jupyter-widgets-cdn"]):
            found.append(f"data-jupyter-widgets-cdn={el['data-jupyter-widgets-cdn']}")
    for style in doc.find_all("style"):
        found += [f"<style> {m.group(0)}" for m in CSS_REMOTE_RE.finditer(style.get_text())]
    for el in doc.find_all(style=True):
        found += [f"style= {m.group(0)}" for m in CSS_REMOTE_RE.finditer(el["style"])]
    return found


@book
def test_no_page_loads_anything_from_another_host(built_book):
    remote = {str(p.relative_to(built_book)): _remote_loads(p) for p in html_pages(built_book)}
    assert {k: v for k, v in remote.items() if v} == {}


@book
def test_no_stylesheet_imports_remote_fonts_or_css(built_book):
    remote = {}
    for css in (built_book / "_static").rglob("*.css"):
        hits = CSS_REMOTE_RE.findall(css.read_text(encoding="utf-8", errors="replace"))
        if hits:
            remote[str(css.relative_to(built_book))] = hits
    assert remote == {}


@book
def test_widget_scripts_come_from_the_site_and_only_on_widget_pages(built_book):
    with_state, with_requirejs = set(), set()
    for page in html_pages(built_book):
        doc = soup(page)
        name = str(page.relative_to(built_book))
        if doc.find("script", type="application/vnd.jupyter.widget-state+json"):
            with_state.add(name)
        srcs = [s["src"] for s in doc.find_all("script", src=True)]
        if any("require.js" in s for s in srcs):
            with_requirejs.add(name)
            assert any(f"coursekit-vendor/html-manager-{offline.HTML_MANAGER_VERSION}/embed-amd.js" in s
                       for s in srcs), name
    assert "book/widgets-offline.html" in with_state
    assert with_requirejs == with_state


@book
def test_vendored_assets_are_copied_into_the_site(built_book):
    static = built_book / "_static"
    for rel in [*offline.widget_scripts(), offline.MATHJAX_PATH]:
        assert (static / rel).stat().st_size > 1000 or rel.endswith("coursekit-widgets.js"), rel
    fonts = sorted(p.suffix for p in (static / f"coursekit-vendor/html-manager-{offline.HTML_MANAGER_VERSION}").iterdir())
    assert ".woff2" in fonts


@book
def test_every_image_has_alt_text(built_book):
    missing = {}
    for page in html_pages(built_book):
        bad = [img.get("src", "")[:80] for img in soup(page).find_all("img") if not (img.get("alt") or "").strip()]
        if bad:
            missing[str(page.relative_to(built_book))] = bad
    assert missing == {}


@book
def test_every_lesson_can_be_downloaded_as_an_executed_notebook(built_book):
    """The theme's download menu offers each notebook page as a .ipynb with its outputs."""
    notebook = built_book / "_sources" / "book" / "index.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code and all(cell.outputs for cell in code), "a code cell of the downloaded notebook has no output"
    html_outputs = [out["data"]["text/html"] for cell in code for out in cell.outputs if "text/html" in out.get("data", {})]
    assert any("gluteus maximus" in text for text in html_outputs)  # the executed muscle table
    button = soup(built_book / "book" / "index.html").select_one("a.btn-download-notebook-button")
    assert button is not None and button["href"] == "../_sources/book/index.ipynb"
    pages = [p for p in bookexec.toc_files(ROOT) if p.suffix == ".md"]
    missing = [p.stem for p in pages if not (built_book / "_sources" / "book" / f"{p.stem}.ipynb").is_file()]
    assert len(pages) >= 10 and missing == []


def test_offline_config_swaps_every_cdn_default_for_a_vendored_file():
    config = SimpleNamespace(html_static_path=["_static"], nb_ipywidgets_js=ipywidgets_js_factory(),
                             mathjax_path=MATHJAX_URL)
    offline.configure_offline(None, config)
    assert config.html_static_path == ["_static", str(offline.STATIC_DIR)]
    assert list(config.nb_ipywidgets_js) == [
        "coursekit-vendor/requirejs-2.3.8/require.js",
        "coursekit-vendor/coursekit-widgets.js",
        "coursekit-vendor/html-manager-1.0.15/embed-amd.js",
    ]
    assert config.mathjax_path == "coursekit-vendor/mathjax-3.2.2/tex-svg-full.js"
    assert all((offline.STATIC_DIR / p).is_file() for p in [*config.nb_ipywidgets_js, config.mathjax_path])


def test_offline_config_keeps_a_local_choice_made_in_config_yml():
    mine = {"coursekit-vendor/requirejs-2.3.8/require.js": {}}
    config = SimpleNamespace(html_static_path=[], nb_ipywidgets_js=dict(mine),
                             mathjax_path="coursekit-vendor/mathjax-3.2.2/tex-svg-full.js")
    offline.configure_offline(None, config)
    assert config.nb_ipywidgets_js == mine
    assert config.mathjax_path == "coursekit-vendor/mathjax-3.2.2/tex-svg-full.js"


def test_a_missing_vendored_file_fails_the_build_with_the_fix():
    config = SimpleNamespace(html_static_path=[], nb_ipywidgets_js={"coursekit-vendor/gone.js": {}},
                             mathjax_path=MATHJAX_URL)
    with pytest.raises(ExtensionError, match=r"gone\.js.*make vendor"):
        offline.configure_offline(None, config)
