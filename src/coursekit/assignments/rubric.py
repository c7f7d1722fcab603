"""The instructor's rubric for questions graded by hand, written next to the course.

``coursekit assignments build`` writes ``assignments/rubrics/<id>.md`` (outside
``source/``, so it is never released): each free-text question with its points, its
rubric from the bank and the model answer from the spec.
"""

from __future__ import annotations

from coursekit.assignments.questions import objectives, question_info
from coursekit.assignments.spec import Spec

__all__ = ["rubric_markdown"]


def rubric_markdown(spec: Spec) -> str:
    """Markdown rubric for the manual questions of ``spec`` ('' when there are none)."""
    parts: list[str] = []
    for block in spec.questions:
        info = question_info(block.arg)
        if not info.manual:
            continue
        points = float(block.options.get("points", 0))
        parts += [
            f"## {info.id} ({points:g} points)",
            "",
            f"Objective `{info.objective}`: {objectives().get(info.objective, '')}",
            "",
            f"**Prompt.** {info.prompt}",
            "",
            "| points | award when the answer... |",
            "|---:|---|",
            *[f"| {item.points:g} | {item.criterion} |" for item in info.rubric],
            "",
            "**Model answer.**",
            "",
            block.body.strip(),
            "",
        ]
    if not parts:
        return ""
    header = [f"# Rubric: {spec.title}", "", "Instructor only: never released to students.", ""]
    return "\n".join(header + parts)
