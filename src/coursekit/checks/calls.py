"""Find the ``grade("question-id", answer, points)`` calls in a test cell's source.

The source is parsed with :mod:`ast` (IPython magics and shell lines are stripped
first), so comments, strings and odd spacing cannot confuse it.

>>> grade_calls('''
... from coursekit.checks import grade
... ### BEGIN HIDDEN TESTS
... grade("ps1.extensors", extensors, 3)   # grade("not.this", x, 1)
... checks.grade("ps1.angle", angle, points=1.5)
... ### END HIDDEN TESTS
... ''')
[('ps1.extensors', 3.0), ('ps1.angle', 1.5)]

Hidden tests never enter the grading sandbox. :func:`sandbox_source` turns a test cell
into what the sandbox runs: the visible lines, and for each ``grade("qid", answer, points)``
call of a hidden region one generated line that hands ``answer`` out under ``qid``
(nothing else of the region: no points, no comments, no other statements). A hidden
region may hold only such calls (plus blank lines and comments, which are dropped);
anything else raises :class:`HiddenTestsError` naming the line:

>>> print(sandbox_source('''check_answer("ps1.angle", angle, 2)
... ### BEGIN HIDDEN TESTS
... # the key is 42
... grade("ps1.angle", angle, 2)
... ### END HIDDEN TESTS''', "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"))
check_answer("ps1.angle", angle, 2)
import coursekit.checks.calls as _coursekit_hand_out_
_coursekit_hand_out_.export_answer('ps1.angle', angle)
>>> sandbox_source("### BEGIN HIDDEN TESTS\\nassert angle == 42\\n### END HIDDEN TESTS", "BEGIN HIDDEN TESTS",
...                "END HIDDEN TESTS")
Traceback (most recent call last):
...
coursekit.errors.HiddenTestsError: test cell, line 2: the hidden tests may only call grade("question-id", answer, points); this line is an assert statement. Move the check into the question's bank entry (the grader runs it outside the sandbox) and keep only the grade(...) call.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any

from coursekit.errors import GradingError, HiddenTestsError

__all__ = ["grade_calls", "HiddenCall", "HiddenTestsError", "hidden_calls", "sandbox_source", "export_answer"]

_MAGIC = re.compile(r"^\s*([%!?]|\w+\s*=\s*!)")


def _is_grade(func: ast.expr) -> bool:
    return (isinstance(func, ast.Name) and func.id == "grade") or (isinstance(func, ast.Attribute) and func.attr == "grade")


def _number(node: ast.expr | None) -> float | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _number(node.operand)
        return None if inner is None else -inner
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return float(node.value)
    return None


def grade_calls(source_text: str) -> list[tuple[str, float]]:
    """``(question id, points)`` for each ``grade(...)`` call, in source order.

    Raises :class:`~coursekit.errors.GradingError` naming the line when the cell does not
    parse, or when a call's question id or points is not a literal.
    """
    lines = ["" if _MAGIC.match(line) else line for line in source_text.splitlines()]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError as err:
        raise GradingError(f"test cell, line {err.lineno}: cannot parse the cell ({err.msg}); fix the cell's Python.") from None
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_grade(node.func):
            found.append((node.lineno, node.col_offset, _call(node)))
    return [call for _, _, call in sorted(found)]


def _call(node: ast.Call) -> tuple[str, float]:
    keywords = {k.arg: k.value for k in node.keywords if k.arg}
    qid = node.args[0] if node.args else keywords.get("question_id")
    points = node.args[2] if len(node.args) > 2 else keywords.get("points")
    if not (isinstance(qid, ast.Constant) and type(qid.value) is str):
        raise GradingError(f"test cell, line {node.lineno}: grade(...) needs the question id as a literal string, "
                           "e.g. grade(\"ps1.extensors\", answer, 2).")
    value = _number(points)
    if value is None or value < 0:
        raise GradingError(f"test cell, line {node.lineno}: grade({qid.value!r}, ...) needs its points as a literal "
                           "number >= 0, e.g. grade(\"ps1.extensors\", answer, 2).")
    return qid.value, value


# --------------------------------------------------------------------------- hidden tests out of the sandbox

#: The private alias the generated lines import the exporter under (a student's names cannot shadow it:
#: the import rebinds it right before use, in the same cell).
EXPORTER = "_coursekit_hand_out_"
_EXPORT_IMPORT = f"import coursekit.checks.calls as {EXPORTER}"


@dataclass(frozen=True)
class HiddenCall:
    """One ``grade(...)`` call of a hidden region: what the sandbox may see of it is ``question`` and ``answer``."""

    question: str
    answer: str  #: the answer expression, normalised (``ast.unparse``)
    points: float
    line: int


_WHAT = {ast.Assign: "an assignment", ast.AugAssign: "an assignment", ast.AnnAssign: "an assignment",
         ast.Assert: "an assert statement", ast.Import: "an import", ast.ImportFrom: "an import",
         ast.FunctionDef: "a function definition", ast.ClassDef: "a class definition", ast.If: "an if statement",
         ast.For: "a loop", ast.While: "a loop", ast.Try: "a try statement", ast.With: "a with statement"}
_ONLY = ('the hidden tests may only call grade("question-id", answer, points); this line is {what}. Move the check '
         "into the question's bank entry (the grader runs it outside the sandbox) and keep only the grade(...) call.")


def _answer_ok(node: ast.expr) -> bool:
    """A variable, or an attribute or literal/variable item of one: nothing that could carry a key."""
    if isinstance(node, ast.Name):
        return True
    if isinstance(node, ast.Attribute):
        return _answer_ok(node.value)
    if isinstance(node, ast.Subscript):
        index = node.slice
        return _answer_ok(node.value) and (isinstance(index, ast.Name) or (
            isinstance(index, ast.Constant) and type(index.value) in (int, str)))
    return False


def hidden_calls(region: str, first_line: int = 1) -> list[HiddenCall]:
    """The ``grade(...)`` calls of one hidden region (``first_line``: its first line's number in the cell).

    Raises :class:`HiddenTestsError` for a magic or shell line, a statement that is not a bare
    ``grade(...)`` call, or an answer that is not a variable (the sandbox sees that expression).
    """
    lines = region.split("\n")
    for offset, line in enumerate(lines):
        if _MAGIC.match(line):
            raise HiddenTestsError(first_line + offset, _ONLY.format(what="an IPython magic or shell command"))
    try:
        tree = ast.parse(region)
    except SyntaxError as err:
        raise HiddenTestsError(first_line + (err.lineno or 1) - 1, f"cannot parse the hidden tests ({err.msg}); "
                               "fix the cell's Python.") from None
    calls = []
    for stmt in tree.body:
        line = first_line + stmt.lineno - 1
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if not (isinstance(call, ast.Call) and _is_grade(call.func)):
            what = _WHAT.get(type(stmt), "an expression" if isinstance(stmt, ast.Expr) else "a statement")
            raise HiddenTestsError(line, _ONLY.format(what=what))
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            raise HiddenTestsError(line, "grade(...) in the hidden tests takes plain arguments (no * or **).")
        try:
            qid, points = _call(call)
        except GradingError as err:
            raise HiddenTestsError(line, str(err).split(": ", 1)[1]) from None
        keywords = {k.arg: k.value for k in call.keywords}
        answer = call.args[1] if len(call.args) > 1 else keywords.get("answer")
        if answer is None:
            raise HiddenTestsError(line, f"grade({qid!r}, ...) names no answer: write grade({qid!r}, answer, "
                                   f"{points:g}).")
        if not _answer_ok(answer):
            raise HiddenTestsError(line, f"grade({qid!r}, ...)'s answer must be a variable (or an attribute or item "
                                   f"of one), not {ast.unparse(answer)!r}: the sandbox receives that expression; "
                                   "put any computation into the question's bank entry.")
        calls.append(HiddenCall(qid, ast.unparse(answer), points, line))
    return calls


def _regions(source: str, begin: str, end: str) -> tuple[list[str | list[tuple[int, str]]], bool]:
    """The cell split into visible lines and hidden regions ``[(line number, text)]``; True if one is unterminated."""
    parts: list[str | list[tuple[int, str]]] = []
    region: list[tuple[int, str]] | None = None
    for number, line in enumerate(source.split("\n"), start=1):
        if begin in line:
            region = []
            parts.append(region)
        elif end in line and region is not None:
            region = None
        elif region is not None:
            region.append((number, line))
        elif end not in line:
            parts.append(line)
    return parts, region is not None


def sandbox_source(source: str, begin: str, end: str) -> str:
    """What the sandbox runs for a test cell: visible lines, and one export line per hidden ``grade`` call.

    Raises :class:`HiddenTestsError` (see :func:`hidden_calls`) when a region holds anything else,
    or when a region is not closed.
    """
    parts, open_region = _regions(source, begin, end)
    if open_region:
        last = next(p for p in reversed(parts) if isinstance(p, list))
        start = last[0][0] - 1 if last else len(source.split("\n"))
        raise HiddenTestsError(start, f"the {begin!r} region has no {end!r} line: close it.")
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        if not part:
            continue
        calls = hidden_calls("\n".join(text for _, text in part), part[0][0])
        if calls:
            out.append(_EXPORT_IMPORT)
            out += [f"{EXPORTER}.export_answer({c.question!r}, {c.answer})" for c in calls]
    return "\n".join(out)


def export_answer(question_id: str, answer: Any) -> None:
    """Hand ``answer`` out to the grader as plain data (what ``grade`` displays in export mode)."""
    from coursekit.checks.api import _display_export

    _display_export(question_id, answer)
