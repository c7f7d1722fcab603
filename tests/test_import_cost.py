"""Importing the notebook stack does not build jsonschema's RFC 3987 grammar.

jsonschema 4.25+ imports ``rfc3987_syntax`` from its format checker when it is
installed, and that module compiles a Lark (Earley) grammar at import: about 2.7 s
on a 2-core machine, paid by every ``import nbformat`` (every grading run, every
worker, every book build). ``pyproject.toml`` pins ``jsonschema<4.25`` so neither the
import nor the package is there. These tests check the behaviour (which modules end
up imported) in a fresh interpreter, not the time.

The grading command's first steps (finding the course, taking its lock, starting the
sandboxed workers) import none of the notebook stack, so the workers warm up while the
grader imports nbgrader; the last tests check that structure.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

GRAMMAR_MODULES = ("rfc3987_syntax", "lark")


def _imported_after(statement: str) -> dict[str, bool]:
    """Which of GRAMMAR_MODULES a fresh interpreter holds after running *statement*."""
    probe = f"{statement}\nimport sys\nprint(' '.join(str(m in sys.modules) for m in {GRAMMAR_MODULES!r}))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return dict(zip(GRAMMAR_MODULES, (word == "True" for word in done.stdout.split())))


@pytest.mark.parametrize("statement", [
    "import nbformat",
    "import nbformat; nbformat.validate(nbformat.v4.new_notebook())",
    "import nbclient",
    "import coursekit.checks",
])
def test_the_notebook_stack_imports_no_grammar_parser(statement):
    assert _imported_after(statement) == {"rfc3987_syntax": False, "lark": False}


def test_jsonschema_is_a_version_whose_format_checker_skips_rfc3987_syntax():
    from importlib.metadata import version

    major, minor = (int(part) for part in version("jsonschema").split(".")[:2])
    assert (major, minor) < (4, 25), "jsonschema 4.25+ imports rfc3987_syntax (a Lark grammar) at import"


HEAVY = ("nbformat", "nbgrader.coursedir", "nbconvert", "sqlalchemy", "pandas", "matplotlib", "jupyter_client")


def _heavy_after(statement: str) -> list[str]:
    """Which of HEAVY a fresh interpreter holds after running *statement*."""
    probe = f"{statement}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.parametrize("statement", [
    "import coursekit.cli",
    "import coursekit.grading",
    "from coursekit.grading.warmup import WarmGrading, grade_assignment",
    "from coursekit.grading.config import GradeConfig; GradeConfig(course='.', assignment='ps1').caps()",
    "from coursekit.course import find_course_root",
])
def test_the_grading_command_starts_its_workers_before_the_notebook_stack_is_imported(statement):
    """``coursekit grade`` spawns the sandboxed workers from these modules, then loads nbgrader while they warm."""
    assert _heavy_after(statement) == []


def test_reading_submissions_does_not_load_the_checkers_and_the_checks_api_is_whole_on_first_use():
    """The grader reads and rebuilds submissions (and sends the first ones to the sandbox) before the
    answer keys load: coursekit.checks loads its names, and pandas with them, on first use."""
    assert "pandas" not in _heavy_after("import coursekit.grading.submissions, coursekit.checks.calls")
    probe = ("from coursekit.checks import *\nimport coursekit.checks as c\n"
             "print(sorted(c.__all__) == sorted(n for n in dir() if n in c.__all__), len(CHECKERS) >= 7, "
             "callable(check) and callable(check_answer))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "True"]


def test_the_grading_package_still_offers_its_names_on_first_use():
    names = _heavy_after("import coursekit.grading as g; g.grade_assignment; g.GradeConfig")
    assert "nbformat" in names  # the grader itself (batch, notebooks) is imported when asked for


def test_grading_and_feedback_load_no_jupyter_server_and_nbgrader_still_serves_as_an_extension():
    probe = """
import sys
from pathlib import Path
import coursekit.course
from coursekit.course.feedback import FeedbackPages
import nbgrader.api, nbgrader.coursedir, nbgrader.preprocessors
from nbgrader import utils
from nbgrader.converters import GenerateFeedback
from nbgrader.preprocessors import AssignLatePenalties
light = [m for m in ("jupyter_server", "nbgrader.exchange", "nbgrader.server_extensions") if m in sys.modules]
import nbgrader
points = nbgrader._jupyter_server_extension_points()
print(light, points, nbgrader.__version__ == __import__("nbgrader._version").__version__, callable(nbgrader.load_formgrader))
"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "[] [{'module': 'nbgrader'}] True True"
