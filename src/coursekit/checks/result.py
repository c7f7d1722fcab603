"""The verdict of one check: a score, student feedback and instructor details.

>>> r = Result(score=0.5, feedback=["2 of 4 muscles are right."], details=["expected: a, b, c, d"])
>>> r.passed, r.percent
(False, 50)
>>> Result.combine([r, Result(1.0)], weights=[1, 3]).score
0.875
>>> print(Result(1.0, feedback=["Well done."])._repr_markdown_())
**✓ Correct** (100%)
<BLANKLINE>
- Well done.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = ["Result"]


@dataclass(frozen=True)
class Result:
    """Score in [0, 1]; ``passed`` when full marks; ``feedback`` for the student, ``details`` for the instructor.

    ``manual`` marks an answer that a person must grade (its score is never automatic);
    ``partial`` marks a student-mode result of a hidden question, where only the visible
    checks ran; ``question`` is the question id when known.
    """

    score: float
    feedback: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    passed: bool | None = None
    manual: bool = False
    partial: bool = False
    question: str | None = None

    def __post_init__(self) -> None:
        score = float(self.score)
        if math.isnan(score):
            score = 0.0
        score = min(1.0, max(0.0, score))
        object.__setattr__(self, "score", score)
        object.__setattr__(self, "feedback", [str(line) for line in self.feedback])
        object.__setattr__(self, "details", [str(line) for line in self.details])
        passed = (score >= 1.0 and not self.manual) if self.passed is None else bool(self.passed)
        object.__setattr__(self, "passed", passed)

    @property
    def percent(self) -> int:
        """The score as a whole percentage (rounded down, so 99.9% never shows as 100%)."""
        return math.floor(self.score * 100 + 1e-9)

    @classmethod
    def combine(cls, results: Sequence[Result], weights: Iterable[float] | None = None,
                *, question: str | None = None) -> Result:
        """Weighted mean score; passed only when every part passed; feedback concatenated.

        >>> Result.combine([Result(1.0, ["a"]), Result(0.0, ["b"])]).feedback
        ['a', 'b']
        """
        results = list(results)
        if not results:
            return cls(0.0, ["Nothing was checked."], question=question)
        w = [1.0] * len(results) if weights is None else [float(x) for x in weights]
        if len(w) != len(results) or any(x < 0 or not math.isfinite(x) for x in w) or sum(w) <= 0:
            raise ValueError(f"Result.combine: need {len(results)} non-negative weights with a positive sum, got {w}")
        score = sum(r.score * x for r, x in zip(results, w)) / sum(w)
        return cls(
            score=score,
            feedback=[line for r in results for line in r.feedback],
            details=[line for r in results for line in r.details],
            passed=all(r.passed for r in results),
            manual=any(r.manual for r in results),
            partial=any(r.partial for r in results),
            question=question,
        )

    # ----------------------------------------------------------------- display

    @property
    def headline(self) -> str:
        """One line: ✓ Correct / ◐ Partly right / ✗ Not yet / ✎ manual / visible checks."""
        if self.manual:
            return "✎ Saved for your instructor to grade"
        if self.partial:
            state = "✓ Visible checks passed" if self.passed else "✗ Visible checks not passed yet"
            return f"{state} (the full check runs when your notebook is graded)"
        if self.passed:
            return "✓ Correct"
        return "◐ Partly right" if self.score > 0 else "✗ Not yet"

    def _score_text(self) -> str:
        return "" if self.manual or self.partial else f" ({self.percent}%)"

    def _repr_markdown_(self) -> str:
        lines = [f"**{self.headline}**{self._score_text()}"]
        if self.feedback:
            lines.append("")
            lines.extend(f"- {_md_escape(line)}" for line in self.feedback)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return self.to_html(details=False)

    def to_html(self, *, details: bool = False) -> str:
        """HTML for the notebook; ``details=True`` adds the instructor-only lines."""
        state = "manual" if self.manual else "passed" if self.passed else "partial" if self.score > 0 else "failed"
        colour = {"passed": "#009E73", "partial": "#E69F00", "failed": "#D55E00", "manual": "#0072B2"}[state]
        parts = [
            f'<div class="coursekit-result coursekit-{state}" role="status" '
            f'style="border-left:4px solid {colour};padding:0.3em 0.8em;margin:0.4em 0">',
            f"<strong>{html.escape(self.headline)}</strong>{html.escape(self._score_text())}",
        ]
        if self.feedback:
            parts.append("<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in self.feedback) + "</ul>")
        if details and self.details:
            parts.append('<details><summary>Instructor details</summary><ul>'
                         + "".join(f"<li>{html.escape(line)}</li>" for line in self.details) + "</ul></details>")
        parts.append("</div>")
        return "".join(parts)

    def __str__(self) -> str:
        return "\n".join([self.headline + self._score_text(), *(f"  - {line}" for line in self.feedback)])


def _md_escape(text: str) -> str:
    """Escape characters that Markdown would read as markup."""
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text
