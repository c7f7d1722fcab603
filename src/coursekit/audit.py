"""The key audit: no graded question's key in anything a student receives.

A student receives three things: the wheel of the ``coursekit`` package (what ``make
lab`` or a hub image installs), the released assignments (``release/``) and the built
course site. :func:`audit` builds the first two (a wheel with ``uv build``, a release
with nbgrader in a temporary copy of the course), takes the site from a built site
directory (or reads the book's sources when none is built), and looks in every file
for every key of every graded question of the course (``<course>/bank/*.yaml``):

- a key entry: a mapping with the question's id and any key field (``expected``,
  ``expected_from``, ``optional``, tolerances and credits, ``misconceptions``,
  ``rubric``, ``model_answer``, ``explanation``, options with ``correct`` or ``feedback``),
  in any YAML or JSON file (notebooks included);
- an expected value: the number of a number question (when it has three significant
  digits or more; smaller ones are too common to search for as text; not in scripts,
  styles, source maps and SVG, where numbers are drawing data), the accepted
  names or actions of a muscle or action question as a list;
- the texts that only the key holds: misconception feedback, option feedback,
  feedback of visible checks that depend on the key (``includes``/``excludes``),
  explanations, rubric criteria and model answers;
- a hidden check: a ``grade("<id>", ...)`` call, or (in the release) a ``BEGIN HIDDEN
  TESTS`` region.

Each finding names the artifact, the file and the question. ``coursekit audit`` runs it
and ``coursekit assignments release`` runs it before anything is written to ``release/``.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from coursekit.errors import AuditError, CourseKitError
from coursekit.records import Question

__all__ = ["Finding", "AuditReport", "Secret", "audit", "secrets", "scan", "build_wheel",
           "build_release"]

#: Fields of a bank entry that hold (part of) a key.
KEY_FIELDS = frozenset({"expected", "expected_from", "optional", "tolerance", "rel_tolerance", "wrong_unit_credit",
                        "wrong_sign_credit", "misconceptions", "rubric", "model_answer", "explanation"})
#: Shortest text searched for as a secret (shorter ones are too common).
MIN_TEXT = 24
#: Files where numbers are drawing or layout data (icon paths, source maps, styles), not text.
_NUMERIC_NOISE = {".js", ".mjs", ".map", ".css", ".svg"}
_BINARY = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".pdf",
           ".zip", ".gz", ".whl", ".db", ".sqlite", ".pyc", ".so", ".mo"}


@dataclass(frozen=True)
class Finding:
    """One key found where a student can read it."""

    artifact: str
    file: str
    question: str
    what: str

    def __str__(self) -> str:
        return f"{self.artifact}: {self.file}: question {self.question!r}: {self.what}"


@dataclass
class AuditReport:
    """What the audit looked at and what it found."""

    findings: list[Finding] = field(default_factory=list)
    scanned: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    questions: int = 0

    @property
    def ok(self) -> bool:
        return not self.findings

    def text(self) -> str:
        """A summary for the command line."""
        lines = [f"audit: {self.questions} graded question(s); "
                 + ", ".join(f"{name} {n} file(s)" for name, n in self.scanned.items())]
        lines += [f"note: {n}" for n in self.notes]
        lines += [f"KEY FOUND: {f}" for f in self.findings]
        lines.append("audit: no key of a graded question found." if self.ok
                     else f"audit: {len(self.findings)} key(s) found where students can read them.")
        return "\n".join(lines)


@dataclass(frozen=True)
class Secret:
    """Something only the key holds: a text, or a pattern for a number or a call."""

    question: str
    what: str
    text: str = ""
    pattern: re.Pattern[str] | None = None

    def found_in(self, haystack: str) -> bool:
        if self.pattern is not None:
            return self.pattern.search(haystack) is not None
        return self.text in haystack


# --------------------------------------------------------------------------- secrets


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _significant(value: float) -> int:
    digits = f"{abs(value):.10g}".replace(".", "").lstrip("0")
    return len(digits.rstrip("0")) if "e" not in digits else 0


def _number_pattern(value: float) -> re.Pattern[str]:
    text = f"{abs(value):.10g}"
    return re.compile(rf"(?<![\w.]){re.escape(text)}(?![\d])")


def secrets(q: Question, raw: dict[str, Any] | None = None, public: str = "", *, taught: bool = False) -> list[Secret]:
    """What of ``q``'s key can be searched for as text (see the module docstring).

    Texts that also appear in ``public`` (the public forms: prompts, options, form
    feedback) are public anyway and are not searched for, nor is a list of names that
    a practice question teaches (``taught``; the audit notes it instead). A key of one
    name or action is searched for only as a key entry: as text it is an ordinary word.
    """
    out: list[Secret] = [Secret(q.id, "hidden check (grade call)",
                                pattern=re.compile(rf"grade\(\s*['\"]{re.escape(q.id)}['\"]"))]
    if q.kind == "number" and isinstance(q.expected, float) and math.isfinite(q.expected) and _significant(q.expected) >= 3:
        out.append(Secret(q.id, f"expected value {q.expected:g}", pattern=_number_pattern(q.expected)))
    if q.kind in ("muscles", "action") and len(q.expected or ()) > 1 and not taught:
        names = [str(e).replace("_", " ") for e in q.expected]
        what = "accepted answers (" + ", ".join(names) + ")"
        forms = [json.dumps(list(q.expected)), "expected: " + ", ".join(q.expected), "[" + ", ".join(q.expected) + "]"]
        if raw and isinstance(raw.get("expected"), list) and len(raw["expected"]) > 1:
            forms.append("[" + ", ".join(map(str, raw["expected"])) + "]")
        out += [Secret(q.id, what, _norm(form)) for form in forms]
    texts = [("misconception feedback", t) for t in q.misconceptions.values()]
    texts += [("option feedback", o.feedback) for o in q.options]
    texts += [("feedback of a key-dependent check", ex.get("feedback", "")) for ex in q.examples
              if set(ex) & {"includes", "excludes"}]
    texts += [("explanation", q.explanation), ("model answer", str(q.settings.get("model_answer", "")))]
    for item in q.settings.get("rubric", ()) or ():
        texts.append(("rubric", item if isinstance(item, str) else str(item.get("criterion", ""))))
    for what, text in texts:
        if len(text.strip()) >= MIN_TEXT and _norm(text) not in public:
            out.append(Secret(q.id, what, _norm(text)))
    return out


def prose_lists(q: Question) -> list[Secret]:
    """A muscle or action key written as prose ("a, b and c"): reported as a note, not a finding.

    Public texts (a learning objective, a prompt) may name the same muscles for good
    reasons; the instructor reads the note and decides.
    """
    if q.kind not in ("muscles", "action") or len(q.expected or ()) < 2:
        return []
    names = [str(e).replace("_", " ") for e in q.expected]
    return [Secret(q.id, "accepted answers written as prose", _norm(", ".join(names)))]


# --------------------------------------------------------------------------- reading files


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from _strings(v)


def _mappings(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, dict):
        yield data
        for v in data.values():
            yield from _mappings(v)
    elif isinstance(data, list):
        for v in data:
            yield from _mappings(v)


def _read(path: Path) -> tuple[str, Any] | None:
    """(searchable text, parsed data or None) of one file; None for binary files."""
    if path.suffix.lower() in _BINARY:
        return None
    try:
        raw = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None
    data: Any = None
    suffix = path.suffix.lower()
    if suffix in (".json", ".ipynb"):
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
    elif suffix in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(raw)
        except yaml.YAMLError:
            data = None
    parts = [raw]
    if data is not None:
        parts.append("\n".join(_strings(data)))
    if suffix in (".html", ".htm", ".xml", ".svg", ".js"):
        parts.append(html.unescape(re.sub(r"<[^>]+>", " ", raw)))
    return _norm("\n".join(parts)), data


def _key_entries(data: Any, graded: set[str]) -> Iterator[tuple[str, str]]:
    for m in _mappings(data):
        qid = m.get("id")
        if not isinstance(qid, str) or qid not in graded:
            continue
        keys = sorted(set(m) & KEY_FIELDS)
        options = m.get("options")
        if isinstance(options, list) and any(isinstance(o, dict) and ({"correct", "feedback"} & set(o)) for o in options):
            keys.append("options with correct/feedback")
        if keys:
            yield qid, f"key entry ({', '.join(keys)})"


def scan(root: Path, artifact: str, questions: Iterable[Question], raws: dict[str, dict[str, Any]] | None = None,
         *, hidden_markers: bool = False, notes: list[str] | None = None) -> tuple[list[Finding], int]:
    """Every key of ``questions`` found in the files under ``root``, and how many files were read."""
    qs = list(questions)
    graded = {q.id for q in qs}
    public = _public_text(qs)
    taught = {g.id for _, g in _shared(qs)}
    secret_list = [s for q in qs for s in secrets(q, (raws or {}).get(q.id), public, taught=q.id in taught)]
    prose = [s for q in qs for s in prose_lists(q)]
    findings: list[Finding] = []
    count = 0
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        read = _read(path)
        if read is None:
            continue
        count += 1
        text, data = read
        name = str(path.relative_to(root))
        seen: set[tuple[str, str]] = set()
        for qid, what in _key_entries(data, graded):
            seen.add((qid, what))
        for s in secret_list:
            if s.what.startswith("expected value") and path.suffix.lower() in _NUMERIC_NOISE:
                continue
            if s.found_in(text):
                seen.add((s.question, s.what))
        if hidden_markers and "begin hidden tests" in text:
            seen.add(("-", "hidden tests region (BEGIN HIDDEN TESTS)"))
        findings += [Finding(artifact, name, qid, what) for qid, what in sorted(seen)]
        if notes is not None:
            notes += [f"{artifact}: {name}: question {s.question!r}: {s.what} (check that this text may be public)"
                      for s in prose if s.found_in(text)]
    return findings, count


def _shared(questions: list[Question]) -> list[tuple[Question, Question]]:
    from coursekit.coursekeys import shared_answers

    return shared_answers(questions)


def _public_text(questions: list[Question]) -> str:
    from coursekit import bank

    return _norm("\n".join(_strings([bank.public_entry(q) for q in questions])))


# --------------------------------------------------------------------------- building


def _uv() -> str | None:
    found = shutil.which("uv")
    if found:
        return found
    local = Path.home() / ".local" / "bin" / "uv"
    return str(local) if local.exists() else None


def project_root() -> Path | None:
    """The checkout the running ``coursekit`` comes from (src layout), if it is one."""
    import coursekit

    root = Path(coursekit.__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "src" / "coursekit").is_dir() else None


def build_wheel(project: Path, out_dir: Path) -> Path:
    """Build the project's wheel into ``out_dir`` (``uv build``, else ``python -m build``)."""
    uv = _uv()
    cmd = [uv, "build", "--wheel", "--out-dir", str(out_dir), str(project)] if uv else \
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out_dir), str(project)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIRTUAL_ENV")}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=project)
    wheels = sorted(out_dir.glob("*.whl"))
    if done.returncode != 0 or not wheels:
        raise CourseKitError(f"could not build the wheel of {project} ({' '.join(cmd[:3])}): "
                             f"{(done.stderr or done.stdout)[-800:]}")
    return wheels[-1]


