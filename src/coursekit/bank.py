"""The question bank: questions as data, in YAML files, loaded and validated once.

Practice questions (lesson self-checks, the core set) live in the package,
``coursekit/data/bank/*.yaml``, with their answers. Graded questions live in the
instructor's course directory, ``assignments/bank/*.yaml`` (beside ``source/``); the
package holds only their public form, ``coursekit/data/bank/public/*.yaml``, written by
``coursekit assignments build`` (:mod:`coursekit.coursekeys`). A student's environment
therefore loads every graded question without its key. The instructor's tools add the
course's key files (:func:`use_key_dir`, or the directories listed in the environment
variable ``COURSEKIT_BANK_PATH``); a key entry then takes the place of its public entry.
Files whose name starts with ``_`` are skipped. Entries are checked against the JSON
Schema ``data/bank/_schema.yaml`` and by each kind's checker; every error names the
file, the question id and the field.

>>> q = question("core.deep-rotators")
>>> q.kind, q.hidden, q.objective, q.graded
('muscles', True, 'rotation.1', False)
>>> len(q.expected)
6
>>> "core.pelvic-tilt-direction" in {q.id for q in questions(kind="action")}
True
"""

from __future__ import annotations

import difflib
import functools
import os
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from coursekit.checks.registry import checker_for
from coursekit.errors import BankError, QuestionError
from coursekit.records import Objective, Option, Question

__all__ = [
    "BankError", "Option", "Question", "bank_files", "by_objective", "load",
    "Objective", "load_file", "objective_ids", "objectives", "question", "questions", "reload", "summary",
]

BANK_ENV = "COURSEKIT_BANK_PATH"
BANK_DIR = Path(__file__).parent / "data" / "bank"
#: Public forms of graded questions (generated; no keys).
PUBLIC_DIR = BANK_DIR / "public"
#: The key directory chosen by the instructor's tools (it replaces ``COURSEKIT_BANK_PATH``).
_KEY_DIRS: list[Path] = []


# --------------------------------------------------------------------------- files


def key_dirs() -> list[Path]:
    """Directories of graded keys in use: the one given to :func:`use_key_dir`, else ``COURSEKIT_BANK_PATH``."""
    if _KEY_DIRS:
        return list(_KEY_DIRS)
    return [Path(p) for p in os.environ.get(BANK_ENV, "").split(os.pathsep) if p]


def use_key_dir(path: Path | str) -> None:
    """Read graded keys from ``path`` (the instructor's side only), and reload the bank.

    One course at a time: the directory replaces any given before and
    ``COURSEKIT_BANK_PATH``, so a process that works on a course (``coursekit
    assignments``, ``coursekit grade``) reads that course's keys and no others.
    """
    path = Path(path).resolve()
    _KEY_DIRS[:] = [path]
    reload()


def bank_files() -> list[Path]:
    """The YAML files of the bank: the package's (practice, then public), then key directories."""
    dirs = [BANK_DIR, PUBLIC_DIR, *key_dirs()]
    return [f for d in dirs for f in sorted(d.glob("*.yaml")) if not f.name.startswith("_")]


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
        # libyaml's safe loader when PyYAML has it: the same documents, about 10x faster to read
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as err:
        raise BankError(path.name, f"is not valid YAML: {err}") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise BankError(path.name, "must be a YAML list of questions (each starting with '- id: ...')")
    return [_question(path.name, i, raw) for i, raw in enumerate(data)]


def load(paths: Iterable[Path | str]) -> dict[str, Question]:
    """Read several bank files; a question id may appear only once across all of them.

    The one exception: a graded question's key entry (from a course directory) takes
    the place of its public entry, and stays graded.
    """
    found: dict[str, Question] = {}
    for path in paths:
        for q in load_file(path):
            old = found.get(q.id)
            if old is not None and not (old.graded and not old.has_key and q.has_key and q.kind == old.kind):
                raise BankError(q.source, f"duplicate id; it is also defined in {old.source}", question=q.id, field="id")
            found[q.id] = replace(q, graded=True) if old is not None else q
    return found


@functools.cache
def _bank() -> dict[str, Question]:
    return load(bank_files())


def reload() -> None:
    """Forget the loaded bank (after editing a file or changing ``COURSEKIT_BANK_PATH``)."""
    _bank.cache_clear()
    _student_view.cache_clear()
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

    def state(q: Question) -> str:
        return ("graded" if q.has_key else "public") if q.graded else "hidden" if q.hidden else "open"

    lines = [f"{q.id:<45} {q.kind:<12} {q.objective or '-':<20} {state(q):<7} {q.source}" for q in rows]
    return "\n".join(lines + [f"{len(rows)} question(s) from {len(bank_files())} file(s); all valid."])


def by_objective() -> dict[str, list[Question]]:
    """Questions grouped by objective id (questions without one are left out)."""
    out: dict[str, list[Question]] = {}
    for q in _bank().values():
        if q.objective:
            out.setdefault(q.objective, []).append(q)
    return out


# --------------------------------------------------------------------------- public forms


def public_entry(q: Question) -> dict[str, Any]:
    """The public form of a question as a bank entry (``graded: true``): no key of any kind.

    >>> e = public_entry(question("core.thomas-test-muscle"))
    >>> e["graded"], e["options"][0], "correct" in str(e)
    (True, {'key': 'a', 'text': 'Iliopsoas'}, False)
    """
    checker = checker_for(q.kind)
    entry: dict[str, Any] = {"id": q.id, "kind": q.kind}
    if q.title:
        entry["title"] = q.title
    entry["prompt"] = q.prompt
    if q.objective:
        entry["objective"] = q.objective
    entry |= {"hidden": True, "graded": True}
    form = checker.public_form(q)
    if form:
        entry["form"] = form
    if q.options:
        entry["options"] = [{"key": o.key, "text": o.text} for o in q.options]
    examples = checker.public_examples(q)
    if examples:
        entry["examples"] = examples
    return entry


