"""The `coursekit` command line: thin commands with friendly errors."""

from __future__ import annotations

from click.testing import CliRunner

from coursekit.cli import main


def test_muscles_by_hip_actions_lists_the_matching_muscles():
    result = CliRunner().invoke(main, ["muscles", "--hip", "extension", "--hip", "external rotation"])
    assert result.exit_code == 0
    assert result.output.splitlines() == ["gluteus maximus", "biceps femoris (long head)"]


def test_muscles_filtered_by_group():
    result = CliRunner().invoke(main, ["muscles", "--knee", "flexion", "--group", "medial hamstrings"])
    assert result.output.splitlines() == ["semitendinosus", "semimembranosus"]


def test_unknown_group_is_a_one_line_error_with_the_choices():
    result = CliRunner().invoke(main, ["muscles", "--group", "calves"])
    assert result.exit_code == 2
    assert "error: No muscle group called 'calves'; the groups are:" in result.output
    assert "Traceback" not in result.output
