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

import sys
from typing import Any


def _nbgrader_without_server_extensions() -> None:
    """Let ``nbgrader.<module>`` load without running ``nbgrader/__init__.py`` first.

    nbgrader's package module imports its four Jupyter server extensions (jupyter_server,
    tornado, the exchange, every app): a tenth of a second or more that grading, feedback
    and the gradebook never use. The package is registered here with its path and version
    only; its submodules import as usual, and the first use of anything else the package
    module defines (``_jupyter_server_extension_points``, say) runs the real module then.
    """
    if "nbgrader" in sys.modules:
        return
    import importlib
    import importlib.util

    spec = importlib.util.find_spec("nbgrader")
    if spec is None or spec.loader is None or not spec.submodule_search_locations:
        return
    package = importlib.util.module_from_spec(spec)
    loader = spec.loader

    def __getattr__(name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        if importlib.util.find_spec(f"nbgrader.{name}") is not None:  # `from nbgrader import utils`
            return importlib.import_module(f"nbgrader.{name}")
        del package.__dict__["__getattr__"]  # called once: afterwards the real module answers
        loader.exec_module(package)  # nbgrader/__init__.py, in the same module object
        return getattr(package, name)

    package.__getattr__ = __getattr__  # type: ignore[method-assign]
    sys.modules["nbgrader"] = package
    try:
        package.__version__ = importlib.import_module("nbgrader._version").__version__  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - then nbgrader loads the usual way
        del sys.modules["nbgrader"]


_nbgrader_without_server_extensions()

from coursekit.course.directory import (  # noqa: E402 - after the package is registered
    CONFIG_FILE,
    Course,
    OutputLimits,
    env_bin_on_path,
    find_course,
    find_course_root,
)
from coursekit.course.gradebook import GradeWrite, write_grades  # noqa: E402
from coursekit.course.regions import DEFAULT_DELIMITERS, Delimiters  # noqa: E402

__all__ = ["CONFIG_FILE", "Course", "DEFAULT_DELIMITERS", "Delimiters", "GradeWrite", "OutputLimits",
           "env_bin_on_path", "find_course", "find_course_root", "write_grades"]
