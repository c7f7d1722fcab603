"""A second corpus: files that are not what they claim, malformed notebooks, active content.

One batch, honest students before and after the attackers (issue 12). Every attacker
gets at most its honest score, every honest student exactly its score, nothing a student
wrote is active in any HTML the grader writes, no control character reaches the
terminal, and no attacker costs the batch more than a few seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from coursekit.grading import GradeConfig, grade_assignment

from .factory import (
    ASSIGNMENT,
    correct_answers,
    honest_bookends,
    needs_bwrap,
    plan_problems,
    points_per_answer,
    release_nb,
    submit,
)

pytestmark = pytest.mark.nbgrader
MARK = "ckxss"  # every piece of active content below carries it, so a leak is easy to find

ACTIVE_ANSWER = f"""
from IPython.display import HTML, SVG, Javascript, display
display(HTML('<script>window.{MARK}=1</script><img src=x onerror="{MARK}()"><iframe srcdoc="<script>{MARK}()</script>"></iframe>'))
display(SVG('<svg xmlns="http://www.w3.org/2000/svg"><script>{MARK}()</script></svg>'))
display(Javascript('{MARK}()'))
display({{"text/html": '<a href="javascript:{MARK}()">x</a>', "text/plain": "x"}}, raw=True)
"""
ACTIVE_MARKDOWN = f'<img src=x onerror="{MARK}()"> [click](javascript:{MARK}()) <script>{MARK}()</script>'
ESCAPES = "\x1b]52;c;Y2thdHRhY2s=\x07\x1b[2J\x1b]0;owned\x07"


def filled(course: Path, answers: dict[str, str]) -> nbformat.NotebookNode:
    from scripted_submissions import fill

    return fill(release_nb(course), answers)


def write_corpus(course: Path) -> dict[str, tuple[str, float]]:
    """student -> (expectation, honest score); the attackers' tricks are in their files."""
    answers = correct_answers(course)
    full = sum(points_per_answer(course).values())
    plan = honest_bookends(course, "honest-correct", "honest-blank")

    # Files that are not what they claim.
    os.symlink(course / "source", course / "submitted" / "m-folder-link")          # the folder itself
    (course / "submitted" / "m-assignment-link").mkdir()
    os.symlink(course / "source" / ASSIGNMENT, course / "submitted" / "m-assignment-link" / ASSIGNMENT)
    folder = submit(course, "m-notebook-link", answers={}).parent
    (folder / "ps1.ipynb").unlink()
    os.symlink(course / "source" / ASSIGNMENT / "ps1.ipynb", folder / "ps1.ipynb")
    plan["m-notebook-link"] = ("failed", 0.0)
    folder = submit(course, "m-timestamp-pipe", answers=answers).parent
    (folder / "timestamp.txt").unlink()
    os.mkfifo(folder / "timestamp.txt")
    folder = submit(course, "m-timestamp-zero", answers=answers).parent
    (folder / "timestamp.txt").unlink()
    os.symlink("/dev/zero", folder / "timestamp.txt")
    folder = submit(course, "m-data-zero", answers=answers).parent
    os.symlink("/dev/zero", folder / "notes.txt")
    os.mkfifo(folder / "pipe.csv")
    deep = submit(course, "m-deep-folders", answers=answers).parent
    for _ in range(1200):
        deep = deep / "d"
        deep.mkdir()
    plan |= dict.fromkeys(("m-timestamp-pipe", "m-timestamp-zero", "m-data-zero", "m-deep-folders"), ("exact", full))

    # Malformed notebooks.
    nb = json.loads(json.dumps(filled(course, answers)))
    del next(c for c in nb["cells"] if c["cell_type"] == "code")["source"]
    submit(course, "m-cell-without-source", raw=json.dumps(nb).encode())
    many = filled(course, {})
    many.cells.extend(nbformat.v4.new_code_cell("1") for _ in range(20_000))
    submit(course, "m-twenty-thousand-cells", raw=json.dumps(many).encode())
    plan |= {"m-cell-without-source": ("at_most", full), "m-twenty-thousand-cells": ("failed", 0.0)}

    # Active content and terminal escapes.
    active = filled(course, answers)
    active.cells.append(nbformat.v4.new_code_cell(ACTIVE_ANSWER))  # a cell of the student's own
    active.cells.append(nbformat.v4.new_markdown_cell(ACTIVE_MARKDOWN))
    submit(course, "m-active-content", active)
    folder = submit(course, "m-escapes", answers={}).parent
    (folder / f"notes{ESCAPES}.txt").write_text("x")
    os.symlink("/etc/hostname", folder / f"link{ESCAPES}")
    plan |= {"m-active-content": ("exact", full), "m-escapes": ("exact", 0.0)}
    return plan