def build_release(course_root: Path, out_dir: Path, assignments: Iterable[str] | None = None) -> Path:
    """Release the course's assignments with nbgrader into a copy under ``out_dir``; returns its release/."""
    from coursekit.course import Course

    copy = out_dir / "course"
    copy.mkdir(parents=True)
    shutil.copy2(course_root / "nbgrader_config.py", copy / "nbgrader_config.py")
    shutil.copytree(course_root / "source", copy / "source")
    course = Course(copy)
    for assignment in assignments or course.assignments():
        course.generate(assignment)
    return copy / "release"


# --------------------------------------------------------------------------- the audit


def graded_keys(course_root: Path) -> tuple[list[Question], dict[str, dict[str, Any]]]:
    """The graded questions of a course, with their keys, and their raw key entries."""
    from coursekit import bank, coursekeys

    questions, raws = [], {}
    for path in coursekeys.key_files(course_root):
        questions += bank.load_file(path)
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                raws[raw["id"]] = raw
    return questions, raws


def audit(course_root: Path | str = "assignments", *, wheel: Path | str | None = None,
          release: Path | str | None = None, site: Path | str | None = None,
          assignments: Iterable[str] | None = None, book: Path | str | None = None) -> AuditReport:
    """Look for every graded key in the wheel, the release and the site (see the module docstring).

    ``wheel``, ``release`` and ``site`` may be given (a ``.whl`` file, a ``release/``
    folder, a built site); otherwise the wheel is built from the checkout, the release
    is made in a temporary copy of the course, and the site is ``_build/html`` of the
    checkout when it is built, else the book's sources are read.
    """
    course_root = Path(course_root).resolve()
    questions, raws = graded_keys(course_root)
    report = AuditReport(questions=len(questions))
    report.notes += [f"practice question {p.id!r} ({p.source}) has the same answer as graded question {g.id!r}: "
                     "the book teaches it; reword one of them if the graded question should test more"
                     for p, g in _shared(questions)]
    if not questions:
        report.notes.append(f"{course_root / 'bank'}: no graded keys; nothing to look for")
    project = project_root()
    with tempfile.TemporaryDirectory(prefix="coursekit-audit-") as tmp:
        work = Path(tmp)
        report.findings += _scan_wheel(work, wheel, project, questions, raws, report)
        rel = Path(release) if release else build_release(course_root, work / "release", assignments)
        found, n = scan(rel, "release", questions, raws, hidden_markers=True, notes=report.notes)
        report.findings += found
        report.scanned["release"] = n
        report.findings += _scan_site(site, book, project, questions, raws, report)
    return report


