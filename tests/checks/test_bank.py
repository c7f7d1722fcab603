"""The question bank: every file loads, and schema errors name file, question and field."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from coursekit import bank
from coursekit.bank import BankError, load, load_file
from coursekit.checks import check

from .conftest import CORE, REAL_BANK_FILES
from .test_muscles import leaked

BANK_DIR = CORE.parent


def write(tmp_path: Path, text: str, name: str = "extra.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def real_bank() -> dict:
    return load(sorted(p for p in BANK_DIR.glob("*.yaml") if not p.name.startswith("_")))


def test_every_bank_file_loads_with_unique_ids_and_known_objectives():
    questions = real_bank()
    assert len(questions) >= 12
    known = bank.objective_ids()
    assert known, "data/objectives.csv should exist"
    assert {q.objective for q in questions.values() if q.objective} <= known


def test_core_covers_every_kind():
    assert {q.kind for q in load_file(CORE)} == {"muscles", "action", "number", "choice", "multichoice", "table", "text"}


def test_expected_answers_are_computed_from_the_anatomy_data():
    q = bank.question("core.hip-extensors-external-rotators")
    assert q.expected == ("gluteus maximus", "biceps femoris (long head)")
    assert q.settings["criterion"] == {"hip": ["extension", "external_rotation"]}


def test_every_hidden_muscle_question_in_every_file_keeps_its_key_hidden():
    samples = [["gluteus maximus", "iliopsoas"], ["hamstrings", "medial hamstring"], ["adductor magnus", "glooteus"],
               ["piriformis", "gluteus medius", "biceps femoris (short head)", "tensor fasciae latae"], []]
    for q in real_bank().values():
        if q.kind == "muscles" and q.hidden:
            for answer in samples:
                for mode in ("student", "grade"):
                    r = check(q, answer, mode=mode)
                    assert leaked(r.feedback, q, answer) == [], (q.id, answer, mode)


def test_call_form_of_expected_from_matches_the_mapping_form(tmp_path):
    path = write(tmp_path, """
        - id: t.call
          kind: muscles
          prompt: Extend and rotate out?
          expected_from: anatomy.muscles_with(hip=[extension, external_rotation])
        - id: t.map
          kind: muscles
          prompt: Extend and rotate out?
          expected_from: {muscles_with: {hip: [extension, external_rotation]}}
        - id: t.group
          kind: muscles
          prompt: Medial hamstrings?
          expected_from: anatomy.group("medial hamstrings")
        """)
    a, b, c = load_file(path)
    assert a.expected == b.expected == ("gluteus maximus", "biceps femoris (long head)")
    assert c.expected == ("semitendinosus", "semimembranosus")


BROKEN = [
    ("- id: Bad Id\n  kind: muscles\n  prompt: x\n  expected: [iliacus]\n", None, "id", "'id' must be lower-case"),
    ("- id: t.kind\n  kind: essay\n  prompt: x\n", "t.kind", "kind", "unknown kind 'essay'"),
    ("- id: t.prompt\n  kind: text\n", "t.prompt", "prompt", "must be non-empty text"),
    ("- id: t.field\n  kind: text\n  prompt: x\n  tolerance: 1\n", "t.field", "tolerance", "is not a field of a text question"),
    ("- id: t.obj\n  kind: text\n  prompt: x\n  objective: hip-extensor.9\n", "t.obj", "objective", "unknown objective 'hip-extensor.9'"),
    ("- id: t.muscle\n  kind: muscles\n  prompt: x\n  expected: [glooteus]\n", "t.muscle", "expected", "'glooteus' is not a course muscle"),
    ("- id: t.both\n  kind: muscles\n  prompt: x\n", "t.both", "expected", "give exactly one of"),
    ("- id: t.from\n  kind: muscles\n  prompt: x\n  expected_from: {muscles_with: {hip: [flying]}}\n", "t.from", "expected_from.muscles_with.hip", "unknown action 'flying'"),
    ("- id: t.leak\n  kind: muscles\n  prompt: x\n  hidden: true\n  expected: [gluteus maximus, iliacus]\n"
     "  misconceptions: {piriformis: Unlike gluteus maximus it does not extend.}\n", "t.leak", "misconceptions", "mentions 'gluteus maximus'"),
    ("- id: t.ex\n  kind: muscles\n  prompt: x\n  expected: [iliacus]\n  examples: [{excludes: iliacus}]\n", "t.ex", "examples[0].excludes", "contradicts"),
    ("- id: t.num\n  kind: number\n  prompt: x\n  expected: .nan\n", "t.num", "expected", "must be a finite number"),
    ("- id: t.range\n  kind: number\n  prompt: x\n  expected: 5\n  examples: [{range: [10, 20]}]\n", "t.range", "examples[0].range", "around the expected"),
    ("- id: t.choice\n  kind: choice\n  prompt: x\n  options: [{text: a, correct: true}, {text: b, correct: true}]\n", "t.choice", "options", "exactly one correct"),
    ("- id: t.tab\n  kind: table\n  prompt: x\n  expected: {columns: [a, b], rows: [[1]]}\n", "t.tab", "expected.rows", "one value per column"),
    ("- id: t.hid\n  kind: action\n  prompt: x\n  hidden: true\n  expected: flexion\n"
     "  misconceptions: {extension: It is the opposite of flexion.}\n", "t.hid", "misconceptions", "mentions 'flexion'"),
    ("- id: t.act\n  kind: action\n  prompt: x\n  expected: jumping\n", "t.act", "expected", "'jumping' is not an action"),
]


@pytest.mark.parametrize("text, qid, field, problem", BROKEN, ids=[b[2] + "-" + str(b[1]) for b in BROKEN])
def test_schema_errors_name_file_question_and_field(tmp_path, text, qid, field, problem):
    path = write(tmp_path, text, "broken.yaml")
    with pytest.raises(BankError) as info:
        load_file(path)
    err = info.value
    assert (err.path, err.question, err.field) == ("broken.yaml", qid, field)
    assert problem in str(err) and str(err).startswith("broken.yaml")


def test_duplicate_ids_across_files_name_both_files(tmp_path):
    one = write(tmp_path, "- id: t.same\n  kind: text\n  prompt: x\n", "one.yaml")
    two = write(tmp_path, "- id: t.same\n  kind: text\n  prompt: y\n", "two.yaml")
    with pytest.raises(BankError, match=r"two.yaml, question 't.same', field 'id': duplicate id; it is also defined in one.yaml"):
        load([one, two])


def test_not_yaml_and_not_a_list_are_reported(tmp_path):
    with pytest.raises(BankError, match="bad.yaml: is not valid YAML"):
        load_file(write(tmp_path, "- id: [\n", "bad.yaml"))
    with pytest.raises(BankError, match="must be a YAML list of questions"):
        load_file(write(tmp_path, "id: x\n", "map.yaml"))


def test_course_directories_add_questions(tmp_path, monkeypatch):
    write(tmp_path, "- id: course.extra\n  kind: text\n  prompt: Why?\n")
    monkeypatch.setenv(bank.BANK_ENV, str(tmp_path))
    files = REAL_BANK_FILES()
    assert files[-1] == tmp_path / "extra.yaml" and CORE in files
    assert load([files[-1]])["course.extra"].prompt == "Why?"


def test_unknown_question_id_suggests_close_ids():
    with pytest.raises(bank.QuestionError, match="Did you mean 'core.hip-extensors'"):
        bank.question("core.hip-extensor")


def test_lookup_by_kind_and_objective():
    assert [q.id for q in bank.questions(kind="table")] == ["core.hip-extensor-table"]
    grouped = bank.by_objective()
    assert [q.id for q in grouped["hip-flexors.2"]] == ["core.pelvic-tilt-direction", "core.thomas-test-muscle"]


def test_public_view_hides_the_key_of_hidden_questions():
    hidden = bank.question("core.hip-extensors-external-rotators").public()
    assert "expected" not in hidden and hidden["hidden"] is True
    open_q = bank.question("core.thomas-test-muscle").public()
    assert open_q["options"][0] == {"key": "a", "text": "Iliopsoas", "correct": True,
                                    "feedback": "Yes. A one-joint flexor that is short lifts the thigh whatever the knee does."}


def test_hidden_action_and_number_questions_never_show_their_key():
    from coursekit.checks.actions import label, read_action
    from coursekit.checks.number import _fmt

    answers = [None, [], "", "flexion", ["extension", "medial rotation"], "tips forward", "posterior",
               "nonsense", 42, "0.5 rad", "12 deg", -3.5, float("nan"), {"a": 1}, [1, 2]]
    for q in real_bank().values():
        if not q.hidden or q.kind not in {"action", "number"}:
            continue
        for answer in answers:
            items = answer if isinstance(answer, list) else [answer]
            for mode in ("student", "grade"):
                text = " ".join(check(q, answer, mode=mode).feedback).lower()
                if q.kind == "action":
                    given = {read_action(i) for i in items if isinstance(i, str)}
                    shown = [e for e in q.expected if e not in given and re.search(rf"\b{label(e)}\b", text)]
                    assert shown == [], (q.id, answer, mode, text)
                elif _fmt(q.expected) not in str(answer):
                    assert not re.search(rf"(?<![\d.]){re.escape(_fmt(q.expected))}(?![\d])", text), (q.id, answer, mode, text)


def test_bank_public_names_are_pinned():
    assert sorted(bank.__all__) == ["BankError", "Objective", "Option", "Question", "bank_files", "by_objective", "load",
                                    "load_file", "objective_ids", "objectives", "question", "questions", "reload", "summary"]
    table = bank.question("core.hip-extensor-table").public()
    assert table["expected"]["__dataframe__"]["columns"] == ["name", "crosses_knee"]


def test_objective_texts_with_commas_are_read_whole():
    objectives = bank.objectives()
    assert objectives["pelvic-tilt.1"].text.startswith("Locate the ASIS, PSIS, pubic symphysis")
    assert {o.chapter for o in objectives.values()} >= {"pelvic-tilt", "rotation", "gripping"}
