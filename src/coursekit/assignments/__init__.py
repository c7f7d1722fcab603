"""Graded assignments: nbgrader source notebooks generated from readable specs.

Instructors edit ``assignments/specs/<id>.md`` and the question bank; this package turns
them into nbgrader source notebooks with the right cell metadata, checks them, and runs
nbgrader to release them.

* :func:`build`: specs -> ``assignments/source/<id>/<id>.ipynb`` (+ ``rubrics/<id>.md``)
* :func:`validate`: metadata, ids, points, bank questions, objectives, up to date
* :func:`release`: validate, then nbgrader ``generate_assignment`` -> ``release/<id>/``
* :func:`workspace`: copy released assignments into a student folder (``make lab``)
* :class:`Course`: the nbgrader course directory (from :mod:`coursekit.course`, the nbgrader layer)
"""

from __future__ import annotations

from coursekit.assignments.spec import Spec, SpecError, load_spec, parse_spec
from coursekit.assignments.validate import Problem, SourceValidationError
from coursekit.assignments.workflow import BuildResult, build, release, specs, validate, workspace
from coursekit.course import Course, env_bin_on_path
from coursekit.errors import NbgraderStepError

__all__ = [
    "BuildResult",
    "Course",
    "NbgraderStepError",
    "Problem",
    "SourceValidationError",
    "Spec",
    "SpecError",
    "build",
    "env_bin_on_path",
    "load_spec",
    "parse_spec",
    "release",
    "specs",
    "validate",
    "workspace",
]
