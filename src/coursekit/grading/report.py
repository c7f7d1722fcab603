"""The class report: one self-contained HTML page (no CDN, images embedded with alt text).

Score distribution, per-question difficulty (mean share of the points) and
discrimination (correlation of the question with the rest of the score), the most
common wrong answers per question (from the exported answers) and the submissions
that need a look (flagged or failed to grade). The page is a jinja2 template
(``templates/report.html.j2``) that escapes every value by default.

>>> discrimination([1, 1, 0, 0], [5, 5, 1, 1])
1.0
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

from coursekit.grading import charts
from coursekit.grading import records as rec
from coursekit.grading.pages import Markup, render
from coursekit.untrusted.html import add_csp

__all__ = ["write_report", "question_stats", "discrimination", "wrong_answers"]


def discrimination(item: list[float], rest: list[float]) -> float | None:
    """Pearson correlation of a question's scores with the rest of the score (None if undefined)."""
    if len(item) < 3:
        return None
    try:
        return round(statistics.correlation(item, rest), 3)
    except statistics.StatisticsError:  # a constant series: the correlation is undefined
        return None


def _questions(records: list[rec.Record]) -> dict[str, list[tuple[str, rec.QuestionRecord]]]:
    by_question: dict[str, list[tuple[str, rec.QuestionRecord]]] = {}
    for r in records:
        if r.status == rec.FAILED:
            continue
        for cell in r.cells.values():
            for q in cell["questions"]:
                by_question.setdefault(q["question"], []).append((r.student, q))
    return by_question


def question_stats(records: list[rec.Record]) -> list[dict[str, Any]]:
    """Per question: points, difficulty (mean share earned), discrimination, answered share."""
    totals: dict[str, float] = {}
    for r in records:
        if r.status != rec.FAILED:
            totals[r.student] = totals.get(r.student, 0.0) + (r.score or 0.0)
    stats = []
    for question, rows in _questions(records).items():
        points = rows[0][1]["points"] or 1.0
        item = [q["earned"] / points for _, q in rows]
        rest = [totals[s] - q["earned"] for s, q in rows]
        stats.append({"question": question, "points": points, "n": len(rows),
                      "difficulty": round(sum(item) / len(item), 3), "discrimination": discrimination(item, rest),
                      "answered": round(sum(q["answered"] and q["answer"] is not None for _, q in rows) / len(rows), 3)})
    return stats


def _canonical(answer: Any) -> str:
    if answer is None:
        return "(left blank)"
    text = json.dumps(answer, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= 120 else text[:117] + "..."


def wrong_answers(records: list[rec.Record], top: int = 3) -> dict[str, list[tuple[str, int]]]:
    """question -> the ``top`` most common answers that did not earn full points."""
    out = {}
    for question, rows in _questions(records).items():
        counts = Counter(_canonical(q["answer"]) for _, q in rows if q["earned"] < q["points"])
        out[question] = counts.most_common(top)
    return out


def _distribution(records: list[rec.Record], assignment: str) -> str:
    scores = [r.score for r in records if r.status != rec.FAILED and r.score is not None]
    top = max([r.max_score for r in records] or [1.0])
    mean = sum(scores) / len(scores) if scores else 0.0
    alt = (f"Histogram of {len(scores)} graded scores for {assignment} out of {top:g} points; "
           f"mean {mean:.1f}, lowest {min(scores, default=0):g}, highest {max(scores, default=0):g}.")
    return charts.histogram(scores, top, title=f"{assignment}: score distribution", xlabel=f"score (out of {top:g})",
                            ylabel="students", alt=alt)


def _question_chart(stats: list[dict[str, Any]]) -> str:
    hardest = min(stats, key=lambda s: s["difficulty"])["question"] if stats else "none"
    alt = (f"Bar chart of difficulty and discrimination for {len(stats)} questions; the hardest question is "
           f"{hardest}. " + "; ".join(f"{s['question']}: difficulty {s['difficulty']:.2f}, discrimination "
                                       f"{'n/a' if s['discrimination'] is None else format(s['discrimination'], '.2f')}"
                                       for s in stats))
    return charts.bar_pairs([s["question"] for s in stats], [s["difficulty"] for s in stats],
                            [s["discrimination"] or 0 for s in stats],
                            names=("difficulty (mean share of points)",
                                   "discrimination (correlation with rest of score)"), alt=alt)


CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
th{background:#f3f3f3}figure{margin:1rem 0}.failed{color:#D55E00}code{font-size:.9em}"""


def write_report(records: list[rec.Record], path: Path, assignment: str, pending: list[str] | None = None) -> Path:
    """Write the class report for ``records`` to ``path`` and return it (jinja2, autoescaped).

    ``pending``: students whose answers graded by hand are not scored yet.
    """
    stats = question_stats(records)
    counts = Counter(r.status for r in records)
    wrong = wrong_answers(records)
    review = [r for r in records if r.status != rec.OK]
    page = render(
        "report.html.j2",
        assignment=assignment, css=Markup(CSS), total=len(records),
        counts={"ok": counts[rec.OK], "flagged": counts[rec.FLAGGED], "failed": counts[rec.FAILED]},
        distribution=Markup(_distribution(records, assignment)),
        stats=stats, question_chart=Markup(_question_chart(stats)) if stats else "",
        question_rows=[[s["question"], f"{s['points']:g}", s["difficulty"],
                        "n/a" if s["discrimination"] is None else s["discrimination"], s["answered"], s["n"]]
                       for s in stats],
        wrong_rows=[[q, a, n] for q, answers in wrong.items() for a, n in answers] or [["-", "none", 0]],
        review_rows=[[r.student, r.notebook, r.status, r.reason or "; ".join(r.flags)] for r in review]
        or [["-", "-", "-", "nothing to review"]],
        pending_rows=[[s, "answers graded by hand are not scored yet (formgrader)"] for s in pending or []]
        or [["-", "nothing pending"]])
    path.write_text(add_csp(page), encoding="utf-8")  # student text is escaped; the policy forbids scripts too
    return path
