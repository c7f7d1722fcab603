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
"""

from __future__ import annotations

import ast
import re

from coursekit.errors import GradingError

__all__ = ["grade_calls"]

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
