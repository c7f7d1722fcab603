"""Feedback pages as students get them: nbgrader's HTML, offline and inert.

Remote scripts and stylesheets (nbconvert's MathJax CDN) are removed, and the page gets
coursekit's Content-Security-Policy, which forbids every script: the student content in
it was sanitised before the page was rendered (:mod:`coursekit.untrusted.html`), and the
policy makes sure nothing a sanitiser missed can run in an instructor's browser.

>>> page = offline_html('<head></head><p>x</p><script src="https://cdnjs.example/mathjax.js"></script>')
>>> "mathjax" in page, "script-src 'none'" in page
(False, True)
"""

from __future__ import annotations

import re

__all__ = ["offline_html"]

_REMOTE = re.compile(r"""<script[^>]*\bsrc=["']https?://[^>]*>\s*</script>|<link[^>]*\bhref=["']https?://[^>]*>""", re.I)


def offline_html(page: str) -> str:
    """``page`` without network scripts and stylesheets, with the no-script policy in its head."""
    from coursekit.untrusted.html import add_csp

    return add_csp(_REMOTE.sub("", page))
