"""``coursekit`` command line: thin click commands over the library.

Each command parses its arguments and calls one library function. Only this module
turns :class:`coursekit.errors.CourseKitError` into an exit code and a message.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from coursekit.errors import CourseKitError

__all__ = ["main"]


def _friendly_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a CourseKitError into a one-line message and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CourseKitError as err:
            click.secho(f"error: {err}", fg="red", err=True)
            sys.exit(2)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="coursekit")
def main() -> None:
    """coursekit: anatomy lessons, exercises and graded assignments."""


@main.command("muscles")
@click.option("--hip", "hip", multiple=True, help="Hip action the muscle must perform (repeatable).")
@click.option("--knee", "knee", multiple=True, help="Knee action the muscle must perform (repeatable).")
@click.option("--group", "group_name", default=None, help="Only members of this group.")
@_friendly_errors
def muscles_command(hip: tuple[str, ...], knee: tuple[str, ...], group_name: str | None) -> None:
    """List muscles by action or group, from the course data."""
    from coursekit import anatomy

    names = anatomy.muscles_with(hip=list(hip), knee=list(knee))
    if group_name:
        members = set(anatomy.group(group_name))
        names = [n for n in names if n in members]
    for name in names:
        click.echo(name)


@main.command("assignments")
@click.argument("step", type=click.Choice(["build", "validate", "release", "workspace"]))
@click.argument("ids", nargs=-1)
@click.option("--course", "course", default="assignments", show_default=True, type=click.Path(file_okay=False),
              help="The nbgrader course directory.")
@click.option("--to", "to", default="student", show_default=True, type=click.Path(file_okay=False),
              help="workspace: the student folder to copy released assignments into.")
@_friendly_errors
def assignments_command(step: str, ids: tuple[str, ...], course: str, to: str) -> None:
    """Build source notebooks from specs, validate or release them, or copy releases to a student folder."""
    from coursekit import assignments

    extra = {"to": to} if step == "workspace" else {}
    for result in getattr(assignments, step)(course, list(ids) or None, **extra):
        click.echo(result.describe(step))


@main.command("grade")
@click.argument("assignment")
@click.option("--course", default="assignments", show_default=True, type=click.Path(file_okay=False),
              help="nbgrader course directory.")
@click.option("--student", "students", multiple=True, help="Only this student (repeatable).")
@click.option("--workers", type=int, default=None, help="Parallel sandboxed workers (default: CPU cores).")
@click.option("--force", is_flag=True, help="Regrade submissions that are already graded.")
@click.option("--sandbox", type=click.Choice(["auto", "bwrap", "rlimits"]), default="auto", show_default=True,
              help="Isolation: bubblewrap namespaces, or rlimits only.")
@click.option("--cell-timeout", type=float, default=30.0, show_default=True, help="Seconds one cell may run.")
@click.option("--no-feedback", is_flag=True, help="Do not generate nbgrader feedback HTML.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@_friendly_errors
def grade_command(assignment: str, course: str, students: tuple[str, ...], workers: int | None, force: bool,
                  sandbox: str, cell_timeout: float, no_feedback: bool, no_progress: bool) -> None:
    """Autograde ASSIGNMENT's submissions in sandboxes into nbgrader's gradebook."""
    from pathlib import Path

    from coursekit.grading import GradeConfig, grade_assignment

    config = GradeConfig(course=Path(course), assignment=assignment, students=list(students) or None,
                         force=force, sandbox=sandbox, cell_timeout=cell_timeout,
                         feedback=not no_feedback, progress=not no_progress)
    if workers is not None:
        config.workers = workers
    click.echo(grade_assignment(config, echo=click.echo).text())


@main.command("collect")
@click.argument("assignment")
@click.argument("zip_path", type=click.Path(exists=True, dir_okay=False))
@click.option("--course", default="assignments", show_default=True, type=click.Path(file_okay=False),
              help="nbgrader course directory.")
@click.option("--pattern", default=None, help="Regex with groups 'student' and 'file' for the zip's file names.")
@_friendly_errors
def collect_command(assignment: str, zip_path: str, course: str, pattern: str | None) -> None:
    """Copy an LMS download (zip of files named by student) into submitted/."""
    from coursekit.grading import collect_zip

    click.echo(collect_zip(course, assignment, zip_path, pattern=pattern).text())


@main.command("audit")
@click.option("--course", default="assignments", show_default=True, type=click.Path(file_okay=False),
              help="nbgrader course directory (its bank/ holds the graded keys).")
@click.option("--wheel", default=None, type=click.Path(exists=True, dir_okay=False),
              help="Audit this wheel instead of building one.")
@click.option("--release", "release_dir", default=None, type=click.Path(exists=True, file_okay=False),
              help="Audit this release/ folder instead of releasing into a temporary copy.")
@click.option("--site", default=None, type=click.Path(exists=True, file_okay=False),
              help="A built site (default: _build/html when built, else the book's sources).")
@_friendly_errors
def audit_command(course: str, wheel: str | None, release_dir: str | None, site: str | None) -> None:
    """Fail when a graded question's key is in the wheel, the release or the site."""
    from coursekit import audit

    report = audit.audit(course, wheel=wheel, release=release_dir, site=site)
    click.echo(report.text())
    if not report.ok:
        sys.exit(1)


@main.command("questions")
@click.option("--kind", default=None, help="Only questions of this kind (muscles, action, number, ...).")
@click.option("--objective", default=None, help="Only questions for this objective id.")
@_friendly_errors
def questions_command(kind: str | None, objective: str | None) -> None:
    """Validate the question bank and list its questions."""
    from coursekit import bank

    click.echo(bank.summary(kind=kind, objective=objective))
