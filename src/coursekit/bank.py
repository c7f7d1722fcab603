"""The question bank: questions as data, in YAML files, loaded and validated once.

Each file in ``coursekit/data/bank/*.yaml`` (and in the directories listed in the
environment variable ``COURSEKIT_BANK_PATH``) is a list of questions. Files whose name
starts with ``_`` are skipped. The format is described in ``data/bank/_schema.yaml``
and in the book page *How to write a question*. Every schema error names the file,
the question id and the field.

>>> q = question("core.hip-extensors-external-rotators")
>>> q.kind, q.hidden, q.objective
('muscles', True, 'hip-extensors.2')
>>> sorted(q.expected)
['biceps femoris (long head)', 'gluteus maximus']
>>> "core.pelvic-tilt-direction" in {q.id for q in questions(kind="action")}
True
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from coursekit.errors import BankError, QuestionError

__all__ = [
    "BankError", "Option", "Question", "bank_files", "by_objective", "load",
    "Objective", "load_file", "objective_ids", "objectives", "question", "questions", "reload", "summary",
]

BANK_ENV = "COURSEKIT_BANK_PATH"
_ID = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")
_COMMON = frozenset({"id", "kind", "prompt", "objective", "hidden", "examples", "misconceptions", "explanation", "title"})


@dataclass(frozen=True)
class Option:
    """One option of a choice question: a key the student types, its text and feedback."""

    key: str
    text: str
    correct: bool
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

    def public(self) -> dict[str, Any]:
        """What may be shown to students, as plain JSON data: no key when hidden."""
        out: dict[str, Any] = {"id": self.id, "kind": self.kind, "prompt": self.prompt,
                               "title": self.title, "hidden": self.hidden, "objective": self.objective}
        if self.options:
            out["options"] = [{"key": o.key, "text": o.text} | ({} if self.hidden else {"correct": o.correct, "feedback": o.feedback})
                              for o in self.options]
        if not self.hidden:
            from coursekit.checks.export import to_plain

            out["expected"] = to_plain(self.expected)
            out["explanation"] = self.explanation
        for name in ("units", "sign"):
            if self.settings.get(name):
                out[name] = self.settings[name]
        return out


# --------------------------------------------------------------------------- loading


def bank_files() -> list[Path]:
    """The YAML files of the bank: the package's own, then those under ``COURSEKIT_BANK_PATH``."""
    dirs = [Path(__file__).parent / "data" / "bank"]
    dirs += [Path(p) for p in os.environ.get(BANK_ENV, "").split(os.pathsep) if p]
    return [f for d in dirs for f in sorted(d.glob("*.yaml")) if not f.name.startswith("_")]


@dataclass(frozen=True)
class Objective:
    """One learning objective of the course (``data/objectives.csv``)."""

    id: str
    chapter: str
    text: str


@functools.cache
def objectives() -> dict[str, Objective]:
    """The course's learning objectives by id, in file order.

    >>> objectives()["pelvic-tilt.2"].chapter
    'pelvic-tilt'
    """
    from coursekit.anatomy import read_rows

    path = Path(__file__).parent / "data" / "objectives.csv"
    found: dict[str, Objective] = {}
    for row in read_rows(path, ("id", "chapter", "text")):
        oid = row.text("id")
        if oid in found:
            raise row.error("id", f"duplicate objective {oid!r}")
        found[oid] = Objective(oid, row.text("chapter"), row.text("text"))
    return found


def objective_ids() -> frozenset[str]:
    """Ids in ``data/objectives.csv``."""
    return frozenset(objectives())


