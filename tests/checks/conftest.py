"""The checks tests judge against the core bank only, so other files in progress cannot break them.

``test_bank.py`` loads every bank file on purpose.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coursekit import bank

CORE = Path(bank.__file__).parent / "data" / "bank" / "core.yaml"
#: A hidden practice question that must not ship (it has the key of a graded one).
HIDDEN = Path(__file__).parent / "data" / "hidden.yaml"
REAL_BANK_FILES = bank.bank_files


@pytest.fixture(autouse=True, scope="module")
def core_bank_only():
    patch = pytest.MonkeyPatch()
    patch.setattr(bank, "bank_files", lambda: [CORE, HIDDEN])
    patch.setattr(bank, "_KEY_DIRS", [])  # keys an earlier test loaded for a course (use_key_dir) do not count here
    bank.reload()
    yield
    patch.undo()
    bank.reload()
