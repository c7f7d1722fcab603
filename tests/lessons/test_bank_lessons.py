"""Lesson questions: every objective is checked, answers agree with the data, pages use them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coursekit import anatomy, bank
from coursekit.checks import check
from coursekit.checks import musclenames as mn
from coursekit.sphinx import reference, selfcheck

BOOK = Path(__file__).resolve().parents[2] / "book"
SELFCHECK_RE = re.compile(r"^```\{selfcheck\}\s+(\S+)\s*$", re.M)


def lesson_questions() -> list[bank.Question]:
    return [q for q in bank.questions() if q.source == "lessons.yaml"]


def page_selfchecks() -> dict[str, list[str]]:
    return {p.stem: SELFCHECK_RE.findall(p.read_text(encoding="utf-8")) for p in sorted(BOOK.glob("*.md"))}


def test_every_objective_has_at_least_one_question():
    covered = bank.by_objective()
    missing = [oid for oid, _, _ in reference.objectives() if not covered.get(oid)]
    assert missing == []


def test_every_objective_has_a_self_check_in_its_own_chapter():
    on_pages = {qid for ids in page_selfchecks().values() for qid in ids}
    for oid, chapter, _ in reference.objectives():
        lesson = [q.id for q in bank.questions(objective=oid) if q.id in on_pages]
        assert lesson, f"objective {oid} has no self-check on a page"


def test_lesson_questions_are_visible_and_of_a_kind_the_page_can_show():
    questions = lesson_questions()
    assert len(questions) >= 30
    for q in questions:
        assert not q.hidden, q.id
        assert q.kind in selfcheck.KINDS, q.id
        assert q.objective, q.id


def test_every_selfcheck_on_a_page_exists_and_every_lesson_question_is_on_a_page():
    pages = page_selfchecks()
    used = [qid for ids in pages.values() for qid in ids]
    known = {q.id for q in bank.questions()}
    assert [qid for qid in used if qid not in known] == []
    assert sorted({q.id for q in lesson_questions()} - set(used)) == []


def test_chapter_pages_show_the_self_checks_of_their_objectives():
    pages = page_selfchecks()
    page_of = {"welcome": "index"}
    for q in lesson_questions():
        chapter = next(ch for oid, ch, _ in reference.objectives() if oid == q.objective)
        assert q.id in pages[page_of.get(chapter, chapter)], (q.id, chapter)


# ------------------------------------------------------------------ answers from the data


def test_hamstrings_that_cross_the_hip_match_the_data():
    expected = [m for m in anatomy.group("hamstrings") if anatomy.muscle(m).crosses_hip]
    assert list(bank.question("lessons.hip-extensors.cross-hip").expected) == expected


def test_muscles_starting_at_the_asis_match_the_landmark_data():
    asis = anatomy.landmarks().set_index("abbreviation").loc["ASIS", "attachments"].split(";")
    muscles = [m for m in asis if m in anatomy.muscle_names()]
    assert sorted(bank.question("lessons.hip-flexors.asis").expected) == sorted(muscles)
    for name in muscles:
        assert "ASIS" in anatomy.muscle(name).origin


def test_the_four_flexors_are_hip_flexors_in_the_data():
    for name in bank.question("lessons.hip-flexors.four").expected:
        assert anatomy.Action.FLEXION in anatomy.muscle(name).hip_actions


def test_balancing_extensors_are_the_extensors_without_external_rotation():
    every = ["primary", "secondary", "fibre_specific", "position_dependent", "disputed"]
    without = [m for m in anatomy.muscles_with(hip=["extension"])
               if anatomy.Action.EXTERNAL_ROTATION not in anatomy.actions_of(m, statuses=every)]
    assert sorted(bank.question("lessons.gripping.balance").expected) == sorted(without)


def test_computed_answers_come_from_the_anatomy_queries():
    assert list(bank.question("lessons.hip-extensors.extend-rotate-out").expected) == \
        anatomy.muscles_with(hip=["extension", "external_rotation"])
    assert list(bank.question("lessons.rotation.knee-out").expected) == \
        anatomy.muscles_with(knee=["external_rotation"])


def test_the_tilt_example_is_computed_from_its_coordinates():
    import math

    q = bank.question("lessons.pelvic-tilt.compute")
    asis, psis = (10.0, 90.0), (-5.0, 93.0)
    tilt = math.degrees(math.atan((psis[1] - asis[1]) / (asis[0] - psis[0])))
    assert q.expected == pytest.approx(tilt, abs=0.01)


@pytest.mark.parametrize("qid", [q.id for q in bank.questions() if q.source == "lessons.yaml"])
def test_the_key_passes_the_python_checker(qid):
    q = bank.question(qid)
    if q.kind == "text":
        pytest.skip("read by a person")
    if q.kind in ("choice", "multichoice"):
        keys = [o.key for o in q.options if o.correct]
        answer = keys[0] if q.kind == "choice" else keys
    elif q.kind == "action":
        answer = ", ".join(e.replace("_", " ") for e in q.expected)
    else:
        answer = list(q.expected) if q.kind == "muscles" else q.expected
    assert check(qid, answer).score == 1.0


# ------------------------------------------------------------------ the page payload


@pytest.mark.parametrize("qid", [q.id for q in bank.questions() if q.source == "lessons.yaml" and q.kind == "muscles"])
def test_page_payload_counts_exactly_the_muscles_the_checker_accepts(qid):
    q = bank.question(qid)
    data = selfcheck.question_payload(q)
    accepted = mn.covers(q.expected)
    assert set(data["counts"]) == set(accepted)
    assert set(data["counts"].values()) == set(q.expected)
    others = set(anatomy.muscle_names()) - accepted - set(data["optional"])
    assert set(data["reasons"]) == others
    assert all(data["reasons"][m] for m in others)
    for name, text in q.misconceptions.items():
        if name in data["reasons"]:
            assert data["reasons"][name] == text


def test_page_payload_of_choices_keeps_every_option_and_its_feedback():
    q = bank.question("lessons.gripping.measured")
    data = selfcheck.question_payload(q)
    assert [(o["key"], o["correct"], o["feedback"]) for o in data["options"]] == \
        [(o.key, o.correct, o.feedback) for o in q.options]


def test_name_tables_export_the_course_name_index():
    from coursekit import names

    tables = selfcheck.name_tables()
    assert set(tables["index"]) == set(anatomy.name_index().keys)
    assert tables["index"]["semitendinous"] == ["semitendinosus"]
    assert tables["accept"] == names.ACCEPT
    assert set(tables["notes"]) >= {"hamstring", "glutes"}
