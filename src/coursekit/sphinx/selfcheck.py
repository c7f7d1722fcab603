"""The ``{selfcheck}`` directive: a question-bank question with feedback on the static page.

In a MyST page::

    ```{selfcheck} lessons.hip-movements.standing-up
    ```

renders the question's prompt (parsed as MyST, so ``{term}`` links work), an answer
field fitting its kind, *Check* and *Show answer* buttons, and a JSON key that the
page's small script (``coursekit-selfcheck.js``, no kernel, no CDN) uses to give
feedback at once. Muscle names are read in the browser against the course's own name
index (aliases, spellings, misspellings), exported from :mod:`coursekit.names` into
``_static/coursekit-selfcheck-data.js`` when the site is built; feedback on a wrong
muscle comes from the question's misconceptions or, failing that, from the data
(:func:`coursekit.checks.musclenames.why_wrong`).

Self-checks show their key in the page, so a question marked ``hidden`` (a graded
question) is refused with an error naming the page and the id.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jinja2
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.docutils import SphinxDirective

from coursekit.errors import CourseKitError

__all__ = [
    "DATA_FILE",
    "KINDS",
    "SelfCheckDirective",
    "name_tables",
    "question_payload",
    "render_form",
    "setup",
]

STATIC_DIR = Path(__file__).parent / "selfcheck_static"
#: Jinja2 templates of the self-check HTML (autoescaped).
TEMPLATES_DIR = Path(__file__).parent / "templates"
#: Generated at build time into ``_static/``: the name index the script matches against.
DATA_FILE = "coursekit-selfcheck-data.js"
#: Question kinds a self-check can show.
KINDS = ("choice", "multichoice", "muscles", "action", "number", "text")


# --------------------------------------------------------------------------- data


def name_tables() -> dict[str, Any]:
    """The muscle-name and action-phrase tables the browser script matches against."""
    from coursekit import anatomy, names

    index = {key: sorted(vals) for key, vals in anatomy.name_index().keys.items()}
    notes = {}
    for key, vals in index.items():
        if any(v[0] in "@!" for v in vals):
            notes[key] = anatomy.match_muscle_detail(key).note
    return {
        "index": index,
        "notes": notes,
        "wholes": {k: v[0] for k, v in names.WHOLE_MUSCLES.items()},
        "spellings": dict(names._SPELLINGS),
        "filler": sorted(names._FILLER),
        "accept": names.ACCEPT,
        "margin": names.MARGIN,
        "suggest": names.SUGGEST,
        "actions": {n: list(w) for n, w in names._ACTION_WORDS.items()},
        "tilts": {n: list(w) for n, w in names._TILT_WORDS.items()},
    }


def _muscle_payload(q: Any) -> dict[str, Any]:
    from coursekit import anatomy
    from coursekit.checks import musclenames as mn

    expected = list(q.expected)
    optional = sorted(q.settings.get("optional", ()))
    counts, reasons = {}, {}
    for name in anatomy.muscle_names():
        hits = [e for e in expected if name in mn.covers([e])]
        if hits:
            counts[name] = hits[0]
        elif name not in optional:
            reasons[name] = q.misconceptions.get(name) or mn.why_wrong(
                name, q.settings.get("criterion"), q.settings.get("group"))
    extra = {k: v for k, v in q.misconceptions.items() if k not in reasons and k not in counts}
    return {"expected": expected, "optional": optional, "counts": counts, "reasons": reasons,
            "other_reasons": extra}


def question_payload(q: Any) -> dict[str, Any]:
    """The key of one question as plain JSON data for the browser."""
    data: dict[str, Any] = {"id": q.id, "kind": q.kind}
    if q.kind in ("choice", "multichoice"):
        data["options"] = [{"key": o.key, "text": o.text, "correct": o.correct, "feedback": o.feedback}
                           for o in q.options]
    elif q.kind == "muscles":
        data.update(_muscle_payload(q))
    elif q.kind == "action":
        data["expected"] = list(q.expected)
        data["misconceptions"] = dict(q.misconceptions)
    elif q.kind == "number":
        data["expected"] = q.expected
        data["tolerance"] = max(q.settings.get("tolerance", 0.0),
                                q.settings.get("rel_tolerance", 0.0) * abs(q.expected))
        data["units"] = q.settings.get("units")
        data["sign"] = q.settings.get("sign")
    return data


# --------------------------------------------------------------------------- HTML


def _input_id(qid: str) -> str:
    return "sc-" + qid.replace(".", "-")


@functools.cache
def _templates() -> jinja2.Environment:
    """The self-check templates (``templates/``), escaping every value by default."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=False)


_HINTS = {
    "muscles": "Muscle names, separated by commas",
    "action": "An action or direction, e.g. external rotation",
    "text": "Your answer in a few sentences",
}


