"""The bank's JSON Schema is a valid schema and agrees with the checkers on every kind's fields."""

from __future__ import annotations

import jsonschema
import pytest
import yaml

from coursekit import bank
from coursekit.checks import checker_for, kinds

COMMON = {"id", "kind", "prompt", "title", "objective", "hidden", "explanation", "examples", "misconceptions"}


def schema() -> dict:
    return yaml.safe_load((bank.BANK_DIR / "_schema.yaml").read_text(encoding="utf-8"))


def test_the_schema_is_a_json_schema_and_lists_every_kind():
    jsonschema.Draft202012Validator.check_schema(schema())
    assert sorted(schema()["properties"]["kind"]["enum"]) == kinds()


@pytest.mark.parametrize("kind", kinds())
def test_each_kind_allows_exactly_the_fields_its_checker_reads(kind):
    rules = [r["then"] for r in schema()["allOf"]
             if "graded" not in str(r["if"]) or "not" in r["if"]]
    allowed = [set(then["properties"]) for then, rule in zip(rules, [r for r in schema()["allOf"] if "not" in r["if"]])
               if kind in str(rule["if"]["properties"]["kind"])]
    assert allowed == [COMMON | set(checker_for(kind).fields)]


def test_a_public_entry_with_a_key_field_is_rejected_naming_the_field(tmp_path):
    path = tmp_path / "public.yaml"
    path.write_text("- id: g.q\n  kind: number\n  prompt: x\n  hidden: true\n  graded: true\n  expected: 3\n", encoding="utf-8")
    with pytest.raises(bank.BankError) as info:
        bank.load_file(path)
    assert (info.value.question, info.value.field) == ("g.q", "expected")
    assert "is not a field of a public entry" in str(info.value)
    path.write_text("- id: g.c\n  kind: choice\n  prompt: x\n  hidden: true\n  graded: true\n"
                    "  options: [{key: a, text: A, correct: true}, {key: b, text: B}]\n", encoding="utf-8")
    with pytest.raises(bank.BankError, match="public options are {key, text} only") as info:
        bank.load_file(path)
    assert info.value.field == "options.0.correct"
