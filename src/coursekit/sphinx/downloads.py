"""Every lesson can be downloaded as an executed notebook (the theme's download button).

Two gaps stood between a reader and the executed ``.ipynb``:

* myst-nb writes each page as a notebook into ``_build/jupyter_execute/``; with
  ``execute_notebooks: force`` that notebook has the outputs (it was executed in place),
  but with ``cache`` a page whose outputs come from jupyter-cache is written *without*
  them (myst-nb merges the cached outputs into a copy it renders, and writes the
  original). :func:`restore_cached_outputs` writes the notebook again with the cached
  outputs and widget state, as soon as the page has been read.
* sphinx-book-theme offers the ``.ipynb`` in its download menu only when the page
  context has ``ipynb_source``, and it sets that (copying the notebook from
  ``jupyter_execute/`` into ``_sources/``) only while a launch button (Binder,
  JupyterHub, Colab...) is configured. :func:`offer_executed_notebook` does the same
  for every notebook page, whatever the launch settings, just before the theme builds
  its header buttons (priority 500 < 501).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

__all__ = ["executed_notebook", "offer_executed_notebook", "restore_cached_outputs", "setup"]

#: where myst-nb writes executed notebooks, beside the builder's output folder
OUTPUT_FOLDER = "jupyter_execute"


def executed_notebook(outdir: Path, docname: str) -> Path:
    """The notebook myst-nb wrote for *docname* (such as ``book/index``)."""
    return outdir.parent / OUTPUT_FOLDER / f"{docname}.ipynb"


def _needs_outputs(nb: Any) -> bool:
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    return bool(code) and not any(cell.get("outputs") for cell in code)


def restore_cached_outputs(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: give the page's written notebook the outputs it was rendered with."""
    config = getattr(app.env, "mystnb_config", None)
    if config is None or config.execution_mode != "cache":
        return
    path = executed_notebook(Path(app.outdir), app.env.docname)
    if not path.is_file():
        return
    import nbformat
    from jupyter_cache import get_cache

    nb = nbformat.read(path, as_version=4)
    if not _needs_outputs(nb):
        return
    try:
        _, merged = get_cache(config.execution_cache_path).merge_match_into_notebook(nb)
    except KeyError:            # not in the cache (the page failed): the page says so itself
        return
    nbformat.write(merged, path)


def offer_executed_notebook(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                            doctree: Any) -> None:
    """``html-page-context``: copy the page's executed notebook into ``_sources/`` and offer it."""
    if doctree is None or context.get("ipynb_source") or app.builder.format != "html":
        return
    if "kernelspec" not in app.env.metadata.get(pagename, {}):
        return
    source = executed_notebook(Path(app.outdir), pagename)
    if not source.is_file():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app: Sphinx) -> dict[str, Any]:
    """Register both hooks (the download one before the theme's header buttons, priority 501)."""
    app.connect("doctree-read", restore_cached_outputs)
    app.connect("html-page-context", offer_executed_notebook, priority=500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
