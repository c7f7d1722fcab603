"""Muscle sets: fair partial credit, useful feedback, siblings never confused, no leaks."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursekit import anatomy, bank
from coursekit.checks import check, check_muscles
from coursekit.checks import musclenames as mn

from .conftest import CORE
from .hostile import AlwaysEqualStr, Anything, LyingList

MODEST = settings(max_examples=40, deadline=None)
Q = "core.hip-extensors-external-rotators"  # hidden: gluteus maximus, biceps femoris (long head)
NAMES = anatomy.muscle_names()


def score(answer, expected, **kw) -> float:
    return check_muscles(answer, expected, **kw).score


# --------------------------------------------------------------------------- realistic answers

def test_full_marks_for_the_right_muscles_in_any_spelling():
    r = check(Q, ["Glute Max", "biceps femoris"], mode="grade")
    assert (r.score, r.passed) == (1.0, True)
    assert "Counted 'Glute Max' as gluteus maximus." in r.feedback


def test_misspelling_is_counted_and_the_feedback_says_how():
    r = check_muscles(["semitendinosis", "semimembranosis"], ["semitendinosus", "semimembranosus"])
    assert r.score == 1.0
    assert r.feedback[:2] == ["Counted 'semitendinosis' as semitendinosus.", "Counted 'semimembranosis' as semimembranosus."]


def test_each_wrong_pick_cancels_a_right_one_and_listing_everything_earns_nothing():
    assert score(["gluteus maximus", "iliopsoas"], ["gluteus maximus", "biceps femoris (long head)"]) == 0.0
    assert score(["gluteus maximus"], ["gluteus maximus", "biceps femoris (long head)"]) == 0.5
    assert score(NAMES, ["gluteus maximus", "biceps femoris (long head)"]) == 0.0


def test_duplicates_and_aliases_of_one_muscle_count_once():
    assert score(["gluteus maximus", "Gluteus Maximus", "glute max", "GMax"], ["gluteus maximus", "iliacus"]) == 0.5


def test_known_wrong_pick_is_explained_from_the_bank():
    r = check(Q, ["gluteus maximus", "iliopsoas"], mode="grade")
    assert "Not right: iliopsoas. Iliopsoas flexes the hip; it cannot extend it. Its rotation is disputed and small." in r.feedback


def test_wrong_pick_without_a_written_misconception_is_explained_from_the_data():
    r = check(Q, ["gluteus maximus", "adductor longus"], mode="grade")
    assert ("Not right: adductor longus does not extend the hip or rotate the hip externally: "
            "its main hip actions are flexion and adduction "
            "(extension: position-dependent, hip flexed beyond about 40-70 deg).") in r.feedback


def test_hidden_question_says_how_many_are_missing_but_not_which():
    r = check(Q, ["gluteus maximus"], mode="grade")
    assert "1 muscle is missing." in r.feedback
    assert "biceps" not in " ".join(r.feedback).lower()


def test_open_question_names_the_missing_muscles():
    r = check("core.medial-hamstrings", ["semitendinosus"])
    assert r.feedback[-1] == "Missing: semimembranosus."


def test_parts_count_as_their_whole():
    r = check_muscles(["psoas major", "iliacus"], ["iliopsoas", "rectus femoris"])
    assert r.score == 0.5
    assert "Counted 'psoas major' as iliopsoas (psoas major is part of it)." in r.feedback


def test_whole_adductor_magnus_counts_as_the_expected_part():
    r = check("core.hip-extensors", ["adductor magnus"])
    assert "Counted 'adductor magnus' as adductor magnus (hamstring part)." in r.feedback
    assert r.score == pytest.approx(1 / 5)


def test_optional_muscles_neither_earn_nor_cost():
    base = check("core.hip-extensors", ["gluteus maximus"]).score
    assert check("core.hip-extensors", ["gluteus maximus", "gluteus medius"]).score == base


def test_group_words_and_unknown_names_are_not_counted_and_say_why():
    r = check_muscles(["hamstrings", "glooteus", "gluteus maximus"], ["gluteus maximus"])
    assert r.score == 1.0
    assert any(line.startswith("'hamstrings' names a group") for line in r.feedback)
    assert any(line.startswith("Could not recognise 'glooteus'") for line in r.feedback)


def test_a_comma_separated_string_is_read_as_a_list():
    assert score("gluteus maximus, biceps femoris; ", ["gluteus maximus", "biceps femoris (long head)"]) == 1.0


@pytest.mark.parametrize("answer, message", [
    (None, "There is no answer yet"),
    ({"gluteus maximus": 1}, "Write your muscle names as a list of text"),
    (42, "Write your muscle names as a list of text"),
])
def test_unusable_answers_score_zero_with_a_next_step(answer, message):
    r = check_muscles(answer, ["gluteus maximus"])
    assert r.score == 0.0 and r.feedback[0].startswith(message)


# --------------------------------------------------------------------------- sibling traps

SIBLINGS = [
    ("gluteus maximus", ["gluteus medius", "gluteus minimus", "glute med", "gluteus min"]),
    ("gluteus medius", ["gluteus maximus", "gluteus minimus", "glute max"]),
    ("gluteus minimus", ["gluteus maximus", "gluteus medius"]),
    ("semitendinosus", ["semimembranosus", "semimembranosis", "semi-m"]),
    ("semimembranosus", ["semitendinosus", "semitendinosis", "semi-t"]),
    ("biceps femoris (long head)", ["biceps brachii", "biceps femoris (short head)", "BF short head"]),
    ("adductor longus", ["adductor brevis", "adductor magnus", "add brevis"]),
    ("adductor brevis", ["adductor longus", "adductor magnus"]),
    ("obturator internus", ["obturator externus", "external obturator", "obturator externis"]),
    ("obturator externus", ["obturator internus", "internal obturator", "obturator internis"]),
    ("superior gemellus", ["inferior gemellus", "gemellus inferior", "lower gemellus"]),
    ("inferior gemellus", ["superior gemellus", "gemellus superior", "upper gemellus"]),
]


@pytest.mark.parametrize("target, traps", SIBLINGS, ids=[t for t, _ in SIBLINGS])
def test_a_sibling_never_counts_for_the_expected_muscle(target, traps):
    for trap in traps:
        r = check_muscles([trap], [target])
        assert r.score == 0.0, trap
        assert not r.passed
        assert not any(line == f"Counted '{trap}' as {target}." for line in r.feedback)


def test_biceps_brachii_is_explained_as_an_arm_muscle():
    r = check_muscles(["biceps brachii"], ["biceps femoris (long head)"])
    assert "Not right: biceps brachii. Biceps brachii is an arm muscle, not part of this course." in r.feedback


# --------------------------------------------------------------------------- hostile values

def test_hostile_values_never_pass():
    expected = ["gluteus maximus", "biceps femoris (long head)"]
    assert check_muscles([AlwaysEqualStr("iliopsoas")], expected).score == 0.0
    assert check_muscles(LyingList(["iliopsoas"]), expected).score == 0.0
    assert check(Q, LyingList(["iliopsoas", "piriformis"]), mode="grade").score == 0.0
    r = check(Q, [Anything()], mode="grade")
    assert (r.score, r.passed) == (0.0, False) and "cannot be handed in" in r.feedback[0]


def test_huge_answers_are_refused_with_feedback():
    r = check(Q, [f"muscle {i}" for i in range(5000)], mode="grade")
    assert r.score == 0.0 and "5000 different entries" in r.feedback[0]


# --------------------------------------------------------------------------- properties

EXPECTED = ("gluteus maximus", "semitendinosus", "semimembranosus", "biceps femoris (long head)")
RIGHT = list(EXPECTED)
WRONG = [n for n in NAMES if n not in mn.covers(EXPECTED) and n != "adductor magnus (hamstring part)"]
answers = st.lists(st.sampled_from(RIGHT + WRONG + ["glooteus", "hamstrings", "biceps brachii"]), max_size=10)


@MODEST
@given(answers, st.sampled_from(RIGHT))
def test_adding_a_right_muscle_never_lowers_the_score(answer, extra):
    assert score(answer + [extra], EXPECTED) >= score(answer, EXPECTED)


@MODEST
@given(answers, st.sampled_from(WRONG + ["biceps brachii"]))
def test_adding_a_wrong_muscle_never_raises_the_score(answer, extra):
    assert score(answer + [extra], EXPECTED) <= score(answer, EXPECTED)


def vary(text: str, upper: bool, pad: int) -> str:
    text = text.upper() if upper else text.title()
    return " " * pad + text.replace(" ", " " * (pad + 1)) + " " * pad


@MODEST
@given(answers, st.randoms(use_true_random=False), st.booleans(), st.integers(0, 3))
def test_order_case_and_spacing_never_change_the_score(answer, rnd, upper, pad):
    shuffled = [vary(a, upper, pad) for a in answer]
    rnd.shuffle(shuffled)
    assert score(shuffled, EXPECTED) == score(answer, EXPECTED)


@MODEST
@given(answers)
def test_checking_is_deterministic(answer):
    one, two = check(Q, answer, mode="grade"), check(Q, list(answer), mode="grade")
    assert (one.score, one.feedback, one.details) == (two.score, two.feedback, two.details)


HIDDEN = [q for q in bank.load_file(CORE) if q.kind == "muscles" and q.hidden]


def leaked(feedback: list[str], q, answer: list[str]) -> list[str]:
    """Expected names in the feedback that the answer did not name (examples are public)."""
    given_names = mn.covers(n for a in answer for n in mn.resolve(a).names)
    public = {ex.get("includes") for ex in q.examples}
    text = " ".join(feedback).lower()
    for name in sorted(given_names, key=len, reverse=True):
        text = text.replace(name, "")
    out = []
    for name in q.expected:
        if name in given_names or name in public:
            continue
        base = name.split(" (")[0]
        if re.search(rf"\b{re.escape(base)}\b", text):
            out.append(name)
    return out


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(HIDDEN), st.lists(st.sampled_from(NAMES + ["glooteus", "hamstrings", "medial hamstring", "adductor magnus"]), max_size=8),
       st.sampled_from(["student", "grade"]))
def test_hidden_feedback_never_names_an_expected_muscle_the_student_did_not_give(q, answer, mode):
    r = check(q.id, answer, mode=mode)
    assert leaked(r.feedback, q, answer) == []
    assert leaked([r._repr_html_(), r._repr_markdown_()], q, answer) == []
