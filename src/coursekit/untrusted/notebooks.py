"""A submitted notebook, validated and normalised before anything else touches it.

Student notebooks come in every state: truncated JSON, a cell without ``source``, an
nbformat 3 file, 20,000 one-character cells, outputs of 300 MB. :func:`normalise_notebook`
turns the bytes into a valid nbformat 4 notebook with every output cleared (the grader
runs the notebook afresh, as nbgrader's ``ClearOutput`` does), or raises
:class:`~coursekit.errors.NotebookError` with the reason and what the student should do.
Over the size cap it behaves like stock nbgrader, which clears the outputs of a large
notebook and grades it: only a notebook whose *code* is too large is refused.

>>> import json
>>> cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None}]
>>> nb, flags = normalise_notebook(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
...                                            "cells": cells}).encode(), "ps1.ipynb")
>>> nb.cells[0].source, flags
('', ["cell 1: the 'source' field was missing; read as an empty cell"])
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import nbformat
from nbformat import NotebookNode

from coursekit.errors import NotebookError

__all__ = ["Limits", "normalise_notebook"]

_CELL_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
_CELL_DEFAULTS: dict[str, dict[str, Any]] = {
    "code": {"metadata": {}, "source": "", "outputs": [], "execution_count": None},
    "markdown": {"metadata": {}, "source": ""},
    "raw": {"metadata": {}, "source": ""},
}


@dataclass(frozen=True)
class Limits:
    """Caps on a submitted notebook; the defaults fit any honest problem-set notebook."""

    soft_bytes: int = 20_000_000
    """Above this, outputs are cleared before parsing further (as stock nbgrader does)."""
    hard_bytes: int = 60_000_000
    """Above this the file is refused unread."""
    max_cells: int = 2_000
    max_source_bytes: int = 2_000_000
    """All cell sources together, after outputs are cleared."""


def _fail(name: str, problem: str) -> NotebookError:
    return NotebookError(name, problem)


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "".join(value)
    return None


def _normal_cell(raw: Any, index: int, flags: list[str]) -> dict[str, Any] | None:
    where = f"cell {index + 1}"
    if not isinstance(raw, dict):
        flags.append(f"{where}: not a cell (a {type(raw).__name__}); dropped")
        return None
    kind = raw.get("cell_type")
    if kind not in _CELL_DEFAULTS:
        flags.append(f"{where}: unknown cell type {str(kind)[:40]!r}; dropped")
        return None
    cell: dict[str, Any] = {"cell_type": kind}
    for key, default in _CELL_DEFAULTS[kind].items():
        if key not in raw:
            if key == "source":
                flags.append(f"{where}: the 'source' field was missing; read as an empty cell")
            cell[key] = default
            continue
        cell[key] = raw[key]
    source = _text(cell["source"])
    if source is None:
        flags.append(f"{where}: 'source' is not text; read as an empty cell")
        source = ""
    cell["source"] = source
    if not isinstance(cell["metadata"], dict):
        flags.append(f"{where}: 'metadata' is not a mapping; cleared")
        cell["metadata"] = {}
    if kind == "code":
        cell["outputs"], cell["execution_count"] = [], None
    if isinstance(raw.get("id"), str):
        cell["id"] = raw["id"]
    return cell


def _as_v4(raw: dict[str, Any], name: str, flags: list[str]) -> dict[str, Any]:
    major = raw.get("nbformat")
    if major == 4:
        return raw
    try:
        upgraded = nbformat.convert(nbformat.from_dict(raw), 4)
    except Exception as err:  # noqa: BLE001 - nbformat raises many kinds for bad input
        raise _fail(name, f"nbformat {str(major)[:10]} notebook could not be read ({str(err)[:80]}); "
                          "ask the student to save it with a current Jupyter and resubmit") from None
    flags.append(f"old notebook format (nbformat {major}); converted to version 4")
    return dict(upgraded)


def normalise_notebook(data: bytes, name: str, limits: Limits = Limits()) -> tuple[NotebookNode, list[str]]:
    """Parse ``data`` (the bytes of notebook ``name``) into a valid, output-free nbformat 4 notebook.

    Returns the notebook and flags saying what was repaired; raises
    :class:`~coursekit.errors.NotebookError` when the notebook cannot be graded at all.
    """
    flags: list[str] = []
    size = len(data)
    if size == 0:
        raise _fail(name, "the notebook file is empty (0 bytes); ask the student to resubmit")
    if size > limits.hard_bytes:
        raise _fail(name, f"the notebook is {size} bytes (limit {limits.hard_bytes}); "
                          "ask the student to clear outputs and resubmit")
    try:
        raw = json.loads(data)
    except (ValueError, RecursionError) as err:
        raise _fail(name, f"not valid notebook JSON (truncated, corrupted or nested too deeply: {str(err)[:80]}); "
                          "ask the student to resubmit") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells", raw.get("worksheets")), list):
        raise _fail(name, "the file is JSON but not a notebook (no list of cells); ask the student to resubmit")
    raw = _as_v4(raw, name, flags)
    cells_in = raw.get("cells", [])
    if len(cells_in) > limits.max_cells:
        raise _fail(name, f"the notebook has {len(cells_in)} cells (limit {limits.max_cells}); "
                          "ask the student to delete the extra cells and resubmit")
    if size > limits.soft_bytes:
        flags.append(f"the notebook is {size} bytes (over {limits.soft_bytes}); its outputs were cleared before grading")
    cells = [cell for i, raw_cell in enumerate(cells_in) if (cell := _normal_cell(raw_cell, i, flags)) is not None]
    total = sum(len(c["source"].encode("utf-8", "replace")) for c in cells)
    if total > limits.max_source_bytes:
        raise _fail(name, f"the notebook's cells hold {total} bytes of text (limit {limits.max_source_bytes}); "
                          "ask the student to remove pasted data and resubmit")
    if not cells:
        raise _fail(name, "the notebook has no cells; ask the student to resubmit")
    metadata = raw.get("metadata") if isinstance(raw.get("metadata"), dict) else {}
    nb_dict = {"nbformat": 4, "nbformat_minor": 5, "metadata": metadata, "cells": cells}
    _give_ids(cells)
    nb = _validated(nbformat.from_dict(nb_dict), name, flags)
    return nb, flags


def _give_ids(cells: list[dict[str, Any]]) -> None:
    """nbformat 4.5 wants a unique id on every cell: keep the student's when valid and unique."""
    seen: set[str] = set()
    for index, cell in enumerate(cells):
        cid = cell.get("id")
        if not (isinstance(cid, str) and _CELL_ID.match(cid)) or cid in seen:
            cid = f"cell-{index + 1}"
            while cid in seen:
                cid += "x"
        cell["id"] = cid
        seen.add(cid)


def _validated(nb: NotebookNode, name: str, flags: list[str]) -> NotebookNode:
    from nbformat.validator import isvalid, normalize

    if isvalid(nb):  # nothing to repair (normalize would copy it unchanged): the usual submission
        return nb
    try:
        changes, fixed = normalize(nb, version=4, version_minor=5, strip_invalid_metadata=True)
    except Exception as err:  # noqa: BLE001 - any validator failure is a broken submission
        raise _fail(name, f"the notebook is not valid nbformat 4 ({str(err)[:120]}); ask the student to resubmit") from None
    if changes:
        flags.append(f"{changes} invalid or duplicated field(s) repaired")
    nb = nbformat.from_dict(fixed)
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as err:
        raise _fail(name, f"the notebook is not valid nbformat 4 ({err.message[:120]}); ask the student to resubmit") from None
    return nb
