"""The grading service's choices, without a hub: warm grader first, the command when it fails.

The exchange and the course are folders in ``tmp_path``; nbgrader and ``coursekit grade``
are replaced by a runner that records the commands (the real ones run in ``test_hub.py``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from coursekit.errors import CourseKitError
from coursekit.hub.autograde import AutogradeService, FeedbackPolicy, warm_setting


@dataclass
class Record:
    student: str
    score: float | None
    status: str = "ok"


@dataclass
class Summary:
    graded: list[Record]
    feedback_problems: dict[str, str] = field(default_factory=dict)


class FakeGrader:
    """Grades by a script: each call pops the next outcome (a score, or an exception to raise)."""

    def __init__(self, outcomes: list[float | Exception], made: list[FakeGrader]) -> None:
        self.outcomes, self.closed = outcomes, False
        self.calls: list[tuple[str, str]] = []
        made.append(self)

    def grade(self, assignment: str, student: str) -> Summary:
        assert not self.closed
        self.calls.append((assignment, student))
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return Summary([Record(student, outcome)])

    def close(self) -> None:
        self.closed = True


@dataclass
class Runner:
    commands: list[list[str]] = field(default_factory=list)

    def __call__(self, cmd: Sequence[str], cwd: Path) -> tuple[int, str]:
        self.commands.append([Path(cmd[0]).name, *cmd[1:3]])
        return 0, ""


def submit(exchange: Path, student: str, assignment: str, second: int) -> None:
    (exchange / "c" / "inbound" / f"{student}+{assignment}+2026-12-01 10:00:0{second}.000000 UTC+r{second}").mkdir(
        parents=True)


def service(tmp_path: Path, outcomes: list[float | Exception], made: list[FakeGrader], runner: Runner) -> AutogradeService:
    course = tmp_path / "course"
    course.mkdir(exist_ok=True)
    return AutogradeService(course=course, exchange=tmp_path / "exchange", course_id="c", bin_dir=tmp_path / "bin",
                            policy=FeedbackPolicy("immediate"), run=runner, log=lambda _: None,
                            warm=lambda _course: FakeGrader(outcomes, made), nbgrader_api=None)


def history(tmp_path: Path) -> list[dict[str, object]]:
    lines = (tmp_path / "course" / "coursekit-grades" / "hub-history.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines]


def test_one_warm_grader_grades_every_submission_and_the_command_never_runs(tmp_path: Path) -> None:
    made: list[FakeGrader] = []
    runner = Runner()
    svc = service(tmp_path, [13.0, 7.0], made, runner)
    submit(tmp_path / "exchange", "ada", "ps1", 1)
    submit(tmp_path / "exchange", "grace", "ps1", 2)
    svc.poll_once()
    assert len(made) == 1 and made[0].calls == [("ps1", "ada"), ("ps1", "grace")]
    assert [c[0:2] for c in runner.commands] == [["nbgrader", "collect"], ["nbgrader", "release_feedback"]] * 2
    assert [(e["student"], e["grader"], e["score"], e["status"]) for e in history(tmp_path)] == [
        ("ada", "warm", 13.0, "graded"), ("grace", "warm", 7.0, "graded")]


def test_a_failing_warm_grader_falls_back_to_the_command_and_is_replaced(tmp_path: Path) -> None:
    made: list[FakeGrader] = []
    runner = Runner()
    svc = service(tmp_path, [RuntimeError("worker died"), 9.0], made, runner)
    submit(tmp_path / "exchange", "ada", "ps1", 1)
    svc.poll_once()
    assert made[0].closed and [c[0] for c in runner.commands] == ["nbgrader", "coursekit", "nbgrader"]
    [entry] = history(tmp_path)
    assert entry["grader"] == "command" and entry["status"] == "graded"
    assert entry["warm_failed"] == "RuntimeError: worker died"
    submit(tmp_path / "exchange", "ada", "ps1", 2)  # the resubmission: a new warm grader grades it
    svc.poll_once()
    assert len(made) == 2 and made[1].calls == [("ps1", "ada")]
    assert [e["grader"] for e in history(tmp_path)] == ["command", "warm"]


def test_a_warm_grader_that_cannot_start_leaves_the_grading_to_the_command(tmp_path: Path) -> None:
    runner = Runner()
    course = tmp_path / "course"
    course.mkdir()

    def cannot_start(_course: Path) -> FakeGrader:
        raise CourseKitError("keys missing")

    svc = AutogradeService(course=course, exchange=tmp_path / "exchange", course_id="c", bin_dir=tmp_path / "bin",
                           policy=FeedbackPolicy("after-release"), run=runner, log=lambda _: None, warm=cannot_start,
                           nbgrader_api=None)
    submit(tmp_path / "exchange", "ada", "ps2", 1)
    svc.poll_once()
    assert [c[0:2] for c in runner.commands] == [["nbgrader", "collect"], ["coursekit", "grade"]]
    assert history(tmp_path)[0]["grader"] == "command"


def test_hub_toml_turns_warm_grading_off_while_the_service_runs(tmp_path: Path) -> None:
    made: list[FakeGrader] = []
    runner = Runner()
    svc = service(tmp_path, [13.0], made, runner)
    submit(tmp_path / "exchange", "ada", "ps1", 1)
    svc.poll_once()
    (tmp_path / "course" / "hub.toml").write_text('[feedback]\ndefault = "after-release"\n[grading]\nwarm = false\n')
    submit(tmp_path / "exchange", "ada", "ps1", 2)
    svc.poll_once()
    assert made[0].closed and len(made) == 1
    assert [(e["grader"], e["policy"]) for e in history(tmp_path)] == [("warm", "immediate"),
                                                                        ("command", "after-release")]


def test_a_wrong_grading_setting_is_named(tmp_path: Path) -> None:
    (tmp_path / "hub.toml").write_text('[grading]\nwarm = "yes"\n')
    with pytest.raises(CourseKitError, match=r"hub\.toml: \[grading\] warm must be true or false, not 'yes'"):
        warm_setting(tmp_path)
    assert warm_setting(tmp_path / "no-course") is True


class FakeApi:
    """nbgrader's API as the service uses it: collect and release_feedback, results as dicts."""

    def __init__(self, fail: set[str]) -> None:
        self.coursedir = type("CourseDirectory", (), {"student_id": "*"})()
        self.fail, self.calls = fail, []  # type: ignore[var-annotated]

    def collect(self, assignment: str, update: bool) -> dict[str, object]:
        self.calls.append(("collect", assignment, self.coursedir.student_id, update))
        return {"success": "collect" not in self.fail, "log": "[CollectApp | ERROR] no such assignment"}

    def release_feedback(self, assignment: str, student_id: str) -> dict[str, object]:
        self.calls.append(("release_feedback", assignment, student_id))
        return {"success": "release_feedback" not in self.fail}


def test_collect_and_release_go_through_nbgraders_api_in_the_service_and_the_commands_when_it_fails(
        tmp_path: Path) -> None:
    made: list[FakeGrader] = []
    runner = Runner()
    svc = service(tmp_path, [13.0, 13.0], made, runner)
    api = FakeApi(set())
    svc.nbgrader_api = lambda _course: api
    submit(tmp_path / "exchange", "ada", "ps1", 1)
    svc.poll_once()
    assert runner.commands == []  # no process started for this submission
    assert api.calls == [("collect", "ps1", "ada", True), ("release_feedback", "ps1", "ada")]
    assert api.coursedir.student_id == "*"  # the API's own setting is put back
    api.fail = {"collect"}
    submit(tmp_path / "exchange", "ada", "ps1", 2)
    svc.poll_once()
    assert runner.commands == [["nbgrader", "collect", "ps1"]]  # the command collected instead
    assert [e["status"] for e in history(tmp_path)] == ["graded", "graded"]