def render_form(q: Any) -> str:
    """The answer field(s) and buttons for one question (HTML, from ``selfcheck-form.html``).

    The field is named by the question's prompt (``<uid>-prompt``, rendered by the
    directive just above the form); feedback goes to a live region screen readers announce.
    """
    units = str(q.settings.get("units") or "") if q.kind == "number" else ""
    units = {"deg": "degrees"}.get(units, units)
    hint = _HINTS.get(q.kind) or (f"A number in {units}" if units else "A number")
    context = {
        "qid": q.id,
        "uid": _input_id(q.id),
        "options": list(q.options) if q.kind in ("choice", "multichoice") else [],
        "input_type": "radio" if q.kind == "choice" else "checkbox",
        "hint": hint,
        "multiline": q.kind in ("muscles", "text"),
        "rows": 2 if q.kind == "muscles" else 4,
        "numeric": q.kind == "number",
        "check_label": "Compare" if q.kind == "text" else "Check",
        "key": question_payload(q),
    }
    return _templates().get_template("selfcheck-form.html").render(context).strip()


def _answer_text(q: Any) -> str:
    """The answer in words, shown by *Show answer* (MyST text)."""
    if q.kind in ("choice", "multichoice"):
        right = [f"**{o.key}.** {o.text.rstrip('.')}" for o in q.options if o.correct]
        return "Answer: " + "; ".join(right) + "."
    if q.kind in ("muscles", "action"):
        return "Answer: " + ", ".join(str(e).replace("_", " ") for e in q.expected) + "."
    if q.kind == "number":
        units = q.settings.get("units") or ""
        units = "°" if units == "deg" else f" {units}" if units else ""
        return f"Answer: {q.expected:g}{units}."
    return ""


class SelfCheckDirective(SphinxDirective):
    """``{selfcheck} <question-id>``: render one bank question as a self-check."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        from coursekit import bank

        qid = self.arguments[0].strip()
        try:
            q = bank.question(qid)
        except CourseKitError as err:
            raise self.error(f"selfcheck {qid!r}: {err}") from None
        if q.hidden:
            raise self.error(f"selfcheck {qid!r} is a hidden (graded) question; a self-check would "
                             "show its key in the page. Use or write a lesson question instead.")
        if q.kind not in KINDS:
            raise self.error(f"selfcheck {qid!r} has kind {q.kind!r}; self-checks support: "
                             f"{', '.join(KINDS)}.")
        box = nodes.container(classes=["coursekit-selfcheck", f"coursekit-sc-{q.kind}"],
                              ids=[_input_id(qid) + "-box"])
        head = nodes.paragraph(classes=["coursekit-sc-title"])
        head += nodes.strong(text="Self-check")
        if q.title:
            head += nodes.Text(f": {q.title}")
        box += head
        prompt = nodes.container(classes=["coursekit-sc-prompt"], ids=[_input_id(qid) + "-prompt"])
        prompt += self.parse_text_to_nodes(q.prompt)
        box += prompt
        box += nodes.raw("", render_form(q), format="html")
        answer = nodes.container(classes=["coursekit-sc-answer"], ids=[_input_id(qid) + "-answer"])
        text = _answer_text(q)
        if text:
            answer += self.parse_text_to_nodes(text)
        if q.explanation:
            answer += self.parse_text_to_nodes(q.explanation)
        box += answer
        return [box]


# --------------------------------------------------------------------------- setup


#: The book's bibliography (cited with {cite}), unless _config.yml names other files.
BIBFILES = ["book/references.bib", "book/references-clinical.bib"]


def _configure(app: Sphinx, config: Config) -> None:
    """Add the self-check assets; point sphinxcontrib-bibtex at the book's references."""
    static = [str(p) for p in config.html_static_path]
    if str(STATIC_DIR) not in static:
        config.html_static_path = [*static, str(STATIC_DIR)]
    if config.bibtex_bibfiles is None:
        config.bibtex_bibfiles = list(BIBFILES)
        config.bibtex_reference_style = "author_year"


def _write_data(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / DATA_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(name_tables(), ensure_ascii=False, sort_keys=True)
    target.write_text(f"window.COURSEKIT_NAMES = {text};\n", encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive, its script and style, and the name-data writer.

    Also registers the data-driven page directives of :mod:`coursekit.sphinx.reference`
    (``{objectives}``, ``{muscle-reference}``).
    """
    from coursekit.sphinx import reference

    reference.setup(app)
    app.setup_extension("sphinxcontrib.bibtex")  # Jupyter Book loads it only with bibfiles set
    app.add_directive("selfcheck", SelfCheckDirective)
    app.connect("config-inited", _configure)
    app.connect("build-finished", _write_data)
    app.add_css_file("coursekit-selfcheck.css")
    app.add_js_file(DATA_FILE)
    app.add_js_file("coursekit-selfcheck.js")
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
