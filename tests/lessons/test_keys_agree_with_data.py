"""Every muscle key of every bank file agrees with the muscle data (issue 13).

The walk covers ``src/coursekit/data/bank/*.yaml`` and, once graded keys live with the
instructor, ``assignments/bank/*.yaml``. For each ``muscles`` question:

* a computed key (``expected_from``) equals the data query it names;
* a literal key equals the set its rule below computes from ``muscles.csv`` and
  ``conditional_actions.csv`` (the rule states which action statuses count);
* optional names are muscles whose action is disputed, position-dependent, fibre-specific
  or secondary, never muscles with the opposite main action;
* no muscle named in a misconception is also accepted (expected or optional).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from coursekit import anatomy
from coursekit.anatomy import Status
from coursekit.bank import Question, load_file

REPO = Path(__file__).resolve().parents[2]
BANK_DIRS = [REPO / "src" / "coursekit" / "data" / "bank", REPO / "assignments" / "bank"]
#: Bank files whose literal keys this test must know a rule for (the files issue 13 reviewed).
REVIEWED = {"lessons", "core", "ps1", "ps2", "ps3"}
ALL = tuple(Status)
SOFT = (Status.SECONDARY, Status.FIBRE_SPECIFIC, Status.POSITION_DEPENDENT, Status.DISPUTED)


def _files() -> list[Path]:
    return sorted(p for d in BANK_DIRS if d.is_dir() for p in d.glob("*.yaml") if not p.name.startswith("_"))


def _muscle_questions() -> list[Question]:
    return [q for path in _files() for q in load_file(path) if q.kind == "muscles"]


def _with(statuses: tuple[Status, ...] = (Status.PRIMARY,), **actions: list[str]) -> set[str]:
    return set(anatomy.muscles_with(statuses=statuses, **actions))


def _hamstrings_crossing(hip: bool, knee: bool) -> set[str]:
    return {m for m in anatomy.group("hamstrings")
            if anatomy.muscle(m).crosses_hip == hip and anatomy.muscle(m).crosses_knee == knee}


def _origin(word: str) -> set[str]:
    table = anatomy.muscles()
    return set(table.loc[table["origin"].str.contains(word, case=False), "name"])


#: Literal keys: question id -> the expected set, computed from the data.
RULES: dict[str, Callable[[], set[str]]] = {
    # four flexors the chapter teaches: main hip flexors that are not adductors
    "lessons.hip-flexors.four": lambda: {"iliopsoas", "rectus femoris", "tensor fasciae latae", "sartorius"}
    & _with(hip=["flexion"]),
    "lessons.hip-flexors.asis": lambda: {m for m in _with(hip=["flexion"])
                                         if "asis" in anatomy.muscle(m).origin.lower()},
    "lessons.hip-extensors.cross-hip": lambda: {m for m in anatomy.group("hamstrings") if anatomy.muscle(m).crosses_hip},
    # extensors that do not turn the thigh out (any status of external rotation excludes)
    "lessons.gripping.balance": lambda: _with(hip=["extension"]) - _with(ALL, hip=["external_rotation"]),
    # internal rotators in the anatomical position: main, secondary or by some fibres
    "lessons.rotation.internal": lambda: _with((Status.PRIMARY, Status.SECONDARY, Status.FIBRE_SPECIFIC),
                                              hip=["internal_rotation"]),
    "ps2.internal-rotators": lambda: _with((Status.PRIMARY, Status.SECONDARY, Status.FIBRE_SPECIFIC),
                                          hip=["internal_rotation"]),
    "ps2.hamstring-knee-only": lambda: _hamstrings_crossing(hip=False, knee=True),
    "ps2.ischial-origin": lambda: _origin("ischial tuberosity"),
    # the medial hamstrings: extensors that rotate the hip, if at all, inwards
    "ps3.balance-helpers": lambda: set(anatomy.group("medial hamstrings"))
    & (_with(hip=["extension"]) - _with(ALL, hip=["external_rotation"])),
    "ps1.flexors-limit-extension": lambda: {"iliopsoas", "rectus femoris", "tensor fasciae latae", "sartorius"}
    & _with(hip=["flexion"]),
}


def _computed(q: Question) -> set[str] | None:
    criterion, group = q.settings.get("criterion"), q.settings.get("group")
    if criterion:
        return _with(**criterion)
    if group:
        return set(anatomy.group(group))
    return None


QUESTIONS = _muscle_questions()


def test_the_walk_finds_the_muscle_questions_of_every_bank_file():
    stems = {Path(q.source).stem for q in QUESTIONS}
    assert REVIEWED <= stems
    assert len(QUESTIONS) >= 15


@pytest.mark.parametrize("q", QUESTIONS, ids=lambda q: q.id)
def test_every_named_muscle_is_a_course_muscle(q):
    names = set(anatomy.muscle_names())
    named = set(q.expected) | set(q.settings.get("optional") or ()) | set(q.misconceptions)
    assert named <= names, f"{q.id}: {sorted(named - names)} are not course muscle names"


@pytest.mark.parametrize("q", QUESTIONS, ids=lambda q: q.id)
def test_the_key_equals_the_data(q):
    computed = _computed(q)
    if computed is not None:
        assert set(q.expected) == computed, q.id
    elif q.id in RULES:
        assert set(q.expected) == RULES[q.id](), f"{q.id}: key {sorted(q.expected)} vs data {sorted(RULES[q.id]())}"
    else:
        assert Path(q.source).stem not in REVIEWED, f"{q.id}: add a data rule for this literal key to RULES"


@pytest.mark.parametrize("q", QUESTIONS, ids=lambda q: q.id)
def test_no_misconception_names_an_accepted_muscle(q):
    accepted = set(q.expected) | set(q.settings.get("optional") or ())
    assert not accepted & set(q.misconceptions), f"{q.id}: {sorted(accepted & set(q.misconceptions))}"


def _optional_rules(q: Question) -> tuple[list[str], list[str]]:
    """The actions a question's key is about: from its criterion or its rule's subject."""
    criterion = q.settings.get("criterion") or {}
    by_id = {"lessons.rotation.internal": {"hip": ["internal_rotation"]},
             "ps2.internal-rotators": {"hip": ["internal_rotation"]},
             "ps3.balance-helpers": {"hip": ["extension"]},
             "lessons.hip-flexors.four": {"hip": ["flexion"]},
             "ps1.flexors-limit-extension": {"hip": ["flexion"]}}
    criterion = criterion or by_id.get(q.id, {})
    return criterion.get("hip", []), criterion.get("knee", [])


@pytest.mark.parametrize("q", [q for q in QUESTIONS if q.settings.get("optional")], ids=lambda q: q.id)
def test_optional_muscles_have_the_asked_action_in_some_status(q):
    hip, knee = _optional_rules(q)
    if not (hip or knee):
        pytest.skip(f"{q.id}: no action criterion to check optional names against")
    for name in q.settings["optional"]:
        m = anatomy.muscle(name)
        assert set(hip) <= {a.value for a in m.actions("hip", statuses=ALL)}, (q.id, name, hip)
        assert set(knee) <= {a.value for a in m.actions("knee", statuses=ALL)}, (q.id, name, knee)


def test_no_key_accepts_an_anatomical_position_error():
    """The two errors the review found stay fixed."""
    helpers = next(q for q in QUESTIONS if q.id == "ps3.balance-helpers")
    accepted = set(helpers.expected) | set(helpers.settings["optional"])
    assert not accepted & {"tensor fasciae latae", "gluteus medius", "gluteus minimus"}
    internal = next(q for q in QUESTIONS if q.id == "lessons.rotation.internal")
    accepted = set(internal.expected) | set(internal.settings["optional"])
    assert not accepted & {"piriformis", "gluteus maximus"}
    for name in ("piriformis", "gluteus maximus"):
        statuses = {c.status for c in anatomy.muscle(name).conditional if c.action.value == "internal_rotation"}
        assert statuses == {Status.POSITION_DEPENDENT}
