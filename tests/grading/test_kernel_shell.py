"""The grading shell behaves like a kernel for what students normally write (issue 12).

Honest ps1 submissions whose answer cells use magics, shell commands, displays, figures,
stderr and ``input()`` score exactly their honest score, and the outputs recorded are what
ipykernel would show. The course's own ``Execute.timeout`` is the cell limit unless one
is given.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import nbformat
import pytest

from coursekit.grading import GradeConfig, grade_assignment
from coursekit.grading import records as rec

from . import corpus_shell
from .factory import ASSIGNMENT, correct_answers, needs_bwrap, points_per_answer, submit

pytestmark = pytest.mark.nbgrader


@pytest.fixture(scope="module")
def graded(released: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, rec.Record]]:
    import shutil

    course = tmp_path_factory.mktemp("kernel-shell") / "course"
    shutil.copytree(released, course)
    submit(course, "a-honest", answers=correct_answers(course))
    for student, answers in corpus_shell.magic_answers(course).items():
        submit(course, student, answers=answers)
    corpus_shell._submit_cells(course, "s-input", correct_answers(course), {corpus_shell.FIRST: ["name = input('Your name? ')"]})
    summary = grade_assignment(GradeConfig(course=course, assignment=ASSIGNMENT, cell_timeout=10, total_timeout=90,
                                           progress=False, feedback=False))
    return course, {r.student: r for r in summary.graded}


def _cell_outputs(course: Path, student: str, gid: str | None = None, source: str | None = None) -> list[dict[str, Any]]:
    nb = nbformat.read(course / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and (
        (gid and c.metadata.get("nbgrader", {}).get("grade_id") == gid) or (source and c.source == source)))
    return [dict(o) for o in cell.outputs]


def _stdout(outputs: list[dict[str, Any]], name: str = "stdout") -> str:
    return "".join(o["text"] for o in outputs if o["output_type"] == "stream" and o["name"] == name)


@needs_bwrap
def test_magic_users_score_exactly_their_honest_score(graded: tuple[Path, dict[str, rec.Record]]):
    course, records = graded
    full = sum(points_per_answer(course).values())
    assert {s: (r.status, r.score) for s, r in records.items()} == dict.fromkeys(records, ("ok", full))
    assert all(not any("error" in o["output_type"] for o in _cell_outputs(course, s, corpus_shell.FIRST))
               for s in records if s != "s-input")


@needs_bwrap
def test_matplotlib_inline_and_plt_show_give_png_images(graded: tuple[Path, dict[str, rec.Record]]):
    course, _ = graded
    first = _cell_outputs(course, "s-matplotlib", corpus_shell.FIRST)
    images = [o for o in first if o["output_type"] == "display_data" and "image/png" in o["data"]]
    assert len(images) == 1 and base64.b64decode(images[0]["data"]["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
    # a figure left open at the end of a cell is shown too, as the inline backend does in a kernel
    second = _cell_outputs(course, "s-matplotlib", corpus_shell.SECOND)
    assert [o["output_type"] for o in second if "image/png" in o.get("data", {})] == ["display_data"]


@needs_bwrap
def test_time_shell_pip_and_display_outputs_are_what_a_kernel_shows(graded: tuple[Path, dict[str, rec.Record]]):
    course, _ = graded
    assert "Wall time" in _stdout(_cell_outputs(course, "s-time", corpus_shell.FIRST))
    timed = _stdout(_cell_outputs(course, "s-time", corpus_shell.SECOND))
    assert "Wall time" in timed and "per loop (mean ± std. dev. of 1 run, 1 loop each)" in timed
    shell = _stdout(_cell_outputs(course, "s-shell", corpus_shell.FIRST))
    assert shell.startswith("hi\nSList\ncoursekit: %pip list is not run when grading")
    assert "Wall time" in shell
    shown = _cell_outputs(course, "s-display", corpus_shell.FIRST)
    # Markdown reaches the notebook rendered (and sanitised) as HTML
    assert "<strong>my answer</strong>" in [o["data"].get("text/html", "") for o in shown if o["output_type"] == "display_data"][0]
    assert [o["data"]["text/plain"] for o in shown if o["output_type"] == "display_data"][1:2] == ["42"]
    assert _stdout(shown, "stderr") == "a warning\n"


@needs_bwrap
def test_input_fails_at_once_with_a_clear_message(graded: tuple[Path, dict[str, rec.Record]]):
    course, _ = graded
    [error] = [o for o in _cell_outputs(course, "s-input", source="name = input('Your name? ')") if o["output_type"] == "error"]
    assert error["ename"] == "StdinNotImplementedError"
    assert "graded without a keyboard" in error["evalue"] and "ran longer" not in json.dumps(error)


IN_PROCESS = """
import json, sys
from coursekit.grading.capture import CellRecorder, capture_streams, make_shell
from coursekit.grading.protocol import OutputCaps
recorder = CellRecorder(OutputCaps(10_000, 100_000, 100_000, 20, 1_000_000))
shell = make_shell(recorder)
out = sys.stdout
capture_streams(recorder)
seen = []
for cell in sys.argv[1:]:
    recorder.new_cell()
    shell.run_cell(cell, store_history=True)
    seen.append({"outputs": recorder.outputs, "exit_code": shell.user_ns.get("_exit_code")})
