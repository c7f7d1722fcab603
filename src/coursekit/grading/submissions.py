"""Find submissions in nbgrader's ``submitted/`` tree and turn each into a sandbox job.

>>> safe_student_id("ada_lovelace"), safe_student_id("../etc")
(True, False)
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from coursekit.checks.calls import HiddenTestsError, sandbox_source
from coursekit.course.cells import grade_id, is_test
from coursekit.course.regions import DEFAULT_DELIMITERS, Delimiters, strip_hidden
from coursekit.errors import UntrustedFileError
from coursekit.grading.notebooks import BrokenSubmission, Prepared, read_submission, restore
from coursekit.grading.protocol import CellCode, Job, Limits
from coursekit.untrusted.files import is_plain_dir, read_regular, walk_regular

__all__ = ["Submission", "discover", "locate_notebook", "job_files", "job_payload", "safe_student_id", "Sources",
           "sandbox_code"]

_STUDENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,127}$")


def safe_student_id(name: str) -> bool:
    return bool(_STUDENT.match(name)) and ".." not in name


@dataclass
class Sources:
    """The instructor's notebooks and data files of an assignment."""

    notebooks: dict[str, NotebookNode]
    releases: dict[str, NotebookNode | None]
    data_files: dict[str, bytes]
    #: the course's hidden-test and solution markers (``Course.delimiters``)
    delimiters: Delimiters = DEFAULT_DELIMITERS


@dataclass
class Submission:
    """One student's notebook, prepared (or the reason it cannot be)."""

    student: str
    notebook: str
    folder: Path
    prepared: Prepared | None = None
    problem: str | None = None
    flags: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)


def discover(submitted_root: Path, assignment: str, only: list[str] | None = None) -> tuple[list[str], list[str]]:
    """(student ids with a folder for ``assignment``, skipped folders with the reason).

    A student folder, or its assignment folder, that is a symbolic link is refused: it
    could point at ``source/`` and hand the instructor's solutions in as a submission.
    """
    students: list[str] = []
    unsafe: list[str] = []
    if not is_plain_dir(submitted_root):
        return [], []
    for entry in sorted(submitted_root.iterdir()):
        if only and entry.name not in only:
            continue
        if entry.is_symlink() or (entry / assignment).is_symlink():
            unsafe.append(f"{entry.name} (a symbolic link; links are never followed)")
            continue
        if not is_plain_dir(entry / assignment):
            continue
        (students if safe_student_id(entry.name) else unsafe).append(entry.name)
    return students, unsafe


def locate_notebook(folder: Path, notebook: str, expected: list[str]) -> tuple[Path | None, list[str], str | None]:
    """The submitted file for ``notebook``: (path, flags, problem).

    A single notebook with another name is accepted (flagged) when the assignment has
    only one notebook; symlinks are never followed.
    """
    exact = folder / f"{notebook}.ipynb"
    if exact.is_symlink():
        return None, [], (f"{notebook}.ipynb: a symbolic link (never followed); ask the student to resubmit "
                          "the notebook itself")
    if exact.is_file():
        return exact, [], None
    found = sorted(p for p in folder.glob("*.ipynb") if p.is_file() and not p.is_symlink()
                   and p.stem not in expected and ".ipynb_checkpoints" not in p.parts)
    if len(expected) == 1 and len(found) == 1:
        return found[0], [f"wrong file name {found[0].name!r} (expected {notebook}.ipynb); graded anyway"], None
    names = ", ".join(p.name for p in sorted(folder.glob("*.ipynb"))) or "no .ipynb files"
    return None, [], f"missing {notebook}.ipynb (found: {names}); ask the student to resubmit with that name"


def job_files(folder: Path, sources: Sources, max_file: int, max_total: int) -> tuple[dict[str, bytes], list[str]]:
    """Extra files the notebook may read: the student's small regular files, then the source's data.

    The folder is walked without following links, bounded in depth and entries, and every
    file read is a regular file read with a bound; each refused entry becomes a flag.
    """
    files: dict[str, bytes] = {}
    total = 0
    found, refused = walk_regular(folder)
    flags = [f"{r.name!r} not copied into the sandbox: {r.reason}" for r in refused]
    for path in found:
        rel = path.relative_to(folder).as_posix()
        if path.suffix == ".ipynb" or rel in ("timestamp.txt", "submission_secret.txt") or ".ipynb_checkpoints" in rel:
            continue
        try:
            data = read_regular(path, min(max_file, max_total - total))
        except UntrustedFileError as err:
            flags.append(f"extra file {rel!r} not copied into the sandbox: {err.reason}")
            continue
        files[rel] = data
        total += len(data)
    files.update(sources.data_files)
    return files, flags


