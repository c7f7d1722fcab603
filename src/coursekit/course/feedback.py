"""Feedback pages as students get them: nbgrader's HTML, offline and inert.

:class:`FeedbackPages` is nbgrader's ``generate_feedback`` set up once per course and
reused for every student: the exporter, template and preprocessors are the ones
nbgrader's ``GenerateFeedback`` converter builds from the course's ``nbgrader_config.py``
(``HTMLExporter`` with nbgrader's ``feedback`` template, ``GenerateFeedback.preprocessors``),
and the pages land in nbgrader's layout (``feedback/<student>/<assignment>/<notebook>.html``
beside the autograded folder's other files, ``timestamp.txt`` and ``submission_secret.txt``
included), so ``nbgrader release_feedback`` and the hub's fetch work on them. What
differs from one nbgrader app per student: the template is compiled once; nbgrader's
``GetGrades`` is filled from the submission's grades read in the grader's open gradebook
(:class:`NotebookGrades`) instead of opening the database and querying it cell by cell;
the autograded notebook just written is rendered without reading it back; the markdown
and code highlighting filters remember what they rendered (the instructor's cells are
the same on every page); the page is not re-parsed with BeautifulSoup for its image alt
texts (:func:`add_missing_alt` does that one change); and each student's pages have a
time limit (:data:`FEEDBACK_SECONDS`, ``coursekit grade``'s ``feedback_timeout``): past
it a plain page says so, the problem is reported, and the batch goes on.

Remote scripts and stylesheets (nbconvert's MathJax CDN) are removed, and the page gets
coursekit's Content-Security-Policy, which forbids every script: the student content in
it was sanitised before the page was rendered (:mod:`coursekit.untrusted.html`), and the
policy makes sure nothing a sanitiser missed can run in an instructor's browser.

>>> page = offline_html('<head></head><p>x</p><script src="https://cdnjs.example/mathjax.js"></script>')
>>> "mathjax" in page, "script-src 'none'" in page
(False, True)
>>> add_missing_alt('<img src="a.png"><img alt="b" src="b.png">')
'<img alt="No description has been provided for this image" src="a.png"><img alt="b" src="b.png">'
"""

from __future__ import annotations

import copy
import functools
import html
import os
import re
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["offline_html", "add_missing_alt", "FeedbackPages", "FeedbackResult", "NotebookGrades", "FEEDBACK_SECONDS"]

#: seconds one student's feedback pages may take before a plain page replaces them
FEEDBACK_SECONDS = 20.0

_REMOTE = re.compile(r"""<script[^>]*\bsrc=["']https?://[^>]*>\s*</script>|<link[^>]*\bhref=["']https?://[^>]*>""", re.I)
#: an ``<img`` start tag and its attributes, as the standard library's HTML parser reads one
_IMG = re.compile(r"""<img\b((?:\s+[^\s/>"'=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]*))?)*)\s*(/?)>""", re.I)
_ALT = re.compile(r"""\salt\s*=|\salt(?=[\s/>]|$)""", re.I)
#: nbconvert's text for an image without one (``HTMLExporter.from_notebook_node``)
MISSING_ALT = "No description has been provided for this image"


def offline_html(page: str) -> str:
    """``page`` without network scripts and stylesheets, with the no-script policy in its head."""
    from coursekit.untrusted.html import add_csp

    return add_csp(_REMOTE.sub("", page))


def add_missing_alt(page: str) -> str:
    """Every ``<img>`` without an ``alt`` gets nbconvert's placeholder text, as ``HTMLExporter`` does.

    nbconvert parses the whole page with BeautifulSoup for this (a third of a page's
    rendering time); the sanitised page only has images in the outputs, so the tags are
    found directly.
    """
    def fix(match: re.Match[str]) -> str:
        attrs = match.group(1)
        if _ALT.search(attrs):
            return match.group(0)
        return f'<img alt="{MISSING_ALT}"{attrs}{match.group(2)}>'

    return _IMG.sub(fix, page)


def _plain_page(student: str, assignment: str, notebook: str, reason: str) -> str:
    esc = html.escape
    return offline_html(
        f"<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\" />\n<title>{esc(notebook)}</title>\n</head>\n"
        f"<body>\n<h4>{esc(notebook)}</h4>\n<p>The feedback page of {esc(student)}'s {esc(assignment)} could not "
        f"be made: {esc(reason)}. The grades are in the gradebook; ask your instructor.</p>\n</body>\n</html>\n")


@dataclass
class FeedbackResult:
    """One student's feedback: the folder written, and what went wrong (empty: nothing)."""

    folder: Path
    problem: str = ""


