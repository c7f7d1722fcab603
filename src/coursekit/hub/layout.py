"""Where a course hub keeps its parts, and who its users are.

One :class:`HubLayout` is read from the environment (``COURSEKIT_HUB_*``) by
``hub/jupyterhub_config.py``, ``coursekit hub setup`` and the grading service, so the
three agree on every path:

=====================  ==============================================================
``<root>/state``       the hub's database, cookie secret and proxy token (root only)
``<root>/exchange``    nbgrader's exchange, shared by every user (outside every home
                       and outside the course directory)
``<root>/env``         the Python environment of every user's server, built from the
                       coursekit wheel: public question data only, never a key
``<root>/etc/<role>``  Jupyter configuration for students and for the instructor
``~instructor/course`` the instructor's course directory (mode 700): sources, keys,
                       gradebook, submissions, feedback
=====================  ==============================================================

>>> layout = HubLayout.from_env({"COURSEKIT_HUB_ROOT": "/srv/hub", "COURSEKIT_HUB_STUDENTS": "ada, grace"})
>>> layout.students, str(layout.exchange), layout.url
(('ada', 'grace'), '/srv/hub/exchange', 'http://127.0.0.1:8010')
"""

from __future__ import annotations

import os
import pwd
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from coursekit.errors import CourseKitError

__all__ = ["HubLayout", "COURSE_ID"]

COURSE_ID = "coursekit-hip"


@dataclass(frozen=True)
class HubLayout:
    """The paths, ports and accounts of one course hub."""

    root: Path = Path("/srv/coursekit-hub")
    instructor: str = "instructor"
    students: tuple[str, ...] = ("student1", "student2", "student3")
    port: int = 8010
    course_id: str = COURSE_ID

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> HubLayout:
        """The layout named by ``COURSEKIT_HUB_ROOT``, ``_PORT``, ``_INSTRUCTOR`` and ``_STUDENTS``."""
        env = os.environ if env is None else env
        default = cls()
        students = tuple(s.strip() for s in env.get("COURSEKIT_HUB_STUDENTS", "").split(",") if s.strip())
        try:
            port = int(env.get("COURSEKIT_HUB_PORT", default.port))
        except ValueError:
            raise CourseKitError(f"COURSEKIT_HUB_PORT={env['COURSEKIT_HUB_PORT']!r} is not a port number") from None
        return cls(root=Path(env.get("COURSEKIT_HUB_ROOT", str(default.root))),
                   instructor=env.get("COURSEKIT_HUB_INSTRUCTOR", default.instructor),
                   students=students or default.students, port=port)

    # -- addresses -------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def hub_port(self) -> int:
        """The hub's own API port (behind the proxy)."""
        return self.port + 1

    @property
    def proxy_api_port(self) -> int:
        return self.port + 2

    # -- paths -----------------------------------------------------------------------
    @property
    def state(self) -> Path:
        return self.root / "state"

    @property
    def exchange(self) -> Path:
        return self.root / "exchange"

    @property
    def env(self) -> Path:
        return self.root / "env"

    def etc(self, role: str) -> Path:
        """Jupyter configuration folder for ``role`` ("student" or "instructor")."""
        return self.root / "etc" / role

    def home(self, user: str) -> Path:
        try:
            return Path(pwd.getpwnam(user).pw_dir)
        except KeyError:
            return Path("/home") / user

    @property
    def course(self) -> Path:
        """The instructor's course directory."""
        return self.home(self.instructor) / "course"

    @property
    def users(self) -> tuple[str, ...]:
        return (self.instructor, *self.students)

    def role(self, user: str) -> str:
        return "instructor" if user == self.instructor else "student"
