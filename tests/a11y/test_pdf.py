"""``make pdf``: the whole course in one PDF, with every chapter, figure caption,
self-check question (answers collected at the end) and the bibliography."""

from __future__ import annotations

import re
import unicodedata

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from coursekit import bank
from coursekit.sphinx import pdf

from .conftest import ROOT

pytestmark = [pytest.mark.book, pytest.mark.browser]


_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


def squash(text: str) -> str:
    """Text as compared: ligatures undone, straight quotes (Sphinx curls them), no whitespace
    (line breaks differ on paper)."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "").translate(_QUOTES)
    return re.sub(r"\s+", "", text)


def toc_titles() -> list[str]:
    """The first heading of every page in _toc.yml, in reading order."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [c["file"] for c in part.get("chapters", [])]
    titles = []
    for name in files:
        source = (ROOT / f"{name}.md").read_text(encoding="utf-8")
        title = re.search(r"^# (.+)$", source, re.M)
        assert title is not None, f"{name}.md has no '# ' title line"
        titles.append(title.group(1).strip())
    return titles


@pytest.fixture(scope="module")
def printed(course_pdf):
    reader = PdfReader(str(course_pdf.pdf))
    footer = re.compile(r"^.*page \d+ of \d+\s*$", re.M)   # each page's footer line
    text = "\n".join(footer.sub("", page.extract_text() or "") for page in reader.pages)
    page = BeautifulSoup(pdf.printable_page(course_pdf.single).read_text(encoding="utf-8"), "html.parser")
    return reader, squash(text), page


def test_the_pdf_has_a_page_count_that_fits_the_course(printed):
    reader, _, _ = printed
    chapters = len(toc_titles())
    assert chapters * 3 <= len(reader.pages) <= 300
    first = reader.pages[0].extract_text()
    assert "page 1 of" in first                      # numbered footer
    assert reader.outline, "chapters are bookmarked"


def test_every_chapter_title_is_printed_in_reading_order(printed):
    _, text, _ = printed
    at, positions = 0, {}
    for title in toc_titles():
        where = text.find(squash(title), at)
        assert where >= 0, f"chapter {title!r} is missing or out of order"
        positions[title] = at = where
    assert len(positions) == len(toc_titles())


def test_every_figure_caption_is_printed(printed):
    _, text, page = printed
    captions = [c.get_text(" ", strip=True) for c in page.select("figure figcaption")]
    assert len(captions) >= 15
    missing = [c[:60] for c in captions if squash(c) not in text]
    assert missing == []
    assert len(page.select("figure img")) == len(captions)


def test_self_check_questions_are_printed_and_answers_collected_at_the_end(printed):
    _, text, page = printed
    boxes = page.select(".coursekit-selfcheck")
    assert len(boxes) >= 20
    end = text.rfind(squash("Answers to the self-checks"))   # the heading (notes name it too)
    assert end > text.find(squash("References")) > 0, "the answers come after the last chapter"
    body, answers = text[:end], text[end:]
    for n, box in enumerate(boxes, start=1):
        qid = box.select_one("form")["data-question"]
        q = bank.question(qid)
        title = squash(f"Self-check: {q.title}") if q.title else squash("Self-check")
        assert title in body, qid
        assert squash(f"Answer: self-check {n} in") in body, qid
        assert squash(f"{n}. Self-check") in answers, qid
        if q.kind == "number":
            assert squash(f"Answer: {q.expected:g}") in answers, qid
        if q.kind in ("choice", "multichoice"):
            right = next(o for o in q.options if o.correct)
            assert squash(right.text.rstrip("."))[:50] in answers, qid
    # no buttons on paper: "Show answer" is printed only where the lessons' prose says it
    article = page.select_one("article") or page
    for buttons in article.select(".coursekit-sc-buttons"):
        buttons.decompose()
    assert text.count("Showanswer") == squash(article.get_text(" ")).count("Showanswer") < len(boxes)


def test_the_bibliography_is_printed(printed):
    _, text, page = printed
    entries = [c.get_text(" ", strip=True) for c in page.select(".citation p")]
    assert len(entries) >= 10
    missing = [e[:60] for e in entries if squash(e)[:60] not in text]
    assert missing == []


def test_a_missing_build_is_reported_with_the_folder_and_the_fix(tmp_path):
    from coursekit.errors import PrintError

    with pytest.raises(PrintError, match=r"no single-page book.*make pdf"):
        pdf.printable_page(tmp_path)


def test_pages_are_rendered_as_pictures_for_review(course_pdf, printed):
    """The first pages and the answers, as PNG in ``test-artifacts/pdf/`` (pdftoppm)."""
    import shutil
    import subprocess

    from PIL import Image

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    reader, _, _ = printed
    out = ROOT / "test-artifacts" / "pdf"
    out.mkdir(parents=True, exist_ok=True)
    last = len(reader.pages)
    for first, name in ((1, "start"), (last - 2, "answers")):
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", str(first), "-l", str(first + 2), str(course_pdf.pdf),
                        str(out / name)], check=True, timeout=120)
    shots = sorted(out.glob("start-*.png")) + sorted(out.glob("answers-*.png"))
    assert len(shots) == 6
    for shot in shots:
        image = Image.open(shot).convert("L")
        assert image.size[1] > image.size[0]                         # A4 portrait
        darkest = image.getextrema()[0]                             # one band ("L"): (min, max)
        assert isinstance(darkest, int | float) and darkest < 100, f"{shot.name} is blank"  # some dark text on it
