"""The nbgrader layer: the only part of coursekit that imports nbgrader.

* :mod:`.directory`: :class:`Course`, the course directory configured by its
  ``nbgrader_config.py`` (paths, course id, delimiters, timeouts, output limits) and
  nbgrader's steps on it: release (``generate_assignment``), ``autograde``, feedback,
  export; :func:`find_course` discovers it like nbgrader does.
* :mod:`.cells`: the cell rules (answer, test, locked, manual...) and the cell factories.
* :mod:`.regions`: hidden-test and solution regions, with the configured delimiters.
* :mod:`.gradebook`: the autograder's results into nbgrader's gradebook.
* :mod:`.feedback`: feedback pages made to work offline.
* :mod:`.hooks`: the preprocessors ``nbgrader_config.py`` plugs into nbgrader.

:mod:`coursekit.assignments` (build, validate, release) and :mod:`coursekit.grading`
(collect, grade, feedback, exports) keep their verbs and use this package.
"""

from __future__ import annotations

from coursekit.course.directory import (
    CONFIG_FILE,
    Course,
    OutputLimits,
    env_bin_on_path,
    find_course,
    find_course_root,
)
from coursekit.course.gradebook import GradeWrite, write_grades
from coursekit.course.regions import DEFAULT_DELIMITERS, Delimiters

__all__ = ["CONFIG_FILE", "Course", "DEFAULT_DELIMITERS", "Delimiters", "GradeWrite", "OutputLimits",
           "env_bin_on_path", "find_course", "find_course_root", "write_grades"]
