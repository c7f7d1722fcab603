"""Question records: the small data classes the question bank builds and the checkers read.

Both :mod:`coursekit.bank` (which loads and validates bank files) and
:mod:`coursekit.checks` (which judges answers) import this module, and it imports
neither, so the two never import each other.

A question is *practice* (its key ships with the package; lesson self-checks) or
*graded* (``graded=True``; its key lives in the instructor's course directory,
``assignments/bank/``). Where only the public form of a graded question is loaded
(a student's environment), ``has_key`` is False: ``expected`` is None, no option is
marked correct and ``settings`` holds only the form of an answer.

>>> q = Question("demo.q", "choice", "Pick one", "demo.yaml", options=(Option("a", "Flexion", None),))
>>> q.has_key, q.options[0].correct is None
(True, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Objective", "Option", "Question"]


@dataclass(frozen=True)
class Option:
    """One option of a choice question: a key the student types, its text and feedback.

    ``correct`` is None in the public form of a graded question (nobody on the student's
    side knows it).
    """

    key: str
    text: str
    correct: bool | None
    feedback: str = ""


@dataclass(frozen=True, eq=False)
class Question:
    """One question; ``expected``, ``options`` and ``settings`` are filled in by its checker."""

    id: str
    kind: str
    prompt: str
    source: str
    objective: str | None = None
    hidden: bool = False
    title: str = ""
    explanation: str = ""
    examples: tuple[Mapping[str, Any], ...] = ()
    misconceptions: Mapping[str, str] = field(default_factory=dict)
    expected: Any = None
    options: tuple[Option, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)
    #: A graded question (its key belongs to the course directory, not the package).
    graded: bool = False
    #: False for the public form of a graded question: nothing here can score an answer.
    has_key: bool = True

    def public(self) -> dict[str, Any]:
        """What may be shown to students, as plain JSON data: no key when hidden or graded."""
        secret = self.hidden or self.graded
        out: dict[str, Any] = {"id": self.id, "kind": self.kind, "prompt": self.prompt,
                               "title": self.title, "hidden": self.hidden, "objective": self.objective}
        if self.graded:
            out["graded"] = True
        if self.options:
            out["options"] = [{"key": o.key, "text": o.text} | ({} if secret else {"correct": o.correct, "feedback": o.feedback})
                              for o in self.options]
        if not secret:
            from coursekit.checks.export import to_plain

            out["expected"] = to_plain(self.expected)
            out["explanation"] = self.explanation
        for name in ("units", "sign"):
            if self.settings.get(name):
                out[name] = self.settings[name]
        return out


@dataclass(frozen=True)
class Objective:
    """One learning objective of the course (``data/objectives.csv``)."""

    id: str
    chapter: str
    text: str
