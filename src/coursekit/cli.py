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

__all__ = ["main", "run"]

#: set by a command whose work is all written and closed, so the process may end without teardown
_QUICK_EXIT: list[bool] = []


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


def run() -> None:
    """The ``coursekit`` program: :data:`main`, then the exit.

    After ``coursekit grade`` the interpreter's teardown of the grading stack (nbgrader,
    SQLAlchemy, pandas, matplotlib: about 0.3 s, longer than grading one submission) is
    skipped: output is flushed and the exit handlers run, then the process ends. Every other
    command, or a run with a thread still working, exits the usual way.
    """
    import os
    import threading

    try:
        main(standalone_mode=True)
        code: Any = 0
    except SystemExit as done:
        code = done.code
    others = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon]
    if not _QUICK_EXIT or others or not isinstance(code, int | None):
        sys.exit(code)
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code or 0)


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


def _course_root(course: str | None) -> str:
    """The course folder: ``--course``, else found like nbgrader (``.`` or ``./assignments``)."""
    from coursekit.course import find_course

    return str(find_course(course).root)


_COURSE_HELP = ("The nbgrader course directory (default: the current folder when it holds nbgrader_config.py, "
                "else ./assignments).")


@main.command("assignments")
@click.argument("step", type=click.Choice(["build", "validate", "release", "workspace"]))
@click.argument("ids", nargs=-1)
@click.option("--course", "course", default=None, type=click.Path(file_okay=False), help=_COURSE_HELP)
@click.option("--to", "to", default="student", show_default=True, type=click.Path(file_okay=False),
              help="workspace: the student folder to copy released assignments into.")
@_friendly_errors
def assignments_command(step: str, ids: tuple[str, ...], course: str | None, to: str) -> None:
    """Build source notebooks from specs, validate or release them, or copy releases to a student folder."""
    from coursekit import assignments

    extra = {"to": to} if step == "workspace" else {}
    for result in getattr(assignments, step)(_course_root(course), list(ids) or None, **extra):
        click.echo(result.describe(step))


