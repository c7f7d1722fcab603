"""The self-check HTML comes from an autoescaping template and is labelled for assistive
technology: every field is named by the question's prompt, feedback is a live region,
the reveal button says what it controls."""

from __future__ import annotations

import json
from types import SimpleNamespace

from bs4 import BeautifulSoup

from coursekit import bank
from coursekit.sphinx import selfcheck
from html_nodes import attr, one


def hostile(kind: str, **extra):
    option = SimpleNamespace(key='a"><script>alert(1)</script>', text="<b>bold</b> & </script>",
                             correct=True, feedback="<img src=x onerror=alert(1)>")
    return SimpleNamespace(id='q.<evil>"', kind=kind, options=[option], expected=extra.get("expected", 1.0),
                           settings=extra.get("settings", {}), misconceptions={})


def test_option_text_and_ids_are_escaped_not_markup():
    html = selfcheck.render_form(hostile("choice"))
    doc = BeautifulSoup(html, "html.parser")
    assert doc.find("b") is None and len(doc.find_all("script")) == 1   # only the JSON key
    label = one(doc, "label.coursekit-sc-option")
    assert "<b>bold</b> & </script>" in label.get_text()
    assert one(doc, "input")["value"] == 'a"><script>alert(1)</script>'
    assert one(doc, "form")["data-question"] == 'q.<evil>"'


def test_the_json_key_cannot_close_its_script_element():
    html = selfcheck.render_form(hostile("choice"))
    key = html.split('class="coursekit-sc-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in key and ">" not in key
    data = json.loads(key)
    assert data["options"][0]["text"] == "<b>bold</b> & </script>"


def test_number_fields_say_their_unit_and_are_named_by_the_prompt():
    q = bank.question("lessons.pelvic-tilt.compute")
    doc = BeautifulSoup(selfcheck.render_form(q), "html.parser")
    field = one(doc, "input.coursekit-sc-input")
    uid = "sc-" + q.id.replace(".", "-")
    assert field["aria-labelledby"] == f"{uid}-prompt"
    assert one(doc, f"#{field['aria-describedby']}").get_text() == "A number in degrees"
    assert field["inputmode"] == "decimal"
    feedback = one(doc, ".coursekit-sc-feedback")
    assert feedback["role"] == "status" and feedback["aria-live"] == "polite"
    reveal = one(doc, ".coursekit-sc-reveal")
    assert reveal["aria-controls"] == f"{uid}-answer" and reveal["aria-expanded"] == "false"


def test_choices_are_a_group_named_by_the_prompt():
    q = bank.question("lessons.gripping.measured")
    doc = BeautifulSoup(selfcheck.render_form(q), "html.parser")
    group = one(doc, "fieldset.coursekit-sc-options")
    assert attr(group, "aria-labelledby").endswith("-prompt")
    assert [i["value"] for i in group.select("input[type=checkbox]")] == [o.key for o in q.options]
    assert all(i.find_parent("label") is not None for i in group.select("input"))   # each option names its box