def config(course: Path) -> GradeConfig:
    return GradeConfig(course=course, assignment=ASSIGNMENT, cell_timeout=10, total_timeout=60, memory_mb=512,
                       feedback=True, progress=False)


def active_content(html: str) -> list[str]:
    """Every place the student's marker is live in ``html``."""
    soup = BeautifulSoup(html, "lxml")
    found = [f"<{t.name}>" for t in soup.find_all(["script", "iframe", "object", "embed", "svg"]) if MARK in str(t)]
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if MARK in text and (name.startswith("on") or name in ("href", "src", "srcdoc")):
                found.append(f"<{tag.name} {name}>")
    return found


@pytest.fixture
def deep_cleanup(course: Path) -> Iterator[None]:
    """shutil.rmtree (pytest's clean-up of old runs) recurses: remove the deep folders with rm."""
    yield
    subprocess.run(["rm", "-rf", str(course / "submitted" / "m-deep-folders")], check=False)


@needs_bwrap
def test_files_notebooks_and_content_that_attack_the_grader_change_no_honest_grade(course: Path, deep_cleanup: None) -> None:
    plan = write_corpus(course)
    said: list[str] = []
    summary = grade_assignment(config(course), echo=said.append)
    records = {r.student: r for r in summary.graded}
    assert sorted(records) == sorted(plan)  # the two linked folders are refused, not graded
    problems = plan_problems(plan, records)
    problems += [f"{s}: took {r.seconds} s" for s, r in records.items() if r.seconds > 20]
    assert problems == []
    text = "\n".join(said)
    assert "m-folder-link (a symbolic link" in text and "m-assignment-link (a symbolic link" in text
    assert not (course / "feedback" / "m-folder-link").exists() and not (course / "feedback" / "m-notebook-link").exists()
    assert "ps1.ipynb: a symbolic link" in records["m-notebook-link"].reason
    assert "20001 cells" in records["m-twenty-thousand-cells"].reason or "cells (limit" in records["m-twenty-thousand-cells"].reason
    assert any("a named pipe" in f for f in records["m-data-zero"].flags)
    assert any("deeper than" in f for f in records["m-deep-folders"].flags)
    for page in (course / "feedback").glob("*/ps1/ps1.html"):
        html = page.read_text(encoding="utf-8")
        assert active_content(html) == [], page
        assert "script-src 'none'" in html, page
    for notebook in (course / "autograded").glob("*/ps1/ps1.ipynb"):
        assert MARK not in json.dumps([o for c in nbformat.read(notebook, as_version=4).cells
                                       for o in c.get("outputs", []) if "application/javascript" in o.get("data", {})])
    report = (course / "coursekit-grades" / ASSIGNMENT / "report.html").read_text(encoding="utf-8")
    assert active_content(report) == [] and "script-src 'none'" in report


@needs_bwrap
def test_no_control_sequence_reaches_the_instructors_terminal(course: Path) -> None:
    folder = submit(course, "m-escapes", answers={}).parent
    (folder / f"notes{ESCAPES}.txt").write_text("x")
    os.symlink("/etc/hostname", folder / f"link{ESCAPES}")
    (course / "submitted" / f"bad{ESCAPES}").mkdir()
    (course / "submitted" / f"bad{ESCAPES}" / ASSIGNMENT).mkdir()
    done = subprocess.run([str(Path(sys.executable).parent / "coursekit"), "grade", ASSIGNMENT, "--course", str(course),
                           "--no-progress", "--no-feedback"], capture_output=True, text=True, check=False)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "m-escapes" in out and "bad" in out
    assert not [ch for ch in out if ch not in "\n\t" and (ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0)]