out.write(json.dumps(seen))
"""


def _run_in_shell(*cells: str) -> list[dict[str, Any]]:
    done = subprocess.run([sys.executable, "-c", IN_PROCESS, *cells], capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout))


def test_system_commands_run_through_pipes_and_package_magics_say_they_do_not_run():
    shell, conda = _run_in_shell("!echo out; echo err >&2; exit 3", "%matplotlib inline\n%conda install numpy")
    assert shell == {"outputs": [{"output_type": "stream", "name": "stdout", "text": "out\nerr\n"}], "exit_code": 3}
    assert conda["outputs"] == [{"output_type": "stream", "name": "stdout", "text": "coursekit: %conda install numpy "
                                 "is not run when grading: nothing can be installed in the grading sandbox, which has "
                                 "the course's packages already. The rest of the cell runs.\n"}]


def _course_with_timeout(released: Path, dest: Path, seconds: int) -> Path:
    import shutil

    shutil.copytree(released, dest)
    config = dest / "nbgrader_config.py"
    text = "\n".join(line for line in config.read_text().splitlines() if "Execute.timeout" not in line)
    config.write_text(f"{text}\nc.ExecutePreprocessor.timeout = {seconds}\n")
    return dest


@needs_bwrap
def test_the_courses_cell_timeout_rules_unless_one_is_given(released: Path, tmp_path: Path):
    course = _course_with_timeout(released, tmp_path / "course", 6)
    answers = correct_answers(course)
    slow = {**answers, corpus_shell.FIRST: "import time\ntime.sleep(4.5)\n" + answers[corpus_shell.FIRST]}
    submit(course, "slow", answers=slow)
    full = sum(points_per_answer(course).values())
    started = time.monotonic()
    [record] = grade_assignment(GradeConfig(course=course, assignment=ASSIGNMENT, total_timeout=60, progress=False,
                                            feedback=False, reports=False)).graded
    assert (record.status, record.score) == ("ok", full), record.reason
    assert time.monotonic() - started >= 4.5
    # --cell-timeout 3 (below the 4.5 s cell) cuts it: that answer scores 0
    [record] = grade_assignment(GradeConfig(course=course, assignment=ASSIGNMENT, total_timeout=60, progress=False,
                                            feedback=False, reports=False, cell_timeout=3, force=True)).graded
    assert record.score == full - points_per_answer(course)[corpus_shell.FIRST]
    [error] = [o for o in _cell_outputs(course, "slow", corpus_shell.FIRST) if o["output_type"] == "error"]
    assert "longer than 3 s" in error["evalue"]
