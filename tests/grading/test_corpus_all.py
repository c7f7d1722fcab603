"""Every corpus of issue 12 in one batch, on one warm worker, with honest students before and after.

The corpora are written separately (files and notebooks that are not what they claim and
active content: ``test_adversarial_files``; hidden-test thieves and honest students who write
magics: ``corpus_shell``; state that outlives a submission: ``corpus_isolation``) and each has
a test of its own. Here they meet in the one batch a course would grade: one worker serves
them all in name order, so every attacker runs in a worker that has already served honest
students and other attackers. Every honest student gets exactly its score, every attacker
at most its honest score, nothing hidden, secret or active reaches a file the grader writes,
and nothing reaches the terminal but printable text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from coursekit.grading import GradeConfig, grade_assignment
from coursekit.grading import records as rec

from . import corpus_isolation, corpus_shell
from .factory import ASSIGNMENT, needs_bwrap, plan_problems
from .test_adversarial_files import active_content
from .test_adversarial_files import write_corpus as write_files_corpus
from .test_hidden_tests import _written_text
from .test_isolation import printed, user_namespace_denied

pytestmark = pytest.mark.nbgrader


@pytest.fixture
def deep_cleanup(course: Path) -> Iterator[None]:
    """shutil.rmtree (pytest's clean-up of old runs) recurses: remove the deep folders with rm."""
    import subprocess

    yield
    subprocess.run(["rm", "-rf", str(course / "submitted" / "m-deep-folders")], check=False)


def merged_plan(course: Path) -> dict[str, tuple[str, float]]:
    """The three corpora's plans; a student id two corpora share must mean the same submission."""
    plan: dict[str, tuple[str, float]] = {}
    for write in (write_files_corpus, corpus_shell.write, corpus_isolation.write):
        part = write(course)
        clash = {s: (plan[s], e) for s, e in part.items() if s in plan and plan[s] != e}
        assert clash == {}, f"{write.__module__} reuses student ids with another meaning: {clash}"
        plan |= part
    return plan


@needs_bwrap
def test_all_corpora_in_one_batch_on_one_worker(course: Path, deep_cleanup: None) -> None:
    plan = merged_plan(course)
    assert len(plan) >= 35
    said: list[str] = []
    summary = grade_assignment(GradeConfig(course=course, assignment=ASSIGNMENT, cell_timeout=30, total_timeout=120,
                                           memory_mb=1024, workers=1, feedback=True, progress=False),
                               echo=said.append)
    records = {r.student: r for r in summary.graded}
    assert sorted(records) == sorted(plan)  # nothing stopped the batch, no honest student lost
    assert plan_problems(plan, records) == []
    assert all(r.status != rec.FAILED for s, r in records.items() if "honest" in s)

    written = _written_text(course)
    # hidden tests: no text of a hidden region anywhere the grader wrote or printed
    assert [t for t in corpus_shell.hidden_texts(course) if t in written + "\n".join(said)] == []
    # state between submissions: the scavenger found nothing, and no other student's token is in its files
    seen = printed(course, corpus_isolation.SCAVENGER)
    found = re.search(r"ckiso-found (\{.*\}) (\[.*\])", seen)
    assert found and all(n == 0 for n in json.loads(found.group(1)).values()), seen
    others = [t.split("-", 1)[1] for s, t in corpus_isolation.TOKENS.items() if s != corpus_isolation.SCAVENGER]
    scavenger_files = [course / "autograded" / corpus_isolation.SCAVENGER / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                       course / "feedback" / corpus_isolation.SCAVENGER / ASSIGNMENT / f"{ASSIGNMENT}.html"]
    assert [p for p in scavenger_files for t in others if t in p.read_text(encoding="utf-8")] == []
    user_namespace_denied(printed(course, corpus_isolation.USERNS_STUDENT))
    # active content: nothing live in any page the grader wrote
    pages = [*(course / "feedback").glob(f"*/{ASSIGNMENT}/{ASSIGNMENT}.html"),
             course / "coursekit-grades" / ASSIGNMENT / "report.html"]
    assert len(pages) >= len(plan) - 5
    assert [str(p) for p in pages if active_content(p.read_text(encoding="utf-8"))] == []
    # the terminal: printable text only
    echoed = "\n".join(said)
    assert [hex(ord(ch)) for ch in echoed if ch not in "\n\t" and (ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0)] == []