class FeedbackPages:
    """nbgrader's ``generate_feedback`` for one course, built once (see the module docstring).

    :meth:`write` may be called from several threads at once: an exporter serves one page at
    a time (nbconvert's preprocessors keep per-call state), and idle ones are reused.
    """

    def __init__(self, course: Any, *, seconds: float = FEEDBACK_SECONDS) -> None:
        from nbgrader.converters import GenerateFeedback

        from coursekit.course.directory import env_bin_on_path

        self.course = course
        self.seconds = seconds
        with env_bin_on_path():
            # The converter applies its defaults to the course's config: nbgrader's feedback
            # template and its folders, no default preprocessors (as `nbgrader generate_feedback`).
            self.converter: Any = GenerateFeedback(coursedir=course.coursedir, config=course.config)
        self.permissions = int(str(self.converter.permissions), 8)
        self._idle: list[Any] = []
        self._lock = threading.Lock()

    def _exporter(self) -> Any:
        """An idle exporter, or a new one configured as nbgrader's converter configures its own."""
        with self._lock:
            if self._idle:
                return self._idle.pop()
        from nbgrader.preprocessors import GetGrades

        converter = self.converter
        exporter = _feedback_exporter_class(converter.exporter_class)(parent=converter, config=converter.config)
        for pp in converter.preprocessors:
            exporter.register_preprocessor(_grades_class() if pp is GetGrades else pp)
        return exporter

    def warm(self) -> None:
        """Build one exporter now (its template is compiled on first use), e.g. while workers start."""
        exporter = self._exporter()
        exporter.environment.get_template(exporter.template_file)
        with self._lock:
            self._idle.append(exporter)

    def render(self, grades: NotebookGrades | None, student: str, assignment: str, notebook: str,
               nb: Any = None) -> str:
        """nbgrader's feedback page of one autograded notebook, offline and with the no-script policy.

        ``grades``: the notebook's grades read beforehand (:meth:`NotebookGrades.read`; None: as
        nbgrader's ``GetGrades``, which opens the course's database itself). ``nb``: the
        autograded notebook just written, if at hand (else it is read from ``autograded/``): it is
        rendered in place, as nbconvert renders its private copy, so the caller must not use it again.
        """
        path = self.course.autograded_dir(student, assignment) / f"{notebook}.ipynb"
        resources: dict[str, Any] = {
            "unique_key": notebook, "output_files_dir": f"{notebook}_files",
            "nbgrader": {"student": student, "assignment": assignment, "notebook": notebook,
                         "db_url": self.course.db_url}}
        exporter = self._exporter()
        grades_class = _grades_class()
        for pp in exporter._preprocessors:
            if isinstance(pp, grades_class):
                pp.prefetched = grades
        if nb is None:
            output, _ = exporter.from_filename(str(path), resources=resources)
        else:  # what from_filename sets, without reading back (and validating again) the file just written
            from nbconvert.exporters.exporter import ResourcesDict

            modified = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
            resources["metadata"] = ResourcesDict(name=notebook, path=str(path.parent),
                                                  modified_date=modified.strftime("%B %-d, %Y"))
            output, _ = exporter.from_notebook_node(_owned()(nb), resources=resources)
        with self._lock:
            self._idle.append(exporter)
        return offline_html(output)

    def read_grades(self, gradebook: Any, student: str, assignment: str,
                    notebooks: list[str]) -> dict[str, NotebookGrades | None]:
        """The grades :meth:`write` renders, read in the caller's thread (the gradebook session belongs to it)."""
        return {name: None if gradebook is None else NotebookGrades.read(gradebook, student, assignment, name)
                for name in notebooks}

    def write(self, gradebook: Any, student: str, assignment: str, notebooks: list[str],
              autograded: dict[str, Any] | None = None, *,
              grades: dict[str, NotebookGrades | None] | None = None) -> FeedbackResult:
        """Render and write one student's feedback folder (nbgrader's layout); never raises.

        ``autograded``: notebook name -> the autograded notebook just written, when at hand.
        ``grades``: what :meth:`read_grades` read, when it was read beforehand (then
        ``gradebook`` is not used).

        The pages are rendered in a thread of their own, with the time limit: past it (or
        when rendering fails), each page is a plain page naming the problem, which is also
        returned, and the late thread's pages are never written.
        """
        folder = self.course.feedback_dir(student, assignment)
        pages: dict[str, str] = {}
        box: dict[str, BaseException] = {}
        if grades is None:
            try:
                grades = self.read_grades(gradebook, student, assignment, notebooks)
            except Exception as err:  # noqa: BLE001 - reported as the student's feedback problem
                box["error"] = err
                grades = {}
        read = grades

        def run() -> None:
            if "error" in box:
                return
            try:
                for name in notebooks:
                    pages[name] = self.render(read[name], student, assignment, name, (autograded or {}).get(name))
            except Exception as err:  # noqa: BLE001 - reported as the student's feedback problem
                box["error"] = err

        worker = threading.Thread(target=run, name=f"coursekit-feedback-{student}", daemon=True)
        worker.start()
        worker.join(self.seconds)
        problem = ""
        if worker.is_alive():
            problem = f"making the feedback page took longer than the limit of {self.seconds:g} s"
        elif "error" in box:
            problem = f"the feedback page could not be made ({type(box['error']).__name__}: {box['error']})"
        ready = {name: _plain_page(student, assignment, name, problem) for name in notebooks} if problem else dict(pages)
        try:
            self._write_folder(student, assignment, folder, ready)
        except OSError as err:
            problem = problem or f"the feedback folder could not be written ({err})"
        return FeedbackResult(folder, problem)

    def _write_folder(self, student: str, assignment: str, folder: Path, pages: dict[str, str]) -> None:
        """As nbgrader's converter: a fresh folder, the autograded folder's other files, the pages, its permissions."""
        from nbgrader.utils import find_all_files

        source = self.course.autograded_dir(student, assignment)
        if folder.is_symlink() or folder.is_file():
            folder.unlink()
        elif folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        for filename in find_all_files(str(source), list(self.course.ignore) + ["*.ipynb"]):
            target = folder / os.path.relpath(filename, source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(filename, target)
        for name, page in pages.items():
            (folder / f"{name}.html").write_text(page, encoding="utf-8")
        for dirpath, _, filenames in os.walk(folder):
            for filename in filenames:
                os.chmod(os.path.join(dirpath, filename), self.permissions)


@dataclass
class NotebookGrades:
    """What nbgrader's ``GetGrades`` reads for one submitted notebook, as plain values."""

    scores: dict[str, tuple[Any, Any]]  # grade id -> (score, max score)
    comments: dict[str, Any]            # grade id -> comment
    score: float
    max_score: float
    late_penalty: float | None

    @classmethod
    def read(cls, gradebook: Any, student: str, assignment: str, notebook: str) -> NotebookGrades:
        """One submission's grades and comments from an open gradebook (in the calling thread)."""
        from coursekit.course.gradebook import submitted_notebook

        nb = submitted_notebook(gradebook, notebook, assignment, student, scores=True)
        return cls({g.name: (g.score, g.max_score) for g in nb.grades}, {c.name: c.comment for c in nb.comments},
                   float(nb.score), float(nb.max_score), nb.late_submission_penalty)


@functools.lru_cache(maxsize=1)
def _owned() -> Any:
    """The class of a notebook handed over for good (made on first use: nbformat loads then)."""
    from nbformat import NotebookNode

    class Owned(NotebookNode):  # type: ignore[misc]
        """A notebook handed over for good: nbconvert's two deep copies of it (``from_notebook_node``,
        then ``validator.normalize``) give back the notebook itself.

        A copy protects a caller that uses the notebook again; :meth:`FeedbackPages.render` is
        given one nobody uses again, and copying it cost as much as rendering its markdown. Only
        the top level is affected: a preprocessor that copies a cell still gets a copy.
        """

        def __deepcopy__(self, memo: dict[int, Any]) -> Any:
            return self

    return Owned


@functools.lru_cache(maxsize=1)
def _grades_class() -> Any:
    """nbgrader's ``GetGrades`` made to read prefetched grades (made on first use: nbgrader loads then)."""
    from nbgrader.preprocessors import GetGrades

    class PrefetchedGrades(GetGrades):  # type: ignore[misc]
        """nbgrader's ``GetGrades`` filled from :class:`NotebookGrades` read beforehand.

        The same notebook metadata and resources as ``GetGrades`` (score, points, comment per
        cell; score less the late penalty, max score and late penalty per notebook), without
        opening the database and querying it cell by cell. Without ``prefetched``, or for a
        cell the gradebook does not list, nbgrader's own lookups run.
        """

        prefetched: NotebookGrades | None = None

        def preprocess(self, nb: Any, resources: Any) -> Any:
            grades = self.prefetched
            if grades is None:
                return super().preprocess(nb, resources)
            for index, cell in enumerate(nb.cells):
                nb.cells[index], resources = self.preprocess_cell(cell, resources, index)
            late_penalty = grades.late_penalty if grades.late_penalty is not None else 0
            resources["nbgrader"]["score"] = grades.score - late_penalty
            resources["nbgrader"]["max_score"] = grades.max_score
            resources["nbgrader"]["late_penalty"] = late_penalty
            return nb, resources

        @staticmethod
        def _lookup(table: dict[str, Any], cell: Any, what: str) -> Any:
            """The cell's row of a prefetched table; a missing one fails as nbgrader's MissingEntry would."""
            gid = cell.metadata["nbgrader"]["grade_id"]
            if gid not in table:
                raise KeyError(f"the gradebook has no {what} for cell {gid!r}")
            return table[gid]

        def _get_comment(self, cell: Any, resources: Any) -> None:
            if self.prefetched is None:
                super()._get_comment(cell, resources)
            else:
                cell.metadata.nbgrader["comment"] = self._lookup(self.prefetched.comments, cell, "comment")

        def _get_score(self, cell: Any, resources: Any) -> None:
            if self.prefetched is None:
                super()._get_score(cell, resources)
            else:
                cell.metadata.nbgrader["score"], cell.metadata.nbgrader["points"] = \
                    self._lookup(self.prefetched.scores, cell, "grade")

    return PrefetchedGrades


#: rendered markdown and highlighted code, shared by every exporter: the instructor's cells
#: are the same on every student's page (a filter's output depends only on these keys)
_FILTER_CACHE: dict[tuple[Any, ...], str] = {}
_FILTER_CACHE_SIZE = 8192


def _cached(key: tuple[Any, ...], make: Callable[[], str]) -> str:
    hit = _FILTER_CACHE.get(key)
    if hit is None:
        hit = make()
        if len(_FILTER_CACHE) >= _FILTER_CACHE_SIZE:
            _FILTER_CACHE.clear()
        _FILTER_CACHE[key] = hit
    return hit


def _feedback_exporter_class(base: Any) -> Any:
    """``base`` (nbconvert's ``HTMLExporter`` unless the course configured another) with cached filters.

    ``from_notebook_node`` is ``HTMLExporter``'s, but the page is not re-parsed with
    BeautifulSoup: its one change to a classic-template page, alt text on images, is
    :func:`add_missing_alt`. Pages of a JupyterLab-style template (``jp-Notebook``) take
    nbconvert's own path.
    """
    from jinja2 import pass_context
    from nbconvert.exporters.html import HTMLExporter, WidgetsDataTypeFilter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML

    if not issubclass(base, HTMLExporter):
        return base

    class CachedHighlight(Highlight2HTML):  # type: ignore[misc]
        def __call__(self, source: str, language: str | None = None, metadata: Any = None) -> str:
            magics = metadata.get("magics_language") if isinstance(metadata, dict) else None
            key = ("highlight", self.pygments_lexer, source, language, magics,
                   repr(sorted(self.extra_formatter_options.items())))
            return _cached(key, lambda: str(super(CachedHighlight, self).__call__(source, language, metadata)))

    class FeedbackExporter(base):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if not any(k.__name__ in self.config and "optimistic_validation" in self.config[k.__name__]
                       for k in type(self).__mro__):
                # nbconvert's own option: validate once after the preprocessors, not after each of them
                self.optimistic_validation = True

        def _preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
            """nbconvert's ``Exporter._preprocess`` without its second deep copy of the notebook.

            ``from_notebook_node`` hands over its own private copy already; copying it again
            took as long as rendering the template's Markdown.
            """
            from nbformat import validator

            resources = copy.deepcopy(resources)
            if hasattr(validator, "normalize"):
                _, nb = validator.normalize(nb)
            preprocessor = None
            for preprocessor in self._preprocessors:
                nb, resources = preprocessor(nb, resources)
                if not self.optimistic_validation:
                    self._validate_preprocessor(nb, preprocessor)
            if self.optimistic_validation:
                self._validate_preprocessor(nb, preprocessor)
            return nb, resources

        @pass_context
        def markdown2html(self, context: Any, source: str) -> str:
            cell = context.get("cell", {})
            if cell.get("attachments"):
                return str(base.markdown2html(self, context, source))
            path = context.get("resources", {}).get("metadata", {}).get("path", "")
            key = ("markdown", source, path, self.embed_images, self.anchor_link_text, self.exclude_anchor_links,
                   repr(self.lexer_options))
            return _cached(key, lambda: str(base.markdown2html(self, context, source)))

        def from_notebook_node(self, nb: Any, resources: Any = None, **kw: Any) -> tuple[str, Any]:
            if "highlight_code" in self.filters:  # configured by the course: nbconvert's own path
                return super().from_notebook_node(nb, resources, **kw)  # type: ignore[no-any-return]
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            resources = self._init_resources(resources)
            self.register_filter("highlight_code", CachedHighlight(pygments_lexer=lexer, parent=self))
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            if "jp-Notebook" in page:
                from bs4 import BeautifulSoup

                soup = BeautifulSoup(page, features="html.parser")
                for elem in soup.select("img:not([alt])"):
                    elem.attrs["alt"] = MISSING_ALT
                for elem in soup.select(".jp-Notebook div.jp-Cell-inputWrapper"):
                    elem.attrs["tabindex"] = "0"
                for elem in soup.select(".jp-Notebook div.jp-OutputArea-output"):
                    elem.attrs["tabindex"] = "0"
                return str(soup), resources
            return add_missing_alt(page), resources

    return FeedbackExporter