def load_file(path: Path | str) -> list[Question]:
    """Read and validate one bank file."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise BankError(path.name, f"is not valid YAML: {err}") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise BankError(path.name, "must be a YAML list of questions (each starting with '- id: ...')")
    return [_question(path.name, i, raw) for i, raw in enumerate(data)]


def load(paths: Iterable[Path | str]) -> dict[str, Question]:
    """Read several bank files; a question id may appear only once across all of them."""
    found: dict[str, Question] = {}
    for path in paths:
        for q in load_file(path):
            if q.id in found:
                raise BankError(q.source, f"duplicate id; it is also defined in {found[q.id].source}", question=q.id, field="id")
            found[q.id] = q
    return found


@functools.cache
def _bank() -> dict[str, Question]:
    return load(bank_files())


def reload() -> None:
    """Forget the loaded bank (after editing a file or changing ``COURSEKIT_BANK_PATH``)."""
    _bank.cache_clear()
    objectives.cache_clear()


def question(question_id: str) -> Question:
    """One question by id; an unknown id names the closest ones."""
    bank = _bank()
    if type(question_id) is str and question_id in bank:
        return bank[question_id]
    close = difflib.get_close_matches(str(question_id), list(bank), n=3)
    hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise QuestionError(f"No question {question_id!r} in the bank.{hint} See coursekit.bank.questions() for the ids.")


def questions(*, kind: str | None = None, objective: str | None = None) -> list[Question]:
    """All questions (in file order), optionally of one kind or one objective."""
    return [q for q in _bank().values()
            if (kind is None or q.kind == kind) and (objective is None or q.objective == objective)]


def summary(*, kind: str | None = None, objective: str | None = None) -> str:
    """A validated listing of the bank, one question per line (for ``coursekit questions``)."""
    rows = questions(kind=kind, objective=objective)
    lines = [f"{q.id:<45} {q.kind:<12} {q.objective or '-':<20} {'hidden' if q.hidden else 'open':<7} {q.source}" for q in rows]
    return "\n".join(lines + [f"{len(rows)} question(s) from {len(bank_files())} file(s); all valid."])


def by_objective() -> dict[str, list[Question]]:
    """Questions grouped by objective id (questions without one are left out)."""
    out: dict[str, list[Question]] = {}
    for q in _bank().values():
        if q.objective:
            out.setdefault(q.objective, []).append(q)
    return out


# --------------------------------------------------------------------------- validation


def _question(source: str, index: int, raw: Any) -> Question:
    from coursekit.checks.base import checker_for, kinds

    if not isinstance(raw, dict):
        raise BankError(source, f"entry {index + 1} is not a mapping of fields")
    qid = raw.get("id")
    if not isinstance(qid, str) or not _ID.match(qid):
        raise BankError(source, f"entry {index + 1}: 'id' must be lower-case letters, digits, '.' and '-' (got {qid!r})", field="id")

    def fail(name: str, problem: str) -> BankError:
        return BankError(source, problem, question=qid, field=name)

    kind = raw.get("kind")
    if kind not in kinds():
        raise fail("kind", f"unknown kind {kind!r}; use one of: {', '.join(kinds())}")
    checker = checker_for(kind)
    unknown = sorted(set(raw) - _COMMON - checker.fields)
    if unknown:
        allowed = ", ".join(sorted(_COMMON | checker.fields))
        raise fail(unknown[0], f"is not a field of a {kind} question; the fields are: {allowed}")
    q = Question(
        id=qid, kind=kind, source=source,
        prompt=_text(raw, "prompt", fail, required=True),
        objective=_objective(raw, fail),
        hidden=_flag(raw, "hidden", fail),
        title=_text(raw, "title", fail),
        explanation=_text(raw, "explanation", fail),
        examples=_examples(raw, checker.example_keys, fail),
        misconceptions=_misconceptions(raw, fail),
    )
    return checker.prepare(q, raw, fail)


def _text(raw: Mapping[str, Any], name: str, fail: Any, *, required: bool = False) -> str:
    value = raw.get(name, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise fail(name, "must be non-empty text" if required else "must be text")
    return value.strip()


def _flag(raw: Mapping[str, Any], name: str, fail: Any) -> bool:
    value = raw.get(name, False)
    if type(value) is not bool:
        raise fail(name, f"must be true or false, not {value!r}")
    return value


def _objective(raw: Mapping[str, Any], fail: Any) -> str | None:
    value = raw.get("objective")
    if value is None:
        return None
    known = objective_ids()
    if not isinstance(value, str) or (known and value not in known):
        close = difflib.get_close_matches(str(value), sorted(known), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise fail("objective", f"unknown objective {value!r}: use an id from data/objectives.csv{hint}")
    return value


def _examples(raw: Mapping[str, Any], keys: frozenset[str], fail: Any) -> tuple[Mapping[str, Any], ...]:
    value = raw.get("examples", [])
    if not isinstance(value, list):
        raise fail("examples", "must be a list of visible checks, e.g. [{excludes: iliopsoas}]")
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, dict) or len(set(item) - {"feedback"}) != 1 or not set(item) - {"feedback"} <= keys:
            choices = ", ".join(sorted(keys)) or "none for this kind"
            raise fail(f"examples[{i}]", f"must be a mapping with one check ({choices}) and an optional 'feedback'")
        if "feedback" in item and not isinstance(item["feedback"], str):
            raise fail(f"examples[{i}].feedback", "must be text")
        out.append(dict(item))
    return tuple(out)


def _misconceptions(raw: Mapping[str, Any], fail: Any) -> dict[str, str]:
    value = raw.get("misconceptions", {})
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()):
        raise fail("misconceptions", "must map an answer (text) to an explanation (text)")
    return {k: v.strip() for k, v in value.items()}
