"""The book for every reader: accessible names, keyboard focus, phones and print.

Fixes made where the HTML is written, not by hiding audit rules:

* the theme's search and colour-mode buttons: overridden templates in ``theme_templates/``
  (first on the template path, before the themes' ``components/`` folders) whose accessible
  names match their visible text (axe ``label-content-name-mismatch``);
* myst-nb's "Show code cell source" toggles: the ``<summary>`` is named by its visible
  text instead of a different ``aria-label``;
* the bibliography: docutils writes each entry with the deprecated DPUB role
  ``doc-biblioentry`` inside ``role="list"``, so the list has no list items (axe
  ``aria-required-children``); entries here are ``role="listitem"``;
* ``coursekit-a11y.css``: a visible focus ring on every control, phone layout (no
  sideways scrolling at 390 px: long words wrap, wide tables and outputs scroll in their
  own box, widget labels stack above their controls), and print styles (no navigation,
  figures kept whole, self-check answers collected at the end);

>>> "search-button-field.html" in [p.name for p in THEME_TEMPLATES.iterdir()]
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.docutils import SphinxTranslator

__all__ = ["CSS_FILE", "THEME_TEMPLATES", "depart_citation", "setup", "visit_citation", "visit_hide_cell"]

#: Templates that override pydata-sphinx-theme / sphinx-book-theme components.
THEME_TEMPLATES = Path(__file__).parent / "theme_templates"
#: Focus, phone and print styles (in ``selfcheck_static/``, served from ``_static/``).
CSS_FILE = "coursekit-a11y.css"


def visit_citation(self: SphinxTranslator, node: nodes.citation) -> None:
    """A bibliography entry as a list item of a ``role="list"`` group."""
    if not isinstance(node.previous_sibling(), nodes.citation):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def depart_citation(self: SphinxTranslator, node: nodes.citation) -> None:
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), nodes.citation):
        self.body.append("</div>\n")


def visit_hide_cell(self: SphinxTranslator, node: nodes.Element) -> None:
    """myst-nb's collapsed code cell; the summary's name is the prompt a reader sees."""
    from html import escape

    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def depart_hide_cell(self: SphinxTranslator, node: nodes.Element) -> None:
    self.body.append("</details>\n")


def _configure(app: Sphinx, config: Config) -> None:
    """Put the theme overrides first on the template path."""
    templates = [str(p) for p in config.templates_path]
    if str(THEME_TEMPLATES) not in templates:
        config.templates_path = [str(THEME_TEMPLATES), *templates]


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the overrides (after myst-nb, whose node visitor is replaced)."""
    from myst_nb.sphinx_ import HideCodeCellNode

    app.setup_extension("myst_nb")
    app.add_node(HideCodeCellNode, override=True, html=(visit_hide_cell, depart_hide_cell))
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    app.connect("config-inited", _configure)
    app.add_css_file(CSS_FILE)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
