"""Handling what a student controls: files, notebooks, HTML and text.

Everything in a submission is hostile until proven otherwise. These helpers are the one
place the grader turns student-controlled input into something it may read, render or
print:

- :mod:`~coursekit.untrusted.files` reads only regular files, never follows a link and
  bounds every read (size, depth, number of entries);
- :mod:`~coursekit.untrusted.notebooks` validates and normalises a notebook with
  nbformat, with caps on size, cells and outputs, before anything else looks at it;
- :mod:`~coursekit.untrusted.html` sanitises outputs and markdown the way Jupyter treats
  an untrusted notebook, and adds a Content-Security-Policy to every page we write;
- :mod:`~coursekit.untrusted.text` strips control characters before text reaches a
  terminal.
"""

from __future__ import annotations

from coursekit.untrusted.files import Refused, read_regular, walk_regular
from coursekit.untrusted.html import CSP, add_csp, sanitize_fragment, sanitize_notebook
from coursekit.untrusted.notebooks import Limits, normalise_notebook
from coursekit.untrusted.text import for_terminal

__all__ = [
    "CSP", "Limits", "Refused", "add_csp", "for_terminal", "normalise_notebook", "read_regular",
    "sanitize_fragment", "sanitize_notebook", "walk_regular",
]
