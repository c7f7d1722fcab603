"""Sphinx starts while the pages are still being executed, and waits before reading them.

``python -m coursekit.bookexec --build`` (``make book``) starts ``jupyter-book build``
at once, with ``COURSEKIT_BOOKEXEC_GATE`` naming a file, and executes the pages that
need it meanwhile. Sphinx's start-up (imports, extensions, the pickled environment, the
bibliography) takes a few seconds of one core: it overlaps the execution, and Sphinx
waits for the file before it reads any page (``env-before-read-docs``), so that it
finds every output in jupyter-cache. Without the variable (any other build) this part
does nothing.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError

__all__ = ["GATE_VARIABLE", "setup", "wait_for_pages"]

GATE_VARIABLE = "COURSEKIT_BOOKEXEC_GATE"
#: the longest wait: a page may take this long (many cells at the course's 120 s limit)
LIMIT_S = 3600.0


def wait_for_pages(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: wait until the executor says the pages are in the cache."""
    gate = os.environ.get(GATE_VARIABLE)
    if not gate:
        return
    parent, started = os.getppid(), time.monotonic()
    while not Path(gate).exists():
        if os.getppid() != parent:
            raise ExtensionError(f"coursekit: the page executor stopped before writing {gate}")
        if time.monotonic() - started > LIMIT_S:
            raise ExtensionError(f"coursekit: waited {LIMIT_S:.0f} s for the page executor ({gate})")
        time.sleep(0.05)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the wait (it does nothing unless ``COURSEKIT_BOOKEXEC_GATE`` is set)."""
    app.connect("env-before-read-docs", wait_for_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
