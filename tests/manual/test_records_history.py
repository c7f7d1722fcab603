"""A grading record keeps the grades it replaced (fast: no grading run)."""

from __future__ import annotations

from pathlib import Path

from coursekit.grading import records as rec


def _record(score: float, fingerprint: str) -> rec.Record:
    return rec.Record("bob", "ps3", "ps3", rec.OK, score=score, max_score=16.0, fingerprint=fingerprint)


def test_each_save_pushes_the_replaced_grade_into_history_and_says_why(tmp_path: Path):
    rec.save_record(tmp_path, _record(0.0, "first"))
    assert rec.load_record(tmp_path, "ps3", "bob", "ps3").history == []  # type: ignore[union-attr]
    rec.save_record(tmp_path, _record(0.0, "first"))      # --force on the same files
    rec.save_record(tmp_path, _record(2.0, "second"))     # a resubmission
    now = rec.load_record(tmp_path, "ps3", "bob", "ps3")
    assert now is not None and (now.score, now.fingerprint) == (2.0, "second")
    assert [(h["score"], h["fingerprint"], h["replaced"]) for h in now.history] == [
        (0.0, "first", "regraded"), (0.0, "first", "resubmitted")]
    assert all("history" not in h for h in now.history)
    assert [r.score for r in rec.load_records(tmp_path, "ps3")] == [2.0]


def test_a_record_written_before_history_existed_still_loads(tmp_path: Path):
    path = rec.save_record(tmp_path, _record(1.0, "old"))
    path.write_text(path.read_text(encoding="utf-8").replace('"history": [],', ""), encoding="utf-8")
    assert '"history"' not in path.read_text(encoding="utf-8")
    old = rec.load_record(tmp_path, "ps3", "bob", "ps3")
    assert old is not None and old.history == [] and old.score == 1.0
