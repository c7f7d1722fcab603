"""Grading on submission: a hub service that grades each new submission as it arrives.

The service runs as the instructor (a JupyterHub managed service, see
``hub/jupyterhub_config.py``). It watches nbgrader's exchange for new submissions
(``<exchange>/<course>/inbound/<student>+<assignment>+<timestamp>+<random>``) and, for each
one, in the course directory:

1. ``nbgrader collect <assignment> --student <student> --update`` (nbgrader's own copy
   into ``submitted/``, with the timestamp), through nbgrader's Python API in the service's
   own process (``NbGraderAPI``, loaded once), or the command if that fails;
2. the grading of ``coursekit grade <assignment> --student <student> --force`` (sandboxed,
   into the gradebook, with feedback), by one **warm grader** kept between submissions
   (:class:`coursekit.grading.service.Grader`: Python, the notebook stack, the course and
   the sandboxed workers loaded once, so a submission is graded in about a second). If the
   warm grader fails (it cannot start, or raises), that submission is graded by the
   command in a process of its own, and a new warm grader is started for the next one.
   ``[grading] warm = false`` in ``hub.toml`` always uses the commands (collect and
   release_feedback too: each step in a process of its own);
3. depending on the assignment's feedback policy (:class:`FeedbackPolicy`):
   ``nbgrader release_feedback`` at once, after the due date, or never by itself (the
   instructor releases it in formgrader).

A resubmission is a new inbound entry, so it is graded again; every grading is kept in
``coursekit-grades/hub-history.jsonl`` (one JSON line each), so nothing is overwritten
without a trace. The batch command (``coursekit grade``) stays the way to regrade all.

>>> Inbound.parse(Path("/x/inbound/ada+ps1+2026-12-01 10:00:00.000000 UTC+a1b2"))
Inbound(student='ada', assignment='ps1', timestamp='2026-12-01 10:00:00.000000 UTC', folder=PosixPath('/x/inbound/ada+ps1+2026-12-01 10:00:00.000000 UTC+a1b2'))
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from coursekit.errors import CourseKitError

__all__ = ["FeedbackPolicy", "Inbound", "AutogradeService", "POLICIES", "WarmGrader", "hub_settings", "serve",
           "warm_setting"]

POLICIES = ("immediate", "after-due", "after-release")
POLICY_FILE = "hub.toml"


def hub_settings(course: Path, section: str) -> Any:
    """Table ``[section]`` of the course's ``hub.toml`` ({} when the file or the table is missing).

    Raises :class:`~coursekit.errors.CourseKitError` naming the file when it is not valid TOML.
    """
    path = course / POLICY_FILE
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")).get(section, {})
    except tomllib.TOMLDecodeError as err:
        raise CourseKitError(f"{path}: not valid TOML ({err})") from None


@dataclass(frozen=True)
class Inbound:
    """One submission in the exchange's inbound folder."""

    student: str
    assignment: str
    timestamp: str
    folder: Path

    @classmethod
    def parse(cls, folder: Path) -> Inbound | None:
        parts = folder.name.rsplit("+", 3)  # as nbgrader's collect: user names may hold '+'
        if len(parts) != 4 or not all(parts[:3]):
            return None
        return cls(parts[0], parts[1], parts[2], folder)

    @property
    def key(self) -> str:
        return self.folder.name


@dataclass(frozen=True)
class FeedbackPolicy:
    """When students see the grade of an auto-graded submission, per assignment.

    Read from the course directory's ``hub.toml``::

        [feedback]
        default = "after-release"
        ps1 = "immediate"

    ``immediate``: feedback (score included) is released as soon as the submission is
    graded; ``after-due``: once the assignment's due date in the gradebook has passed;
    ``after-release``: only when the instructor releases it (formgrader or
    ``nbgrader release_feedback``), as stock nbgrader does.
    """

    default: str = "after-release"
    assignments: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, value in {"default": self.default, **self.assignments}.items():
            if value not in POLICIES:
                raise CourseKitError(f"{POLICY_FILE}, [feedback] {name} = {value!r}: use one of {', '.join(POLICIES)}")

    def for_assignment(self, assignment: str) -> str:
        return self.assignments.get(assignment, self.default)

    @classmethod
    def load(cls, course: Path) -> FeedbackPolicy:
        table = hub_settings(course, "feedback")
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise CourseKitError(f"{course / POLICY_FILE}: [feedback] must map assignment ids to one of {', '.join(POLICIES)}")
        values = dict(table)
        default = values.pop("default", cls.default)
        return cls(default, values)


