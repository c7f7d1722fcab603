"""nbgrader preprocessors that ``assignments/nbgrader_config.py`` plugs in.

- :class:`RestoreHiddenTests` replaces nbgrader's ``OverwriteCells`` during autograde. A
  released test cell differs from its source exactly by the hidden tests nbgrader removed,
  so stock nbgrader logs "Attribute 'checksum' for cell ... has changed!" for every test
  cell of every submission (jupyter/nbgrader#1961). This subclass first puts the hidden
  tests back into a cell whose source is the released one, so the warning is kept for
  cells a student really changed.
- :class:`StripHiddenTests` runs in ``generate_feedback`` after the grades are read, so
  the feedback HTML shows the visible checks and their messages but not the hidden part.
"""

from __future__ import annotations

from typing import Any

from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbgrader.api import MissingEntry
from nbgrader.preprocessors import ClearHiddenTests, OverwriteCells
from traitlets import Bool

from coursekit.course.cells import grade_id, is_locked

__all__ = ["RestoreHiddenTests", "StripHiddenTests", "released_source"]


def released_source(source: str, config: Any = None) -> str:
    """What nbgrader's ClearHiddenTests (configured by ``config``) leaves of a cell source.

    >>> released_source("a\\n### BEGIN HIDDEN TESTS\\nb\\n### END HIDDEN TESTS")
    'a'
    """
    cell = NotebookNode(source=source, cell_type="code", metadata={})
    ClearHiddenTests(config=config)._remove_hidden_test_region(cell)
    return str(cell.source)


class RestoreHiddenTests(OverwriteCells):
    """OverwriteCells that restores stripped hidden tests without a checksum warning."""

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, cell_index: int) -> tuple[NotebookNode, Any]:
        gid = grade_id(cell)
        if gid is not None and is_locked(cell):
            try:
                source_cell = self.gradebook.find_source_cell(gid, self.notebook_id, self.assignment_id)
            except MissingEntry:
                source_cell = None
            if source_cell is not None and source_cell.locked and cell.source != source_cell.source:
                if cell.source == released_source(source_cell.source, self.config):
                    cell.source = source_cell.source
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        return cell, resources


class StripHiddenTests(ClearHiddenTests):
    """Remove hidden-test regions from the notebook rendered as feedback."""

    enforce_metadata = Bool(False, help="Feedback cells need not be grade cells.").tag(config=True)
