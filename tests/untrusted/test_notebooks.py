"""A submitted notebook is validated and normalised with caps before anything reads it."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

import nbformat
import pytest

from coursekit.errors import NotebookError
from coursekit.untrusted.notebooks import Limits, normalise_notebook


def notebook_bytes(cells: Sequence[object], **top: object) -> bytes:
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells, **top}).encode()


def code(source: object = "x = 1", **extra: object) -> dict[str, object]:
    return {"cell_type": "code", "metadata": {}, "source": source, "outputs": [], "execution_count": None, **extra}


def test_a_cell_without_source_is_read_as_empty_and_flagged() -> None:
    cell = code()
    del cell["source"]
    nb, flags = normalise_notebook(notebook_bytes([cell, code("y = 2")]), "ps1.ipynb")
    assert [c.source for c in nb.cells] == ["", "y = 2"]
    assert flags == ["cell 1: the 'source' field was missing; read as an empty cell"]
    nbformat.validate(nb)


def test_every_output_is_cleared_and_cells_get_valid_unique_ids() -> None:
    out = {"output_type": "stream", "name": "stdout", "text": "hi"}
    cells = [code("a", outputs=[out], execution_count=3, id="same"), code("b", id="same"), code("c", id="bad id!")]
    nb, _ = normalise_notebook(notebook_bytes(cells), "ps1.ipynb")
    assert [c.outputs for c in nb.cells] == [[], [], []]
    assert [c.execution_count for c in nb.cells] == [None, None, None]
    assert [c.id for c in nb.cells] == ["same", "cell-2", "cell-3"]


def test_twenty_thousand_cells_are_refused_in_well_under_a_second() -> None:
    data = notebook_bytes([code("x") for _ in range(20_000)])
    started = time.monotonic()
    with pytest.raises(NotebookError, match="20000 cells \\(limit 2000\\)"):
        normalise_notebook(data, "ps1.ipynb")
    assert time.monotonic() - started < 1.0


def test_a_notebook_over_the_soft_cap_is_graded_with_its_outputs_cleared() -> None:
    big = {"output_type": "display_data", "metadata": {}, "data": {"image/png": "A" * 3000}}
    data = notebook_bytes([code("plot()", outputs=[big])])
    nb, flags = normalise_notebook(data, "ps1.ipynb", Limits(soft_bytes=1000))
    assert nb.cells[0].outputs == [] and nb.cells[0].source == "plot()"
    assert "outputs were cleared before grading" in flags[0]


def test_a_notebook_over_the_hard_cap_is_refused_unread() -> None:
    with pytest.raises(NotebookError, match="limit 100"):
        normalise_notebook(b"{" + b" " * 200 + b"}", "ps1.ipynb", Limits(hard_bytes=100))


def test_pasted_text_beyond_the_source_cap_is_refused() -> None:
    with pytest.raises(NotebookError, match="bytes of text"):
        normalise_notebook(notebook_bytes([code("#" * 5000)]), "ps1.ipynb", Limits(max_source_bytes=1000))


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty"),
    (b'{"cells": [', "not valid notebook JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "not valid notebook JSON"),
    (b'{"hello": "world"}', "not a notebook"),
    (notebook_bytes([]), "no cells"),
])
def test_broken_files_are_refused_with_the_reason_and_the_next_step(data: bytes, reason: str) -> None:
    with pytest.raises(NotebookError) as err:
        normalise_notebook(data, "ps1.ipynb")
    assert reason in str(err.value) and str(err.value).startswith("ps1.ipynb: ")
    assert "resubmit" in str(err.value)


def test_junk_cells_and_source_lists_are_repaired_not_fatal() -> None:
    cells = [42, {"cell_type": "widget"}, code(["a = 1\n", "b = 2"]), {"cell_type": "markdown", "source": ["# T"]}]
    nb, flags = normalise_notebook(notebook_bytes(cells), "ps1.ipynb")
    assert [c.source for c in nb.cells] == ["a = 1\nb = 2", "# T"]
    assert flags[:2] == ["cell 1: not a cell (a int); dropped", "cell 2: unknown cell type 'widget'; dropped"]


def test_an_nbformat_3_notebook_is_converted() -> None:
    v3 = nbformat.v3.new_notebook(worksheets=[nbformat.v3.new_worksheet(cells=[nbformat.v3.new_code_cell(input="x = 3")])])
    nb, flags = normalise_notebook(json.dumps(v3).encode(), "ps1.ipynb")
    assert nb.cells[0].source == "x = 3"
    assert flags[0] == "old notebook format (nbformat 3); converted to version 4"