def warm_setting(course: Path) -> bool:
    """``[grading] warm`` of the course's ``hub.toml`` (default true: one warm grader between submissions)."""
    table = hub_settings(course, "grading")
    value = table.get("warm", True) if isinstance(table, dict) else None
    if not isinstance(value, bool):
        raise CourseKitError(f"{course / POLICY_FILE}: [grading] warm must be true or false, not {value!r}")
    return value


Runner = Callable[[Sequence[str], Path], tuple[int, str]]


class WarmGrader(Protocol):
    """What the service needs of a warm grader (:class:`coursekit.grading.service.Grader`)."""

    def grade(self, assignment: str, student: str) -> Any: ...

    def close(self) -> None: ...


def _nbgrader_api(course: Path) -> Any:
    """nbgrader's API on the course, configured as the ``nbgrader`` command would be in ``course``."""
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.apps.baseapp import NbGrader
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Application

    loader = NbGrader()
    loader.load_cwd_config = False
    loader.load_config_file()  # the user's and JUPYTER_CONFIG_PATH's nbgrader_config.py (the exchange root)
    Application.load_config_file(loader, "nbgrader_config", path=str(course))  # then the course's, as in `cd course`
    config = loader.config
    config.CourseDirectory.root = str(course)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def _warm_grader(course: Path) -> WarmGrader:
    from coursekit.grading.service import Grader

    return Grader(course)


def _subprocess_runner(cmd: Sequence[str], cwd: Path) -> tuple[int, str]:
    done = subprocess.run(list(cmd), cwd=cwd, capture_output=True, text=True, check=False)
    return done.returncode, (done.stdout + done.stderr)[-2000:]


