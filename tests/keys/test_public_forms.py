"""The package ships only public forms of graded questions, in sync with the course's keys."""

from __future__ import annotations

import yaml

from coursekit import bank, coursekeys
from coursekit.audit import KEY_FIELDS, graded_keys

from .conftest import COURSE


def test_the_public_files_are_what_assignments_build_writes_from_the_keys():
    files = coursekeys.key_files(COURSE)
    assert [f.name for f in files] == ["ps1.yaml", "ps2.yaml", "ps3.yaml", "ps4.yaml"]
    for key_file in files:
        public = coursekeys.public_path(key_file)
        assert public.read_text(encoding="utf-8") == coursekeys.public_text(key_file), (
            f"{public} is out of date with {key_file}: run `coursekit assignments build`")
    assert sorted(p.name for p in bank.PUBLIC_DIR.glob("*.yaml")) == [f.name for f in files]


def test_public_entries_hold_no_key_field_and_no_correct_option():
    questions, _ = graded_keys(COURSE)
    ids = {q.id for q in questions}
    seen = set()
    for path in sorted(bank.PUBLIC_DIR.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
            seen.add(entry["id"])
            assert entry["graded"] is True and entry["hidden"] is True
            assert not set(entry) & KEY_FIELDS, (path.name, entry["id"])
            assert all(set(o) == {"key", "text"} for o in entry.get("options", [])), entry["id"]
            assert all(not set(ex) & {"includes", "excludes"} for ex in entry.get("examples", [])), entry["id"]
    assert seen == ids and len(ids) == 26 + 19  # ps1-ps3 and ps4


def test_no_package_bank_file_holds_a_graded_question():
    questions, _ = graded_keys(COURSE)
    ids = {q.id for q in questions}
    practice = {q.id for f in bank.BANK_DIR.glob("*.yaml") if not f.name.startswith("_") for q in bank.load_file(f)}
    assert not practice & ids
    assert not any(p.stem.startswith("ps") for p in bank.BANK_DIR.glob("*.yaml"))


def test_the_course_validates_its_keys_every_graded_call_has_one():
    from coursekit.assignments.validate import read_notebook

    used = [qid for nb in sorted((COURSE / "source").glob("*/*.ipynb")) for qid in coursekeys.graded_ids(read_notebook(nb))]
    questions, _ = graded_keys(COURSE)
    assert set(used) == {q.id for q in questions if q.kind != "text"}  # text answers are graded by hand
    assert coursekeys.public_problems(COURSE, used=used) == []


def test_validate_names_a_stale_public_file_and_a_graded_question_without_key(tmp_path):
    keys = tmp_path / "course" / "bank"
    keys.mkdir(parents=True)
    (keys / "ps1.yaml").write_text((COURSE / "bank" / "ps1.yaml").read_text(encoding="utf-8").replace(
        "expected: 18.68", "expected: 19.5"), encoding="utf-8")
    public = tmp_path / "public"
    public.mkdir()
    (public / "ps1.yaml").write_text("[]\n", encoding="utf-8")
    (public / "ps7.yaml").write_text("[]\n", encoding="utf-8")
    problems = coursekeys.public_problems(tmp_path / "course", public, used=["ps1.tilt-lunge", "ps9.nowhere"])
    assert any("public/ps1.yaml: out of date with" in p and "coursekit assignments build" in p for p in problems)
    assert any("ps7.yaml: public form of a key file that no longer exists" in p for p in problems)
    assert any("'ps9.nowhere' is graded by a notebook but its key is not in" in p for p in problems)
    assert coursekeys.write_public(tmp_path / "course", public) == [public / "ps1.yaml", public / "ps7.yaml"]
    assert coursekeys.public_problems(tmp_path / "course", public, used=["ps1.tilt-lunge"]) == []
    bank.reload()


def test_a_practice_question_that_is_a_graded_one_is_a_problem(tmp_path, monkeypatch):
    course = tmp_path / "course"
    (course / "bank").mkdir(parents=True)
    (course / "bank" / "g.yaml").write_text(
        "- id: g.sit\n  kind: action\n  hidden: true\n  prompt: Which movement is sitting?\n  expected: flexion\n",
        encoding="utf-8")
    fake = tmp_path / "package-bank"
    fake.mkdir()
    (fake / "lessons.yaml").write_text(
        "- id: lessons.sit\n  kind: action\n  prompt: Which movement is sitting?\n  expected: flexion\n", encoding="utf-8")
    monkeypatch.setattr(bank, "BANK_DIR", fake)
    problems = coursekeys.public_problems(course, tmp_path / "public")
    assert any("lessons.yaml, question 'lessons.sit': the same question, with the same key, as graded question 'g.sit'"
               in p for p in problems)


def test_a_grader_without_the_keys_stops_before_scoring(tmp_path, monkeypatch):
    import shutil

    import pytest

    from coursekit.errors import GradingError

    course = tmp_path / "course"
    shutil.copytree(COURSE / "source" / "ps3", course / "source" / "ps3")
    monkeypatch.delenv(bank.BANK_ENV, raising=False)
    monkeypatch.setattr(bank, "_KEY_DIRS", [])
    bank.reload()
    try:
        with pytest.raises(GradingError, match=r"course/bank: no answer key for ps3\.gmax-alone-rotation, "):
            coursekeys.require_keys(course, "ps3")
        shutil.copytree(COURSE / "bank", course / "bank")
        assert len(coursekeys.require_keys(course, "ps3")) == 9
        assert bank.question("ps3.gmax-alone-rotation").expected == 37.5
    finally:
        monkeypatch.undo()
        bank.reload()
