"""Golden files: generated notebooks, feedback HTML and exports compared with ``tests/goldens/``.

``pytest --update-goldens`` rewrites the files instead of comparing (the diff is the
review). :func:`stable` strips what changes from run to run, in one place: temporary
paths, embedded images, timestamps and durations.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

__all__ = ["GOLDENS", "stable", "check_golden"]

GOLDENS = Path(__file__).resolve().parent / "goldens"

_UNSTABLE = [
    (re.compile(r"data:image/(png|jpeg);base64,[A-Za-z0-9+/=]+"), r"data:image/\1;base64,<IMAGE>"),
    (re.compile(r"(/private)?/tmp/[^\s\"'<>,;)]*"), "<TMP>"),
    (re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?( ?(UTC|Z|[+-]\d{2}:?\d{2}))?"), "<TIMESTAMP>"),
    (re.compile(r"\b\d+\.\d+ s\b"), "<SECONDS> s"),
]


def stable(text: str) -> str:
    """``text`` with the unstable bits replaced by placeholders (trailing spaces dropped)."""
    for pattern, replacement in _UNSTABLE:
        text = pattern.sub(replacement, text)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def check_golden(request: pytest.FixtureRequest, name: str, text: str) -> None:
    """Compare ``stable(text)`` with ``tests/goldens/<name>``, or rewrite it under ``--update-goldens``."""
    path = GOLDENS / name
    got = stable(text)
    if request.config.getoption("--update-goldens"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
        return
    if not path.is_file():
        pytest.fail(f"no golden file {path}; run pytest with --update-goldens and review the new file")
    want = path.read_text(encoding="utf-8")
    assert got == want, f"{name} differs from {path}; if the change is intended, run pytest --update-goldens"
