"""The typed, versioned messages between batch, sandbox and worker; defaults only in GradeConfig."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursekit.cli import main
from coursekit.course import Course
from coursekit.grading.config import GradeConfig, option_help
from coursekit.grading.protocol import (
    PROTOCOL_VERSION,
    CellCode,
    Event,
    Job,
    Limits,
    OutputCaps,
    ProtocolError,
    Ready,
    Reply,
    WorkerConfig,
)

COURSE = Path(__file__).resolve().parents[2] / "assignments"


def test_messages_round_trip_with_their_version():
    caps = OutputCaps(10, 20, 30, 5, 100)
    config = WorkerConfig("/scratch", True, 61001, caps, ["numpy"])
    assert WorkerConfig.from_json(config.to_json()) == config and config.dedicated_uid
    job = Job("ada/ps1", [CellCode(2, "x = 1")], {"data.csv": "YQ=="}, Limits(60.0, 300.0, 1024, 300, 32, 64))
    assert json.loads(job.to_json())["version"] == PROTOCOL_VERSION
    assert Job.from_json(job.to_json()) == job
    reply = Reply("ada/ps1", "ok", {"2": [{"output_type": "stream", "name": "stdout", "text": "1"}]},
                  [Event(3, "hung")], {"run": 1.5}, ["note"])
    assert Reply.from_json(reply.to_json()) == reply
    assert Ready.from_json(Ready(61000, 7, ["numpy"]).to_json()) == Ready(61000, 7, ["numpy"])


@pytest.mark.parametrize("line, problem", [
    ('{"version": 1, "type": "job", "key": "a"}', "job: protocol version 1, expected 2"),
    ('{"version": 2, "type": "reply", "key": "a"}', "job: a message of type 'reply', expected 'job'"),
    ("[1, 2]", "job: not a JSON object"),
    ('{"version": 2, "type": "job", "key": "a", "cells": [], "files": {}}', "job: field 'limits' is missing or not dict"),
    ('{"version": 2, "type": "job", "key": "a", "cells": [], "files": {}, "limits": {"cell_timeout": "60"}}',
     "limits: field 'cell_timeout' is missing or not"),
])
def test_a_message_of_another_version_or_shape_is_refused(line: str, problem: str):
    with pytest.raises(ProtocolError, match=problem):
        Job.from_json(line)


def test_cell_timeout_comes_from_the_course_unless_given():
    course = Course(COURSE)
    assert GradeConfig(course=COURSE, assignment="ps1").limits(course.cell_timeout).cell_timeout == 60.0
    assert GradeConfig(course=COURSE, assignment="ps1", cell_timeout=5).limits(course.cell_timeout).cell_timeout == 5.0
    caps = GradeConfig(course=COURSE, assignment="ps1").caps()
    assert (caps.stream_chars, caps.total_bytes) == (100_000, 16_000_000)


def test_every_grading_setting_has_help_and_the_cli_shows_it():
    assert all(f.metadata.get("help") for f in fields(GradeConfig))
    text = CliRunner().invoke(main, ["grade", "--help"], terminal_width=200).output
    for name in ("workers", "cell_timeout", "force"):
        assert option_help(name)[1:] in " ".join(text.split())
    assert "[default: auto]" in text
