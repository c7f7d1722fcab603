"""The checker base class and the registry each question kind registers into.

:func:`coursekit.checks.registry.checker_for` picks the checker of a kind.

A checker does three jobs: :meth:`Checker.prepare` validates the kind-specific fields of a
question when the bank loads (so a broken question fails once, naming file, id and
field), :meth:`Checker.check` judges a plain answer (see :mod:`.export`), either fully
(``full=True``) or with only the visible checks a hidden question allows, and
:meth:`Checker.public_form` / :meth:`Checker.from_public` split a graded question into
what a student may see (the form of an answer) and its key. The visible checks of a
graded question run on the public form only, so they cannot depend on the key.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from coursekit.checks.result import Result
from coursekit.errors import KeysElsewhereError

if TYPE_CHECKING:
    from coursekit.records import Question

__all__ = ["Checker", "CHECKERS", "Fail", "GRADED_DETAILS", "no_key_error", "register"]

#: Raises a bank error for one field of the question being prepared.
Fail = Callable[[str, str], Exception]

CHECKERS: dict[str, type[Checker]] = {}

#: The instructor-side details of a graded question's visible check (the same for every answer).
GRADED_DETAILS = ("visible checks only: graded questions are judged on the instructor's side",)


def no_key_error(question_id: str, call: str) -> KeysElsewhereError:
    """The error of a score asked for where a graded question's key is not."""
    return KeysElsewhereError(
        f"{question_id} is a graded question: it is graded on the instructor's side, after you submit, "
        f"and its answer key is not on this computer, so {call} gives no score here. "
        f"check_answer({question_id!r}, answer, points) (or check({question_id!r}, answer)) tells you whether your "
        "answer has the right form; the feedback on your answer comes back with your grade.")


def register(cls: type[Checker]) -> type[Checker]:
    """Class decorator: add a checker to the registry under its ``kind``."""
    CHECKERS[cls.kind] = cls
    return cls


class Checker(ABC):
    """Judges answers to questions of one kind."""

    kind: ClassVar[str]
    #: Kind-specific question fields this checker reads (others are a schema error).
    fields: ClassVar[frozenset[str]] = frozenset()
    #: Keys an entry of ``examples`` may use (besides ``feedback``).
    example_keys: ClassVar[frozenset[str]] = frozenset()
    #: The example keys that check only the form of an answer (kept in public forms).
    form_example_keys: ClassVar[frozenset[str]] = frozenset()
    #: Fields of the ``form`` mapping of a public entry.
    form_fields: ClassVar[frozenset[str]] = frozenset()

    def prepare(self, question: Question, raw: Mapping[str, Any], fail: Fail) -> Question:
        """Validate the raw YAML mapping and return the question with ``expected``/``settings`` filled."""
        return question

    def public_form(self, question: Question) -> dict[str, Any]:
        """The form an answer must have (units, columns...): public, never part of the key."""
        return {}

    def public_examples(self, question: Question) -> list[dict[str, Any]]:
        """The visible checks whose outcome does not depend on the key."""
        return [dict(ex) for ex in question.examples if set(ex) - {"feedback"} <= self.form_example_keys]

    def from_public(self, question: Question, form: Mapping[str, Any], fail: Fail) -> Question:
        """Validate the ``form`` of a public entry; the question's settings become that form."""
        unknown = sorted(set(form) - self.form_fields)
        if unknown:
            raise fail(f"form.{unknown[0]}", f"is not a form field of a {self.kind} question; "
                       f"the form fields are: {', '.join(sorted(self.form_fields)) or 'none'}")
        return replace(question, settings=dict(form))

    def check(self, question: Question, answer: Any, *, full: bool) -> Result:
        """Judge a plain answer: everything (``full``) or only the visible checks.

        The public form of a graded question (no key) has no full check, and its visible
        result carries the same instructor details whatever the answer.
        """
        if not question.has_key:
            if full:
                raise no_key_error(question.id, "a full check")
            return replace(self.visible(question, answer), details=list(GRADED_DETAILS))
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