def _grade_option(name: str, *decls: str, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A ``coursekit grade`` option whose default and help come from :class:`GradeConfig`."""
    from coursekit.grading.config import option_default, option_help

    default = option_default(name)
    if kwargs.get("is_flag"):
        return click.option(*decls, help=option_help(name)[0].upper() + option_help(name)[1:] + ".", **kwargs)
    return click.option(*decls, default=default, show_default=default is not None,
                        help=option_help(name)[0].upper() + option_help(name)[1:] + ".", **kwargs)


@main.command("grade")
@click.argument("assignment")
@click.option("--course", default=None, type=click.Path(file_okay=False), help=_COURSE_HELP)
@_grade_option("students", "--student", "students", multiple=True)
@_grade_option("workers", "--workers", type=int)
@_grade_option("force", "--force", is_flag=True)
@_grade_option("sandbox", "--sandbox", type=click.Choice(["auto", "bwrap", "rlimits"]))
@_grade_option("cell_timeout", "--cell-timeout", type=float)
@click.option("--no-feedback", is_flag=True, help="Do not generate nbgrader feedback HTML.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@_friendly_errors
def grade_command(assignment: str, course: str | None, students: tuple[str, ...], workers: int | None, force: bool,
                  sandbox: str, cell_timeout: float | None, no_feedback: bool, no_progress: bool) -> None:
    """Autograde ASSIGNMENT's submissions in sandboxes into nbgrader's gradebook."""

    from coursekit.course import find_course_root
    from coursekit.runlock import course_lock
    from coursekit.untrusted.text import for_terminal

    root = find_course_root(course)  # the course's configuration (nbgrader) is loaded once the workers start

    # Student ids, file names and error texts reach the terminal: no escape sequence gets through.
    def echo(text: str) -> None:
        click.echo(for_terminal(text))

    # The lock comes first (before the slow imports): a second run on this course stops at once, naming who holds it.
    with course_lock(root.resolve()):
        from coursekit.grading.config import GradeConfig
        from coursekit.grading.warmup import grade_assignment  # light: the workers start before nbgrader loads

        config = GradeConfig(course=root, assignment=assignment, students=list(students) or None,
                             force=force, sandbox=sandbox, cell_timeout=cell_timeout,
                             feedback=not no_feedback, progress=not no_progress)
        if workers is not None:
            config.workers = workers
        echo(grade_assignment(config, echo=echo).text())
    _QUICK_EXIT.append(True)  # gradebook committed, every file and worker closed (see run)


@main.command("collect")
@click.argument("assignment")
@click.argument("zip_path", type=click.Path(exists=True, dir_okay=False))
@click.option("--course", default=None, type=click.Path(file_okay=False), help=_COURSE_HELP)
@click.option("--roster", default=None, type=click.Path(exists=True, dir_okay=False),
              help="Canvas: the gradebook export (Grades > Export), for names, SIS ids, sections and the import file.")
@click.option("--worksheet", default=None, type=click.Path(exists=True, dir_okay=False),
              help="Moodle: the offline grading worksheet downloaded from the assignment, to fill in and upload back.")
@click.option("--timezone", default="UTC", show_default=True, help="Moodle: the time zone of the upload times in the zip.")
@click.option("--pattern", default=None,
              help="Not Canvas or Moodle: a regex with groups 'student' and 'file' for the zip's file names.")
@_friendly_errors
def collect_command(assignment: str, zip_path: str, course: str | None, roster: str | None, worksheet: str | None,
                    timezone: str, pattern: str | None) -> None:
    """Put an LMS download (Canvas or Moodle zip, or files named by student) into submitted/."""
    from coursekit.untrusted.text import for_terminal

    root = _course_root(course)
    if pattern is None:
        from coursekit.lms import collect_lms, detect_lms

        try:
            detect_lms(zip_path)
        except CourseKitError:
            pattern = ""  # neither Canvas nor Moodle: the simple <student>/<file> layouts below
        else:
            from coursekit.course import Course

            expected = {f"{nb}.ipynb" for nb in Course(root).notebooks(assignment)}
            result = collect_lms(root, assignment, zip_path, roster=roster, worksheet=worksheet,
                                 expected=expected, timezone=timezone)
            click.echo(for_terminal(result.text()))
            return
    if roster or worksheet:
        raise CourseKitError(f"{zip_path}: --roster and --worksheet go with a Canvas or Moodle download")
    from coursekit.grading import collect_zip

    click.echo(for_terminal(collect_zip(root, assignment, zip_path, pattern=pattern or None).text()))


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


@main.group("hub")
def hub_group() -> None:
    """The course hub: set this machine up as one (as root), and grade on submission."""


@hub_group.command("setup")
@click.option("--repo", default=".", show_default=True, type=click.Path(file_okay=False, exists=True),
              help="The coursekit checkout whose wheel and assignments/ the hub serves.")
@_friendly_errors
def hub_setup_command(repo: str) -> None:
    """Create the hub's accounts, folders, environment and course (root; safe to re-run)."""
    from pathlib import Path

    from coursekit.hub.layout import HubLayout
    from coursekit.hub.provision import setup_hub

    setup_hub(HubLayout.from_env(), Path(repo).resolve(), log=click.echo)


@hub_group.command("autograde")
@click.option("--interval", type=float, default=1.0, show_default=True, help="Seconds between looks at the exchange.")
@click.option("--once", is_flag=True, help="Grade what is waiting now, then stop.")
@_friendly_errors
def hub_autograde_command(interval: float, once: bool) -> None:
    """Grade each new submission in the exchange (the hub runs this as a service)."""
    from coursekit.hub.autograde import serve, service_from_env

    service = service_from_env()
    service.log = click.echo
    if once:
        for entry in service.poll_once():
            click.echo(f"{entry['student']} {entry['assignment']}: {entry['status']}")
        return
    serve(service, interval)
