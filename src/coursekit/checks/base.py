"""One checker class per question kind, picked by :func:`checker_for` from a registry.

A checker does two jobs: :meth:`Checker.prepare` validates the kind-specific fields of a
question when the bank loads (so a broken question fails once, naming file, id and
field), and :meth:`Checker.check` judges a plain answer (see :mod:`.export`), either fully
(``full=True``) or with only the visible checks a hidden question allows.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from coursekit.checks.result import Result
from coursekit.errors import QuestionError

if TYPE_CHECKING:
    from coursekit.bank import Question

__all__ = ["Checker", "CHECKERS", "Fail", "checker_for", "register", "kinds"]

#: Raises a bank error for one field of the question being prepared.
Fail = Callable[[str, str], Exception]

CHECKERS: dict[str, type[Checker]] = {}


def register(cls: type[Checker]) -> type[Checker]:
    """Class decorator: add a checker to the registry under its ``kind``."""
    CHECKERS[cls.kind] = cls
    return cls


def kinds() -> list[str]:
    """The question kinds that have a checker."""
    _load_builtin()
    return sorted(CHECKERS)


def checker_for(kind: str) -> Checker:
    """The checker for a question kind.

    >>> type(checker_for("number")).__name__
    'NumberChecker'
    """
    _load_builtin()
    try:
        return CHECKERS[kind]()
    except KeyError:
        raise QuestionError(f"Unknown question kind {kind!r}; use one of: {', '.join(sorted(CHECKERS))}.") from None


def _load_builtin() -> None:
    from coursekit.checks import actions, choice, muscles, number, table, text  # noqa: F401  (they register)


class Checker(ABC):
    """Judges answers to questions of one kind."""

    kind: ClassVar[str]
    #: Kind-specific question fields this checker reads (others are a schema error).
    fields: ClassVar[frozenset[str]] = frozenset()
    #: Keys an entry of ``examples`` may use (besides ``feedback``).
    example_keys: ClassVar[frozenset[str]] = frozenset()

    def prepare(self, question: Question, raw: Mapping[str, Any], fail: Fail) -> Question:
        """Validate the raw YAML mapping and return the question with ``expected``/``settings`` filled."""
        return question

    def check(self, question: Question, answer: Any, *, full: bool) -> Result:
        """Judge a plain answer: everything (``full``) or only the visible checks."""
        return self.full(question, answer) if full else self.visible(question, answer)

    @abstractmethod
    def full(self, question: Question, answer: Any) -> Result:
        """The whole check, hidden parts included."""

    def visible(self, question: Question, answer: Any) -> Result:
        """Only what a hidden question may tell a student: by default the answer's shape."""
        result = self.full(question, answer)
        return Result(1.0 if result.passed else 0.0, [], result.details, partial=True)

    # ----------------------------------------------------------------- helpers

    @staticmethod
    def visible_result(checks: list[tuple[bool, str]], notes: list[str], details: list[str]) -> Result:
        """A partial result from (passed, message-if-failed) pairs plus notes on the answer."""
        failed = [message for ok, message in checks if not ok]
        score = (len(checks) - len(failed)) / len(checks) if checks else 1.0
        usable = not any(note.startswith("!") for note in notes)
        feedback = [note.lstrip("!") for note in notes] + failed
        if usable and not failed:
            feedback.append("Your answer passes the visible checks." if checks else "Your answer has the right form.")
        return Result(score if usable else 0.0, feedback, details, passed=usable and not failed, partial=True)
