"""The {selfcheck}, {objectives} and {muscle-reference} directives in a small Sphinx project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.cmd.build import build_main

from coursekit import anatomy, bank
from coursekit.sphinx import reference, selfcheck
from html_nodes import attr, one, string

CONF = """
extensions = ["myst_parser", "coursekit.sphinx.selfcheck"]
myst_enable_extensions = ["colon_fence", "deflist"]
bibtex_bibfiles = []
html_theme = "basic"
"""


def build(tmp_path: Path, body: str) -> tuple[int, str, Path]:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    (src / "index.md").write_text("# Test page\n\n" + body, encoding="utf-8")
    log = tmp_path / "warnings.txt"
    code = build_main(["-q", "-b", "html", "-w", str(log), str(src), str(tmp_path / "out")])
    return code, log.read_text(encoding="utf-8"), tmp_path / "out"


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("selfcheck")
    body = ("```{objectives} rotation\n```\n\n"
            "```{selfcheck} lessons.rotation.external\n```\n\n"
            "```{selfcheck} lessons.gripping.measured\n```\n\n"
            "```{selfcheck} lessons.pelvic-tilt.compute\n```\n")
    code, warnings, out = build(tmp, body)
    assert code == 0 and warnings == "", warnings
    return out


def soup(out: Path) -> BeautifulSoup:
    return BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_a_selfcheck_renders_prompt_field_buttons_and_key(page):
    doc = soup(page)
    box = one(doc, "#sc-lessons-rotation-external-box")
    q = bank.question("lessons.rotation.external")
    assert q.prompt.split()[0] in box.get_text()
    form = one(box, "form.coursekit-sc-form")
    assert form["data-question"] == q.id
    assert form.select_one("textarea.coursekit-sc-input") is not None
    assert [b.get_text() for b in form.select("button")] == ["Check", "Show answer"]
    payload = json.loads(string(one(form, "script.coursekit-sc-data")))
    assert payload == json.loads(json.dumps(selfcheck.question_payload(q)))
    answer = one(box, ".coursekit-sc-answer").get_text()
    assert all(name in answer for name in q.expected)


def test_choice_options_render_as_inputs_with_their_keys(page):
    form = one(soup(page), 'form[data-question="lessons.gripping.measured"]')
    q = bank.question("lessons.gripping.measured")
    assert [i["value"] for i in form.select("input[type=checkbox]")] == [o.key for o in q.options]


def test_the_page_loads_the_selfcheck_script_style_and_name_data(page):
    doc = soup(page)
    scripts = [attr(s, "src", "") for s in doc.find_all("script")]
    assert any(s.startswith("_static/coursekit-selfcheck-data.js") for s in scripts)
    assert any(s.startswith("_static/coursekit-selfcheck.js") for s in scripts)
    assert any("coursekit-selfcheck.css" in attr(l, "href", "") for l in doc.find_all("link"))
    data = (page / "_static" / "coursekit-selfcheck-data.js").read_text(encoding="utf-8")
    assert data.startswith("window.COURSEKIT_NAMES = ")
    tables = json.loads(data.removeprefix("window.COURSEKIT_NAMES = ").rstrip().rstrip(";"))
    assert tables == json.loads(json.dumps(selfcheck.name_tables()))


def test_objectives_box_lists_the_chapter_objectives_in_order(page):
    box = one(soup(page), ".coursekit-objectives")
    items = [li.get_text(" ", strip=True) for li in box.select("li")]
    expected = [(oid, text) for oid, ch, text in reference.objectives() if ch == "rotation"]
    assert len(items) == len(expected)
    for item, (oid, text) in zip(items, expected):
        assert item.startswith(text) and item.endswith(f"({oid})")


def test_a_hidden_question_is_refused_with_its_id(tmp_path):
    hidden = next(q for q in bank.questions() if q.hidden)
    code, warnings, _ = build(tmp_path, f"```{{selfcheck}} {hidden.id}\n```\n")
    assert f"selfcheck '{hidden.id}' is a hidden (graded) question" in warnings


def test_an_unknown_question_is_reported_with_a_suggestion(tmp_path):
    code, warnings, _ = build(tmp_path, "```{selfcheck} lessons.rotation.externl\n```\n")
    assert "selfcheck 'lessons.rotation.externl'" in warnings
    assert "lessons.rotation.external" in warnings


def test_muscle_reference_has_one_section_per_muscle_with_the_data(tmp_path):
    code, warnings, out = build(tmp_path, "```{muscle-reference}\n```\n")
    assert warnings == ""
    doc = soup(out)
    titles = [h.get_text().rstrip("¶").strip() for h in doc.select("section section section > h3")]
    assert titles == anatomy.muscle_names()
    for section in doc.select("section section section"):
        name = one(section, "h3").get_text().rstrip("¶").strip()
        m = anatomy.muscle(name)
        facts = {dt.get_text(strip=True): dd.get_text(" ", strip=True) for dt, dd in
                 zip(section.select("dl > dt"), section.select("dl > dd"))}
        assert facts["Origin"] == " ".join(m.origin.split())
        assert facts["Insertion"] == " ".join(m.insertion.split())
        assert facts["Nerve"] == m.innervation
        assert facts["Hip actions"] == (", ".join(a.label for a in anatomy.Action if a in m.hip_actions) or "none")
        assert facts["Knee actions"] == (", ".join(a.label for a in anatomy.Action if a in m.knee_actions) or "none")
        for c in m.conditional:
            assert c.note in facts["Qualified and disputed actions"]
