"""One checker class per question kind, picked by :func:`checker_for` from the registry.

Each kind's module (``actions``, ``choice``, ``muscles``, ``number``, ``table``, ``text``)
registers its checker in :data:`coursekit.checks.base.CHECKERS` when imported; this module
imports them all, so the kinds depend on the base and nothing depends back.
"""

from __future__ import annotations

from coursekit.checks import actions, choice, muscles, number, table, text  # noqa: F401  (they register)
from coursekit.checks.base import CHECKERS, Checker
from coursekit.errors import QuestionError

__all__ = ["checker_for", "kinds"]


def kinds() -> list[str]:
    """The question kinds that have a checker."""
    return sorted(CHECKERS)


def checker_for(kind: str) -> Checker:
    """The checker for a question kind.

    >>> type(checker_for("number")).__name__
    'NumberChecker'
    """
    try:
        return CHECKERS[kind]()
    except KeyError:
        raise QuestionError(f"Unknown question kind {kind!r}; use one of: {', '.join(sorted(CHECKERS))}.") from None
