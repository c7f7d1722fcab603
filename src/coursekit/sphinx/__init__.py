"""The coursekit Sphinx extension, loaded by the book (``_config.yml``: ``sphinx: extra_extensions``).

It bundles two parts:

* :mod:`coursekit.sphinx.offline` (owner: infra): every script and font the built
  book needs is served from the book itself, never from a CDN;
* :mod:`coursekit.sphinx.selfcheck` (owner: lessons): the ``{selfcheck}`` directive
  that renders a question-bank question with immediate, static feedback;
* :mod:`coursekit.sphinx.a11y` (owner: a11y): accessible names the theme gets wrong,
  focus rings, phone and print styles.
"""

from __future__ import annotations

import importlib
from typing import Any

from sphinx.application import Sphinx

__all__ = ["setup"]

#: Sub-extensions loaded by :func:`setup`, as (module, required); each module
#: defines ``setup(app)``. Add a part here; an optional part may be absent.
PARTS: tuple[tuple[str, bool], ...] = (
    ("coursekit.sphinx.offline", True),
    # --- lessons: {selfcheck} (which also loads coursekit.sphinx.reference) -------
    ("coursekit.sphinx.selfcheck", True),
    # --- a11y: theme fixes, focus/phone/print styles, no placeholder links ----------
    ("coursekit.sphinx.a11y", True),
)


def _part_missing(module: str, err: ModuleNotFoundError) -> bool:
    """True when *module* itself is absent (not one of its imports)."""
    return err.name == module


def setup(app: Sphinx) -> dict[str, Any]:
    """Load every part of the extension; a missing optional part is skipped."""
    for module, required in PARTS:
        try:
            part = importlib.import_module(module)
        except ModuleNotFoundError as err:
            if required or not _part_missing(module, err):
                raise
            continue
        part.setup(app)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
