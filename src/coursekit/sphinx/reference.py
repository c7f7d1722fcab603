"""Book directives that render course data as text: objectives and the muscle reference.

``{objectives} <chapter>`` opens a chapter with its learning objectives from
``data/objectives.csv``; ``{muscle-reference}`` writes one section per muscle of
``data/muscles.csv`` (origin, insertion, nerve, actions, qualified actions with their
sources). Both build MyST text from the data and parse it in place, so the sections
appear in the page's table of contents and in the search index.

>>> "### gluteus maximus" in muscle_markdown("gluteus maximus")
True
>>> objectives_markdown("hip-movements").splitlines()[0]
':::{admonition} Learning objectives'
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from coursekit import anatomy, bank

__all__ = [
    "MuscleReferenceDirective",
    "ObjectivesDirective",
    "muscle_markdown",
    "muscle_reference_markdown",
    "objectives",
    "objectives_markdown",
    "setup",
]

_STATUS_WORDS = {
    "secondary": "secondary",
    "fibre_specific": "some fibres only",
    "position_dependent": "depends on position",
    "disputed": "disputed",
}


def objectives() -> tuple[tuple[str, str, str], ...]:
    """(id, chapter, text) rows of ``data/objectives.csv``."""
    return tuple((o.id, o.chapter, o.text) for o in bank.objectives().values())


def objectives_markdown(chapter: str) -> str:
    """The learning-objectives box of one chapter (MyST)."""
    rows = [(oid, text) for oid, ch, text in objectives() if ch == chapter]
    if not rows:
        known = sorted({ch for _, ch, _ in objectives()})
        raise KeyError(f"no objectives for chapter {chapter!r} in objectives.csv; chapters: {', '.join(known)}")
    items = "\n".join(f"- {text} <span class=\"coursekit-objective-id\">({oid})</span>" for oid, text in rows)
    return (":::{admonition} Learning objectives\n:class: coursekit-objectives\n"
            f"After this chapter you can:\n\n{items}\n:::\n")


def _actions(m: anatomy.Muscle, joint: anatomy.Joint) -> str:
    base = m.hip_actions if joint is anatomy.Joint.HIP else m.knee_actions
    return ", ".join(a.label for a in anatomy.Action if a in base) or "none"


def muscle_markdown(name: str) -> str:
    """One muscle's section (MyST), every fact taken from the data."""
    m = anatomy.muscle(name)
    lines = [f"### {m.name}", "", m.summary, ""]
    facts = [
        ("Groups", ", ".join(m.groups)),
        ("Origin", m.origin),
        ("Insertion", m.insertion),
        ("Nerve", m.innervation),
        ("Crosses", " and ".join(j for j, c in (("hip", m.crosses_hip), ("knee", m.crosses_knee)) if c)),
        ("Hip actions", _actions(m, anatomy.Joint.HIP)),
        ("Knee actions", _actions(m, anatomy.Joint.KNEE)),
    ]
    lines += [f"{label}\n: {value}\n" for label, value in facts]
    if m.conditional:
        items = []
        for c in m.conditional:
            when = f" ({c.condition})" if c.condition else ""
            items.append(f"- **{c.joint.value} {c.action.label}**, {_STATUS_WORDS[c.status.value]}{when}: "
                         f"{c.note} *Source:* {c.source}")
        lines.append("Qualified and disputed actions\n: " + "\n  ".join(items) + "\n")
    lines += [f"Sources\n: {m.source}", ""]
    return "\n".join(lines)


def muscle_reference_markdown() -> str:
    """Every muscle, grouped under the first group each belongs to."""
    out, current = [], None
    for name in anatomy.muscle_names():
        group = anatomy.muscle(name).groups[0]
        if group != current:
            out.append(f"## {group[:1].upper() + group[1:]}\n")
            current = group
        out.append(muscle_markdown(name))
    return "\n".join(out)


class ObjectivesDirective(SphinxDirective):
    """``{objectives} <chapter>``: the chapter's learning objectives from the data."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        try:
            text = objectives_markdown(self.arguments[0].strip())
        except KeyError as err:
            raise self.error(f"objectives: {err.args[0]}") from None
        return self.parse_text_to_nodes(text)


class MuscleReferenceDirective(SphinxDirective):
    """``{muscle-reference}``: one section per muscle, generated from ``muscles.csv``."""

    def run(self) -> list[nodes.Node]:
        return self.parse_text_to_nodes(muscle_reference_markdown(), allow_section_headings=True)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("objectives", ObjectivesDirective)
    app.add_directive("muscle-reference", MuscleReferenceDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