def prepare(sub: Submission, sources: Sources, expected: list[str], max_file: int, max_total: int) -> Submission:
    """Fill ``sub.prepared`` (restored notebook) or ``sub.problem``."""
    path, flags, problem = locate_notebook(sub.folder, sub.notebook, expected)
    sub.flags.extend(flags)
    if path is None:
        sub.problem = problem
        return sub
    try:
        student_nb, read_flags = read_submission(path)
    except BrokenSubmission as err:
        sub.problem = err.reason
        return sub
    sub.flags.extend(read_flags)
    sub.prepared = restore(sources.notebooks[sub.notebook], student_nb, sources.releases.get(sub.notebook))
    sub.flags.extend(sub.prepared.flags)
    sub.files, file_flags = job_files(sub.folder, sources, max_file, max_total)
    sub.flags.extend(file_flags)
    return sub


def sandbox_code(cell: NotebookNode, delimiters: Delimiters) -> tuple[str, str | None]:
    """(what the sandbox runs for a code cell, the instructor-facing reason when a test cell is refused).

    A test cell loses its hidden tests: the sandbox gets the visible part and one generated
    line per hidden ``grade("qid", answer, points)`` call that hands ``answer`` out (see
    :func:`coursekit.checks.calls.sandbox_source`). A test cell whose hidden region holds
    anything else is never sent (it runs as an empty cell, so its questions score 0) and
    the reason says what to fix. Any other cell of the source with a hidden region runs without it.
    """
    text = str(cell.source)
    if is_test(cell):
        try:
            return sandbox_source(text, delimiters.begin_test, delimiters.end_test), None
        except HiddenTestsError as err:
            return "", (f"test cell {grade_id(cell)!r} not run, its questions score 0: {err}; fix the source "
                        "notebook (`coursekit assignments validate` shows it) and grade again with --force")
    if delimiters.begin_test in text:
        return strip_hidden(text, delimiters), None
    return text, None


def job_payload(key: str, sub: Submission, limits: Limits, delimiters: Delimiters | None = None) -> Job:
    """What the sandbox receives: code cells (no solutions, no hidden tests of the source), files, limits.

    A refused test cell (see :func:`sandbox_code`) adds its reason to ``sub.flags``.
    """
    assert sub.prepared is not None
    cells = []
    for index, cell in enumerate(sub.prepared.notebook.cells):
        if cell.cell_type != "code":
            continue
        code, refused = sandbox_code(cell, delimiters or DEFAULT_DELIMITERS)
        if refused and refused not in sub.flags:
            sub.flags.append(refused)
        cells.append(CellCode(index, code))
    files = {rel: base64.b64encode(data).decode() for rel, data in sub.files.items()}
    return Job(key, cells, files, limits)


def load_sources(source_dir: Path, release_dir: Path, notebooks: list[str], ignore: list[str],
                 delimiters: Delimiters = DEFAULT_DELIMITERS) -> Sources:
    """Read the source (and, if released, release) notebooks and the source's data files."""
    from fnmatch import fnmatch

    from coursekit.errors import GradingError

    sources: dict[str, NotebookNode] = {}
    releases: dict[str, NotebookNode | None] = {}
    for name in notebooks:
        path = source_dir / f"{name}.ipynb"
        if not path.is_file():
            raise GradingError(f"{path}: source notebook missing; the gradebook lists notebook {name!r}")
        sources[name] = nbformat.read(path, as_version=4)
        rel = release_dir / f"{name}.ipynb"
        releases[name] = nbformat.read(rel, as_version=4) if rel.is_file() else None
    data: dict[str, bytes] = {}
    for path in sorted(source_dir.rglob("*")):
        name = path.relative_to(source_dir).as_posix()
        if path.is_file() and path.suffix != ".ipynb" and not any(fnmatch(part, pat) for part in name.split("/")
                                                                for pat in ignore):
            data[name] = path.read_bytes()
    return Sources(sources, releases, data, delimiters)
