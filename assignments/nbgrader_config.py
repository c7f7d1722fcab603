"""nbgrader configuration of the coursekit course (``assignments/``).

Read by every nbgrader command run in this folder, by formgrader, and by
``coursekit assignments ...`` (which loads this file and fixes the root). Source
notebooks are generated from ``specs/`` by ``coursekit assignments build``: never edit
their cell metadata by hand.
"""

import os

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    GetGrades,
    OverwriteKernelspec,
)

from coursekit.course.hooks import RestoreHiddenTests, StripHiddenTests

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)
here = os.path.dirname(os.path.abspath(__file__))

# The answer keys of the graded questions live beside source/, in bank/ (never in the
# package students install). Stock nbgrader steps run in this course (autograde,
# formgrader) start kernels that call grade(...): they find the keys through this path.
os.environ.setdefault("COURSEKIT_BANK_PATH", os.path.join(here, "bank"))

# --- the course ---------------------------------------------------------------------
c.CourseDirectory.course_id = "coursekit-hip"
c.CourseDirectory.root = here
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(here, "gradebook.db")
# Only the assignment's notebooks and data are released; never specs or rubrics.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.md~"]

# --- releasing (generate_assignment) --------------------------------------------------
# Answer cells keep their starter line (e.g. `tilt = None`) and lose the solution region;
# a stub without `raise NotImplementedError()` lets students run the notebook top to
# bottom and get "not answered yet" feedback instead of a chain of NameErrors.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.ClearSolutions.begin_solution_delimeter = "BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "END SOLUTION"
c.ClearSolutions.enforce_metadata = True
c.ClearHiddenTests.begin_test_delimeter = "BEGIN HIDDEN TESTS"
c.ClearHiddenTests.end_test_delimeter = "END HIDDEN TESTS"
c.ClearHiddenTests.enforce_metadata = True
c.LockCells.lock_grade_cells = True
c.LockCells.lock_readonly_cells = True
c.LockCells.lock_solution_cells = False

# --- grading (autograde) ---------------------------------------------------------------
# Per-cell execution limit, kernel start-up limit and no retries: a submission that hangs
# fails that cell, never the batch.
c.Execute.timeout = 60
c.Execute.startup_timeout = 60
c.Execute.interrupt_on_timeout = True
c.Execute.execute_retries = 0
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 40
# Stock OverwriteCells logs "Attribute 'checksum' for cell ... has changed!" for every
# test cell of every submission, because released test cells lack their hidden tests
# (jupyter/nbgrader#1961). RestoreHiddenTests restores them first and keeps the warning
# for cells a student really edited.
c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    RestoreHiddenTests,
    CheckCellMetadata,
]

# --- feedback -------------------------------------------------------------------------
# Students see their answers, the visible checks and the feedback messages, not the
# hidden grade() calls.
c.GenerateFeedback.preprocessors = [GetGrades, StripHiddenTests, CSSHTMLHeaderPreprocessor]

# --- exchange ---------------------------------------------------------------------------
# Without a hub, a folder inside the course. On the course hub (`make hub`) the exchange is
# a shared folder outside every home and outside this directory: COURSEKIT_EXCHANGE names it.
c.Exchange.root = os.environ.get("COURSEKIT_EXCHANGE") or os.path.join(here, "exchange")
