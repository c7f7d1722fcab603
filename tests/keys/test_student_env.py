"""From a fresh venv with only the built wheel, in the released folders: no key, no difference.

For every graded question of ps1-ps3 the test (on the instructor's side, with the keys)
makes the key and wrong answers of the same form, then a student's python tries every
public entry point on each of them (``probe.py``) and the test compares what came back.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from coursekit import bank, coursekeys
from coursekit.audit import graded_keys, scan
from coursekit.checks import check
from coursekit.checks.export import to_plain

from .answers import answers
from .conftest import COURSE, clean_env, site_packages

PROBE = Path(__file__).with_name("probe.py")


@pytest.fixture(scope="module")
def graded():
    patch = pytest.MonkeyPatch()
    patch.setattr(bank, "_KEY_DIRS", [])
    coursekeys.use_course_keys(COURSE)
    questions, raws = graded_keys(COURSE)
    yield {q.id: bank.question(q.id) for q in questions}, raws
    patch.undo()
    bank.reload()


@pytest.fixture(scope="module")
def probed(student_python, student_folder, graded):
    questions, _ = graded
    cases = []
    for qid, q in questions.items():
        found = answers(q)
        key = [a for label, a in found if label == "key"]
        assert key and len(found) > len(key), qid
        for label, answer in found:  # wrong answers are wrong, the key is right (with the keys)
            graded_result = check(q, answer, mode="grade")
            score = graded_result.score
            assert graded_result.manual or ((score == 1.0) if label == "key" else (score < 1.0)), (qid, label, score)
        cases += [[qid, label, to_plain(answer)] for label, answer in found]
    request = json.dumps({"questions": dict.fromkeys(questions, 2), "answers": cases})
    out = {}
    for folder in sorted(p for p in student_folder.iterdir() if p.is_dir()):
        done = subprocess.run([str(student_python), str(PROBE)], input=request, capture_output=True, text=True,
                              cwd=folder, env=clean_env(), timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
        out[folder.name] = json.loads(done.stdout)
    return out


def test_the_student_python_runs_the_wheel_not_the_checkout(probed, student_python):
    for result in probed.values():
        assert Path(result["package"]) == site_packages(student_python)
        assert "wt-" not in result["package"] or "site-packages" in result["package"]
        assert Path(result["cwd"]).name in {"ps1", "ps2", "ps3", "ps4"}


def test_no_graded_question_has_a_readable_key(probed, graded):
    questions, _ = graded
    for result in probed.values():
        for qid, facts in result["facts"].items():
            assert (facts["graded"], facts["has_key"], facts["hidden"], facts["expected"]) == (True, False, True, "None"), qid
            assert all(correct is None and feedback == "" for _, _, correct, feedback in facts["options"]), qid
            assert facts["misconceptions"] == {} and facts["explanation"] == "", qid
            assert set(facts["settings"]) <= {"units", "sign", "columns", "reads", "rubric", "model_answer"}, qid
            assert not facts["settings"].get("rubric") and not facts["settings"].get("model_answer"), qid
            assert all(not set(ex) & {"includes", "excludes"} for ex in facts["examples"]), qid
            assert "expected" not in facts["public"] and '"correct":' not in json.dumps(facts["public"]), qid
            assert facts["source"] == f"{qid.split('.')[0]}.yaml" and facts["student_view_is_self"], qid
        assert set(result["facts"]) == set(questions)


def test_every_entry_point_gives_the_key_and_a_wrong_answer_the_same_result(probed, graded):
    questions, _ = graded
    for result in probed.values():
        by_question: dict[str, list[tuple[str, dict]]] = {}
        for qid, label, seen in result["observed"]:
            by_question.setdefault(qid, []).append((label, seen))
        assert set(by_question) == set(questions)
        for qid, seen in by_question.items():
            key = next(s for label, s in seen if label == "key")
            for label, other in seen:
                for entry, value in other.items():
                    # a key in a unit ("18.68 deg") and a bare number are two forms; compare like with like
                    twin = next((s for lab, s in seen if lab == "key" and _same_form(s, other)), key)
                    assert value == twin[entry], (qid, label, entry, value, twin[entry])


def _same_form(a: dict, b: dict) -> bool:
    return a["check"][4] == b["check"][4]


def test_grading_in_the_students_kernel_says_it_happens_on_the_instructors_side(probed):
    for result in probed.values():
        for qid, label, seen in result["observed"]:
            for entry in ("grade", "grade_module", "check_grade"):
                kind, message = seen[entry][0], seen[entry][1]
                assert kind == "KeysElsewhereError", (qid, label, entry, seen[entry])
                assert "graded on the instructor's side" in message and qid in message
            assert seen["check"][2] is True and "full check runs when your notebook is graded" in seen["check"][6] \
                or seen["check"][3], (qid, label)


def test_the_key_passes_the_visible_checks_so_form_feedback_still_works(probed):
    for result in probed.values():
        for qid, label, seen in result["observed"]:
            if label == "key" and result["facts"][qid]["kind"] != "text":  # text is read by a person: never "passed"
                shown, points, passed = seen["check_answer"][0], seen["check_answer"][3], seen["check_answer"][2]
                assert passed and float(shown) == points == 2.0, (qid, seen["check_answer"])


def test_blank_and_malformed_answers_still_get_form_feedback(student_python, student_folder):
    code = (
        "from coursekit.checks import check_answer\n"
        "for qid, a in [('ps1.tilt-lunge', None), ('ps1.tilt-lunge', 'steep'), ('ps1.tilt-lunge', 80.0),"
        " ('ps1.landmark-front-crest', 'z'), ('ps2.extend-and-rotate-out', ['glooteus'])]:\n"
        "    r = check_answer(qid, a, 2)\n"
        "    print(repr(r), '|', ' '.join(r.result.feedback))\n")
    done = subprocess.run([str(student_python), "-c", code], capture_output=True, text=True,
                          cwd=student_folder / "ps1", env=clean_env(), timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("0.0 | Give one number")
    assert lines[1].startswith("0.0 | Could not read 'steep' as a number")
    assert lines[2].startswith("0.0 | A pelvis tilts by a few tens of degrees at most")
    assert "'z' is not one of the options (a, b, c, d)" in lines[3]
    assert "Could not recognise 'glooteus'" in lines[4]


def test_nothing_the_student_has_holds_a_key(student_python, student_folder, graded):
    questions, raws = graded
    package = site_packages(student_python)
    found, count = scan(package, "student package", list(questions.values()), raws)
    assert count > 50 and found == []
    found, count = scan(student_folder, "student folder", list(questions.values()), raws, hidden_markers=True)
    assert count >= 4 and found == []
    assert sorted(p.name for p in (package / "data" / "bank" / "public").glob("*.yaml")) == ["ps1.yaml", "ps2.yaml", "ps3.yaml", "ps4.yaml"]
    assert not list((package / "data" / "bank").glob("ps*.yaml"))
