"""check / grade / grade_calls / Result: the contract other areas code against."""

from __future__ import annotations

import math
import os

import nbformat
import pytest

import coursekit.checks as checks
from coursekit.bank import BANK_ENV
from coursekit.checks import MODE_ENV, Points, Result, check, grade, grade_calls
from coursekit.checks.export import MIME, from_plain
from coursekit.errors import GradingError, QuestionError

from .conftest import HIDDEN as HIDDEN_FILE
from .hostile import AlwaysEqualStr, LyingList, deep

HIDDEN = "core.hip-extensors-external-rotators"


def test_public_names_are_pinned():
    assert sorted(checks.__all__) == sorted([
        "CHECKERS", "Checker", "MODE_ENV", "Points", "Result", "VisibleCheck", "check", "check_answer", "check_muscles",
        "checker_for", "export", "grade", "grade_calls", "kinds",
    ])
    assert checks.kinds() == ["action", "choice", "multichoice", "muscles", "number", "table", "text"]


def test_factory_picks_one_checker_class_per_kind():
    assert {k: type(checks.checker_for(k)).__name__ for k in checks.kinds()} == {
        "action": "ActionChecker", "choice": "ChoiceChecker", "multichoice": "MultiChoiceChecker",
        "muscles": "MusclesChecker", "number": "NumberChecker", "table": "TableChecker", "text": "TextChecker",
    }


def test_student_mode_runs_only_the_visible_part_of_a_hidden_question():
    right = check(HIDDEN, ["gluteus maximus", "biceps femoris (long head)"])
    assert (right.partial, right.passed) == (True, True)
    assert right.headline.startswith("✓ Visible checks passed")
    assert not any("2 of 2" in line for line in right.feedback)
    trap = check(HIDDEN, ["gluteus maximus", "iliopsoas"])
    assert (trap.partial, trap.passed) == (True, False)
    assert "Iliopsoas flexes the hip, so it cannot be one of the hip extensors." in trap.feedback


def test_grade_mode_runs_the_hidden_part():
    r = check(HIDDEN, ["gluteus maximus"], mode="grade")
    assert (r.partial, r.score, r.question) == (False, 0.5, HIDDEN)


def test_bad_mode_and_unknown_question_are_clear_errors():
    with pytest.raises(QuestionError, match="mode must be one of student, grade"):
        check(HIDDEN, [], mode="exam")
    with pytest.raises(QuestionError, match="No question 'nope' in the bank"):
        check("nope", [])


def test_hostile_answers_are_reported_never_passed():
    for answer in (AlwaysEqualStr("anything"), LyingList(["iliopsoas"]), deep(100), {"a": object()}):
        r = check(HIDDEN, answer, mode="grade")
        assert r.score == 0.0 and not r.passed and r.feedback


def test_grade_returns_points_whose_text_is_a_plain_number(capfd):
    p = grade(HIDDEN, ["gluteus maximus"], 3)
    assert isinstance(p, Points) and repr(p) == "1.5" and float(p) == 1.5
    assert "1.5 / 3 points" in p._repr_html_() and "1 muscle is missing." in p._repr_html_()
    assert repr(grade(HIDDEN, LyingList(["iliopsoas"]), 2)) == "0.0"
    assert capfd.readouterr().err == ""


def test_grade_refuses_nonsense_points():
    with pytest.raises(QuestionError, match="points must be a number >= 0"):
        grade(HIDDEN, [], math.nan)


def test_export_mode_displays_plain_data_and_checks_nothing(monkeypatch):
    shown = []
    monkeypatch.setenv(MODE_ENV, "export")
    monkeypatch.setattr("IPython.display.display", lambda data, raw=False: shown.append((data, raw)))
    assert grade(HIDDEN, (AlwaysEqualStr("glute max"), "iliacus"), 2) is None
    assert grade(HIDDEN, object(), 2) is None
    (ok, raw_ok), (bad, _) = shown
    assert raw_ok and ok[MIME] == {"version": 1, "question": HIDDEN, "answer": ["glute max", "iliacus"]}
    assert bad[MIME]["error"].startswith(f"question {HIDDEN!r}: a value of type 'object' cannot be handed in")
    assert check(HIDDEN, from_plain(ok[MIME]["answer"]), mode="grade").score == 0.0


