"""The benchmark scripts' tables and verdicts (no timing: the machine may be busy).

``make bench`` runs ``benchmarks/book.py``, ``benchmarks/grading.py`` and
``benchmarks/widgets.py``; here their reporting is checked on known numbers, and the
book benchmark's one-lesson edit is checked to change a page's code (so that jupyter-cache
re-executes exactly that page). tests/widgets/test_benchmark_smoke.py runs the widget
benchmark itself for a few iterations; tests/grading runs the grading one in ``--smoke``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"coursekit_bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_book_table_gives_shares_of_the_clean_build_and_flags_missed_targets():
    book = _load("book")
    steps = [book.Step("before: force, serial, --all", 60.0, 30.0, 15, 0),
             book.Step("clean (empty cache)", 40.0, 55.0, 15, 0),
             book.Step("one page edited (book/pelvic-tilt.md)", 8.0, 6.0, 1, 0),
             book.Step("no change", 4.0, 2.0, 0, 0)]
    text = book.table(steps)
    assert "| 20%" in text and "| 10%" in text and "| 100%" in text
    rows = {line.split(" | ")[0].strip(): [c.strip() for c in line.split(" | ")] for line in text.splitlines()[2:]}
    assert rows["clean (empty cache)"][3:5] == ["<= 45 s", "yes"]
    assert rows["one page edited (book/pelvic-tilt.md)"][3:5] == ["<= 25% of clean", "yes"]
    assert rows["no change"][3:5] == ["<= 15% of clean", "yes"]
    assert rows["before: force, serial, --all"][3:5] == ["-", "-"]
    slow_text = book.table([book.Step("clean (empty cache)", 50.0, 55.0, 15, 0), book.Step("no change", 8.0, 2.0, 0, 0)])
    slow = {line.split(" | ")[0].strip(): [c.strip() for c in line.split(" | ")] for line in slow_text.splitlines()[2:]}
    assert slow["clean (empty cache)"][3:5] == ["<= 45 s", "NO"] and slow["no change"][3:5] == ["<= 15% of clean", "NO"]
    assert book.verdict(steps) == []
    slow = steps[:2] + [book.Step("one page edited (x)", 12.0, 6.0, 2, 0), book.Step("no change", 7.0, 2.0, 0, 0)]
    assert book.verdict(slow) == ["one-page rebuild 30% of clean > 25%", "no-change rebuild 18% of clean > 15%",
                                  "one-page rebuild executed 2 pages, not 1"]


def test_book_benchmark_edits_the_code_of_one_cell_and_keeps_its_options(tmp_path):
    book = _load("book")
    page = tmp_path / "lesson.md"
    page.write_text("# Lesson\n\n```{code-cell} ipython3\n:tags: [hide-input]\nx = 1\n```\n\ntext\n")
    book.edit_code_cell(page)
    lines = page.read_text().splitlines()
    at = lines.index("```{code-cell} ipython3")
    assert lines[at + 1] == ":tags: [hide-input]" and lines[at + 2].startswith("# edited by benchmarks/book.py")
    assert lines[at + 3] == "x = 1"


def test_grading_table_reports_ratios_marginal_cost_and_identical_scores():
    grading = _load("grading")
    results = grading.Results(count=60, small=10, stock_grade=150.0, stock_feedback=30.0, mine_grades=6.0,
                              mine_whole=9.0, mine_small=4.0, stock_one_grade=8.0, stock_one_feedback=2.0,
                              mine_one=2.0, identical={"grades": "60/60", "whole": "60/60", "small": "10/10",
                                                       "one": "1/1"})
    text = results.text()
    assert "nbgrader autograde | 60" in text and "60/60" in text
    assert "| 25.0x" in text and "| 20.0x" in text and "| 5.0x" in text     # grades, whole job, one submission
    assert "coursekit 100 ms (10 vs 60)" in text                            # (9 - 4) s / 50 submissions
    assert "nbgrader 2881 ms (1 vs 60)" in text                             # (180 - 10) s / 59
    assert results.missed() == ["whole job 20.0x faster than stock < 30x",
                                "marginal cost 100 ms per submission > 50 ms"]
