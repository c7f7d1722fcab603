"""The how-to page stays accurate: its YAML examples load and its code cells run."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from click.testing import CliRunner

from coursekit.bank import load_file
from coursekit.checks import Result
from coursekit.cli import main

PAGE = Path(__file__).resolve().parents[2] / "book" / "how-to-write-a-question.md"


def blocks(kind: str) -> list[str]:
    return re.findall(rf"```{re.escape(kind)}\n(.*?)```", PAGE.read_text(encoding="utf-8"), flags=re.S)


def test_every_yaml_example_on_the_page_is_a_valid_question(tmp_path):
    examples = blocks("yaml")
    assert len(examples) == 6
    kinds = set()
    for i, text in enumerate(examples):
        path = tmp_path / f"page{i}.yaml"
        path.write_text(text, encoding="utf-8")
        (q,) = load_file(path)
        kinds.add(q.kind)
    assert kinds == {"muscles", "action", "number", "choice", "table", "text"}


def test_code_cells_on_the_page_run_and_show_results():
    namespace: dict = {}
    outputs = []
    for cell in blocks("{code-cell} ipython3"):
        tree = ast.parse(cell)
        last = tree.body.pop()
        assert isinstance(last, ast.Expr), "each code cell ends with an expression whose value it shows"
        exec(compile(tree, "page", "exec"), namespace)
        outputs.append(eval(compile(ast.Expression(last.value), "page", "eval"), namespace))
    graded, student = outputs[0], outputs[1]
    assert isinstance(graded, Result) and graded.score == 0.5
    assert isinstance(student, Result) and student.partial and not student.passed


def test_cli_lists_and_validates_the_bank():
    result = CliRunner().invoke(main, ["questions", "--kind", "table"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith("core.hip-extensor-table")
    assert result.output.rstrip().endswith("question(s) from 2 file(s); all valid.")
