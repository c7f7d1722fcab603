"""Every figure of the built book has alt text that says what the figure shows: not its
caption repeated, not its title, but a description (what is drawn, and the values).

Checked on the static pages and on the pictures inside the saved widget state.
"""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

from html_nodes import attr, string

pytestmark = [pytest.mark.book]

#: A description names what is drawn and what it shows: at least this many words.
MIN_WORDS = 15
#: Words of a description (what is drawn) at least one of which every alt text uses.
DRAWN = re.compile(r"\b(view|views|figure|figures|grid|chart|bar|bars|diagram|drawing|line|lines|arc|"
                   r"seen|shows|shown|marked|mark|stick|pelvis|thigh|hip|muscles?)\b", re.I)


def words(text: str) -> list[str]:
    return re.findall(r"[\w°%']+", text.lower())


def _figures(html: str) -> list[tuple[str, str]]:
    """(alt, caption) of each <img> in *html*; caption '' when the image has none."""
    doc = BeautifulSoup(html, "html.parser")
    out = []
    for img in doc.find_all("img"):
        if attr(img, "src", "").endswith((".svg", ".ico")) or "logo" in " ".join(img.get_attribute_list("class")):
            continue
        figure = img.find_parent("figure")
        cap = figure.find("figcaption") if figure else None
        out.append((attr(img, "alt", "").strip(), cap.get_text(" ", strip=True) if cap else ""))
    return out


def _widget_figures(html: str) -> list[tuple[str, str]]:
    doc = BeautifulSoup(html, "html.parser")
    out = []
    for script in doc.find_all("script", type="application/vnd.jupyter.widget-state+json"):
        state = json.loads(string(script))
        for model in state.get("state", {}).values():
            value = model.get("state", {}).get("value")
            if isinstance(value, str) and "<img" in value:
                out += _figures(value)
    return out


def _caption_core(caption: str) -> str:
    return re.sub(r"^Figure\s+[\d.]+\s*", "", caption).strip()


def check(alt: str, caption: str) -> list[str]:
    """What is wrong with one image's alt text ([] when it describes the figure)."""
    problems = []
    if len(words(alt)) < MIN_WORDS:
        problems.append(f"only {len(words(alt))} words")
    core = _caption_core(caption)
    if core and (alt.lower() == core.lower() or set(words(alt)) <= set(words(core))):
        problems.append("repeats the caption")
    first = re.split(r"(?<=[.:;])\s", core, maxsplit=1)[0] if core else ""
    if first and alt.lower().startswith(first.lower().rstrip(".")):
        problems.append("starts with the caption's title instead of describing")
    if not DRAWN.search(alt):
        problems.append("does not say what is drawn")
    return problems


def test_the_checker_rejects_titles_and_captions():
    caption = "Figure 2.1. Hip angles measured from the line that continues the trunk."
    assert check("Hip angles", caption)
    assert check("Hip angles measured from the line that continues the trunk.", caption)
    assert check("A figure.", "")
    assert check("Side views of 4 stick figures facing right, each with the hip angle marked by an arc "
                 "from the line of the trunk: standing 0°, leg back 15° extension.", caption) == []


def test_every_figure_on_a_page_has_descriptive_alt_text(built_book):
    seen, bad = 0, {}
    for page in sorted(built_book.glob("book/*.html")):   # only _toc.yml pages are built
        for i, (alt, caption) in enumerate(_figures(page.read_text(encoding="utf-8"))):
            seen += 1
            problems = check(alt, caption)
            if problems:
                bad[f"{page.name} image {i + 1}"] = (problems, alt[:100])
    assert seen >= 15, "the book should have its figures"
    assert bad == {}


def test_every_widget_picture_has_descriptive_alt_text(built_book):
    seen, bad = 0, {}
    for page in sorted(built_book.glob("book/*.html")):
        for i, (alt, caption) in enumerate(_widget_figures(page.read_text(encoding="utf-8"))):
            seen += 1
            problems = check(alt, caption)
            if problems:
                bad[f"{page.name} widget image {i + 1}"] = (problems, alt[:100])
    assert seen >= 8, "each exercise draws its view and its kernel-free pictures"
    assert bad == {}
