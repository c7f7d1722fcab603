"""HTML from a student, made inert: sanitised content and a Content-Security-Policy.

A student's outputs and markdown cells reach the feedback page the instructor (and the
student) open, possibly on the course hub's own origin. Jupyter treats such a notebook as
*untrusted*: it renders HTML through a sanitiser and never runs its JavaScript. The
grader does the same before any page is written:

- :func:`sanitize_notebook` sanitises every markdown cell, raw cell and HTML or markdown
  output with `nh3 <https://nh3.readthedocs.io>`_ (the Rust ``ammonia`` sanitiser) and
  drops every output type that can carry code (JavaScript, SVG, widget views, unknown
  mime types), keeping the plain-text form;
- :func:`add_csp` puts a policy in the page's ``<head>`` that forbids every script,
  frame, form and remote load, so that anything a sanitiser ever missed cannot run.

>>> sanitize_fragment('<p onclick="steal()">hi<script>alert(1)</script></p>')
'<p>hi</p>'
>>> sanitize_fragment('<iframe srcdoc="&lt;script&gt;x()&lt;/script&gt;"></iframe><b class="ok">b</b>')
'<b class="ok">b</b>'
>>> "script-src 'none'" in add_csp("<html><head></head><body></body></html>")
True
"""

from __future__ import annotations

import copy
import functools
import re
from typing import Any

import nbformat
import nh3

__all__ = ["CSP", "add_csp", "sanitize_fragment", "sanitize_notebook", "SAFE_MIMES"]

#: The policy of every page coursekit writes from student content (feedback, reports).
CSP = ("default-src 'none'; script-src 'none'; object-src 'none'; frame-src 'none'; "
       "img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; "
       "base-uri 'none'; form-action 'none'")

#: Output mime types kept as they are (text and raster images cannot run code); HTML and
#: markdown are kept after sanitising; everything else is dropped.
SAFE_MIMES = frozenset({"text/plain", "image/png", "image/jpeg", "image/gif", "text/latex",
                        "application/vnd.coursekit.answer+json"})
_SANITISED_MIMES = frozenset({"text/html", "text/markdown"})

_TAGS = set(nh3.ALLOWED_TAGS) - {"a"} | {"a", "span", "div", "figure", "figcaption", "details", "summary"}
_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"class", "title", "lang", "dir", "role", "aria-label", "aria-hidden"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
}
_IMAGE_DATA = re.compile(r"^data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$")
_LINK = re.compile(r"^(?:https?:|mailto:|#)", re.I)


def _attribute(tag: str, name: str, value: str) -> str | None:
    if tag == "img" and name == "src":
        return value if _IMAGE_DATA.match(value) else None
    if tag == "a" and name == "href":
        return value if _LINK.match(value.strip()) else None
    return value


def sanitize_fragment(html: str) -> str:
    """``html`` with scripts, event handlers, frames, forms, styles and unsafe URLs removed."""
    return nh3.clean(str(html), tags=_TAGS, attributes=_ATTRIBUTES, attribute_filter=_attribute,
                     url_schemes={"http", "https", "mailto", "data"}, link_rel="noopener noreferrer nofollow",
                     strip_comments=True)


def markdown_as_safe_html(text: str) -> str:
    """Markdown rendered as nbconvert renders it, sanitised, as one line of HTML.

    A markdown link such as ``[x](javascript:...)`` only becomes HTML when rendered, so
    the markdown is rendered first and the HTML sanitised. The result is a single-line
    ``<div>`` (newlines become ``&#10;``), which a markdown renderer passes through as a raw
    HTML block without parsing it again.

    >>> markdown_as_safe_html("[x](javascript:alert(1)) *ok*")
    '<div class="coursekit-markdown"><p><a rel="noopener noreferrer nofollow">x</a> <em>ok</em></p>&#10;</div>'
    """
    # The instructor's markdown cells are the same in every submission: short texts are remembered.
    return _markdown_cached(text) if len(text) <= 20_000 else _markdown_as_safe_html(text)


def _markdown_as_safe_html(text: str) -> str:
    from nbconvert.filters import markdown2html

    html = sanitize_fragment(markdown2html(text))
    return '<div class="coursekit-markdown">' + html.replace("\r", "").replace("\n", "&#10;") + "</div>"


_markdown_cached = functools.lru_cache(maxsize=2048)(_markdown_as_safe_html)


def _clean_output(output: dict[str, Any]) -> dict[str, Any]:
    if output.get("output_type") not in ("display_data", "execute_result"):
        return output
    raw = output.get("data")
    data: dict[str, Any] = raw if isinstance(raw, dict) else {}
    kept: dict[str, Any] = {}
    for mime, value in data.items():
        if mime in SAFE_MIMES:
            kept[mime] = value
        elif mime in _SANITISED_MIMES:
            text = "".join(value) if isinstance(value, list) else str(value)
            kept["text/html"] = markdown_as_safe_html(text) if mime == "text/markdown" else sanitize_fragment(text)
    if not kept:
        kept["text/plain"] = "[output removed: it could run code in the reader's browser]"
    output["data"] = kept
    output["metadata"] = {}
    return output


def sanitize_notebook(nb: Any) -> Any:
    """A copy of ``nb`` fit to render for an instructor or student (see the module doc)."""
    nb = copy.deepcopy(nb)
    for cell in nb.get("cells", []):
        kind = cell.get("cell_type")
        if kind in ("markdown", "raw"):
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else str(source)
            cell["source"] = markdown_as_safe_html(text) if kind == "markdown" else sanitize_fragment(text)
            cell.pop("attachments", None)
            if kind == "raw":
                cell.get("metadata", {}).pop("raw_mimetype", None)
                cell.get("metadata", {}).pop("format", None)
        elif kind == "code":
            cell["outputs"] = [nbformat.from_dict(_clean_output(dict(o))) for o in cell.get("outputs", [])
                               if isinstance(o, dict)]
    if not isinstance(nb, nbformat.NotebookNode):
        return nbformat.from_dict(nb)
    # the copy is already made of NotebookNodes, but for dicts in lists (cells): those are converted
    nb["cells"] = [c if isinstance(c, nbformat.NotebookNode) else nbformat.from_dict(c) for c in nb.get("cells", [])]
    return nb


def add_csp(page: str, policy: str = CSP) -> str:
    """``page`` with a Content-Security-Policy ``<meta>`` as the first element of ``<head>``."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    match = re.search(r"<head\b[^>]*>", page, re.I)
    if match:
        return page[: match.end()] + meta + page[match.end():]
    return meta + page