def _scan_wheel(work: Path, wheel: Path | str | None, project: Path | None, questions: list[Question],
                raws: dict[str, dict[str, Any]], report: AuditReport) -> list[Finding]:
    if wheel is None and project is None:
        import coursekit

        root = Path(coursekit.__file__).resolve().parent
        report.notes.append(f"no checkout to build a wheel from; read the installed package {root}")
        found, n = scan(root, "package", questions, raws)
        report.scanned["package"] = n
        return found
    wheel = Path(wheel) if wheel else build_wheel(project, work / "dist")  # type: ignore[arg-type]
    unpacked = work / "wheel"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(unpacked)
    found, n = scan(unpacked, f"wheel {wheel.name}", questions, raws, notes=report.notes)
    report.scanned["wheel"] = n
    return found


def _scan_site(site: Path | str | None, book: Path | str | None, project: Path | None, questions: list[Question],
               raws: dict[str, dict[str, Any]], report: AuditReport) -> list[Finding]:
    if site is None and project is not None and (project / "_build" / "html" / "index.html").is_file():
        site = project / "_build" / "html"
    if site is not None:
        found, n = scan(Path(site), "site", questions, raws, notes=report.notes)
        report.scanned["site"] = n
        return found
    sources = Path(book) if book else (project / "book" if project else None)
    if sources is None or not sources.is_dir():
        report.notes.append("no built site and no book sources found: the site was not audited")
        return []
    report.notes.append(f"no built site: read the book's sources in {sources} instead (make book, then audit again)")
    found, n = scan(sources, "book sources", questions, raws, notes=report.notes)
    report.scanned["book sources"] = n
    return found


def check(course_root: Path | str = "assignments", **kwargs: Any) -> AuditReport:
    """:func:`audit`, raising :class:`~coursekit.errors.AuditError` when a key is found."""
    report = audit(course_root, **kwargs)
    if report.findings:
        raise AuditError(report.findings)
    return report
