"""Scoring shared by the set-valued kinds (muscles, actions, multiple choice).

Each right item earns ``1/len(expected)``, each wrong item costs as much, and the score
never drops below zero, so listing everything earns nothing:

>>> set_score(correct=2, wrong=0, expected=3)
0.6666666666666666
>>> set_score(correct=3, wrong=22, expected=3)
0.0
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["set_score", "text_items", "plural"]

#: Answers longer than this are not read item by item (the course has a few dozen names).
MAX_DISTINCT = 1000


def set_score(correct: int, wrong: int, expected: int) -> float:
    """``max(0, (correct - wrong) / expected)``; with nothing expected, 1 only when nothing is wrong."""
    if expected <= 0:
        return 1.0 if wrong == 0 else 0.0
    return max(0.0, (correct - wrong) / expected)


def text_items(answer: Any, what: str, example: str) -> tuple[list[str], list[str]]:
    """The text items of a plain answer and notes about it.

    A string is split at commas, semicolons and line breaks; a list gives its items.
    Notes starting with ``!`` mean the answer cannot be used at all.

    >>> text_items("gluteus maximus, semitendinosus;\\n", "muscle names", "['gluteus maximus']")
    (['gluteus maximus', 'semitendinosus'], [])
    >>> text_items([1, "iliacus"], "muscle names", "['iliacus']")[1]
    ['Item 1 (1) is not text, so it was not counted; write each of your muscle names as text.']
    """
    if answer is None:
        return [], [f"!There is no answer yet: write your {what} as a list, e.g. {example}."]
    if type(answer) is str:
        parts = [p.strip() for p in re.split(r"[,;\n]+", answer)]
        return [p for p in parts if p], []
    if type(answer) is not list:
        return [], [f"!Write your {what} as a list of text, e.g. {example} (got {type(answer).__name__})."]
    items, notes = [], []
    for i, item in enumerate(answer, start=1):
        if type(item) is str:
            if item.strip():
                items.append(item.strip())
        else:
            shown = repr(item) if len(repr(item)) < 40 else type(item).__name__
            notes.append(f"Item {i} ({shown}) is not text, so it was not counted; write each of your {what} as text.")
    if len(set(items)) > MAX_DISTINCT:
        return [], [f"!Your answer has {len(set(items))} different entries; hand in only the {what} the question asks for."]
    return items, notes


def plural(n: int, word: str, words: str | None = None) -> str:
    """``1 muscle``, ``2 muscles``.

    >>> plural(1, "muscle"), plural(3, "muscle")
    ('1 muscle', '3 muscles')
    """
    return f"{n} {word if n == 1 else (words or word + 's')}"
