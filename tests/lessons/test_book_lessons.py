"""The built lesson pages: objectives, figures with alt text, self-check markup, data, citations."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from coursekit import anatomy, bank
from coursekit.sphinx import reference, selfcheck
from html_nodes import attr, one, string

pytestmark = pytest.mark.book

BOOK = Path(__file__).resolve().parents[2] / "book"
CHAPTERS = {  # page -> objectives chapter
    "index": "welcome", "hip-movements": "hip-movements", "pelvic-tilt": "pelvic-tilt",
    "hip-flexors": "hip-flexors", "hip-extensors": "hip-extensors", "rotation": "rotation",
    "gripping": "gripping", "poses": "poses", "hamstring-strength": "hamstring-strength",
}
REQUIRED_REFERENCES = ["Gudmestad", "Delp", "Neumann", "Day", "Preece", "Herrington", "Skyrme",
                       "Kang", "Lewis", "Roach", "Kouyoumdjian", "Kaminoff", "Clippinger", "Suits"]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def page(built_book: Path, name: str) -> BeautifulSoup:
    return soup(built_book / "book" / f"{name}.html")


def text_of(el) -> str:
    return " ".join(el.get_text(" ", strip=True).split())


@pytest.mark.parametrize("name", sorted(CHAPTERS))
def test_chapter_opens_with_its_learning_objectives(built_book, name):
    doc = page(built_book, name)
    box = doc.select_one("article .coursekit-objectives")
    assert box is not None
    first = one(doc, "article section > *:not(h1):not(span)")
    assert "coursekit-objectives" in (first.get("class") or [])
    ids = re.findall(r"\(([a-z-]+\.\d+)\)", text_of(box))
    assert ids == [oid for oid, ch, _ in reference.objectives() if ch == CHAPTERS[name]]


@pytest.mark.parametrize("name", sorted(CHAPTERS))
def test_chapter_has_a_figure_with_alt_text_and_a_caption(built_book, name):
    figures = page(built_book, name).select("figure.coursekit-figure")
    assert figures
    for fig in figures:
        img = one(fig, "img")
        assert len(attr(img, "alt").strip()) > 40
        assert attr(img, "src").startswith("data:image/png;base64,")
        assert fig.figcaption and text_of(fig.figcaption).startswith("Figure")


@pytest.mark.parametrize("name", sorted(CHAPTERS))
def test_chapter_self_checks_are_rendered_with_their_keys(built_book, name):
    doc = page(built_book, name)
    source = (BOOK / f"{name}.md").read_text(encoding="utf-8")
    wanted = re.findall(r"^```\{selfcheck\}\s+(\S+)", source, re.M)
    forms = doc.select("form.coursekit-sc-form")
    assert [f["data-question"] for f in forms] == wanted and wanted
    for form in forms:
        payload = json.loads(string(one(form, "script.coursekit-sc-data")))
        assert payload == json.loads(json.dumps(selfcheck.question_payload(bank.question(attr(form, "data-question")))))
    scripts = [attr(s, "src", "") for s in doc.find_all("script")]
    assert any("coursekit-selfcheck.js" in s for s in scripts)


@pytest.mark.parametrize("name", [n for n in CHAPTERS if n != "index"])
def test_lesson_has_a_try_it_box_and_cites_sources(built_book, name):
    doc = page(built_book, name)
    assert doc.select(".coursekit-try")
    assert doc.select("a[href*='references.html#id']") or doc.select("span.cite, a.reference.internal[href*='references']")


def test_rendered_muscle_tables_equal_the_data(built_book):
    doc = page(built_book, "hip-extensors")
    extensors = anatomy.muscles_with(hip=["extension"])
    table = doc.select("table.dataframe")[0]
    rows = {one(r, "th").get_text(strip=True): [td.get_text(strip=True) for td in r.select("td")] for r in table.select("tbody tr")}
    assert list(rows) == extensors
    for name in extensors:
        m = anatomy.muscle(name)
        assert rows[name][:2] == [m.origin, m.insertion]
        assert rows[name][2] == ", ".join(a.label for a in anatomy.Action if a in m.hip_actions)


def test_flexor_table_and_landmark_table_equal_the_data(built_book):
    doc = page(built_book, "hip-flexors")
    rows = {one(r, "th").get_text(strip=True): [td.get_text(strip=True) for td in r.select("td")]
            for r in doc.select("table.dataframe")[0].select("tbody tr")}
    for name in ["iliopsoas", "rectus femoris", "tensor fasciae latae", "sartorius"]:
        assert rows[name][:2] == [anatomy.muscle(name).origin, anatomy.muscle(name).insertion]
    marks = anatomy.landmarks().set_index("name")
    rows = {one(r, "th").get_text(strip=True): [td.get_text(strip=True) for td in r.select("td")]
            for r in page(built_book, "pelvic-tilt").select("table.dataframe")[0].select("tbody tr")}
    assert list(rows) == list(marks.index)
    for name, row in rows.items():
        assert row[2] == marks.loc[name, "description"]


def test_muscle_reference_page_has_a_section_per_muscle_with_the_data(built_book):
    doc = page(built_book, "muscles")
    sections = {text_of(s.h3).rstrip("#").strip(): s for s in doc.select("section section section") if s.h3}
    assert list(sections) == anatomy.muscle_names()
    for name, section in sections.items():
        m = anatomy.muscle(name)
        facts = {text_of(dt): text_of(dd) for dt, dd in zip(section.select("dl > dt"), section.select("dl > dd"))}
        assert facts["Origin"] == " ".join(m.origin.split())
        assert facts["Insertion"] == " ".join(m.insertion.split())
        assert facts["Nerve"] == m.innervation
    toc = text_of(doc.select_one(".bd-toc"))
    assert "Hamstrings" in toc and "Deep external rotators" in toc


def test_references_list_the_required_sources_and_the_column(built_book):
    doc = page(built_book, "references")
    text = text_of(doc.select_one("article"))
    for author in REQUIRED_REFERENCES:
        assert author in text, author
    assert "Ask The Teacher: Should My Glutes Be Tight in Backbends?" in text and "28 August 2007" in text
    assert "The Gripping Truth" in text and text.count("Gudmestad") == 1  # the 2002 text is the same column


def test_glossary_terms_are_linked_from_the_lessons(built_book):
    links = [a for name in CHAPTERS for a in page(built_book, name).select("a[href*='glossary.html#term-']")]
    assert len({attr(a, "href").split("#")[1] for a in links}) >= 20


def test_disagreements_are_stated_on_the_pages(built_book):
    stated = {
        "rotation": ["iliopsoas", "adductor", "piriformis", "deep six"],
        "pelvic-tilt": ["neutral"],
        "hip-movements": ["30°", "7°"],
    }
    for name, words in stated.items():
        boxes = " ".join(text_of(b) for b in page(built_book, name).select(".coursekit-disputed, .coursekit-measured"))
        for word in words:
            assert word.lower() in boxes.lower(), (name, word)