def test_result_combine_weights_and_flags():
    combined = Result.combine([Result(1.0, ["a"]), Result(0.5, ["b"], manual=True)], weights=[3, 1])
    assert (combined.score, combined.passed, combined.manual, combined.feedback) == (0.875, False, True, ["a", "b"])
    with pytest.raises(ValueError, match="need 2 non-negative weights"):
        Result.combine([Result(1.0), Result(0.0)], weights=[1])


def test_result_clamps_and_escapes():
    r = Result(float("nan"), ["<script>alert(1)</script> *bold*"], ["expected: secret"])
    assert r.score == 0.0 and Result(7).score == 1.0
    html = r._repr_html_()
    assert "&lt;script&gt;" in html and "<script>" not in html and "secret" not in html
    assert "secret" in r.to_html(details=True)
    assert r._repr_markdown_() == "**✗ Not yet** (0%)\n\n- \\<script\\>alert(1)\\</script\\> \\*bold\\*"


SOURCE = '''
%matplotlib inline
from coursekit.checks import grade
grade("ps1.a", answer_a, 2)
x = grade('ps1.b', answer_b, points=1.5)  # grade("commented.out", 1, 9)
"grade('in.a.string', 1, 1)"
### BEGIN HIDDEN TESTS
coursekit.checks.grade("ps1.c", {"k": answer_c}, 0.5)
### END HIDDEN TESTS
'''


def test_grade_calls_are_found_with_ast_in_source_order():
    assert grade_calls(SOURCE) == [("ps1.a", 2.0), ("ps1.b", 1.5), ("ps1.c", 0.5)]
    assert grade_calls("print(1)") == []


@pytest.mark.parametrize("source, message", [
    ("grade(qid, a, 1)", "line 1: grade(...) needs the question id as a literal string"),
    ("\ngrade('q', a, n)", "line 2: grade('q', ...) needs its points as a literal number"),
    ("grade('q', a, 1", "cannot parse the cell"),
])
def test_grade_calls_errors_name_the_line(source, message):
    with pytest.raises(GradingError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        grade_calls(source)


def _notebook(answer_src: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    test = nbformat.v4.new_code_cell(f'from coursekit.checks import grade\ngrade("{HIDDEN}", answer, 4)')
    test.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "points": 4, "grade_id": "t1",
                                 "schema_version": 3}
    nb.cells = [nbformat.v4.new_code_cell(answer_src), test]
    return nb


def test_in_a_kernel_nbgrader_reads_partial_credit_and_export_mode_emits_the_mime(monkeypatch):
    from nbclient import NotebookClient
    from nbgrader.utils import determine_grade

    monkeypatch.delenv(MODE_ENV, raising=False)
    # the kernel is another process: it finds the test-only hidden question through the bank path
    monkeypatch.setenv(BANK_ENV, os.pathsep.join(filter(None, [os.environ.get(BANK_ENV), str(HIDDEN_FILE.parent)])))
    nb = _notebook('answer = ["Glute max", "iliopsoas", "biceps femoris"]')
    NotebookClient(nb, timeout=60).execute()
    outputs = nb.cells[1].outputs
    assert [o.output_type for o in outputs] == ["execute_result"]
    assert outputs[0].data["text/plain"] == "2.0"
    assert determine_grade(nb.cells[1]) == (2.0, 4.0)

    monkeypatch.setenv(MODE_ENV, "export")
    nb = _notebook('class S(str):\n    def __eq__(self, o): return True\nanswer = [S("glute max")]')
    NotebookClient(nb, timeout=60).execute()
    (out,) = nb.cells[1].outputs
    assert out.output_type == "display_data"
    assert out.data[MIME] == {"version": 1, "question": HIDDEN, "answer": ["glute max"]}
