"""Spreadsheet safety for every CSV coursekit writes for an LMS.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is read as a formula by Excel, LibreOffice and Google Sheets (CSV injection). OWASP's
rule (https://owasp.org/www-community/attacks/CSV_Injection) is to prefix such a
cell with a single quote so that it is shown as text. Scores are not text: they are
written by :func:`number_cell`, never neutralised, and are never negative (``-0``
becomes ``0``).

>>> neutralise("=HYPERLINK(\\"http://evil\\")")
'\\'=HYPERLINK("http://evil")'
>>> neutralise("Doe, Jane"), neutralise("")
('Doe, Jane', '')
>>> number_cell(12.5), number_cell(-0.0), number_cell(3.0), number_cell(1/3)
('12.5', '0', '3', '0.3333')
"""

from __future__ import annotations

import math

__all__ = ["FORMULA_STARTS", "neutralise", "number_cell", "is_neutral"]

#: The first characters that make a spreadsheet treat a cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` made safe to open in a spreadsheet: a leading quote when it could be a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def is_neutral(text: str) -> bool:
    """Whether a cell's text cannot be read as a formula (what a validator checks)."""
    return not text.startswith(FORMULA_STARTS)


def number_cell(value: float, *, decimals: int = 4, decimal_separator: str = ".") -> str:
    """A score as a plain number: no exponent, no trailing zeros, never ``-0``, never negative.

    Raises ``ValueError`` for a negative, infinite or NaN score: those are not scores.
    """
    if not math.isfinite(value) or value < 0 and round(value, decimals) != 0:
        raise ValueError(f"{value!r} is not a score (scores are finite and not negative)")
    text = f"{abs(value) if round(value, decimals) == 0 else value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", decimal_separator)
