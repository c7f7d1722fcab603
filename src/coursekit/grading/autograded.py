"""The autograded notebook: restored cells, the sandbox's outputs, the grader's verdicts.

Outputs coming back from the sandbox are rebuilt field by field (they may be forged
by student code), exported answers are dropped, and every test cell shows the
grader's feedback plus its score as ``text/plain`` (nbgrader's partial-credit
convention), so nbgrader's own ``determine_grade`` reads the same score we stored.
Hidden test regions are removed, so feedback never shows them.
"""

from __future__ import annotations

import html
from typing import Any

import nbformat
from nbformat import NotebookNode

from coursekit.course.cells import grade_id, is_test
from coursekit.course.regions import DEFAULT_DELIMITERS, Delimiters, strip_hidden
from coursekit.grading.capture import ANSWER_MIME  # noqa: F401 - used by the doctest of sanitize_outputs
from coursekit.grading.pages import render
from coursekit.grading.verdicts import CellVerdict

__all__ = ["sanitize_outputs", "build_autograded", "feedback_html", "format_points"]

_TEXT_MIMES = ("text/plain", "text/html", "text/markdown", "text/latex", "image/svg+xml", "application/json")
_B64_MIMES = ("image/png", "image/jpeg")


def format_points(value: float) -> str:
    """Points as nbgrader shows them.

    >>> format_points(2.0), format_points(1.5), format_points(0.3333333)
    ('2', '1.5', '0.333333')
    """
    return f"{value:.6f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))


def _text(value: Any, limit: int = 200_000) -> str:
    if isinstance(value, list):
        value = "".join(str(v) for v in value)
    return str(value)[:limit]


def _clean_output(out: Any) -> dict[str, Any] | None:
    if not isinstance(out, dict):
        return None
    kind = out.get("output_type")
    if kind == "stream":
        name = "stderr" if out.get("name") == "stderr" else "stdout"
        return {"output_type": "stream", "name": name, "text": _text(out.get("text", ""))}
    if kind == "error":
        tb = out["traceback"] if isinstance(out.get("traceback"), list) else []
        return {"output_type": "error", "ename": _text(out.get("ename", "Error"), 200),
                "evalue": _text(out.get("evalue", ""), 5_000), "traceback": [_text(t, 5_000) for t in tb[:40]]}
    if kind in ("display_data", "execute_result"):
        data = out["data"] if isinstance(out.get("data"), dict) else {}
        clean = {k: _text(v, 2_000_000) for k, v in data.items() if k in _TEXT_MIMES + _B64_MIMES}
        if not clean:
            return None
        clean.setdefault("text/plain", "")
        result: dict[str, Any] = {"output_type": kind, "data": clean, "metadata": {}}
        if kind == "execute_result":
            result["execution_count"] = None
        return result
    return None


def sanitize_outputs(outputs: Any) -> list[dict[str, Any]]:
    """Valid nbformat outputs rebuilt from untrusted ones; exported answers dropped.

    >>> sanitize_outputs([{"output_type": "stream", "name": "x", "text": ["a", "b"]}, {"bogus": 1},
    ...                   {"output_type": "display_data", "data": {ANSWER_MIME: {}}}])
    [{'output_type': 'stream', 'name': 'stdout', 'text': 'ab'}]
    """
    if not isinstance(outputs, list):
        return []
    return [c for c in (_clean_output(o) for o in outputs[:100]) if c is not None]


def feedback_html(verdict: CellVerdict) -> str:
    """Student-facing feedback of a test cell (no answer keys, no hidden tests), from ``feedback.html.j2``."""
    return render("feedback.html.j2", questions=[
        {"question": q.question, "earned": format_points(q.earned), "points": format_points(q.points),
         "feedback": [str(m) for m in q.feedback]} for q in verdict.questions])


def _feedback_text(verdict: CellVerdict) -> str:
    lines = []
    for q in verdict.questions:
        lines.append(f"{q.question}: {format_points(q.earned)} / {format_points(q.points)} points")
        lines.extend(f"  - {m}" for m in q.feedback)
    return "\n".join(lines)


def build_autograded(nb: NotebookNode, cells: dict[str, Any], verdicts: dict[str, CellVerdict],
                     *, failed_reason: str | None = None,
                     delimiters: Delimiters = DEFAULT_DELIMITERS) -> NotebookNode:
    """``nb`` (restored) with outputs from the sandbox and verdicts in the test cells."""
    out = nbformat.from_dict(nb)
    for index, cell in enumerate(out.cells):
        if cell.cell_type != "code":
            continue
        cell.outputs = [nbformat.from_dict(o) for o in sanitize_outputs(cells.get(str(index), []))]
        cell.execution_count = None
        if is_test(cell):
            cell.source = strip_hidden(cell.source, delimiters)
            verdict = verdicts.get(grade_id(cell) or "")
            cell.outputs = [nbformat.from_dict(o) for o in _verdict_outputs(verdict, failed_reason)]
    return out


def _verdict_outputs(verdict: CellVerdict | None, failed_reason: str | None) -> list[dict[str, Any]]:
    if verdict is None:
        reason = failed_reason or "this cell was not graded"
        return [{"output_type": "display_data", "metadata": {},
                 "data": {"text/plain": f"Not graded: {reason}", "text/html": f"<p>Not graded: {html.escape(reason)}</p>"}}]
    return [
        {"output_type": "display_data", "metadata": {},
         "data": {"text/plain": _feedback_text(verdict), "text/html": feedback_html(verdict)}},
        {"output_type": "execute_result", "metadata": {}, "execution_count": None,
         "data": {"text/plain": format_points(verdict.score)}},
    ]
