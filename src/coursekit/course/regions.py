"""Delimited regions of a cell source: hidden tests and solutions, one helper for both.

nbgrader removes the lines between its configured delimiters (``BEGIN HIDDEN TESTS`` /
``END HIDDEN TESTS`` for tests, ``BEGIN SOLUTION`` / ``END SOLUTION`` for answers); a
line *contains* the delimiter, usually after a comment mark (``### BEGIN HIDDEN TESTS``).
:class:`Delimiters` carries the course's configured strings (see
:attr:`coursekit.course.Course.delimiters`); every part of coursekit that writes, checks or
strips a region asks it.

>>> d = Delimiters()
>>> strip_hidden("check(1)\\n### BEGIN HIDDEN TESTS\\ngrade(1)\\n### END HIDDEN TESTS", d)
'check(1)'
>>> d.line(d.begin_test)
'### BEGIN HIDDEN TESTS'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Delimiters", "DEFAULT_DELIMITERS", "split_region", "strip_region", "strip_hidden", "solution_text"]


@dataclass(frozen=True)
class Delimiters:
    """The region markers of a course (nbgrader's ``ClearHiddenTests`` / ``ClearSolutions``)."""

    begin_test: str = "BEGIN HIDDEN TESTS"
    end_test: str = "END HIDDEN TESTS"
    begin_solution: str = "BEGIN SOLUTION"
    end_solution: str = "END SOLUTION"
    #: the comment prefix coursekit writes before a delimiter in a Python cell
    comment: str = "### "

    def line(self, delimiter: str) -> str:
        """The marker line coursekit writes for ``delimiter`` (``### BEGIN SOLUTION``)."""
        return f"{self.comment}{delimiter}"

    @property
    def test_lines(self) -> tuple[str, str]:
        return self.line(self.begin_test), self.line(self.end_test)

    @property
    def solution_lines(self) -> tuple[str, str]:
        return self.line(self.begin_solution), self.line(self.end_solution)


DEFAULT_DELIMITERS = Delimiters()


def split_region(source: str, begin: str, end: str) -> tuple[str, str] | str:
    """``(outside, inside)`` of the single ``begin`` ... ``end`` region, or the problem as text.

    >>> split_region("a\\n# B\\nb\\n# E\\nc", "B", "E")
    ('a\\nc', 'b')
    >>> split_region("a", "B", "E")
    "has no 'B' / 'E' region"
    """
    lines = source.split("\n")
    starts = [i for i, line in enumerate(lines) if begin in line]
    ends = [i for i, line in enumerate(lines) if end in line]
    if not starts and not ends:
        return f"has no {begin!r} / {end!r} region"
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        return f"needs exactly one {begin!r} line followed by one {end!r} line"
    inside = "\n".join(lines[starts[0] + 1 : ends[0]])
    outside = "\n".join(lines[: starts[0]] + lines[ends[0] + 1 :])
    return outside, inside


def strip_region(source: str, begin: str, end: str) -> str:
    """``source`` without the lines from each ``begin`` line to its ``end`` line (inclusive).

    An unterminated region is removed to the end of the source (nothing hidden leaks).
    """
    kept, inside = [], False
    for line in source.split("\n"):
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        elif not inside:
            kept.append(line)
    return "\n".join(kept)


def strip_hidden(source: str, delimiters: Delimiters = DEFAULT_DELIMITERS) -> str:
    """What students see of a test cell: ``source`` without its hidden-test regions."""
    return strip_region(source, delimiters.begin_test, delimiters.end_test)


def solution_text(source: str, delimiters: Delimiters = DEFAULT_DELIMITERS) -> str:
    """An answer cell's source with the solution marker lines removed (the key, as typed).

    >>> print(solution_text("x = None\\n### BEGIN SOLUTION\\nx = 3\\n### END SOLUTION"))
    x = None
    x = 3
    """
    markers = (delimiters.begin_solution, delimiters.end_solution)
    return "\n".join(line for line in source.split("\n") if not any(m in line for m in markers))