@functools.cache
def _student_view(question_id: str) -> Question:
    q = question(question_id)
    return _question(q.source, 0, public_entry(q))


def student_view(q: Question) -> Question:
    """What a student's kernel knows of ``q``: a graded question's public form, else ``q`` itself."""
    if not q.graded or not q.has_key:
        return q
    if _bank().get(q.id) is q:
        return _student_view(q.id)
    return _question(q.source, 0, public_entry(q))


# --------------------------------------------------------------------------- validation


@functools.cache
def _validator() -> jsonschema.protocols.Validator:
    # The schema ships with the package and tests/checks/test_schema.py checks it against its
    # metaschema; checking it again here cost every kernel and grading run a few hundredths of a second.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    schema = yaml.load((BANK_DIR / "_schema.yaml").read_text(encoding="utf-8"), Loader=loader)
    return jsonschema.validators.validator_for(schema)(schema)


def _schema_problem(source: str, index: int, raw: Any) -> BankError | None:
    """The first schema error of one entry, as a BankError naming file, question and field."""
    if not isinstance(raw, dict):
        return BankError(source, f"entry {index + 1} is not a mapping of fields")
    errors = list(_validator().iter_errors(raw))
    if not errors:
        return None
    qid = raw.get("id") if isinstance(raw.get("id"), str) else None
    order = ["id", "kind", "prompt"]

    def rank(err: jsonschema.ValidationError) -> tuple[int, int]:
        name = _field(err)
        return (order.index(name) if name in order else len(order), 0 if err.validator == "additionalProperties" else 1)

    err = min(errors, key=rank)
    name = _field(err)
    if name == "id":
        return BankError(source, f"entry {index + 1}: " + _message(err, raw), field="id")
    return BankError(source, _message(err, raw), question=qid, field=name)


def _field(err: jsonschema.ValidationError) -> str:
    if err.validator == "additionalProperties":
        allowed = set(err.schema.get("properties", {}))
        unknown = sorted(set(err.instance) - allowed)[0]
        return ".".join([*map(str, err.absolute_path), unknown])
    if err.validator == "required":
        return str(err.validator_value[-1]) if len(err.validator_value) == 1 else next(
            f for f in err.validator_value if f not in err.instance)
    return ".".join(str(p) for p in err.absolute_path) or "id"


def _message(err: jsonschema.ValidationError, raw: Mapping[str, Any]) -> str:
    if err.validator == "additionalProperties" and not err.absolute_path:
        allowed = ", ".join(sorted(set(err.schema.get("properties", {})) - {"id", "kind", "prompt"}))
        form = "public entry" if "graded" in raw else f"{raw.get('kind')} question"
        return f"is not a field of a {form}; the fields are: {allowed}"
    schema = err.schema
    if err.validator == "required":
        name = _field(err)
        schema = _validator().schema["properties"].get(name, {})
    template = schema.get("x-error")
    if not template:
        path = list(err.absolute_path)
        top = _validator().schema["properties"].get(str(path[0]), {}) if path else {}
        template = top.get("x-error", err.message)
    kinds = ", ".join(_validator().schema["properties"]["kind"]["enum"])
    return template.format(value=err.instance, kinds=kinds)


def _question(source: str, index: int, raw: Any) -> Question:
    problem = _schema_problem(source, index, raw)
    if problem is not None:
        raise problem
    qid, kind = raw["id"], raw["kind"]

    def fail(name: str, problem: str) -> BankError:
        return BankError(source, problem, question=qid, field=name)

    checker = checker_for(kind)
    q = Question(
        id=qid, kind=kind, source=source,
        prompt=raw["prompt"].strip(),
        objective=_objective(raw, fail),
        hidden=raw.get("hidden", False),
        title=raw.get("title", "").strip(),
        explanation=raw.get("explanation", "").strip(),
        examples=_examples(raw, checker.example_keys, fail),
        misconceptions={k: v.strip() for k, v in raw.get("misconceptions", {}).items()},
    )
    if raw.get("graded"):
        options = tuple(Option(str(o["key"]), o["text"].strip(), None) for o in raw.get("options", []))
        q = replace(q, graded=True, has_key=False, options=options)
        return checker.from_public(q, raw.get("form", {}), fail)
    return checker.prepare(q, raw, fail)


def _objective(raw: Mapping[str, Any], fail: Any) -> str | None:
    value = raw.get("objective")
    if value is None:
        return None
    known = objective_ids()
    if known and value not in known:
        close = difflib.get_close_matches(str(value), sorted(known), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise fail("objective", f"unknown objective {value!r}: use an id from data/objectives.csv{hint}")
    return value


def _examples(raw: Mapping[str, Any], keys: frozenset[str], fail: Any) -> tuple[Mapping[str, Any], ...]:
    out = []
    for i, item in enumerate(raw.get("examples", [])):
        if not isinstance(item, dict) or len(set(item) - {"feedback"}) != 1 or not set(item) - {"feedback"} <= keys:
            choices = ", ".join(sorted(keys)) or "none for this kind"
            raise fail(f"examples[{i}]", f"must be a mapping with one check ({choices}) and an optional 'feedback'")
        if "feedback" in item and not isinstance(item["feedback"], str):
            raise fail(f"examples[{i}].feedback", "must be text")
        out.append(dict(item))
    return tuple(out)
