"""Versioned records: a damaged or older record is reported by name and regraded; a grader
error on one submission becomes that submission's "failed" record."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import coursekit.grading.batch as batch
from coursekit.grading import GradeConfig, grade_assignment
from coursekit.grading import records as rec

from .factory import ASSIGNMENT, correct_answers, submit

pytestmark = pytest.mark.nbgrader


def _grades(course: Path) -> dict[str, dict[str, str]]:
    with open(course / "coursekit-grades" / ASSIGNMENT / "grades.csv", encoding="utf-8") as fh:
        return {row["student"]: row for row in csv.DictReader(fh)}


def test_records_are_versioned_and_unusable_ones_are_regraded_by_name(course: Path, monkeypatch):
    answers = correct_answers(course)
    for student in ("s1", "s2", "s3"):
        submit(course, student, answers=answers)
    real_prepare = batch.prepare

    def prepare(sub, *args, **kwargs):
        if sub.student == "s3":
            raise AttributeError("'NoneType' object has no attribute 'source'")
        return real_prepare(sub, *args, **kwargs)

    monkeypatch.setattr(batch, "prepare", prepare)
    def config() -> GradeConfig:
        return GradeConfig(course=course, assignment=ASSIGNMENT, feedback=False, progress=False, workers=1)

    first = grade_assignment(config())
    status = {r.student: (r.status, r.score) for r in first.graded}
    assert status == {"s1": ("ok", 13.0), "s2": ("ok", 13.0), "s3": ("failed", None)}
    failed = next(r for r in first.graded if r.student == "s3")
    assert "grader error while reading the submission: AttributeError" in failed.reason
    assert all(r.version == rec.RECORD_VERSION for r in rec.load_records(course, ASSIGNMENT))

    monkeypatch.setattr(batch, "prepare", real_prepare)
    folder = rec.records_dir(course, ASSIGNMENT)
    (folder / "s1" / f"{ASSIGNMENT}.json").write_text('{"student": "s1", "stat', encoding="utf-8")
    old = json.loads((folder / "s2" / f"{ASSIGNMENT}.json").read_text(encoding="utf-8"))
    del old["version"]
    (folder / "s2" / f"{ASSIGNMENT}.json").write_text(json.dumps(old), encoding="utf-8")
    problems: list[rec.RecordProblem] = []
    assert [r.student for r in rec.load_records(course, ASSIGNMENT, problems)] == ["s3"]
    assert sorted(p.name for p in problems) == ["s1/ps1", "s2/ps1"]

    second = grade_assignment(config())
    assert sorted((r.student, r.status, r.score) for r in second.graded) == [
        ("s1", "ok", 13.0), ("s2", "ok", 13.0), ("s3", "ok", 13.0)]
    text = second.text()
    assert "record s1/ps1 damaged (JSONDecodeError" in text and "; regraded" in text
    assert "record s2/ps1 written by another coursekit (record version None, this one reads 1); regraded" in text
    assert {s: row["score"] for s, row in _grades(course).items()} == {"s1": "13", "s2": "13", "s3": "13"}
