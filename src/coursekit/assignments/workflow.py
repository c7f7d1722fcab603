"""The instructor's steps: build source notebooks from specs, validate them, release them.

``build`` writes ``source/<id>/<id>.ipynb`` (and ``rubrics/<id>.md`` for questions graded
by hand) from ``specs/<id>.md``; ``validate`` checks the sources against nbgrader's
metadata schema, the question bank, the objectives and the specs; ``release`` validates
and then runs nbgrader's ``generate_assignment`` so ``release/<id>/`` is what students get.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from nbformat import NotebookNode

from coursekit import coursekeys
from coursekit.assignments.notebook import build_notebook, notebook_text
from coursekit.assignments.questions import objectives, question_info
from coursekit.assignments.rubric import rubric_markdown
from coursekit.assignments.spec import Spec, load_spec
from coursekit.assignments.validate import (
    Problem,
    SourceValidationError,
    hidden_test_problems,
    missing_objectives,
    read_notebook,
    validate_notebook,
)
from coursekit.course import Course, Delimiters
from coursekit.errors import CourseKitError

__all__ = ["BuildResult", "specs", "build", "validate", "release", "workspace"]


@dataclass(frozen=True)
class BuildResult:
    """What one step did for one assignment."""

    assignment: str
    notebook: Path
    changed: bool = False
    points: float = 0.0
    questions: int = 0

    def describe(self, step: str) -> str:
        """One line for the command line, e.g. ``build ps1: 8 questions, 13 points -> ...``."""
        if step == "workspace":
            return f"workspace {self.assignment} -> {self.notebook}" + ("" if self.changed else " (kept)")
        note = " (updated)" if step == "build" and self.changed else ""
        return f"{step} {self.assignment}: {self.questions} questions, {self.points:g} points -> {self.notebook}{note}"


def specs(course_root: Path | str, only: Iterable[str] | None = None) -> list[Spec]:
    """The assignment specs in ``<course>/specs/*.md`` (all, or those named in ``only``)."""
    folder = Path(course_root) / "specs"
    found = {p.stem: p for p in sorted(folder.glob("*.md"))}
    wanted = list(only) if only else list(found)
    missing = [w for w in wanted if w not in found]
    if missing:
        raise CourseKitError(f"{folder}: no spec for {', '.join(missing)}; specs found: {', '.join(found) or 'none'}")
    out = []
    for name in wanted:
        spec = load_spec(found[name])
        if spec.id != name:
            raise CourseKitError(f"{found[name]}: front matter id {spec.id!r} must equal the file name {name!r}")
        out.append(spec)
    return out


def _summary(spec: Spec, path: Path, changed: bool) -> BuildResult:
    points = sum(float(b.options.get("points", 0)) for b in spec.questions)
    return BuildResult(spec.id, path, changed, points, len(spec.questions))


def _with_keys(course_root: Path | str) -> Course:
    """The course, with its graded keys (``<course>/bank/``) loaded into this process."""
    course = Course(Path(course_root))
    coursekeys.use_course_keys(course.root)
    return course


def build(course_root: Path | str = "assignments", only: Iterable[str] | None = None) -> list[BuildResult]:
    """Write the source notebooks (and rubrics) of the course from its specs, and the public
    forms of its graded questions (``coursekit/data/bank/public/``) from its keys."""
    course = _with_keys(course_root)
    coursekeys.write_public(course.root)
    results = []
    for spec in specs(course.root, only):
        nb = build_notebook(spec, course.delimiters)
        path = course.source(spec.id)
        if problems := hidden_test_problems(nb, str(path), course.delimiters):
            raise SourceValidationError(problems)
        text = notebook_text(nb)
        path.parent.mkdir(parents=True, exist_ok=True)
        changed = not path.exists() or path.read_text(encoding="utf-8") != text
        if changed:
            path.write_text(text, encoding="utf-8")
        rubric = rubric_markdown(spec)
        if rubric:
            (course.root / "rubrics").mkdir(exist_ok=True)
            (course.root / "rubrics" / f"{spec.id}.md").write_text(rubric, encoding="utf-8")
        results.append(_summary(spec, path, changed))
    return results


def _spec_problems(spec: Spec, nb: NotebookNode, name: str, delimiters: Delimiters) -> list[Problem]:
    problems = []
    current = notebook_text(build_notebook(spec, delimiters))
    on_disk = Path(name)
    if not on_disk.exists() or on_disk.read_text(encoding="utf-8") != current:
        problems.append(Problem(f"is out of date with {spec.path}: run `coursekit assignments build`", name))
    known = objectives()
    for obj in spec.objectives:
        if obj not in known:
            problems.append(Problem(f"spec lists objective {obj!r}, which is not in objectives.csv", name))
    for obj in missing_objectives(nb, [o for o in spec.objectives if o in known]):
        problems.append(Problem(f"objective {obj!r} is listed in the spec but no graded question assesses it", name))
    for block in spec.questions:
        try:
            obj = question_info(block.arg).objective
        except CourseKitError:
            continue
        if obj not in spec.objectives:
            problems.append(Problem(f"question {block.arg!r} assesses {obj!r}: add it to the spec's objectives", name))
    return problems


def validate(course_root: Path | str = "assignments", only: Iterable[str] | None = None) -> list[BuildResult]:
    """Check every source notebook and the course's keys; raise SourceValidationError listing all problems."""
    course = _with_keys(course_root)
    problems: list[Problem] = []
    results = []
    graded: list[str] = []
    for spec in specs(course.root, only):
        path = course.source(spec.id)
        name = str(path.relative_to(course.root.parent)) if path.is_relative_to(course.root.parent) else str(path)
        if not path.exists():
            problems.append(Problem("does not exist: run `coursekit assignments build`", name))
            continue
        nb = read_notebook(path)
        graded += coursekeys.graded_ids(nb)
        problems += validate_notebook(nb, name, course.delimiters)
        problems += [Problem(p.message, name) for p in _spec_problems(spec, nb, str(path), course.delimiters)]
        results.append(_summary(spec, path, False))
    problems += [Problem(p, "answer keys") for p in coursekeys.public_problems(course.root, used=graded)]
    if problems:
        raise SourceValidationError(problems)
    return results


def release(course_root: Path | str = "assignments", only: Iterable[str] | None = None) -> list[BuildResult]:
    """Validate, audit (no graded key in the wheel, a trial release or the site), then run
    nbgrader ``generate_assignment`` for each assignment."""
    from coursekit import audit

    results = validate(course_root, only)
    course = Course(Path(course_root))
    audit.check(course.root, assignments=[r.assignment for r in results])
    for result in results:
        course.generate(result.assignment)
    return [BuildResult(r.assignment, course.release(r.assignment), True, r.points, r.questions) for r in results]


def workspace(
    course_root: Path | str = "assignments", only: Iterable[str] | None = None, *, to: Path | str = "student"
) -> list[BuildResult]:
    """Copy released assignments into a student folder (``make lab``), never overwriting work.

    Each ``release/<id>/`` is copied to ``<to>/<id>/``; files already there are kept, so a
    student's answers survive a re-release.
    """
    course = Course(Path(course_root))
    released = course.release_dir("*").parent
    wanted = list(only) if only else [p.name for p in sorted(released.glob("*")) if p.is_dir()]
    if not wanted:
        raise CourseKitError(f"{released}: nothing released yet; run `coursekit assignments release` first")
    results = []
    for assignment in wanted:
        source = course.release_dir(assignment)
        if not source.is_dir():
            raise CourseKitError(f"{source}: {assignment!r} is not released; run `coursekit assignments release {assignment}`")
        dest = Path(to) / assignment
        changed = False
        for item in sorted(source.rglob("*")):
            target = dest / item.relative_to(source)
            if item.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            elif not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(item.read_bytes())
                changed = True
        results.append(BuildResult(assignment, dest / f"{assignment}.ipynb", changed))
    return results