@dataclass
class AutogradeService:
    """Polls the exchange and grades what is new (see the module docstring)."""

    course: Path
    exchange: Path
    course_id: str
    bin_dir: Path
    policy: FeedbackPolicy = field(default_factory=FeedbackPolicy)
    run: Runner = _subprocess_runner
    log: Callable[[str], None] = print
    #: makes the warm grader (None: every submission by the ``coursekit grade`` command)
    warm: Callable[[Path], WarmGrader] | None = _warm_grader
    warm_enabled: bool = True  #: ``[grading] warm`` of ``hub.toml``
    #: makes nbgrader's API for collect and release_feedback in this process (None: the commands)
    nbgrader_api: Callable[[Path], Any] | None = _nbgrader_api
    _api: Any = None
    _done: set[str] = field(default_factory=set)
    _pending_release: set[tuple[str, str]] = field(default_factory=set)
    _grader: WarmGrader | None = None
    _settings_seen: float | None = None

    @property
    def history(self) -> Path:
        return self.course / "coursekit-grades" / "hub-history.jsonl"

    def __post_init__(self) -> None:
        if self.history.exists():
            for line in self.history.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if isinstance(entry, dict) and isinstance(entry.get("submission"), str):
                    self._done.add(entry["submission"])
                    if entry.get("released") is False and entry.get("status") == "graded":
                        self._pending_release.add((entry["student"], entry["assignment"]))

    def inbound(self) -> list[Inbound]:
        """Submissions not graded yet, oldest first."""
        folder = self.exchange / self.course_id / "inbound"
        if not folder.is_dir():
            return []
        found = [s for p in folder.iterdir() if p.is_dir() and not p.is_symlink() if (s := Inbound.parse(p))]
        return sorted((s for s in found if s.key not in self._done), key=lambda s: s.timestamp)

    def _step(self, cmd: list[str], what: str) -> None:
        code, out = self.run(cmd, self.course)
        if code != 0:
            raise CourseKitError(f"{what} failed (exit {code}): {out.strip()[-600:]}")

    def handle(self, sub: Inbound) -> dict[str, object]:
        """Collect, grade and (by policy) release feedback for one submission."""
        started = time.monotonic()
        entry: dict[str, object] = {"submission": sub.key, "student": sub.student, "assignment": sub.assignment,
                                    "submitted": sub.timestamp, "graded_at": datetime.now(UTC).isoformat()}
        try:
            self.collect(sub.student, sub.assignment)
            entry.update(self.grade(sub))
            policy = self.policy.for_assignment(sub.assignment)
            released = policy == "immediate"
            if released:
                self.release(sub.student, sub.assignment)
            elif policy == "after-due":
                self._pending_release.add((sub.student, sub.assignment))
            entry.update(status="graded", policy=policy, released=released)
        except CourseKitError as err:
            entry.update(status="failed", reason=str(err), released=False)
        entry["seconds"] = round(time.monotonic() - started, 2)
        self._done.add(sub.key)
        self.history.parent.mkdir(parents=True, exist_ok=True)
        with self.history.open("a", encoding="utf-8") as out:
            out.write(json.dumps(entry) + "\n")
        self.log(f"coursekit hub: {sub.student} {sub.assignment}: {entry['status']} in {entry['seconds']} s")
        return entry

    def grade(self, sub: Inbound) -> dict[str, object]:
        """Grade one collected submission: by the warm grader, else by the command (see the module docstring)."""
        grader = self.warm_grader()
        if grader is not None:
            try:
                return {"grader": "warm", **_summary_fields(grader.grade(sub.assignment, sub.student), sub.student)}
            except Exception as err:  # noqa: BLE001 - any failure of the warm grader: the command grades instead
                reason = f"{type(err).__name__}: {err}"[:600]
                self.log(f"coursekit hub: the warm grader failed on {sub.student} {sub.assignment} ({reason}); "
                         "grading with coursekit grade, and a new warm grader for the next submission")
                self.close_grader()
        else:
            reason = ""
        self._step([str(self.bin_dir / "coursekit"), "grade", sub.assignment, "--course", str(self.course),
                    "--student", sub.student, "--force", "--no-progress"], "coursekit grade")
        return {"grader": "command", **({"warm_failed": reason} if reason else {})}

    def warm_grader(self) -> WarmGrader | None:
        """The warm grader, started when there is none (None: warm grading off, or it cannot start now)."""
        if self.warm is None or not self.warm_enabled:
            return None
        if self._grader is None:
            try:
                self._grader = self.warm(self.course)
            except Exception as err:  # noqa: BLE001 - the command still grades; the next submission tries again
                self.log(f"coursekit hub: the warm grader did not start ({type(err).__name__}: {err})")
                return None
        return self._grader

    def close_grader(self) -> None:
        grader, self._grader = self._grader, None
        if grader is not None:
            try:
                grader.close()
            except Exception as err:  # noqa: BLE001 - a broken grader is dropped all the same
                self.log(f"coursekit hub: closing the warm grader: {err}")

    def reload_settings(self) -> None:
        """Read ``hub.toml`` again when it changed: feedback policy and ``[grading] warm``."""
        path = self.course / POLICY_FILE
        try:
            seen = path.stat().st_mtime
        except OSError:
            seen = None
        if seen == self._settings_seen:
            return
        self._settings_seen = seen
        try:
            policy, warm = FeedbackPolicy.load(self.course), warm_setting(self.course)
        except CourseKitError as err:
            self.log(f"coursekit hub: {err}; keeping the settings in use")
            return
        self.policy, self.warm_enabled = policy, warm
        if not warm:
            self.close_grader()
            self._api = None

    def collect(self, student: str, assignment: str) -> None:
        """``nbgrader collect ASSIGNMENT --student STUDENT --update``."""
        if not self._in_process("collect", student, assignment):
            self._step([str(self.bin_dir / "nbgrader"), "collect", assignment, f"--student={student}", "--update"],
                       "nbgrader collect")

    def release(self, student: str, assignment: str) -> None:
        """``nbgrader release_feedback ASSIGNMENT --student STUDENT``."""
        if not self._in_process("release_feedback", student, assignment):
            self._step([str(self.bin_dir / "nbgrader"), "release_feedback", assignment, f"--student={student}"],
                       "nbgrader release_feedback")

    def _in_process(self, action: str, student: str, assignment: str) -> bool:
        """Run nbgrader's ``action`` through its API here; False (logged) when it cannot, so the command runs."""
        if self.nbgrader_api is None or not self.warm_enabled:
            return False
        try:
            from nbgrader.utils import temp_attrs

            if self._api is None:
                self._api = self.nbgrader_api(self.course)
            with temp_attrs(self._api.coursedir, student_id=student):
                if action == "collect":
                    result = self._api.collect(assignment, update=True)
                else:
                    result = self._api.release_feedback(assignment, student_id=student)
            if not result.get("success"):
                raise CourseKitError(str(result.get("error") or result.get("log") or "no reason given").strip()[-600:])
        except Exception as err:  # noqa: BLE001 - the command does it instead, in a process of its own
            self.log(f"coursekit hub: nbgrader {action} in the service failed ({type(err).__name__}: "
                     f"{str(err)[-300:]}); running the command")
            self._api = None
            return False
        return True

    def release_due(self, now: datetime | None = None) -> list[tuple[str, str]]:
        """Release held feedback of assignments whose due date has passed."""
        if not self._pending_release:
            return []
        due = self.due_dates()
        now = now or datetime.now(UTC).replace(tzinfo=None)
        ready = sorted(p for p in self._pending_release if due.get(p[1]) is not None and now >= due[p[1]])  # type: ignore[operator]
        for student, assignment in ready:
            self.release(student, assignment)
            self._pending_release.discard((student, assignment))
        return ready

    def due_dates(self) -> dict[str, datetime | None]:
        """Assignment id -> due date (naive UTC, as nbgrader stores it) from the gradebook."""
        from coursekit.course import Course

        if not (self.course / "gradebook.db").exists():
            return {}
        with Course(self.course).gradebook() as gb:
            return {a.name: a.duedate for a in gb.assignments}

    def poll_once(self) -> list[dict[str, object]]:
        self.reload_settings()
        done = [self.handle(sub) for sub in self.inbound()]
        self.release_due()
        return done


