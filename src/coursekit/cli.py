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