def serve(service: AutogradeService, interval: float = 1.0) -> None:
    """Poll until SIGTERM or SIGINT (JupyterHub stops its managed services with SIGTERM)."""
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    service.log(f"coursekit hub: grading on submission for {service.course} (exchange {service.exchange})")
    service.reload_settings()
    service.warm_grader()  # warm before the first submission arrives
    try:
        while not stopping:
            try:
                service.poll_once()
            except Exception as err:  # noqa: BLE001 - the service must outlive one bad poll
                service.log(f"coursekit hub: poll failed: {err}")
            time.sleep(interval)
    finally:
        service.close_grader()


def _summary_fields(summary: Any, student: str) -> dict[str, object]:
    """What the history keeps of a warm grading (a :class:`coursekit.grading.batch.BatchSummary`)."""
    records = [r for r in getattr(summary, "graded", []) if getattr(r, "student", student) == student]
    if not records:
        raise CourseKitError(f"grading found no submission of {student} to grade")
    fields: dict[str, object] = {"score": sum((r.score or 0.0) for r in records),
                                 "grading": sorted({str(r.status) for r in records})}
    problem = getattr(summary, "feedback_problems", {}).get(student)
    if problem:
        fields["feedback_problem"] = str(problem)[:600]
    return fields


def service_from_env() -> AutogradeService:
    """The service for the hub layout in the environment (as JupyterHub starts it)."""
    from coursekit.hub.layout import HubLayout

    layout = HubLayout.from_env()
    course = Path(os.environ.get("COURSEKIT_COURSE", str(layout.course)))
    return AutogradeService(course=course, exchange=layout.exchange, course_id=layout.course_id,
                            bin_dir=layout.env / "bin", policy=FeedbackPolicy.load(course))
